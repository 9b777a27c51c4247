//! The error page, which [`crate::web::error`] renders for every status it
//! chooses.

use std::sync::Arc;

use askama::Template;
use axum::http::StatusCode;

use crate::web::Site;
use crate::web::error::AppError;
use crate::web::escape::HtmlExt;

/// An error page (404, 400, …).
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorView {
    pub site: Arc<Site>,
    pub page_title: String,
    pub message: String,
}

impl ErrorView {
    pub(crate) fn new(site: Arc<Site>, error: &AppError, status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("Error");
        Self { site, page_title: format!("{reason} ({})", status.as_u16()), message: error.public_message() }
    }
}
