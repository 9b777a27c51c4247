//! Live reload in a running server: watch the directory, build the next
//! snapshot from each change, swap it in, and bring the search index,
//! metrics and log along.
//!
//! One thread does all reloads, one at a time, so snapshots follow each
//! other in order without locks; requests keep whichever snapshot they
//! started with. The HTTP layer learns nothing new: it reads the current
//! snapshot from [`AppState::library`] as always.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;

use crate::article::{Article, ArticleId};
use crate::library::search::{SearchError, SearchIndex};
use crate::library::watch::{self, DirectoryWatcher, Trigger, WatchSettings};
use crate::library::{LoadOptions, Reload};
use crate::web::AppState;

/// How often changes waiting for the search index to be built are retried.
const SEARCH_RETRY: Duration = Duration::from_millis(500);

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
}

/// Live reload while it runs: dropping it stops the watcher, and the
/// reloader thread ends once every [`ReloadHandle`] is gone too.
#[derive(Debug)]
pub struct LiveReload {
    handle: ReloadHandle,
    watcher: Option<DirectoryWatcher>,
}

impl LiveReload {
    /// A handle for asking for rescans.
    pub fn handle(&self) -> ReloadHandle {
        self.handle.clone()
    }

    /// Whether the directory is watched (not `off`), and how.
    pub fn watch_mode(&self) -> Option<watch::WatchMode> {
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

/// Starts the reloader thread for `state`, and the watcher unless
/// `settings` say `off`.
pub fn start(
    state: &AppState,
    dir: PathBuf,
    options: LoadOptions,
    settings: &WatchSettings,
) -> anyhow::Result<LiveReload> {
    start_with(Inbox::default(), state, dir, options, settings)
}

/// [`start`] with rescans asked for in `inbox` meanwhile. Watching is
/// set up before this returns: at 100k files that takes half a second
/// (the watcher looks at every entry of the tree), so the server calls it
/// while it already serves.
pub fn start_with(
    inbox: Inbox,
    state: &AppState,
    dir: PathBuf,
    options: LoadOptions,
    settings: &WatchSettings,
) -> anyhow::Result<LiveReload> {
    let Inbox { handle, received } = inbox;
    let watcher = watch::watch(&dir, settings, handle.triggers.clone())
        .with_context(|| format!("cannot watch the articles directory {}", dir.display()))?;
    let reloader = Reloader { state: state.clone(), dir, options, pending: PendingSearch::default() };
    std::thread::Builder::new()
        .name("reload".to_owned())
        .spawn(move || reloader.run(&received))
        .context("cannot start the reload thread")?;
    Ok(LiveReload { handle, watcher })
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

struct Reloader {
    state: AppState,
    dir: PathBuf,
    options: LoadOptions,
    pending: PendingSearch,
}

impl Reloader {
    fn run(mut self, triggers: &Receiver<Trigger>) {
        loop {
            let wait = if self.pending.is_empty() { Duration::MAX } else { SEARCH_RETRY };
            match triggers.recv_timeout(wait) {
                Ok(first) => {
                    // Everything already queued goes into the same reload, so
                    // both halves of a rename are seen together.
                    let batch = std::iter::once(first).chain(triggers.try_iter());
                    self.reload(batch);
                }
                Err(RecvTimeoutError::Timeout) => self.catch_up_search(),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn reload(&mut self, batch: impl Iterator<Item = Trigger>) {
        let (mut paths, mut rescan) = (Vec::new(), false);
        for trigger in batch {
            match trigger {
                Trigger::Changed(changed) => paths.extend(changed),
                Trigger::Rescan => rescan = true,
            }
        }
        let started = Instant::now();
        let current = self.state.library.load_full();
        let reload = if rescan {
            match current.rescan(&self.dir, &self.options) {
                Ok(reload) => reload,
                Err(error) => return tracing::error!(%error, "rescan failed; still serving the previous snapshot"),
            }
        } else {
            let Some(reload) = current.apply(&self.dir, &self.options, paths) else { return };
            reload
        };
        let elapsed = started.elapsed();
        // The index changes before the snapshot does: rendered search pages
        // are cached per snapshot, so none may be cached for the new
        // snapshot from the old index.
        self.pending.add(reload.changed_articles(), reload.removed.clone());
        let indexing = Instant::now();
        self.pending.flush(&self.state.search);
        self.swap(reload, Timing { rescan, elapsed, search: indexing.elapsed() });
    }

    /// Applies changes that waited for the first index build; then a fresh
    /// snapshot generation drops search pages cached from the index as it
    /// was built.
    fn catch_up_search(&mut self) {
        if self.pending.flush(&self.state.search) {
            let renewed = self.state.library.load().renewed();
            self.state.library.store(Arc::new(renewed));
        }
    }

    /// Makes `reload` the current snapshot, then records and logs it.
    fn swap(&self, reload: Reload, timing: Timing) {
        let Reload { library, files, added, updated, removed, moved, problems } = reload;
        let (articles, total_problems) = (library.len(), library.problems().len());
        self.state.library.store(Arc::new(library));
        self.state.metrics.record_load(timing.elapsed, SystemTime::now());
        for problem in &problems {
            tracing::warn!(path = %problem.path.display(), reason = %problem.reason, "could not load article");
        }
        tracing::info!(
            kind = if timing.rescan { "rescan" } else { "changes" },
            files,
            added = added.len(),
            updated = updated.len(),
            removed = removed.len(),
            moved = moved.len(),
            problems = problems.len(),
            articles,
            total_problems,
            elapsed_ms = timing.elapsed.as_secs_f64() * 1000.0,
            search_ms = timing.search.as_secs_f64() * 1000.0,
            "reloaded articles"
        );
    }
}

/// How a reload went, for the log.
struct Timing {
    rescan: bool,
    /// Reading the changed files and building the next snapshot.
    elapsed: Duration,
    /// Updating the search index (before the swap).
    search: Duration,
}

/// Changes the search index has not taken yet: it refuses updates while
/// its first build runs, and that build indexes the snapshot it started
/// with, so later changes wait here and are applied once it is ready.
#[derive(Default)]
struct PendingSearch {
    changed: HashMap<ArticleId, Arc<Article>>,
    removed: HashSet<ArticleId>,
}

impl PendingSearch {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// Adds one reload's changes; the latest word on an id wins.
    fn add(&mut self, changed: Vec<Arc<Article>>, removed: Vec<ArticleId>) {
        for id in removed {
            self.changed.remove(&id);
            self.removed.insert(id);
        }
        for article in changed {
            self.removed.remove(&article.id);
            self.changed.insert(article.id.clone(), article);
        }
    }

    /// Hands the changes to the index, unless it is still being built;
    /// returns whether there were changes and the index took them.
    fn flush(&mut self, search: &SearchIndex) -> bool {
        if self.is_empty() {
            return false;
        }
        let started = Instant::now();
        let changed: Vec<&Article> = self.changed.values().map(|article| &**article).collect();
        let removed: Vec<ArticleId> = self.removed.iter().cloned().collect();
        match search.update(&changed, &removed) {
            Err(SearchError::NotReady { .. }) => return false,
            Ok(()) => tracing::debug!(
                changed = changed.len(),
                removed = removed.len(),
                elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                "search index updated"
            ),
            Err(error) => tracing::error!(%error, "search index update failed; search may show stale results"),
        }
        self.changed.clear();
        self.removed.clear();
        true
    }
}
