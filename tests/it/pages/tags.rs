//! Browsing by tag (front matter `tags:`/`keywords:`) through the real
//! router, as sections are browsed: `/tags` with counts, `/tags/{slug}`
//! newest first and paginated, linked from the article page, with feeds,
//! 404 for an unknown tag.

use crate::support::fixtures::{Tagged, app, listed_titles, write_tagged};
use crate::support::{get, links};
use axum::http::StatusCode;

const ARTICLES: &[Tagged<'static>] = &[
    ("a", "Alpha summit in Lima", "2024-11-16", &["Elections", "Peru"]),
    ("b", "Beta talks resume", "2024-11-03", &["Trade"]),
    ("c", "Gamma vote counted", "2024-10-20", &["Elections", "Elections"]),
    ("d", "Delta has no tag", "2024-10-05", &[]),
    ("e", "Epsilon café opens", "2023-03-12", &["Économie"]),
];

#[tokio::test]
async fn tags_page_lists_every_tag_with_its_count() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    let page = get(&router, "/tags", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "<a href=\"/tags/economie\">Économie</a> <span class=\"count\">1 article</span>",
        "<a href=\"/tags/elections\">Elections</a> <span class=\"count\">2 articles</span>",
        "<a href=\"/tags/peru\">Peru</a> <span class=\"count\">1 article</span>",
        "<a href=\"/tags/trade\">Trade</a> <span class=\"count\">1 article</span>",
    ] {
        assert!(page.text().contains(expected), "missing {expected}");
    }
    let empty = app(write_tagged(&ARTICLES[3..4]).path(), "/").router;
    assert!(get(&empty, "/tags", &[]).await.text().contains("No article has a tag yet."));
}

#[tokio::test]
async fn each_tag_lists_exactly_its_articles_newest_first() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    let cases: [(&str, &[&str]); 3] = [
        ("/tags/elections", &["Alpha summit in Lima", "Gamma vote counted"]),
        ("/tags/trade", &["Beta talks resume"]),
        ("/tags/economie", &["Epsilon café opens"]),
    ];
    for (uri, expected) in cases {
        let page = get(&router, uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(listed_titles(&page.text()), expected, "{uri}");
        assert!(page.text().contains("<a href=\"/tags\">Tags</a>"), "{uri} links back to /tags");
    }
}

#[tokio::test]
async fn unknown_tags_are_404_pages_not_errors() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    for uri in ["/tags/nope", "/tags/elections?page=2", "/tags/nope/feed.xml", "/tags/nope/feed.json", "/tags?page=2"] {
        let page = get(&router, uri, &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
    }
    assert!(get(&router, "/tags/nope", &[]).await.text().contains("There is no tag “nope”."));
    assert_eq!(get(&router, "/tags/elections?page=x", &[]).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_article_page_links_each_tag_once() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    let page = get(&router, "/articles/a", &[]).await.text();
    assert!(
        page.contains("<p>Tagged <a href=\"/tags/elections\">Elections</a>, <a href=\"/tags/peru\">Peru</a>.</p>"),
        "{page}"
    );
    let twice = get(&router, "/articles/c", &[]).await.text();
    assert_eq!(twice.matches("href=\"/tags/elections\"").count(), 1, "a repeated tag is linked once");
    assert!(!get(&router, "/articles/d", &[]).await.text().contains("Tagged"), "no tags, no line");
}

#[tokio::test]
async fn neighbours_stay_within_the_tag_the_reader_came_from() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    let list = get(&router, "/tags/elections", &[]).await.text();
    assert!(list.contains("href=\"/articles/a?from=tag:elections\""), "lists pass `from` on");
    let in_tag = get(&router, "/articles/a?from=tag:elections", &[]).await.text();
    assert!(in_tag.contains("rel=\"next\" href=\"/articles/c?from=tag:elections\""), "older within the tag");
    assert!(in_tag.contains("In <a href=\"/tags/elections\">Elections</a>"));
}

#[tokio::test]
async fn long_tag_lists_are_paginated() {
    let names: Vec<(String, String, String)> = (1..=45)
        .map(|day| {
            (format!("m{day:02}"), format!("Match report {day:02}"), format!("2024-01-{:02}", (day - 1) % 28 + 1))
        })
        .collect();
    let articles: Vec<Tagged> = names
        .iter()
        .map(|(path, title, date)| (path.as_str(), title.as_str(), date.as_str(), &["Sport"][..]))
        .collect();
    let dir = write_tagged(&articles);
    let router = app(dir.path(), "/").router;
    let first = get(&router, "/tags/sport", &[]).await.text();
    assert_eq!(listed_titles(&first).len(), 20);
    assert!(first.contains("href=\"/tags/sport?page=2\""), "links page 2");
    let last = get(&router, "/tags/sport?page=3", &[]).await;
    assert_eq!(listed_titles(&last.text()).len(), 5, "page 3");
    assert_eq!(get(&router, "/tags/sport?page=4", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tag_pages_are_cached_like_section_pages() {
    let dir = write_tagged(ARTICLES);
    let router = app(dir.path(), "/").router;
    let section = get(&router, "/sections/world-news", &[]).await;
    for uri in ["/tags", "/tags/elections", "/tags/elections/feed.xml"] {
        let page = get(&router, uri, &[]).await;
        assert_eq!(page.header("cache-control"), section.header("cache-control"), "{uri}");
        let etag = page.header("etag").expect("an ETag").to_owned();
        assert_eq!(get(&router, uri, &[("if-none-match", &etag)]).await.status, StatusCode::NOT_MODIFIED, "{uri}");
    }
}

#[tokio::test]
async fn tag_feeds_list_the_tag_with_absolute_links() {
    let dir = write_tagged(ARTICLES);
    let router = crate::support::TestApp::over(dir.path()).base("https://example.org/news/").build().router;
    let atom = get(&router, "/news/tags/elections/feed.xml", &[]).await;
    assert_eq!(atom.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    let text = atom.text();
    crate::support::xml::element_names(&text);
    assert!(text.contains("href=\"https://example.org/news/tags/elections\""), "the feed links its page");
    assert!(text.contains("href=\"https://example.org/news/tags/elections/feed.xml\""), "{text}");
    assert_eq!(text.matches("<entry>").count(), 2);
    let json: serde_json::Value =
        serde_json::from_slice(&get(&router, "/news/tags/elections/feed.json", &[]).await.body).expect("JSON");
    assert_eq!(json["feed_url"], "https://example.org/news/tags/elections/feed.json");
    assert_eq!(json["home_page_url"], "https://example.org/news/tags/elections");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(2));
    let page = get(&router, "/news/tags/elections", &[]).await.text();
    assert!(page.contains("href=\"/news/tags/elections/feed.xml\""), "the page links its feed");
    for link in links(&page) {
        // The canonical link is absolute, under the base URL.
        let under_base = link.starts_with("/news/") || link.starts_with("https://example.org/news/");
        assert!(under_base || link == "#main", "link {link} ignores the base path");
    }
}
