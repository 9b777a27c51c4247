//! The one place where errors become HTTP status codes and error pages.
//!
//! Handlers return [`AppError`] (HTML routes) or [`ApiError`] (JSON routes).
//! Both carry only what the client may see; internal detail is logged here,
//! once, and never shown. HTML error pages need the site's links, which an
//! `IntoResponse` impl cannot see, so [`render_error_pages`] renders them in a
//! middleware — and that middleware also dresses axum's own plain-text
//! rejections (bad query strings, wrong methods) as proper HTML pages.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::views::{ErrorView, render_html};
use super::{AppState, Site};
use crate::library::search::SearchError;

/// A request that cannot be answered with the page asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AppError {
    /// Nothing lives at this URL (unknown article, page past the end).
    #[error("{0}")]
    NotFound(String),
    /// Something lived at this URL and was deliberately removed (a deleted
    /// article): unlike "not found", the client may forget the link.
    #[error("{0}")]
    Gone(String),
    /// The request itself is malformed (a query string that does not parse).
    #[error("{0}")]
    BadRequest(String),
    /// The path and query string are longer than the server accepts.
    #[error("{0}")]
    UriTooLong(String),
    /// Not possible yet (the search index is still being built); the client
    /// should retry after [`RETRY_AFTER_SECONDS`].
    #[error("{0}")]
    NotReady(String),
    /// Our fault; the detail is logged, the client sees a generic message.
    #[error("internal error")]
    Internal(String),
}

/// What `Retry-After` says on a [`AppError::NotReady`] answer.
pub(crate) const RETRY_AFTER_SECONDS: u32 = 2;

impl AppError {
    /// The status code for each kind of error — decided here and nowhere else.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Gone(_) => StatusCode::GONE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the client.
    pub(crate) fn public_message(&self) -> String {
        match self {
            Self::NotFound(message)
            | Self::Gone(message)
            | Self::BadRequest(message)
            | Self::UriTooLong(message)
            | Self::NotReady(message) => message.clone(),
            Self::Internal(_) => "Something went wrong on our side. Please try again later.".to_owned(),
        }
    }

    /// Headers that go with the status: `Retry-After` when not ready.
    fn add_headers(&self, response: &mut Response) {
        if let Self::NotReady(_) = self {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(RETRY_AFTER_SECONDS));
        }
    }

    fn log(&self) {
        if let Self::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }
}

impl From<SearchError> for AppError {
    fn from(error: SearchError) -> Self {
        match error {
            SearchError::NotReady { indexed, total } => Self::NotReady(format!(
                "Search is indexing… ({indexed} of {total} articles done). Please try again in a few seconds."
            )),
            SearchError::NothingToSearch | SearchError::TooDeep => Self::BadRequest(capitalise(&error.to_string())),
            SearchError::Unavailable(_) | SearchError::Failed(_) => Self::Internal(error.to_string()),
        }
    }
}

fn capitalise(message: &str) -> String {
    let mut characters = message.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        Self::Internal(format!("template rendering failed: {error}"))
    }
}

/// An HTML route's error: the response carries the error as an extension and
/// [`render_error_pages`] turns it into a page.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = (self.status(), self.public_message()).into_response();
        self.add_headers(&mut response);
        response.extensions_mut().insert(self);
        response
    }
}

/// A JSON route's error: `{"error": {"status": 404, "message": "..."}}`.
#[derive(Debug)]
pub(crate) struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

#[derive(Serialize)]
struct ApiErrorBody {
    error: ApiErrorDetail,
}

#[derive(Serialize)]
struct ApiErrorDetail {
    status: u16,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = ApiErrorBody { error: ApiErrorDetail { status: status.as_u16(), message: self.0.public_message() } };
        let mut response = (status, axum::Json(body)).into_response();
        self.0.add_headers(&mut response);
        response
    }
}

/// The fallback route: any URL we do not know.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound("There is no page at this address. It may have moved, or the link may be mistyped.".to_owned())
}

/// Turns error responses of HTML routes into HTML error pages: both our own
/// [`AppError`]s and axum's plain-text rejections. JSON responses pass as
/// they are.
pub(crate) async fn render_error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let site = request.extensions().get::<Arc<Site>>().cloned().unwrap_or_else(|| state.site.clone());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let error = match response.extensions().get::<AppError>() {
        Some(error) => error.clone(),
        None => rejection_to_error(status),
    };
    let mut page = render_html(&ErrorView::new(site, &error, status), status);
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            page.headers_mut().insert(name, value.clone());
        }
    }
    page
}

/// The HTML page for `error`, for middleware that answers before routing.
pub(crate) fn error_page(site: Arc<Site>, error: &AppError) -> Response {
    error.log();
    render_html(&ErrorView::new(site, error, error.status()), error.status())
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
}

/// A friendly message for statuses that axum or tower-http produced.
fn rejection_to_error(status: StatusCode) -> AppError {
    let reason = status.canonical_reason().unwrap_or("Error");
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound("There is no page at this address.".to_owned()),
        status if status.is_client_error() => {
            AppError::BadRequest(format!("{reason}: the request could not be understood."))
        }
        _ => AppError::Internal(reason.to_owned()),
    }
}
