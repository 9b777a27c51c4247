//! Hardening: security headers, path traversal, limits, slow clients,
//! connection cap, graceful shutdown, health and metrics.

use std::time::Duration;

use crate::support::TestApp;
use crate::support::{RunningServer, SEED_ID, articles_dir, get, raw_request, raw_status};
use axum::routing::get as get_route;
use broadsheet::web::HttpSettings;
use broadsheet::web::server::ServerSettings;
use broadsheet::web::{metrics_router, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn assert_security_headers(reply: &crate::support::Reply, what: &str) {
    let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    for directive in ["default-src 'none'", "frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"] {
        assert!(csp.contains(directive), "{what}: CSP lacks {directive}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert!(reply.header("referrer-policy").is_some(), "{what}");
}

/// A path, request headers and the expected status.
type Case<'a> = (String, Vec<(&'a str, &'a str)>, u16);

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).base("/news/").build().router;
    let etag = get(&app, "/", &[]).await.header("etag").expect("etag").to_owned();
    let long = format!("/?q={}", "a".repeat(9000));
    let cases: Vec<Case> = vec![
        ("/".into(), vec![], 200),
        ("/".into(), vec![("if-none-match", etag.as_str())], 304),
        (format!("/articles/{SEED_ID}"), vec![("accept-encoding", "br")], 200),
        (format!("/articles/{SEED_ID}/"), vec![], 308),
        ("/news".into(), vec![], 308),
        ("/nowhere".into(), vec![], 404),
        ("/?page=abc".into(), vec![], 400),
        (long, vec![], 414),
        ("/api/articles".into(), vec![], 200),
        ("/api/articles/nope".into(), vec![], 404),
        (broadsheet::web::Site::new("t", "/news/").stylesheet_url, vec![], 200),
        ("/healthz".into(), vec![], 200),
        ("/metrics".into(), vec![], 200),
    ];
    for (path, headers, status) in cases {
        let reply = get(&app, &path, &headers).await;
        assert_eq!(reply.status, status, "{path}");
        assert_security_headers(&reply, &path);
    }
}

#[test]
fn templates_contain_no_inline_script_or_style() {
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&templates).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|extension| extension != "html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("template").to_ascii_lowercase();
        let name = entry.path().display();
        assert!(!text.contains("<style"), "{name} has a <style> element");
        assert!(!text.contains(" style="), "{name} has a style attribute");
        for (start, _) in text.match_indices("<script") {
            let tag = &text[start..start + text[start..].find('>').unwrap_or(0)];
            // JSON-LD is a data block the browser never runs, so the CSP's
            // script-src does not apply to it; anything else must be a file.
            let data_block = tag.contains(r#"type="application/ld+json""#);
            assert!(tag.contains(" src=") || data_block, "{name} has an inline script");
        }
        for handler in [" onclick=", " onload=", " onerror=", " onsubmit=", " onchange=", "javascript:"] {
            assert!(!text.contains(handler), "{name} has an inline handler {handler}");
        }
        checked += 1;
    }
    assert!(checked >= 4, "found only {checked} templates");
}

/// An articles directory with a symlinked file and folder pointing outside.
fn dir_with_escaping_symlinks() -> (tempfile::TempDir, tempfile::TempDir) {
    let articles = articles_dir(2);
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = "Secrets\n\nA secret outside the articles directory\n\nDo not serve this.\n";
    std::fs::write(outside.path().join("secret.txt"), secret).expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), articles.path().join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(outside.path(), articles.path().join("linked")).expect("symlink");
    (articles, outside)
}

#[tokio::test]
async fn no_path_escapes_the_articles_or_static_directory() {
    let (articles, _outside) = dir_with_escaping_symlinks();
    let server = RunningServer::start(TestApp::over(articles.path()).build().router, ServerSettings::default()).await;
    let targets = [
        "/static/../Cargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/..%5c..%5cCargo.toml",
        "/static/..\\..\\Cargo.toml",
        "/static/style.css",
        "/static/%00",
        "/static//etc/passwd",
        "/articles/../../etc/passwd",
        "/articles/..%2f..%2f..%2fetc%2fpasswd",
        "/articles/%2e%2e/%2e%2e/Cargo",
        "/articles/..\\..\\etc\\passwd",
        "/articles/%2fetc%2fpasswd",
        "/articles//etc/passwd",
        "/articles/C:%5cWindows%5cwin.ini",
        "/articles/000_3ea0f84f1e61d9e9%00",
        "/articles/000_3ea0f84f1e61d9e9%00.txt",
        "/articles/000_3ea0f84f1e61d9e9.txt",
        "/articles/leak",
        "/articles/linked/secret",
        "/api/articles/..%2f..%2fetc%2fpasswd",
        "/api/articles/leak",
        "//etc/passwd",
        "/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "http://evil.example/etc/passwd",
    ];
    for target in targets {
        let reply = raw_request(
            server.address,
            format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await;
        let status = raw_status(&reply);
        // 404 from the app; 400 only from the HTTP parser for a request line
        // that is not valid HTTP at all (it never reaches the app).
        let parser_rejected = status == 400 && !reply.to_ascii_lowercase().contains("content-security-policy");
        assert!(status == 404 || parser_rejected, "{target} got {status}:\n{reply}");
        assert!(!reply.contains("Do not serve this") && !reply.contains("root:"), "{target} leaked a file");
    }
    // Overlong UTF-8 dots are not UTF-8 at all: the path does not decode (400).
    let reply = raw_request(
        server.address,
        b"GET /articles/%c0%ae%c0%ae/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(matches!(raw_status(&reply), 400 | 404), "{reply}");
    // A NUL byte in the raw request line.
    let reply = raw_request(server.address, b"GET /articles/a\0b HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(matches!(raw_status(&reply), 400 | 404), "{reply}");
}

#[tokio::test]
async fn oversized_and_out_of_range_requests_get_4xx_pages() {
    let dir = articles_dir(25);
    let app = TestApp::over(dir.path()).build().router;
    let long_query = format!("/?page=1&q={}", "x".repeat(9000));
    let long_path = format!("/articles/{}", "a".repeat(9000));
    let cases = [
        (long_query.as_str(), 414),
        (long_path.as_str(), 414),
        ("/?page=99999999999999999999999999", 400),
        ("/?page=-1", 400),
        ("/?page=abc", 400),
        ("/?page=0", 400),
        ("/?page=1000000", 404),
        ("/api/articles?page=-3", 400),
        ("/api/articles?page=18446744073709551615", 404),
    ];
    for (path, status) in cases {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, status, "{}", &path[..path.len().min(60)]);
        let content_type = reply.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with("text/html") || content_type.starts_with("application/json"), "{path}");
    }
}

#[tokio::test]
async fn oversized_headers_get_431_over_the_wire() {
    let dir = articles_dir(0);
    let server = RunningServer::start(TestApp::over(dir.path()).build().router, ServerSettings::default()).await;
    let huge = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "b".repeat(64 * 1024));
    let status = raw_status(&raw_request(server.address, huge.as_bytes()).await);
    assert_eq!(status, 431);
    let normal = raw_request(server.address, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert_eq!(raw_status(&normal), 200);
}

#[tokio::test]
async fn slow_clients_do_not_pin_the_server() {
    let dir = articles_dir(0);
    let settings = ServerSettings { header_read_timeout: Duration::from_secs(1), ..ServerSettings::default() };
    let server = RunningServer::start(TestApp::over(dir.path()).build().router, settings).await;
    let mut slow = Vec::new();
    for _ in 0..30 {
        let mut stream = TcpStream::connect(server.address).await.expect("connect");
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.expect("send");
        slow.push(stream);
    }
    // Other clients are served while the slow ones dribble.
    let reply = reqwest::get(server.url("/")).await.expect("request");
    assert_eq!(reply.status(), 200);
    // And every slow client is cut off by the header read timeout; the
    // guard only keeps a broken server from hanging the test.
    for stream in &mut slow {
        let _ = stream.write_all(b"a").await;
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "a slow client was never disconnected");
        assert!(!String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 200"));
    }
}

#[tokio::test]
async fn the_connection_cap_holds_new_clients_until_a_slot_frees() {
    let dir = articles_dir(0);
    let settings =
        ServerSettings { max_connections: 2, header_read_timeout: Duration::from_secs(60), ..Default::default() };
    let server = RunningServer::start(TestApp::over(dir.path()).build().router, settings).await;
    let held = [
        TcpStream::connect(server.address).await.expect("connect"),
        TcpStream::connect(server.address).await.expect("connect"),
    ];
    let client = reqwest::Client::builder().timeout(Duration::from_millis(700)).build().expect("client");
    assert!(client.get(server.url("/")).send().await.is_err(), "a third connection was served beyond the cap");
    drop(held);
    let reply = reqwest::get(server.url("/")).await.expect("served once a slot is free");
    assert_eq!(reply.status(), 200);
}

#[tokio::test]
async fn shutdown_lets_requests_in_flight_finish() {
    let dir = articles_dir(0);
    let (started, mut started_rx) = tokio::sync::mpsc::channel::<()>(1);
    let slow = move || {
        let started = started.clone();
        async move {
            let _ = started.send(()).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            "finished"
        }
    };
    let app = TestApp::over(dir.path()).build().router.route("/slow", get_route(slow));
    let settings = ServerSettings { shutdown_grace: Duration::from_secs(30), ..Default::default() };
    let mut server = RunningServer::start(app, settings).await;
    let request = tokio::spawn(reqwest::get(server.url("/slow")));
    started_rx.recv().await.expect("the slow request started");
    server.begin_shutdown();
    let reply = request.await.expect("task").expect("the request in flight is answered");
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.expect("body"), "finished");
    tokio::time::timeout(Duration::from_secs(30), &mut server.task)
        .await
        .expect("server stopped")
        .expect("join")
        .expect("io");
    assert!(TcpStream::connect(server.address).await.is_err(), "still accepting after shutdown");
}

#[tokio::test]
async fn shutdown_gives_up_on_stuck_requests_after_the_grace_period() {
    let dir = articles_dir(0);
    let (started, mut started_rx) = tokio::sync::mpsc::channel::<()>(1);
    let stuck = move || {
        let started = started.clone();
        async move {
            let _ = started.send(()).await;
            std::future::pending::<&'static str>().await
        }
    };
    let app = TestApp::over(dir.path()).build().router.route("/stuck", get_route(stuck));
    let settings = ServerSettings { shutdown_grace: Duration::from_millis(200), ..Default::default() };
    let mut server = RunningServer::start(app, settings).await;
    let request = tokio::spawn(reqwest::get(server.url("/stuck")));
    started_rx.recv().await.expect("the stuck request started");
    server.begin_shutdown();
    tokio::time::timeout(Duration::from_secs(30), &mut server.task)
        .await
        .expect("server stopped")
        .expect("join")
        .expect("io");
    assert!(request.await.expect("task").is_err(), "the stuck request was cut off");
}

#[tokio::test]
async fn health_readiness_and_metrics_report_the_library() {
    let dir = articles_dir(4);
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    let app = TestApp::over(dir.path()).build().router;
    assert_eq!(
        get(&app, "/healthz", &[]).await.text(),
        r#"{"status":"ok","articles":5,"problems":1,"problems_url":"/problems"}"#
    );
    assert_eq!(get(&app, "/readyz", &[]).await.status, 200);
    get(&app, &format!("/articles/{SEED_ID}"), &[]).await;
    get(&app, &format!("/articles/{SEED_ID}"), &[]).await;
    get(&app, "/no/such/page", &[]).await;
    let metrics = get(&app, "/metrics", &[]).await;
    assert!(metrics.header("content-type").is_some_and(|value| value.contains("openmetrics-text")));
    let text = metrics.text();
    for expected in [
        r#"broadsheet_http_requests_total{route="/articles/{*id}",status="200"} 2"#,
        r#"broadsheet_http_requests_total{route="unmatched",status="404"} 1"#,
        r#"broadsheet_http_request_duration_seconds_count{route="/articles/{*id}",status="200"} 2"#,
        "broadsheet_articles_loaded 5",
        "broadsheet_load_problems 1",
        "broadsheet_last_reload_timestamp_seconds",
        "broadsheet_last_reload_duration_seconds",
    ] {
        assert!(text.contains(expected), "metrics lack {expected}:\n{text}");
    }
    assert!(!text.contains(SEED_ID), "raw URLs must not become labels");
}

#[tokio::test]
async fn metrics_can_move_to_a_separate_listener() {
    let dir = articles_dir(1);
    let app_state = TestApp::over(dir.path())
        .http(HttpSettings { metrics_on_main_router: false, ..HttpSettings::default() })
        .state();
    assert_eq!(get(&router(app_state.clone()), "/metrics", &[]).await.status, 404);
    let metrics = metrics_router(app_state);
    assert_eq!(get(&metrics, "/metrics", &[]).await.status, 200);
    assert_eq!(get(&metrics, "/", &[]).await.status, 404, "the separate listener serves no pages");
}

#[test]
fn the_number_of_request_threads_is_an_option_shown_in_the_config() {
    let print_config = |args: &[&str], threads_env: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.args(["serve", "--print-config"]).args(args).env_remove("BROADSHEET_THREADS");
        if let Some(threads) = threads_env {
            command.env("BROADSHEET_THREADS", threads);
        }
        command.output().expect("run broadsheet")
    };
    let one = print_config(&["--threads", "1"], None);
    assert!(String::from_utf8_lossy(&one.stdout).contains("Request threads: 1\n"), "{one:?}");
    let from_env = print_config(&[], Some("3"));
    assert!(String::from_utf8_lossy(&from_env.stdout).contains("Request threads: 3\n"), "{from_env:?}");
    let default = print_config(&[], None);
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    assert!(String::from_utf8_lossy(&default.stdout).contains(&format!("Request threads: {cpus}\n")), "{default:?}");
    let zero = print_config(&["--threads", "0"], None);
    assert!(!zero.status.success(), "zero request threads cannot serve anything");
}
