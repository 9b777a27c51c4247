//! Markdown bodies of real site-generator archives (`../shared/corpus-2`):
//! Jekyll (Liquid, kramdown), Hugo (shortcodes), Pelican headers and whole
//! HTML pages saved as Markdown. No generator syntax, script or literal
//! Markdown may show as text, and headings never skip a level.
//!
//! The expectations come from reading the raw files; the folder is absent
//! on most machines, and then every test prints a notice and passes.

use crate::support::shared_data;

use std::path::{Path, PathBuf};

use broadsheet::article::{Article, ArticleId, FileInput, FileKind, ParagraphRef, Sidecar, parse_file};

/// The collections whose bodies are Markdown written for a site generator.
const COLLECTIONS: &[&str] = &["jekyll-18f", "es-ljz-jekyll", "gothamist-html-md", "hugo-toml-coredns", "twir-pelican"];

/// Text that is generator syntax, Markdown or page code when it shows.
const NEVER_SHOWN: &[&str] = &[
    "{%",
    "{{",
    "[caption",
    "[/caption",
    "{:",
    "**",
    "##",
    "&apos;",
    "&#x27;",
    "&quot;",
    "<p",
    "<div",
    "galleryObj",
    "min-height",
    "widgets.js",
    "text/javascript",
];

fn corpus() -> Option<PathBuf> {
    shared_data::shared_dir("corpus-2")
}

/// Parses `relative` (below `corpus-2`) with its path as the id, as the
/// loader does when the articles folder is `corpus-2`. A file whose title
/// cannot be read (front matter that is not valid YAML, another part of
/// the parser) gets one from a sidecar, so that its body is still checked.
fn article(root: &Path, relative: &str) -> Article {
    let bytes = std::fs::read(root.join(relative)).unwrap_or_else(|error| panic!("{relative}: {error}"));
    let id = relative.rsplit_once('.').map_or(relative, |(stem, _)| stem);
    let input = FileInput { id: ArticleId::new(id), bytes: &bytes, kind: FileKind::Markdown, sidecar: None };
    parse_file(&input).unwrap_or_else(|_| {
        let sidecar = Sidecar { name: "title.json", bytes: br#"{"title": "(title unread)"}"# };
        parse_file(&FileInput { sidecar: Some(sidecar), ..input }).unwrap_or_else(|error| panic!("{relative}: {error}"))
    })
}

/// Every Markdown file of the collections, relative to `root`.
fn markdown_files(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for collection in COLLECTIONS {
        let mut stack = vec![root.join(collection)];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for path in entries.flatten().map(|entry| entry.path()) {
                let markdown = path.extension().is_some_and(|e| e == "md" || e == "markdown");
                let named = path.file_stem().is_some_and(|stem| !stem.is_empty());
                if path.is_dir() {
                    stack.push(path);
                } else if markdown && named {
                    files.push(path.strip_prefix(root).expect("below root").to_string_lossy().into_owned());
                }
            }
        }
    }
    files.sort();
    files
}

fn htmls(article: &Article) -> Vec<&str> {
    article
        .paragraphs
        .iter()
        .filter_map(|p| match p {
            ParagraphRef::Html { html, .. } => Some(html),
            _ => None,
        })
        .collect()
}

/// The text of `html` outside `<code>` and `<pre>`, whose text is meant
/// literally, with tags removed and entities left as written.
fn prose(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    let mut in_code = 0usize;
    while let Some(open) = rest.find('<') {
        if in_code == 0 {
            text.push_str(&rest[..open]);
        }
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open..close];
        if tag.starts_with("<code") || tag.starts_with("<pre") {
            in_code += 1;
        } else if tag.starts_with("</code") || tag.starts_with("</pre") {
            in_code = in_code.saturating_sub(1);
        }
        text.push(' ');
        rest = &rest[close..];
    }
    text.push_str(rest);
    // Entities as a browser shows them, so that one escaped twice shows.
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

fn all_text(article: &Article) -> String {
    article.paragraphs.iter().map(|p| p.text()).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_generator_syntax_script_or_literal_markdown_shows_as_text() {
    let Some(root) = corpus() else { return };
    let mut failures = Vec::new();
    for relative in markdown_files(&root) {
        let article = article(&root, &relative);
        for (index, html) in htmls(&article).into_iter().enumerate() {
            let shown = prose(html);
            for never in NEVER_SHOWN.iter().filter(|never| shown.contains(**never)) {
                failures.push(format!("{relative} block {index}: `{never}` in {}", shown.trim()));
            }
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn body_headings_start_at_h2_and_never_skip_a_level() {
    let Some(root) = corpus() else { return };
    let mut failures = Vec::new();
    for relative in markdown_files(&root) {
        let article = article(&root, &relative);
        let mut previous = 1;
        for html in htmls(&article) {
            for (index, _) in html.match_indices("<h") {
                let Some(level) = html[index + 2..].chars().next().and_then(|c| c.to_digit(10)) else { continue };
                if level < 2 || level > previous + 1 {
                    failures.push(format!("{relative}: <h{level}> after <h{previous}>"));
                }
                previous = level;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pelican_headers_are_metadata_not_body() {
    let Some(root) = corpus() else { return };
    let article = article(&root, "twir-pelican/content/2026-06-24-this-week-in-rust.md");
    assert_eq!(article.title, "This Week in Rust 657");
    assert_eq!(article.section.as_deref(), Some("This Week in Rust"));
    assert_eq!(article.date, Some(jiff::civil::date(2026, 6, 24)));
    assert!(
        article.paragraphs.iter().next().is_some_and(|p| p.text().starts_with("Hello and welcome to another issue"))
    );
    assert!(!all_text(&article).contains("Number: 657"));
}

#[test]
fn hugo_shortcodes_become_links_figures_and_footnotes() {
    let Some(root) = corpus() else { return };
    let webinar = htmls(&article(&root, "hugo-toml-coredns/content/blog/webinar.md")).join("");
    assert!(webinar.contains("https://www.youtube.com/watch?v=dz9S7R8r5gw"), "{webinar}");
    let dnstap = article(&root, "hugo-toml-coredns/content/blog/dnstap.md");
    let html = htmls(&dnstap).join("");
    assert!(html.contains("href=\"coredns-010\""), "a sibling post: {html}");
    assert!(html.contains("href=\"#fn-dnstap\"") && html.contains("id=\"fn-dnstap\""), "{html}");
    assert!(all_text(&dnstap).contains("https://dnstap.info"));
    let performance = all_text(&article(&root, "hugo-toml-coredns/content/blog/packet-performace.md"));
    assert!(performance.contains("Branch and benchmark selectors in Grafana."), "{performance}");
}

#[test]
fn jekyll_liquid_resolves_to_links_and_tables_keep_their_text() {
    let Some(root) = corpus() else { return };
    let bechdel =
        htmls(&article(&root, "jekyll-18f/_posts/2015-03-17-does-18f-pass-the-bechdel-test-for-tech.md")).join("");
    assert!(bechdel.contains("href=\"https://twitter.com/seldo/status/571453200093437952\""), "{bechdel}");
    let survey = article(&root, "jekyll-18f/_posts/2019-10-29-culture-climate-survey.md");
    let html = htmls(&survey).join("");
    assert!(html.contains("src=\"../../../assets/blog/culture-climate-survey-2019/chart-easy-to-ask-for-help.svg\""));
    assert!(all_text(&survey).contains("How many responses?"));
    let path = article(&root, "jekyll-18f/_posts/2016-03-22-what-was-your-path-to-18f.md");
    assert!(all_text(&path).contains("I came to 18F from the journalism world"));
    assert!(
        path.details().warnings.iter().any(|warning| warning.to_string().contains("team_photo")),
        "{:?}",
        path.details().warnings
    );
}

#[test]
fn html_pages_show_their_text_but_no_script_style_or_entities() {
    let Some(root) = corpus() else { return };
    let train = article(
        &root,
        "gothamist-html-md/ben-yakas/f-train-hell-1-300-commuters-stranded-for-hours-after-track-snap.md",
    );
    let text = all_text(&train);
    assert!(text.contains("Just lost 2.5 hours of my life to the F train."), "{text}");
    assert!(text.contains("there's no better way to cap off a long work week"), "{text}");
    assert!(!text.contains("platform.twitter.com") && !text.contains("&apos;"));
    assert!(
        htmls(&train).join("").contains(
            "href=\"https://web.archive.org/web/20141231070931if_/http://instagram.com/p/eyTIvrOz05/embed/\""
        )
    );
    let robbery = article(&root, "gothamist-html-md/jen-chung/cops-this-man-is-violently-robbing-older-women.md");
    let text = all_text(&robbery);
    assert!(text.contains("removed the victim's bag") && text.contains("5'0\" and 125 pounds"), "{text}");
    assert_eq!(robbery.excerpt().split(' ').next(), Some("Police"), "the photo alone is no excerpt");
    let relative = "es-ljz-jekyll/_posts/2012-03-01-1948-abren-diputados-locales-periodo-ordinario-de-sesiones-sin-tema-alguno-a-tratar.markdown";
    let session = article(&root, relative);
    // The name in capitals above the text is the byline, not body.
    assert_eq!(session.details().author.as_deref(), Some("ALMA ALEJANDRA TAPIA"));
    assert!(session.paragraphs.iter().next().is_some_and(|p| p.text().starts_with("Después de dos meses")));
    assert!(all_text(&session).contains("29 de los 30 diputados locales"));
    assert!(htmls(&session).iter().all(|html| !html.contains("style=")));
}
