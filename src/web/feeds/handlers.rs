//! The feed routes: thin handlers that pick the articles and the scope.
//! Every feed comes as `.xml` (Atom) and `.json` (JSON Feed); the handler
//! reads which from the URL.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;

use super::{FEED_ENTRIES, Feed, FeedFormat, FeedScope};
use crate::library::ListKey;
use crate::library::search::{SearchRequest, SortOrder};
use crate::web::error::AppError;
use crate::web::pages::browse::{list_heading, no_such_list};
use crate::web::pages::search::SearchParams;
use crate::web::site::AbsoluteSite;
use crate::web::{AppState, Site};

/// `GET /feed.xml` and `GET /feed.json`: the latest articles of the site.
pub(crate) async fn show_site_feed(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    uri: Uri,
) -> Response {
    let library = state.library.load();
    let scope = FeedScope::site(&site);
    Feed::new(site, scope, library.articles(), library.media()).listed_in(&library).into_response(FeedFormat::of(&uri))
}

/// `GET /sections/{slug}/feed.xml` (and `.json`).
pub(crate) async fn show_section_feed(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    Path(slug): Path<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    list_feed(&state, site, &ListKey::Section(slug), FeedFormat::of(&uri))
}

/// `GET /sources/{slug}/feed.xml` (and `.json`).
pub(crate) async fn show_source_feed(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    Path(slug): Path<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    list_feed(&state, site, &ListKey::Source(slug), FeedFormat::of(&uri))
}

/// `GET /tags/{slug}/feed.xml` (and `.json`).
pub(crate) async fn show_tag_feed(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    Path(slug): Path<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    list_feed(&state, site, &ListKey::Tag(slug), FeedFormat::of(&uri))
}

/// `GET /search/feed.xml?q=…` (and `.json`): the newest 50 matches, with
/// the search page's filters (`section=`, `source=`, `from=`, `to=`).
pub(crate) async fn show_search_feed(
    State(state): State<AppState>,
    AbsoluteSite(site): AbsoluteSite,
    uri: Uri,
    params: SearchParams,
) -> Result<Response, AppError> {
    if params.is_blank() {
        return Err(AppError::BadRequest(
            "A search feed needs words or filters to search for: /search/feed.xml?q=…".to_owned(),
        ));
    }
    let library = state.library.load();
    // A feed lists what is new, so matches come newest first.
    let request = params.to_request(&library)?;
    let request = SearchRequest { sort: SortOrder::Date, page: 1, per_page: FEED_ENTRIES, ..request };
    let results = state.search.search(&library, &request)?;
    let scope = FeedScope::search(&site, &params.q, params.query_string(1, false));
    let feed = Feed::new(site, scope, results.hits.iter().map(|hit| hit.article), library.media()).listed_in(&library);
    Ok(feed.into_response(FeedFormat::of(&uri)))
}

fn list_feed(state: &AppState, site: Arc<Site>, key: &ListKey, format: FeedFormat) -> Result<Response, AppError> {
    let library = state.library.load();
    let list = library.list(key).ok_or_else(|| no_such_list(key))?;
    let heading = list_heading(&library, key).ok_or_else(|| no_such_list(key))?;
    let scope = FeedScope::list(&site, key, &heading).ok_or_else(|| no_such_list(key))?;
    let articles = list.page(1, FEED_ENTRIES).unwrap_or_default();
    Ok(Feed::new(site, scope, articles, library.media()).listed_in(&library).into_response(format))
}
