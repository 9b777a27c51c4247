//! Request limits enforced in the router. Connection-level limits (header
//! size, header read timeout, connection cap) live in `web::server`.

use axum::http::Uri;

use crate::web::error::AppError;

/// Default longest path plus query string accepted; longer gets 414.
pub(crate) const DEFAULT_MAX_URI_BYTES: usize = 8192;

/// Rejects a URI whose path and query are longer than `max_bytes`.
pub(crate) fn check_uri(uri: &Uri, max_bytes: usize) -> Result<(), AppError> {
    let length = uri.path_and_query().map_or(0, |value| value.as_str().len());
    if length > max_bytes {
        return Err(AppError::UriTooLong(format!(
            "This address is {length} characters long; the limit is {max_bytes}. Please shorten it."
        )));
    }
    Ok(())
}
