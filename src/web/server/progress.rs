//! The slowloris guard: a connection that makes no progress for the header
//! read timeout is closed.
//!
//! hyper's own `header_read_timeout` arms a timer for every request it
//! reads (a boxed sleep, a timer-wheel insertion and removal, a clock read),
//! which is a measurable share of answering a cached page. This guard arms
//! one timer per connection instead, ticking every half timeout, and per
//! request costs one atomic addition.
//!
//! Progress is a response byte written to the client. A connection without
//! progress for two ticks in a row (between one and one and a half
//! timeouts), while no request of it is being handled, is closed: a client
//! that trickles its headers, or an idle keep-alive connection, as hyper's
//! timeout would. A slow handler keeps its connection (the request timeout
//! bounds it), and so does a client that reads a long response slowly but
//! steadily.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::task::AbortHandle;
use tokio::time::{Instant, MissedTickBehavior};

/// What one connection has done lately, shared by its I/O, its requests
/// and its guard.
#[derive(Debug, Default)]
pub struct Activity {
    /// Successful writes to the client.
    writes: AtomicU64,
    /// Requests being handled (routed: cached answers are written at once).
    in_flight: AtomicU64,
}

impl Activity {
    /// Marks a request as being handled until the guard is dropped.
    pub fn handling(self: &Arc<Self>) -> Handling {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Handling(Arc::clone(self))
    }

    /// A number that changes whenever the connection progressed, or
    /// `None` while a request is being handled.
    fn progress(&self) -> Option<u64> {
        (self.in_flight.load(Ordering::Relaxed) == 0).then(|| self.writes.load(Ordering::Relaxed))
    }
}

/// A request being handled; see [`Activity::handling`].
#[derive(Debug)]
pub struct Handling(Arc<Activity>);

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Aborts the connection task behind `connection` once it made no
/// progress for `timeout`; returns when the connection ends.
pub(crate) async fn guard(activity: Arc<Activity>, timeout: Duration, connection: AbortHandle) {
    let tick = (timeout / 2).max(Duration::from_millis(1));
    let mut ticks = tokio::time::interval_at(Instant::now() + tick, tick);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last = activity.progress();
    let mut idle_ticks = 0;
    loop {
        ticks.tick().await;
        if connection.is_finished() {
            return;
        }
        let now = activity.progress();
        if now.is_none() || now != last {
            (last, idle_ticks) = (now, 0);
            continue;
        }
        idle_ticks += 1;
        if idle_ticks == 2 {
            tracing::debug!(timeout_ms = timeout.as_millis() as u64, "closing a connection that made no progress");
            connection.abort();
            return;
        }
    }
}

/// A connection's I/O, counting writes as progress.
#[derive(Debug)]
pub(crate) struct Watched<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T> Watched<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }

    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        if let Poll::Ready(Ok(written)) = result
            && *written > 0
        {
            self.activity.writes.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(mut self: Pin<&mut Self>, context: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(context, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(mut self: Pin<&mut Self>, context: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(context, buf);
        self.wrote(&result);
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(context, bufs);
        self.wrote(&result);
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(context)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(context)
    }
}
