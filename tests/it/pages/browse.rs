//! Browsing by section, source and date through the real router, over a
//! directory of hand-written articles across sections, sources and months,
//! some undated.

use std::collections::{BTreeSet, VecDeque};

use crate::support::fixtures::{Fixture, app, listed_titles, write_fixtures};
use crate::support::get;
use crate::support::links;
use axum::http::StatusCode;

fn fixtures() -> Vec<Fixture<'static>> {
    let article = |path, section, title, date, source| Fixture {
        path,
        section,
        title,
        date,
        source,
        body: "A paragraph of text, long enough to read as a body.\n\nA second paragraph.",
    };
    vec![
        article("world/a", Some("World News"), "Alpha summit in Lima", Some("16 November 2024"), Some("Al Jazeera")),
        article("world/b", Some("World News"), "Beta talks resume", Some("3 November 2024"), Some("BBC News")),
        article("world/c", Some("World News"), "Gamma vote counted", Some("20 October 2024"), Some("Al Jazeera")),
        article("business/d", Some("Business"), "Delta earnings rise", Some("5 October 2024"), Some("BBC News")),
        article("business/e", Some("Business"), "Epsilon café opens", Some("12 March 2023"), Some("Reuters")),
        article("f", Some("Économie"), "Zeta budget passed", Some("1 January 2023"), Some("Le Monde")),
        article("undated/g", Some("Business"), "Eta has no date", None, Some("Reuters")),
        article("undated/h", None, "Theta has nothing", None, None),
    ]
}

#[tokio::test]
async fn sections_page_lists_every_section_with_its_count() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let page = get(&router, "/sections", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "<a href=\"/sections/business\">Business</a> <span class=\"count\">3 articles</span>",
        "<a href=\"/sections/economie\">Économie</a> <span class=\"count\">1 article</span>",
        "<a href=\"/sections/world-news\">World News</a> <span class=\"count\">3 articles</span>",
    ] {
        assert!(page.text().contains(expected), "missing {expected}");
    }
    assert!(page.text().contains("href=\"/sections\" aria-current=\"page\""), "nav marks Sections");
}

#[tokio::test]
async fn each_list_holds_exactly_its_articles_newest_first() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let cases: [(&str, &[&str]); 10] = [
        ("/sections/world-news", &["Alpha summit in Lima", "Beta talks resume", "Gamma vote counted"]),
        ("/sections/business", &["Delta earnings rise", "Epsilon café opens", "Eta has no date"]),
        ("/sections/economie", &["Zeta budget passed"]),
        ("/sources/al-jazeera", &["Alpha summit in Lima", "Gamma vote counted"]),
        ("/sources/bbc-news", &["Beta talks resume", "Delta earnings rise"]),
        ("/sources/reuters", &["Epsilon café opens", "Eta has no date"]),
        ("/archive/2024", &["Alpha summit in Lima", "Beta talks resume", "Gamma vote counted", "Delta earnings rise"]),
        ("/archive/2024/10", &["Gamma vote counted", "Delta earnings rise"]),
        ("/archive/2023/01", &["Zeta budget passed"]),
        ("/archive/undated", &["Eta has no date", "Theta has nothing"]),
    ];
    for (uri, expected) in cases {
        let page = get(&router, uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(listed_titles(&page.text()), expected, "{uri}");
    }
}

#[tokio::test]
async fn sources_and_archive_pages_show_counts() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let sources = get(&router, "/sources", &[]).await.text();
    assert!(sources.contains("<a href=\"/sources/le-monde\">Le Monde</a> <span class=\"count\">1 article</span>"));
    let archive = get(&router, "/archive", &[]).await.text();
    for expected in [
        "<a href=\"/archive/2024\">2024</a> <span class=\"count\">4 articles</span>",
        "<a href=\"/archive/2024/11\">November 2024</a> <span class=\"count\">2 articles</span>",
        "<a href=\"/archive/2023/03\">March 2023</a> <span class=\"count\">1 article</span>",
        "<a href=\"/archive/undated\">Undated articles</a> <span class=\"count\">2 articles</span>",
    ] {
        assert!(archive.contains(expected), "archive lacks {expected}");
    }
    let years: Vec<_> = ["/archive/2024\"", "/archive/2023\""].iter().map(|year| archive.find(year)).collect();
    assert!(years[0] < years[1], "newest year first");
}

#[tokio::test]
async fn unknown_lists_are_404_pages_not_errors() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    for uri in [
        "/sections/nope",
        "/sources/nope",
        "/archive/1999",
        "/archive/2024/13",
        "/archive/abcd",
        "/archive/2024/xx",
        "/sections/world-news?page=2",
    ] {
        let page = get(&router, uri, &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.text().contains("<!DOCTYPE html>"), "{uri} has an HTML error page");
    }
    assert_eq!(get(&router, "/sections/world-news?page=x", &[]).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn article_links_its_section_source_and_month() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let page = get(&router, "/articles/world/b", &[]).await.text();
    for expected in ["href=\"/sections/world-news\"", "href=\"/sources/bbc-news\"", "href=\"/archive/2024/11\""] {
        assert!(page.contains(expected), "article lacks {expected}");
    }
    assert!(page.contains("min read"));
    let undated = get(&router, "/articles/undated/h", &[]).await.text();
    assert!(undated.contains("href=\"/archive/undated\""));
}

#[tokio::test]
async fn neighbours_stay_within_the_list_the_reader_came_from() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let by_date = get(&router, "/articles/world/b", &[]).await.text();
    assert!(by_date.contains("rel=\"prev\" href=\"/articles/world/a\""), "newer by date");
    assert!(by_date.contains("rel=\"next\" href=\"/articles/world/c\""), "older by date");
    let by_source = get(&router, "/articles/world/b?from=source:bbc-news", &[]).await.text();
    assert!(!by_source.contains("rel=\"prev\""), "b is the newest BBC article");
    assert!(by_source.contains("rel=\"next\" href=\"/articles/business/d?from=source:bbc-news\""));
    let section_list = get(&router, "/sections/business", &[]).await.text();
    assert!(section_list.contains("href=\"/articles/business/e?from=section:business\""), "lists pass `from` on");
    let in_business = get(&router, "/articles/business/e?from=section:business", &[]).await.text();
    assert!(in_business.contains("rel=\"next\" href=\"/articles/undated/g?from=section:business\""));
    // A `from` that does not hold the article, or is nonsense, falls back to date order.
    for from in ["section:world-news", "nonsense", "archive:2024-99"] {
        let page = get(&router, &format!("/articles/business/e?from={from}"), &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("rel=\"next\" href=\"/articles/f\""), "from={from}");
    }
}

#[tokio::test]
async fn long_lists_are_paginated() {
    let titles: Vec<String> = (1..=45).map(|day| format!("Match report {day:02}")).collect();
    let dates: Vec<String> = (1..=45).map(|day| format!("{} January 2024", (day - 1) % 28 + 1)).collect();
    let paths: Vec<String> = (1..=45).map(|day| format!("sport/{day:02}")).collect();
    let fixtures: Vec<Fixture> = (0..45)
        .map(|index| Fixture {
            path: &paths[index],
            section: Some("Sport"),
            title: &titles[index],
            date: Some(&dates[index]),
            source: Some("BBC Sport"),
            body: "Goals.",
        })
        .collect();
    let dir = write_fixtures(&fixtures);
    let router = app(dir.path(), "/").router;
    for base in ["/sections/sport", "/sources/bbc-sport", "/archive/2024", "/archive/2024/01"] {
        let first = get(&router, base, &[]).await.text();
        assert_eq!(listed_titles(&first).len(), 20, "{base}");
        assert!(first.contains(&format!("href=\"{base}?page=2\"")), "{base} links page 2");
        let last = get(&router, &format!("{base}?page=3"), &[]).await;
        assert_eq!(listed_titles(&last.text()).len(), 5, "{base} page 3");
        assert_eq!(get(&router, &format!("{base}?page=4"), &[]).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn links_use_the_base_path() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/news/").router;
    let page = get(&router, "/sections/world-news", &[]).await.text();
    for link in links(&page) {
        assert!(link.starts_with("/news/") || link == "#main", "link {link} ignores the base path");
    }
}

#[tokio::test]
async fn every_page_has_the_navigation_and_a_search_form() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    for uri in ["/", "/sections", "/sources/reuters", "/archive", "/articles/f", "/search?q=alpha", "/nope"] {
        let body = get(&router, uri, &[]).await.text();
        assert!(body.contains("action=\"/search\""), "{uri} has the search form");
        for nav in ["href=\"/sections\"", "href=\"/sources\"", "href=\"/archive\"", "href=\"/search\""] {
            assert!(body.contains(nav), "{uri} links {nav}");
        }
    }
    assert!(get(&router, "/", &[]).await.text().contains("href=\"/\" aria-current=\"page\""));
    assert!(get(&router, "/archive/2024", &[]).await.text().contains("href=\"/archive\" aria-current=\"true\""));
}

/// Follows every internal link from the home page (bounded) and checks that
/// each answers 200.
#[tokio::test]
async fn a_crawl_finds_no_broken_link() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(uri) = queue.pop_front() {
        let page = get(&router, &uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{uri} is broken");
        for link in links(&page.text()) {
            let link = link.split('#').next().unwrap_or_default().to_owned();
            if link.starts_with('/') && seen.len() < 500 && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    assert!(seen.len() > 30, "the crawl saw only {} pages", seen.len());
}
