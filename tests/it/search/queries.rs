//! Full-text search through the real router and the library API: the seed
//! article, hand-written articles for each feature of the query language,
//! filters, sorting, pagination, malformed queries and the not-ready state.

use std::sync::Arc;

use crate::support::TestApp;
use crate::support::fixtures::{Fixture, app, listed_titles, write_fixtures};
use crate::support::get;
use crate::support::shared_data::shared_dir;
use axum::http::StatusCode;
use broadsheet::library::load_dir;
use broadsheet::library::search::SearchIndex;
use serde_json::Value;

fn fixtures() -> Vec<Fixture<'static>> {
    vec![
        Fixture {
            path: "a",
            section: Some("World News"),
            title: "New sanctions on oil exports",
            date: Some("16 November 2024"),
            source: Some("Al Jazeera"),
            body: "Ministers agreed the measures on Friday.\n\nThe sanctioned firms may appeal.",
        },
        Fixture {
            path: "b",
            section: Some("Business"),
            title: "Markets calm",
            date: Some("2 October 2024"),
            source: Some("Reuters"),
            body: "Traders shrugged off talk of a sanction regime.\n\nA new Café opened near the exchange.",
        },
        Fixture {
            path: "c",
            section: Some("Business"),
            title: "Presidential race tightens",
            date: Some("5 March 2023"),
            source: Some("BBC News"),
            body: "The president spoke about <script>alert(1)</script> & other things.\n\nNo sanctions were discussed.",
        },
        Fixture {
            path: "d",
            section: None,
            title: "An undated note on oil",
            date: None,
            source: None,
            body: "Oil prices, markets and the cafe economy.",
        },
    ]
}

async fn api(router: &axum::Router, query: &str) -> (StatusCode, Value) {
    let page = get(router, &format!("/api/search?{query}"), &[]).await;
    (page.status, serde_json::from_str(&page.text()).unwrap_or(Value::Null))
}

fn ids(json: &Value) -> Vec<String> {
    json["articles"].as_array().map_or_else(Vec::new, |articles| {
        articles.iter().map(|article| article["id"].as_str().unwrap_or_default().to_owned()).collect()
    })
}

#[tokio::test]
async fn the_seed_article_is_found_by_words_phrases_and_names() {
    let Some(seeds) = shared_dir("seeds") else { return };
    let router = app(&seeds, "/").router;
    let seed = "000_3ea0f84f1e61d9e9";
    for query in ["q=Yoon", "q=%22Crimea+is+gone%22", "q=Zelenskyy", "q=yoon+zelenskyy", "q=title:korea"] {
        let (status, json) = api(&router, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(ids(&json), [seed], "{query}");
    }
    let (_, json) = api(&router, "q=Crimea+-Biden").await;
    assert!(ids(&json).is_empty(), "-Biden excludes the seed");
    let (status, json) = api(&router, "q=sanction*").await;
    assert_eq!(status, StatusCode::OK, "a prefix query answers");
    assert_eq!(json["total"], 0, "the seed never mentions sanctions");
    let (_, json) = api(&router, "q=Yoon").await;
    let snippet = json["articles"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>Yoon</mark>"), "snippet {snippet}");
    let html = get(&router, "/search?q=Yoon", &[]).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text().contains("<mark>Yoon</mark>"));
    assert!(html.text().contains("value=\"Yoon\""), "the box keeps the query");
}

#[tokio::test]
async fn stemming_folding_and_prefixes_match_word_forms() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let cases: [(&str, &[&str]); 8] = [
        ("q=sanction", &["a", "b", "c"]),
        ("q=sanction*&sort=date", &["a", "b", "c"]),
        ("q=cafe&sort=date", &["b", "d"]),
        ("q=CAF%C3%89&sort=date", &["b", "d"]),
        ("q=presiden*", &["c"]),
        ("q=oil+-undated", &["a"]),
        ("q=%22sanction+regime%22", &["b"]),
        ("q=source:reuters+sanction", &["b"]),
    ];
    for (query, expected) in cases {
        let (status, json) = api(&router, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let mut found = ids(&json);
        if !query.contains("sort=date") {
            found.sort();
        }
        assert_eq!(found, expected, "{query}");
    }
}

#[tokio::test]
async fn title_matches_rank_first_and_field_operators_restrict() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let (_, json) = api(&router, "q=markets").await;
    assert_eq!(ids(&json), ["b", "d"], "the title match (b) outranks the body match (d)");
    let (_, json) = api(&router, "q=title:sanctions").await;
    assert_eq!(ids(&json), ["a"]);
    let (_, json) = api(&router, "q=section:business").await;
    assert_eq!(ids(&json).len(), 2);
    let (_, json) = api(&router, "q=sanction").await;
    assert_eq!(ids(&json)[0], "a", "the title match ranks first");
}

#[tokio::test]
async fn filters_sort_and_pagination_combine() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let cases: [(&str, &[&str]); 6] = [
        ("q=sanction&section=business&sort=date", &["b", "c"]),
        ("q=sanction&source=al-jazeera", &["a"]),
        ("q=sanction&from=2024-01-01&sort=date", &["a", "b"]),
        ("q=sanction&to=2024-10-31&sort=date", &["b", "c"]),
        ("q=sanction&from=2024-10-01&to=2024-10-31", &["b"]),
        ("section=business&sort=date", &["b", "c"]),
    ];
    for (query, expected) in cases {
        let (status, json) = api(&router, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(ids(&json), expected, "{query}");
    }
    let (_, json) = api(&router, "q=sanction&sort=date").await;
    assert_eq!((json["total"].as_u64(), json["pages"].as_u64()), (Some(3), Some(1)));
    assert_eq!(api(&router, "q=sanction&page=2").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_results_are_paginated_and_keep_every_filter() {
    let titles: Vec<String> = (1..=25).map(|n| format!("Election update {n}")).collect();
    let paths: Vec<String> = (1..=25).map(|n| format!("e/{n:02}")).collect();
    let fixtures: Vec<Fixture> = (0..25)
        .map(|index| Fixture {
            path: &paths[index],
            section: Some("Politics"),
            title: &titles[index],
            date: Some("1 May 2024"),
            source: Some("BBC News"),
            body: "The count goes on.",
        })
        .collect();
    let dir = write_fixtures(&fixtures);
    let router = app(dir.path(), "/").router;
    let first =
        get(&router, "/search?q=election&section=politics&source=bbc-news&from=2024-01-01&sort=date", &[]).await;
    assert_eq!(listed_titles(&first.text()).len(), 20);
    let next = "/search?q=election&section=politics&source=bbc-news&from=2024-01-01&sort=date&page=2";
    assert!(crate::support::links(&first.text()).iter().any(|link| link == next), "page 2 keeps every parameter");
    let second = get(&router, next, &[]).await;
    assert_eq!(listed_titles(&second.text()).len(), 5);
    assert!(second.text().contains("<option value=\"politics\" selected>"), "the form keeps the filters");
}

#[tokio::test]
async fn malformed_queries_never_fail_the_server() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let long = "sanction+".repeat(600);
    let queries = [
        "q=%22sanction".to_owned(),
        "q=-".to_owned(),
        "q=%22%22+*+-+:".to_owned(),
        "q=title:".to_owned(),
        "q=AND+OR+NOT".to_owned(),
        "q=field:%5Ba+TO+b%5D".to_owned(),
        "q=%5C%5C%7B%7D%5E~2".to_owned(),
        format!("q={long}"),
        format!("q={}", "x".repeat(5000)),
    ];
    for query in &queries {
        for path in ["/search", "/api/search"] {
            let page = get(&router, &format!("{path}?{query}"), &[]).await;
            assert!(matches!(page.status.as_u16(), 200 | 400), "{path}?{query} answered {}", page.status);
        }
    }
    let (status, json) = api(&router, "q=%22sanction").await;
    assert_eq!((status, json["total"].as_u64()), (StatusCode::OK, Some(3)), "an unbalanced quote is dropped");
    let (status, json) = api(&router, "q=-+*").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json["error"]["message"].as_str().unwrap_or_default().contains("words to search for"));
    let html = get(&router, "/search?q=-+*", &[]).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text().contains("Type one or more words to search for."));
    let page = get(&router, &format!("/search?q={long}"), &[]).await;
    assert!(page.text().contains("only its beginning was used"));
}

#[tokio::test]
async fn bad_filters_are_explained() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    for (query, message) in [
        ("q=oil&from=yesterday", "must be a date like"),
        ("q=oil&section=nope", "There is no section"),
        ("q=oil&sort=best", "Unknown sort order"),
        ("q=oil&page=0", "not a page number"),
        ("q=oil&page=100000", "deep at most"),
    ] {
        let (status, json) = api(&router, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(json["error"]["message"].as_str().unwrap_or_default().contains(message), "{query}: {json}");
        let html = get(&router, &format!("/search?{query}"), &[]).await;
        assert_eq!(html.status, StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn snippets_highlight_matches_and_escape_the_text() {
    let dir = write_fixtures(&fixtures());
    let router = app(dir.path(), "/").router;
    let (_, json) = api(&router, "q=president").await;
    let snippet = json["articles"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>president</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;") && !snippet.contains("<script>"), "{snippet}");
    let (_, json) = api(&router, "q=cafe&sort=date").await;
    let snippet = json["articles"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>Café</mark>"), "folded match highlighted: {snippet}");
    let html = get(&router, "/search?q=president", &[]).await.text();
    assert!(!html.contains("<script>alert"), "no unescaped script on the page");
}

#[tokio::test]
async fn search_answers_indexing_until_the_index_is_ready() {
    let dir = write_fixtures(&fixtures());
    let library = load_dir(dir.path()).expect("load");
    let mut state = TestApp::over(dir.path()).state();
    state.search = Arc::new(SearchIndex::pending(library.len()));
    let router = broadsheet::web::router(state.clone());
    let api_page = get(&router, "/api/search?q=oil", &[]).await;
    assert_eq!(api_page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(api_page.headers.contains_key("retry-after"));
    let html = get(&router, "/search?q=oil", &[]).await;
    assert_eq!(html.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(html.text().contains("indexing…"), "the page says it is indexing");
    assert_eq!(get(&router, "/", &[]).await.status, StatusCode::OK, "pages answer meanwhile");
    state.search.build(&library);
    assert_eq!(get(&router, "/api/search?q=oil", &[]).await.status, StatusCode::OK);
}

#[test]
fn single_documents_can_be_replaced_and_deleted_by_id() {
    let dir = write_fixtures(&fixtures());
    let library = load_dir(dir.path()).expect("load");
    let index = SearchIndex::build_now(&library);
    assert_eq!(index.len(), 4);
    let mut changed = (**library.get("b").expect("b")).clone();
    changed.title = "Markets in turmoil".to_owned();
    index.update(&[&changed], &[broadsheet::article::ArticleId::new("d")]).expect("update");
    assert_eq!(index.len(), 3, "d deleted, b replaced rather than added");
}

/// Chinese has no spaces between words: the index cuts runs of ideographs
/// into overlapping pairs, so any two-character word is found, and a longer
/// run as a phrase of pairs, exactly where it occurs; words apart are all
/// required, as in English. The answers come from searching the files'
/// text for the same strings (ignoring case).
#[tokio::test]
async fn chinese_words_are_found_in_the_sogou_corpus() {
    let Some(sogou) = shared_dir("corpus/sogou-mini-zh") else { return };
    let router = app(&sogou, "/").router;
    let cases: [(&str, &[&str]); 7] = [
        ("联想", &["Sample/C000008/17", "Sample/C000010/10", "Sample/C000010/18", "Sample/C000020/12"]),
        ("经济发展", &["Sample/C000008/17", "Sample/C000013/10", "Sample/C000024/18"]),
        ("国际米兰", &["Sample/C000014/10"]),
        ("THINKPAD", &["Sample/C000010/10", "Sample/C000010/18"]),
        ("thinkpad 降价", &["Sample/C000010/10", "Sample/C000010/18"]),
        ("联想THINKPAD", &["Sample/C000010/10"]),
        ("中国经济", &[]),
    ];
    for (query, expected) in cases {
        let (status, json) = api(&router, &format!("q={}", encode(query))).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let mut found = ids(&json);
        found.sort();
        assert_eq!(found, expected, "{query}");
    }
    let (_, json) = api(&router, &format!("q={}", encode("中国 经济"))).await;
    assert_eq!(json["total"], 10, "the two words anywhere in an article");
    let (_, json) = api(&router, &format!("q={}&sort=date", encode("联想"))).await;
    let snippet = json["articles"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>联想</mark>"), "snippet {snippet}");
}

#[tokio::test]
async fn japanese_korean_and_glued_latin_words_are_found() {
    let dir = write_fixtures(&[
        Fixture {
            path: "ja",
            section: None,
            title: "東京都の発表",
            date: None,
            source: None,
            body: "東京都は新しい防災計画を発表した。地震に備えるためだ。",
        },
        Fixture {
            path: "ko",
            section: None,
            title: "서울시 발표",
            date: None,
            source: None,
            body: "서울시는 새로운 교통정책을 발표했다.",
        },
        Fixture {
            path: "zh",
            section: None,
            title: "笔记本降价",
            date: None,
            source: None,
            body: "联想THINKPAD近期几乎全系列笔记本电脑降价促销，最高降幅达到800美元。",
        },
    ]);
    let router = app(dir.path(), "/").router;
    let cases: [(&str, &[&str]); 9] = [
        ("防災", &["ja"]),
        ("地震", &["ja"]),
        ("정책", &["ko"]),
        ("교통정책", &["ko"]),
        ("ThinkPad", &["zh"]),
        ("笔记本电脑", &["zh"]),
        ("发表", &[]),
        ("防", &["ja"]),
        ("교*", &["ko"]),
    ];
    for (query, expected) in cases {
        let (status, json) = api(&router, &format!("q={}", encode(query))).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(ids(&json), expected, "{query}");
    }
    let (_, json) = api(&router, &format!("q={}", encode("防災計画"))).await;
    let snippet = json["articles"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>防災計画</mark>"), "overlapping pairs highlight as one: {snippet}");
}

/// `text` percent-encoded for a query string.
fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Hits of equal score, and hits of one date under `sort=date`, come in the
/// library's order (newest first, undated last, then by id) on every page —
/// also once some of them were replaced by live updates, which puts their
/// documents in another segment, after the others in the index.
#[test]
fn hits_of_equal_rank_come_in_the_library_order_whatever_the_index_order() {
    use broadsheet::library::search::{SearchRequest, SortOrder};
    let dates = [Some("2 October 2024"), None, Some("5 March 2023"), Some("2 October 2024"), Some("9 May 2025")];
    let paths: Vec<String> = (0..15).map(|n| format!("n{:02}", (n * 7) % 15)).collect();
    let fixtures: Vec<Fixture> = paths
        .iter()
        .enumerate()
        .map(|(n, path)| Fixture {
            path,
            section: None,
            title: "Harbour notice",
            date: dates[n % dates.len()],
            source: None,
            body: "The harbour office posted a notice.",
        })
        .collect();
    let dir = write_fixtures(&fixtures);
    let library = load_dir(dir.path()).expect("load");
    let newest_first: Vec<String> = library.articles().iter().map(|article| article.id.as_str().to_owned()).collect();
    assert_eq!(newest_first.len(), 15);
    let index = SearchIndex::build_now(&library);
    let all_pages = |index: &SearchIndex, sort: SortOrder| -> Vec<String> {
        (1..=4)
            .flat_map(|page| {
                let request =
                    SearchRequest { query: "harbour".to_owned(), filters: Default::default(), sort, page, per_page: 4 };
                let results = index.search(&library, &request).expect("search runs");
                results.hits.iter().map(|hit| hit.article.id.as_str().to_owned()).collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(all_pages(&index, SortOrder::Relevance), newest_first, "as built");
    assert_eq!(all_pages(&index, SortOrder::Date), newest_first, "as built, by date");
    let replaced: Vec<&broadsheet::article::Article> =
        [9, 0, 4].iter().map(|&position| library.articles()[position].as_ref()).collect();
    index.update(&replaced, &[]).expect("update");
    assert_eq!(all_pages(&index, SortOrder::Relevance), newest_first, "after updates");
    assert_eq!(all_pages(&index, SortOrder::Date), newest_first, "after updates, by date");
}
