//! Article pages rendered in front of the stack (`web::fast_path`)
//! answer exactly as the routed stack does: the same status, headers in the
//! same order, body, ETag, 304 and HEAD, behind a prefix too, and the same
//! metrics. A query string the handler ignores sends the request through
//! the stack, which gives the answer to compare with.

use crate::support::TestApp;
use crate::support::{Reply, SEED_ID, articles_dir, get, send};
use axum::body::Body;
use axum::http::Request;
use broadsheet::web::{HttpSettings, PageCache};

fn headers_in_order(reply: &Reply) -> Vec<(String, String)> {
    reply
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}

fn assert_same(direct: &Reply, routed: &Reply, what: &str) {
    assert_eq!(direct.status, routed.status, "{what}: status");
    assert_eq!(headers_in_order(direct), headers_in_order(routed), "{what}: headers");
    assert_eq!(direct.body, routed.body, "{what}: body");
}

#[tokio::test]
async fn an_article_page_is_the_same_whether_rendered_in_front_or_routed() {
    let dir = articles_dir(8);
    for base in ["/", "/news/", "https://example.org/news/"] {
        // No page cache: every request renders, in front or in the stack.
        let app = TestApp::over(dir.path())
            .base(base)
            .http(HttpSettings { cache: PageCache::new(0), ..HttpSettings::default() })
            .build()
            .router;
        let prefix = if base == "/" { "/" } else { "/news/" };
        for id in [SEED_ID, "regional/005_test", "003_test"] {
            let path = format!("{prefix}articles/{id}");
            let routed_path = format!("{path}?utm_source=test");
            let cases: [&[(&str, &str)]; 4] =
                [&[], &[("accept-encoding", "gzip")], &[("accept-encoding", "br, gzip")], &[("host", "example.com")]];
            for headers in cases {
                let direct = get(&app, &path, headers).await;
                assert_eq!(direct.status, 200, "{base} {path} {headers:?}");
                let routed = get(&app, &routed_path, headers).await;
                assert_same(&direct, &routed, &format!("{base} {path} {headers:?}"));
            }
            let etag = get(&app, &path, &[]).await.header("etag").expect("etag").to_owned();
            let direct = get(&app, &path, &[("if-none-match", &etag)]).await;
            assert_eq!(direct.status, 304);
            assert_same(&direct, &get(&app, &routed_path, &[("if-none-match", &etag)]).await, "304");
            let head = |uri: &str| Request::head(uri).body(Body::empty()).expect("request");
            let (direct, routed) = (send(&app, head(&path)).await, send(&app, head(&routed_path)).await);
            assert!(direct.body.is_empty());
            assert_same(&direct, &routed, "HEAD");
        }
    }
}

#[tokio::test]
async fn the_first_second_and_cached_answers_are_the_same() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let path = format!("/articles/{SEED_ID}");
    // Not kept, then kept (the second offer), then answered from the cache.
    let answers = [get(&app, &path, &[]).await, get(&app, &path, &[]).await, get(&app, &path, &[]).await];
    let routed = get(&app, &format!("{path}?utm_source=test"), &[]).await;
    for (number, answer) in answers.iter().enumerate() {
        assert_same(answer, &routed, &format!("answer {number}"));
    }
}

#[tokio::test]
async fn what_the_front_does_not_render_is_answered_as_before() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    // No coding acceptable: identity, as for any page.
    let refused = get(&app, &format!("/articles/{SEED_ID}"), &[("accept-encoding", "identity;q=0, *;q=0")]).await;
    assert_eq!((refused.status.as_u16(), refused.header("content-encoding")), (200, None));
    // A case variant redirects, an unknown id is 404, an encoded id decodes.
    let upper = get(&app, &format!("/articles/{}", SEED_ID.to_uppercase()), &[]).await;
    assert_eq!(upper.status, 308);
    assert_eq!(get(&app, "/articles/no-such-article", &[]).await.status, 404);
    assert_eq!(get(&app, "/articles/00%31_test", &[]).await.status, 200);
    // A trailing slash redirects, as on every route, to a path with no page.
    assert_eq!(get(&app, "/articles/", &[]).await.header("location"), Some("/articles"));
    assert_eq!(get(&app, "/articles", &[]).await.status, 404);
}

#[tokio::test]
async fn a_cached_page_answers_an_unacceptable_coding_as_a_fresh_one_does() {
    let dir = articles_dir(3);
    let app = TestApp::over(dir.path()).build().router;
    let refuse = [("accept-encoding", "identity;q=0, *;q=0")];
    for path in [format!("/articles/{SEED_ID}"), "/".to_owned()] {
        // Asked for twice, the page is in the cache for the later requests.
        for number in 0..4 {
            assert_eq!(get(&app, &path, &[]).await.status, 200, "{path} plain {number}");
            let refused = get(&app, &path, &refuse).await;
            assert_eq!(refused.status, 200, "{path} refused {number}");
            assert_eq!(refused.header("content-encoding"), None, "{path} refused {number}");
        }
    }
}
