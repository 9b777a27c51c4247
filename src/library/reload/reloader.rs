//! The reloader thread: takes the watcher's triggers in batches, builds
//! each next snapshot, updates the search index, swaps the snapshot in and
//! logs what changed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use super::{Reload, Target, Trigger};
use crate::article::{Article, ArticleId};
use crate::library::LoadOptions;
use crate::library::search::{SearchError, SearchIndex};

/// How often changes waiting for the search index to be built are retried.
const SEARCH_RETRY: Duration = Duration::from_millis(500);

pub(super) struct Reloader {
    target: Target,
    dir: PathBuf,
    options: LoadOptions,
    pending: PendingSearch,
}

impl Reloader {
    pub(super) fn new(target: Target, dir: PathBuf, options: LoadOptions) -> Self {
        Self { target, dir, options, pending: PendingSearch::default() }
    }

    pub(super) fn run(mut self, triggers: &Receiver<Trigger>) {
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
        let (mut paths, mut media_root_paths, mut rescan) = (Vec::new(), Vec::new(), false);
        let mut while_stopped = Vec::new();
        for trigger in batch {
            match trigger {
                Trigger::Changed(changed) => paths.extend(changed),
                Trigger::MediaRootChanged(changed) => media_root_paths.extend(changed),
                Trigger::Rescan => rescan = true,
                Trigger::ChangedWhileStopped(changed) => while_stopped.extend(changed),
            }
        }
        // Its own reload, read as a full load would; a rescan reads them too.
        if !while_stopped.is_empty() && !rescan {
            self.reload_while_stopped(while_stopped);
        }
        if paths.is_empty() && media_root_paths.is_empty() && !rescan {
            return;
        }
        let started = Instant::now();
        let current = self.target.library.load_full();
        let reload = if rescan {
            match current.rescan(&self.dir, &self.options) {
                Ok(reload) => reload,
                Err(error) => return tracing::error!(%error, "rescan failed; still serving the previous snapshot"),
            }
        } else {
            let reload = current.apply(&self.dir, &self.options, paths);
            let reload = match reload {
                Some(reload) => Some(reload.with_media_root_changes(&media_root_paths, self.options.max_file_size)),
                None => current.apply_media_root(&media_root_paths, self.options.max_file_size),
            };
            let Some(reload) = reload else { return };
            reload
        };
        let elapsed = started.elapsed();
        // The index changes before the snapshot does: rendered search pages
        // are cached per snapshot, so none may be cached for the new
        // snapshot from the old index.
        self.index_and_swap(reload, rescan, elapsed);
    }

    /// Brings the search index along with `reload`, then swaps it in.
    fn index_and_swap(&mut self, reload: Reload, rescan: bool, elapsed: std::time::Duration) {
        self.pending.add(reload.changed_articles(), reload.removed.clone());
        let indexing = Instant::now();
        self.pending.flush(&self.target.search);
        self.swap(reload, Timing { rescan, elapsed, search: indexing.elapsed() });
    }

    /// Reads the files a restart found changed since its snapshot.
    fn reload_while_stopped(&mut self, paths: Vec<PathBuf>) {
        let started = Instant::now();
        let current = self.target.library.load_full();
        let Some(reload) = current.apply_as_loaded(&self.dir, &self.options, paths) else { return };
        self.index_and_swap(reload, false, started.elapsed());
    }

    /// Applies changes that waited for the first index build; then a fresh
    /// snapshot generation drops search pages cached from the index as it
    /// was built.
    fn catch_up_search(&mut self) {
        if self.pending.flush(&self.target.search) {
            let renewed = self.target.library.load().renewed();
            self.target.library.store(Arc::new(renewed));
        }
    }

    /// Makes `reload` the current snapshot, then records and logs it.
    fn swap(&self, reload: Reload, timing: Timing) {
        let Reload { library, files, added, updated, removed, moved, problems, media } = reload;
        let (articles, total_problems) = (library.len(), library.problems().len());
        let current = Arc::new(library);
        let previous = self.target.library.swap(Arc::clone(&current));
        (self.target.on_reload)(&super::Swapped {
            elapsed: timing.elapsed,
            finished: SystemTime::now(),
            previous: &previous,
            current: &current,
            added: &added,
            updated: &updated,
            removed: &removed,
            moved: &moved,
            images: media,
        });
        for problem in &problems {
            tracing::warn!(path = %problem.path.display(), reason = %problem.message(), "could not load article");
        }
        tracing::info!(
            kind = if timing.rescan { "rescan" } else { "changes" },
            files,
            added = added.len(),
            updated = updated.len(),
            removed = removed.len(),
            moved = moved.len(),
            images = media,
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
