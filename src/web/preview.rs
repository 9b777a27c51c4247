//! Link previews and structured data for article pages: Open Graph and
//! Twitter card meta tags, the meta description, and JSON-LD `NewsArticle`.
//!
//! Chat apps and search engines read these without running scripts, and
//! need absolute URLs, so a [`LinkPreview`] is built from the request's
//! [`crate::web::site::AbsoluteSite`].

use serde::Serialize;

use super::Site;
use super::escape::Attribute;
use crate::article::{Article, ParagraphRef, excerpt};

/// Longest meta description, in characters (what search results show).
pub const DESCRIPTION_CHARS: usize = 300;

/// What an article page says about itself to machines.
pub struct LinkPreview<'a> {
    /// The absolute canonical URL.
    pub url: String,
    pub title: &'a str,
    /// The first paragraph, trimmed to [`DESCRIPTION_CHARS`].
    pub description: String,
    /// `2024-11-16`, or full RFC 3339 when the article gives a time.
    pub published_time: Option<String>,
    pub section: Option<&'a str>,
    /// The JSON-LD object, safe to place inside `<script>` as it is.
    pub json_ld: String,
}

impl<'a> LinkPreview<'a> {
    /// The preview of `article`, with URLs below `origin`
    /// (`https://example.org`; host-relative without one).
    pub fn new(site: &Site, origin: Option<&str>, article: &'a Article) -> Self {
        let url = site.article_url_at(origin, &article.id);
        let description = description(article);
        let published_time = article
            .details()
            .published
            .map(|published| published.rfc3339())
            .or_else(|| article.date.map(|date| date.to_string()));
        let json_ld = NewsArticle::new(site, article, &url, &description, published_time.as_deref()).to_script_json();
        Self { url, title: &article.title, description, published_time, section: article.section.as_deref(), json_ld }
    }

    /// The description, escaped for the attributes it goes in.
    pub fn description_attribute(&self) -> Attribute<'_> {
        Attribute(&self.description)
    }
}

/// The first paragraph of running text (not a photo caption), trimmed;
/// the title for an article without one.
fn description(article: &Article) -> String {
    let first = article
        .paragraphs
        .iter()
        .filter(|paragraph| !matches!(paragraph, ParagraphRef::Caption { .. }))
        .map(|paragraph| paragraph.text().trim())
        .find(|text| !text.is_empty())
        .unwrap_or(&article.title);
    excerpt(&collapse_spaces(first, DESCRIPTION_CHARS + 1), DESCRIPTION_CHARS)
}

/// `text` with every run of whitespace made one space (none at either
/// end), stopped once it holds `enough_chars` characters: [`excerpt`] looks
/// no further, and a first paragraph can be long. One pass over the
/// characters, since this runs on every uncached article page.
fn collapse_spaces(text: &str, enough_chars: usize) -> String {
    let mut collapsed = String::with_capacity(text.len().min(enough_chars * 2));
    let mut chars = 0;
    let mut space_pending = false;
    for character in text.chars() {
        if character.is_whitespace() {
            space_pending = !collapsed.is_empty();
            continue;
        }
        if chars >= enough_chars {
            break;
        }
        if space_pending {
            collapsed.push(' ');
            chars += 1;
            space_pending = false;
        }
        collapsed.push(character);
        chars += 1;
    }
    collapsed
}

/// schema.org `NewsArticle`, as Google's article rich results read it.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: Thing<'a>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(rename = "articleSection", skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Thing<'a>>,
    publisher: Thing<'a>,
}

/// A nested schema.org object: `{"@type": "Organization", "name": …}`.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

impl<'a> Thing<'a> {
    fn named(kind: &'static str, name: &'a str) -> Self {
        Self { kind, id: None, name: Some(name) }
    }
}

impl<'a> NewsArticle<'a> {
    fn new(
        site: &'a Site,
        article: &'a Article,
        url: &'a str,
        description: &'a str,
        published: Option<&'a str>,
    ) -> Self {
        // The byline is a person; without one, the source is the author.
        let author = match (&article.details().author, &article.source) {
            (Some(author), _) => Some(Thing::named("Person", author)),
            (None, Some(source)) => Some(Thing::named("Organization", source)),
            (None, None) => None,
        };
        Self {
            context: "https://schema.org",
            kind: "NewsArticle",
            headline: &article.title,
            description,
            url,
            main_entity_of_page: Thing { kind: "WebPage", id: Some(url), name: None },
            date_published: published,
            article_section: article.section.as_deref(),
            author,
            publisher: Thing::named("Organization", article.source.as_deref().unwrap_or(&site.title)),
        }
    }

    /// JSON that cannot end its `<script>` element early: `<`, `>` and `&`
    /// become `\u003c`, `\u003e` and `\u0026`, which JSON reads back as the
    /// same characters (they can only occur inside strings).
    fn to_script_json(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_else(|error| {
            tracing::error!(%error, "serialising JSON-LD failed");
            b"{}".to_vec()
        });
        // serde_json writes UTF-8, and only ASCII bytes are replaced.
        String::from_utf8(script_safe(json)).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// `json` with `<`, `>` and `&` written as `\u003c`, `\u003e` and
/// `\u0026`; returned as it is when it has none (the usual case).
fn script_safe(json: Vec<u8>) -> Vec<u8> {
    let find = |bytes: &[u8]| memchr::memchr3(b'<', b'>', b'&', bytes);
    let Some(first) = find(&json) else { return json };
    let mut safe = Vec::with_capacity(json.len() + 16);
    let mut start = 0;
    let mut next = Some(first);
    while let Some(index) = next {
        safe.extend_from_slice(&json[start..index]);
        safe.extend_from_slice(match json[index] {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            _ => b"\\u0026",
        });
        start = index + 1;
        next = find(&json[start..]).map(|offset| start + offset);
    }
    safe.extend_from_slice(&json[start..]);
    safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleId, Paragraph};

    fn article(title: &str, paragraphs: Vec<Paragraph>) -> Article {
        Article {
            id: ArticleId::new("a"),
            title: title.to_owned(),
            paragraphs: paragraphs.into(),
            ..Article::default()
        }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = Paragraph::Text { text: "x</script><script>alert(1)</script>&".to_owned() };
        let article = article("</script>", vec![text]);
        let preview = LinkPreview::new(&Site::new("t", "/"), Some("https://e.org"), &article);
        assert!(!preview.json_ld.contains('<') && !preview.json_ld.contains('&'), "{}", preview.json_ld);
        let parsed: serde_json::Value = serde_json::from_str(&preview.json_ld).unwrap_or_default();
        assert_eq!(parsed["headline"], "</script>");
    }

    #[test]
    fn the_description_skips_captions_and_collapses_spaces() {
        let paragraphs = vec![
            Paragraph::Caption { text: "A photo".to_owned(), credit: "Someone".to_owned() },
            Paragraph::Text { text: "  First\n paragraph.  ".to_owned() },
        ];
        assert_eq!(description(&article("t", paragraphs)), "First paragraph.");
        assert_eq!(description(&article("Only a title", vec![])), "Only a title");
    }

    #[test]
    fn a_long_first_paragraph_gives_the_same_description_as_collapsing_all_of_it() {
        let long = "word\t\n ".repeat(200) + "end";
        let exact = "abcd ".repeat(60);
        let near_the_cut: Vec<String> =
            (0..12).map(|extra| "word  ".repeat(59) + &"y".repeat(extra) + " \n z").collect();
        let cases = [long.as_str(), "a  b", &"éé\u{a0} ".repeat(160), &"x".repeat(400), &exact, exact.trim_end()];
        for text in cases.into_iter().chain(near_the_cut.iter().map(String::as_str)) {
            let everything = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let paragraphs = vec![Paragraph::Text { text: text.to_owned() }];
            assert_eq!(description(&article("t", paragraphs)), excerpt(&everything, DESCRIPTION_CHARS));
        }
    }
}
