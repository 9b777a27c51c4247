//! One address and one rule per list: `page` is a positive integer (else a
//! 400 that says so), a page past the end is a 404, a trailing slash
//! redirects to the path without it, a period has one spelling, and list
//! pages name their canonical URL.

use crate::support::{SEED_ID, TestApp, articles_dir, get};

/// Every paginated route, HTML and JSON, with a query that lists something.
const PAGINATED: &[&str] = &[
    "/",
    "/sections",
    "/sections/business",
    "/sources",
    "/sources/test-wire",
    "/archive/2024",
    "/archive/2024/03",
    "/search?q=headline",
    "/api/articles",
    "/api/search?q=headline",
];

fn with_page(path: &str, page: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}page={page}")
}

#[tokio::test]
async fn every_list_takes_one_kind_of_page_number() {
    let dir = articles_dir(45);
    let app = TestApp::over(dir.path()).search_ready().build().router;
    for path in PAGINATED {
        assert_eq!(get(&app, &with_page(path, "1"), &[]).await.status, 200, "{path}");
        for bad in ["0", "-1", "abc", "01", "1.5", "%2B1", ""] {
            let reply = get(&app, &with_page(path, bad), &[]).await;
            assert_eq!(reply.status, 400, "{path} page={bad}");
            let text = reply.text();
            assert!(text.contains("not a page number"), "{path} page={bad}: {text}");
            assert!(!text.to_lowercase().contains("deserialize"), "{path} page={bad}: {text}");
        }
        let twice = get(&app, &format!("{}&page=2", with_page(path, "1")), &[]).await;
        assert_eq!(twice.status, 400, "{path} with two pages");
        assert_eq!(get(&app, &with_page(path, "99"), &[]).await.status, 404, "{path} past the end");
    }
}

#[tokio::test]
async fn no_deserializer_wording_reaches_a_reader() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).search_ready().build().router;
    for path in ["/search?q=a&q=b", "/search/feed.xml?q=a&q=b", "/api/search?q=a&q=b", "/?page=x", "/?page=%FF"] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, 400, "{path}");
        let text = reply.text().to_lowercase();
        assert!(!text.contains("deserialize") && !text.contains("failed to"), "{path}: {text}");
    }
}

#[tokio::test]
async fn a_trailing_slash_redirects_to_the_route_without_it() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for path in [
        "/sections/",
        "/sections/business/",
        "/archive/2024/03/",
        "/feed.xml/",
        "/search/feed.xml/?q=headline",
        "/search/?q=headline&page=2",
        "/api/articles/?page=2",
        "/healthz/",
        &format!("/articles/{SEED_ID}/"),
    ] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, 308, "{path}");
        let expected = path.replacen("/?", "?", 1);
        let expected = expected.strip_suffix('/').unwrap_or(&expected);
        assert_eq!(reply.header("location"), Some(expected), "{path}");
    }
    let doubled = get(&app, "//example.org/", &[]).await;
    assert_eq!(doubled.header("location"), Some("/example.org"), "never protocol-relative");
}

#[tokio::test]
async fn under_a_prefix_the_redirect_keeps_the_prefix() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).base("https://example.org/news/").build().router;
    let reply = get(&app, "/news/sections/?page=1", &[]).await;
    assert_eq!(reply.header("location"), Some("/news/sections?page=1"));
}

#[tokio::test]
async fn a_period_has_one_address() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    for (path, location) in [
        ("/archive/2024/003", "/archive/2024/03"),
        ("/archive/2024/3", "/archive/2024/03"),
        ("/archive/2024-03?page=1", "/archive/2024/03?page=1"),
        ("/archive/02024", "/archive/2024"),
    ] {
        let reply = get(&app, path, &[]).await;
        assert_eq!((reply.status.as_u16(), reply.header("location")), (308, Some(location)), "{path}");
    }
    assert_eq!(get(&app, "/archive/2024/03", &[]).await.status, 200);
}

#[tokio::test]
async fn list_pages_name_their_canonical_url() {
    let dir = articles_dir(45);
    let app = TestApp::over(dir.path()).base("https://example.org/news/").build().router;
    for (path, canonical) in [
        ("/news/", "https://example.org/news/"),
        ("/news/?page=1", "https://example.org/news/"),
        ("/news/?page=2&utm_source=x", "https://example.org/news/?page=2"),
        ("/news/sections/business?page=2", "https://example.org/news/sections/business?page=2"),
        ("/news/sections", "https://example.org/news/sections"),
        ("/news/archive/2024/03?page=1", "https://example.org/news/archive/2024/03"),
    ] {
        let text = get(&app, path, &[]).await.text();
        let link = format!("<link rel=\"canonical\" href=\"{canonical}\">");
        assert!(text.contains(&link), "{path}: no {link}");
    }
}

#[tokio::test]
async fn an_empty_search_feed_was_updated_when_the_library_last_changed() {
    let dir = articles_dir(3);
    let TestApp { state, router: app } = TestApp::over(dir.path()).search_ready().build();
    let changed = state.library.load().changed_at().expect("files have times");
    let atom = get(&app, "/search/feed.xml?q=zzzznothingmatches", &[]).await.text();
    let updated = atom.split("<updated>").nth(1).and_then(|rest| rest.split('<').next()).expect("an updated");
    let updated: jiff::Timestamp = updated.parse().expect("an RFC 3339 time");
    assert_eq!(updated.as_second(), changed.as_second(), "{atom}");
}
