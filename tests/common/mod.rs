//! Shared helpers for integration tests: article fixtures written to a temp
//! directory, the real router over them, and small HTML probes.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use broadsheet::library::load_dir;
use broadsheet::web::{AppState, Site, router};
use tower::ServiceExt;

/// One hand-written article in the newswire layout; `None` leaves a line out.
pub struct Fixture<'a> {
    pub path: &'a str,
    pub section: Option<&'a str>,
    pub title: &'a str,
    pub date: Option<&'a str>,
    pub source: Option<&'a str>,
    pub body: &'a str,
}

impl Fixture<'_> {
    /// The file's text.
    pub fn text(&self) -> String {
        let mut text = String::new();
        if let Some(section) = self.section {
            text.push_str(&format!("{section}\n\n"));
        }
        text.push_str(&format!("{}\n\n", self.title));
        let mut header = Vec::new();
        if let Some(date) = self.date {
            header.push(date.to_owned());
        }
        if let Some(source) = self.source {
            header.push(format!("This content originally appeared on {source}."));
        }
        if !header.is_empty() {
            text.push_str(&format!("{}\n\n", header.join("\n")));
        }
        text.push_str(self.body);
        text.push('\n');
        text
    }
}

/// Writes `fixtures` into a new temp directory.
pub fn write_fixtures(fixtures: &[Fixture<'_>]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for fixture in fixtures {
        let path = dir.path().join(format!("{}.txt", fixture.path));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(&path, fixture.text()).expect("write fixture");
    }
    dir
}

/// The app over `dir`, served at `base_path`, with the search index ready.
pub fn app(dir: &Path, base_path: &str) -> (AppState, axum::Router) {
    let library = load_dir(dir).expect("load fixtures");
    let state = AppState::new(library, Site::new("Test", base_path));
    assert!(state.search.wait_until_ready(Duration::from_secs(60)), "search index did not become ready");
    (state.clone(), router(state))
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// `GET uri` through the router.
pub async fn get(router: &axum::Router, uri: &str) -> Page {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    Page { status, headers, body: String::from_utf8(bytes.to_vec()).expect("utf-8 body") }
}

/// Titles of the articles listed on a page, in order (`<h2>`/`<h3>` links in
/// the article list).
pub fn listed_titles(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"article-list\"") else { return Vec::new() };
    let list = &html[start..html[start..].find("</ol>").map_or(html.len(), |end| start + end)];
    list.split("<article>")
        .skip(1)
        .filter_map(|item| {
            let link = &item[item.find("<a href=\"")?..];
            let text_start = link.find("\">")? + 2;
            let text_end = link.find("</a>")?;
            Some(link[text_start..text_end].to_owned())
        })
        .collect()
}

/// Every `href="…"` on a page, entities decoded.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href.replace("&amp;", "&").replace("&#38;", "&")))
        .collect()
}

/// The path of `../shared/<relative>`, or `None` (with a printed notice) when
/// it is missing; with `BROADSHEET_E2E=1` a missing directory fails the test.
pub fn shared_dir(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join(relative);
    if path.is_dir() {
        return Some(path);
    }
    assert!(std::env::var("BROADSHEET_E2E").as_deref() != Ok("1"), "{} is missing (BROADSHEET_E2E=1)", path.display());
    eprintln!("skipping: {} is missing", path.display());
    None
}
