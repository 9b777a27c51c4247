//! Loads the real-world corpus in `../shared/corpus` (1,477 files from eight
//! public collections, see its SOURCES.md) and checks that every file is
//! accounted for and that named files parse to the right article.

use std::path::Path;

use broadsheet::article::{Article, Format, ParagraphRef, Warning};
use broadsheet::library::{Library, LoadOptions, LoadReport, ProblemKind, load_dir_report};
use jiff::civil::date;

fn load_corpus() -> Option<(Library, LoadReport, std::path::PathBuf)> {
    let dir = crate::support::shared_data::shared_dir("corpus")?;
    let (library, report) = load_dir_report(&dir, &LoadOptions::default()).expect("corpus loads");
    Some((library, report, dir))
}

fn article<'a>(library: &'a Library, id: &str) -> &'a Article {
    library.get(id).unwrap_or_else(|| panic!("{id} did not load"))
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|entry| entry.file_type().is_file()).count()
}

#[test]
fn every_corpus_file_is_an_article_a_sidecar_or_ignored_and_none_is_a_problem() {
    let Some((library, report, dir)) = load_corpus() else { return };
    // No corpus file is genuinely broken beyond repair: the damaged ones
    // (NULs, control bytes, legacy encodings) load with warnings.
    let expected_problems: &[(&str, ProblemKind)] = &[];
    let problems: Vec<(String, ProblemKind)> =
        library.problems().iter().map(|p| (p.path.display().to_string(), p.kind)).collect();
    assert_eq!(problems.len(), expected_problems.len(), "{problems:#?}");
    let accounted =
        library.len() + report.sidecars.len() + library.media().len() + report.ignored.len() + library.problems().len();
    assert_eq!(accounted, count_files(&dir), "ignored: {:#?}", report.ignored);
    assert_eq!(report.sidecars.len(), 137);
    let sidecar_articles = library.articles().iter().filter(|a| a.format == Format::Sidecar).count();
    assert_eq!(sidecar_articles, 137);
}

/// (id, title, section, date, start of the first paragraph, paragraphs)
type Expected = (&'static str, &'static str, Option<&'static str>, Option<jiff::civil::Date>, &'static str, usize);

#[test]
fn named_files_parse_to_the_right_article() {
    let Some((library, _, _)) = load_corpus() else { return };
    let cases: &[Expected] = &[
        (
            "bbc-fulltext/politics/397",
            "Blunkett hints at election call",
            Some("Politics"),
            None,
            "Ex-Home Secretary David Blunkett",
            2,
        ),
        ("bbc-fulltext-crlf/sport/199", "Chelsea sack Mutu", Some("Sport"), None, "Chelsea have sacked Adrian Mutu", 2),
        (
            "bbc-fulltext-crlf/technology/001",
            "Ink helps drive democracy in Asia",
            Some("Technology"),
            None,
            "The Kyrgyz Republic, a small",
            9,
        ),
        (
            "bbc-news-summary/News Articles/business/001",
            "Ad sales boost Time Warner profit",
            Some("Business"),
            None,
            "Quarterly profits at US media giant",
            5,
        ),
        (
            "zitros-bbc-slugs/news/tech/apple-laptop-is-greatest-gadget",
            "Apple laptop is 'greatest gadget'",
            Some("Tech"),
            None,
            "The Apple Powerbook 100 has been chosen",
            34,
        ),
        (
            "zitros-bbc-slugs/_history_cc4cb1d/news/sport/chelsea-sack-mutu",
            "Chelsea sack Mutu",
            Some("Sport"),
            None,
            "Chelsea have sacked Adrian Mutu",
            2,
        ),
        ("sogou-mini-zh/Sample/C000023/13", "夜幕下的太和门广场", None, None, "9月18日晚，时值中国传统佳节", 11),
        ("sogou-mini-zh/Sample/C000014/10", "足彩06032期王智意甲解盘", None, None, "1.卡利亚里VS国际米兰", 18),
        (
            "ru-zvezdaaltaya/tmp/articles/1_raw",
            "В ГАГУ открылась современная видеостудия",
            None,
            Some(date(2021, 3, 1)),
            "В Горно-Алтайском государственном университете",
            1,
        ),
        (
            "ru-zvezdaaltaya/tmp/articles/83_raw",
            "Новый год настает: рецепты и советы - от салфетки до карвинга",
            None,
            Some(date(2017, 12, 26)),
            "До Нового года — считанные дни",
            10,
        ),
        (
            "vi-baomoi/vn_news/sample/21462133",
            "Mazda3 2017 sắp về Việt Nam có gì hay?",
            None,
            None,
            "Mazda3 2017 với giá bán chỉ từ 24.000 USD",
            // The lead, the text, and the signature `Hòa Lê (T/h)` on a
            // line of its own.
            3,
        ),
        (
            "vi-baomoi/vn_news/data/21474105",
            "Tiết mục hát giữa 'rừng drone tỏa sáng' của Lady Gaga",
            None,
            None,
            "Lady Gaga biểu diễn trong đêm Super Bowl 2017",
            2,
        ),
        (
            "mini-newsgroups/sci.space/61293",
            "Report on redesign team",
            Some("sci.space"),
            Some(date(1993, 4, 27)),
            "The following is what they feed to us",
            36,
        ),
        (
            "mini-newsgroups/rec.sport.hockey/54000",
            "Where's Roger?",
            Some("rec.sport.hockey"),
            Some(date(1993, 4, 23)),
            "I really feel the need for a knowledgable hockey",
            // The signature's quotation and its tab-indented attribution
            // are two paragraphs.
            5,
        ),
    ];
    for &(id, title, section, date, first, count) in cases {
        let article = article(&library, id);
        assert_eq!(article.title, title, "{id}");
        assert_eq!(article.section.as_deref(), section, "{id}");
        assert_eq!(article.date, date, "{id}");
        assert!(article.paragraphs.to_vec()[0].text().starts_with(first), "{id}: {:?}", article.paragraphs.get(0));
        assert_eq!(article.paragraphs.len(), count, "{id}");
    }
}

#[test]
fn legacy_encodings_are_decoded_and_recorded() {
    let Some((library, _, _)) = load_corpus() else { return };
    let latin1 = article(&library, "zitros-bbc-slugs/_history_cc4cb1d/news/sport/chelsea-sack-mutu");
    assert_eq!(latin1.details().encoding, Some("windows-1252"));
    assert!(latin1.paragraphs.to_vec()[1].text().contains("a £15.8m signing"));
    let utf8 = article(&library, "bbc-fulltext-crlf/sport/199");
    assert_eq!(utf8.details().encoding, None);
    assert!(utf8.paragraphs.to_vec()[1].text().contains("a £15.8m signing"));
    let big5 = article(&library, "mini-newsgroups/comp.windows.x/67305");
    assert_eq!(big5.details().encoding, Some("Big5"));
    assert!(big5.paragraphs.iter().any(|p| p.text().contains("Chun-Hung Lin ( 林俊宏 )")));
}

#[test]
fn damaged_files_load_with_warnings() {
    let Some((library, _, _)) = load_corpus() else { return };
    let nuls = article(&library, "sogou-mini-zh/Sample/C000023/12");
    assert!(
        nuls.details().warnings.iter().any(|w| matches!(w, Warning::TrailingNuls(_))),
        "{:?}",
        nuls.details().warnings
    );
    let controls = article(&library, "mini-newsgroups/misc.forsale/76704");
    assert!(
        controls.details().warnings.iter().any(|w| matches!(w, Warning::ControlCharacters(_))),
        "{:?}",
        controls.details().warnings
    );
    assert!(!controls.title.contains(char::is_control));
}

#[test]
fn usenet_headers_become_fields_and_metadata_not_body() {
    let Some((library, _, _)) = load_corpus() else { return };
    let post = article(&library, "mini-newsgroups/sci.space/61293");
    assert_eq!(post.format, Format::HeaderBlock);
    assert_eq!(post.details().author.as_deref(), Some("Andy Cohen"));
    assert_eq!(post.details().published.map(|p| p.rfc3339()).as_deref(), Some("1993-04-27T14:30:35+00:00"));
    assert!(post.details().metadata.iter().any(|(key, value)| key == "Organization" && value == "MDA-W"));
    assert!(post.paragraphs.iter().all(|p| !p.text().starts_with("Path:")));
}

#[test]
fn credit_lines_in_russian_articles_are_captions() {
    let Some((library, _, _)) = load_corpus() else { return };
    let article = article(&library, "ru-zvezdaaltaya/tmp/articles/88_raw");
    let credits: Vec<&str> = article
        .paragraphs
        .iter()
        .filter_map(|p| match p {
            ParagraphRef::Caption { credit, .. } => Some(credit),
            _ => None,
        })
        .collect();
    assert_eq!(credits, ["Фото В. Сухова"]);
}

/// The second corpus (`../shared/corpus-2`, twelve collections in the
/// layouts of site generators, scrapers and wires): every file is an
/// article, a sidecar, or ignored with a reason, and the only problem is
/// the one file that really is broken.
#[test]
fn every_file_of_the_second_corpus_is_accounted_for_and_only_the_broken_one_is_a_problem() {
    let Some(dir) = crate::support::shared_data::shared_dir("corpus-2") else { return };
    let (library, report) = load_dir_report(&dir, &LoadOptions::default()).expect("corpus-2 loads");
    // `.md` has empty front matter and the body `null`: there is no title.
    let problems: Vec<String> = library.problems().iter().map(|p| p.path.display().to_string()).collect();
    assert_eq!(problems, ["gothamist-html-md/.md"], "{:#?}", library.problems());
    let accounted =
        library.len() + report.sidecars.len() + library.media().len() + report.ignored.len() + library.problems().len();
    assert_eq!(accounted, count_files(&dir), "ignored: {:#?}", report.ignored);
    // Every story, present article and Markdown post is read; what is
    // ignored says why (images, Go sources, feed dumps, list pages, the
    // corpus's own README and licences).
    for ignored in &report.ignored {
        let name = ignored.path.display().to_string();
        let article_kind = [".story", ".article", ".markdown"].iter().any(|kind| name.ends_with(kind))
            || (name.ends_with(".md") && !name.ends_with("_index.md"));
        assert!(!article_kind, "{name} was ignored: {}", ignored.reason);
        assert!(!ignored.reason.is_empty());
    }
    let count = |extension: &str| {
        library
            .articles()
            .iter()
            .filter(|a| a.path.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e == extension)))
            .count()
    };
    assert_eq!(count("story"), 20);
    assert_eq!(count("article"), 60);
}
