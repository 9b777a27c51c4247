//! `Accept-Encoding` through the real router: cached pages, pages rendered
//! afresh and responses the compression layer encodes (a 404 page) all
//! choose the same coding for the same header (RFC 9110 §12.5.3).

mod common;

use broadsheet::web::http::{HttpSettings, PageCache};
use broadsheet::web::router;
use common::{SEED_ID, articles_dir, get, state};

/// Each `Accept-Encoding` with the coding it must give, `"406"` when it
/// accepts nothing we can send.
const CASES: &[(&str, &str)] = &[
    ("gzip;q=0, br;q=0, *", "identity"),
    ("br;Q=0, gzip", "gzip"),
    ("gzip;q=1.0, br;q=0.1", "gzip"),
    ("gzip, deflate, br", "br"),
    ("br;q=0.5, gzip;q=0.5", "br"),
    ("identity", "identity"),
    ("deflate", "identity"),
    ("*;q=0", "406"),
    ("identity;q=0, *;q=0", "406"),
];

fn coding(reply: &common::Reply) -> String {
    if reply.status == 406 {
        return "406".to_owned();
    }
    reply.header("content-encoding").unwrap_or("identity").to_owned()
}

#[tokio::test]
async fn a_cached_page_a_fresh_page_and_a_404_agree_on_the_coding() {
    let dir = articles_dir(3);
    let cached = router(state(dir.path(), "/", HttpSettings { cache: PageCache::new(1 << 20), ..Default::default() }));
    let uncached = router(state(dir.path(), "/", HttpSettings { cache: PageCache::new(0), ..Default::default() }));
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
