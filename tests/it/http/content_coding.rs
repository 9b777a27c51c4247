//! `Accept-Encoding` through the real router: cached pages, pages rendered
//! afresh and responses the compression layer encodes (a 404 page) all
//! choose the same coding for the same header (RFC 9110 §12.5.3).

use crate::support::TestApp;
use crate::support::{SEED_ID, articles_dir, get};
use broadsheet::web::{HttpSettings, PageCache};

/// Each `Accept-Encoding` with the coding it must give; one that accepts
/// nothing we can send gets identity (the header is disregarded, not 406).
const CASES: &[(&str, &str)] = &[
    ("gzip;q=0, br;q=0, *", "identity"),
    ("br;Q=0, gzip", "gzip"),
    ("gzip;q=1.0, br;q=0.1", "gzip"),
    ("gzip, deflate, br", "br"),
    ("br;q=0.5, gzip;q=0.5", "br"),
    ("identity", "identity"),
    ("deflate", "identity"),
    ("*;q=0", "identity"),
    ("identity;q=0, *;q=0", "identity"),
];

fn coding(reply: &crate::support::Reply) -> String {
    assert!(reply.status.is_success() || reply.status == 404, "{reply:?}");
    reply.header("content-encoding").unwrap_or("identity").to_owned()
}

#[tokio::test]
async fn a_cached_page_a_fresh_page_and_a_404_agree_on_the_coding() {
    let dir = articles_dir(3);
    let cached = TestApp::over(dir.path())
        .http(HttpSettings { cache: PageCache::new(1 << 20), ..Default::default() })
        .build()
        .router;
    let uncached =
        TestApp::over(dir.path()).http(HttpSettings { cache: PageCache::new(0), ..Default::default() }).build().router;
    let article = format!("/articles/{SEED_ID}");
    for path in [article.as_str(), "/"] {
        // The second request stores the page; later ones are hits.
        for _ in 0..2 {
            assert_eq!(get(&cached, path, &[]).await.status, 200);
        }
    }
    for (accept, expected) in CASES {
        let headers = [("accept-encoding", *accept)];
        for path in [article.as_str(), "/"] {
            let hit = get(&cached, path, &headers).await;
            assert_eq!(coding(&hit), *expected, "cached {path}, Accept-Encoding: {accept}");
            let fresh = get(&uncached, path, &headers).await;
            assert_eq!(coding(&fresh), *expected, "uncached {path}, Accept-Encoding: {accept}");
        }
        let missing = get(&cached, "/no-such-page", &headers).await;
        assert_eq!(coding(&missing), *expected, "404 page, Accept-Encoding: {accept}");
    }
}

#[tokio::test]
async fn head_gives_the_coding_headers_of_get_on_responses_that_are_not_pages() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).build().router;
    for path in ["/no-such-page", "/healthz"] {
        for accept in ["br", "gzip", "identity"] {
            let get_reply = get(&app, path, &[("accept-encoding", accept)]).await;
            let request = axum::http::Request::head(path).header("accept-encoding", accept);
            let head = crate::support::send(&app, request.body(axum::body::Body::empty()).expect("request")).await;
            assert_eq!(head.status, get_reply.status, "{path} {accept}");
            assert!(head.body.is_empty(), "{path} {accept}: HEAD has no body");
            for name in ["content-encoding", "vary", "content-type"] {
                assert_eq!(head.header(name), get_reply.header(name), "{path} {accept}: {name}");
            }
            // A compressed body is streamed, without a length; a plain one
            // has its length (hyper adds it to the GET on the wire).
            let expected_length =
                get_reply.header("content-encoding").is_none().then(|| get_reply.body.len().to_string());
            assert_eq!(head.header("content-length"), expected_length.as_deref(), "{path} {accept}: length");
        }
    }
}
