//! Conditional requests and content negotiation for complete responses.
//!
//! A [`RenderedPage`] is a finished 200 body with its validators: a strong
//! `ETag` hashed from the body bytes alone (so every replica serving the same
//! directory gives the same tag), `Last-Modified` when the handler knew one,
//! and lazily built gzip and brotli variants. [`RenderedPage::respond`] turns
//! it into the final response for one request — `304 Not Modified`, or `200`
//! in the best encoding the client accepts — without touching a template or a
//! compressor once the variant exists. The page cache keeps these pages.

use std::io::Write;
use std::sync::OnceLock;
use std::time::SystemTime;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponseParts, Response, ResponseParts};
use bytes::Bytes;

use super::RouteLabel;

/// Default `Cache-Control` of pages and API responses: browsers and proxies
/// may reuse them for a minute, then must revalidate (cheap, thanks to ETag).
pub const PAGE_CACHE_CONTROL: &str = "public, max-age=60, must-revalidate";

/// Bodies smaller than this are not worth compressing.
const MIN_COMPRESS_BYTES: usize = 256;

/// A content coding this server produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best coding `Accept-Encoding` allows: brotli, then gzip, then none.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let (mut brotli, mut gzip) = (false, false);
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or("").split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|param| is_zero_quality(param.trim()));
                match name.to_ascii_lowercase().as_str() {
                    "br" => brotli = !refused,
                    "gzip" | "x-gzip" => gzip = !refused,
                    "*" => (brotli, gzip) = (brotli || !refused, gzip || !refused),
                    _ => {}
                }
            }
        }
        if brotli {
            Self::Brotli
        } else if gzip {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

fn is_zero_quality(param: &str) -> bool {
    param.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
}

/// What a request asks of a complete page: its validators and encodings.
#[derive(Debug, Clone)]
pub struct RequestConditions {
    pub encoding: Encoding,
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
}

impl RequestConditions {
    /// Reads the conditional and negotiation headers of a request.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            encoding: Encoding::negotiate(headers),
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
        }
    }
}

/// A compression function for one content coding.
type Compressor = fn(&[u8]) -> Vec<u8>;

/// One encoded form of a page's body, with its own strong ETag.
#[derive(Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

/// A complete `200 OK` body and everything needed to answer any later
/// request for the same URL and snapshot.
#[derive(Debug)]
pub struct RenderedPage {
    /// The uncompressed body.
    pub body: Bytes,
    /// The strong ETag of the uncompressed body, quotes included.
    pub etag: HeaderValue,
    /// The hash inside `etag`, which the encoded variants' tags share.
    hash: String,
    pub content_type: Option<HeaderValue>,
    pub cache_control: HeaderValue,
    pub last_modified: Option<SystemTime>,
    /// `last_modified` formatted once, not per response.
    last_modified_header: Option<HeaderValue>,
    /// The route that rendered the page, for metrics on cache hits.
    pub route: Option<RouteLabel>,
    gzip: OnceLock<Variant>,
    brotli: OnceLock<Variant>,
}

impl RenderedPage {
    /// A page from its body and headers; `Cache-Control` defaults to
    /// [`PAGE_CACHE_CONTROL`].
    pub fn new(body: Bytes, headers: &HeaderMap, route: Option<RouteLabel>) -> Self {
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&body));
        let last_modified =
            headers.get(header::LAST_MODIFIED).and_then(|value| httpdate::parse_http_date(value.to_str().ok()?).ok());
        Self {
            etag: quoted(&hash),
            hash,
            content_type: headers.get(header::CONTENT_TYPE).cloned(),
            cache_control: headers
                .get(header::CACHE_CONTROL)
                .cloned()
                .unwrap_or(HeaderValue::from_static(PAGE_CACHE_CONTROL)),
            last_modified_header: last_modified.map(http_date),
            last_modified,
            route,
            body,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// The response for a request with `conditions`: 304 when the client's
    /// copy is current, else 200 in the negotiated encoding. (For HEAD, the
    /// router's outermost layer drops the body and keeps its length.)
    pub fn respond(&self, conditions: &RequestConditions) -> Response {
        let (body, etag, coding) = self.variant(conditions.encoding);
        let status = if self.is_not_modified(conditions) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
        let mut response =
            Response::new(if status == StatusCode::OK { Body::from(body.clone()) } else { Body::empty() });
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(modified) = &self.last_modified_header {
            headers.insert(header::LAST_MODIFIED, modified.clone());
        }
        if status == StatusCode::NOT_MODIFIED {
            return response;
        }
        if let Some(content_type) = &self.content_type {
            headers.insert(header::CONTENT_TYPE, content_type.clone());
        }
        if let Some(coding) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    }

    /// The body, ETag and `Content-Encoding` for `encoding`, compressing on
    /// first use only.
    fn variant(&self, encoding: Encoding) -> (&Bytes, &HeaderValue, Option<&'static str>) {
        if !self.is_compressible() {
            return (&self.body, &self.etag, None);
        }
        let (cell, coding, compress): (_, _, Compressor) = match encoding {
            Encoding::Identity => return (&self.body, &self.etag, None),
            Encoding::Gzip => (&self.gzip, "gzip", gzip),
            Encoding::Brotli => (&self.brotli, "br", brotli),
        };
        let variant = cell.get_or_init(|| Variant {
            body: Bytes::from(compress(&self.body)),
            etag: quoted(&format!("{}-{coding}", self.hash)),
        });
        (&variant.body, &variant.etag, Some(coding))
    }

    fn is_compressible(&self) -> bool {
        let content_type = self.content_type.as_ref().and_then(|value| value.to_str().ok()).unwrap_or("");
        self.body.len() >= MIN_COMPRESS_BYTES
            && (content_type.starts_with("text/")
                || content_type.contains("json")
                || content_type.contains("xml")
                || content_type.starts_with("application/javascript"))
    }

    /// RFC 9110 §13.2.2: `If-None-Match` wins; `If-Modified-Since` only
    /// counts without it. Any encoding of the same body matches, since they
    /// share the hash.
    fn is_not_modified(&self, conditions: &RequestConditions) -> bool {
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
            let hash = tag.strip_suffix("-gzip").or_else(|| tag.strip_suffix("-br")).unwrap_or(tag);
            tag == "*" || hash == self.hash
        })
    }
}

/// Whether a response may become a [`RenderedPage`]: a complete `200` to a
/// GET that nobody forbade to store and that is not already encoded.
pub fn is_storable(method: &Method, status: StatusCode, headers: &HeaderMap) -> bool {
    let cache_control = headers.get(header::CACHE_CONTROL).and_then(|value| value.to_str().ok()).unwrap_or("");
    (method == Method::GET || method == Method::HEAD)
        && status == StatusCode::OK
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !cache_control.contains("no-store")
        && !cache_control.contains("private")
}

/// A `Last-Modified` header for handlers: `(LastModified(time), page)`.
#[derive(Debug, Clone, Copy)]
pub struct LastModified(pub Option<SystemTime>);

impl LastModified {
    /// From a file's modification time (whole seconds, as HTTP dates have).
    pub fn from_timestamp(timestamp: Option<jiff::Timestamp>) -> Self {
        let seconds = timestamp.and_then(|timestamp| u64::try_from(timestamp.as_second()).ok());
        Self(seconds.map(|seconds| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)))
    }
}

impl IntoResponseParts for LastModified {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if let Some(time) = self.0 {
            parts.headers_mut().insert(header::LAST_MODIFIED, http_date(time));
        }
        Ok(parts)
    }
}

fn http_date(time: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&httpdate::fmt_http_date(time)).unwrap_or(HeaderValue::from_static(""))
}

fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

fn quoted(hash: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{hash}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // A fixed header (no file name, mtime 0) keeps the output identical on
    // every replica.
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params =
        brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, size_hint: bytes.len(), ..Default::default() };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_zero_quality() {
        let cases = [
            ("gzip, deflate, br", Encoding::Brotli),
            ("gzip", Encoding::Gzip),
            ("br;q=0, gzip;q=0.5", Encoding::Gzip),
            ("identity", Encoding::Identity),
            ("*", Encoding::Brotli),
            ("*;q=0", Encoding::Identity),
        ];
        for (accept, expected) in cases {
            assert_eq!(Encoding::negotiate(&headers(&[(header::ACCEPT_ENCODING, accept)])), expected, "{accept}");
        }
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
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
    fn any_encoding_of_the_body_revalidates() {
        let page =
            RenderedPage::new(Bytes::from(vec![b'a'; 1000]), &headers(&[(header::CONTENT_TYPE, "text/html")]), None);
        let gzip_etag = page
            .respond(&RequestConditions::from_headers(&headers(&[(header::ACCEPT_ENCODING, "gzip")])))
            .headers()[header::ETAG]
            .clone();
        assert_ne!(gzip_etag, page.etag);
        let mut conditional = HeaderMap::new();
        conditional.insert(header::IF_NONE_MATCH, gzip_etag);
        let response = page.respond(&RequestConditions::from_headers(&conditional));
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }
}
