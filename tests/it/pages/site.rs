//! The foundation's pages, API and health check, through the real router:
//! in-process with `oneshot`, and over a real socket (the production server
//! loop) for the crawl. Graceful shutdown is tested in `http/hardening.rs`.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use axum::http::StatusCode;

use crate::support::{SEED_ID, TestApp};

const SEED: &str = include_str!("../../../articles/000_3ea0f84f1e61d9e9.txt");

/// Writes `count` small dated articles plus the seed into `dir`.
fn write_articles(dir: &Path, count: usize) {
    std::fs::write(dir.join(format!("{SEED_ID}.txt")), SEED).expect("write seed");
    std::fs::create_dir_all(dir.join("regional")).expect("mkdir");
    for n in 0..count {
        let day = n % 28 + 1;
        let text = format!(
            "Local\n\nStory number {n}\n\n{day} March 2023\nThis content originally appeared on Test Wire.\n\nParagraph one of story {n}.\n\nParagraph two.\n"
        );
        std::fs::write(dir.join("regional").join(format!("{n:03}.txt")), text).expect("write article");
    }
}

fn app_for(dir: &Path) -> axum::Router {
    TestApp::over(dir).build().router
}

/// Status, content type and body of `GET uri`.
async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let reply = crate::support::get(app, uri, &[]).await;
    let content_type = reply.header("content-type").unwrap_or_default().to_owned();
    (reply.status, content_type, String::from_utf8(reply.body).expect("utf-8 body"))
}

async fn get_json(app: &axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, content_type, body) = get(app, uri).await;
    assert!(content_type.starts_with("application/json"), "{uri} answered {content_type}");
    (status, serde_json::from_str(&body).expect("json"))
}

#[tokio::test]
async fn api_returns_the_seed_article_with_every_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 0);
    let app = app_for(dir.path());
    let (status, article) = get_json(&app, &format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(article["id"], SEED_ID);
    assert_eq!(article["url"], format!("/articles/{SEED_ID}"));
    assert_eq!(article["title"], "US, South Korea and Japan slam ‘dangerous’ ties between Russia, North Korea");
    assert_eq!(article["section"], "World News");
    assert_eq!(article["date"], "2024-11-16");
    assert_eq!(article["source"], "Al Jazeera");
    let paragraphs = article["paragraphs"].as_array().expect("paragraphs");
    let texts = paragraphs.iter().filter(|p| p["kind"] == "text").count();
    let captions: Vec<_> = paragraphs.iter().filter(|p| p["kind"] == "caption").collect();
    assert_eq!((texts, captions.len()), (27, 1));
    assert_eq!(captions[0]["credit"], "Leah Millis/Reuters");
    assert!(!article.to_string().contains("Promote your business"));
    assert!(article["word_count"].as_u64().expect("word count") > 500);
}

#[tokio::test]
async fn api_lists_articles_page_by_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 30);
    let app = app_for(dir.path());
    let (status, first) = get_json(&app, "/api/articles").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (first["page"].as_u64(), first["pages"].as_u64(), first["total"].as_u64()),
        (Some(1), Some(2), Some(31))
    );
    let articles = first["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 20);
    assert_eq!(articles[0]["id"], SEED_ID, "the 2024 seed is the newest");
    for key in ["id", "url", "title", "section", "date", "source", "excerpt", "word_count"] {
        assert!(articles[0].get(key).is_some(), "summary lacks {key}");
    }
    let (_, second) = get_json(&app, "/api/articles?page=2").await;
    assert_eq!(second["articles"].as_array().expect("articles").len(), 11);
}

#[tokio::test]
async fn api_errors_are_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 0);
    let app = app_for(dir.path());
    let (status, body) = get_json(&app, "/api/articles/no-such-article").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["status"], 404);
    let (status, _) = get_json(&app, "/api/articles?page=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get_json(&app, "/api/articles?page=9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn article_page_shows_title_date_source_and_captions() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 3);
    let app = app_for(dir.path());
    let (status, content_type, html) = get(&app, &format!("/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(html.contains("<h1>US, South Korea and Japan slam ‘dangerous’ ties between Russia, North Korea</h1>"));
    assert!(html.contains(r#"<time datetime="2024-11-16">16 November 2024</time>"#));
    assert!(html.contains(r#"Originally published by <a href="/sources/al-jazeera">Al Jazeera</a>"#));
    assert!(html.contains("<figure><figcaption>"));
    assert!(html.contains("Leah Millis/Reuters"));
    assert!(!html.contains("Promote your business"));
    assert!(html.contains(r#"<a rel="next" href="/articles/regional/002">"#), "links to the next (older) article");
}

#[tokio::test]
async fn article_in_a_subfolder_has_a_nested_permalink() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 2);
    let app = app_for(dir.path());
    let (status, _, html) = get(&app, "/articles/regional/001").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Story number 1"));
}

#[tokio::test]
async fn index_paginates_twenty_per_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 45);
    let app = app_for(dir.path());
    let (_, _, first) = get(&app, "/").await;
    assert_eq!(first.matches("<article>").count(), 20);
    assert!(first.contains(r#"href="/?page=2""#));
    let (_, _, last) = get(&app, "/?page=3").await;
    assert_eq!(last.matches("<article>").count(), 6);
    assert!(last.contains(r#"href="/?page=2""#) && !last.contains("page=4"));
}

#[tokio::test]
async fn bad_requests_get_html_error_pages_not_500s() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 1);
    let app = app_for(dir.path());
    let cases = [
        ("/articles/nope", StatusCode::NOT_FOUND),
        ("/no/such/path", StatusCode::NOT_FOUND),
        ("/?page=0", StatusCode::BAD_REQUEST),
        ("/?page=99", StatusCode::NOT_FOUND),
        ("/?page=abc", StatusCode::BAD_REQUEST),
        ("/?page=-1", StatusCode::BAD_REQUEST),
        ("/?page=99999999999999999999999", StatusCode::BAD_REQUEST),
        ("/static/style.css", StatusCode::NOT_FOUND),
    ];
    for (uri, expected) in cases {
        let (status, content_type, html) = get(&app, uri).await;
        assert_eq!(status, expected, "{uri}");
        assert!(content_type.starts_with("text/html"), "{uri} answered {content_type}");
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<title>"), "{uri} is not a page");
    }
}

#[tokio::test]
async fn article_text_is_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evil = "News\n\n<script>alert(1)</script> & friends\n\n1 May 2024\n\nBody with <b>tags</b> & \"quotes\".\n";
    std::fs::write(dir.path().join("evil.txt"), evil).expect("write");
    let app = app_for(dir.path());
    for uri in ["/", "/articles/evil"] {
        let (_, _, html) = get(&app, uri).await;
        assert!(!html.contains("<script>alert") && !html.contains("<b>tags"), "{uri} leaks markup");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{uri}");
    }
}

#[tokio::test]
async fn healthz_counts_articles_and_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 2);
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let app = app_for(dir.path());
    let (status, health) = get_json(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], 3);
    assert_eq!(health["problems"], 2);
}

#[tokio::test]
async fn every_page_has_the_html5_essentials() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 1);
    let app = app_for(dir.path());
    for uri in ["/", &format!("/articles/{SEED_ID}"), "/missing"] {
        let (_, _, html) = get(&app, uri).await;
        assert!(html.starts_with("<!DOCTYPE html>"), "{uri}");
        assert!(html.contains(r#"<html lang="en">"#), "{uri}");
        assert!(html.contains(r#"<meta charset="utf-8">"#), "{uri}");
        assert!(html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#), "{uri}");
        let title = html.split("<title>").nth(1).and_then(|rest| rest.split("</title>").next()).unwrap_or("");
        assert!(title.len() > 5, "{uri} has title {title:?}");
    }
}

#[tokio::test]
async fn crawl_from_home_finds_no_broken_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_articles(dir.path(), 25);
    // Search pages answer 503 until the background index is built; the crawl
    // is about links, so start once search is ready.
    let app = TestApp::over(dir.path()).search_ready().build();
    let mut server = crate::support::RunningServer::start(app.router, Default::default()).await;
    let address = server.address;
    let client = reqwest::Client::new();
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(path) = queue.pop_front() {
        let response = client.get(format!("http://{address}{path}")).send().await.expect("request");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "broken link {path}");
        let is_html =
            response.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        let body = response.text().await.expect("body");
        if !is_html {
            continue;
        }
        for link in crate::support::links(&body) {
            let internal = link.starts_with('/') && !link.starts_with("//");
            let path_only = link.split('#').next().unwrap_or("").to_owned();
            if internal && !path_only.is_empty() && seen.insert(path_only.clone()) {
                queue.push_back(path_only);
            }
        }
    }
    // 26 articles, 2 index pages, the stylesheet and the favicon.
    assert!(seen.len() >= 30, "crawl reached only {} pages", seen.len());
    server.begin_shutdown();
}
