//! The date archive: `/archive` (years and months with counts), and the
//! lists `/archive/{yyyy}`, `/archive/{yyyy}/{mm}` and `/archive/undated`,
//! paginated like every list ([`super::browse`]).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use super::PageQuery;
use super::browse::{counted, list_page};
use crate::library::ListKey;
use crate::web::error::AppError;
use crate::web::views::{ArchiveView, Html, ListView, YearView};
use crate::web::{AppState, CurrentSite};

/// `GET /archive/{yyyy}` (and `/archive/{yyyy-mm}`, read as the month).
pub(crate) async fn show_year(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path(year): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    let key = ListKey::from_period(&year).ok_or_else(no_such_period)?;
    list_page(&state, &site, &key, PageQuery::from_request(query)?)
}

/// `GET /archive/{yyyy}/{mm}`.
pub(crate) async fn show_month(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    Path((year, month)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    let key = ListKey::from_month(&year, &month).ok_or_else(no_such_period)?;
    list_page(&state, &site, &key, PageQuery::from_request(query)?)
}

/// `GET /archive/undated`.
pub(crate) async fn show_undated(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<ListView>, AppError> {
    list_page(&state, &site, &ListKey::Undated, PageQuery::from_request(query)?)
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
