//! Link previews and structured data for article pages: Open Graph and
//! Twitter card meta tags, the meta description, and JSON-LD `NewsArticle`.
//!
//! Chat apps and search engines read these without running scripts, and
//! need absolute URLs, so a [`LinkPreview`] is built from the request's
//! [`crate::web::site::AbsoluteSite`].

use serde::Serialize;

use super::Site;
use crate::article::{Article, Paragraph, excerpt};

/// Longest meta description, in characters (what search results show).
pub const DESCRIPTION_CHARS: usize = 300;

/// What an article page says about itself to machines.
pub struct LinkPreview {
    /// The absolute canonical URL.
    pub url: String,
    pub title: String,
    /// The first paragraph, trimmed to [`DESCRIPTION_CHARS`].
    pub description: String,
    /// `2024-11-16`, or full RFC 3339 when the article gives a time.
    pub published_time: Option<String>,
    pub section: Option<String>,
    /// The JSON-LD object, safe to place inside `<script>` as it is.
    pub json_ld: String,
}

impl LinkPreview {
    /// The preview of `article`; `site` should have a public origin.
    pub fn new(site: &Site, article: &Article) -> Self {
        let url = site.canonical_article_url(&article.id);
        let description = description(article);
        let published_time = article
            .published
            .map(|published| published.rfc3339())
            .or_else(|| article.date.map(|date| date.to_string()));
        let json_ld = NewsArticle::new(site, article, &url, &description, published_time.as_deref()).to_script_json();
        Self {
            url,
            title: article.title.clone(),
            description,
            published_time,
            section: article.section.clone(),
            json_ld,
        }
    }
}

/// The first paragraph of running text (not a photo caption), trimmed;
/// the title for an article without one.
fn description(article: &Article) -> String {
    let first = article
        .paragraphs
        .iter()
        .filter(|paragraph| !matches!(paragraph, Paragraph::Caption { .. }))
        .map(|paragraph| paragraph.text().trim())
        .find(|text| !text.is_empty())
        .unwrap_or(&article.title);
    let collapsed = first.split_whitespace().collect::<Vec<_>>().join(" ");
    excerpt(&collapsed, DESCRIPTION_CHARS)
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
        let author = match (&article.author, &article.source) {
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
        let json = serde_json::to_string(self).unwrap_or_else(|error| {
            tracing::error!(%error, "serialising JSON-LD failed");
            "{}".to_owned()
        });
        json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;

    fn article(title: &str, paragraphs: Vec<Paragraph>) -> Article {
        Article { id: ArticleId::new("a"), title: title.to_owned(), paragraphs, ..Article::default() }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = Paragraph::Text { text: "x</script><script>alert(1)</script>&".to_owned() };
        let preview = LinkPreview::new(&Site::new("t", "https://e.org/"), &article("</script>", vec![text]));
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
}
