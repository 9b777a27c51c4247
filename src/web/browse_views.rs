//! Views of the browse and search pages (one askama struct per template),
//! kept beside [`super::views`] so the pages of one feature live together.

use std::sync::Arc;

use askama::Template;

use super::Site;
use super::escape::HtmlExt;
use super::feeds::FeedLink;
use super::views::{ArticleLink, PaginationView, SummaryView};

/// A link with a count: a section, a source, a year or a month.
pub struct CountedLink {
    pub url: String,
    pub label: String,
    /// "1 article", "12 articles".
    pub count: String,
}

/// "1 article", "12 articles".
pub fn count_label(count: usize) -> String {
    if count == 1 { "1 article".to_owned() } else { format!("{count} articles") }
}

/// `/sections` and `/sources`: every group with its article count.
#[derive(Template)]
#[template(path = "groups.html")]
pub struct GroupsView {
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
pub struct ListView {
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
pub struct YearView {
    pub link: CountedLink,
    pub months: Vec<CountedLink>,
}

/// `/archive`: years and months with counts, and the undated articles.
#[derive(Template)]
#[template(path = "archive.html")]
pub struct ArchiveView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub years: Vec<YearView>,
    pub undated: Option<CountedLink>,
}

/// One choice in a `<select>`.
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One search result: the article as in any list, plus the snippet.
pub struct HitView {
    pub summary: SummaryView,
    /// Already HTML-escaped by the search engine, with `<mark>` around matches.
    pub snippet_html: String,
}

/// `/search`: the form (with every filter), and the results when there are.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub query: String,
    pub sections: Vec<OptionView>,
    pub sources: Vec<OptionView>,
    pub from: String,
    pub to: String,
    pub sort_by_date: bool,
    /// `None` before anything was searched for.
    pub results: Option<ResultsView>,
    /// Something the reader should know (the query was cut, nothing to search).
    pub notice: Option<String>,
    /// The feeds of this search, once something was searched for.
    pub feed: Option<FeedLink>,
}

impl SearchView {
    /// Whether the reader narrowed the search (a section, source, date or
    /// order other than the default), so the filters open to show it.
    pub fn filters_chosen(&self) -> bool {
        let chosen = |options: &[OptionView]| options.iter().any(|option| option.selected);
        chosen(&self.sections)
            || chosen(&self.sources)
            || !self.from.is_empty()
            || !self.to.is_empty()
            || self.sort_by_date
    }
}

/// The results part of the search page.
pub struct ResultsView {
    /// "3 articles match", "No article matches".
    pub summary: String,
    pub hits: Vec<HitView>,
    pub pagination: PaginationView,
}
