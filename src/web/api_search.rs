//! `GET /api/search`: search results as JSON, in the shape of the article
//! list plus a `snippet` per article. Answers 503 with `Retry-After` while
//! the index is being built.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::api::ArticleSummary;
use super::error::{ApiError, AppError};
use super::pages::no_such_page;
use super::pages::search::SearchParams;
use super::{AppState, PER_PAGE};
use crate::library::page_count;
use crate::web::CurrentSite;

/// One result: the article summary and the highlighted snippet.
#[derive(Serialize)]
pub(crate) struct SearchHit<'a> {
    #[serde(flatten)]
    pub article: ArticleSummary<'a>,
    /// HTML: escaped text with `<mark>` around the matched words.
    pub snippet: String,
}

/// One page of results.
#[derive(Serialize)]
pub(crate) struct SearchList<'a> {
    pub query: &'a str,
    pub articles: Vec<SearchHit<'a>>,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
}

/// `GET /api/search?q=…` (same parameters as `/search`).
pub(crate) async fn search_articles(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    params: SearchParams,
) -> Result<Json<serde_json::Value>, ApiError> {
    let library = state.library.load();
    let request = params.to_request(&library)?;
    let results = state.search.search(&library, &request)?;
    let pages = page_count(results.total, PER_PAGE);
    if request.page > pages {
        return Err(no_such_page(request.page).into());
    }
    let articles = results
        .hits
        .into_iter()
        .map(|hit| SearchHit { article: ArticleSummary::new(&site, hit.article), snippet: hit.snippet_html })
        .collect();
    let list = SearchList { query: &params.q, articles, page: request.page, pages, total: results.total };
    serde_json::to_value(&list).map(Json).map_err(|error| ApiError(AppError::Internal(error.to_string())))
}
