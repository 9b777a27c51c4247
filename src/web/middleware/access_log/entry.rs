//! One request's line: what is known when it comes in, completed when its
//! response head is ready, and written as text or JSON.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use axum::body::HttpBody;
use axum::http::{HeaderMap, HeaderValue, Method, Response, Uri, Version, header};

use super::{AccessLog, LogFormat};
use crate::web::middleware::proxy::{Forwarded, Peer, TrustedProxies};

/// The header carrying the request id, both ways.
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
    request_id: HeaderValue,
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

    /// Gives `response` the request id and writes the line.
    pub(crate) fn finish<B: HttpBody>(self, response: &mut Response<B>) {
        let bytes = response.body().size_hint().exact().or_else(|| content_length(response.headers()));
        response.headers_mut().insert(REQUEST_ID, self.request_id.clone());
        let finished =
            Finished { status: response.status().as_u16(), bytes, seconds: self.started.elapsed().as_secs_f64() };
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
        let _ = write!(line, "{:.3} {} \"{} ", jiff::Timestamp::now(), self.client_text(), self.method);
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
        let _ = writeln!(line, "\" {:.6} {}", finished.seconds, text_of(Some(&self.request_id)));
        line
    }

    fn json(&self, finished: &Finished) -> String {
        let value = serde_json::json!({
            "time": format!("{:.3}", jiff::Timestamp::now()),
            "client": self.client_text().to_string(),
            "method": self.method.as_str(),
            "path": path_and_query(&self.uri),
            "protocol": format!("{:?}", self.version),
            "status": finished.status,
            "bytes": finished.bytes,
            "duration_seconds": finished.seconds,
            "referer": self.referer.as_ref().map(|value| String::from_utf8_lossy(value.as_bytes())),
            "user_agent": self.user_agent.as_ref().map(|value| String::from_utf8_lossy(value.as_bytes())),
            "request_id": text_of(Some(&self.request_id)),
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
    seconds: f64,
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
/// counting).
fn request_id(headers: &HeaderMap, believed: bool) -> HeaderValue {
    static NEXT: LazyLock<Arc<AtomicU64>> = LazyLock::new(|| {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Arc::new(AtomicU64::new((seed.as_nanos() as u64).rotate_left(32)))
    });
    let given = headers
        .get(REQUEST_ID)
        .filter(|value| believed && value.len() <= 64 && value.as_bytes().iter().all(|byte| byte.is_ascii_graphic()));
    if let Some(given) = given {
        return given.clone();
    }
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("{id:016x}")).unwrap_or(HeaderValue::from_static("-"))
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
        assert_eq!(request_id(&headers, true), "abc-123");
        assert_ne!(request_id(&headers, false), "abc-123");
        assert_ne!(request_id(&HeaderMap::new(), false), request_id(&HeaderMap::new(), false));
    }
}
