//! End to end through Debian's nginx, with the configuration from
//! `docs/deploy.md`: two Broadsheet replicas (the real binary, on Unix
//! sockets) behind one `upstream`, the site under `/news/` — one replica
//! started with `--base-url`, the other relying on forwarded headers.
//!
//! Skipped with a notice when nginx is not installed, unless
//! `BROADSHEET_E2E=1`, which makes a missing nginx a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::harness::{
    Guard, Upstream, check_client_address, check_crawl, check_transport, documented, free_port, is_root, start_replica,
    tool, wait_until,
};
use crate::support::{SEED_ID, articles_dir, crawl};

/// The documented config with our port and replica sockets substituted.
fn test_config(port: u16, sockets: &[PathBuf; 2]) -> String {
    documented(
        "nginx",
        &[
            ("listen 80;", format!("listen 127.0.0.1:{port};")),
            ("server 127.0.0.1:3000;", format!("server unix:{};", sockets[0].display())),
            ("server 127.0.0.1:3001;", format!("server unix:{};", sockets[1].display())),
        ],
    )
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

#[tokio::test(flavor = "multi_thread")]
async fn two_replicas_behind_nginx_serve_the_site_under_a_prefix() {
    let candidates = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"];
    let Some(nginx) = tool("nginx", "nginx", &candidates) else { return };
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
    let upstreams = sockets.clone().map(Upstream::Socket);
    let logs = ["a.log", "b.log"].map(|name| work.path().join(name).display().to_string());
    let _replicas = [
        start_replica(
            articles.path(),
            &upstreams[0],
            &["--base-url", &base_url, "--cache-dir", cache_dir, "--access-log", &logs[0]],
        ),
        start_replica(articles.path(), &upstreams[1], &["--cache-dir", cache_dir, "--access-log", &logs[1]]),
    ];
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
    check_transport(&origin).await;
    check_client_address(&origin, &logs.map(PathBuf::from)).await;
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
