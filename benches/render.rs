//! Time to answer a page through the real router in-process
//! (`tower::ServiceExt::oneshot` on `broadsheet::web::router`), with every
//! middleware the server has, over a library of 10,000 generated articles.
//! `render/*` answers from the page cache after the first request, as a
//! server does for popular pages; `uncached/*` renders every time (a server
//! with `--cache-size 0`, or a page not asked for recently).
//! `uncached/random_article` walks every article of the library in a
//! shuffled order, as `bench/random.lua` does over HTTP: each request
//! touches memory the previous ones did not.
//!
//! `cargo bench --bench render`
//!
//! For instruction counts, `RENDER_BENCH_REQUESTS=N` skips criterion and
//! answers N uncached random-article requests, so that
//! `valgrind --tool=callgrind --toggle-collect='*render::fetch*'` counts
//! exactly those requests:
//! `RENDER_BENCH_REQUESTS=2000 valgrind --tool=callgrind --toggle-collect='*render::fetch*' target/release/deps/render-*`

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use broadsheet::library::load_dir;
use broadsheet::web::{AppState, Site, router};
use broadsheet::web::{HttpSettings, PageCache};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Size of the library behind the router.
const LIBRARY_SIZE: usize = 10_000;

fn render_pages(c: &mut Criterion) {
    let corpus = support::generated_corpus(LIBRARY_SIZE);
    let library = load_dir(corpus.path()).expect("load");
    let random_uris = shuffled_article_uris(&library);
    let state = AppState::new(library, Site::default());
    let uncached =
        router(state.clone().with_http(HttpSettings { cache: PageCache::new(0), ..HttpSettings::default() }));
    let app = router(state);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    if let Some(requests) = std::env::var("RENDER_BENCH_REQUESTS").ok().and_then(|n| n.parse::<usize>().ok()) {
        for uri in random_uris.iter().cycle().take(requests) {
            assert_eq!(runtime.block_on(fetch(&uncached, uri, None)), StatusCode::OK, "{uri}");
        }
        std::process::exit(0);
    }
    let article = format!("/articles/{}", support::SEED_ID);
    let cases = [
        ("article", article.as_str(), None),
        ("article_gzip", article.as_str(), Some("gzip")),
        ("index", "/", None),
        ("index_page_50", "/?page=50", None),
        ("api_article", "/api/articles/000_3ea0f84f1e61d9e9", None),
    ];
    for (group_name, app) in [("render", &app), ("uncached", &uncached)] {
        let mut group = c.benchmark_group(group_name);
        for (name, uri, encoding) in cases {
            // Fail loudly rather than time an error page.
            assert_eq!(runtime.block_on(fetch(app, uri, encoding)), StatusCode::OK, "{uri}");
            group.bench_function(name, |b| b.iter(|| runtime.block_on(fetch(app, uri, encoding))));
        }
        group.finish();
    }
    let mut next = random_uris.iter().cycle();
    c.benchmark_group("uncached").bench_function("random_article", |b| {
        b.iter(|| runtime.block_on(fetch(&uncached, next.next().expect("a cycle never ends"), None)))
    });
}

/// `/articles/{id}` for every article, in an order fixed by a simple
/// deterministic shuffle (no need for a random-number crate).
fn shuffled_article_uris(library: &broadsheet::library::Library) -> Vec<String> {
    let mut uris: Vec<String> = library.articles().iter().map(|article| format!("/articles/{}", article.id)).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for index in (1..uris.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        uris.swap(index, (state % (index as u64 + 1)) as usize);
    }
    uris
}

/// One request through the router, body read to the end; returns the status.
async fn fetch(app: &axum::Router, uri: &str, encoding: Option<&str>) -> StatusCode {
    let mut request = Request::get(uri);
    if let Some(encoding) = encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    std::hint::black_box(body);
    status
}

criterion_group!(benches, render_pages);
criterion_main!(benches);
