//! End to end through the other front ends operators run — Caddy, Apache
//! httpd and HAProxy, from Debian's packages — each with its configuration
//! from `docs/deploy.md`, in front of two replicas of the real binary, the
//! site under `/news/`: a crawl stays under the prefix with the public
//! scheme and host, and validators, content coding and `Vary` pass through.
//!
//! Each skips with a notice when its front end is not installed, unless
//! `BROADSHEET_E2E=1`, which makes a missing one a failure.

use std::path::Path;
use std::process::{Command, Stdio};

use super::harness::{
    Guard, Upstream, check_client_address, check_crawl, check_transport, documented, free_port, is_root, start_replica,
    tool, wait_for_front_end,
};
use crate::support::{articles_dir, crawl};

/// Two replicas on `upstreams`, one told its public URL, the other relying
/// on the front end's forwarded headers, each writing its access log in
/// `logs`.
fn replicas(articles: &Path, upstreams: &[Upstream; 2], base_url: &str, logs: &Path) -> [Guard; 2] {
    let log = |name: &str| logs.join(name).display().to_string();
    [
        start_replica(articles, &upstreams[0], &["--base-url", base_url, "--access-log", &log("a.log")]),
        start_replica(articles, &upstreams[1], &["--access-log", &log("b.log")]),
    ]
}

/// The checks every front end passes, at `origin`, with replicas logging
/// in `logs`.
async fn check_front_end(origin: &str, logs: &Path) {
    let base_url = format!("{origin}/news/");
    let site = crawl(origin, "/news/", "/news/").await;
    check_crawl(&site, &base_url);
    check_transport(origin).await;
    check_client_address(origin, &[logs.join("a.log"), logs.join("b.log")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn caddy_serves_the_site_under_a_prefix_from_unix_sockets() {
    let Some(caddy) = tool("Caddy", "caddy", &["/usr/bin/caddy", "/usr/local/bin/caddy"]) else { return };
    let articles = articles_dir(25);
    let work = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let sockets = [work.path().join("a.sock"), work.path().join("b.sock")];
    let upstreams = sockets.clone().map(Upstream::Socket);
    let _replicas = replicas(articles.path(), &upstreams, &format!("{origin}/news/"), work.path());
    let site = documented(
        "caddyfile",
        &[
            ("example.org {", format!("http://127.0.0.1:{port} {{")),
            (
                "reverse_proxy 127.0.0.1:3000 127.0.0.1:3001",
                format!("reverse_proxy unix/{} unix/{}", sockets[0].display(), sockets[1].display()),
            ),
        ],
    );
    let config = work.path().join("Caddyfile");
    std::fs::write(
        &config,
        format!("{{\n\tadmin off\n\tauto_https off\n\tstorage file_system {}\n}}\n\n{site}\n", work.path().display()),
    )
    .expect("write Caddyfile");
    let process = Command::new(caddy)
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&config)
        .env("HOME", work.path())
        .env("XDG_DATA_HOME", work.path())
        .env("XDG_CONFIG_HOME", work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start caddy");
    let _caddy = Guard(process);
    wait_for_front_end("caddy", port, "/news/");
    check_front_end(&origin, work.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn haproxy_serves_the_site_under_a_prefix_from_unix_sockets() {
    let Some(haproxy) = tool("HAProxy", "haproxy", &["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]) else { return };
    let articles = articles_dir(25);
    let work = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let sockets = [work.path().join("a.sock"), work.path().join("b.sock")];
    let upstreams = sockets.clone().map(Upstream::Socket);
    let _replicas = replicas(articles.path(), &upstreams, &format!("{origin}/news/"), work.path());
    let proxies = documented(
        "haproxy",
        &[
            ("bind :80", format!("bind 127.0.0.1:{port}")),
            ("server a 127.0.0.1:3000 check", format!("server a {} check", sockets[0].display())),
            ("server b 127.0.0.1:3001 check", format!("server b {} check", sockets[1].display())),
        ],
    );
    let config = work.path().join("haproxy.cfg");
    let defaults = "defaults\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n";
    std::fs::write(&config, format!("{defaults}{proxies}\n")).expect("write haproxy.cfg");
    let process = Command::new(haproxy)
        .arg("-db")
        .arg("-f")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start haproxy");
    let _haproxy = Guard(process);
    wait_for_front_end("haproxy", port, "/news/");
    check_front_end(&origin, work.path()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apache_serves_the_site_under_a_prefix() {
    let Some(apache) = tool("Apache httpd", "apache2", &["/usr/sbin/apache2", "/usr/sbin/httpd"]) else { return };
    let articles = articles_dir(25);
    let work = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    // TCP: Apache's worker user could not open sockets in a private folder.
    let ports = [free_port(), free_port()];
    let upstreams = ports.map(Upstream::Port);
    let _replicas = replicas(articles.path(), &upstreams, &format!("{origin}/news/"), work.path());
    let site = documented(
        "apache",
        &[
            ("BalancerMember \"http://127.0.0.1:3000\"", format!("BalancerMember \"http://127.0.0.1:{}\"", ports[0])),
            ("BalancerMember \"http://127.0.0.1:3001\"", format!("BalancerMember \"http://127.0.0.1:{}\"", ports[1])),
            ("X-Forwarded-Proto \"https\"", "X-Forwarded-Proto \"http\"".to_owned()),
        ],
    );
    let dir = work.path().display();
    let modules = [
        "mpm_event",
        "authz_core",
        "alias",
        "headers",
        "proxy",
        "proxy_http",
        "proxy_balancer",
        "lbmethod_byrequests",
        "slotmem_shm",
    ]
    .map(|module| format!("LoadModule {module}_module /usr/lib/apache2/modules/mod_{module}.so\n"))
    .concat();
    let user = if is_root() { "User www-data\nGroup www-data\n" } else { "" };
    let config = format!(
        "ServerRoot {dir}\nDefaultRuntimeDir {dir}\nPidFile {dir}/httpd.pid\nErrorLog {dir}/error.log\nServerName 127.0.0.1\n\
         Listen 127.0.0.1:{port}\n{modules}{user}<VirtualHost 127.0.0.1:{port}>\n{site}\n</VirtualHost>\n"
    );
    let file = work.path().join("httpd.conf");
    std::fs::write(&file, config).expect("write httpd.conf");
    let process = Command::new(apache)
        .args(["-DFOREGROUND", "-f"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start apache");
    let _apache = Guard(process);
    wait_for_front_end("apache", port, "/news/");
    check_front_end(&origin, work.path()).await;
}

/// The Varnish test's two replicas and the cache in front of them.
struct VarnishSite {
    origin: String,
    articles: tempfile::TempDir,
    _replicas: [Guard; 2],
    _varnish: Guard,
    work: tempfile::TempDir,
}

impl VarnishSite {
    fn start(varnishd: &Path) -> Self {
        let articles = articles_dir(25);
        let work = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let origin = format!("http://127.0.0.1:{port}");
        let ports = [free_port(), free_port()];
        let purge = format!("http://127.0.0.1:{port}");
        let base_url = format!("{origin}/news/");
        let log = |name: &str| work.path().join(name).display().to_string();
        let replicas = [
            start_replica(
                articles.path(),
                &Upstream::Port(ports[0]),
                &["--base-url", &base_url, "--purge-url", &purge, "--access-log", &log("a.log")],
            ),
            start_replica(
                articles.path(),
                &Upstream::Port(ports[1]),
                &["--purge-url", &purge, "--access-log", &log("b.log")],
            ),
        ];
        let vcl = documented(
            "vcl",
            &[
                (
                    ".host = \"127.0.0.1\"; .port = \"3000\";",
                    format!(".host = \"127.0.0.1\"; .port = \"{}\";", ports[0]),
                ),
                (
                    ".host = \"127.0.0.1\"; .port = \"3001\";",
                    format!(".host = \"127.0.0.1\"; .port = \"{}\";", ports[1]),
                ),
            ],
        );
        let file = work.path().join("default.vcl");
        std::fs::write(&file, vcl).expect("write VCL");
        let process = Command::new(varnishd)
            .args(["-F", "-j", "none", "-p", "http_gzip_support=off", "-s", "malloc,32m", "-a"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-n")
            .arg(work.path().join("state"))
            .arg("-f")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start varnishd");
        let varnish = Guard(process);
        wait_for_front_end("varnish", port, "/news/");
        Self { origin, articles, _replicas: replicas, _varnish: varnish, work }
    }
}

async fn get_text(client: &reqwest::Client, url: &str) -> (String, String) {
    let reply = client.get(url).send().await.expect("request");
    let hits = reply.headers().get("x-varnish").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (hits, reply.text().await.expect("text"))
}

#[tokio::test(flavor = "multi_thread")]
async fn varnish_in_front_of_two_replicas_caches_correctly_and_shows_edits() {
    let Some(varnishd) = tool("Varnish", "varnish", &["/usr/sbin/varnishd", "/usr/local/sbin/varnishd"]) else {
        return;
    };
    let site = VarnishSite::start(&varnishd);
    check_front_end(&site.origin, site.work.path()).await;
    let client = reqwest::Client::new();
    // A page is served from the cache the second time (two ids: a hit);
    // health and readiness never are.
    let page = format!("{}/news/articles/001_test", site.origin);
    let from_list = format!("{page}?from=section:business");
    for url in [&page, &from_list] {
        get_text(&client, url).await;
        let (hits, _) = get_text(&client, url).await;
        assert_eq!(hits.split_whitespace().count(), 2, "{url} was not a cache hit: {hits}");
    }
    for path in ["/news/healthz", "/news/readyz"] {
        for _ in 0..2 {
            let (hits, _) = get_text(&client, &format!("{}{path}", site.origin)).await;
            assert_eq!(hits.split_whitespace().count(), 1, "{path} came from the cache");
        }
    }
    // An edit: the page itself is purged at once; a URL the purge does not
    // name shows it within the documented 10 s.
    let file = site.articles.path().join("001_test.txt");
    let text = std::fs::read_to_string(&file).expect("article").replace("Second paragraph.", "An edited paragraph.");
    std::fs::write(&file, text).expect("edit");
    let edited = std::time::Instant::now();
    let shows_edit = |body: &str| body.contains("An edited paragraph.");
    while !shows_edit(&get_text(&client, &page).await.1) {
        assert!(edited.elapsed() < std::time::Duration::from_secs(3), "the purged page still shows the old text");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let purged_after = edited.elapsed();
    while !shows_edit(&get_text(&client, &from_list).await.1) {
        assert!(edited.elapsed() < std::time::Duration::from_secs(13), "not shown within the cache's 10 s");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    println!("edit shown after {purged_after:?} (purged), {:?} (expired)", edited.elapsed());
}
