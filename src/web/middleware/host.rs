//! The `Host` header of HTTP/1.1 requests (RFC 9112 §3.2): a request
//! without one, with more than one, or with one that is not a valid
//! `host[:port]` must be answered 400.
//!
//! Only requests that came over a connection are checked (the server marks
//! them, see [`App`](crate::web::fast_path::App)): HTTP/1.0 may leave `Host` out, HTTP/2
//! names the host in `:authority`, and requests built in-process carry no
//! `Host` at all. A bad request is not answered here but marked with
//! [`BadHost`], so that it passes through the stack like any other and
//! gets the same HTML error page, headers, logs and metrics.

use axum::http::uri::Authority;
use axum::http::{Request, Version, header};

use super::proxy::is_valid_host;

/// What is wrong with a request's `Host`, phrased for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadHost(pub &'static str);

/// Checks the `Host` header of a request that came over HTTP/1.x.
pub(crate) fn check<B>(request: &Request<B>) -> Result<(), BadHost> {
    if request.version() > Version::HTTP_11 {
        return Ok(());
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let Some(host) = hosts.next() else {
        return if request.version() == Version::HTTP_11 {
            Err(BadHost("An HTTP/1.1 request must name the site it is for in a Host header."))
        } else {
            Ok(())
        };
    };
    if hosts.next().is_some() {
        return Err(BadHost("The request has more than one Host header; it must have exactly one."));
    }
    match host.to_str() {
        Ok(host) if is_host_and_port(host) => Ok(()),
        _ => Err(BadHost("The request's Host header is not a valid host name (with an optional port).")),
    }
}

/// `example.org`, `example.org:8080`, `127.0.0.1`, `[::1]:80`: a host
/// without user info or path, and a port, if any, that fits in 16 bits.
fn is_host_and_port(host: &str) -> bool {
    if !is_valid_host(host) {
        return false;
    }
    let after_address = host.rsplit_once(']').map_or(host, |(_, rest)| rest);
    match after_address.split_once(':') {
        Some((_, "")) | None => true,
        Some(_) => host.parse::<Authority>().is_ok_and(|authority| authority.port_u16().is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_with_and_without_ports() {
        for host in ["example.org", "example.org:8080", "127.0.0.1:1", "[::1]", "[::1]:65535", "a.test:"] {
            assert!(is_host_and_port(host), "{host}");
        }
        for host in ["", "a b", "<script>", "evil.test:99999", "a.test:80x", "user@a.test", "a.test/x", "[::1]:70000"] {
            assert!(!is_host_and_port(host), "{host}");
        }
    }
}
