//! Security headers on every response, error pages and 304s included.
//!
//! The pages use no inline script or style and load nothing from other
//! origins, so the Content-Security-Policy can forbid all of that.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;
use tower::util::MapResponseLayer;

/// Only what the pages use: our own stylesheet, script and favicon. No
/// frames, plugins, fonts, connections or inline code; forms and `<base>`
/// may not point elsewhere. Directives for things the pages never load are
/// left out, so `default-src 'none'` forbids them.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The policy with `--remote-images`: images from any `https:` site too.
pub(crate) const CONTENT_SECURITY_POLICY_REMOTE_IMAGES: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Whether `--remote-images` is on: set once at start-up, before serving
/// (one process serves one configuration; every response, cache hits and
/// 304s included, must carry the same policy, and they are built far from
/// any settings).
static REMOTE_IMAGES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets pages show images from other sites (`--remote-images`).
pub fn allow_remote_images() {
    REMOTE_IMAGES.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Built once: `HeaderValue::from_static` checks every byte of its text.
///
/// Every byte here is sent with every response, cache hits included, and
/// parsed by every client, so the list holds what protects readers and
/// nothing a browser already does by itself: `X-Frame-Options` is left out
/// because `frame-ancestors` replaces it in every current browser, and
/// `Permissions-Policy` because the pages run no code but our own script,
/// which asks for no camera, microphone or location.
static HEADERS: LazyLock<[(HeaderName, HeaderValue); 4]> = LazyLock::new(|| {
    [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    ]
});

/// The layer that adds the headers (a plain function: no allocation beyond
/// the header map's own).
pub(crate) fn layer() -> MapResponseLayer<fn(Response) -> Response> {
    MapResponseLayer::new(add_headers)
}

fn add_headers(mut response: Response) -> Response {
    add_to(response.headers_mut());
    response
}

/// Adds each security header that `headers` lacks (a handler may set its own).
pub(crate) fn add_to(headers: &mut HeaderMap) {
    for (name, value) in HEADERS.iter() {
        if !headers.contains_key(name) {
            let value = if name == header::CONTENT_SECURITY_POLICY
                && REMOTE_IMAGES.load(std::sync::atomic::Ordering::Relaxed)
            {
                HeaderValue::from_static(CONTENT_SECURITY_POLICY_REMOTE_IMAGES)
            } else {
                value.clone()
            };
            headers.insert(name.clone(), value);
        }
    }
}
