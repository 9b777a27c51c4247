//! The search page: the form with its filters, and the results.

use std::sync::Arc;

use askama::Template;

use super::{PaginationView, SummaryView};
use crate::web::Site;
use crate::web::escape::HtmlExt;
use crate::web::feeds::FeedLink;

/// One choice in a `<select>`.
pub(crate) struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One search result: the article as in any list, plus the snippet.
pub(crate) struct HitView {
    pub summary: SummaryView,
    /// Already HTML-escaped by the search engine, with `<mark>` around matches.
    pub snippet_html: String,
}

/// `/search`: the form (with every filter), and the results when there are.
#[derive(Template)]
#[template(path = "search.html")]
pub(crate) struct SearchView {
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
    pub(crate) fn filters_chosen(&self) -> bool {
        let chosen = |options: &[OptionView]| options.iter().any(|option| option.selected);
        chosen(&self.sections)
            || chosen(&self.sources)
            || !self.from.is_empty()
            || !self.to.is_empty()
            || self.sort_by_date
    }
}

/// The results part of the search page.
pub(crate) struct ResultsView {
    /// "3 articles match", "No article matches".
    pub summary: String,
    pub hits: Vec<HitView>,
    pub pagination: PaginationView,
}
