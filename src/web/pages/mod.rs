//! HTML pages, one file per page or page family.

pub(crate) mod archive;
pub(crate) mod article;
pub(crate) mod browse;
pub(crate) mod deployment;
pub(crate) mod index;
pub(crate) mod problems;
pub(crate) mod search;
pub(crate) mod seo;

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use serde::Deserialize;

use super::error::AppError;

/// The `?page=N` parameter of every paginated list (1-based).
#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<usize>,
}

impl PageQuery {
    /// The requested page number, or a 400 when the query string is malformed
    /// (`?page=abc`, `?page=-1`).
    pub(crate) fn from_request(query: Result<Query<Self>, QueryRejection>) -> Result<usize, AppError> {
        let Query(query) = query
            .map_err(|rejection| AppError::BadRequest(format!("Invalid query string: {}", rejection.body_text())))?;
        Ok(query.page.unwrap_or(1))
    }
}

/// The 404 for a page number past the end of a list.
pub(crate) fn no_such_page(page: usize) -> AppError {
    AppError::NotFound(format!("There is no page {page} in this list."))
}
