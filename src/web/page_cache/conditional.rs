//! Conditional requests and content negotiation for complete responses.
//!
//! A [`RenderedPage`] is a finished 200 body with its validators: a strong
//! `ETag` hashed from the body bytes alone (so every replica serving the same
//! directory gives the same tag), `Last-Modified` when the handler knew one,
//! and lazily built gzip and brotli variants. Each variant carries the whole
//! header map of its `200` response, security headers included, built once,
//! so [`RenderedPage::respond`] answers a request — `304 Not Modified`, or
//! `200` in the best encoding the client accepts — by cloning a body handle
//! and a header map: no template, no compressor, no header formatting. The
//! page cache keeps these pages.

use std::sync::{LazyLock, OnceLock};
use std::time::SystemTime;

use axum::body::Body;
use axum::http::{self, HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

pub use super::conditions::RequestConditions;
use super::variants::{Encoded, Variant};
use crate::web::metrics::RequestRecorder;
use crate::web::middleware::RouteLabel;
pub(crate) use crate::web::middleware::encoding::Encoding;
use crate::web::middleware::encoding::Quality;
use crate::web::middleware::encoding::is_compressible;
use crate::web::middleware::last_modified::{http_date, not_in_future, whole_seconds};

/// Default `Cache-Control` of pages and API responses: browsers and proxies
/// may reuse them for a minute, then must revalidate (cheap, thanks to ETag).
pub(crate) const PAGE_CACHE_CONTROL: &str = "public, max-age=60, must-revalidate";

/// A complete `200 OK` body and everything needed to answer any later
/// request for the same URL and snapshot.
#[derive(Debug)]
pub struct RenderedPage {
    /// The uncompressed body.
    pub body: Bytes,
    /// The strong ETag of the uncompressed body, quotes included.
    pub etag: HeaderValue,
    /// The hash inside `etag`, which the encoded variants' tags share.
    hash: Hash,
    pub content_type: Option<HeaderValue>,
    pub cache_control: HeaderValue,
    pub last_modified: Option<SystemTime>,
    /// `last_modified` formatted once, not per response.
    last_modified_header: Option<HeaderValue>,
    /// The route that rendered the page, for metrics on cache hits.
    pub route: Option<RouteLabel>,
    compressible: bool,
    identity: Variant,
    /// The gzip and brotli copies, made later (see [`variants`](super::variants)).
    encoded: Encoded,
    /// The metrics of this page's route for 200 and 304, fetched on the
    /// first cache hit so later hits record without a lookup.
    hit_recorders: OnceLock<[RequestRecorder; 2]>,
}

impl RenderedPage {
    /// A page from its body and headers; `Cache-Control` defaults to
    /// [`PAGE_CACHE_CONTROL`].
    pub fn new(body: Bytes, headers: &HeaderMap, route: Option<RouteLabel>) -> Self {
        let last_modified =
            headers.get(header::LAST_MODIFIED).and_then(|value| httpdate::parse_http_date(value.to_str().ok()?).ok());
        let cache_control = headers.get(header::CACHE_CONTROL).cloned();
        Self::from_parts(body, headers.get(header::CONTENT_TYPE).cloned(), cache_control, last_modified, route)
    }

    /// An HTML page as the page handlers answer it (`Content-Type` HTML,
    /// the default `Cache-Control`), without reading back their headers.
    pub fn html(body: Bytes, last_modified: Option<SystemTime>, route: Option<RouteLabel>) -> Self {
        let content_type = HeaderValue::from_static("text/html; charset=utf-8");
        Self::from_parts(body, Some(content_type), None, last_modified, route)
    }

    fn from_parts(
        body: Bytes,
        content_type: Option<HeaderValue>,
        cache_control: Option<HeaderValue>,
        last_modified: Option<SystemTime>,
        route: Option<RouteLabel>,
    ) -> Self {
        let last_modified = last_modified.map(not_in_future);
        let hash = Hash::of(&body);
        let compressible =
            is_compressible(content_type.as_ref().and_then(|value| value.to_str().ok()).unwrap_or(""), body.len());
        let mut page = Self {
            etag: hash.etag(None),
            hash,
            content_type,
            cache_control: cache_control.unwrap_or(HeaderValue::from_static(PAGE_CACHE_CONTROL)),
            last_modified_header: last_modified.map(http_date),
            last_modified,
            route,
            compressible,
            identity: Variant::default(),
            body,
            encoded: Encoded::default(),
            hit_recorders: OnceLock::new(),
        };
        page.identity = page.make_variant(page.body.clone(), page.etag.clone(), Encoding::Identity, None);
        page
    }

    /// Bytes this page holds: bodies and header maps, the compressed copies
    /// made so far included (the cache weighs a page again when one is
    /// added, so they count against `--cache-size`).
    pub fn weight(&self) -> usize {
        // The 200 and 304 header maps hold about a dozen entries of ~100
        // bytes each.
        self.body.len() + 3072 + self.encoded.weight()
    }

    /// The response for a request with `conditions`: 304 when the client's
    /// copy is current, else 200 in the negotiated encoding; for `HEAD`, the
    /// same headers with an empty body.
    pub fn respond(&self, conditions: &RequestConditions, head: bool) -> Response {
        self.respond_with(conditions, head, Body::from)
    }

    /// [`respond`](Self::respond) with the body made by `body` from the
    /// bytes to send (empty for 304 and HEAD), so the page cache's fast path
    /// sends them without a boxed body. The headers are a clone of a map
    /// built with the variant (cheaper than refilling a spent map: a clone
    /// copies the entries without hashing them again).
    pub fn respond_with<B>(
        &self,
        conditions: &RequestConditions,
        head: bool,
        body: impl FnOnce(Bytes) -> B,
    ) -> http::Response<B> {
        self.with_variant(conditions.encoding, |variant| {
            let (status, headers, bytes) = if self.is_not_modified(conditions) {
                (StatusCode::NOT_MODIFIED, variant.not_modified_headers(), Bytes::new())
            } else {
                (StatusCode::OK, &variant.headers, if head { Bytes::new() } else { variant.body.clone() })
            };
            let mut response = http::Response::new(body(bytes));
            *response.status_mut() = status;
            *response.headers_mut() = headers.clone();
            response
        })
    }

    /// [`respond_with`](Self::respond_with) for a page that is not kept:
    /// a `200` in identity takes the page's header map rather than a copy.
    pub fn into_response_with<B>(
        self,
        conditions: &RequestConditions,
        head: bool,
        body: impl FnOnce(Bytes) -> B,
    ) -> http::Response<B> {
        let identity = self.encoded.quality(conditions.encoding).is_none() || !self.compressible;
        if !identity || self.is_not_modified(conditions) {
            return self.respond_with(conditions, head, body);
        }
        let Variant { body: bytes, headers, .. } = self.identity;
        let mut response = http::Response::new(body(if head { Bytes::new() } else { bytes }));
        *response.headers_mut() = headers;
        response
    }

    /// The recorder for a hit with `status` (200 or 304), made by `make` on
    /// first use.
    pub fn hit_recorder(&self, status: StatusCode, make: impl FnOnce() -> [RequestRecorder; 2]) -> &RequestRecorder {
        let recorders = self.hit_recorders.get_or_init(make);
        &recorders[usize::from(status == StatusCode::NOT_MODIFIED)]
    }

    /// Calls `answer` with the variant for `encoding`: its compressed copy
    /// when there is one, else identity.
    fn with_variant<R>(&self, encoding: Encoding, answer: impl FnOnce(&Variant) -> R) -> R {
        if !self.compressible {
            return answer(&self.identity);
        }
        self.encoded.with(encoding, |variant| answer(variant.unwrap_or(&self.identity)))
    }

    /// The compression a request in `encoding` asks for: a first copy at
    /// [`Quality::Fast`], or, for a page hit often enough
    /// ([`variants::POPULAR_HITS`](super::variants::POPULAR_HITS)), a
    /// better one. `hit` counts the request as a cache hit.
    pub fn compression_wanted(&self, encoding: Encoding, hit: bool) -> Option<Quality> {
        if !self.compressible || encoding == Encoding::Identity {
            return None;
        }
        let popular = hit && self.encoded.hit_is_popular();
        match self.encoded.quality(encoding) {
            None => Some(Quality::Fast),
            Some(Quality::Fast) if popular => Some(Quality::Best),
            Some(_) => None,
        }
    }

    /// Makes the copy in `encoding` at `quality` (the slow part: run it off
    /// the request threads, see [`super::compress`]).
    pub fn compress(&self, encoding: Encoding, quality: Quality) {
        let Some(token) = encoding.token() else { return };
        if !self.compressible || self.encoded.quality(encoding) >= Some(quality) {
            return;
        }
        // The tag names the quality too: the same URL compressed at another
        // level is other bytes, so it must not share a strong tag.
        let etag = match quality {
            Quality::Best => self.hash.etag(Some(token)),
            Quality::Fast => self.hash.etag(Some(&format!("{token}-fast"))),
        };
        let body = Bytes::from(encoding.compress(&self.body, quality));
        self.encoded.store(encoding, self.make_variant(body, etag, encoding, Some(quality)));
    }

    /// The flags that keep one compression of this page at a time.
    pub(super) fn compressing(&self) -> &Encoded {
        &self.encoded
    }

    fn make_variant(&self, body: Bytes, etag: HeaderValue, encoding: Encoding, quality: Option<Quality>) -> Variant {
        let headers = match (&self.content_type, &self.last_modified_header, encoding) {
            // The usual page: a copy of a finished map, its values replaced
            // in place (a copy does not hash the names again).
            (Some(content_type), Some(modified), Encoding::Identity) => {
                let mut headers = IDENTITY_HEADERS.clone();
                headers.insert(header::CONTENT_TYPE, content_type.clone());
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
                headers.insert(header::ETAG, etag);
                headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
                headers.insert(header::LAST_MODIFIED, modified.clone());
                headers
            }
            _ => self.build_headers(body.len(), etag, encoding),
        };
        Variant { body, headers, not_modified_headers: OnceLock::new(), quality }
    }

    /// The complete `200` headers of a variant, in the order every response
    /// has them.
    fn build_headers(&self, length: usize, etag: HeaderValue, encoding: Encoding) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(16);
        if let Some(content_type) = &self.content_type {
            headers.insert(header::CONTENT_TYPE, content_type.clone());
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(modified) = &self.last_modified_header {
            headers.insert(header::LAST_MODIFIED, modified.clone());
        }
        if let Some(token) = encoding.token() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
        }
        // The map is new: the security headers are appended, not checked.
        headers.extend(SECURITY_HEADERS.iter().map(|(name, value)| (name.clone(), value.clone())));
        headers
    }

    /// Whether `If-Match` or `If-Unmodified-Since` fails for this page (see
    /// [`RequestConditions::precondition_fails`]).
    pub fn precondition_fails(&self, conditions: &RequestConditions) -> bool {
        conditions.precondition_fails(Some(self.hash.as_str()), self.last_modified)
    }

    /// RFC 9110 §13.2.2: `If-None-Match` wins; `If-Modified-Since` only
    /// counts without it. Any encoding of the same body matches, since they
    /// share the hash.
    pub fn is_not_modified(&self, conditions: &RequestConditions) -> bool {
        if let Some(if_none_match) = &conditions.if_none_match {
            return if_none_match.to_str().is_ok_and(|tags| self.matches_any(tags));
        }
        let since = conditions.if_modified_since.as_ref().and_then(|value| value.to_str().ok());
        match (self.last_modified, since.and_then(|since| httpdate::parse_http_date(since).ok())) {
            (Some(modified), Some(since)) => whole_seconds(modified) <= whole_seconds(since),
            _ => false,
        }
    }

    fn matches_any(&self, tags: &str) -> bool {
        tags.split(',').map(str::trim).any(|tag| {
            let tag = tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"');
            // The hash is hex: what follows a `-` names a coding.
            let hash = tag.split('-').next().unwrap_or(tag);
            tag == "*" || hash == self.hash.as_str()
        })
    }
}

/// The security headers every response has, as [`super::security`] adds
/// them, taken once.
static SECURITY_HEADERS: LazyLock<HeaderMap> = LazyLock::new(|| {
    let mut headers = HeaderMap::new();
    crate::web::middleware::security::add_to(&mut headers);
    headers
});

/// The headers [`RenderedPage::build_headers`] gives an identity variant
/// with a content type and a `Last-Modified`, in its order; the values that
/// differ per page are placeholders.
static IDENTITY_HEADERS: LazyLock<HeaderMap> = LazyLock::new(|| {
    let page = RenderedPage {
        content_type: Some(HeaderValue::from_static("")),
        last_modified_header: Some(HeaderValue::from_static("")),
        ..RenderedPage::new(Bytes::new(), &HeaderMap::new(), None)
    };
    page.build_headers(0, HeaderValue::from_static(""), Encoding::Identity)
});

impl Variant {
    fn not_modified_headers(&self) -> &HeaderMap {
        self.not_modified_headers.get_or_init(|| not_modified_headers(&self.headers))
    }
}

/// The xxh3-128 of a body in lowercase hex: the opaque part of its ETags.
#[derive(Debug, Clone, Copy)]
struct Hash([u8; 32]);

impl Hash {
    fn of(body: &[u8]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let value = xxhash_rust::xxh3::xxh3_128(body);
        let mut hex = [0; 32];
        for (index, digit) in hex.iter_mut().enumerate() {
            *digit = DIGITS[((value >> (124 - 4 * index)) & 0xf) as usize];
        }
        Self(hex)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `"hash"`, or `"hash-gzip"` for an encoded variant.
    fn etag(&self, token: Option<&str>) -> HeaderValue {
        let mut tag = Vec::with_capacity(40);
        tag.push(b'"');
        tag.extend_from_slice(&self.0);
        if let Some(token) = token {
            tag.push(b'-');
            tag.extend_from_slice(token.as_bytes());
        }
        tag.push(b'"');
        HeaderValue::from_maybe_shared(Bytes::from(tag)).unwrap_or(HeaderValue::from_static("\"\""))
    }
}

/// The headers of a `304` for the `200` headers `full`: the validators and
/// caching headers, and the security headers, as every response has.
fn not_modified_headers(full: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(12);
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY, header::LAST_MODIFIED] {
        if let Some(value) = full.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    crate::web::middleware::security::add_to(&mut headers);
    headers
}

/// Whether a response may become a [`RenderedPage`]: a complete `200` to a
/// GET that nobody forbade to store and that is not already encoded.
pub(crate) fn is_storable(method: &Method, status: StatusCode, headers: &HeaderMap) -> bool {
    let cache_control = headers.get(header::CACHE_CONTROL).and_then(|value| value.to_str().ok()).unwrap_or("");
    (method == Method::GET || method == Method::HEAD)
        && status == StatusCode::OK
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !cache_control.contains("no-store")
        && !cache_control.contains("private")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn the_etag_depends_on_the_body_alone() {
        let html = headers(&[(header::CONTENT_TYPE, "text/html")]);
        let first = RenderedPage::new(Bytes::from_static(b"<p>same</p>"), &html, None);
        let second = RenderedPage::new(Bytes::from_static(b"<p>same</p>"), &HeaderMap::new(), None);
        let other = RenderedPage::new(Bytes::from_static(b"<p>other</p>"), &html, None);
        assert_eq!(first.etag, second.etag);
        assert_ne!(first.etag, other.etag);
    }

    #[test]
    fn a_copied_header_map_is_the_one_built_entry_by_entry() {
        let modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let page = RenderedPage::html(Bytes::from(vec![b'a'; 1000]), Some(modified), None);
        let built = page.build_headers(page.body.len(), page.etag.clone(), Encoding::Identity);
        let pairs = |headers: &HeaderMap| headers.iter().map(|(n, v)| (n.clone(), v.clone())).collect::<Vec<_>>();
        assert_eq!(pairs(&page.identity.headers), pairs(&built));
        assert!(page.identity.headers.contains_key(header::LAST_MODIFIED));
        assert!(page.identity.headers.contains_key(header::X_CONTENT_TYPE_OPTIONS));
    }

    #[test]
    fn a_page_is_answered_in_identity_until_its_copy_is_made_then_better_once_popular() {
        let page =
            RenderedPage::new(Bytes::from(vec![b'a'; 1000]), &headers(&[(header::CONTENT_TYPE, "text/html")]), None);
        let brotli = RequestConditions::from_headers(&headers(&[(header::ACCEPT_ENCODING, "br")]));
        let weight = page.weight();
        assert!(page.respond(&brotli, false).headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(page.compression_wanted(Encoding::Brotli, false), Some(Quality::Fast));
        page.compress(Encoding::Brotli, Quality::Fast);
        assert!(page.weight() > weight, "the copy counts against the cache size");
        let fast = page.respond(&brotli, false);
        assert_eq!(fast.headers()[header::CONTENT_ENCODING], "br");
        let wanted: Vec<_> = (0..crate::web::page_cache::variants::POPULAR_HITS)
            .map(|_| page.compression_wanted(Encoding::Brotli, true))
            .collect();
        assert_eq!(wanted.last(), Some(&Some(Quality::Best)), "{wanted:?}");
        assert!(wanted[..wanted.len() - 1].iter().all(Option::is_none), "{wanted:?}");
        page.compress(Encoding::Brotli, Quality::Best);
        let best = page.respond(&brotli, false);
        assert_ne!(best.headers()[header::ETAG], fast.headers()[header::ETAG], "other bytes, another tag");
        assert_eq!(page.compression_wanted(Encoding::Brotli, true), None);
        assert_eq!(page.compression_wanted(Encoding::Identity, true), None);
    }

    #[test]
    fn any_encoding_of_the_body_revalidates() {
        let page =
            RenderedPage::new(Bytes::from(vec![b'a'; 1000]), &headers(&[(header::CONTENT_TYPE, "text/html")]), None);
        page.compress(Encoding::Gzip, Quality::Fast);
        let gzip_etag = page
            .respond(&RequestConditions::from_headers(&headers(&[(header::ACCEPT_ENCODING, "gzip")])), false)
            .headers()[header::ETAG]
            .clone();
        assert_ne!(gzip_etag, page.etag);
        let mut conditional = HeaderMap::new();
        conditional.insert(header::IF_NONE_MATCH, gzip_etag);
        let response = page.respond(&RequestConditions::from_headers(&conditional), false);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }
}
