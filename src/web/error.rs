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
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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
    /// A precondition of the request (`If-Match`, `If-Unmodified-Since`)
    /// does not hold for the page as it is now.
    #[error("{0}")]
    PreconditionFailed(String),
    /// A method this server does not know (RFC 9110 §15.6.2: 501, unlike
    /// a known method a route does not allow, which is 405).
    #[error("{0}")]
    NotImplemented(String),
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

/// `Cache-Control` of 404 and 410: a few seconds, so an article that comes
/// back with the next reload is not hidden by a cached error.
pub(crate) const MISSING_CACHE_CONTROL: &str = "public, max-age=10";

/// The methods every route answers (OPTIONS up front, HEAD as GET).
pub(crate) const ALLOWED_METHODS: &str = "GET, HEAD, OPTIONS";

impl AppError {
    /// The status code for each kind of error — decided here and nowhere else.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Gone(_) => StatusCode::GONE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
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
            | Self::PreconditionFailed(message)
            | Self::NotImplemented(message)
            | Self::NotReady(message) => message.clone(),
            Self::Internal(_) => "Something went wrong on our side. Please try again later.".to_owned(),
        }
    }

    /// Headers that go with the status: `Retry-After` when not ready, and
    /// a short freshness for 404 and 410, which shared caches may otherwise
    /// keep by heuristics long after live reload brings the page back.
    fn add_headers(&self, headers: &mut HeaderMap) {
        match self {
            Self::NotReady(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            }
            Self::NotFound(_) | Self::Gone(_) => {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MISSING_CACHE_CONTROL));
            }
            _ => {}
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
        self.add_headers(response.headers_mut());
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
        let mut response = json_error(&self.0, self.0.status());
        self.0.add_headers(response.headers_mut());
        response
    }
}

/// The fallback route: any URL we do not know.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound("There is no page at this address. It may have moved, or the link may be mistyped.".to_owned())
}

/// Turns error responses into error pages: our own [`AppError`]s and
/// axum's plain-text rejections alike, as HTML, or as JSON under `/api/`
/// (see [`error_response`]). Responses already in JSON pass as they are.
pub(crate) async fn render_error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let site = request.extensions().get::<Arc<Site>>().cloned().unwrap_or_else(|| state.site.clone());
    let api = is_api_path(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let error = match response.extensions().get::<AppError>() {
        Some(error) => error.clone(),
        None => rejection_to_error(status),
    };
    let mut page = render(site, api, &error, status);
    error.add_headers(page.headers_mut());
    if status == StatusCode::METHOD_NOT_ALLOWED {
        page.headers_mut().insert(header::ALLOW, HeaderValue::from_static(ALLOWED_METHODS));
    }
    page
}

/// The error page for `error`, for middleware that answers before routing:
/// JSON for a path under `/api/` (as the route table sees it), else HTML.
pub(crate) fn error_response(site: Arc<Site>, path: &str, error: &AppError) -> Response {
    error.log();
    let mut response = render(site, is_api_path(path), error, error.status());
    error.add_headers(response.headers_mut());
    response
}

/// The HTML page for `error`, for middleware that answers before routing.
pub(crate) fn error_page(site: Arc<Site>, error: &AppError) -> Response {
    error_response(site, "/", error)
}

fn render(site: Arc<Site>, api: bool, error: &AppError, status: StatusCode) -> Response {
    if api {
        return json_error(error, status);
    }
    render_html(&ErrorView::new(site, error, status), status)
}

/// `{"error": {"status": 404, "message": "..."}}`: the one shape of every
/// API error.
fn json_error(error: &AppError, status: StatusCode) -> Response {
    let body = ApiErrorBody { error: ApiErrorDetail { status: status.as_u16(), message: error.public_message() } };
    (status, axum::Json(body)).into_response()
}

/// Whether `path` (below the site's prefix) is the JSON API's.
fn is_api_path(path: &str) -> bool {
    path.strip_prefix('/').is_some_and(|rest| rest.starts_with(super::urls::API_FOLDER))
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
        StatusCode::METHOD_NOT_ALLOWED => {
            AppError::BadRequest(format!("{reason}: this address answers only {ALLOWED_METHODS}."))
        }
        status if status.is_client_error() => {
            AppError::BadRequest(format!("{reason}: the request could not be understood."))
        }
        _ => AppError::Internal(reason.to_owned()),
    }
}
