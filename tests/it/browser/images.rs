//! Pictures in the browser: the seed with a photo beside it (the lead
//! figure, its caption), a Markdown article with body images and a missing
//! one, and the front page's thumbnails — valid HTML, no axe-core
//! violation, every picture loaded with the size its attributes reserved,
//! at a phone's and a laptop's width in both colour schemes. Screenshots
//! land in `target/screenshots/images-…`.

use serde_json::Value;

use super::checks::check_url;
use super::driver::Browser;
use super::{SCHEMES, nu_checker_errors, screenshot_dir, tools};
use crate::media::{put, with_seed};
use crate::support::images::{jpeg, png};
use crate::support::{SEED_ID, TestApp};

/// Every `<img>` of the page: loaded, and shown at the shape its `width`
/// and `height` attributes promised (so nothing moved when it arrived).
const IMAGE_FACTS: &str = "return Array.from(document.images).map(img => ({
    src: img.currentSrc || img.src, complete: img.complete, natural: img.naturalWidth,
    ratio: img.width && img.height ? (img.width / img.height) : 0,
    declared: img.getAttribute('width') / img.getAttribute('height'),
    fit: getComputedStyle(img).objectFit }));";

#[tokio::test]
async fn pictures_load_at_their_reserved_size_and_pages_stay_valid() {
    let Some([java, vnu, chromium, chromedriver, axe]) = tools::checker_and_browser("pictures in the browser") else {
        return;
    };
    let dir = with_seed();
    put(dir.path(), &format!("{SEED_ID}.jpg"), &jpeg(1600, 1000));
    put(
        dir.path(),
        "blog/charts.md",
        b"---\ntitle: Two charts and a lost one\ndate: 2024-11-17\n---\n\nThe first chart.\n\n![Sales by month, rising](img/sales.png)\n\n\
          Then the second.\n\n![Costs by month](img/costs.jpg)\n\n![A chart that was never uploaded](img/lost.png)\n\nThe end.\n",
    );
    put(dir.path(), "blog/img/sales.png", &png(1200, 600));
    put(dir.path(), "blog/img/costs.jpg", &jpeg(900, 900));
    let cache = tempfile::tempdir().expect("cache");
    let app = TestApp::of(broadsheet::library::load_dir(dir.path()).expect("load"))
        .resized_images(cache.path())
        .search_ready()
        .build()
        .router;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let pages = [
        ("seed", format!("/articles/{SEED_ID}")),
        ("markdown", "/articles/blog/charts".to_owned()),
        ("index", "/".to_owned()),
    ];

    let urls: Vec<(String, String)> =
        pages.iter().map(|(name, path)| ((*name).to_owned(), format!("{base}{path}"))).collect();
    let errors = nu_checker_errors(&java, &vnu, &urls).await;
    assert!(errors.is_empty(), "the Nu Html Checker found errors:\n{}", errors.join("\n"));

    let axe = std::fs::read_to_string(axe).expect("read axe.min.js");
    let browser = Browser::start(&chromium, &chromedriver).await;
    let mut problems = Vec::new();
    for (width, height, mobile) in [(375, 812, true), (1280, 800, false)] {
        browser.set_viewport(width, height, mobile).await;
        for &scheme in SCHEMES {
            browser.set_color_scheme(scheme).await;
            for (name, path) in &pages {
                let context = format!("{name} at {width}px, {scheme}");
                let found = check_url(&browser, &format!("{base}{path}"), 200, scheme, &axe).await;
                problems.extend(found.into_iter().map(|problem| format!("{context}: {problem}")));
                // Lazy images below the fold load once scrolled to; a copy
                // is made on its first request, which takes a moment.
                browser.eval("window.scrollTo(0, document.body.scrollHeight); return true;").await;
                let waited = std::time::Instant::now();
                let mut found = image_problems(&browser.eval(IMAGE_FACTS).await);
                while !found.is_empty() && waited.elapsed() < std::time::Duration::from_secs(15) {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    found = image_problems(&browser.eval(IMAGE_FACTS).await);
                }
                browser.eval("window.scrollTo(0, 0); return true;").await;
                problems.extend(found.into_iter().map(|problem| format!("{context}: {problem}")));
                let file = screenshot_dir().join(format!("images-{name}-{width}-{scheme}.png"));
                browser.screenshot_full_page(&file).await;
            }
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

fn image_problems(facts: &Value) -> Vec<String> {
    let images = facts.as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if images.is_empty() {
        problems.push("no picture on the page".to_owned());
    }
    for image in images {
        let src = image["src"].as_str().unwrap_or("?");
        if image["complete"] != Value::Bool(true) || image["natural"].as_u64().unwrap_or(0) == 0 {
            problems.push(format!("{src} did not load ({image})"));
            continue;
        }
        let (ratio, declared) = (image["ratio"].as_f64().unwrap_or(0.0), image["declared"].as_f64().unwrap_or(0.0));
        let cropped = image["fit"].as_str() == Some("cover");
        if !cropped && (ratio - declared).abs() > 0.02 {
            problems.push(format!("{src} is shown at {ratio:.3}:1, its attributes reserved {declared:.3}:1"));
        }
    }
    problems
}
