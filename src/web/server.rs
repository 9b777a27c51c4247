//! The HTTP server: accepting connections on TCP or a Unix socket (bound
//! here or passed by systemd, see [`listen`]), with
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

mod inherited;
mod listen;
pub(crate) mod progress;

pub use inherited::sockets_were_passed;
pub use listen::{ListenAddress, Listener};

use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::fast_path::App;
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
