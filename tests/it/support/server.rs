//! A server on a real socket (127.0.0.1:0, the production accept loop), and
//! raw HTTP/1.1 requests to it for what a client library would not send.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use broadsheet::web::server::{self, ListenAddress, Listener, ServerSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server running in this process on a real socket.
pub struct RunningServer {
    pub address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Starts `app` on 127.0.0.1:0 with `settings`.
    pub async fn start(app: Router, settings: ServerSettings) -> Self {
        let listener = Listener::bind(&ListenAddress::Tcp("127.0.0.1:0".into())).await.expect("bind");
        let address = listener.local_address().parse().expect("socket address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server::serve(listener, app, &settings, async move {
                let _ = stopped.await;
            })
            .await
        });
        Self { address, stop: Some(stop), task }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Asks the server to shut down gracefully (does not wait).
    pub fn begin_shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Sends raw bytes over a fresh TCP connection and returns everything the
/// server sent back until it closed the connection (or 10 s passed).
pub async fn raw_request(address: SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("send");
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply)).await;
    String::from_utf8_lossy(&reply).into_owned()
}

/// The status code of a raw HTTP/1.1 reply (`HTTP/1.1 404 Not Found` → 404).
pub fn raw_status(reply: &str) -> u16 {
    reply.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}
