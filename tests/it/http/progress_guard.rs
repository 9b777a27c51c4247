//! The slowloris guard over real sockets: a connection that makes no
//! progress for the header read timeout is closed, but slow handlers and
//! slowly read responses are not cut off. (Trickled headers are in
//! `hardening.rs`.)

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::support::RunningServer;
use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::routing::get;
use broadsheet::web::server::ServerSettings;
use hyper::body::Frame;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(1);

async fn start(app: Router) -> RunningServer {
    RunningServer::start(app, ServerSettings { header_read_timeout: TIMEOUT, ..ServerSettings::default() }).await
}

/// A body that sends `left` chunks, one per `pause`.
struct Drip {
    left: u8,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl HttpBody for Drip {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        std::task::ready!(self.pause.as_mut().poll(context));
        self.left -= 1;
        let next = tokio::time::Instant::now() + TIMEOUT * 2 / 5;
        self.pause.as_mut().reset(next);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"drop\n")))))
    }
}

#[tokio::test]
async fn a_handler_slower_than_the_header_timeout_still_answers() {
    let slow = || async {
        tokio::time::sleep(TIMEOUT * 3).await;
        "done"
    };
    let server = start(Router::new().route("/slow", get(slow))).await;
    let reply = reqwest::get(server.url("/slow")).await.expect("the slow request was answered");
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.expect("body"), "done");
}

#[tokio::test]
async fn a_response_sent_slowly_but_steadily_is_not_cut_off() {
    let drip = || async { Body::new(Drip { left: 8, pause: Box::pin(tokio::time::sleep(Duration::ZERO)) }) };
    let server = start(Router::new().route("/drip", get(drip))).await;
    let reply = reqwest::get(server.url("/drip")).await.expect("response");
    let body = reply.text().await.expect("the whole body arrived");
    assert_eq!(body.lines().count(), 8, "{body}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let server = start(Router::new().route("/", get(|| async { "hello" }))).await;
    let mut stream = TcpStream::connect(server.address).await.expect("connect");
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("send");
    let mut reply = Vec::new();
    // The guard only keeps a broken server from hanging the test.
    let closed = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut reply)).await;
    assert!(closed.is_ok(), "an idle connection was never closed");
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 200") && reply.ends_with("hello"), "{reply}");
}
