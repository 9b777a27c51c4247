//! Behind a reverse proxy: the sub-path prefix with and without stripping,
//! forwarded headers from trusted and untrusted peers, the deployment page,
//! Unix sockets and `--print-config`.

use std::net::SocketAddr;

use crate::support::TestApp;
use crate::support::binary::Served;
use crate::support::{Reply, SEED_ID, articles_dir, get, links, send};
use axum::body::Body;
use axum::http::Request;
use broadsheet::web::HttpSettings;
use broadsheet::web::middleware::proxy::parse_trusted_proxy;
use broadsheet::web::middleware::{Peer, TrustedProxies};

fn trusting(networks: &[&str]) -> HttpSettings {
    let networks = networks.iter().map(|network| parse_trusted_proxy(network).expect("network")).collect();
    HttpSettings { trusted_proxies: TrustedProxies::new(networks), ..HttpSettings::default() }
}

/// A request as the server sees it from `peer`.
async fn get_from(app: &axum::Router, peer: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).expect("request");
    let address: SocketAddr = format!("{peer}:40000").parse().expect("address");
    request.extensions_mut().insert(Peer::Tcp(address));
    send(app, request).await
}

/// Links that are paths on this host (no fragments-only, no absolute URLs).
fn path_links(html: &str) -> Vec<String> {
    links(html).into_iter().filter(|link| !link.starts_with('#') && !link.contains("://")).collect()
}

fn canonical(html: &str) -> Option<String> {
    let start = html.find("<link rel=\"canonical\" href=\"")? + "<link rel=\"canonical\" href=\"".len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

#[tokio::test]
async fn the_site_works_with_and_without_the_prefix_in_the_path() {
    let dir = articles_dir(25);
    let app = TestApp::over(dir.path()).base("/news/").build().router;
    for prefix in ["/news", ""] {
        for path in ["/", "/?page=2", &format!("/articles/{SEED_ID}"), "/api/articles", "/healthz"] {
            let reply = get(&app, &format!("{prefix}{path}"), &[]).await;
            assert_eq!(reply.status, 200, "{prefix}{path}");
            for link in path_links(&reply.text()) {
                assert!(link.starts_with("/news/"), "{prefix}{path} links to {link} outside the prefix");
            }
        }
    }
    let api = get(&app, "/api/articles", &[]).await.text();
    assert!(api.contains(&format!("\"url\":\"/news/articles/{SEED_ID}\"")), "{api}");
    let bare = get(&app, "/news?page=2", &[]).await;
    assert_eq!((bare.status.as_u16(), bare.header("location")), (308, Some("/news/?page=2")));
    // Error pages link inside the prefix too.
    let missing = get(&app, "/news/nowhere", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(path_links(&missing.text()).iter().all(|link| link.starts_with("/news/")));
}

#[tokio::test]
async fn forwarded_headers_from_untrusted_peers_are_ignored() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).http(trusting(&["10.0.0.0/8"])).build().router;
    let forged =
        [("x-forwarded-host", "evil.example"), ("x-forwarded-proto", "https"), ("x-forwarded-prefix", "/evil")];
    for reply in [
        get_from(&app, "192.0.2.7", &format!("/articles/{SEED_ID}"), &forged).await,
        get(&app, &format!("/articles/{SEED_ID}"), &forged).await,
    ] {
        let html = reply.text();
        assert_eq!(canonical(&html).as_deref(), Some(format!("/articles/{SEED_ID}").as_str()));
        assert!(!html.contains("evil"), "forged forwarded headers leaked into the page");
    }
}

#[tokio::test]
async fn a_trusted_proxy_gives_the_public_origin_and_prefix() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).http(trusting(&["10.0.0.0/8"])).build().router;
    let headers = [
        ("x-forwarded-host", "example.org"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-prefix", "/news"),
        ("x-forwarded-for", "198.51.100.9"),
    ];
    let reply = get_from(&app, "10.1.2.3", &format!("/articles/{SEED_ID}"), &headers).await;
    let html = reply.text();
    assert_eq!(canonical(&html), Some(format!("https://example.org/news/articles/{SEED_ID}")));
    assert!(path_links(&html).iter().all(|link| link.starts_with("/news/")));
    // RFC 7239 `Forwarded` works as well, with the prefix still in the path.
    let rfc = [("forwarded", "for=198.51.100.9;proto=https;host=example.net"), ("x-forwarded-prefix", "/news")];
    let reply = get_from(&app, "10.1.2.3", &format!("/news/articles/{SEED_ID}"), &rfc).await;
    assert_eq!(canonical(&reply.text()), Some(format!("https://example.net/news/articles/{SEED_ID}")));
    // The page cache keeps the two public URLs apart from the direct one.
    let direct = get(&app, &format!("/articles/{SEED_ID}"), &[]).await;
    assert_eq!(canonical(&direct.text()), Some(format!("/articles/{SEED_ID}")));
}

#[tokio::test]
async fn a_configured_base_url_wins_over_forwarded_headers() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).base("https://example.org/news/").http(trusting(&["127.0.0.1"])).build().router;
    let headers = [("x-forwarded-host", "other.example"), ("x-forwarded-prefix", "/other")];
    let reply = get_from(&app, "127.0.0.1", &format!("/articles/{SEED_ID}"), &headers).await;
    assert_eq!(canonical(&reply.text()), Some(format!("https://example.org/news/articles/{SEED_ID}")));
}

#[tokio::test]
async fn the_deployment_page_shows_how_the_server_sees_the_request() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).http(trusting(&["10.0.0.0/8", "::1"])).build().router;
    let headers =
        [("x-forwarded-host", "example.org"), ("x-forwarded-proto", "https"), ("x-forwarded-for", "203.0.113.5")];
    let reply = get_from(&app, "10.0.0.1", "/about/deployment", &headers).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let html = reply.text();
    for expected in ["10.0.0.0/8, ::1/128", "https://example.org/", "honoured (trusted proxy)", "203.0.113.5"] {
        assert!(html.contains(expected), "deployment page lacks {expected}");
    }
    let untrusted = get_from(&app, "192.0.2.1", "/about/deployment", &headers).await.text();
    assert!(untrusted.contains("ignored (peer not trusted)") && !untrusted.contains("203.0.113.5"));
}

#[tokio::test]
async fn the_server_listens_on_a_unix_socket() {
    use broadsheet::web::server::{ListenAddress, Listener, ServerSettings, serve};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = articles_dir(0);
    let socket_dir = tempfile::tempdir().expect("temp dir");
    let path = socket_dir.path().join("broadsheet.sock");
    let listener = Listener::bind(&ListenAddress::Unix(path.clone())).await.expect("bind");
    let app = TestApp::over(dir.path()).build().router;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        serve(listener, app, &ServerSettings::default(), async move {
            let _ = stopped.await;
        })
        .await
    });
    let mut stream = tokio::net::UnixStream::connect(&path).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let _ = stop.send(());
    server.await.expect("join").expect("serve");
    assert!(!path.exists(), "the socket file is removed on shutdown");
}

#[test]
fn print_config_shows_the_public_url_prefix_and_trusted_proxies() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--print-config", "--base-url", "https://example.org/news/"])
        .args(["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "127.0.0.1", "--listen", "unix:/run/b.sock"])
        .output()
        .expect("run broadsheet");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "Configured public URL: https://example.org/news/",
        "Path prefix: /news/",
        "Trusted proxies: 10.0.0.0/8, 127.0.0.1/32",
        "Listen: unix:/run/b.sock",
    ] {
        assert!(text.contains(expected), "--print-config lacks “{expected}”:\n{text}");
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["serve", "--print-config", "--trusted-proxy", "not-a-network"])
        .output()
        .expect("run broadsheet");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not-a-network"));
}

#[test]
fn forwarded_headers_from_an_untrusted_peer_are_warned_about_once() {
    let dir = crate::support::articles_dir(1);
    let served = Served::start_capturing_stderr(&[
        "--watch".as_ref(),
        "off".as_ref(),
        "--articles".as_ref(),
        dir.path().as_os_str(),
    ]);
    let forwarded = "X-Forwarded-Proto: https\r\nX-Forwarded-Host: example.org\r\n";
    let reply = served.get_with("/", forwarded).expect("a reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(!reply.contains("https://example.org"), "headers from an untrusted peer were believed");
    served.get_with("/", forwarded).expect("a second reply");
    let log = served.stop();
    let warnings = log.lines().filter(|line| line.contains("not a trusted proxy")).collect::<Vec<_>>();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(warnings[0].contains("--trusted-proxy 127.0.0.1"), "{log}");
}
