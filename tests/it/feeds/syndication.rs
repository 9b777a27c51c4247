//! The Atom and JSON feeds, read the way feed readers read them: Python's
//! feedparser must accept them without any warning (`bozo == 0`), under the
//! default base URL and under a sub-path, and a strict XML parser must find
//! the Atom well-formed. feedparser cannot read JSON Feed yet, so the JSON
//! feed is read with feed-rs and checked against the JSON Feed 1.1 spec.
//! Feeds answer conditional requests with 304.

use crate::support::TestApp;
use crate::support::xml::{element_names, expat_accepts, feedparser};
use crate::support::{Reply, SEED_ID, articles_dir, get};
use axum::Router;
use serde_json::Value;

const SEED_TITLE: &str = "US, South Korea and Japan slam ‘dangerous’ ties between Russia, North Korea";
const ATOM: &str = "application/atom+xml; charset=utf-8";
const JSON_FEED: &str = "application/feed+json; charset=utf-8";

fn app(dir: &std::path::Path, base: &str) -> Router {
    TestApp::over(dir).base(base).build().router
}

async fn fetch(app: &Router, path: &str, host: &str) -> Reply {
    let reply = get(app, path, &[("host", host)]).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    reply
}

/// Parses with feedparser and checks what every feed must satisfy; `None`
/// when feedparser is not available (the test then skips).
fn parse_cleanly(reply: &Reply, content_type: &str) -> Option<Value> {
    assert_eq!(reply.header("content-type"), Some(content_type));
    let parsed = feedparser(&reply.body, content_type)?;
    assert_eq!(parsed["bozo"], 0, "feedparser complained: {}", parsed["bozo_exception"]);
    Some(parsed)
}

fn check_seed_entry(parsed: &Value, seed_url: &str) {
    let seed = &parsed["entries"][0];
    assert_eq!(seed["title"], SEED_TITLE);
    assert_eq!(seed["link"], seed_url);
    assert_eq!(seed["id"], seed_url);
    assert_eq!(seed["updated"], "2024-11-16");
    assert_eq!(seed["published"], "2024-11-16");
    assert_eq!(seed["author"], "Al Jazeera");
    assert_eq!(seed["tags"], serde_json::json!(["World News"]));
    let content = seed["content"].as_str().unwrap_or_default();
    assert!(content.contains("<p>The leaders of the United States"), "content is HTML: {content}");
}

#[tokio::test]
async fn feedparser_reads_the_atom_feed_without_warnings() {
    let dir = articles_dir(60);
    let app = app(dir.path(), "/");
    let reply = fetch(&app, "/feed.xml", "news.example:8080").await;
    let names = element_names(&reply.text());
    assert_eq!(names.iter().filter(|name| *name == "entry").count(), 50, "the latest 50 articles");
    if let Some(strict) = expat_accepts(&reply.body) {
        assert!(strict, "expat rejects the Atom feed");
    }
    let Some(parsed) = parse_cleanly(&reply, ATOM) else { return };
    assert_eq!(parsed["version"], "atom10");
    assert_eq!(parsed["title"], "Broadsheet");
    assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(50));
    check_seed_entry(&parsed, &format!("http://news.example:8080/articles/{SEED_ID}"));
    assert!(
        parsed["links"].as_array().is_some_and(|links| links.contains(&"http://news.example:8080/feed.xml".into()))
    );
}

/// Top-level and item keys JSON Feed 1.1 defines (extensions start with `_`).
const FEED_KEYS: &[&str] = &[
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
];
const ITEM_KEYS: &[&str] = &[
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
];

/// Checks a JSON feed against the JSON Feed 1.1 spec and reads it with
/// feed-rs, then with feedparser when it can read JSON feeds (no release up
/// to 6.0.14 can: a notice says so, and feed-rs and the spec check stand in).
fn parse_json_feed(reply: &Reply) -> Value {
    assert_eq!(reply.header("content-type"), Some(JSON_FEED));
    let feed: Value = serde_json::from_slice(&reply.body).expect("valid JSON");
    check_json_feed_spec(&feed);
    check_with_feed_rs(&reply.body, &feed);
    match feedparser(&reply.body, JSON_FEED) {
        Some(parsed) if parsed["json_support"] == true => {
            assert_eq!(parsed["bozo"], 0, "feedparser complained: {}", parsed["bozo_exception"]);
            assert_eq!(parsed["version"], "json11");
            assert_eq!(parsed["entries"].as_array().map(Vec::len), feed["items"].as_array().map(Vec::len));
        }
        Some(_) => eprintln!("notice: this feedparser cannot read JSON feeds; checked against the JSON Feed 1.1 spec"),
        None => {}
    }
    feed
}

/// Reads a JSON feed with feed-rs, the parser of Rust feed readers such as
/// NewsFlash, and checks that it finds every item with the id, title, link,
/// date and content the JSON gives.
fn check_with_feed_rs(body: &[u8], feed: &Value) {
    let parsed = feed_rs::parser::parse(body).expect("feed-rs reads the JSON feed");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(parsed.title.map(|title| title.content).as_deref(), feed["title"].as_str());
    let items = feed["items"].as_array().expect("items");
    assert_eq!(parsed.entries.len(), items.len(), "feed-rs sees every item");
    for (entry, item) in parsed.entries.iter().zip(items) {
        assert_eq!(Some(entry.id.as_str()), item["id"].as_str());
        assert_eq!(entry.title.as_ref().map(|title| title.content.as_str()), item["title"].as_str());
        assert_eq!(entry.links.first().map(|link| link.href.as_str()), item["url"].as_str());
        let published = item["date_published"].as_str().map(|date| date.parse::<jiff::Timestamp>().expect("RFC 3339"));
        assert_eq!(entry.published.map(|date| date.timestamp()), published.map(|date| date.as_second()));
        let content = entry.content.as_ref().and_then(|content| content.body.as_deref());
        assert_eq!(content, item["content_html"].as_str().or(item["content_text"].as_str()));
    }
}

fn check_json_feed_spec(feed: &Value) {
    let object = feed.as_object().expect("a JSON object");
    for key in object.keys() {
        assert!(FEED_KEYS.contains(&key.as_str()) || key.starts_with('_'), "unknown feed key {key}");
    }
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].is_string(), "a feed needs a title");
    for url in ["home_page_url", "feed_url"] {
        assert!(feed[url].as_str().is_some_and(|url| url.starts_with("http")), "{url} must be absolute");
    }
    for item in feed["items"].as_array().expect("items") {
        for key in item.as_object().expect("item object").keys() {
            assert!(ITEM_KEYS.contains(&key.as_str()) || key.starts_with('_'), "unknown item key {key}");
        }
        assert!(item["id"].as_str().is_some_and(|id| !id.is_empty()), "an item needs an id");
        assert!(item["url"].as_str().is_some_and(|url| url.starts_with("http")), "item urls are absolute");
        assert!(item["content_html"].is_string() || item["content_text"].is_string(), "an item needs content");
        for date in ["date_published", "date_modified"] {
            if let Some(date) = item.get(date) {
                let text = date.as_str().expect("dates are strings");
                assert!(text.parse::<jiff::Timestamp>().is_ok(), "{text} is not RFC 3339");
            }
        }
        for author in item["authors"].as_array().into_iter().flatten() {
            assert!(author["name"].is_string(), "authors have names");
        }
        for tag in item["tags"].as_array().into_iter().flatten() {
            assert!(tag.is_string(), "tags are strings");
        }
    }
}

#[tokio::test]
async fn the_json_feed_follows_json_feed_1_1() {
    let dir = articles_dir(3);
    let app = app(dir.path(), "/");
    let reply = fetch(&app, "/feed.json", "news.example").await;
    let feed = parse_json_feed(&reply);
    assert_eq!(feed["feed_url"], "http://news.example/feed.json");
    assert_eq!(feed["home_page_url"], "http://news.example/");
    let items = feed["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    let seed = &items[0];
    assert_eq!(seed["title"], SEED_TITLE);
    assert_eq!(seed["url"], format!("http://news.example/articles/{SEED_ID}"));
    assert_eq!(seed["id"], seed["url"]);
    assert_eq!(seed["date_published"], "2024-11-16T00:00:00+00:00");
    assert_eq!(seed["authors"][0]["name"], "Al Jazeera");
    assert_eq!(seed["tags"], serde_json::json!(["World News"]));
    assert!(seed["content_html"].as_str().is_some_and(|html| html.starts_with("<p>The leaders")));
}

#[tokio::test]
async fn feeds_under_a_sub_path_link_below_the_base_url() {
    let dir = articles_dir(2);
    let app = app(dir.path(), "https://example.org/news/");
    let seed_url = format!("https://example.org/news/articles/{SEED_ID}");
    // Whether or not the proxy strips the prefix, and whatever Host it sends.
    for path in ["/news/feed.xml", "/feed.xml"] {
        let reply = fetch(&app, path, "127.0.0.1:3000").await;
        assert!(!reply.text().contains("127.0.0.1"), "the configured base URL wins over Host");
        element_names(&reply.text());
        let Some(parsed) = parse_cleanly(&reply, ATOM) else { return };
        check_seed_entry(&parsed, &seed_url);
        assert_eq!(parsed["link"], "https://example.org/news/");
    }
    let feed = parse_json_feed(&fetch(&app, "/news/feed.json", "127.0.0.1:3000").await);
    assert_eq!(feed["items"][0]["url"], seed_url);
    assert_eq!(feed["home_page_url"], "https://example.org/news/");
    assert_eq!(feed["feed_url"], "https://example.org/news/feed.json");
}

#[tokio::test]
async fn each_host_gets_its_own_absolute_urls() {
    let dir = articles_dir(1);
    let app = app(dir.path(), "/");
    let first = fetch(&app, "/feed.xml", "a.example").await;
    let second = fetch(&app, "/feed.xml", "b.example").await;
    assert!(first.text().contains("http://a.example/articles/"));
    assert!(second.text().contains("http://b.example/articles/"), "a cached page for another Host leaked");
    assert!(!second.text().contains("a.example"));
}

#[tokio::test]
async fn feeds_answer_conditional_requests_with_304() {
    let dir = articles_dir(2);
    let app = app(dir.path(), "/");
    for path in ["/feed.xml", "/feed.json"] {
        let first = fetch(&app, path, "news.example").await;
        let etag = first.header("etag").expect("ETag").to_owned();
        let modified = first.header("last-modified").expect("Last-Modified").to_owned();
        let again = get(&app, path, &[("host", "news.example"), ("if-none-match", &etag)]).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        let since = get(&app, path, &[("host", "news.example"), ("if-modified-since", &modified)]).await;
        assert_eq!(since.status, 304, "{path}");
    }
}

#[tokio::test]
async fn feeds_are_compressed_for_clients_that_accept_it() {
    let dir = articles_dir(5);
    let app = app(dir.path(), "/");
    for path in ["/feed.xml", "/feed.json"] {
        let reply = get(&app, path, &[("host", "news.example"), ("accept-encoding", "br")]).await;
        assert_eq!(reply.header("content-encoding"), Some("br"), "{path}");
        assert_eq!(reply.header("vary"), Some("accept-encoding"), "{path}");
    }
}

#[tokio::test]
async fn markup_and_control_characters_in_articles_cannot_break_the_feed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Title: Tom & Jerry </title><script>alert(1)</script>\u{1}\nDate: 2024-05-01\nSource: A <b>wire</b>\n\n\
                Body with <em>tags</em> & an ampersand ]]> and a control \u{b} byte.\n";
    std::fs::write(dir.path().join("tricky.txt"), text).expect("write article");
    let app = app(dir.path(), "/");
    let reply = fetch(&app, "/feed.xml", "news.example").await;
    element_names(&reply.text());
    if let Some(strict) = expat_accepts(&reply.body) {
        assert!(strict, "expat rejects the Atom feed:\n{}", reply.text());
    }
    let Some(parsed) = parse_cleanly(&reply, ATOM) else { return };
    let entry = &parsed["entries"][0];
    assert_eq!(entry["title"], "Tom & Jerry </title><script>alert(1)</script>");
    let content = entry["content"].as_str().unwrap_or_default();
    // feedparser hands back the entry's HTML: the article's markup must be
    // escaped text in it, never an element.
    assert!(
        content.contains("Body with &#60;em&#62;tags") && !content.contains("<em>"),
        "markup stays text: {content}"
    );
    let json = parse_json_feed(&fetch(&app, "/feed.json", "news.example").await);
    assert_eq!(json["items"][0]["title"], "Tom & Jerry </title><script>alert(1)</script>");
}

#[tokio::test]
async fn feedparser_reads_section_and_source_feeds_under_a_sub_path() {
    let dir = articles_dir(60);
    let app = app(dir.path(), "https://example.org/news/");
    let seed_url = format!("https://example.org/news/articles/{SEED_ID}");
    let reply = fetch(&app, "/news/sections/world-news/feed.xml", "127.0.0.1").await;
    element_names(&reply.text());
    if let Some(strict) = expat_accepts(&reply.body) {
        assert!(strict, "expat rejects the section feed");
    }
    if let Some(parsed) = parse_cleanly(&reply, ATOM) {
        assert_eq!(parsed["title"], "World News – Broadsheet");
        assert_eq!(parsed["link"], "https://example.org/news/sections/world-news");
        assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(1));
        check_seed_entry(&parsed, &seed_url);
    }
    let business = fetch(&app, "/news/sections/business/feed.xml", "127.0.0.1").await;
    if let Some(parsed) = parse_cleanly(&business, ATOM) {
        let entries = parsed["entries"].as_array().cloned().unwrap_or_default();
        assert_eq!(entries.len(), 50, "the latest 50 of the section's 60");
        assert!(entries.iter().all(|entry| entry["tags"] == serde_json::json!(["Business"])));
    }
    let feed = parse_json_feed(&fetch(&app, "/news/sources/al-jazeera/feed.json", "127.0.0.1").await);
    assert_eq!(feed["feed_url"], "https://example.org/news/sources/al-jazeera/feed.json");
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(feed["items"][0]["url"], seed_url);
    let source = fetch(&app, "/news/sources/test-wire/feed.xml", "127.0.0.1").await;
    if let Some(parsed) = parse_cleanly(&source, ATOM) {
        assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(50));
    }
}

#[tokio::test]
async fn search_feeds_list_the_newest_matches_with_the_query_in_their_urls() {
    let dir = articles_dir(5);
    let app = TestApp::over(dir.path()).search_ready().build().router;
    let reply = fetch(&app, "/search/feed.xml?q=Yoon", "news.example").await;
    assert!(reply.text().contains(r#"href="http://news.example/search/feed.xml?q=Yoon""#), "self link has the query");
    if let Some(parsed) = parse_cleanly(&reply, ATOM) {
        assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(1));
        check_seed_entry(&parsed, &format!("http://news.example/articles/{SEED_ID}"));
    }
    // Filters travel in the feed's own URLs, escaped in the XML.
    let filtered = fetch(&app, "/search/feed.xml?q=paragraph&section=business", "news.example").await;
    assert!(filtered.text().contains("search/feed.xml?q=paragraph&amp;section=business"), "{}", filtered.text());
    element_names(&filtered.text());
    if let Some(parsed) = parse_cleanly(&filtered, ATOM) {
        assert_eq!(parsed["entries"].as_array().map(Vec::len), Some(5), "the five Business articles");
    }
    let feed = parse_json_feed(&fetch(&app, "/search/feed.json?q=Yoon", "news.example").await);
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn unknown_lists_and_empty_searches_get_no_feed() {
    let dir = articles_dir(1);
    let app = TestApp::over(dir.path()).search_ready().build().router;
    for (path, status) in [
        ("/sections/no-such-section/feed.xml", 404),
        ("/sources/no-such-source/feed.json", 404),
        ("/sections/world-news/feed.txt", 404),
        ("/search/feed.xml", 400),
        ("/search/feed.xml?q=x&section=nowhere", 400),
    ] {
        assert_eq!(get(&app, path, &[("host", "news.example")]).await.status, status, "{path}");
    }
}

#[tokio::test]
async fn section_feeds_answer_conditional_requests_with_304() {
    let dir = articles_dir(2);
    let app = app(dir.path(), "/");
    let first = fetch(&app, "/sections/business/feed.xml", "news.example").await;
    let etag = first.header("etag").expect("ETag").to_owned();
    let again = get(&app, "/sections/business/feed.xml", &[("host", "news.example"), ("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
}

/// The `href`s of visible links whose text contains `text`.
fn visible_links(html: &str, text: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let anchors = scraper::Selector::parse("body a[href]").expect("selector");
    document
        .select(&anchors)
        .filter(|anchor| anchor.text().collect::<String>().contains(text))
        .filter_map(|anchor| anchor.value().attr("href").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn pages_show_readers_where_the_feeds_are() {
    let dir = articles_dir(2);
    let app = app(dir.path(), "https://example.org/news/");
    // Every page's footer links the site's feeds, below the base path.
    for path in ["/", &format!("/articles/{SEED_ID}"), "/sections"] {
        let html = fetch(&app, path, "example.org").await.text();
        assert_eq!(visible_links(&html, "Atom feed"), ["/news/feed.xml"], "{path}");
        assert_eq!(visible_links(&html, "JSON Feed"), ["/news/feed.json"], "{path}");
    }
    // A section's page links the section's own feed, which is served.
    let html = fetch(&app, "/sections/world-news", "example.org").await.text();
    assert_eq!(visible_links(&html, "Feed of these articles"), ["/news/sections/world-news/feed.xml"]);
    fetch(&app, "/sections/world-news/feed.xml", "example.org").await;
}
