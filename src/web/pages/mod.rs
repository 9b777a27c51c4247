//! HTML pages, one file per page or page family.

pub mod archive;
pub mod article;
pub mod browse;
pub mod deployment;
pub mod index;
pub mod problems;
pub mod search;
pub mod seo;

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use serde::Deserialize;

use super::error::AppError;

/// The `?page=N` parameter of every paginated list (1-based).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<usize>,
}

impl PageQuery {
    /// The requested page number, or a 400 when the query string is malformed
    /// (`?page=abc`, `?page=-1`).
    pub fn from_request(query: Result<Query<Self>, QueryRejection>) -> Result<usize, AppError> {
        let Query(query) = query
            .map_err(|rejection| AppError::BadRequest(format!("Invalid query string: {}", rejection.body_text())))?;
        Ok(query.page.unwrap_or(1))
    }
}

/// The 404 for a page number past the end of a list.
pub fn no_such_page(page: usize) -> AppError {
    AppError::NotFound(format!("There is no page {page} in this list."))
}
