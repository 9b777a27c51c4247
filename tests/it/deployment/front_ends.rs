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

/// What each front-end test runs: two replicas over the same articles, one
/// told its public URL, the other relying on the front end's forwarded
/// headers, each writing its access log in the work folder; then the front
/// end itself on `port`.
struct FrontEndSite {
    articles: tempfile::TempDir,
    work: tempfile::TempDir,
    port: u16,
    origin: String,
    upstreams: [Upstream; 2],
    _replicas: [Guard; 2],
    front_end: Option<Guard>,
}

/// Where the replicas listen.
enum Listen {
    Sockets,
    /// TCP, for front ends whose workers could not open a socket in a
    /// private folder (Apache) or that are simpler to give ports.
    Ports,
}

impl FrontEndSite {
    /// Starts the replicas; with `purge`, each sends PURGE to the front end.
    fn replicas(listen: Listen, purge: bool) -> Self {
        let articles = articles_dir(25);
        let work = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let origin = format!("http://127.0.0.1:{port}");
        let upstreams = match listen {
            Listen::Sockets => [work.path().join("a.sock"), work.path().join("b.sock")].map(Upstream::Socket),
            Listen::Ports => [free_port(), free_port()].map(Upstream::Port),
        };
        let base_url = format!("{origin}/news/");
        let start = |upstream: &Upstream, log: &str, base_url: Option<&str>| {
            let log = work.path().join(log).display().to_string();
            let mut options = vec!["--access-log", &log];
            options.extend(base_url.map(|url| ["--base-url", url]).into_iter().flatten());
            if purge {
                options.extend(["--purge-url", &origin]);
            }
            start_replica(articles.path(), upstream, &options)
        };
        let replicas = [start(&upstreams[0], "a.log", Some(&base_url)), start(&upstreams[1], "b.log", None)];
        Self { articles, work, port, origin, upstreams, _replicas: replicas, front_end: None }
    }

    /// `name` in the work folder.
    fn file(&self, name: &str) -> std::path::PathBuf {
        self.work.path().join(name)
    }

    /// Writes the front end's configuration file `name` with `text`.
    fn write(&self, name: &str, text: &str) -> std::path::PathBuf {
        let file = self.file(name);
        std::fs::write(&file, text).unwrap_or_else(|error| panic!("write {name}: {error}"));
        file
    }

    /// Starts the front end (its output discarded) and waits until it
    /// serves `/news/`.
    fn start_front_end(&mut self, name: &str, command: &mut Command) {
        let process = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn();
        self.front_end = Some(Guard(process.unwrap_or_else(|error| panic!("start {name}: {error}"))));
        wait_for_front_end(name, self.port, "/news/");
    }

    /// The checks every front end passes.
    async fn check(&self) {
        let site = crawl(&self.origin, "/news/", "/news/").await;
        check_crawl(&site, &format!("{}/news/", self.origin));
        check_transport(&self.origin).await;
        check_client_address(&self.origin, &[self.file("a.log"), self.file("b.log")]).await;
    }

    /// The replicas' socket paths or ports, to write into a configuration.
    fn upstream_addresses(&self) -> [String; 2] {
        self.upstreams.clone().map(|upstream| match upstream {
            Upstream::Socket(path) => path.display().to_string(),
            Upstream::Port(port) => port.to_string(),
        })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn caddy_serves_the_site_under_a_prefix_from_unix_sockets() {
    let Some(caddy) = tool("Caddy", "caddy", &["/usr/bin/caddy", "/usr/local/bin/caddy"]) else { return };
    let mut site = FrontEndSite::replicas(Listen::Sockets, false);
    let [a, b] = site.upstream_addresses();
    let block = documented(
        "caddyfile",
        &[
            ("example.org {", format!("http://127.0.0.1:{} {{", site.port)),
            ("reverse_proxy 127.0.0.1:3000 127.0.0.1:3001", format!("reverse_proxy unix/{a} unix/{b}")),
        ],
    );
    let work = site.work.path().display().to_string();
    let global = format!("{{\n\tadmin off\n\tauto_https off\n\tstorage file_system {work}\n}}\n\n");
    let config = site.write("Caddyfile", &format!("{global}{block}\n"));
    let mut command = Command::new(caddy);
    command.args(["run", "--adapter", "caddyfile", "--config"]).arg(config);
    command.env("HOME", &work).env("XDG_DATA_HOME", &work).env("XDG_CONFIG_HOME", &work);
    site.start_front_end("caddy", &mut command);
    site.check().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn haproxy_serves_the_site_under_a_prefix_from_unix_sockets() {
    let Some(haproxy) = tool("HAProxy", "haproxy", &["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]) else { return };
    let mut site = FrontEndSite::replicas(Listen::Sockets, false);
    let [a, b] = site.upstream_addresses();
    let proxies = documented(
        "haproxy",
        &[
            ("bind :80", format!("bind 127.0.0.1:{}", site.port)),
            ("server a 127.0.0.1:3000 check", format!("server a {a} check")),
            ("server b 127.0.0.1:3001 check", format!("server b {b} check")),
        ],
    );
    let defaults = "defaults\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n";
    let config = site.write("haproxy.cfg", &format!("{defaults}{proxies}\n"));
    site.start_front_end("haproxy", Command::new(haproxy).arg("-db").arg("-f").arg(config));
    site.check().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apache_serves_the_site_under_a_prefix() {
    let Some(apache) = tool("Apache httpd", "apache2", &["/usr/sbin/apache2", "/usr/sbin/httpd"]) else { return };
    // TCP: Apache's worker user could not open sockets in a private folder.
    let mut site = FrontEndSite::replicas(Listen::Ports, false);
    let [a, b] = site.upstream_addresses();
    let block = documented(
        "apache",
        &[
            ("BalancerMember \"http://127.0.0.1:3000\"", format!("BalancerMember \"http://127.0.0.1:{a}\"")),
            ("BalancerMember \"http://127.0.0.1:3001\"", format!("BalancerMember \"http://127.0.0.1:{b}\"")),
            ("X-Forwarded-Proto \"https\"", "X-Forwarded-Proto \"http\"".to_owned()),
        ],
    );
    let (dir, port) = (site.work.path().display().to_string(), site.port);
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
         Listen 127.0.0.1:{port}\n{modules}{user}<VirtualHost 127.0.0.1:{port}>\n{block}\n</VirtualHost>\n"
    );
    let file = site.write("httpd.conf", &config);
    site.start_front_end("apache", Command::new(apache).args(["-DFOREGROUND", "-f"]).arg(file));
    site.check().await;
}

/// Varnish in front of two replicas that purge it, with the documented VCL.
fn varnish_site(varnishd: &Path) -> FrontEndSite {
    let mut site = FrontEndSite::replicas(Listen::Ports, true);
    let [a, b] = site.upstream_addresses();
    let vcl = documented(
        "vcl",
        &[
            (".host = \"127.0.0.1\"; .port = \"3000\";", format!(".host = \"127.0.0.1\"; .port = \"{a}\";")),
            (".host = \"127.0.0.1\"; .port = \"3001\";", format!(".host = \"127.0.0.1\"; .port = \"{b}\";")),
        ],
    );
    let file = site.write("default.vcl", &vcl);
    let mut command = Command::new(varnishd);
    command.args(["-F", "-j", "none", "-p", "http_gzip_support=off", "-s", "malloc,32m", "-a"]);
    command.arg(format!("127.0.0.1:{}", site.port)).arg("-n").arg(site.file("state")).arg("-f").arg(file);
    site.start_front_end("varnish", &mut command);
    site
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
    let site = varnish_site(&varnishd);
    site.check().await;
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
