//! Redirects to an article's canonical URL (trailing slash, letter case, a
//! renamed file): they keep the query string, and they may be cached only
//! as long as pages, since a later rename can send the URL elsewhere.

use std::path::PathBuf;
use std::sync::Arc;

use crate::support::TestApp;
use crate::support::{SEED_ID, articles_dir, get};
use broadsheet::library::LoadOptions;

fn assert_short_lived_redirect(reply: &crate::support::Reply, location: &str, what: &str) {
    assert_eq!(reply.status, 308, "{what}");
    assert_eq!(reply.header("location"), Some(location), "{what}");
    let cache_control = reply.header("cache-control").unwrap_or_else(|| panic!("{what}: no Cache-Control"));
    assert!(cache_control.contains("max-age="), "{what}: {cache_control}");
    assert!(!cache_control.contains("immutable"), "{what}: {cache_control}");
}

#[tokio::test]
async fn trailing_slash_and_case_redirects_keep_the_query_and_expire() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let canonical = format!("/articles/{SEED_ID}");
    let cases = [
        (format!("/articles/{SEED_ID}/"), canonical.clone(), "trailing slash"),
        (format!("/articles/{SEED_ID}/?from=section:business"), format!("{canonical}?from=section:business"), "query"),
        ("/articles/001_TEST?from=all".to_owned(), "/articles/001_test?from=all".to_owned(), "letter case"),
    ];
    for (path, location, what) in cases {
        assert_short_lived_redirect(&get(&app, &path, &[]).await, &location, what);
    }
}

#[tokio::test]
async fn a_renamed_article_redirects_with_its_query_and_expires() {
    let dir = articles_dir(3);
    let TestApp { state, router: app } = TestApp::over(dir.path()).build();
    std::fs::rename(dir.path().join("001_test.txt"), dir.path().join("001_renamed.txt")).expect("rename");
    let paths = ["001_test.txt", "001_renamed.txt"].map(PathBuf::from);
    let next = state.library.load().apply(dir.path(), &LoadOptions::default(), paths).expect("a reload");
    assert_eq!(next.moved.len(), 1, "the rename is seen as a move");
    state.library.store(Arc::new(next.library));
    let reply = get(&app, "/articles/001_test?from=section:business", &[]).await;
    assert_short_lived_redirect(&reply, "/articles/001_renamed?from=section:business", "renamed");
    let reply = get(&app, "/api/articles/001_test", &[]).await;
    assert_short_lived_redirect(&reply, "/api/articles/001_renamed", "renamed, in the API");
}
