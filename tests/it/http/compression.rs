//! Compression no client can turn into a CPU sink: small bodies are never
//! compressed, a page's first copy is made at a fast level and a better one
//! once the page is popular, and query parameters a page does not read do
//! not make it a new page to render and compress.

use std::time::{Duration, Instant};

use crate::support::{SEED_ID, TestApp, articles_dir, get};

const BROTLI: [(&str, &str); 1] = [("accept-encoding", "br")];

#[tokio::test]
async fn bodies_under_256_bytes_are_never_compressed() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for path in ["/healthz", "/readyz", "/api/articles/no-such-article", "/api/articles?page=0"] {
        let reply = get(&app, path, &[("accept-encoding", "br, gzip")]).await;
        assert!(reply.body.len() < 256, "{path} is {} bytes", reply.body.len());
        assert_eq!(reply.header("content-encoding"), None, "{path}");
    }
    let large_error = get(&app, "/no-such-page", &BROTLI).await;
    assert_eq!(large_error.header("content-encoding"), Some("br"), "a full error page is compressed");
}

#[tokio::test]
async fn a_first_copy_is_fast_and_a_popular_page_gets_a_better_one() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let path = format!("/articles/{SEED_ID}");
    let first = get(&app, &path, &BROTLI).await;
    assert_eq!(first.header("content-encoding"), Some("br"));
    assert!(first.header("etag").is_some_and(|tag| tag.ends_with("-br-fast\"")), "{:?}", first.header("etag"));
    // Hits with query strings the page does not read are hits on the same
    // page: they make it popular.
    let started = Instant::now();
    let mut number = 0;
    loop {
        number += 1;
        let reply = get(&app, &format!("{path}?utm_source={number}"), &BROTLI).await;
        assert_eq!(reply.status, 200);
        if reply.header("etag").is_some_and(|tag| tag.ends_with("-br\"")) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no better copy after {number} requests");
        if number > 20 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(number >= 16, "a better copy after only {number} requests");
}

#[tokio::test]
async fn a_parameter_the_page_reads_still_makes_another_page() {
    let dir = articles_dir(45);
    let app = TestApp::over(dir.path()).build().router;
    for _ in 0..3 {
        let first = get(&app, "/?utm_source=a", &[]).await;
        let second = get(&app, "/?utm_source=b&page=2", &[]).await;
        assert_ne!(first.header("etag"), second.header("etag"));
        assert_eq!(first.header("etag"), get(&app, "/", &[]).await.header("etag"));
    }
}
