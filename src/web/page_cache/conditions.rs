//! What a request asks of a page: the coding it accepts and its
//! conditional headers, with the preconditions proper (`If-Match`,
//! `If-Unmodified-Since`: 412) evaluated here; `If-None-Match` and
//! `If-Modified-Since` (304) are the page's to answer
//! ([`RenderedPage`](super::RenderedPage)).

use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, header};

use crate::web::middleware::encoding::Encoding;
use crate::web::middleware::last_modified::whole_seconds;

/// What a request asks of a complete page: its validators and encodings.
#[derive(Debug, Clone)]
pub struct RequestConditions {
    /// The coding to answer in (identity when none is acceptable).
    pub encoding: Encoding,
    pub(super) if_none_match: Option<HeaderValue>,
    pub(super) if_modified_since: Option<HeaderValue>,
    /// The preconditions proper (RFC 9110 §13.1.1, §13.1.4), rare enough
    /// that the fast path leaves requests with them to the stack.
    if_match: Option<HeaderValue>,
    if_unmodified_since: Option<HeaderValue>,
}

impl RequestConditions {
    /// Reads the conditional and negotiation headers of a request.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            encoding: Encoding::negotiate_or_identity(headers),
            if_none_match: one_list(headers, &header::IF_NONE_MATCH),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
            if_match: one_list(headers, &header::IF_MATCH),
            if_unmodified_since: headers.get(header::IF_UNMODIFIED_SINCE).cloned(),
        }
    }

    /// Whether the request has `If-Match` or `If-Unmodified-Since`, which
    /// can fail (412) and are answered by the stack, never the fast path.
    pub fn has_preconditions(&self) -> bool {
        self.if_match.is_some() || self.if_unmodified_since.is_some()
    }

    /// Steps 1 and 2 of RFC 9110 §13.2.2 for a representation with the
    /// entity tag hash `hash` (none for a response without `ETag`) and
    /// `last_modified`: whether `If-Match`, or without it
    /// `If-Unmodified-Since`, fails, so the answer is 412. Steps 3 and 4
    /// (`If-None-Match`, `If-Modified-Since`: 304) come after, in
    /// [`RenderedPage::respond`](super::RenderedPage::respond).
    pub fn precondition_fails(&self, hash: Option<&str>, last_modified: Option<SystemTime>) -> bool {
        if let Some(if_match) = &self.if_match {
            let tags = if_match.to_str().unwrap_or("");
            return !tags
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || hash.is_some_and(|hash| strong_match(tag, hash)));
        }
        let since =
            self.if_unmodified_since.as_ref().and_then(|value| httpdate::parse_http_date(value.to_str().ok()?).ok());
        match (last_modified, since) {
            (Some(modified), Some(since)) => whole_seconds(modified) > whole_seconds(since),
            // An invalid date, or no modification time to compare: ignored
            // (§13.1.4).
            _ => false,
        }
    }
}

/// The strong comparison of §8.8.3.2: a weak tag never matches. Any coding
/// of the same body matches, since its variants share the hash.
fn strong_match(tag: &str, hash: &str) -> bool {
    let Some(opaque) = tag.strip_prefix('"').and_then(|tag| tag.strip_suffix('"')) else { return false };
    opaque.split('-').next() == Some(hash)
}

/// Every line of a list-valued header as one comma-separated value (RFC
/// 9110 §5.3), copied only when there is more than one line.
fn one_list(headers: &HeaderMap, name: &header::HeaderName) -> Option<HeaderValue> {
    let mut lines = headers.get_all(name).iter();
    let first = lines.next()?;
    let mut rest = lines.peekable();
    if rest.peek().is_none() {
        return Some(first.clone());
    }
    let mut joined = first.as_bytes().to_vec();
    for line in rest {
        joined.extend_from_slice(b", ");
        joined.extend_from_slice(line.as_bytes());
    }
    HeaderValue::from_bytes(&joined).ok()
}
