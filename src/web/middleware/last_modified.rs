//! `Last-Modified`: the header handlers add to a response, and the HTTP
//! dates behind it (whole seconds, never in the future).

use std::time::SystemTime;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponseParts, ResponseParts};

/// A `Last-Modified` header for handlers: `(LastModified(time), page)`.
#[derive(Debug, Clone, Copy)]
pub struct LastModified(pub Option<SystemTime>);

impl LastModified {
    /// From a file's modification time (whole seconds, as HTTP dates have),
    /// never later than now.
    pub fn from_timestamp(timestamp: Option<jiff::Timestamp>) -> Self {
        let seconds = timestamp.and_then(|timestamp| u64::try_from(timestamp.as_second()).ok());
        Self(seconds.map(|seconds| not_in_future(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds))))
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

/// RFC 9110 §8.8.2.1: a `Last-Modified` later than the response's date
/// (a file touched with a future time, a clock set wrong) is sent as now.
pub(in crate::web) fn not_in_future(time: SystemTime) -> SystemTime {
    time.min(SystemTime::now())
}

pub(in crate::web) fn http_date(time: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&httpdate::fmt_http_date(time)).unwrap_or(HeaderValue::from_static(""))
}

pub(in crate::web) fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_in_the_future_becomes_now_and_a_past_one_stays() {
        let next_year = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 365);
        let sent = LastModified::from_timestamp(Some(next_year)).0.expect("a time");
        assert!(sent <= SystemTime::now());
        let past = jiff::Timestamp::from_second(1_700_000_000).expect("timestamp");
        let sent = LastModified::from_timestamp(Some(past)).0.expect("a time");
        assert_eq!(whole_seconds(sent), 1_700_000_000);
    }
}
