//! The access log's writer thread: drains the queue through a buffer,
//! flushes when it is empty, and reopens the file when asked.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

use super::{DROPPED, Destination};

/// What the writer is sent.
pub(super) enum Message {
    /// A finished line, newline included.
    Line(String),
    /// Nothing to write: look at the reopen flag.
    Wake,
}

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

/// Writes what arrives until every sender is gone: one batch at a time,
/// flushed once the queue is empty.
pub(super) fn run(lines: Receiver<Message>, mut sink: Sink, reopen: &AtomicBool) {
    while let Ok(first) = lines.recv() {
        let mut message = Some(first);
        while let Some(next) = message {
            if let Message::Line(line) = next {
                sink.write(&line);
            }
            message = lines.try_recv().ok();
        }
        sink.flush();
        if reopen.swap(false, Ordering::AcqRel) {
            sink.reopen();
        }
    }
    sink.flush();
}
