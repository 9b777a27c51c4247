//! Following links: every `href` and `src` of a page, and a crawl of a
//! running server from one page through every internal link.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::Reply;

/// Every `href="…"` and `src="…"` value in an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (start, _) in html.match_indices(attribute) {
            let rest = &html[start + attribute.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].replace("&amp;", "&").replace("&#38;", "&"));
            }
        }
    }
    found
}

/// What a crawl found: every internal URL path with its status and body.
#[derive(Debug, Default)]
pub struct Crawl {
    pub pages: BTreeMap<String, Reply>,
    /// Links (as written) that point outside `prefix`.
    pub escaped: BTreeSet<String>,
}

/// Crawls `origin` (`http://127.0.0.1:8080`) from `start` (`/news/`),
/// following every link whose path is under `prefix`; links elsewhere on the
/// same host are recorded in `escaped`. External links are not followed.
pub async fn crawl(origin: &str, start: &str, prefix: &str) -> Crawl {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let mut result = Crawl::default();
    let mut queue = VecDeque::from([start.to_owned()]);
    while let Some(path) = queue.pop_front() {
        if result.pages.contains_key(&path) || result.pages.len() > 500 {
            continue;
        }
        let response = client.get(format!("{origin}{path}")).send().await.expect("request");
        let reply = Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.bytes().await.expect("body").to_vec(),
        };
        let is_html = reply.header("content-type").is_some_and(|value| value.starts_with("text/html"));
        if is_html {
            for link in links(&reply.text()) {
                match internal_path(origin, &path, &link) {
                    Some(target) if target.starts_with(prefix) => queue.push_back(target),
                    Some(_) => {
                        result.escaped.insert(link);
                    }
                    None => {}
                }
            }
        }
        result.pages.insert(path, reply);
    }
    result
}

/// The path (and query) of `link` when it points at `origin`; `None` for
/// other hosts and fragments.
fn internal_path(origin: &str, page: &str, link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    if let Some(rest) = link.strip_prefix(origin) {
        return Some(if rest.is_empty() { "/".to_owned() } else { rest.to_owned() });
    }
    if link.contains("://") || link.starts_with("//") || link.starts_with("mailto:") {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_owned());
    }
    // A relative link: resolve against the page's folder.
    let folder = &page[..=page.rfind('/').unwrap_or(0)];
    Some(format!("{folder}{link}"))
}
