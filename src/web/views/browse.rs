//! The browse pages: the lists of sections, sources and tags, one list of
//! articles, and the archive.

use std::sync::Arc;

use askama::Template;

use super::{ArticleLink, PaginationView, SummaryView};
use crate::web::Site;
use crate::web::escape::HtmlExt;
use crate::web::feeds::FeedLink;

/// A link with a count: a section, a source, a tag, a year or a month.
pub(crate) struct CountedLink {
    pub url: String,
    pub label: String,
    /// "1 article", "12 articles".
    pub count: String,
}

/// "1 article", "12 articles".
pub(crate) fn count_label(count: usize) -> String {
    if count == 1 { "1 article".to_owned() } else { format!("{count} articles") }
}

/// `/sections` and `/sources`: every group with its article count.
#[derive(Template)]
#[template(path = "groups.html")]
pub(crate) struct GroupsView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub heading: &'static str,
    /// `sections` or `sources`: which navigation link is current.
    pub area: &'static str,
    pub groups: Vec<CountedLink>,
    pub empty_message: &'static str,
    pub pagination: PaginationView,
}

/// One list of articles: a section, a source, a year, a month, the undated.
#[derive(Template)]
#[template(path = "list.html")]
pub(crate) struct ListView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub heading: String,
    /// `sections`, `sources` or `archive`: which navigation link is current.
    pub area: &'static str,
    /// The page one level up (`Sections`, `Archive`, the year of a month).
    pub parent: ArticleLink,
    pub count: String,
    /// Sub-periods (the months of a year), empty elsewhere.
    pub periods: Vec<CountedLink>,
    /// Search restricted to this list, when search can express it.
    pub search_url: Option<String>,
    pub articles: Vec<SummaryView>,
    pub pagination: PaginationView,
    /// This list's own feeds (sections and sources).
    pub feed: Option<FeedLink>,
}

/// One year on the archive page.
pub(crate) struct YearView {
    pub link: CountedLink,
    pub months: Vec<CountedLink>,
}

/// `/archive`: years and months with counts, and the undated articles.
#[derive(Template)]
#[template(path = "archive.html")]
pub(crate) struct ArchiveView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub years: Vec<YearView>,
    pub undated: Option<CountedLink>,
}
