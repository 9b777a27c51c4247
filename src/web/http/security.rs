//! Security headers on every response, error pages and 304s included.
//!
//! The pages use no inline script or style and load nothing from other
//! origins, so the Content-Security-Policy can forbid all of that.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;
use tower::util::MapResponseLayer;

/// Only our own stylesheet, images, scripts and fonts; no frames, no plugins,
/// no inline code; forms and `<base>` may not point elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; \
    base-uri 'none'; frame-ancestors 'none'";

/// Built once: `HeaderValue::from_static` checks every byte of its text, and
/// the policy alone is 250 bytes.
static HEADERS: LazyLock<[(HeaderName, HeaderValue); 6]> = LazyLock::new(|| {
    [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), browsing-topics=()"),
        ),
    ]
});

/// The layer that adds the headers (a plain function: no allocation beyond
/// the header map's own).
pub fn layer() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(add_headers)
}

fn add_headers(mut response: Response) -> Response {
    add_to(response.headers_mut());
    response
}

/// Adds each security header that `headers` lacks (a handler may set its own).
pub fn add_to(headers: &mut HeaderMap) {
    for (name, value) in HEADERS.iter() {
        if !headers.contains_key(name) {
            headers.insert(name.clone(), value.clone());
        }
    }
}
