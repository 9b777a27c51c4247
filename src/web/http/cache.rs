//! The one middleware that gives every complete `GET`/`HEAD` 200 response its
//! ETag, answers conditional requests, and keeps rendered pages.
//!
//! Every page, API and feed response passes through [`conditional_get`]. A
//! storable response (see [`conditional::is_storable`]) is buffered into a
//! [`RenderedPage`], kept in a bounded, byte-weighted [`PageCache`] keyed by
//! the library snapshot, the public site URL and the path and query, and
//! answered from there. The next request for the same URL is served from the
//! cache with no routing, no rendering and (once a variant exists) no
//! compression. A new snapshot has a new generation, so old pages are simply
//! never asked for again and age out.
//!
//! Rule for handlers: a response must depend only on the snapshot, the site
//! and the URL; anything that depends on other request headers must say
//! `Cache-Control: no-store` (or `private`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::RouteLabel;
use super::conditional::{self, RenderedPage, RequestConditions};
use crate::web::{AppState, Site};

/// Largest body the middleware buffers; bigger bodies pass through untouched.
const MAX_BUFFERED_BYTES: usize = 16 * 1024 * 1024;

/// A bounded cache of rendered pages, weighted by their bytes.
#[derive(Clone)]
pub struct PageCache {
    pages: Option<moka::sync::Cache<u128, Arc<RenderedPage>>>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("enabled", &self.pages.is_some()).finish()
    }
}

impl PageCache {
    /// A cache holding about `max_bytes` of page bodies (compressed variants
    /// come on top, at roughly a third of that); 0 disables it.
    pub fn new(max_bytes: u64) -> Self {
        let pages = (max_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_key, page: &Arc<RenderedPage>| u32::try_from(page.body.len()).unwrap_or(u32::MAX))
                .build()
        });
        Self { pages }
    }

    /// The key of a URL: hashed so a lookup allocates nothing. `host` is
    /// the request's `Host` when the site has no public origin, since then
    /// absolute URLs (feeds, `og:url`) are built from it.
    fn key(generation: u64, site: &Site, host: &[u8], path_and_query: &str) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&generation.to_le_bytes());
        hasher.update(&site.identity.to_le_bytes());
        hasher.update(&(host.len() as u64).to_le_bytes());
        hasher.update(host);
        hasher.update(path_and_query.as_bytes());
        hasher.digest128()
    }

    fn get(&self, key: u128) -> Option<Arc<RenderedPage>> {
        self.pages.as_ref()?.get(&key)
    }

    fn insert(&self, key: u128, page: Arc<RenderedPage>) {
        if let Some(pages) = &self.pages {
            pages.insert(key, page);
        }
    }

    /// Drops every page (tests, and reloads that want memory back at once).
    pub fn clear(&self) {
        if let Some(pages) = &self.pages {
            pages.invalidate_all();
        }
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(super::DEFAULT_CACHE_BYTES)
    }
}

/// ETag, 304 and the page cache for every `GET` and `HEAD`.
pub async fn conditional_get(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let head = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => return next.run(request).await,
    };
    let conditions = RequestConditions::from_headers(request.headers());
    let key = cache_key(&state, &request);
    if let Some(page) = state.http.cache.get(key) {
        return finish(page.respond(&conditions), page.route.clone(), head);
    }
    // HEAD is answered from the same page as GET, minus the body.
    *request.method_mut() = Method::GET;
    let response = next.run(request).await;
    if !conditional::is_storable(&Method::GET, response.status(), response.headers()) {
        return finish(response, None, head);
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BUFFERED_BYTES).await else {
        tracing::error!("could not buffer a response body");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let route = parts.extensions.get::<RouteLabel>().cloned();
    let page = Arc::new(RenderedPage::new(body, &parts.headers, route.clone()));
    state.http.cache.insert(key, page.clone());
    finish(page.respond(&conditions), route, head)
}

/// Keeps the route label for the metrics layer outside, and for HEAD drops
/// the body but keeps its length.
fn finish(mut response: Response, route: Option<RouteLabel>, head: bool) -> Response {
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    if head {
        let length = axum::body::HttpBody::size_hint(response.body()).exact();
        let known = response.headers().contains_key(header::CONTENT_LENGTH);
        if let Some(length) = length.filter(|_| !known && response.status() != StatusCode::NOT_MODIFIED) {
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        *response.body_mut() = Body::empty();
    }
    response
}

fn cache_key(state: &AppState, request: &Request) -> u128 {
    let fallback;
    let site = match request.extensions().get::<Arc<Site>>() {
        Some(site) => site.as_ref(),
        None => {
            fallback = state.site.clone();
            fallback.as_ref()
        }
    };
    let path_and_query = request.uri().path_and_query().map_or("/", |value| value.as_str());
    // The same sources, in the same order, as `site::request_host`.
    let host = match (&site.public_origin, request.uri().authority()) {
        (Some(_), _) => &b""[..],
        (None, Some(authority)) => authority.as_str().as_bytes(),
        (None, None) => request.headers().get(header::HOST).map_or(&b""[..], |value| value.as_bytes()),
    };
    PageCache::key(state.library.load().generation(), site, host, path_and_query)
}
