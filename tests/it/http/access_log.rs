//! The access log over a real socket: one line per request, cache hits
//! included, with the client as the trusted proxy chain gives it, in text
//! or JSON, written off the request path, reopened for logrotate.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use broadsheet::web::middleware::access_log::{AccessLog, Destination, LogFormat};
use broadsheet::web::middleware::{TrustedProxies, proxy::parse_trusted_proxy};
use broadsheet::web::server::ServerSettings;
use broadsheet::web::{HttpSettings, app};

use crate::support::{RunningServer, SEED_ID, TestApp, articles_dir, get};

/// A server whose access log goes to `file`, trusting 127.0.0.1 as a proxy.
async fn logged_server(articles: &Path, file: &Path, format: LogFormat) -> (RunningServer, AccessLog) {
    let trusted = TrustedProxies::new(vec![parse_trusted_proxy("127.0.0.1").expect("an address")]);
    let state = TestApp::over(articles).http(HttpSettings { trusted_proxies: trusted, ..Default::default() }).state();
    let log = AccessLog::start(&Destination::File(file.to_owned()), format).expect("open the log").expect("a log");
    let router = Router::new().fallback_service(app(state).with_access_log(Some(log.clone())));
    (RunningServer::start(router, ServerSettings::default()).await, log)
}

/// The log's lines once there are at least `count`.
async fn lines(file: &Path, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.len() >= count {
            return lines;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "only {} lines: {text}", lines.len());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

#[tokio::test]
async fn every_request_hit_or_routed_is_one_text_line_with_its_fields() {
    let (articles, logs) = (articles_dir(3), tempfile::tempdir().expect("temp dir"));
    let file = logs.path().join("access.log");
    let (server, _log) = logged_server(articles.path(), &file, LogFormat::Text).await;
    let article = format!("/articles/{SEED_ID}");
    // Rendered in front, then routed and stored, then a cache hit; a 404.
    for path in [article.as_str(), article.as_str(), article.as_str(), "/no-such-page?x=\"y\""] {
        client()
            .get(server.url(path))
            .header("x-forwarded-for", "203.0.113.9")
            .header("referer", "https://example.org/from")
            .header("user-agent", "tester/1.0 \"quoted\"")
            .send()
            .await
            .expect("request");
    }
    let lines = lines(&file, 4).await;
    assert_eq!(lines.len(), 4, "one line per request: {lines:#?}");
    for line in &lines[..3] {
        assert!(line.contains(&format!(" 203.0.113.9 \"GET {article} HTTP/1.1\" 200 ")), "{line}");
        assert!(line.contains("\"https://example.org/from\" \"tester/1.0 \\\"quoted\\\"\""), "{line}");
    }
    assert!(lines[3].contains(" 203.0.113.9 \"GET /no-such-page?x=%22y%22 HTTP/1.1\" 404 "), "{}", lines[3]);
    let ids: std::collections::HashSet<_> = lines.iter().filter_map(|line| line.rsplit(' ').next()).collect();
    assert_eq!(ids.len(), 4, "a request id each: {lines:#?}");
}

#[tokio::test]
async fn json_lines_are_objects_with_the_fields_an_operator_expects() {
    let (articles, logs) = (articles_dir(3), tempfile::tempdir().expect("temp dir"));
    let file = logs.path().join("access.json");
    let (server, _log) = logged_server(articles.path(), &file, LogFormat::Json).await;
    client().get(server.url("/sections?page=1")).header("x-request-id", "edge-42").send().await.expect("request");
    let line = lines(&file, 1).await.remove(0);
    let entry: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(entry["method"], "GET");
    assert_eq!(entry["path"], "/sections?page=1");
    assert_eq!(entry["status"], 200);
    assert_eq!(entry["client"], "127.0.0.1");
    assert_eq!(entry["request_id"], "edge-42", "a trusted proxy's id is kept");
    assert!(entry["bytes"].as_u64().is_some_and(|bytes| bytes > 0), "{entry}");
    assert!(entry["duration_seconds"].as_f64().is_some_and(|seconds| seconds < 5.0), "{entry}");
    assert!(entry["time"].as_str().is_some_and(|time| time.parse::<jiff::Timestamp>().is_ok()), "{entry}");
}

#[tokio::test]
async fn the_log_is_reopened_after_logrotate_moved_it() {
    let (articles, logs) = (articles_dir(0), tempfile::tempdir().expect("temp dir"));
    let file = logs.path().join("access.log");
    let (server, log) = logged_server(articles.path(), &file, LogFormat::Text).await;
    client().get(server.url("/healthz")).send().await.expect("request");
    lines(&file, 1).await;
    std::fs::rename(&file, logs.path().join("access.log.1")).expect("rotate");
    log.reopen();
    client().get(server.url("/readyz")).send().await.expect("request");
    let reopened = lines(&file, 1).await;
    assert!(reopened[0].contains("/readyz"), "{reopened:?}");
}

#[tokio::test]
async fn dropped_lines_are_counted_in_metrics() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).build().router;
    let metrics = get(&app, "/metrics", &[]).await.text();
    assert!(metrics.contains("broadsheet_access_log_dropped_lines_total"), "{metrics}");
}
