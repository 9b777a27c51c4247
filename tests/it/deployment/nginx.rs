//! End to end through Debian's nginx, with the configuration from
//! `docs/deploy.md`: two Broadsheet replicas (the real binary, on Unix
//! sockets) behind one `upstream`, the site under `/news/` — one replica
//! started with `--base-url`, the other relying on forwarded headers.
//!
//! Skipped with a notice when nginx is not installed, unless
//! `BROADSHEET_E2E=1`, which makes a missing nginx a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{SEED_ID, articles_dir, crawl, e2e_required};

/// A child process killed when the test ends, pass or fail.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
}

/// The first ```nginx block of docs/deploy.md.
fn documented_config() -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md")).expect("docs/deploy.md");
    let start = docs.find("```nginx\n").expect("an nginx block in docs/deploy.md") + "```nginx\n".len();
    let end = start + docs[start..].find("\n```").expect("the end of the nginx block");
    docs[start..end].to_owned()
}

/// The documented config with our port and replica sockets substituted.
fn test_config(port: u16, sockets: &[PathBuf; 2]) -> String {
    let documented = documented_config();
    let replacements = [
        ("listen 80;", format!("listen 127.0.0.1:{port};")),
        ("server 127.0.0.1:3000;", format!("server unix:{};", sockets[0].display())),
        ("server 127.0.0.1:3001;", format!("server unix:{};", sockets[1].display())),
    ];
    let mut config = documented.clone();
    for (from, to) in replacements {
        assert!(documented.contains(from), "docs/deploy.md's nginx block no longer contains `{from}`");
        config = config.replace(from, &to);
    }
    config
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status.lines().any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(1) == Some("0"))
    })
}

/// A whole nginx.conf around the documented block: one process, files in
/// `dir`, and a header naming the replica that answered.
fn nginx_conf(dir: &Path, server_block: &str) -> String {
    let d = dir.display();
    format!(
        "{user}daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         add_header X-Upstream $upstream_addr always;\n{server_block}\n}}\n",
        user = if is_root() { "user root root;\n" } else { "" },
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("free port").port()
}

fn start_replica(articles: &Path, socket: &Path, options: &[&str]) -> Guard {
    let child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--articles"])
        .arg(articles)
        .arg("--listen")
        .arg(format!("unix:{}", socket.display()))
        .args(options)
        .args(["--trusted-proxy", "127.0.0.1"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start broadsheet");
    Guard(child)
}

/// Whether the replica on `socket` answers a search (not "indexing…").
fn search_ready(socket: &Path) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::os::unix::net::UnixStream::connect(socket) else { return false };
    let request = "GET /search?q=news HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let mut reply = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut reply).is_ok()
        && reply.starts_with("HTTP/1.1 200")
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < Duration::from_secs(60), "{what} did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_behind_nginx_serve_the_site_under_a_prefix() {
    let Some(nginx) = nginx_binary() else {
        assert!(!e2e_required(), "BROADSHEET_E2E=1 but nginx is not installed (apt-get install -y nginx)");
        eprintln!("skipping: nginx is not installed (set BROADSHEET_E2E=1 to make this a failure)");
        return;
    };
    let articles = articles_dir(25);
    add_pictures(articles.path());
    let work = tempfile::tempdir().expect("temp dir");
    let cache = work.path().join("cache");
    let cache_dir = cache.to_str().expect("utf-8 path");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let base_url = format!("{origin}/news/");
    let sockets = [work.path().join("a.sock"), work.path().join("b.sock")];
    // One replica is told its public URL; the other learns it from the
    // forwarded headers of the documented config. Both must agree.
    let _replicas = [
        start_replica(articles.path(), &sockets[0], &["--base-url", &base_url, "--cache-dir", cache_dir]),
        start_replica(articles.path(), &sockets[1], &["--cache-dir", cache_dir]),
    ];
    for socket in &sockets {
        wait_until("a replica", || std::os::unix::net::UnixStream::connect(socket).is_ok());
        // The crawl visits search pages, which say 503 until indexing ends.
        wait_until("a replica's search index", || search_ready(socket));
    }
    let conf = work.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(work.path(), &test_config(port, &sockets))).expect("write nginx.conf");
    let nginx = Command::new(nginx)
        .arg("-p")
        .arg(work.path())
        .arg("-e")
        .arg(work.path().join("error.log"))
        .arg("-c")
        .arg(&conf)
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    let _nginx = Guard(nginx);
    wait_until("nginx", || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());

    let site = crawl(&origin, "/news/", "/news/").await;
    check_crawl(&site, &base_url);
    check_replicas_agree(&origin, site.pages.keys()).await;
    check_pictures(&origin).await;
    check_one_public_address(&origin).await;
}

/// Three ways an article has a picture: a photo beside a text article
/// (the seed), a relative image in a Markdown post, and a post's `image:`
/// front matter naming a root-relative file.
fn add_pictures(dir: &Path) {
    use crate::support::images::{jpeg, png};
    std::fs::write(dir.join(format!("{SEED_ID}.jpg")), jpeg(1200, 800)).expect("write");
    std::fs::create_dir_all(dir.join("blog/img")).expect("mkdir");
    std::fs::create_dir_all(dir.join("assets")).expect("mkdir");
    std::fs::write(
        dir.join("blog/chart.md"),
        "---\ntitle: A chart\n---\n\nSales.\n\n![Sales by month](img/chart.png)\n",
    )
    .expect("write");
    std::fs::write(dir.join("blog/img/chart.png"), png(1000, 500)).expect("write");
    std::fs::write(dir.join("blog/cover.md"), "---\ntitle: A cover\nimage: /assets/cover.jpg\n---\n\nText.\n")
        .expect("write");
    std::fs::write(dir.join("assets/cover.jpg"), jpeg(1600, 900)).expect("write");
}

/// Each article shows its picture through nginx, with a `srcset`, every
/// address under the prefix and answering with an image.
async fn check_pictures(origin: &str) {
    let client = reqwest::Client::new();
    for (page, picture) in [
        (format!("/news/articles/{SEED_ID}"), format!("/news/media/{SEED_ID}.jpg")),
        ("/news/articles/blog/chart".to_owned(), "/news/media/blog/img/chart.png".to_owned()),
        ("/news/articles/blog/cover".to_owned(), "/news/media/assets/cover.jpg".to_owned()),
    ] {
        let html = client.get(format!("{origin}{page}")).send().await.expect("page").text().await.expect("text");
        assert!(html.contains(&format!("<img src=\"{picture}\"")), "{page} does not show {picture}");
        let srcset = html.split("srcset=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a srcset");
        let addresses: Vec<&str> = srcset.split(", ").filter_map(|entry| entry.split(' ').next()).collect();
        assert!(addresses.len() >= 2 && addresses.iter().all(|url| url.starts_with("/news/media/")), "{srcset}");
        for url in std::iter::once(picture.as_str()).chain(addresses) {
            let reply = client.get(format!("{origin}{url}")).send().await.expect("image");
            assert_eq!(reply.status(), 200, "{url}");
            let kind = reply.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or("");
            assert!(kind.starts_with("image/"), "{url}: {kind}");
        }
    }
}

/// `/metrics` is denied, and a doubled prefix is not a second address of
/// every page.
async fn check_one_public_address(origin: &str) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let status = |path: String| {
        let client = client.clone();
        async move { client.get(format!("{origin}{path}")).send().await.expect("request").status().as_u16() }
    };
    assert_eq!(status("/news/metrics".to_owned()).await, 403, "/news/metrics is public");
    assert_eq!(status(format!("/news/articles/{SEED_ID}")).await, 200);
    assert_eq!(status(format!("/news/news/articles/{SEED_ID}")).await, 404, "a doubled prefix is an address");
}

fn check_crawl(site: &crate::support::Crawl, base_url: &str) {
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
}

/// Fetches every page until both replicas have answered it, and compares.
async fn check_replicas_agree<'a>(origin: &str, paths: impl Iterator<Item = &'a String>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    for path in paths {
        let mut answers: Vec<(String, Option<String>, Vec<u8>)> = Vec::new();
        for _ in 0..6 {
            let response = client.get(format!("{origin}{path}")).send().await.expect("request");
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (upstream, etag) = (header("x-upstream").unwrap_or_default(), header("etag"));
            let body = response.bytes().await.expect("body").to_vec();
            if answers.iter().all(|(seen, _, _)| *seen != upstream) {
                answers.push((upstream, etag, body));
            }
            if answers.len() == 2 {
                break;
            }
        }
        assert_eq!(answers.len(), 2, "{path} was never answered by both replicas");
        assert!(answers[0].1.is_some(), "{path} has no ETag");
        assert_eq!(answers[0].1, answers[1].1, "{path}: replicas disagree on the ETag");
        assert!(answers[0].2 == answers[1].2, "{path}: replicas sent different bodies");
    }
}
