//! The file kinds of real collections in `../shared/corpus-2`: CNN
//! `.story` files, Go `present` `.article` files and newspaper's JSON. The
//! expected values were read from the raw files (or, for the Go articles'
//! headers, computed from the raw lines by the format's own rules), never
//! copied from the parser's output. Without `../shared`, each test prints a
//! notice and passes.

use crate::support::{TestApp, shared_data};

use std::path::{Path, PathBuf};

use broadsheet::article::{Article, Format, ParagraphRef};
use broadsheet::library::{Library, LoadOptions, LoadReport, load_dir, load_dir_report};
use jiff::civil::date;

fn load(dir: &Path) -> (Library, LoadReport) {
    load_dir_report(dir, &LoadOptions::default()).expect("folder loads")
}

fn article<'a>(library: &'a Library, id: &str) -> &'a Article {
    library.get(id).unwrap_or_else(|| panic!("{id} did not load"))
}

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|found| found == extension))
        .collect()
}

fn texts(article: &Article) -> Vec<String> {
    article.paragraphs.iter().map(|paragraph| paragraph.text().to_owned()).collect()
}

const STORIES: &str = "test_fixtures/generation/bart/data/cnn_stories";

#[test]
fn every_cnn_story_loads_with_a_title_a_body_and_its_highlights_apart() {
    let Some(dir) = shared_data::shared_dir("corpus-2/cnn-stories-allennlp") else { return };
    let (library, _) = load(&dir);
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    let stories = files_with_extension(&dir, "story");
    assert_eq!(stories.len(), 20);
    for path in stories {
        let raw = std::fs::read_to_string(&path).expect("story");
        let id = path.strip_prefix(&dir).expect("inside").with_extension("").display().to_string();
        let story = article(&library, &id);
        assert_eq!(story.format, Format::Story, "{id}");
        assert!(!story.title.is_empty() && story.title.chars().count() <= 121, "{id}: {}", story.title);
        let highlights = &story.details().highlights;
        assert_eq!(highlights.len(), raw.matches("@highlight").count(), "{id}");
        let body = texts(story).join("\n");
        assert!(!body.contains("@highlight") && !body.contains("E-mail to a friend"), "{id}");
        assert_eq!(story.section, None, "{id}: `cnn_stories` is a container, not a section");
        assert!(highlights.iter().all(|highlight| !body.contains(highlight.as_str())), "{id}: a highlight in the body");
    }
}

#[test]
fn a_reuters_story_names_its_source_and_keeps_its_dateline_in_the_body() {
    let Some(dir) = shared_data::shared_dir("corpus-2/cnn-stories-allennlp") else { return };
    let (library, _) = load(&dir);
    let story = article(&library, &format!("{STORIES}/42c027e4ff9730fbb3de84c1af0d2c506e41c3e4"));
    assert!(story.title.starts_with("Harry Potter star Daniel Radcliffe gains access to a reported £20 million"));
    assert_eq!(story.source.as_deref(), Some("Reuters"));
    assert_eq!(
        story.details().highlights,
        [
            "Harry Potter star Daniel Radcliffe gets £20M fortune as he turns 18 Monday",
            "Young actor says he has no plans to fritter his cash away",
            "Radcliffe's earnings from first five Potter films have been held in trust fund",
        ]
    );
    let body = texts(story);
    assert!(body[0].starts_with("LONDON, England (Reuters) -- Harry Potter star Daniel Radcliffe"), "{}", body[0]);
    // The raw file ends `…he told Reuters. E-mail to a friend`, then the
    // copyright notice: page residue, not body.
    let last = body.last().expect("a body");
    assert!(last.ends_with("\"I just think I'm going to be more sort of fair game,\" he told Reuters."), "{last}");
    assert!(!body.join("\n").contains("E-mail to a friend") && !body.join("\n").contains("All rights reserved"));
}

#[test]
fn story_titles_skip_an_editors_note_and_survive_abbreviations() {
    let Some(dir) = shared_data::shared_dir("corpus-2/cnn-stories-allennlp") else { return };
    let (library, _) = load(&dir);
    let miami = article(&library, &format!("{STORIES}/ee8871b15c50d0db17b0179a6d2beab35065f1e9"));
    assert_eq!(
        miami.title,
        "The ninth floor of the Miami-Dade pretrial detention facility is dubbed the \"forgotten floor\""
    );
    assert!(
        texts(miami)[0].starts_with("Editor's note: In our Behind the Scenes series"),
        "the note stays in the body"
    );
    let schuller = article(&library, &format!("{STORIES}/88e7dac40f3e6c159e4edc0747d0cc0f50886fbb"));
    assert!(schuller.title.starts_with("The Rev. Robert H. Schuller, California televangelist"), "{}", schuller.title);
    let cats = article(&library, &format!("{STORIES}/230c522854991d053fe98a718b1defa077a8efef"));
    assert_eq!(cats.title, "Never mind cats having nine lives");
}

#[tokio::test]
async fn the_article_page_lists_a_storys_highlights() {
    let Some(dir) = shared_data::shared_dir("corpus-2/cnn-stories-allennlp") else { return };
    let site = tempfile::tempdir().expect("dir");
    let name = "42c027e4ff9730fbb3de84c1af0d2c506e41c3e4.story";
    std::fs::copy(dir.join(STORIES).join(name), site.path().join(name)).expect("copy");
    let app = TestApp::over(site.path()).build();
    let page = app.get("/articles/42c027e4ff9730fbb3de84c1af0d2c506e41c3e4").await.text();
    assert!(page.contains(">Highlights</h2>"), "{page}");
    assert!(page.contains("<li>Young actor says he has no plans to fritter his cash away</li>"), "{page}");
    let body_start = page.find("class=\"article-body\"").expect("a body");
    assert!(!page[body_start..].contains("fritter his cash away</li>"), "highlights are not body text");
}

/// The header of a present file by the format's rules: title, a date line
/// (`10 Nov 2013`), an optional `Tags:` line.
fn present_header(raw: &str) -> (String, jiff::civil::Date, Vec<String>) {
    let mut lines = raw.trim_start_matches('\u{feff}').lines().map(str::trim);
    let title = lines.next().expect("title").to_owned();
    let date_line = lines.next().expect("date");
    let day = jiff::fmt::strtime::parse("%d %b %Y", date_line).and_then(|parsed| parsed.to_date()).expect(date_line);
    let tags = lines
        .next()
        .and_then(|line| line.strip_prefix("Tags:"))
        .map(|tags| tags.split(',').map(|tag| tag.trim().to_owned()).collect())
        .unwrap_or_default();
    (title, day, tags)
}

#[test]
fn every_go_article_has_its_header_and_no_directive_as_text() {
    let Some(dir) = shared_data::shared_dir("corpus-2/go-blog-present") else { return };
    let (library, report) = load(&dir);
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    assert_eq!(report.ignored.len(), 7, "HTML fragments and Go files beside the articles");
    assert_eq!(library.media().len(), 8, "images beside the articles, which the articles show");
    let articles = files_with_extension(&dir, "article");
    assert_eq!(articles.len(), 60);
    for path in articles {
        let raw = std::fs::read_to_string(&path).expect("article");
        let id = path.strip_prefix(&dir).expect("inside").with_extension("").display().to_string();
        let loaded = article(&library, &id);
        let (title, day, tags) = present_header(&raw);
        assert_eq!(loaded.format, Format::Present, "{id}");
        assert_eq!((&loaded.title, loaded.date, &loaded.details().tags), (&title, Some(day), &tags), "{id}");
        for paragraph in loaded.paragraphs.iter() {
            let ParagraphRef::Html { html, text } = paragraph else { panic!("{id}: not rendered") };
            if html.starts_with("<pre>") {
                continue;
            }
            let directive = ["image", "play", "code", "iframe", "html", "caption"]
                .iter()
                .any(|name| text.contains(&format!(".{name} ")) && text.starts_with('.'));
            assert!(!directive && !text.contains("[["), "{id}: {text}");
            assert!(!html.contains("<script"), "{id}");
        }
    }
}

#[test]
fn go_articles_name_their_authors_even_in_a_bom_and_crlf_file() {
    let Some(dir) = shared_data::shared_dir("corpus-2/go-blog-present") else { return };
    let (library, _) = load(&dir);
    let author = |id: &str| article(&library, id).details().author.clone();
    assert_eq!(author("content/4years").as_deref(), Some("Andrew Gerrand"));
    assert_eq!(author("content/company-questionnaire2018").as_deref(), Some("Ran Tao, Steve Francia"));
    assert_eq!(author("content/go-fonts").as_deref(), Some("Nigel Tao, Chuck Bigelow, Rob Pike"));
    assert_eq!(author("content/appengine-go111").as_deref(), Some("Eno Compton, Tyler Bui-Palsulich"));
    let four = article(&library, "content/4years");
    let texts = texts(four);
    assert_eq!(texts[0], "Introduction");
    assert_eq!(texts[1], "Today marks the fourth anniversary of Go as an open source project.");
    assert_eq!(texts[2], "", "the gopher picture, which has no text");
    assert!(
        matches!(four.paragraphs.get(2), Some(ParagraphRef::Html { html, .. }) if html.contains("<img src=\"4years-gopher.png\""))
    );
    assert_eq!(
        texts[3],
        "Rather than talk about our technical progress (there'll be much to talk about when we release Go 1.2 in a couple of weeks) we thought we would instead take this occasion to look at how the Go community has grown."
    );
    let constants = texts_of(&library, "content/constants");
    assert!(constants.iter().any(|text| text == "Code example: constants/string1.go"), "{constants:#?}");
}

fn texts_of(library: &Library, id: &str) -> Vec<String> {
    texts(article(library, id))
}

#[test]
fn newspaper_json_with_text_is_the_article_and_without_it_describes_the_text_file_beside() {
    let Some(dir) = shared_data::shared_dir("corpus-2/newspaper4k-json") else { return };
    let (library, report) = load(&dir);
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    // 19 JSON articles + 8 text files of their own + video_article_01.txt
    // described by its JSON (which has no `text`); the 19 other text files
    // are copies of the JSON `text`.
    assert_eq!((library.len(), report.sidecars.len(), report.ignored.len()), (28, 1, 19));
    assert!(report.ignored.iter().all(|file| file.path.starts_with("tests/data/txt")), "{:#?}", report.ignored);
    let cnn = article(&library, "tests/data/metadata/cnn_001");
    assert_eq!(cnn.format, Format::Json);
    assert_eq!(
        cnn.title,
        "Alito and Prelogar: The nonstop sparring match between the conservative justice and liberal Biden attorney at the Supreme Court"
    );
    assert_eq!(cnn.date, Some(date(2023, 11, 6)));
    assert_eq!(cnn.source.as_deref(), Some("CNN"));
    assert_eq!(cnn.details().author.as_deref(), Some("Joan Biskupic"));
    assert_eq!(
        cnn.details().url.as_deref(),
        Some("https://www.cnn.com/2023/11/06/politics/alito-prelogar-supreme-court-analysis/index.html")
    );
    assert!(texts(cnn)[0].starts_with("Justice Samuel Alito is the tip of the spear"));
    let described = article(&library, "tests/data/txt/video_article_01");
    assert_eq!(described.format, Format::Sidecar);
    assert_eq!(described.title, "Let me Google that for you: 2014's most popular food-related searches");
    assert_eq!(described.date, Some(date(2014, 12, 27)));
    assert_eq!(described.source.as_deref(), Some("cleveland.com"));
}

#[test]
fn newspaper_json_on_its_own_is_an_article_and_a_feed_dump_is_ignored() {
    let Some(dir) = shared_data::shared_dir("corpus-2") else { return };
    let saved = tempfile::tempdir().expect("dir");
    for json in files_with_extension(&dir.join("newspaper4k-json/tests/data/metadata"), "json") {
        std::fs::copy(&json, saved.path().join(json.file_name().expect("name"))).expect("copy");
    }
    std::fs::copy(dir.join("rss-items-daynews/articles/raw-2026-07-01.json"), saved.path().join("feed.json"))
        .expect("copy feed");
    let (library, report) = load(saved.path());
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
    assert_eq!(library.len(), 19, "every JSON file with a text");
    let ignored: Vec<&str> = report.ignored.iter().map(|file| file.path.to_str().unwrap_or("")).collect();
    assert_eq!(ignored, ["feed.json", "video_article_01.json"], "{:#?}", report.ignored);
    let cnn = article(&library, "cnn_article");
    assert_eq!(cnn.format, Format::Json);
    assert_eq!(cnn.title, "After storm, forecasters see smooth sailing for Thanksgiving");
    assert_eq!(cnn.details().author.as_deref(), Some("Dana A. Ford, James S.A. Corey, Chien-Ming Wang, Tom Watkins"));
    assert_eq!(cnn.date, Some(date(2013, 11, 27)));
    assert_eq!(
        cnn.details().url.as_deref(),
        Some("http://www.cnn.com/2013/11/27/travel/weather-thanksgiving/index.html")
    );
    let yonhap = article(&library, "yna_co_kr");
    assert_eq!(yonhap.title, "N. Korea slams S. Korea for joint military drill, warns of consequences");
    assert_eq!(yonhap.details().author, None, "`www.facebook.com` is no author");
    assert_eq!(yonhap.source.as_deref(), Some("Yonhap News Agency"));
    assert_eq!(yonhap.date, Some(date(2019, 8, 20)));
    assert_eq!(article(&library, "arabic_article").date, None, "`publish_date: null`");
}

#[test]
fn a_json_article_becomes_a_sidecar_when_its_text_file_appears_on_reload() {
    let dir = tempfile::tempdir().expect("dir");
    let json = r#"{"title": "Saved title", "authors": ["Ann Lee"], "text": "Saved body.", "url": "https://x.org/a"}"#;
    std::fs::write(dir.path().join("a.json"), json).expect("write");
    let library = load_dir(dir.path()).expect("load");
    assert_eq!(article(&library, "a").format, Format::Json);
    std::fs::write(dir.path().join("a.txt"), "The body from the text file.\n").expect("write");
    let reload = library.apply(dir.path(), &LoadOptions::default(), [PathBuf::from("a.txt")]).expect("a reload");
    let full = load_dir(dir.path()).expect("load");
    let (reloaded, loaded) = (article(&reload.library, "a"), article(&full, "a"));
    assert_eq!(reloaded, loaded);
    assert_eq!(loaded.format, Format::Sidecar);
    assert_eq!(
        (loaded.title.as_str(), texts(loaded)),
        ("Saved title", vec!["The body from the text file.".to_owned()])
    );
    assert!(reload.library.problems().is_empty(), "{:#?}", reload.library.problems());
}

#[test]
fn a_reload_pairs_a_metadata_folder_as_a_full_load_does() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(dir.path().join("data/metadata")).expect("folder");
    std::fs::create_dir_all(dir.path().join("data/txt")).expect("folder");
    let json = dir.path().join("data/metadata/a.json");
    std::fs::write(&json, r#"{"title": "Saved title", "text": "Saved body.", "url": "https://x.org/a"}"#)
        .expect("write");
    std::fs::write(dir.path().join("data/txt/a.txt"), "Saved body.\n").expect("write");
    let library = load_dir(dir.path()).expect("load");
    assert_eq!(library.len(), 1);
    assert_eq!(article(&library, "data/metadata/a").format, Format::Json, "the JSON with the text is the article");
    // Without its text, the JSON only describes the text file.
    std::fs::write(&json, r#"{"title": "Saved title", "url": "https://x.org/a"}"#).expect("write");
    let changed = [PathBuf::from("data/metadata/a.json")];
    let reload = library.apply(dir.path(), &LoadOptions::default(), changed).expect("a reload");
    let full = load_dir(dir.path()).expect("load");
    let ids = |library: &Library| library.articles().iter().map(|a| a.id.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&reload.library), ["data/txt/a"]);
    assert_eq!(ids(&reload.library), ids(&full));
    assert_eq!(article(&reload.library, "data/txt/a"), article(&full, "data/txt/a"));
    assert_eq!(article(&full, "data/txt/a").details().url.as_deref(), Some("https://x.org/a"));
}
