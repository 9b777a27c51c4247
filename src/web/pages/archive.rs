//! The date archive: `/archive` (years and months with counts), and the
//! lists `/archive/{yyyy}`, `/archive/{yyyy}/{mm}` and `/archive/undated`,
//! paginated like every list ([`super::browse`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use super::PageNumber;
use super::article::redirect_to;
use super::browse::{counted, list_page};
use crate::library::ListKey;
use crate::web::error::AppError;
use crate::web::views::{ArchiveView, Html, ListView, YearView};
use crate::web::{AppState, CurrentSite, Site, urls};

/// `GET /archive/{yyyy}`; another spelling of a period (`/archive/2024-11`,
/// `/archive/02024`) redirects to its one URL.
pub(crate) async fn show_year(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(year): Path<String>,
    uri: Uri,
    PageNumber(page): PageNumber,
) -> Result<Response, AppError> {
    let key = ListKey::from_period(&year).ok_or_else(no_such_period)?;
    show_period(&state, &site, &key, &uri, page)
}

/// `GET /archive/{yyyy}/{mm}`; `/archive/2024/011` or `/archive/2024/1`
/// redirect to `/archive/2024/11`.
pub(crate) async fn show_month(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path((year, month)): Path<(String, String)>,
    uri: Uri,
    PageNumber(page): PageNumber,
) -> Result<Response, AppError> {
    let key = ListKey::from_month(&year, &month).ok_or_else(no_such_period)?;
    show_period(&state, &site, &key, &uri, page)
}

/// The list of the period `key`, or a 308 to its canonical URL when `uri`
/// spells it differently, so a period has one address.
fn show_period(
    state: &AppState,
    site: &Arc<Site>,
    key: &ListKey,
    uri: &Uri,
    page: usize,
) -> Result<Response, AppError> {
    let canonical = urls::list(site, key);
    if canonical.strip_prefix(site.base_path.as_str()) != uri.path().strip_prefix('/') {
        return Ok(redirect_to(&canonical, uri.query()));
    }
    list_page(state, site, key, page).map(IntoResponse::into_response)
}

/// `GET /archive/undated`.
pub(crate) async fn show_undated(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    PageNumber(page): PageNumber,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Undated, page)
}

/// `GET /archive`: years and months with counts.
pub(crate) async fn show_archive(State(state): State<AppState>, CurrentSite(site): CurrentSite) -> Html<ArchiveView> {
    let library = state.library.load();
    let years = library
        .archive()
        .years()
        .iter()
        .map(|year| YearView {
            link: counted(&site, &ListKey::Year(year.year), year.year.to_string(), year.len()),
            months: year
                .months
                .iter()
                .map(|month| {
                    let key = ListKey::Month(year.year, month.month);
                    counted(&site, &key, month_label(year.year, month.month), month.len())
                })
                .collect(),
        })
        .collect();
    let undated = library.archive().undated_len();
    let undated = (undated > 0).then(|| counted(&site, &ListKey::Undated, "Undated articles".to_owned(), undated));
    Html(ArchiveView { page_title: format!("Archive – {}", site.title), years, undated, site: site.clone() })
}

/// `November 2024`.
pub(crate) fn month_label(year: i16, month: i8) -> String {
    match jiff::civil::Date::new(year, month, 1) {
        Ok(date) => date.strftime("%B %Y").to_string(),
        Err(_) => format!("{year:04}-{month:02}"),
    }
}

/// The 404 for a period the archive does not have.
pub(super) fn no_such_period() -> AppError {
    AppError::NotFound(
        "There are no articles from that period. See the archive for the periods that have some.".to_owned(),
    )
}
