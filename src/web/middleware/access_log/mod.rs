//! The access log: one line per request, as an operator expects from nginx,
//! written by a thread of its own so that no request ever waits for a disk
//! or a terminal.
//!
//! [`App`](crate::web::fast_path::App) starts an [`Entry`] when a request
//! comes in (cache hits included, which never reach the middleware stack)
//! and finishes it when the response head is ready: time, client address
//! (as the trusted proxy chain resolves it), method, path and query,
//! status, body bytes, duration, referer, user agent and request id. The
//! line goes into a bounded queue; the writer thread, woken by a timer
//! (never by a request), drains it through a 64 KiB buffer and flushes.
//! When the queue is full the line is dropped and counted (`broadsheet_access_log_dropped_lines_total`
//! in `/metrics`), never waited for. SIGHUP and SIGUSR1 reopen a log file,
//! for logrotate.
//!
//! The log is chosen once by `main.rs` ([`install`]), like the tracing
//! subscriber, and every [`App`](crate::web::fast_path::App) built after
//! that writes to it; tests give an app their own log instead.

mod entry;
mod writer;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, LazyLock, OnceLock};

use prometheus_client::metrics::counter::Counter;

pub(crate) use entry::Entry;

/// Lines the queue holds before new ones are dropped: over a second of a
/// busy server's lines between two of the writer's wake-ups, a few MiB at
/// most.
const QUEUE_LINES: usize = 64 * 1024;

/// Where the access log goes (`--access-log`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Off,
    Stderr,
    /// Appended to; reopened on SIGHUP and SIGUSR1.
    File(PathBuf),
}

impl FromStr for Destination {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "" => Err("give stderr, off, or the path of a file".to_owned()),
            "off" => Ok(Self::Off),
            "stderr" => Ok(Self::Stderr),
            path => Ok(Self::File(PathBuf::from(path))),
        }
    }
}

/// The shape of a line (`--log-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// nginx's "combined" format, then duration and request id.
    Text,
    /// One JSON object per line, for Loki, Elasticsearch and the like.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(format!("“{other}” is not a log format: use text or json")),
        }
    }
}

/// Lines dropped since the process started, because the queue was full or
/// the destination failed; shared by every log (there is one per process).
pub(crate) static DROPPED: LazyLock<Counter> = LazyLock::new(Counter::default);

/// A handle on a running access log; cheap to clone.
#[derive(Debug, Clone)]
pub struct AccessLog {
    queue: SyncSender<String>,
    format: LogFormat,
    reopen: Arc<AtomicBool>,
}

impl AccessLog {
    /// Starts the writer thread for `destination` (`None` for [`Destination::Off`]);
    /// fails when a log file cannot be opened.
    pub fn start(destination: &Destination, format: LogFormat) -> std::io::Result<Option<Self>> {
        let Some(sink) = writer::Sink::open(destination)? else { return Ok(None) };
        let (queue, lines) = std::sync::mpsc::sync_channel(QUEUE_LINES);
        let reopen = Arc::new(AtomicBool::new(false));
        let flag = reopen.clone();
        std::thread::Builder::new().name("access-log".to_owned()).spawn(move || writer::run(lines, sink, &flag))?;
        Ok(Some(Self { queue, format, reopen }))
    }

    /// Queues `line`, or drops and counts it when the queue is full.
    pub(crate) fn write(&self, line: String) {
        match self.queue.try_send(line) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                DROPPED.inc();
            }
        }
    }

    /// The line format.
    pub(crate) fn format(&self) -> LogFormat {
        self.format
    }

    /// Asks the writer to reopen its file at its next wake-up (logrotate
    /// has renamed it); lines until then go to the old file.
    pub fn reopen(&self) {
        self.reopen.store(true, Ordering::Release);
    }
}

static INSTALLED: OnceLock<AccessLog> = OnceLock::new();

/// Makes `log` the access log of every application built from now on.
pub fn install(log: AccessLog) {
    let _ = INSTALLED.set(log);
}

/// The log [`install`] set, if any.
pub(crate) fn installed() -> Option<AccessLog> {
    INSTALLED.get().cloned()
}

/// Reopens the installed log on every SIGHUP and SIGUSR1 (SIGHUP also
/// rescans the library, see `library::reload`). Call inside the runtime.
pub fn reopen_on_signals() {
    #[cfg(unix)]
    for kind in [tokio::signal::unix::SignalKind::hangup(), tokio::signal::unix::SignalKind::user_defined1()] {
        let mut signals = match tokio::signal::unix::signal(kind) {
            Ok(signals) => signals,
            Err(error) => return tracing::error!(%error, "cannot listen for signals to reopen the access log"),
        };
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                if let Some(log) = installed() {
                    log.reopen();
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_and_formats_read_as_documented() {
        assert_eq!("off".parse(), Ok(Destination::Off));
        assert_eq!("stderr".parse(), Ok(Destination::Stderr));
        assert_eq!("/var/log/a.log".parse(), Ok(Destination::File("/var/log/a.log".into())));
        assert!("".parse::<Destination>().is_err());
        assert_eq!("json".parse(), Ok(LogFormat::Json));
        assert!("xml".parse::<LogFormat>().is_err());
    }
}
