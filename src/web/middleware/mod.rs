//! The HTTP middleware stack around the routes, and its settings.
//!
//! Outermost first: tracing, metrics, security headers, the request timeout,
//! one negotiation of `Accept-Encoding` for all that follows, dropping the
//! body of HEAD answers, compression (for what is not already encoded),
//! then — before routing, so they may rewrite the URI —
//! [`proxy::resolve_site`] (400 for a bad `Host`, public URL, prefix, URI
//! limit) and [`page_cache::conditional_get`] (ETag, 304, page cache).
//! In front of all of it, [`crate::web::fast_path`] answers cache hits on
//! its own and renders article pages that missed the cache. Nothing here
//! knows a page (the architecture test holds that).

pub mod access_log;
pub(crate) mod canonical;
pub(crate) mod encoding;
pub(crate) mod host;
pub(crate) mod last_modified;
pub(crate) mod limits;
pub(crate) mod methods;
pub mod proxy;
pub(crate) mod security;
pub(crate) mod trace;

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::Response;
use tower::Service;
use tower::util::{MapRequestLayer, MapResponseLayer};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::timeout::TimeoutLayer;

use encoding::Encoding;
pub use last_modified::LastModified;
pub use proxy::{Peer, TrustedProxies};

use super::error::error_response;
use super::page_cache::{self, PageCache};
use super::{AppState, Site};

/// Default size of the page cache: 64 MiB of page bodies.
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Default time one request may take before the server answers 408.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The route pattern that answered a request (`/articles/{*id}`), carried in
/// response extensions for the metrics layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteLabel(pub Arc<str>);

/// HTTP behaviour fixed at start-up.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Peers whose forwarded headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// How long one request may take before the answer is 408; this also
    /// bounds how long graceful shutdown waits for a stuck request.
    pub request_timeout: Duration,
    /// Longest path plus query string; longer gets 414.
    pub max_uri_bytes: usize,
    /// Whether `/metrics` is served by the main router (off when a separate
    /// `--metrics-listen` address serves it).
    pub metrics_on_main_router: bool,
    /// Rendered pages, shared by all requests.
    pub cache: PageCache,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            trusted_proxies: TrustedProxies::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_uri_bytes: limits::DEFAULT_MAX_URI_BYTES,
            metrics_on_main_router: true,
            cache: PageCache::default(),
        }
    }
}

/// Responses from a [`RenderedPage`] (the ones with an ETag) were already
/// negotiated and encoded there; compressing them again would give a body
/// that does not match its tag, and differ from what a cache hit sends.
#[derive(Debug, Clone, Copy)]
struct NotARenderedPage;

impl Predicate for NotARenderedPage {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        !response.headers().contains_key(axum::http::header::ETAG)
    }
}

/// What the compression layer compresses: responses that are not rendered
/// pages (error pages, redirects, answers that may not be stored), of
/// [`encoding::MIN_COMPRESS_BYTES`] or more (a 20-byte `/healthz` or JSON
/// error would grow), never images, gRPC or event streams.
fn compress_when() -> impl Predicate {
    SizeAbove::new(encoding::MIN_COMPRESS_BYTES as u64)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
        .and(NotARenderedPage)
}

/// Wraps the routes in the middleware stack. The compression layer works at
/// the fastest level: what it compresses is made afresh for every request
/// (pages are compressed once, off the request threads, by the page cache).
pub fn stack(state: AppState, routes: Router) -> Router {
    Router::new()
        .fallback_service(BeforeRouting { state: state.clone(), routes })
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest).compress_when(compress_when()))
        .layer(MapResponseLayer::new(page_cache::drop_head_body))
        .layer(MapRequestLayer::new(negotiate_once))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.http.request_timeout))
        .layer(security::layer())
        .layer(super::metrics::RecordLayer::new(state.metrics.clone()))
        .layer(trace::layer())
}

/// Replaces `Accept-Encoding` with the one coding [`Encoding::negotiate`]
/// chose, so that the compression layer (whose own reading of the header
/// differs in details) answers every response in the coding a cached page
/// gets for the same header. A header that refuses every coding we make,
/// identity included, gets identity: RFC 9110 §12.1 lets a server disregard
/// it rather than answer 406, nginx does so, and an uncompressed body is one
/// every client can read (see [`Encoding::negotiate_or_identity`]).
fn negotiate_once(mut request: Request) -> Request {
    if request.headers().contains_key(header::ACCEPT_ENCODING) {
        let choice = Encoding::negotiate_or_identity(request.headers());
        request.headers_mut().insert(header::ACCEPT_ENCODING, Encoding::as_accept_encoding(Some(choice)));
    }
    request
}

/// What runs before routing, as one service: [`proxy::resolve_site`], the
/// answers that need no route ([`methods`]: `OPTIONS` and unknown methods;
/// [`canonical`]: trailing slashes), then [`page_cache::conditional_get`]
/// around the routes. (Several `from_fn` layers would each box and clone the
/// whole inner stack per request.)
#[derive(Clone)]
struct BeforeRouting {
    state: AppState,
    routes: Router,
}

impl Service<Request> for BeforeRouting {
    type Response = Response;
    type Error = Infallible;
    type Future = page_cache::StackFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        if let Some(response) = proxy::resolve_site(&self.state, &mut request).or_else(|| answer_unrouted(&request)) {
            return Box::pin(std::future::ready(Ok(response)));
        }
        page_cache::conditional_get(&self.state, request, &mut self.routes)
    }
}

/// The answer to `request` that needs no route, if any: `OPTIONS`, a
/// method nobody implements, a path with a trailing slash.
fn answer_unrouted(request: &Request) -> Option<Response> {
    let site = request.extensions().get::<Arc<Site>>()?;
    match methods::answer(request.method()) {
        Some(methods::Answer::Options) => Some(methods::options()),
        Some(methods::Answer::NotImplemented(error)) => {
            Some(error_response(site.clone(), request.uri().path(), &error))
        }
        None => canonical::trailing_slash_redirect(site, request.uri()),
    }
}
