//! The search page, `/search?q=…&section=…&source=…&from=…&to=…&sort=date`,
//! and the parameters it shares with `/api/search`.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{given_twice, no_such_page, parse_page, query_pairs};
use crate::library::media::MediaIndex;
use crate::library::search::{Filters, SearchError, SearchRequest, SearchResults, SortOrder};
use crate::library::{Groups, Library, page_count};
use crate::web::error::AppError;
use crate::web::feeds::{FeedLink, FeedScope};
use crate::web::views::{HitView, Html, OptionView, PaginationView, ResultsView, SearchView, SummaryView};
use crate::web::{AppState, CurrentSite, PER_PAGE, Site, urls};

/// The query string of a search, as sent by the form. Every field is text so
/// that a bad value gets a message naming it rather than a generic 400; an
/// empty value (the form's "any") means no filter. Read by hand rather than
/// by serde, so that what goes wrong (a parameter given twice) is said in
/// our words, not a deserializer's.
#[derive(Debug, Default)]
pub(crate) struct SearchParams {
    pub q: String,
    pub section: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for SearchParams {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        Self::from_query(parts.uri.query())
    }
}

impl SearchParams {
    /// The parameters of `query`; unknown ones are ignored, one given twice
    /// is a 400.
    pub(crate) fn from_query(query: Option<&str>) -> Result<Self, AppError> {
        let mut q = None;
        let mut params = Self::default();
        for (name, value) in query_pairs(query) {
            let slot = match name.as_ref() {
                "q" => &mut q,
                "section" => &mut params.section,
                "source" => &mut params.source,
                "from" => &mut params.from,
                "to" => &mut params.to,
                "sort" => &mut params.sort,
                "page" => &mut params.page,
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                return Err(given_twice(&name));
            }
        }
        params.q = q.unwrap_or_default();
        Ok(params)
    }

    /// Whether nothing at all was asked (the bare search page).
    pub(crate) fn is_blank(&self) -> bool {
        [&self.section, &self.source, &self.from, &self.to].iter().all(|value| given(value).is_none())
            && self.q.trim().is_empty()
    }

    /// The search to run, with section and source slugs resolved to names.
    pub(crate) fn to_request(&self, library: &Library) -> Result<SearchRequest, AppError> {
        let filters = Filters {
            section: resolve(library.sections(), given(&self.section), "section")?,
            source: resolve(library.sources(), given(&self.source), "source")?,
            from: parse_date(given(&self.from), "from")?,
            to: parse_date(given(&self.to), "to")?,
        };
        let sort = match given(&self.sort) {
            None | Some("relevance") => SortOrder::Relevance,
            Some("date") => SortOrder::Date,
            Some(other) => return Err(bad(format!("Unknown sort order “{other}”: use sort=relevance or sort=date."))),
        };
        // Unlike the filters, an empty page is not "any": one rule for pages.
        let page = self.page.as_deref().map_or(Ok(1), parse_page)?;
        Ok(SearchRequest { query: self.q.clone(), filters, sort, page, per_page: PER_PAGE })
    }

    /// The URL of page `page` of this search.
    pub(crate) fn page_url(&self, site: &Site, page: usize) -> String {
        urls::search(site, &self.query_string(page, true))
    }

    /// The encoded query string of page `page` of this search; without the
    /// sort order when `with_sort` is false (feeds are always by date).
    pub(crate) fn query_string(&self, page: usize, with_sort: bool) -> String {
        let page = page.to_string();
        let pairs = [
            ("q", Some(self.q.as_str())),
            ("section", given(&self.section)),
            ("source", given(&self.source)),
            ("from", given(&self.from)),
            ("to", given(&self.to)),
            ("sort", given(&self.sort).filter(|_| with_sort)),
            ("page", (page != "1").then_some(page.as_str())),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter_map(|(name, value)| Some(format!("{name}={}", utf8_percent_encode((*value)?, QUERY_VALUE))))
            .collect();
        query.join("&")
    }
}

/// Escaped in query values: everything but RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|value| !value.is_empty())
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

fn resolve(groups: &Groups, slug: Option<&str>, what: &str) -> Result<Option<String>, AppError> {
    let Some(slug) = slug else { return Ok(None) };
    let group = groups.find_by_slug(slug).ok_or_else(|| bad(format!("There is no {what} “{slug}”.")))?;
    Ok(Some(group.name.clone()))
}

fn parse_date(value: Option<&str>, name: &str) -> Result<Option<jiff::civil::Date>, AppError> {
    let Some(value) = value else { return Ok(None) };
    let date = value.parse().map_err(|_| bad(format!("“{name}” must be a date like 2024-11-16, not “{value}”.")))?;
    Ok(Some(date))
}

/// `GET /search`: the form, and results when something was asked.
pub(crate) async fn show_search(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    params: SearchParams,
) -> Result<Html<SearchView>, AppError> {
    let library = state.library.load();
    let request = params.to_request(&library)?;
    let mut view = form_view(&site, &library, &params);
    if params.is_blank() {
        return Ok(Html(view));
    }
    match state.search.search(&library, &request) {
        Ok(results) => {
            view.notice = results.truncated.then(|| "Your search was long, so only its beginning was used.".to_owned());
            view.results = Some(results_view(&site, &params, &request, results, library.media())?);
        }
        Err(SearchError::NothingToSearch) => view.notice = Some("Type one or more words to search for.".to_owned()),
        Err(error) => return Err(error.into()),
    }
    Ok(Html(view))
}

/// The search form, filled in with what the reader asked.
fn form_view(site: &std::sync::Arc<Site>, library: &Library, params: &SearchParams) -> SearchView {
    SearchView {
        page_title: match params.q.trim() {
            "" => format!("Search – {}", site.title),
            query => format!("“{query}” – Search – {}", site.title),
        },
        query: params.q.clone(),
        sections: options(library.sections(), given(&params.section)),
        sources: options(library.sources(), given(&params.source)),
        from: given(&params.from).unwrap_or_default().to_owned(),
        to: given(&params.to).unwrap_or_default().to_owned(),
        sort_by_date: given(&params.sort) == Some("date"),
        results: None,
        notice: None,
        feed: (!params.is_blank())
            .then(|| FeedLink::new(site, &FeedScope::search(site, &params.q, params.query_string(1, false)))),
        site: site.clone(),
    }
}

fn options(groups: &Groups, selected: Option<&str>) -> Vec<OptionView> {
    let options = groups.all().iter();
    options
        .map(|group| OptionView {
            value: group.slug.clone(),
            label: group.name.clone(),
            selected: selected == Some(group.slug.as_str()),
        })
        .collect()
}

fn results_view(
    site: &Site,
    params: &SearchParams,
    request: &SearchRequest,
    results: SearchResults<'_>,
    media: &MediaIndex,
) -> Result<ResultsView, AppError> {
    let pages = page_count(results.total, PER_PAGE);
    if request.page > pages {
        return Err(no_such_page(request.page));
    }
    let summary = match results.total {
        0 => "No article matches.".to_owned(),
        1 => "1 article matches.".to_owned(),
        total => format!("{total} articles match{}.", if results.ranked { ", best first" } else { ", newest first" }),
    };
    let hits = results
        .hits
        .into_iter()
        .map(|hit| HitView { summary: SummaryView::new(site, hit.article, media), snippet_html: hit.snippet_html })
        .collect();
    let pagination = PaginationView::with_urls(|page| params.page_url(site, page), request.page, pages).neutral();
    Ok(ResultsView { summary, hits, pagination })
}
