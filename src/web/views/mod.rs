//! The views: one askama struct per template, a file per page family, and
//! one function that turns any of them into a response ([`render_html`],
//! behind [`Html`] and the error pages alike).
//!
//! Views hold display-ready values (formatted dates, URLs), so templates stay
//! free of logic and every page formats things the same way. This file holds
//! the rendering and the pieces several pages share (dates, list entries,
//! pagination, links).

mod article;
mod browse;
mod deployment;
mod error;
mod problems;
mod search;

pub(crate) use article::{ArticleView, BodyView};
pub(crate) use browse::{ArchiveView, CountedLink, GroupsView, ListView, YearView, count_label};
pub(crate) use deployment::{DeploymentView, Fact};
pub(crate) use error::ErrorView;
pub(crate) use problems::{ProblemRow, ProblemsView, WarningRow};
pub(crate) use search::{HitView, OptionView, ResultsView, SearchView};

use std::sync::Arc;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::escape::HtmlExt;
use super::language::language_tag;
use super::{Site, urls};
use crate::article::Article;
use crate::library::media::MediaIndex;
use crate::web::media::html::ImageWriter;

/// Renders a template into an HTML response with `status`. A rendering
/// failure is a bug in a template, answered with a plain 500.
pub(crate) fn render_html<T: Template>(view: &T, status: StatusCode) -> Response {
    match render_exact(view) {
        Ok(html) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Renders into a buffer sized from the last page this thread rendered
/// (twice it, so a longer page rarely regrows), then gives the spare
/// capacity back: the page cache holds no spare bytes, and the page is never
/// copied (shrinking an allocation happens in place).
pub(crate) fn render_exact<T: Template>(view: &T) -> askama::Result<Bytes> {
    thread_local! {
        static LAST_PAGE_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    let last = LAST_PAGE_BYTES.get();
    let mut page = String::with_capacity(T::SIZE_HINT.max(last.saturating_mul(2)).min(MAX_PAGE_HINT));
    view.render_into(&mut page)?;
    LAST_PAGE_BYTES.set(page.len());
    page.shrink_to_fit();
    Ok(Bytes::from(page))
}

/// The largest buffer reserved up front for a page; a bigger one grows.
const MAX_PAGE_HINT: usize = 1024 * 1024;

/// A rendered HTML page with status 200.
pub(crate) struct Html<T>(pub T);

impl<T: Template> IntoResponse for Html<T> {
    fn into_response(self) -> Response {
        render_html(&self.0, StatusCode::OK)
    }
}

/// A date as shown to readers and as given to machines. Both forms are
/// written straight into the page, with no string built per request.
pub(crate) struct DateView {
    /// `2024-11-16`, for `<time datetime>`.
    pub iso: IsoDate,
    /// `16 November 2024`.
    pub human: HumanDate,
}

impl From<jiff::civil::Date> for DateView {
    fn from(date: jiff::civil::Date) -> Self {
        Self { iso: IsoDate(date), human: HumanDate(date) }
    }
}

/// A date as `2024-11-16`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IsoDate(pub jiff::civil::Date);

/// A date as `16 November 2024`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HumanDate(pub jiff::civil::Date);

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::fmt::Display for HumanDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0.strftime("%-d %B %Y"), f)
    }
}

// Digits, a dash, spaces and month names: nothing to escape.
impl askama::filters::HtmlSafe for IsoDate {}
impl askama::filters::HtmlSafe for HumanDate {}

/// Minutes to read `words` at 230 words a minute, at least one.
pub(crate) fn reading_minutes(words: usize) -> usize {
    words.div_ceil(230).max(1)
}

/// One article in a list: what the index (and later lists) show per entry.
pub(crate) struct SummaryView {
    pub url: String,
    pub title: String,
    pub section: Option<String>,
    pub source: Option<String>,
    pub date: Option<DateView>,
    pub excerpt: String,
    pub reading_minutes: usize,
    /// The entry's language tag when it is not the page's English.
    pub lang: Option<&'static str>,
    /// The URL of a small copy of the lead image, shown beside the entry.
    pub thumbnail: Option<String>,
}

impl SummaryView {
    pub(crate) fn new(site: &Site, article: &Article, media: &MediaIndex) -> Self {
        let excerpt = article.excerpt().into_owned();
        Self {
            thumbnail: ImageWriter { media, site, origin: None }.thumbnail(article).map(|thumbnail| thumbnail.url),
            url: urls::article(site, &article.id),
            title: article.title.clone(),
            section: article.section.clone(),
            source: article.source.clone(),
            date: article.date.map(DateView::from),
            lang: language_tag(&article.title, &excerpt),
            excerpt,
            reading_minutes: reading_minutes(article.word_count),
        }
    }
}

/// Links to the neighbouring pages of a paginated list.
pub(crate) struct PaginationView {
    /// This page's own URL (`?page=N`, none for the first), for its
    /// canonical link: `?page=1` and other query strings name the same list.
    pub canonical_url: String,
    pub current: usize,
    pub pages: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// Link texts: "← Newer"/"Older →" for lists by date.
    pub previous_label: &'static str,
    pub next_label: &'static str,
}

impl PaginationView {
    /// Pagination for `list_url` (which has no query string).
    pub(crate) fn new(list_url: &str, current: usize, pages: usize) -> Self {
        Self::with_urls(
            |page| if page == 1 { list_url.to_owned() } else { format!("{list_url}?page={page}") },
            current,
            pages,
        )
    }

    /// Pagination whose page URLs `page_url` builds (for lists with other
    /// query parameters, like search).
    pub(crate) fn with_urls(page_url: impl Fn(usize) -> String, current: usize, pages: usize) -> Self {
        Self {
            canonical_url: page_url(current),
            current,
            pages,
            previous_url: (current > 1).then(|| page_url(current - 1)),
            next_url: (current < pages).then(|| page_url(current + 1)),
            previous_label: "← Newer",
            next_label: "Older →",
        }
    }

    /// The same links labelled "Previous"/"Next", for lists not ordered by date.
    pub(crate) fn neutral(mut self) -> Self {
        self.previous_label = "← Previous";
        self.next_label = "Next →";
        self
    }
}

/// A link to another article (previous/next).
pub(crate) struct ArticleLink {
    pub url: String,
    pub title: String,
}

/// The home page: newest articles first.
#[derive(Template)]
#[template(path = "index.html")]
pub(crate) struct IndexView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub articles: Vec<SummaryView>,
    pub pagination: PaginationView,
}
