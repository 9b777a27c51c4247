//! What the end-to-end front-end tests share: replicas of the real binary,
//! the configurations documented in `docs/deploy.md`, and the checks every
//! front end must pass (a crawl under the prefix, validators, content
//! coding).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Crawl, SEED_ID, e2e_required};

/// A child process stopped when the test ends, pass or fail: asked with
/// SIGTERM first, so that a server with worker processes (Apache httpd,
/// varnishd) stops them too, then killed if it has not ended in 5 s.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let asked = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while asked.as_ref().is_ok_and(std::process::ExitStatus::success) && Instant::now() < deadline {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first of `candidates` that exists; `None` (with a notice) when none
/// does, which fails the test under `BROADSHEET_E2E=1`.
pub fn tool(name: &str, package: &str, candidates: &[&str]) -> Option<PathBuf> {
    let found = candidates.iter().map(PathBuf::from).find(|path| path.exists());
    if found.is_none() {
        assert!(!e2e_required(), "BROADSHEET_E2E=1 but {name} is not installed (apt-get install -y {package})");
        eprintln!("skipping: {name} is not installed (set BROADSHEET_E2E=1 to make this a failure)");
    }
    found
}

/// The first block fenced as ```` ```{language} ```` in docs/deploy.md, with
/// each `(from, to)` replaced; every `from` must be in it, so the document
/// and the test cannot drift apart silently.
pub fn documented(language: &str, replacements: &[(&str, String)]) -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md")).expect("docs/deploy.md");
    let fence = format!("```{language}\n");
    let start = docs.find(&fence).unwrap_or_else(|| panic!("a {language} block in docs/deploy.md")) + fence.len();
    let end = start + docs[start..].find("\n```").expect("the end of the block");
    let mut config = docs[start..end].to_owned();
    for (from, to) in replacements {
        assert!(config.contains(from), "docs/deploy.md's {language} block no longer contains `{from}`");
        config = config.replace(from, to);
    }
    config
}

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status.lines().any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(1) == Some("0"))
    })
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("free port").port()
}

/// Where a replica listens.
#[derive(Debug, Clone)]
pub enum Upstream {
    Socket(PathBuf),
    Port(u16),
}

impl Upstream {
    fn listen(&self) -> String {
        match self {
            Self::Socket(path) => format!("unix:{}", path.display()),
            Self::Port(port) => format!("127.0.0.1:{port}"),
        }
    }

    /// `GET path` straight to the replica; the raw reply.
    fn get(&self, path: &str) -> Option<String> {
        use std::io::{Read, Write};
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let mut reply = String::new();
        let ok = match self {
            Self::Socket(socket) => std::os::unix::net::UnixStream::connect(socket).and_then(|mut stream| {
                stream.write_all(request.as_bytes()).and_then(|()| stream.read_to_string(&mut reply))
            }),
            Self::Port(port) => std::net::TcpStream::connect(("127.0.0.1", *port)).and_then(|mut stream| {
                stream.write_all(request.as_bytes()).and_then(|()| stream.read_to_string(&mut reply))
            }),
        };
        ok.ok().map(|_| reply)
    }
}

/// Starts the real binary on `upstream`, trusting proxies on 127.0.0.1,
/// and waits until it answers searches (not "indexing…"), which a crawl
/// visits.
pub fn start_replica(articles: &Path, upstream: &Upstream, options: &[&str]) -> Guard {
    let child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--articles"])
        .arg(articles)
        .arg("--listen")
        .arg(upstream.listen())
        .args(options)
        .args(["--trusted-proxy", "127.0.0.1"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start broadsheet");
    let guard = Guard(child);
    wait_until("a replica's search index", || {
        upstream.get("/search?q=news").is_some_and(|reply| reply.starts_with("HTTP/1.1 200"))
    });
    guard
}

pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < Duration::from_secs(60), "{what} did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until `port` answers `path` with 200 (a front end may accept
/// connections before its upstreams are up).
pub fn wait_for_front_end(name: &str, port: u16, path: &str) {
    wait_until(name, || Upstream::Port(port).get(path).is_some_and(|reply| reply.starts_with("HTTP/1.1 200")));
}

/// Every page of a crawl from `/news/` answered 200, no link leaves the
/// prefix, the assets loaded and the canonical URL is the public one.
pub fn check_crawl(site: &Crawl, base_url: &str) {
    assert!(site.pages.len() > 28, "crawled only {} pages", site.pages.len());
    for (path, reply) in &site.pages {
        assert_eq!(reply.status, 200, "{path} is broken");
    }
    assert!(site.escaped.is_empty(), "links leave the /news/ prefix: {:?}", site.escaped);
    let stylesheet = site.pages.iter().find(|(path, _)| path.starts_with("/news/static/") && path.ends_with(".css"));
    let (_, stylesheet) = stylesheet.expect("the stylesheet was linked and loaded");
    assert!(stylesheet.header("content-type").is_some_and(|value| value.starts_with("text/css")));
    assert!(site.pages.keys().any(|path| path.starts_with("/news/static/") && path.ends_with(".svg")), "favicon");
    let seed = &site.pages[&format!("/news/articles/{SEED_ID}")];
    let expected = format!("<link rel=\"canonical\" href=\"{base_url}articles/{SEED_ID}\">");
    assert!(seed.text().contains(&expected), "the seed's canonical link is not {expected}");
    let feed = site.pages.get("/news/feed.xml").expect("the feed was linked");
    assert!(feed.text().contains(&format!("{base_url}articles/")), "feed links are not under {base_url}");
}

/// Through the front end: a 304 for a known ETag, gzip and brotli for the
/// clients that ask (each getting its own coding), `Vary: Accept-Encoding`,
/// and the redirect of the bare prefix.
pub async fn check_transport(origin: &str) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let url = format!("{origin}/news/articles/{SEED_ID}");
    let first = client.get(&url).send().await.expect("page");
    let etag = first.headers().get("etag").expect("an ETag through the front end").clone();
    let again = client.get(&url).header("if-none-match", etag).send().await.expect("revalidation");
    assert_eq!(again.status(), 304, "a known ETag is not a 304 through the front end");
    for coding in ["gzip", "br"] {
        // Twice: the second answer may come from a cache in between.
        for _ in 0..2 {
            let reply = client.get(&url).header("accept-encoding", coding).send().await.expect("page");
            let header = |name: &str| reply.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            assert_eq!(header("content-encoding"), coding, "asked for {coding}");
            assert!(header("vary").to_ascii_lowercase().contains("accept-encoding"), "no Vary with {coding}");
        }
    }
    let plain = client.get(&url).header("accept-encoding", "identity").send().await.expect("page");
    assert!(plain.headers().get("content-encoding").is_none(), "an identity client got a coded body");
    assert!(plain.text().await.expect("text").contains("<h1"), "an identity client got bytes it cannot read");
    let bare = client.get(format!("{origin}/news")).send().await.expect("bare prefix");
    assert!(bare.status().is_redirection(), "/news does not redirect");
    let metrics = client.get(format!("{origin}/news/metrics")).send().await.expect("metrics");
    assert_eq!(metrics.status(), 403, "/news/metrics is public");
}

/// The address the client of [`check_client_address`] connects from: not
/// the proxy's 127.0.0.1, so the log shows whose address it wrote.
const CLIENT: [u8; 4] = [127, 0, 0, 3];

/// A request through the front end from 127.0.0.3 is logged by the replica
/// that answered it with 127.0.0.3, the real client, not the proxy.
pub async fn check_client_address(origin: &str, logs: &[PathBuf]) {
    let client = reqwest::Client::builder().local_address(std::net::IpAddr::from(CLIENT)).build().expect("client");
    let probe = format!("/news/articles/{SEED_ID}?probe={}", free_port());
    let reply = client.get(format!("{origin}{probe}")).send().await.expect("request from 127.0.0.3");
    assert_eq!(reply.status(), 200);
    let started = Instant::now();
    loop {
        let lines: Vec<String> = logs
            .iter()
            .filter_map(|log| std::fs::read_to_string(log).ok())
            .flat_map(|text| text.lines().filter(|line| line.contains(&probe)).map(str::to_owned).collect::<Vec<_>>())
            .collect();
        if let Some(line) = lines.first() {
            assert!(line.contains(" 127.0.0.3 "), "the access log does not show the real client: {line}");
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no access log line for {probe} in {logs:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
