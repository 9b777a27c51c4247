//! Images on pages: the lead image beside an article, front matter's
//! `image:`, body images of Markdown and Go present articles, link
//! previews, list thumbnails and feeds.

use axum::http::StatusCode;

use super::{put, with_seed};
use crate::support::images::{jpeg, png};
use crate::support::{SEED_ID, TestApp};

fn meta(html: &str, property: &str) -> Option<String> {
    let needle = format!("property=\"{property}\" content=\"");
    let start = html.find(&needle)? + needle.len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

#[tokio::test]
async fn a_photo_beside_the_seed_is_its_lead_image_with_the_credit_as_caption() {
    let dir = with_seed();
    put(dir.path(), &format!("{SEED_ID}.jpg"), &jpeg(1200, 800));
    let cache = tempfile::tempdir().expect("cache");
    let app = TestApp::over(dir.path()).base("https://example.org/news/").resized_images(cache.path()).build();
    let html = app.get(&format!("/articles/{SEED_ID}")).await.text();
    let figure_at = html.find("<figure class=\"lead-image\">").expect("a lead figure");
    let body_at = html.find("<div class=\"article-body\"").expect("a body");
    assert!(figure_at < body_at, "the lead image comes before the body");
    let figure = &html[figure_at..html[figure_at..].find("</figure>").expect("closed") + figure_at];
    assert!(figure.contains(&format!("src=\"/news/media/{SEED_ID}.jpg\"")), "{figure}");
    assert!(figure.contains("width=\"1200\" height=\"800\""), "{figure}");
    assert!(figure.contains(&format!("/news/media/{SEED_ID}.jpg?w=480 480w")), "srcset: {figure}");
    assert!(figure.contains("sizes=\""), "{figure}");
    assert!(figure.contains("<figcaption>") && figure.contains("Leah Millis/Reuters"), "{figure}");
    assert_eq!(html.matches("Leah Millis/Reuters").count(), 1, "the caption is not repeated in the body");
    assert_eq!(meta(&html, "og:image").as_deref(), Some(&*format!("https://example.org/news/media/{SEED_ID}.jpg")));
    assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&html, "og:image:height").as_deref(), Some("800"));
    assert!(meta(&html, "og:image:alt").is_some_and(|alt| alt.contains("Yoon Suk-yeol")), "{html}");
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(html.contains(&format!("\"image\":\"https://example.org/news/media/{SEED_ID}.jpg\"")), "JSON-LD");
    // The picture itself answers at that address.
    assert_eq!(app.get(&format!("/media/{SEED_ID}.jpg")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_photo_the_seed_has_no_og_image_and_a_small_card() {
    let dir = with_seed();
    let html = TestApp::over(dir.path()).build().get(&format!("/articles/{SEED_ID}")).await.text();
    assert_eq!(meta(&html, "og:image"), None);
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(!html.contains("lead-image"));
    assert!(html.contains("Leah Millis/Reuters"), "the caption stays in the body");
}

#[tokio::test]
async fn markdown_images_resolve_from_the_post_and_from_the_media_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(
        dir.path(),
        "blog/2024-05-01-post.md",
        b"---\ntitle: Charts\nimage: /assets/cover.jpg\n---\n\nThe numbers.\n\n![A chart of sales](chart.png)\n\n\
          <img src=\"/assets/logo.png\" alt=\"Logo\" width=\"100\">\n\n![Remote](https://cdn.example/r.jpg)\n\n![Gone](gone.png)\n",
    );
    put(dir.path(), "blog/chart.png", &png(800, 400));
    put(dir.path(), "assets/logo.png", &png(400, 200));
    put(dir.path(), "assets/cover.jpg", &jpeg(1600, 900));
    let app = TestApp::over(dir.path()).base("/news/").build();
    let html = app.get("/articles/blog/2024-05-01-post").await.text();
    assert!(
        html.contains(r#"<img src="/news/media/blog/chart.png" alt="A chart of sales" width="800" height="400" loading="lazy" decoding="async">"#),
        "{html}"
    );
    assert!(html.contains(r#"src="/news/media/assets/logo.png" alt="Logo" width="100" height="50""#), "{html}");
    assert!(html.contains(r#"<a href="https://cdn.example/r.jpg" class="remote-image">Image: Remote</a>"#), "{html}");
    assert!(html.contains(r#"<span class="missing-image">Gone</span>"#), "{html}");
    assert!(html.contains(r#"<figure class="lead-image"><img src="/news/media/assets/cover.jpg""#), "{html}");
    assert!(!html.contains("srcset"), "no copies without a cache folder");
}

#[tokio::test]
async fn a_separate_media_root_serves_root_relative_images() {
    let site = tempfile::tempdir().expect("site root");
    put(site.path(), "_posts/2024-05-01-post.md", b"---\ntitle: Logo\n---\n\nText.\n\n![Logo](/assets/logo.png)\n");
    put(site.path(), "assets/logo.png", &png(40, 20));
    let options = broadsheet::library::LoadOptions {
        media_root: Some(site.path().to_owned()),
        ..broadsheet::library::LoadOptions::default()
    };
    let library = broadsheet::library::load_dir_with(&site.path().join("_posts"), &options).expect("load");
    let app = TestApp::of(library).build();
    let html = app.get("/articles/2024-05-01-post").await.text();
    assert!(html.contains(r#"src="/site-media/assets/logo.png""#), "{html}");
    assert_eq!(app.get("/site-media/assets/logo.png").await.header("content-type"), Some("image/png"));
}

#[tokio::test]
async fn go_present_images_beside_the_article_are_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(
        dir.path(),
        "4years.article",
        b"Four years of Go\n10 Nov 2013\n\nAndrew Gerrand\n\n* Intro\n\nToday.\n\n.image 4years/gopher.png _ 300\n",
    );
    put(dir.path(), "4years/gopher.png", &png(600, 400));
    let html = TestApp::over(dir.path()).build().get("/articles/4years").await.text();
    assert!(html.contains(r#"src="/media/4years/gopher.png" alt="" width="300" height="200""#), "{html}");
}

#[tokio::test]
async fn lists_show_thumbnails_and_feeds_carry_the_lead_image() {
    let dir = with_seed();
    put(dir.path(), &format!("{SEED_ID}.jpg"), &jpeg(1200, 800));
    put(dir.path(), "other.txt", b"Another story\n\nIts text.\n");
    let cache = tempfile::tempdir().expect("cache");
    let app = TestApp::over(dir.path()).base("https://example.org/").resized_images(cache.path()).build();
    let index = app.get("/").await.text();
    assert!(
        index.contains(&format!(
            r#"<img class="thumbnail" src="/media/{SEED_ID}.jpg?w=160" alt="" width="80" height="80" loading="lazy" decoding="async">"#
        )),
        "{index}"
    );
    assert_eq!(index.matches("class=\"thumbnail\"").count(), 1, "only the article with a photo");
    let atom = app.get("/feed.xml").await.text();
    assert!(atom.contains(&format!("https://example.org/media/{SEED_ID}.jpg")), "{atom}");
    let json: serde_json::Value = serde_json::from_slice(&app.get("/feed.json").await.body).expect("JSON Feed");
    let item = json["items"]
        .as_array()
        .and_then(|items| items.iter().find(|item| item["id"].as_str().is_some_and(|id| id.ends_with(SEED_ID))));
    assert_eq!(
        item.and_then(|item| item["image"].as_str()),
        Some(&*format!("https://example.org/media/{SEED_ID}.jpg"))
    );
}

#[tokio::test]
async fn a_front_matter_image_that_the_body_shows_is_not_shown_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(dir.path(), "post.md", b"---\ntitle: Once\nimage: /img/a.png\n---\n\nText.\n\n![The picture](img/a.png)\n");
    put(dir.path(), "img/a.png", &png(300, 200));
    let html = TestApp::over(dir.path()).base("https://example.org/").build().get("/articles/post").await.text();
    assert_eq!(html.matches("<img src=\"/media/img/a.png\"").count(), 1, "{html}");
    assert!(!html.contains("lead-image"), "{html}");
    assert_eq!(meta(&html, "og:image").as_deref(), Some("https://example.org/media/img/a.png"));
}
