//! One request's line: what is known when it comes in, completed when its
//! response head is ready, and written as text or JSON.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::HttpBody;
use axum::http::{HeaderMap, HeaderValue, Method, Response, Uri, Version, header};

use super::{AccessLog, LogFormat};
use crate::web::middleware::proxy::{Forwarded, Peer, TrustedProxies};

/// The header a trusted proxy may give the request id in.
const REQUEST_ID: &str = "x-request-id";

/// A request being answered, to log when its response head is ready.
#[derive(Debug)]
pub(crate) struct Entry {
    log: AccessLog,
    started: Instant,
    client: Option<IpAddr>,
    unix: bool,
    method: Method,
    uri: Uri,
    version: Version,
    referer: Option<HeaderValue>,
    user_agent: Option<HeaderValue>,
    request_id: RequestId,
}

impl Entry {
    /// Starts the entry of a request from `peer` with `headers`. Only cheap
    /// clones here: the URI and header values share the request's bytes.
    pub(crate) fn start<B>(
        log: &AccessLog,
        request: &axum::http::Request<B>,
        peer: Option<&Peer>,
        trusted: &TrustedProxies,
    ) -> Self {
        let headers = request.headers();
        let believed = trusted.trusts(peer);
        let forwarded_client = || Forwarded::with_client(headers, trusted).client;
        let client = match peer {
            Some(Peer::Tcp(address)) if believed => forwarded_client().or(Some(address.ip())),
            Some(Peer::Tcp(address)) => Some(address.ip()),
            Some(Peer::Unix) => forwarded_client(),
            None => None,
        };
        Self {
            log: log.clone(),
            started: Instant::now(),
            client,
            unix: peer == Some(&Peer::Unix),
            method: request.method().clone(),
            uri: request.uri().clone(),
            version: request.version(),
            referer: headers.get(header::REFERER).cloned(),
            user_agent: headers.get(header::USER_AGENT).cloned(),
            request_id: request_id(headers, believed),
        }
    }

    /// Writes the line for `response`.
    pub(crate) fn finish<B: HttpBody>(self, response: &Response<B>) {
        let bytes = response.body().size_hint().exact().or_else(|| content_length(response.headers()));
        let finished =
            Finished { status: response.status().as_u16(), bytes, micros: self.started.elapsed().as_micros() };
        let line = match self.log.format() {
            LogFormat::Text => self.text(&finished),
            LogFormat::Json => self.json(&finished),
        };
        self.log.write(line);
    }

    fn client_text(&self) -> ClientText {
        ClientText(self.client, self.unix)
    }

    /// `time client "GET /path HTTP/1.1" status bytes "referer" "agent" seconds id`,
    /// written into one buffer (this runs for every request).
    fn text(&self, finished: &Finished) -> String {
        let mut line = String::with_capacity(256);
        push_time(&mut line);
        let _ = write!(line, " {} \"{} ", self.client_text(), self.method);
        push_escaped(&mut line, path_and_query(&self.uri));
        let _ = write!(line, " {:?}\" {} ", self.version, finished.status);
        match finished.bytes {
            Some(bytes) => {
                let _ = write!(line, "{bytes}");
            }
            None => line.push('-'),
        }
        line.push_str(" \"");
        push_escaped(&mut line, text_of(self.referer.as_ref()));
        line.push_str("\" \"");
        push_escaped(&mut line, text_of(self.user_agent.as_ref()));
        let _ = writeln!(line, "\" {} {}", Seconds(finished.micros), self.request_id);
        line
    }

    fn json(&self, finished: &Finished) -> String {
        let mut time = String::with_capacity(24);
        push_time(&mut time);
        let value = serde_json::json!({
            "time": time,
            "client": self.client_text().to_string(),
            "method": self.method.as_str(),
            "path": path_and_query(&self.uri),
            "protocol": format!("{:?}", self.version),
            "status": finished.status,
            "bytes": finished.bytes,
            "duration_seconds": finished.micros as f64 / 1e6,
            "referer": self.referer.as_ref().map(|value| String::from_utf8_lossy(value.as_bytes())),
            "user_agent": self.user_agent.as_ref().map(|value| String::from_utf8_lossy(value.as_bytes())),
            "request_id": self.request_id.to_string(),
        });
        let mut line = value.to_string();
        line.push('\n');
        line
    }
}

/// The client as the log writes it: its address, `unix` for a Unix socket
/// peer that forwarded none, else `-`.
struct ClientText(Option<IpAddr>, bool);

impl std::fmt::Display for ClientText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self(Some(ip), _) => write!(f, "{ip}"),
            Self(None, true) => f.write_str("unix"),
            Self(None, false) => f.write_str("-"),
        }
    }
}

/// What is known once the response head is ready.
struct Finished {
    status: u16,
    bytes: Option<u64>,
    micros: u128,
}

/// A duration in microseconds written as seconds, `0.000412`, without
/// float formatting.
struct Seconds(u128);

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:06}", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

/// Appends the time as `2026-12-04T06:22:30.466Z`. The part up to the
/// second is formatted once a second per thread: a busy server writes the
/// same second thousands of times.
fn push_time(line: &mut String) {
    thread_local! {
        static SECOND: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let now = jiff::Timestamp::now();
    SECOND.with_borrow_mut(|(second, text)| {
        if *second != now.as_second() {
            *second = now.as_second();
            *text = now.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        }
        line.push_str(text);
    });
    let _ = write!(line, ".{:03}Z", now.subsec_millisecond());
}

/// A request's id: a trusted proxy's, or one made here.
#[derive(Debug)]
enum RequestId {
    Given(HeaderValue),
    Made(u64),
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Given(value) => f.write_str(text_of(Some(value))),
            Self::Made(id) => write!(f, "{id:016x}"),
        }
    }
}

fn path_and_query(uri: &Uri) -> &str {
    uri.path_and_query().map_or("/", |value| value.as_str())
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn text_of(value: Option<&HeaderValue>) -> &str {
    value.map_or("-", |value| value.to_str().unwrap_or("(not ASCII)"))
}

/// Appends `text` with `"`, `\` and control characters escaped, so that no
/// request can forge a line or a field.
fn push_escaped(line: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            control if control.is_control() => {
                let _ = write!(line, "\\x{:02x}", u32::from(control));
            }
            other => line.push(other),
        }
    }
}

/// The request id: a trusted proxy's `X-Request-Id` when it is short and
/// printable, else a new one, unique in this process (a random start, then
/// counting). It is logged, not sent back: every response would carry one
/// more header for the few that are ever looked up.
fn request_id(headers: &HeaderMap, believed: bool) -> RequestId {
    static NEXT: LazyLock<AtomicU64> = LazyLock::new(|| {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        AtomicU64::new((seed.as_nanos() as u64).rotate_left(32))
    });
    let given = headers
        .get(REQUEST_ID)
        .filter(|value| believed && value.len() <= 64 && value.as_bytes().iter().all(|byte| byte.is_ascii_graphic()));
    match given {
        Some(given) => RequestId::Given(given.clone()),
        None => RequestId::Made(NEXT.fetch_add(1, Ordering::Relaxed)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_backslashes_and_control_characters_cannot_forge_a_line() {
        let mut line = String::new();
        push_escaped(&mut line, "a\"b\\c\nd\u{7f}");
        assert_eq!(line, "a\\\"b\\\\c\\x0ad\\x7f");
    }

    #[test]
    fn only_a_trusted_printable_request_id_is_taken() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&headers, true).to_string(), "abc-123");
        assert_ne!(request_id(&headers, false).to_string(), "abc-123");
        let made =
            [request_id(&HeaderMap::new(), false), request_id(&HeaderMap::new(), false)].map(|id| id.to_string());
        assert_ne!(made[0], made[1]);
        assert_eq!(made[0].len(), 16);
    }

    #[test]
    fn durations_are_seconds_with_six_decimals() {
        assert_eq!(Seconds(412).to_string(), "0.000412");
        assert_eq!(Seconds(2_500_000).to_string(), "2.500000");
    }
}
