//! HTTP caching through the real router: ETag and 304, Last-Modified and
//! If-Modified-Since, HEAD, compression, Cache-Control, canonical URLs and
//! redirects, and the page cache following library snapshots.

use std::io::Read;

use crate::support::TestApp;
use crate::support::{SEED_ID, articles_dir, get};
use broadsheet::library::load_dir;
use broadsheet::web::{HttpSettings, PageCache};

fn settings_with_cache(bytes: u64) -> HttpSettings {
    HttpSettings { cache: PageCache::new(bytes), ..HttpSettings::default() }
}

/// Every kind of cacheable response: pages, API, assets.
fn cacheable_paths() -> Vec<String> {
    vec![
        "/".into(),
        "/?page=2".into(),
        format!("/articles/{SEED_ID}"),
        "/articles/regional/005_test".into(),
        "/api/articles".into(),
        format!("/api/articles/{SEED_ID}"),
    ]
}

#[tokio::test]
async fn two_instances_give_identical_strong_etags_and_bodies() {
    let dir = articles_dir(25);
    let first =
        TestApp::over(dir.path()).base("https://example.org/news/").http(settings_with_cache(1 << 20)).build().router;
    // The second instance does not cache, so its tags are computed afresh.
    let second =
        TestApp::over(dir.path()).base("https://example.org/news/").http(settings_with_cache(0)).build().router;
    for path in cacheable_paths() {
        let (a, b) = (get(&first, &path, &[]).await, get(&second, &path, &[]).await);
        assert_eq!(a.status, 200, "{path}");
        let etag = a.header("etag").unwrap_or_else(|| panic!("{path} has no ETag"));
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{path}: {etag} is not a strong tag");
        assert_eq!(a.header("etag"), b.header("etag"), "{path}");
        assert_eq!(a.body, b.body, "{path}");
    }
}

#[tokio::test]
async fn a_matching_if_none_match_gets_304_without_a_body() {
    let dir = articles_dir(25);
    for cache in [0, 1 << 20] {
        let app = TestApp::over(dir.path()).http(settings_with_cache(cache)).build().router;
        for path in cacheable_paths() {
            let first = get(&app, &path, &[]).await;
            let etag = first.header("etag").expect("etag").to_owned();
            let second = get(&app, &path, &[("if-none-match", &etag)]).await;
            assert_eq!(second.status, 304, "{path} (cache {cache})");
            assert!(second.body.is_empty(), "{path}: a 304 has no body");
            assert_eq!(second.header("etag"), Some(etag.as_str()));
            let other = get(&app, &path, &[("if-none-match", "\"something-else\"")]).await;
            assert_eq!(other.status, 200, "{path}");
            assert_eq!(other.body, first.body);
        }
    }
}

#[tokio::test]
async fn article_pages_carry_last_modified_and_honour_if_modified_since() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).build().router;
    let page = get(&app, &format!("/articles/{SEED_ID}"), &[]).await;
    let last_modified = page.header("last-modified").expect("Last-Modified on an article").to_owned();
    let modified = httpdate::parse_http_date(&last_modified).expect("an HTTP date");
    let unchanged = get(&app, &format!("/articles/{SEED_ID}"), &[("if-modified-since", &last_modified)]).await;
    assert_eq!(unchanged.status, 304);
    let earlier = httpdate::fmt_http_date(modified - std::time::Duration::from_secs(3600));
    let changed = get(&app, &format!("/articles/{SEED_ID}"), &[("if-modified-since", &earlier)]).await;
    assert_eq!(changed.status, 200);
    // If-None-Match wins over If-Modified-Since.
    let both = get(
        &app,
        &format!("/articles/{SEED_ID}"),
        &[("if-modified-since", &last_modified), ("if-none-match", "\"x\"")],
    )
    .await;
    assert_eq!(both.status, 200);
}

#[tokio::test]
async fn head_gives_the_get_headers_without_a_body() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for path in cacheable_paths().into_iter().take(1).chain([format!("/articles/{SEED_ID}"), "/healthz".into()]) {
        let full = get(&app, &path, &[]).await;
        let request = axum::http::Request::head(path.as_str()).body(axum::body::Body::empty()).expect("request");
        let head = crate::support::send(&app, request).await;
        assert_eq!(head.status, 200, "{path}");
        assert!(head.body.is_empty(), "{path}");
        assert_eq!(head.header("etag"), full.header("etag"), "{path}");
        assert_eq!(head.header("content-type"), full.header("content-type"), "{path}");
        assert_eq!(head.header("content-length"), Some(full.body.len().to_string().as_str()), "{path}");
    }
}

fn decode(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    match encoding {
        "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut decoded).expect("valid brotli"),
        "gzip" => flate2::read::GzDecoder::new(body).read_to_end(&mut decoded).expect("valid gzip"),
        other => panic!("unexpected encoding {other}"),
    };
    decoded
}

#[tokio::test]
async fn pages_are_compressed_as_the_client_accepts() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for path in [format!("/articles/{SEED_ID}"), "/api/articles".into()] {
        let plain = get(&app, &path, &[]).await;
        assert_eq!(plain.header("content-encoding"), None);
        assert!(plain.header("vary").is_some_and(|vary| vary.to_ascii_lowercase().contains("accept-encoding")));
        for (accept, expected) in [("br", "br"), ("gzip, deflate, br", "br"), ("gzip", "gzip")] {
            // Twice: once rendered, once from the cache.
            for _ in 0..2 {
                let reply = get(&app, &path, &[("accept-encoding", accept)]).await;
                assert_eq!(reply.header("content-encoding"), Some(expected), "{path} with {accept}");
                assert!(reply.body.len() < plain.body.len());
                assert_eq!(decode(expected, &reply.body), plain.body, "{path} with {accept}");
                assert_ne!(reply.header("etag"), plain.header("etag"), "each encoding has its own tag");
            }
        }
    }
    let css_url = broadsheet::web::Site::default().stylesheet_url;
    let css = get(&app, &css_url, &[("accept-encoding", "gzip")]).await;
    assert_eq!(css.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn cache_control_fits_each_kind_of_response() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let css_url = broadsheet::web::Site::default().stylesheet_url;
    let cases = [
        ("/", "public, max-age=60, must-revalidate"),
        ("/api/articles", "public, max-age=60, must-revalidate"),
        (css_url.as_str(), "public, max-age=31536000, immutable"),
        ("/healthz", "no-store"),
        ("/readyz", "no-store"),
        ("/metrics", "no-store"),
        ("/about/deployment", "no-store"),
    ];
    for (path, expected) in cases {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("cache-control"), Some(expected), "{path}");
    }
    assert!(get(&app, "/healthz", &[]).await.header("etag").is_none(), "no ETag on what may not be stored");
}

#[tokio::test]
async fn article_pages_link_their_canonical_url() {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).base("https://example.org/news/").build().router;
    let page = get(&app, &format!("/news/articles/{SEED_ID}"), &[]).await.text();
    let expected = format!("<link rel=\"canonical\" href=\"https://example.org/news/articles/{SEED_ID}\">");
    assert!(page.contains(&expected), "missing {expected}");
}

#[tokio::test]
async fn trailing_slash_and_case_variants_redirect_to_the_canonical_url() {
    let dir = articles_dir(6);
    let app = TestApp::over(dir.path()).base("/news/").build().router;
    let upper = SEED_ID.to_uppercase();
    let cases = [
        (format!("/articles/{SEED_ID}/"), format!("/news/articles/{SEED_ID}")),
        (format!("/news/articles/{upper}"), format!("/news/articles/{SEED_ID}")),
        (format!("/articles/{upper}/"), format!("/news/articles/{SEED_ID}")),
        ("/articles/REGIONAL/005_Test".to_owned(), "/news/articles/regional/005_test".to_owned()),
    ];
    for (path, location) in cases {
        let reply = get(&app, &path, &[]).await;
        assert_eq!(reply.status, 308, "{path}");
        assert_eq!(reply.header("location"), Some(location.as_str()), "{path}");
    }
    assert_eq!(get(&app, "/articles/no-such-article/", &[]).await.status, 404);
}

#[tokio::test]
async fn a_new_snapshot_is_served_at_once_despite_the_page_cache() {
    let dir = articles_dir(2);
    let TestApp { state: app_state, router: app } = TestApp::over(dir.path()).build();
    let before = get(&app, "/", &[]).await;
    assert!(!before.text().contains("A freshly added story"));
    std::fs::write(
        dir.path().join("999_new.txt"),
        "World\n\nA freshly added story\n\n1 January 2030\n\nIt just happened.\n",
    )
    .expect("write");
    app_state.library.store(std::sync::Arc::new(load_dir(dir.path()).expect("reload")));
    let after = get(&app, "/", &[]).await;
    assert!(after.text().contains("A freshly added story"));
    assert_ne!(before.header("etag"), after.header("etag"));
    let stale = get(&app, "/", &[("if-none-match", before.header("etag").unwrap_or_default())]).await;
    assert_eq!(stale.status, 200, "an ETag of the old snapshot no longer matches");
}

#[tokio::test]
async fn answers_from_the_page_cache_are_counted_and_carry_every_header() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let path = format!("/articles/{SEED_ID}");
    // The page is stored on its second request, so the later ones are hits.
    let first = get(&app, &path, &[]).await;
    for _ in 0..3 {
        let again = get(&app, &path, &[]).await;
        assert_eq!(again.body, first.body);
        for name in
            ["etag", "cache-control", "vary", "content-type", "content-security-policy", "x-content-type-options"]
        {
            assert_eq!(again.header(name), first.header(name), "{name}");
        }
    }
    let etag = first.header("etag").expect("etag").to_owned();
    let not_modified = get(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    for name in [
        "etag",
        "cache-control",
        "vary",
        "last-modified",
        "content-security-policy",
        "referrer-policy",
        "cross-origin-opener-policy",
    ] {
        assert_eq!(not_modified.header(name), first.header(name), "304: {name}");
    }
    let request = axum::http::Request::head(path.as_str()).body(axum::body::Body::empty()).expect("request");
    let head = crate::support::send(&app, request).await;
    assert_eq!(head.status, 200, "HEAD from the cache");
    assert!(head.body.is_empty(), "HEAD from the cache");
    assert_eq!(head.header("content-length"), Some(first.body.len().to_string().as_str()));
    let metrics = get(&app, "/metrics", &[]).await.text();
    for expected in [
        r#"broadsheet_http_requests_total{route="/articles/{*id}",status="200"} 5"#,
        r#"broadsheet_http_request_duration_seconds_count{route="/articles/{*id}",status="200"} 5"#,
        r#"broadsheet_http_requests_total{route="/articles/{*id}",status="304"} 1"#,
    ] {
        assert!(metrics.contains(expected), "metrics lack {expected}:\n{metrics}");
    }
}

#[tokio::test]
async fn if_none_match_over_several_header_lines_is_one_list() {
    let dir = articles_dir(25);
    for cache in [0, 1 << 20] {
        let app = TestApp::over(dir.path()).http(settings_with_cache(cache)).build().router;
        for path in cacheable_paths() {
            let etag = get(&app, &path, &[]).await.header("etag").expect("etag").to_owned();
            let reply = get(&app, &path, &[("if-none-match", "\"something-else\""), ("if-none-match", &etag)]).await;
            assert_eq!(reply.status, 304, "{path} (cache {cache})");
        }
    }
}
