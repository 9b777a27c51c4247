//! Watching the articles directory for changes, with `notify`.
//!
//! Events are debounced per path: a path is reported only once it has been
//! quiet for the debounce time, so a file written in several chunks is read
//! once, complete (as long as the writer never pauses longer than that).
//! Events only say where to look; [`super::Library::apply`] reads the disk
//! to learn what happened. `poll` mode compares the tree every
//! `poll_interval` instead of relying on kernel events (network
//! filesystems); see [`super::poll`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_mini::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, DebouncedEventKind, Debouncer, new_debouncer_opt};

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
    /// Read everything again (SIGHUP, or the watcher may have lost events).
    Rescan,
}

/// A running watcher; dropping it stops watching.
pub struct DirectoryWatcher {
    /// Kept only to be dropped: the debouncer (or poller) stops with it.
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
        WatchMode::Auto => {
            let config = Config::default().with_timeout(settings.debounce).with_batch_mode(true);
            let handler = handler(root.clone(), triggers.clone());
            let started = new_debouncer_opt::<_, RecommendedWatcher>(config, handler)
                .and_then(|debouncer| start(debouncer, &root, WatchMode::Auto));
            started.map(Some).or_else(|error| {
                tracing::warn!(%error, "file events are unavailable; polling the articles directory instead");
                start_polling(&root, settings, triggers).map(Some)
            })
        }
    }
}

fn start_polling(root: &Path, settings: &WatchSettings, triggers: Sender<Trigger>) -> notify::Result<DirectoryWatcher> {
    let poller = poll::start(root.to_owned(), settings.poll_interval, triggers).map_err(notify::Error::io)?;
    tracing::info!(interval = ?settings.poll_interval, dir = %root.display(), "polling the articles directory");
    Ok(DirectoryWatcher { _debouncer: Box::new(poller), mode: WatchMode::Poll })
}

fn start<T: notify::Watcher + Send + 'static>(
    mut debouncer: Debouncer<T>,
    root: &Path,
    mode: WatchMode,
) -> notify::Result<DirectoryWatcher> {
    debouncer.watcher().watch(root, RecursiveMode::Recursive)?;
    tracing::info!(%mode, dir = %root.display(), "watching the articles directory");
    Ok(DirectoryWatcher { _debouncer: Box::new(debouncer), mode })
}

/// Turns debounced events into triggers: settled paths, relative to `root`,
/// without temporary files; an error may mean lost events, so it asks for a
/// rescan.
fn handler(root: PathBuf, triggers: Sender<Trigger>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let trigger = match result {
            Ok(events) => {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    // A path still changing is reported again when it settles.
                    .filter(|event| event.kind == DebouncedEventKind::Any)
                    .filter_map(|event| event.path.strip_prefix(&root).ok().map(Path::to_path_buf))
                    .filter(|path| !is_ignored_path(path))
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Trigger::Changed(paths)
            }
            Err(error) => {
                tracing::warn!(%error, "watching the articles directory failed; rescanning");
                Trigger::Rescan
            }
        };
        let _ = triggers.send(trigger);
    }
}
