//! Shared helpers for integration tests: a temporary articles directory, the
//! app built from it, requests through the router in-process, a real server
//! on 127.0.0.1:0, raw socket requests, and a crawler.
#![allow(dead_code, reason = "each test binary uses a different subset of the helpers")]

pub mod fixtures;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use broadsheet::library::load_dir;
use broadsheet::web::http::HttpSettings;
use broadsheet::web::server::{self, ListenAddress, Listener, ServerSettings};
use broadsheet::web::{AppState, Site};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

/// The id of the bundled seed article.
pub const SEED_ID: &str = "000_3ea0f84f1e61d9e9";

/// The repository's `articles/` folder (the seed article).
pub fn repo_articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

/// A temporary directory with the seed and `extra` small generated
/// articles (enough for several index pages when `extra` > 20).
pub fn articles_dir(extra: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read(repo_articles().join(format!("{SEED_ID}.txt"))).expect("seed article");
    std::fs::write(dir.path().join(format!("{SEED_ID}.txt")), seed).expect("write seed");
    std::fs::create_dir(dir.path().join("regional")).expect("sub-folder");
    for number in 0..extra {
        let folder = if number % 5 == 0 { "regional/" } else { "" };
        let text = format!(
            "Business\n\nTest headline number {number}\n\n{} March 2024\nThis content originally appeared on Test Wire.\n\n\
             First paragraph of article {number}, with a few words.\n\nSecond paragraph.\n",
            1 + number % 28
        );
        std::fs::write(dir.path().join(format!("{folder}{number:03}_test.txt")), text).expect("write article");
    }
    dir
}

/// App state for `dir`, served at `base` with `http` settings.
pub fn state(dir: &Path, base: &str, http: HttpSettings) -> AppState {
    let library = load_dir(dir).expect("load articles");
    AppState::new(library, Site::new("Broadsheet", base)).with_http(http)
}

/// A response read to the end.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// Sends `request` through the router in-process.
pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
    Reply { status, headers, body }
}

/// `GET path` with extra headers, in-process.
pub async fn get(app: &Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).expect("request")).await
}

/// A server running in this process on a real socket.
pub struct RunningServer {
    pub address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Starts `app` on 127.0.0.1:0 with `settings`.
    pub async fn start(app: Router, settings: ServerSettings) -> Self {
        let listener = Listener::bind(&ListenAddress::Tcp("127.0.0.1:0".into())).await.expect("bind");
        let address = listener.local_address().parse().expect("socket address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server::serve(listener, app, &settings, async move {
                let _ = stopped.await;
            })
            .await
        });
        Self { address, stop: Some(stop), task }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Asks the server to shut down gracefully (does not wait).
    pub fn begin_shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Sends raw bytes over a fresh TCP connection and returns everything the
/// server sent back until it closed the connection (or 10 s passed).
pub async fn raw_request(address: SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("send");
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
    String::from_utf8_lossy(&reply).into_owned()
}

/// The status code of a raw HTTP/1.1 reply (`HTTP/1.1 404 Not Found` → 404).
pub fn raw_status(reply: &str) -> u16 {
    reply.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}

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

/// Whether tests that need a system tool must fail (CI) instead of skip.
pub fn e2e_required() -> bool {
    std::env::var("BROADSHEET_E2E").is_ok_and(|value| value == "1")
}
