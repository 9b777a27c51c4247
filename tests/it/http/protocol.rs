//! HTTP/1.1 message rules over a real socket: the `Host` header (RFC 9112
//! §3.2) and clients that half-close after their request.

use std::time::Duration;

use crate::support::TestApp;
use crate::support::{RunningServer, articles_dir, raw_request, raw_status};
use broadsheet::web::server::ServerSettings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = articles_dir(0);
    let app = TestApp::over(dir.path()).build().router;
    (dir, RunningServer::start(app, ServerSettings::default()).await)
}

#[tokio::test]
async fn a_missing_repeated_or_invalid_host_is_a_bad_request() {
    let (_dir, server) = server().await;
    let cases = [
        ("no Host", "GET / HTTP/1.1\r\n"),
        ("two Host lines", "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n"),
        ("a space", "GET / HTTP/1.1\r\nHost: a b\r\n"),
        ("markup", "GET / HTTP/1.1\r\nHost: <script>\r\n"),
        ("a port out of range", "GET / HTTP/1.1\r\nHost: evil.test:99999\r\n"),
        ("user info", "GET / HTTP/1.1\r\nHost: user@evil.test\r\n"),
        ("an empty Host", "GET / HTTP/1.1\r\nHost: \r\n"),
        ("a path", "GET / HTTP/1.1\r\nHost: a.test/x\r\n"),
        ("absolute form without Host", "GET http://a.test/ HTTP/1.1\r\n"),
    ];
    for (what, head) in cases {
        let reply = raw_request(server.address, format!("{head}Connection: close\r\n\r\n").as_bytes()).await;
        assert_eq!(raw_status(&reply), 400, "{what}: {reply}");
        assert!(reply.to_ascii_lowercase().contains("content-type: text/html"), "{what}: not an HTML page");
        assert!(reply.contains("<html"), "{what}: not an HTML page");
    }
}

#[tokio::test]
async fn a_valid_host_and_http_1_0_without_host_are_served() {
    let (_dir, server) = server().await;
    let cases = [
        ("a name", "GET / HTTP/1.1\r\nHost: a.test\r\n"),
        ("a name and port", "GET / HTTP/1.1\r\nHost: a.test:8080\r\n"),
        ("an IPv4 address", "GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n"),
        ("an IPv6 address", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n"),
        ("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n"),
        ("absolute form", "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n"),
    ];
    for (what, head) in cases {
        let reply = raw_request(server.address, format!("{head}Connection: close\r\n\r\n").as_bytes()).await;
        assert_eq!(raw_status(&reply), 200, "{what}: {reply}");
    }
}

#[tokio::test]
async fn a_client_that_half_closes_after_its_request_gets_the_answer() {
    let (_dir, server) = server().await;
    // Whether the server reads the end of the stream together with the
    // request depends on scheduling: several tries, each waiting until the
    // server waits for the request, make that the likely case.
    for attempt in 0..10 {
        let mut stream = TcpStream::connect(server.address).await.expect("connect");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let path = if attempt % 2 == 0 { "/" } else { "/no-such-page" };
        stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes()).await.expect("send");
        stream.shutdown().await.expect("half-close");
        let mut reply = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
        assert!(read.is_ok(), "the connection was neither answered nor closed");
        let reply = String::from_utf8_lossy(&reply);
        assert!(reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.1 404"), "{path}: no answer: {reply:?}");
    }
}

#[tokio::test]
async fn head_over_the_wire_has_the_get_headers_and_no_body() {
    let (_dir, server) = server().await;
    for method in ["GET", "HEAD"] {
        let request =
            format!("{method} /no-such-page HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n");
        let reply = raw_request(server.address, request.as_bytes()).await;
        assert_eq!(raw_status(&reply), 404, "{method}: {reply}");
        let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
        let head = head.to_ascii_lowercase();
        assert!(head.contains("content-encoding: br"), "{method}: {head}");
        assert!(head.contains("vary: accept-encoding"), "{method}: {head}");
        if method == "HEAD" {
            assert!(body.is_empty(), "HEAD has no body: {body:?}");
        }
    }
}
