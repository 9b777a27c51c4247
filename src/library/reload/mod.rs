//! Live reload, all of it: watch the directory (`watch`, `poll`), turn
//! changed paths into the files to read again (`changes`), build the next
//! snapshot from the previous one (`apply`, patching its indexes with
//! `splice` and carrying moved and deleted ids in `history`), then swap
//! it in and bring the search index, metrics and log along (the reloader
//! thread, `reloader`).
//!
//! One thread does all reloads, one at a time, so snapshots follow each
//! other in order without locks; requests keep whichever snapshot they
//! started with. The reloader knows nothing of HTTP: it is handed a
//! [`Target`] (where the current snapshot is swapped, the search index and
//! a hook that records each reload) and the web layer reads the snapshot
//! from the same swap handle as always.

mod apply;
pub(crate) mod changes;
pub(super) mod history;
mod poll;
mod reloader;
pub(super) mod splice;
mod watch;

pub use apply::Reload;
pub use watch::{DirectoryWatcher, Trigger, WatchMode, WatchSettings};

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use arc_swap::ArcSwap;

use super::search::SearchIndex;
use super::{Library, LoadOptions};
use reloader::Reloader;

/// What the reloader acts on: everything it needs of the running server,
/// and nothing more (it never sees the HTTP layer's state).
#[derive(Clone)]
pub struct Target {
    /// Where the current snapshot lives; each reload stores the next one.
    pub library: Arc<ArcSwap<Library>>,
    /// The search index, updated before each swap.
    pub search: Arc<SearchIndex>,
    /// Called after each swap with what changed (the server records the
    /// timing in its metrics, and tells caches in front of it which pages
    /// changed).
    pub on_reload: Arc<dyn Fn(&Swapped<'_>) + Send + Sync>,
}

/// One reload, as [`Target::on_reload`] sees it once the new snapshot is in.
#[derive(Debug)]
pub struct Swapped<'a> {
    /// How long building the snapshot took, and when it finished.
    pub elapsed: Duration,
    pub finished: SystemTime,
    /// The snapshot before, and the one now served.
    pub previous: &'a Library,
    pub current: &'a Library,
    /// Articles added, changed and removed (by id), and renamed (old, new).
    pub added: &'a [crate::article::ArticleId],
    pub updated: &'a [crate::article::ArticleId],
    pub removed: &'a [crate::article::ArticleId],
    pub moved: &'a [(crate::article::ArticleId, crate::article::ArticleId)],
    /// Image files looked at (0: the images did not change).
    pub images: usize,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("articles", &self.library.load().len()).finish_non_exhaustive()
    }
}

/// Asks the reloader for a full rescan; cheap to clone.
#[derive(Debug, Clone)]
pub struct ReloadHandle {
    triggers: Sender<Trigger>,
}

impl ReloadHandle {
    /// Reads the whole directory again (what SIGHUP does). Returns at once;
    /// the new snapshot follows shortly.
    pub fn rescan(&self) {
        let _ = self.triggers.send(Trigger::Rescan);
    }

    /// Reads the files at `paths` (relative to the directory) again: they
    /// changed while Broadsheet was stopped.
    pub fn changed_while_stopped(&self, paths: Vec<PathBuf>) {
        let _ = self.triggers.send(Trigger::ChangedWhileStopped(paths));
    }
}

/// Live reload while it runs: dropping it stops the watcher, and the
/// reloader thread ends once every [`ReloadHandle`] is gone too.
#[derive(Debug)]
pub struct LiveReload {
    handle: ReloadHandle,
    watcher: Option<DirectoryWatcher>,
    /// The watcher of a separate `--media-root`.
    _media_watcher: Option<DirectoryWatcher>,
}

impl LiveReload {
    /// A handle for asking for rescans.
    pub fn handle(&self) -> ReloadHandle {
        self.handle.clone()
    }

    /// Whether the directory is watched (not `off`), and how.
    pub fn watch_mode(&self) -> Option<WatchMode> {
        self.watcher.as_ref().map(DirectoryWatcher::mode)
    }
}

/// Where rescans are asked for, made before the reloader starts so that
/// SIGHUP can be handled from the first moment (see [`start_with`]).
#[derive(Debug)]
pub struct Inbox {
    handle: ReloadHandle,
    received: Receiver<Trigger>,
}

impl Default for Inbox {
    fn default() -> Self {
        let (triggers, received) = std::sync::mpsc::channel();
        Self { handle: ReloadHandle { triggers }, received }
    }
}

impl Inbox {
    /// A handle for asking for rescans; they wait until the reloader runs.
    pub fn handle(&self) -> ReloadHandle {
        self.handle.clone()
    }
}

/// Starts the reloader thread for `target`, and the watcher unless
/// `settings` say `off`.
pub fn start(
    target: Target,
    dir: PathBuf,
    options: LoadOptions,
    settings: &WatchSettings,
) -> anyhow::Result<LiveReload> {
    start_with(Inbox::default(), target, dir, options, settings)
}

/// [`start`] with rescans asked for in `inbox` meanwhile. Watching is
/// set up before this returns: at 100k files that takes half a second
/// (the watcher looks at every entry of the tree), so the server calls it
/// while it already serves.
pub fn start_with(
    inbox: Inbox,
    target: Target,
    dir: PathBuf,
    options: LoadOptions,
    settings: &WatchSettings,
) -> anyhow::Result<LiveReload> {
    let Inbox { handle, received } = inbox;
    let watcher = watch::watch(&dir, settings, handle.triggers.clone())
        .with_context(|| format!("cannot watch the articles directory {}", dir.display()))?;
    let media_root = target.library.load().media().site_dir().map(std::path::Path::to_owned);
    let media_watcher = match media_root {
        Some(root) => watch_media_root(&root, settings, handle.triggers.clone())
            .with_context(|| format!("cannot watch the media root {}", root.display()))?,
        None => None,
    };
    let reloader = Reloader::new(target, dir, options);
    std::thread::Builder::new()
        .name("reload".to_owned())
        .spawn(move || reloader.run(&received))
        .context("cannot start the reload thread")?;
    Ok(LiveReload { handle, watcher, _media_watcher: media_watcher })
}

/// Watches a separate `--media-root` like the articles directory; its
/// changes reach the reloader as [`Trigger::MediaRootChanged`].
fn watch_media_root(
    root: &std::path::Path,
    settings: &WatchSettings,
    triggers: Sender<Trigger>,
) -> anyhow::Result<Option<DirectoryWatcher>> {
    let (sender, received) = std::sync::mpsc::channel();
    let watcher = watch::watch(root, settings, sender)?;
    std::thread::Builder::new().name("watch-media".to_owned()).spawn(move || {
        for trigger in received {
            let forwarded = match trigger {
                Trigger::Changed(paths) | Trigger::MediaRootChanged(paths) | Trigger::ChangedWhileStopped(paths) => {
                    Trigger::MediaRootChanged(paths)
                }
                Trigger::Rescan => Trigger::Rescan,
            };
            if triggers.send(forwarded).is_err() {
                return;
            }
        }
    })?;
    Ok(watcher)
}

/// Rescans on every SIGHUP until the process ends. The handler is in
/// place when this returns (a SIGHUP before that would end the process).
pub fn rescan_on_sighup(handle: ReloadHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(error) => return tracing::error!(%error, "cannot listen for SIGHUP"),
        };
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                tracing::info!("SIGHUP: rescanning the articles directory");
                handle.rescan();
            }
        });
    }
    #[cfg(not(unix))]
    drop(handle);
}
