//! Link previews and search engines: Open Graph, Twitter card and JSON-LD on
//! the seed article (read with an HTML parser, not grepped), the sitemap
//! (every article once, valid XML, an index past 50,000 URLs), robots.txt,
//! OpenSearch, feed discovery links and the site description.

use std::collections::BTreeMap;

use crate::support::TestApp;
use crate::support::xml::{element_names, expat_accepts};
use crate::support::{SEED_ID, articles_dir, get};
use axum::Router;
use broadsheet::article::{Article, ArticleId};
use broadsheet::library::Library;
use broadsheet::web::Site;
use scraper::{Html, Selector};
use serde_json::Value;

const SEED_TITLE: &str = "US, South Korea and Japan slam ‘dangerous’ ties between Russia, North Korea";

fn app(dir: &std::path::Path, base: &str) -> Router {
    TestApp::over(dir).base(base).build().router
}

async fn page(app: &Router, path: &str, host: &str) -> Html {
    let reply = get(app, path, &[("host", host)]).await;
    assert_eq!(reply.status, 200, "{path}");
    Html::parse_document(&reply.text())
}

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector).map(|element| element.value().attr("content").unwrap_or_default().to_owned()).collect()
}

/// The `content` of the one `<meta>` matching `attribute=value`.
fn meta(html: &Html, attribute: &str, value: &str) -> String {
    let found = select(html, &format!("head meta[{attribute}=\"{value}\"]"));
    assert_eq!(found.len(), 1, "exactly one meta {attribute}={value}, found {found:?}");
    found[0].clone()
}

fn json_ld(html: &Html) -> Value {
    let selector = Selector::parse("script[type=\"application/ld+json\"]").expect("selector");
    let blocks: Vec<String> = html.select(&selector).map(|element| element.text().collect()).collect();
    assert_eq!(blocks.len(), 1, "one JSON-LD block");
    serde_json::from_str(&blocks[0]).expect("JSON-LD is valid JSON")
}

#[tokio::test]
async fn the_seed_article_has_open_graph_and_twitter_card_tags() {
    let dir = articles_dir(2);
    let app = app(dir.path(), "https://example.org/news/");
    let html = page(&app, &format!("/news/articles/{SEED_ID}"), "127.0.0.1").await;
    let url = format!("https://example.org/news/articles/{SEED_ID}");
    assert_eq!(meta(&html, "property", "og:title"), SEED_TITLE);
    assert_eq!(meta(&html, "property", "og:url"), url);
    assert_eq!(meta(&html, "property", "og:type"), "article");
    assert_eq!(meta(&html, "property", "og:site_name"), "Broadsheet");
    assert_eq!(meta(&html, "property", "article:published_time"), "2024-11-16");
    assert_eq!(meta(&html, "property", "article:section"), "World News");
    assert_eq!(meta(&html, "name", "twitter:card"), "summary");
    assert_eq!(meta(&html, "name", "twitter:title"), SEED_TITLE);
    let description = meta(&html, "name", "description");
    assert_eq!(
        description,
        "The leaders of the United States, South Korea and Japan have held a joint news conference to denounce \
         the growing military cooperation between North Korea and Russia."
    );
    assert_eq!(meta(&html, "property", "og:description"), description);
    assert_eq!(meta(&html, "name", "twitter:description"), description);
    let canonical = Selector::parse("link[rel=canonical]").expect("selector");
    assert_eq!(html.select(&canonical).next().and_then(|link| link.value().attr("href")), Some(url.as_str()));
}

#[tokio::test]
async fn og_url_is_absolute_even_without_a_configured_origin() {
    let dir = articles_dir(0);
    let app = app(dir.path(), "/");
    let html = page(&app, &format!("/articles/{SEED_ID}"), "news.example:8080").await;
    assert_eq!(meta(&html, "property", "og:url"), format!("http://news.example:8080/articles/{SEED_ID}"));
    assert_eq!(json_ld(&html)["url"], format!("http://news.example:8080/articles/{SEED_ID}"));
}

#[tokio::test]
async fn the_seed_article_has_news_article_structured_data() {
    let dir = articles_dir(0);
    let app = app(dir.path(), "https://example.org/news/");
    let html = page(&app, &format!("/articles/{SEED_ID}"), "example.org").await;
    let data = json_ld(&html);
    let url = format!("https://example.org/news/articles/{SEED_ID}");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], SEED_TITLE);
    assert_eq!(data["datePublished"], "2024-11-16");
    assert_eq!(data["articleSection"], "World News");
    assert_eq!(data["url"], url);
    assert_eq!(data["mainEntityOfPage"]["@id"], url);
    assert_eq!(data["publisher"]["name"], "Al Jazeera");
    assert_eq!(data["author"]["name"], "Al Jazeera");
}

#[tokio::test]
async fn json_ld_cannot_be_broken_out_of_by_an_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let title = "Breaking </script><script>alert(1)</script> <!-- news";
    std::fs::write(dir.path().join("evil.txt"), format!("Title: {title}\nSection: A&B\n\nBody </script>.\n"))
        .expect("write");
    let app = app(dir.path(), "/");
    let html = page(&app, "/articles/evil", "news.example").await;
    let inline = Selector::parse("script:not([src])").expect("selector");
    let types: Vec<_> = html.select(&inline).map(|script| script.value().attr("type").unwrap_or("")).collect();
    assert_eq!(types, ["application/ld+json"], "no other inline script appeared");
    let data = json_ld(&html);
    assert_eq!(data["headline"], title);
    assert_eq!(data["articleSection"], "A&B");
    assert_eq!(meta(&html, "property", "og:title"), title);
}

#[tokio::test]
async fn the_sitemap_lists_every_article_once_as_valid_xml() {
    let dir = articles_dir(30);
    let app = app(dir.path(), "https://example.org/news/");
    let reply = get(&app, "/sitemap.xml", &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/xml; charset=utf-8"));
    assert!(reply.header("last-modified").is_some());
    let xml = reply.text();
    let names = element_names(&xml);
    assert_eq!(names.first().map(String::as_str), Some("urlset"));
    if let Some(strict) = expat_accepts(&reply.body) {
        assert!(strict, "expat rejects the sitemap");
    }
    let locations = texts_of(&xml, "loc");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for location in &locations {
        *counts.entry(location.as_str()).or_default() += 1;
    }
    let library = broadsheet::library::load_dir(dir.path()).expect("load");
    for article in library.articles() {
        let url = format!("https://example.org/news/articles/{}", article.id);
        assert_eq!(counts.get(url.as_str()), Some(&1), "{url} once");
    }
    assert_eq!(locations.len(), library.len() + 1, "the articles and the home page");
    assert_eq!(texts_of(&xml, "lastmod").len(), library.len(), "every article has a lastmod");
}

/// The text of every `<name>` element (the sitemap has no nesting inside).
fn texts_of(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    xml.split(&open).skip(1).filter_map(|rest| rest.split(&close).next()).map(str::to_owned).collect()
}

#[tokio::test]
async fn over_50000_urls_the_sitemap_becomes_an_index() {
    let articles: Vec<Article> = (0..50_001)
        .map(|n| Article {
            id: ArticleId::new(format!("a{n:05}")),
            title: format!("Article {n}"),
            ..Article::default()
        })
        .collect();
    let site = Site::new("Broadsheet", "https://example.org/news/");
    let app = TestApp::of(Library::new(articles, Vec::new())).site(site).build().router;
    let index = get(&app, "/sitemap.xml", &[]).await.text();
    assert_eq!(element_names(&index).first().map(String::as_str), Some("sitemapindex"));
    let parts = texts_of(&index, "loc");
    assert_eq!(parts, ["https://example.org/news/sitemaps/1.xml", "https://example.org/news/sitemaps/2.xml"]);
    let mut seen = std::collections::BTreeSet::new();
    for path in ["/sitemaps/1.xml", "/sitemaps/2.xml"] {
        let part = get(&app, path, &[]).await;
        assert_eq!(part.status, 200, "{path}");
        let locations = texts_of(&part.text(), "loc");
        assert!(locations.len() <= 50_000, "{path} has {}", locations.len());
        for location in locations {
            assert!(seen.insert(location.clone()), "{location} listed twice");
        }
    }
    assert_eq!(seen.len(), 50_002, "every article once, and the home page");
    assert_eq!(get(&app, "/sitemaps/3.xml", &[]).await.status, 404);
}

#[tokio::test]
async fn robots_txt_points_to_the_absolute_sitemap() {
    let dir = articles_dir(0);
    for (base, host, expected) in [
        ("https://example.org/news/", "127.0.0.1", "Sitemap: https://example.org/news/sitemap.xml"),
        ("/", "news.example", "Sitemap: http://news.example/sitemap.xml"),
    ] {
        let reply = get(&app(dir.path(), base), "/robots.txt", &[("host", host)]).await;
        assert_eq!(reply.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(reply.text().lines().any(|line| line == expected), "{base}: {}", reply.text());
        assert!(reply.text().starts_with("User-agent: *\n"));
    }
}

#[tokio::test]
async fn browsers_can_discover_the_site_search_and_feeds() {
    let dir = articles_dir(0);
    let app = app(dir.path(), "https://example.org/news/");
    let html = page(&app, "/", "example.org").await;
    let link = |css: &str| {
        let selector = Selector::parse(css).expect("selector");
        html.select(&selector).filter_map(|link| link.value().attr("href").map(str::to_owned)).collect::<Vec<_>>()
    };
    assert_eq!(link("link[rel=search][type=\"application/opensearchdescription+xml\"]"), ["/news/opensearch.xml"]);
    assert_eq!(link("link[rel=alternate][type=\"application/atom+xml\"]"), ["/news/feed.xml"]);
    assert_eq!(link("link[rel=alternate][type=\"application/feed+json\"]"), ["/news/feed.json"]);
    let reply = get(&app, "/opensearch.xml", &[]).await;
    assert_eq!(reply.header("content-type"), Some("application/opensearchdescription+xml; charset=utf-8"));
    let xml = reply.text();
    assert_eq!(element_names(&xml).first().map(String::as_str), Some("OpenSearchDescription"));
    assert!(xml.contains(r#"template="https://example.org/news/search?q={searchTerms}""#), "{xml}");
    assert!(texts_of(&xml, "ShortName").iter().all(|name| name.chars().count() <= 16));
}

#[tokio::test]
async fn the_site_description_is_in_the_header_meta_tags_and_feeds() {
    let dir = articles_dir(0);
    let site = Site::new("The Daily <Test>", "/").with_description("All the news & more");
    let app = TestApp::over(dir.path()).site(site).build().router;
    let html = page(&app, "/", "news.example").await;
    assert_eq!(meta(&html, "name", "description"), "All the news & more");
    let header = Selector::parse("header .site-description").expect("selector");
    assert_eq!(html.select(&header).next().map(|p| p.text().collect::<String>()), Some("All the news & more".into()));
    let title = Selector::parse("title").expect("selector");
    assert_eq!(
        html.select(&title).next().map(|t| t.text().collect::<String>()),
        Some("The Daily <Test> – All the news & more".into())
    );
    let feed = get(&app, "/feed.xml", &[("host", "news.example")]).await.text();
    assert!(feed.contains("<title>The Daily &lt;Test&gt;</title>"), "{feed}");
    assert!(feed.contains("<subtitle>All the news &amp; more</subtitle>"), "{feed}");
    let json: Value =
        serde_json::from_slice(&get(&app, "/feed.json", &[("host", "news.example")]).await.body).expect("JSON");
    assert_eq!(json["description"], "All the news & more");
}

#[tokio::test]
async fn section_source_and_search_pages_link_their_own_feeds_first() {
    let dir = articles_dir(2);
    let app = TestApp::over(dir.path()).base("/news/").search_ready().build().router;
    for (path, own) in [
        ("/sections/world-news", "/news/sections/world-news/feed"),
        ("/sources/al-jazeera", "/news/sources/al-jazeera/feed"),
        ("/search?q=Yoon", "/news/search/feed"),
    ] {
        let html = page(&app, path, "example.org").await;
        let selector = Selector::parse("head link[rel=alternate]").expect("selector");
        let feeds: Vec<(String, String)> = html
            .select(&selector)
            .map(|link| {
                let attribute = |name| link.value().attr(name).unwrap_or_default().to_owned();
                (attribute("type"), attribute("href"))
            })
            .collect();
        let query = if path.contains('?') { "?q=Yoon" } else { "" };
        let expected = [
            ("application/atom+xml".to_owned(), format!("{own}.xml{query}")),
            ("application/feed+json".to_owned(), format!("{own}.json{query}")),
            ("application/atom+xml".to_owned(), "/news/feed.xml".to_owned()),
            ("application/feed+json".to_owned(), "/news/feed.json".to_owned()),
        ];
        assert_eq!(feeds, expected, "{path}");
    }
}
