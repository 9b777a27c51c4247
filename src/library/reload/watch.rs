//! Watching the articles directory for changes, with `notify`.
//!
//! Events are debounced per path: a path is reported only once it has been
//! quiet for the debounce time, so a file written in several chunks is read
//! once, complete (as long as the writer never pauses longer than that).
//! Reads are not changes: notify also reports every `open` of a file, and
//! the reload's own reading would otherwise trigger the next reload. Events
//! only say where to look; [`crate::library::Library::apply`] reads the disk to learn
//! what happened. `poll` mode compares the tree every `poll_interval`
//! instead of relying on kernel events (network filesystems); see
//! [`super::poll`].
//!
//! (Neither notify debouncer fits: `notify-debouncer-full` reports a created
//! file a fixed time after its creation even while writes go on, and
//! `notify-debouncer-mini` drops event kinds, so reads cannot be told from
//! writes.)

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::changes::is_ignored_path;
use super::poll;

/// How the server learns about changes to the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WatchMode {
    /// The operating system's file events, falling back to polling when
    /// they are unavailable.
    #[default]
    Auto,
    /// Compare the tree at intervals (network filesystems).
    Poll,
    /// Never (immutable deployments); SIGHUP still rescans.
    Off,
}

impl FromStr for WatchMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "poll" => Ok(Self::Poll),
            "off" => Ok(Self::Off),
            _ => Err(format!("`{text}` is not a watch mode; use auto, poll or off")),
        }
    }
}

impl fmt::Display for WatchMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Auto => "auto",
            Self::Poll => "poll",
            Self::Off => "off",
        })
    }
}

/// How to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSettings {
    pub mode: WatchMode,
    /// How often `poll` mode compares the tree.
    pub poll_interval: Duration,
    /// How long a path must be quiet before it is reported (file events;
    /// polling reports a path once a poll finds it unchanged).
    pub debounce: Duration,
}

impl Default for WatchSettings {
    fn default() -> Self {
        Self { mode: WatchMode::Auto, poll_interval: Duration::from_secs(2), debounce: Duration::from_millis(200) }
    }
}

/// What the reloader is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// These paths (relative to the directory) changed.
    Changed(Vec<PathBuf>),
    /// These paths (relative to `--media-root`, when it is another folder)
    /// changed.
    MediaRootChanged(Vec<PathBuf>),
    /// Read everything again (SIGHUP, or the watcher may have lost events).
    Rescan,
    /// These paths changed while Broadsheet was stopped (a restart's check
    /// found them): read as a full load would (see
    /// [`crate::library::Library::apply_as_loaded`]).
    ChangedWhileStopped(Vec<PathBuf>),
}

/// A running watcher; dropping it stops watching.
pub struct DirectoryWatcher {
    /// Kept only to be dropped: the watcher (or poller) and its thread
    /// stop with it.
    _debouncer: Box<dyn Send>,
    mode: WatchMode,
}

impl fmt::Debug for DirectoryWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DirectoryWatcher").field("mode", &self.mode).finish_non_exhaustive()
    }
}

impl DirectoryWatcher {
    /// The mode in effect (`auto` becomes `poll` when events are unavailable).
    pub fn mode(&self) -> WatchMode {
        self.mode
    }
}

/// Starts watching `dir` recursively, sending [`Trigger`]s to `triggers`;
/// `None` in `off` mode.
pub fn watch(
    dir: &Path,
    settings: &WatchSettings,
    triggers: Sender<Trigger>,
) -> Result<Option<DirectoryWatcher>, notify::Error> {
    let root = dir.canonicalize().map_err(notify::Error::io)?;
    match settings.mode {
        WatchMode::Off => Ok(None),
        WatchMode::Poll => start_polling(&root, settings, triggers).map(Some),
        WatchMode::Auto => start_events(&root, settings, triggers.clone()).map(Some).or_else(|error| {
            tracing::warn!(%error, "file events are unavailable; polling the articles directory instead");
            start_polling(&root, settings, triggers).map(Some)
        }),
    }
}

fn start_events(root: &Path, settings: &WatchSettings, triggers: Sender<Trigger>) -> notify::Result<DirectoryWatcher> {
    let (events, received) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(events)?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    let (root, debounce) = (root.to_owned(), settings.debounce);
    tracing::info!(dir = %root.display(), ?debounce, "watching the articles directory");
    std::thread::Builder::new()
        .name("watch-debounce".to_owned())
        .spawn(move || debounce_events(&root, debounce, &received, &triggers))
        .map_err(notify::Error::io)?;
    Ok(DirectoryWatcher { _debouncer: Box::new(watcher), mode: WatchMode::Auto })
}

fn start_polling(root: &Path, settings: &WatchSettings, triggers: Sender<Trigger>) -> notify::Result<DirectoryWatcher> {
    let poller = poll::start(root.to_owned(), settings.poll_interval, triggers).map_err(notify::Error::io)?;
    tracing::info!(interval = ?settings.poll_interval, dir = %root.display(), "polling the articles directory");
    Ok(DirectoryWatcher { _debouncer: Box::new(poller), mode: WatchMode::Poll })
}

/// Collects changed paths (relative to `root`) and sends each batch of
/// paths that have been quiet for `debounce`; ends when the watcher is
/// dropped. An error or an overflowed event queue asks for a rescan.
fn debounce_events(
    root: &Path,
    debounce: Duration,
    events: &Receiver<notify::Result<Event>>,
    triggers: &Sender<Trigger>,
) {
    let mut last_change: HashMap<PathBuf, Instant> = HashMap::new();
    loop {
        let oldest = last_change.values().min().copied();
        let wait = oldest.map_or(Duration::MAX, |oldest| (oldest + debounce).saturating_duration_since(Instant::now()));
        match events.recv_timeout(wait) {
            Ok(Ok(event)) if event.need_rescan() => send(triggers, Trigger::Rescan),
            Ok(Ok(event)) if is_change(&event.kind) => {
                let now = Instant::now();
                for path in event.paths.iter().filter_map(|path| path.strip_prefix(root).ok()) {
                    if !is_ignored_path(path) {
                        last_change.insert(path.to_owned(), now);
                    }
                }
            }
            Ok(Ok(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Err(error)) => {
                tracing::warn!(%error, "watching the articles directory failed; rescanning");
                send(triggers, Trigger::Rescan);
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let settled: Vec<PathBuf> = last_change
            .extract_if(|_, changed| now.duration_since(*changed) >= debounce)
            .map(|(path, _)| path)
            .collect();
        if !settled.is_empty() {
            send(triggers, Trigger::Changed(settled));
        }
    }
}

fn send(triggers: &Sender<Trigger>, trigger: Trigger) {
    // The reloader is gone only when the server is shutting down.
    let _ = triggers.send(trigger);
}

/// Whether an event may have changed what a file holds: not reads, opens or
/// access-time updates, but a write being closed is.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, RemoveKind};

    #[test]
    fn reads_are_not_changes_but_writes_and_removals_are() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn parses_the_watch_modes() {
        assert_eq!("POLL".parse::<WatchMode>(), Ok(WatchMode::Poll));
        assert!("inotify".parse::<WatchMode>().is_err());
    }
}
