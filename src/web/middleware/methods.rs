//! Methods before routing: `OPTIONS` and methods nobody implements.
//!
//! Every route answers the same methods (GET, and HEAD as GET), so `OPTIONS`
//! is answered here for any target, `OPTIONS *` included, with `204` and
//! `Allow` (RFC 9110 §9.3.7). A method RFC 9110 does not define (`BREW`,
//! `PROPFIND`) is `501 Not Implemented` (§15.6.2); a defined one that the
//! routes do not allow (`POST`, `DELETE`) stays the router's 405.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::web::error::{ALLOWED_METHODS, AppError};

/// What to answer before routing for `method`, if anything.
pub(crate) enum Answer {
    /// `204` with `Allow`.
    Options,
    /// `501`.
    NotImplemented(AppError),
}

/// The answer for `method` before routing, or `None` to route it.
pub(crate) fn answer(method: &Method) -> Option<Answer> {
    if method == Method::OPTIONS {
        return Some(Answer::Options);
    }
    (!is_defined(method)).then(|| {
        Answer::NotImplemented(AppError::NotImplemented(format!(
            "This server does not implement the method {method}; it answers {ALLOWED_METHODS}."
        )))
    })
}

/// Whether RFC 9110 (or RFC 5789, `PATCH`) defines `method`.
fn is_defined(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::CONNECT,
        Method::OPTIONS,
        Method::TRACE,
        Method::PATCH,
    ]
    .contains(method)
}

/// The `204` to an `OPTIONS` request.
pub(crate) fn options() -> Response {
    (StatusCode::NO_CONTENT, [(header::ALLOW, HeaderValue::from_static(ALLOWED_METHODS))]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_methods_nobody_defined_are_not_implemented() {
        let brew = Method::from_bytes(b"BREW").unwrap_or_default();
        assert!(matches!(answer(&brew), Some(Answer::NotImplemented(_))));
        assert!(matches!(answer(&Method::OPTIONS), Some(Answer::Options)));
        for known in [Method::GET, Method::POST, Method::DELETE, Method::PATCH, Method::TRACE] {
            assert!(answer(&known).is_none(), "{known}");
        }
    }
}
