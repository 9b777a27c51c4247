//! The HTTP server: accepting connections on TCP or a Unix socket, with
//! connection-level limits and graceful shutdown.
//!
//! `axum::serve` cannot set hyper's header limits or timeouts, so this is a
//! small accept loop over hyper-util: a semaphore caps concurrent
//! connections (at the cap the server stops accepting and new clients wait
//! in the kernel's backlog), every connection has a [`progress`] guard (a
//! client that trickles its headers — slowloris — is cut off after the
//! header read timeout and cannot pin a connection slot) and a header size
//! limit (431), and shutdown stops accepting, lets requests in flight finish
//! for a grace period, then closes what is left.

pub(crate) mod progress;

use std::io;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::fast_path::App;
use super::middleware::Peer;
use progress::{Activity, Watched};

/// Connection-level limits and timings.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Longest time a client may take to send a request's headers: a
    /// connection without progress for this long is closed (see [`progress`]).
    pub header_read_timeout: Duration,
    /// Largest request head (request line plus headers) in bytes; at least 8192.
    pub max_header_bytes: usize,
    /// Most connections open at once.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_header_bytes: 16 * 1024,
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Where to listen: `127.0.0.1:3000`, `[::]:8080` or `unix:/run/broadsheet.sock`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddress {
    Tcp(String),
    Unix(PathBuf),
}

impl FromStr for ListenAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.strip_prefix("unix:") {
            Some("") => Err("a Unix socket needs a path: unix:/run/broadsheet.sock".to_owned()),
            Some(path) => Ok(Self::Unix(PathBuf::from(path))),
            None => Ok(Self::Tcp(text.to_owned())),
        }
    }
}

impl std::fmt::Display for ListenAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tcp(address) => f.write_str(address),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// A bound listening socket.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// The path is removed again when the listener is dropped.
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Binds `address`; a stale Unix socket file from an earlier run is
    /// replaced (but no other kind of file).
    pub async fn bind(address: &ListenAddress) -> io::Result<Self> {
        match address {
            ListenAddress::Tcp(address) => Ok(Self::Tcp(TcpListener::bind(address).await?)),
            ListenAddress::Unix(path) => {
                use std::os::unix::fs::FileTypeExt;
                if std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_socket()) {
                    std::fs::remove_file(path)?;
                }
                Ok(Self::Unix(UnixListener::bind(path)?, path.clone()))
            }
        }
    }

    /// Where it listens, for logs (`127.0.0.1:3000`, `unix:/run/x.sock`).
    pub fn local_address(&self) -> String {
        match self {
            Self::Tcp(listener) => listener.local_addr().map_or_else(|error| error.to_string(), |a| a.to_string()),
            Self::Unix(_, path) => format!("unix:{}", path.display()),
        }
    }

    async fn accept(&self) -> io::Result<(Box<dyn Connection>, Peer)> {
        match self {
            Self::Tcp(listener) => {
                let (stream, address) = listener.accept().await?;
                // Small responses should leave at once, not wait for Nagle.
                let _ = stream.set_nodelay(true);
                Ok((Box::new(stream), Peer::Tcp(address)))
            }
            Self::Unix(listener, _) => Ok((Box::new(listener.accept().await?.0), Peer::Unix)),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Self::Unix(_, path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

trait Connection: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Connection for T {}

/// Serves `app` (a [`web::app`](crate::web::app) or any router) on
/// `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: Listener,
    app: impl Into<App>,
    settings: &ServerSettings,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let app = app.into();
    let builder = connection_builder(settings);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: back off, go on.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let activity = Arc::new(Activity::default());
        let io = TokioIo::new(Watched::new(stream, activity.clone()));
        let service = TowerToHyperService::new(app.for_connection(peer, activity.clone()));
        let connection = graceful.watch(builder.serve_connection(io, service).into_owned());
        let task = connections.spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(error = %error, "connection ended with an error");
            }
            drop(slot);
        });
        tokio::spawn(progress::guard(activity, settings.header_read_timeout, task));
    }
    drop(listener);
    drain(graceful, connections, settings.shutdown_grace).await;
    Ok(())
}

fn connection_builder(settings: &ServerSettings) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        // The progress guard does this job with one timer per connection
        // rather than one per request.
        .header_read_timeout(None)
        // A client may shut down its sending side once its request is out
        // (`shutdown(SHUT_WR)`, `curl --no-keepalive` through some proxies);
        // without this, hyper drops the request when it reads that end of
        // stream before the response is ready.
        .half_close(true)
        .max_buf_size(settings.max_header_bytes.max(8192));
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(settings.max_header_bytes).unwrap_or(u32::MAX))
        .max_concurrent_streams(256);
    builder
}

/// Lets connections finish their requests for `grace`, then closes the rest.
async fn drain(graceful: GracefulShutdown, mut connections: JoinSet<()>, grace: Duration) {
    let open = graceful.count();
    if open > 0 {
        tracing::info!(open, grace_ms = grace.as_millis() as u64, "waiting for requests in flight");
    }
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(open = connections.len(), "grace period over: closing remaining connections");
        connections.abort_all();
    }
    while connections.join_next().await.is_some() {}
}
