//! The one middleware that gives every complete `GET`/`HEAD` 200 response its
//! ETag, answers conditional requests, and keeps rendered pages.
//!
//! Every page, API and feed response passes through [`conditional_get`]. A
//! storable response (see [`conditional::is_storable`]) is buffered into a
//! [`RenderedPage`] and offered to a bounded, byte-weighted [`PageCache`]
//! keyed by the library snapshot, the public site URL and the path and query;
//! the cache keeps it when the same URL was offered recently (its second
//! request), so single visits over a large library do not churn it. Later
//! requests for the URL are answered by [`App`](crate::web::fast_path::App) in front of the
//! stack, with no routing, no rendering and (once a variant exists) no
//! compression. A new snapshot has a new generation, so old pages are simply
//! never asked for again and age out.
//!
//! Rule for handlers: a response must depend only on the snapshot, the site
//! and the URL; anything that depends on other request headers must say
//! `Cache-Control: no-store` (or `private`).

pub(crate) mod compress;
pub(crate) mod conditional;
mod conditions;
mod key;
mod variants;

use std::convert::Infallible;
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
#[cfg(test)]
use bytes::Bytes;
use tower::Service;
use xxhash_rust::xxh3;

use crate::web::error::{AppError, error_response};
use crate::web::middleware::RouteLabel;
use crate::web::{AppState, Site};
pub(crate) use conditional::RenderedPage;
use conditional::RequestConditions;
use key::cache_key;
pub(crate) use key::key_for_uri;

/// Largest body the middleware buffers; bigger bodies pass through untouched.
const MAX_BUFFERED_BYTES: usize = 16 * 1024 * 1024;

/// How many recently offered keys the cache remembers (512 KiB).
const RECENT_SLOTS: usize = 1 << 16;

/// A bounded cache of rendered pages, weighted by their bytes.
#[derive(Clone)]
pub struct PageCache {
    pages: Option<moka::sync::Cache<u128, Arc<RenderedPage>, BuildHasherDefault<KeyHasher>>>,
    /// Fingerprints of keys offered once, direct-mapped by key.
    recent: Arc<[AtomicU64]>,
    /// Where pages are compressed, with a bound on how many at once.
    compressor: compress::Compressor,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("enabled", &self.pages.is_some()).finish()
    }
}

impl PageCache {
    /// A cache holding about `max_bytes` of pages, their compressed copies
    /// included; 0 disables it.
    pub fn new(max_bytes: u64) -> Self {
        let pages = (max_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_key, page: &Arc<RenderedPage>| u32::try_from(page.weight()).unwrap_or(u32::MAX))
                .build_with_hasher(BuildHasherDefault::<KeyHasher>::default())
        });
        let recent =
            if pages.is_some() { (0..RECENT_SLOTS).map(|_| AtomicU64::new(0)).collect() } else { Arc::from([]) };
        Self { pages, recent, compressor: compress::Compressor::default() }
    }

    /// The key of a URL (its path and query given in pieces, joined by the
    /// hash): hashed so a lookup allocates nothing. `host` is the request's
    /// `Host` when the site has no public origin, since then absolute URLs
    /// (feeds, `og:url`) are built from it. The snapshot, the site and the
    /// host make the seed of the path's hash, so the usual URL costs two
    /// short one-shot hashes rather than a streaming hasher's setup.
    fn key(generation: u64, site: &Site, host: &[u8], path_and_query: &[&str]) -> u128 {
        let seed = xxh3::xxh3_64_with_seed(host, generation.rotate_left(32) ^ site.identity);
        match path_and_query {
            [whole] => xxh3::xxh3_128_with_seed(whole.as_bytes(), seed),
            pieces => {
                // The same value as the one-shot hash of the joined pieces.
                let mut hasher = xxh3::Xxh3::with_seed(seed);
                for piece in pieces {
                    hasher.update(piece.as_bytes());
                }
                hasher.digest128()
            }
        }
    }

    /// The page stored under `key`.
    pub fn get(&self, key: u128) -> Option<Arc<RenderedPage>> {
        self.pages.as_ref()?.get(&key)
    }

    /// Stores `page` if its key was offered before, recently: a page asked
    /// for once is not worth the insertion and the eviction it causes, and a
    /// crawler or a long tail of single visits would push out popular pages.
    pub(in crate::web) fn offer(&self, key: u128, page: Arc<RenderedPage>) {
        if self.wants(key) {
            self.insert(key, page);
        }
    }

    /// Records an offer of `key` and says whether its page is to be stored
    /// (see [`Self::offer`]), before the page is made into a response.
    pub(in crate::web) fn wants(&self, key: u128) -> bool {
        if self.pages.is_none() {
            return false;
        }
        let slot = &self.recent[(key as usize) & (RECENT_SLOTS - 1)];
        // The high half as a fingerprint; never 0, which marks an empty slot.
        let fingerprint = ((key >> 64) as u64) | 1;
        slot.swap(fingerprint, Ordering::Relaxed) == fingerprint
    }

    /// Stores `page` under `key`.
    pub(in crate::web) fn insert(&self, key: u128, page: Arc<RenderedPage>) {
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

/// Keys are already xxh3 hashes: the cache's own hasher only folds them to
/// 64 bits (moka's default, SipHash, would hash them again on every get).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u128(&mut self, key: u128) {
        self.0 ^= (key as u64) ^ ((key >> 64) as u64);
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u128` keys are hashed here; anything else still mixes.
        self.0 = xxh3::xxh3_64_with_seed(bytes, self.0);
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(crate::web::middleware::DEFAULT_CACHE_BYTES)
    }
}

/// The future of the stack in front of the routes.
pub(crate) type StackFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// ETag, 304, 412 and storing pages for every `GET` and `HEAD` that
/// reaches the routes. Cache hits never get here: [`App`](crate::web::fast_path::App) answers them in
/// front of the stack, so this only renders, stores and responds.
pub(crate) fn conditional_get(state: &AppState, mut request: Request, routes: &mut Router) -> StackFuture {
    let head = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => return Box::pin(routes.call(request)),
    };
    let conditions = RequestConditions::from_headers(request.headers());
    let key = cache_key(state, &request);
    let refusal = conditions.has_preconditions().then(|| Refusal::of(state, &request));
    // HEAD is answered from the same page as GET, minus the body.
    *request.method_mut() = Method::GET;
    let routed = routes.call(request);
    let cache = state.http.cache.clone();
    Box::pin(async move {
        let Ok(response) = routed.await;
        let asked = Asked { conditions: &conditions, head, refusal };
        Ok(store_and_respond(&cache, key, asked, response).await)
    })
}

/// What a request asked of the page it gets.
struct Asked<'a> {
    conditions: &'a RequestConditions,
    head: bool,
    /// Set when the request has preconditions that may fail.
    refusal: Option<Refusal>,
}

/// Where the 412 for a failed precondition is rendered: the request's site
/// and path (JSON under `/api/`, HTML elsewhere).
struct Refusal {
    site: Arc<Site>,
    path: String,
}

impl Refusal {
    fn of(state: &AppState, request: &Request) -> Self {
        let site = request.extensions().get::<Arc<Site>>().cloned().unwrap_or_else(|| state.site.clone());
        Self { site, path: request.uri().path().to_owned() }
    }

    fn respond(&self) -> Response {
        let error = AppError::PreconditionFailed(
            "The page is not the version this request was made for (If-Match or If-Unmodified-Since). \
             Fetch it again."
                .to_owned(),
        );
        error_response(self.site.clone(), &self.path, &error)
    }
}

async fn store_and_respond(cache: &PageCache, key: u128, asked: Asked<'_>, response: Response) -> Response {
    let Asked { conditions, head, refusal } = asked;
    if !conditional::is_storable(&Method::GET, response.status(), response.headers()) {
        // §13.2.1: preconditions count only where the answer would be 2xx.
        let refused = response.status().is_success()
            && refusal.as_ref().is_some_and(|_| conditions.precondition_fails(None, last_modified_of(&response)));
        return match refusal.filter(|_| refused) {
            Some(refusal) => finish(refusal.respond(), None, head),
            None => finish(response, None, head),
        };
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BUFFERED_BYTES).await else {
        tracing::error!("could not buffer a response body");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let route = parts.extensions.get::<RouteLabel>().cloned();
    let page = Arc::new(RenderedPage::new(body, &parts.headers, route.clone()));
    cache.offer(key, page.clone());
    if let Some(quality) = page.compression_wanted(conditions.encoding, false) {
        cache.compress_now(key, &page, conditions.encoding, quality).await;
    }
    if let Some(refusal) = refusal.filter(|_| page.precondition_fails(conditions)) {
        return finish(refusal.respond(), route, head);
    }
    finish(page.respond(conditions, head), route, head)
}

/// The `Last-Modified` a handler set, as a time.
fn last_modified_of(response: &Response) -> Option<std::time::SystemTime> {
    let value = response.headers().get(header::LAST_MODIFIED)?.to_str().ok()?;
    httpdate::parse_http_date(value).ok()
}

/// Marks the response to a `HEAD` request, whose body
/// [`drop_head_body`] drops outside the compression layer: the layer
/// decides from the body whether to compress, so HEAD must keep it until
/// then to get the `Content-Encoding` and `Vary` a GET gets.
#[derive(Debug, Clone, Copy)]
struct HeadRequest;

/// Keeps the route label for the metrics layer outside, and for HEAD marks
/// the body to be dropped and keeps its length.
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
        response.extensions_mut().insert(HeadRequest);
    }
    response
}

/// The response with no body when it answers a `HEAD` request (see
/// [`HeadRequest`]); the body is dropped unread, so nothing is compressed.
pub(in crate::web) fn drop_head_body<B>(response: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let head = response.extensions().get::<HeadRequest>().is_some();
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, if head { Body::empty() } else { Body::new(body) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &'static str) -> Arc<RenderedPage> {
        Arc::new(RenderedPage::new(Bytes::from_static(text.as_bytes()), &axum::http::HeaderMap::new(), None))
    }

    #[test]
    fn a_page_is_stored_when_its_url_is_asked_for_a_second_time() {
        let cache = PageCache::new(1 << 20);
        cache.offer(7, page("first"));
        assert!(cache.get(7).is_none(), "a single request does not fill the cache");
        cache.offer(7, page("second"));
        assert_eq!(cache.get(7).map(|page| page.body.clone()), Some(Bytes::from_static(b"second")));
    }

    #[test]
    fn a_url_has_one_key_whether_hashed_whole_or_in_pieces() {
        let site = Site::default();
        let whole = PageCache::key(3, &site, b"example.org", &["/articles/x?page=2"]);
        let pieces = PageCache::key(3, &site, b"example.org", &["/", "articles/x", "?", "page=2"]);
        assert_eq!(whole, pieces);
        assert_ne!(whole, PageCache::key(4, &site, b"example.org", &["/articles/x?page=2"]), "a new snapshot");
        assert_ne!(whole, PageCache::key(3, &site, b"example.com", &["/articles/x?page=2"]), "another host");
        assert_ne!(whole, PageCache::key(3, &site, b"example.org", &["/articles/x?page=3"]), "another query");
    }

    #[test]
    fn a_disabled_cache_stores_nothing() {
        let cache = PageCache::new(0);
        cache.offer(7, page("a"));
        cache.offer(7, page("a"));
        assert!(cache.get(7).is_none());
    }
}
