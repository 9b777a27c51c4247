//! The access log's writer thread: wakes on a timer, drains the queue
//! through a buffer, flushes, and reopens the file when asked. It never
//! waits on the queue itself: a receiver blocked on a channel makes every
//! send a futex wake-up, a system call per request, which cost as much as
//! the rest of a cached page's answer.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use super::{DROPPED, Destination};

/// How long the writer sleeps between drains while lines keep coming, and
/// when the queue was empty: a line is on disk (or the terminal) within
/// about a tenth of a second, as nginx's `flush=` does it in a second.
const BUSY_INTERVAL: Duration = Duration::from_millis(10);
const IDLE_INTERVAL: Duration = Duration::from_millis(100);

/// Where lines go, buffered.
pub(super) struct Sink {
    path: Option<PathBuf>,
    out: BufWriter<Box<dyn Write + Send>>,
}

impl Sink {
    /// The sink for `destination`; `None` when the log is off.
    pub(super) fn open(destination: &Destination) -> std::io::Result<Option<Self>> {
        let (path, out): (_, Box<dyn Write + Send>) = match destination {
            Destination::Off => return Ok(None),
            Destination::Stderr => (None, Box::new(std::io::stderr())),
            Destination::File(path) => {
                let file = append_to(path).map_err(|error| {
                    std::io::Error::new(error.kind(), format!("cannot open the access log {}: {error}", path.display()))
                })?;
                (Some(path.clone()), Box::new(file))
            }
        };
        Ok(Some(Self { path, out: BufWriter::with_capacity(64 * 1024, out) }))
    }

    fn write(&mut self, line: &str) {
        if self.out.write_all(line.as_bytes()).is_err() {
            DROPPED.inc();
        }
    }

    fn flush(&mut self) {
        // What a failed flush loses cannot be told in lines; the next write
        // that fails is counted.
        let _ = self.out.flush();
    }

    /// Opens the file again (after logrotate moved it); on failure keeps
    /// writing to the old one.
    fn reopen(&mut self) {
        self.flush();
        let Some(path) = &self.path else { return };
        match append_to(path) {
            Ok(file) => self.out = BufWriter::with_capacity(64 * 1024, Box::new(file)),
            Err(error) => tracing::error!(%error, path = %path.display(), "cannot reopen the access log"),
        }
    }
}

fn append_to(path: &PathBuf) -> std::io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// Writes what arrives until every sender is gone, a batch per wake-up.
pub(super) fn run(lines: Receiver<String>, mut sink: Sink, reopen: &AtomicBool) {
    loop {
        // Before draining: every line queued after a reopen was asked for
        // goes to the new file.
        if reopen.swap(false, Ordering::AcqRel) {
            sink.reopen();
        }
        let (written, open) = drain(&lines, &mut sink);
        sink.flush();
        if !open {
            return;
        }
        std::thread::sleep(if written > 0 { BUSY_INTERVAL } else { IDLE_INTERVAL });
    }
}

/// Writes every queued line; how many, and whether a sender is left.
fn drain(lines: &Receiver<String>, sink: &mut Sink) -> (usize, bool) {
    let mut written = 0;
    loop {
        match lines.try_recv() {
            Ok(line) => {
                sink.write(&line);
                written += 1;
            }
            Err(TryRecvError::Empty) => return (written, true),
            Err(TryRecvError::Disconnected) => return (written, false),
        }
    }
}
