//! Markup details the stylesheet and the script rely on, checked in the HTML
//! the real router serves (parsed with scraper): where the meta line's
//! separators can go, which list leads with a big headline, what is marked
//! current, that the keyboard-shortcut switch exists only with the script,
//! and which articles carry a `lang` of their own.

use crate::support::fixtures::{Fixture, app, write_fixtures};
use crate::support::get;
use scraper::{Html, Selector};

/// A dated and an undated story in Business, one without a section, and 20
/// more in Sport: two index pages (20 a page), all from one source.
fn articles() -> (tempfile::TempDir, axum::Router) {
    let article = |path, section, title, date| Fixture {
        path,
        section,
        title,
        date,
        source: Some("Example Wire"),
        body: "A paragraph of text, long enough to read as a body.\n\nA second paragraph.",
    };
    let more: Vec<String> = (0..20).map(|n| format!("more-{n:02}")).collect();
    let mut fixtures = vec![
        article("dated", Some("Business"), "A dated story", Some("16 November 2024")),
        article("undated", Some("Business"), "An undated story", None),
        article("no-section", None, "A story without a section", Some("2 November 2024")),
    ];
    fixtures.extend(more.iter().map(|path| article(path, Some("Sport"), "Another story", Some("1 October 2024"))));
    let dir = write_fixtures(&fixtures);
    let router = app(dir.path(), "/").router;
    (dir, router)
}

async fn page(router: &axum::Router, uri: &str) -> Html {
    let reply = get(router, uri, &[]).await;
    assert_eq!(reply.status, 200, "{uri}");
    Html::parse_document(&reply.text())
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector")).collect()
}

fn text(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_owned()
}

#[tokio::test]
async fn the_meta_separator_is_never_part_of_a_link() {
    let (_dir, router) = articles();
    for uri in ["/articles/dated", "/articles/undated", "/", "/sections/business", "/search?q=story"] {
        let html = page(&router, uri).await;
        // The separator is the `::after` of each item of `.meta`: an item
        // that is itself a link would put the dot into the link's name.
        assert!(!select(&html, ".meta").is_empty(), "{uri} has a meta line");
        assert!(select(&html, ".meta > a").is_empty(), "{uri}: a link is an item of the meta line");
        for link in select(&html, ".meta a") {
            assert!(!text(link).contains('·'), "{uri}: link text “{}”", text(link));
        }
    }
    let article = page(&router, "/articles/dated").await;
    let date_links = select(&article, ".meta > .meta-date > a[href='/archive/2024/11'] > time");
    assert_eq!(date_links.iter().map(|time| text(*time)).collect::<Vec<_>>(), ["16 November 2024"]);
}

#[tokio::test]
async fn only_the_first_index_page_leads_and_is_marked_current() {
    let (_dir, router) = articles();
    let first = page(&router, "/").await;
    assert_eq!(select(&first, "ol.article-list.article-list-lead").len(), 1, "page 1 leads with a big headline");
    assert_eq!(select(&first, "a.site-title[aria-current='page']").len(), 1, "page 1 is the home page");
    let second = page(&router, "/?page=2").await;
    assert_eq!(select(&second, "ol.article-list").len(), 1, "page 2 lists articles");
    assert!(select(&second, ".article-list-lead").is_empty(), "page 2 does not lead");
    assert!(select(&second, "[aria-current]").is_empty(), "page 2 is not the home page");
    for uri in ["/sections/business", "/archive/2024/11"] {
        assert!(select(&page(&router, uri).await, ".article-list-lead").is_empty(), "{uri} does not lead");
    }
}

#[tokio::test]
async fn a_section_or_source_page_does_not_repeat_its_name_on_every_entry() {
    let (_dir, router) = articles();
    let section = page(&router, "/sections/business").await;
    assert!(select(&section, ".meta-section").is_empty(), "the section page names the section on entries");
    assert_eq!(select(&section, ".meta-source").len(), 2, "entries still name their source");
    let source = page(&router, "/sources/example-wire").await;
    assert!(select(&source, ".meta-source").is_empty(), "the source page names the source on entries");
    assert_eq!(select(&source, ".meta-section").len(), 19, "entries still name their section");
    let month = page(&router, "/archive/2024/11").await;
    assert_eq!(select(&month, ".meta-section").len(), 1, "other lists name the section");
    assert_eq!(select(&month, ".meta-source").len(), 2, "other lists name the source");
}

#[tokio::test]
async fn the_search_page_form_is_a_search_landmark() {
    let (_dir, router) = articles();
    let html = page(&router, "/search?q=story").await;
    assert_eq!(select(&html, "form.search-form[role='search']").len(), 1);
}

#[tokio::test]
async fn without_the_script_there_is_no_shortcut_switch() {
    let (_dir, router) = articles();
    for uri in ["/", "/articles/dated", "/search?q=story", "/sections"] {
        let html = page(&router, uri).await;
        assert!(
            select(&html, ".keys-switch, input[name='keys']").is_empty(),
            "{uri} has a shortcut switch in its HTML"
        );
        assert_eq!(select(&html, ".site-footer .theme-switch input[name='theme']").len(), 3, "{uri} colour switch");
    }
}

#[tokio::test]
async fn an_article_in_another_script_says_its_language() {
    let article = |path, title, body| Fixture {
        path,
        section: Some("World"),
        title,
        date: Some("3 March 2024"),
        source: Some("Wire"),
        body,
    };
    let dir = write_fixtures(&[
        article("ru", "В Турочаке остановили водителя", "Мужчина был лишён права управления."),
        article("zh", "新华社北京电", "国务院总理今天会见了代表团。"),
        article("en", "Officials weigh the next steps", "The first paragraph says what happened."),
    ]);
    let router = app(dir.path(), "/").router;
    for (id, lang) in [("ru", Some("ru")), ("zh", Some("zh")), ("en", None)] {
        let html = page(&router, &format!("/articles/{id}")).await;
        // The headline and body, not the page's own words ("min read").
        let tagged = select(&html, "h1, .meta, .article-body");
        assert_eq!(tagged.iter().map(|a| a.attr("lang")).collect::<Vec<_>>(), [lang, None, lang], "/articles/{id}");
        assert_eq!(select(&html, "html[lang='en']").len(), 1, "the page around it stays English");
    }
    for uri in ["/", "/sections/world", "/search?q=Wire"] {
        let html = page(&router, uri).await;
        let mut langs: Vec<_> = select(&html, ".article-list :is(h2, h3)").iter().map(|a| a.attr("lang")).collect();
        langs.sort_unstable();
        assert_eq!(langs, [None, Some("ru"), Some("zh")], "{uri}: headlines");
        let texts = select(&html, ".article-list :is(.excerpt, .snippet)[lang]");
        assert_eq!(texts.len(), 2, "{uri}: excerpts");
        assert!(
            select(&html, ".article-list :is(article, .meta)[lang]").is_empty(),
            "{uri}: the meta line is the page's"
        );
    }
}

#[tokio::test]
async fn an_article_shows_its_byline_escaped_and_none_when_it_has_no_author() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("wire.txt"),
        "-- Ford, GM sales rise in January\n-- By Jane Doe & John Roe\n-- Fri Feb 1, 2013 4:45pm EST\n\n\
         DETROIT (Reuters) - Ford said on Friday its sales rose.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("plain.txt"), "A plain story\n\nIts body.\n").expect("write");
    let router = app(dir.path(), "/").router;
    let wire = page(&router, "/articles/wire").await;
    let bylines: Vec<String> = select(&wire, ".meta > .meta-author").into_iter().map(text).collect();
    assert_eq!(bylines, ["By Jane Doe & John Roe"]);
    let plain = page(&router, "/articles/plain").await;
    assert!(select(&plain, ".meta-author").is_empty());
}
