//! RFC 9110 details through the real router: preconditions in §13.2.2
//! order (412), an `Accept-Encoding` that refuses everything, methods
//! (OPTIONS, 405, 501), errors under `/api/` in JSON, and how long errors
//! may be cached.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;

use crate::support::{Reply, RunningServer, SEED_ID, TestApp, articles_dir, get, raw_request, raw_status, send};
use broadsheet::library::LoadOptions;
use broadsheet::web::server::ServerSettings;

/// The seed article's page, its ETag and `Last-Modified`.
async fn seed_validators(app: &axum::Router) -> (String, String, String) {
    let path = format!("/articles/{SEED_ID}");
    let reply = get(app, &path, &[]).await;
    let etag = reply.header("etag").expect("an ETag").to_owned();
    let modified = reply.header("last-modified").expect("a Last-Modified").to_owned();
    (path, etag, modified)
}

/// Request headers, the status they must get, and what the case shows.
type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

#[tokio::test]
async fn if_match_and_if_unmodified_since_are_evaluated_in_rfc_9110_order() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let (path, etag, modified) = seed_validators(&app).await;
    let weak = format!("W/{etag}");
    let cases: &[Case] = &[
        (&[("if-match", &etag)], 200, "the current tag"),
        (&[("if-match", "*")], 200, "any tag"),
        (&[("if-match", "\"other\", *")], 200, "a list with *"),
        (&[("if-match", "\"other\"")], 412, "another tag"),
        (&[("if-match", &weak)], 412, "a weak tag never matches strongly"),
        (&[("if-unmodified-since", "Mon, 01 Jan 2001 00:00:00 GMT")], 412, "modified since"),
        (&[("if-unmodified-since", &modified)], 200, "not modified since"),
        (&[("if-unmodified-since", "not a date")], 200, "an invalid date is ignored"),
        // Step 1 decides when If-Match is there: If-Unmodified-Since is not read.
        (&[("if-match", &etag), ("if-unmodified-since", "Mon, 01 Jan 2001 00:00:00 GMT")], 200, "If-Match first"),
        // Steps 1 and 2 come before 3 and 4: 412 wins over 304.
        (&[("if-match", "\"other\""), ("if-none-match", &etag)], 412, "412 before 304"),
        (&[("if-match", &etag), ("if-none-match", &etag)], 304, "then 304"),
        (&[("if-unmodified-since", &modified), ("if-modified-since", &modified)], 304, "then 304 by date"),
    ];
    // Twice over: rendered by the stack, then with the page in the cache.
    for round in 0..2 {
        for (headers, status, what) in cases {
            let reply = get(&app, &path, headers).await;
            assert_eq!(reply.status, *status, "round {round}, {what}");
        }
        get(&app, &path, &[]).await;
    }
}

#[tokio::test]
async fn a_failed_precondition_is_an_error_page_and_under_the_api_json() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let refused = get(&app, "/sections", &[("if-match", "\"other\"")]).await;
    assert_eq!(refused.status, 412);
    assert!(refused.header("content-type").is_some_and(|value| value.starts_with("text/html")));
    assert!(refused.header("etag").is_none(), "a 412 has no ETag");
    let api = get(&app, "/api/articles", &[("if-match", "\"other\"")]).await;
    assert_json_error(&api, 412);
    // Preconditions do not turn a 404 into a 412 (§13.2.1).
    assert_eq!(get(&app, "/no-such-page", &[("if-match", "*")]).await.status, 404);
    // A response without validators: only If-Match: * holds.
    assert_eq!(get(&app, "/healthz", &[("if-match", "*")]).await.status, 200);
    assert_eq!(get(&app, "/healthz", &[("if-match", "\"x\"")]).await.status, 412);
}

#[tokio::test]
async fn a_client_that_refuses_every_coding_gets_identity_not_the_200s_validators_on_an_error() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let (path, etag, _) = seed_validators(&app).await;
    for refuse in ["identity;q=0, *;q=0", "*;q=0"] {
        for round in 0..3 {
            let reply = get(&app, &path, &[("accept-encoding", refuse)]).await;
            assert_eq!(reply.status, 200, "{refuse}, round {round}");
            assert_eq!(reply.header("content-encoding"), None, "{refuse}");
            assert_eq!(reply.header("etag"), Some(etag.as_str()), "the identity body's own tag");
        }
    }
}

fn request(method: &str, path: &str) -> Request<Body> {
    Request::builder().method(method).uri(path).body(Body::empty()).expect("request")
}

#[tokio::test]
async fn options_unknown_and_disallowed_methods_are_answered_by_the_rules() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for path in ["/", "/sections", "/api/articles", "/no-such-page"] {
        let options = send(&app, request("OPTIONS", path)).await;
        assert_eq!(options.status, 204, "OPTIONS {path}");
        assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS"), "OPTIONS {path}");
        assert!(options.body.is_empty());
        let brew = send(&app, request("BREW", path)).await;
        assert_eq!(brew.status, 501, "BREW {path}");
        let post = send(&app, request("POST", path)).await;
        if path != "/no-such-page" {
            assert_eq!(post.status, 405, "POST {path}");
            assert_eq!(post.header("allow"), Some("GET, HEAD, OPTIONS"), "POST {path}");
        }
    }
    assert_json_error(&send(&app, request("BREW", "/api/articles")).await, 501);
    assert_json_error(&send(&app, request("DELETE", "/api/articles")).await, 405);
}

#[tokio::test]
async fn options_asterisk_over_the_wire_is_not_an_html_404() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).build().router;
    let server = RunningServer::start(app, ServerSettings::default()).await;
    let reply = raw_request(server.address, b"OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").await;
    assert_eq!(raw_status(&reply), 204, "{reply}");
    assert!(reply.to_ascii_lowercase().contains("allow: get, head, options"), "{reply}");
    assert!(!reply.contains("<html"), "{reply}");
}

/// `{"error": {"status": N, "message": "..."}}`, with a human message.
pub(super) fn assert_json_error(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert!(reply.header("content-type").is_some_and(|value| value.starts_with("application/json")), "{reply:?}");
    let body: serde_json::Value = serde_json::from_slice(&reply.body).expect("a JSON body");
    assert_eq!(body["error"]["status"], status, "{body}");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(!message.is_empty() && !message.to_lowercase().contains("deserialize"), "{message}");
    assert_eq!(body.as_object().map(|object| object.len()), Some(1), "one key: {body}");
}

#[tokio::test]
async fn errors_under_the_api_are_json_of_one_shape() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for (path, status) in [
        ("/api/no-such-thing", 404),
        ("/api/articles/no-such-article", 404),
        ("/api/articles?page=abc", 400),
        ("/api/articles?page=0", 400),
        ("/api/articles?page=999", 404),
        ("/api/search?q=a&q=b", 400),
        ("/api/search?q=headline&page=x", 400),
    ] {
        assert_json_error(&get(&app, path, &[]).await, status);
    }
}

#[tokio::test]
async fn not_found_and_gone_may_be_cached_only_briefly() {
    let dir = articles_dir(3);
    let TestApp { state, router: app } = TestApp::over(dir.path()).build();
    std::fs::remove_file(dir.path().join("001_test.txt")).expect("delete");
    let next = state.library.load().apply(dir.path(), &LoadOptions::default(), [PathBuf::from("001_test.txt")]);
    state.library.store(Arc::new(next.expect("a reload").library));
    for (path, status) in [
        ("/no-such-page", 404),
        ("/articles/no-such-article", 404),
        ("/api/articles/no-such-article", 404),
        ("/articles/001_test", 410),
        ("/api/articles/001_test", 410),
    ] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, status, "{path}");
        let cache_control = reply.header("cache-control").unwrap_or_else(|| panic!("{path}: no Cache-Control"));
        let max_age = cache_control.split("max-age=").nth(1).and_then(|rest| rest.split(',').next()?.parse().ok());
        assert!(max_age.is_some_and(|seconds: u32| seconds <= 60), "{path}: {cache_control}");
    }
}
