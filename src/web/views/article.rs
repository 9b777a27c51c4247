//! The article page, and the article body that feeds share with it.

use std::sync::Arc;

use askama::Template;

use super::{ArticleLink, DateView};
use crate::article::{Article, Paragraphs};
use crate::library::media::MediaIndex;
use crate::web::Site;
use crate::web::escape::{BodyHtml, BodyImages, HtmlExt};
use crate::web::media::html::ImageWriter;
use crate::web::preview::LinkPreview;

/// One article, in full, borrowing from the library snapshot it is
/// rendered from.
#[derive(Template)]
#[template(path = "article.html")]
pub(crate) struct ArticleView<'a> {
    pub site: Arc<Site>,
    pub page_title: String,
    pub article: &'a Article,
    /// Absolute when the public origin is known (`--base-url`).
    pub canonical_url: String,
    /// Open Graph, Twitter card and JSON-LD data (always absolute URLs).
    pub preview: LinkPreview<'a>,
    pub date: Option<DateView>,
    pub reading_minutes: usize,
    pub newer: Option<ArticleLink>,
    pub older: Option<ArticleLink>,
    /// Links to the article's section, source and month lists.
    pub section_link: Option<ArticleLink>,
    pub source_link: Option<ArticleLink>,
    pub month_link: Option<ArticleLink>,
    /// Links to the lists of the article's tags, in the file's order.
    pub tag_links: Vec<ArticleLink>,
    /// The list that newer/older move within, when it is not the whole
    /// library ("World News"), linked back to.
    pub list_link: Option<ArticleLink>,
    /// The article's language tag when it is not the page's English.
    pub lang: Option<&'static str>,
    /// The lead image's `<figure>`, shown above the body.
    pub lead_figure: Option<String>,
    /// The image files the body's images are looked up in.
    pub media: &'a MediaIndex,
    /// The body's photo caption that the lead image took.
    pub lead_caption: Option<usize>,
    /// The article's body, read once for the page (from the body store
    /// when it is not in memory).
    pub paragraphs: std::borrow::Cow<'a, Paragraphs>,
}

impl ArticleView<'_> {
    /// The body, with its images written for this site.
    pub(crate) fn body(&self) -> BodyHtml<'_> {
        let writer = ImageWriter { media: self.media, site: &self.site, origin: None };
        let images = BodyImages { writer, article_id: self.article.id.as_str(), skip: self.lead_caption };
        BodyHtml(&self.paragraphs, Some(images))
    }
}

/// The body of an article as HTML, rendered by the same partial as the
/// article page, so escaping is the same everywhere.
#[derive(Template)]
#[template(path = "partials/article_body.html")]
pub(crate) struct BodyView<'a> {
    pub paragraphs: &'a Paragraphs,
    pub images: Option<BodyImages<'a>>,
}

impl BodyView<'_> {
    /// The body, for the template.
    pub(crate) fn body(&self) -> BodyHtml<'_> {
        BodyHtml(self.paragraphs, self.images)
    }

    /// The body as an HTML string; a template bug is logged and gives an
    /// empty body rather than a broken feed.
    pub(crate) fn html(paragraphs: &Paragraphs, images: Option<BodyImages<'_>>) -> String {
        BodyView { paragraphs, images }.render().map(|html| html.trim().to_owned()).unwrap_or_else(|error| {
            tracing::error!(%error, "rendering an article body for a feed failed");
            String::new()
        })
    }
}
