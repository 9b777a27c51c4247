//! The next snapshot from the previous one plus what changed.
//!
//! [`Library::apply`] re-reads only the files a set of changed paths
//! touches and splices the results into the previous snapshot's order (no
//! sort), patching its indexes (no rebuild), so one changed file costs a
//! copy of the list of `Arc`s and a pass over integer positions however
//! large the library. [`Library::rescan`] reads everything
//! again (SIGHUP) and diffs. Both carry the history of moved and deleted
//! ids forward.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::changes::{self, Affected};
use super::history::{Departures, History, fingerprint};
use super::splice::{Indexes, Splice};
use crate::article::{Article, ArticleId};
use crate::library::load::duplicate_id;
use crate::library::read::{Loaded, load_file};
use crate::library::{Library, LoadError, LoadOptions, LoadProblem, load_dir_with};

/// A new snapshot and what changed since the previous one.
#[derive(Debug)]
pub struct Reload {
    pub library: Library,
    /// Article files looked at (every file, for a rescan).
    pub files: usize,
    pub added: Vec<ArticleId>,
    pub updated: Vec<ArticleId>,
    pub removed: Vec<ArticleId>,
    /// Renamed files whose content did not change: (old id, new id).
    pub moved: Vec<(ArticleId, ArticleId)>,
    /// Problems this reload found (all of them, for a rescan).
    pub problems: Vec<LoadProblem>,
    /// Image files added, changed or removed (0: the images are the same).
    pub media: usize,
}

impl Reload {
    /// This reload, with the images of a separate `--media-root` at
    /// `changed` (relative to it) looked at again too.
    pub(super) fn with_media_root_changes(mut self, changed: &[PathBuf], max_file_size: u64) -> Self {
        if let Some(media) = self.library.media.updated_media_root(changed, max_file_size) {
            self.library.media = Arc::new(media);
            self.media += changed.len();
        }
        self
    }

    /// The added and updated articles, as the new snapshot holds them.
    pub fn changed_articles(&self) -> Vec<Arc<Article>> {
        self.added.iter().chain(&self.updated).filter_map(|id| self.library.get(id.as_str())).cloned().collect()
    }
}

/// How a reload treats a file that no longer loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// A live change: the last good version stays served.
    Live,
    /// A change found after the fact: as a full load would.
    AsLoaded,
}

/// What one reload does to the previous snapshot.
#[derive(Debug, Default)]
pub(super) struct Edit {
    /// New or changed articles by id; an upsert wins over a removal of the
    /// same id (`a.txt` renamed to `a.md` keeps the id).
    upserts: HashMap<ArticleId, Article>,
    removals: BTreeSet<ArticleId>,
    problems: Vec<LoadProblem>,
    /// Files whose article this reload dropped because they no longer
    /// load: they no longer hold their id against a duplicate.
    released: BTreeSet<PathBuf>,
}

impl Edit {
    pub(super) fn upsert(&mut self, article: Article) {
        self.removals.remove(&article.id);
        self.upserts.insert(article.id.clone(), article);
    }

    /// Upserts the article read from `path`, unless this reload already
    /// read another file with its id: then, as in a full load, the path that
    /// sorts first wins and the other is a problem.
    fn upsert_from(&mut self, path: &Path, article: Article) {
        let earlier = self.upserts.get(&article.id).and_then(|kept| kept.path.clone());
        match earlier.filter(|earlier| earlier != path) {
            Some(earlier) if earlier.as_path() < path => self.duplicate(path, &earlier, &article.id),
            Some(later) => {
                self.duplicate(&later, path, &article.id);
                self.upsert(article);
            }
            None => self.upsert(article),
        }
    }

    /// Records that `loser` has the same id as `winner` (the message of a
    /// full load, so both agree).
    fn duplicate(&mut self, loser: &Path, winner: &Path, id: &ArticleId) {
        self.problems.push(duplicate_id(loser.to_owned(), id, winner));
    }

    pub(super) fn remove(&mut self, id: ArticleId) {
        if !self.upserts.contains_key(&id) {
            self.removals.insert(id);
        }
    }
}

impl Library {
    /// The next snapshot after the paths in `changed` (relative to `dir`)
    /// changed on disk, or `None` when none of them concerns an article.
    pub fn apply(
        &self,
        dir: &Path,
        options: &LoadOptions,
        changed: impl IntoIterator<Item = PathBuf>,
    ) -> Option<Reload> {
        self.apply_as(dir, options, changed, Reading::Live)
    }

    /// [`Self::apply`] for files that changed while Broadsheet was stopped
    /// (found by a restart's check, see [`crate::library::persist::Deferred`]):
    /// the result is what a full load would give. A file that no longer
    /// loads loses its article (a live change keeps the last good version
    /// instead: a file being saved may be half-written), and the library's
    /// time of change is the newest file time, as a load's is.
    pub fn apply_as_loaded(
        &self,
        dir: &Path,
        options: &LoadOptions,
        changed: impl IntoIterator<Item = PathBuf>,
    ) -> Option<Reload> {
        let mut reload = self.apply_as(dir, options, changed, Reading::AsLoaded)?;
        reload.library.changed_at = reload.library.articles().par_iter().filter_map(|article| article.modified).max();
        Some(reload)
    }

    fn apply_as(
        &self,
        dir: &Path,
        options: &LoadOptions,
        changed: impl IntoIterator<Item = PathBuf>,
        reading: Reading,
    ) -> Option<Reload> {
        let mut affected = changes::affected(dir, options, changed);
        let media = self.media.updated(&affected.media, &affected.vanished, options.max_file_size);
        if affected.files.is_empty() && affected.vanished.is_empty() && media.is_none() {
            return None;
        }
        self.add_duplicates_of(&mut affected);
        let mut edit = Edit::default();
        for path in &affected.files {
            self.examine(dir, options, path, reading, &mut edit);
        }
        self.remove_vanished(&affected, &mut edit);
        // A file can be found a duplicate twice (from each side): once is enough.
        let mut seen = BTreeSet::new();
        edit.problems.retain(|problem| seen.insert(problem.path.clone()));
        let problems = self.problems_after(&affected, &edit);
        let mut reload = self.splice(edit, problems, affected.files.len());
        if let Some(media) = media {
            reload.library.media = Arc::new(media);
            reload.library.changed_at = Some(jiff::Timestamp::now()).max(self.changed_at);
            reload.media = affected.media.len();
        }
        Some(reload)
    }

    /// The next snapshot after images of a separate `--media-root` changed
    /// (paths relative to it), or `None` when none of them is an image.
    pub fn apply_media_root(&self, changed: &[PathBuf], max_file_size: u64) -> Option<Reload> {
        let media = self.media.updated_media_root(changed, max_file_size)?;
        let mut reload = self.splice(Edit::default(), self.problems.clone(), 0);
        reload.library.media = Arc::new(media);
        reload.library.changed_at = Some(jiff::Timestamp::now()).max(self.changed_at);
        reload.media = changed.len();
        Some(reload)
    }

    /// Reads every file again and diffs the result with this snapshot. A
    /// file that no longer parses keeps its last good version, as in
    /// [`Self::apply`].
    pub fn rescan(&self, dir: &Path, options: &LoadOptions) -> Result<Reload, LoadError> {
        let fresh = load_dir_with(dir, options)?;
        let files = fresh.len() + fresh.problems.len();
        let mut edit = Edit::default();
        for article in &fresh.articles {
            match self.get(article.id.as_str()) {
                Some(old) if old == article => {}
                _ => edit.upsert(Article::clone(article)),
            }
        }
        let mut problems = Vec::with_capacity(fresh.problems.len());
        let mut kept = BTreeSet::new();
        for mut problem in fresh.problems.iter().cloned() {
            if self.holds_file(&problem.path) && dir.join(&problem.path).is_file() {
                kept.insert(ArticleId::from_relative_path(&problem.path));
                problem.kept_previous = true;
            }
            problems.push(problem);
        }
        for article in &self.articles {
            if fresh.get(article.id.as_str()).is_none() && !kept.contains(&article.id) {
                edit.remove(article.id.clone());
            }
        }
        let media_changed = fresh.media.files() != self.media.files();
        let mut reload = self.splice(edit, problems, files);
        if media_changed {
            reload.library.changed_at = Some(jiff::Timestamp::now()).max(self.changed_at);
            reload.media = fresh.media.len();
        }
        reload.library.media = Arc::clone(&fresh.media);
        Ok(reload)
    }

    /// The same snapshot under a new generation, so caches keyed by
    /// generation start afresh (after the search index caught up).
    pub fn renewed(&self) -> Library {
        let indexes = Indexes {
            positions: self.positions.clone(),
            sections: self.sections.clone(),
            sources: self.sources.clone(),
            tags: self.tags.clone(),
            archive: self.archive.clone(),
        };
        let mut renewed =
            Library::assemble(self.articles.clone(), indexes, self.problems.clone(), Arc::clone(&self.history));
        renewed.changed_at = self.changed_at;
        renewed.media = Arc::clone(&self.media);
        renewed
    }

    /// Adds the files that lost to a duplicate id of a changed file: when
    /// the winner changes or goes, they are read again, so the library is
    /// what a full load would find.
    fn add_duplicates_of(&self, affected: &mut Affected) {
        if self.problems.is_empty() {
            return;
        }
        let ids: BTreeSet<ArticleId> =
            affected.files.iter().chain(&affected.vanished).map(|path| ArticleId::from_relative_path(path)).collect();
        for problem in &self.problems {
            if ids.contains(&ArticleId::from_relative_path(&problem.path)) {
                affected.files.insert(problem.path.clone());
            }
        }
    }

    /// Reads one article file again and records what became of it.
    fn examine(&self, dir: &Path, options: &LoadOptions, path: &Path, reading: Reading, edit: &mut Edit) {
        let id = ArticleId::from_relative_path(path);
        let holder = self.get(id.as_str());
        let ours = holder.filter(|article| article.path.as_deref() == Some(path));
        let candidate = changes::candidate(dir, options, path);
        let (Some(candidate), true) = (candidate, dir.join(path).is_file()) else {
            if ours.is_some() {
                edit.remove(id);
            }
            return;
        };
        match load_file(dir, &candidate, options.max_file_size) {
            // Of two files with one id the path that sorts first wins, as in
            // a full load, so a restart or another replica serves the same.
            Loaded::Article(article) => match holder.and_then(|holder| holder.path.as_deref()) {
                // `other` may still exist as a sidecar now, which holds no id.
                Some(other)
                    if other != path
                        && !edit.released.contains(other)
                        && dir.join(other).is_file()
                        && changes::candidate(dir, options, other).is_some() =>
                {
                    if path < other {
                        edit.duplicate(other, path, &id);
                        edit.upsert_from(path, Arc::unwrap_or_clone(article));
                    } else {
                        edit.duplicate(path, other, &id);
                    }
                }
                _ => edit.upsert_from(path, Arc::unwrap_or_clone(article)),
            },
            Loaded::Problem(kind, reason) => {
                let kept_previous = ours.is_some() && reading == Reading::Live;
                if ours.is_some() && !kept_previous {
                    edit.remove(id);
                    edit.released.insert(path.to_owned());
                }
                edit.problems.push(LoadProblem { kept_previous, ..LoadProblem::new(path.to_owned(), kind, reason) });
            }
            Loaded::Ignored(_) if ours.is_some() => {
                edit.remove(id);
                edit.released.insert(path.to_owned());
            }
            Loaded::Ignored(_) => {}
        }
    }

    /// Removes the articles under paths that disappeared and were folders
    /// (one pass over the library, only when such a path is reported).
    fn remove_vanished(&self, affected: &Affected, edit: &mut Edit) {
        let folders: Vec<&PathBuf> = affected.vanished.iter().filter(|path| !self.holds_file(path)).collect();
        if folders.is_empty() {
            return;
        }
        for article in &self.articles {
            let Some(path) = article.path.as_deref() else { continue };
            if folders.iter().any(|folder| path.starts_with(folder)) {
                edit.remove(article.id.clone());
            }
        }
    }

    /// Whether `path` is the file of an article in this snapshot.
    fn holds_file(&self, path: &Path) -> bool {
        let id = ArticleId::from_relative_path(path);
        self.get(id.as_str()).is_some_and(|article| article.path.as_deref() == Some(path))
    }

    /// The previous problems of files this reload did not look at, and the
    /// new ones.
    fn problems_after(&self, affected: &Affected, edit: &Edit) -> Vec<LoadProblem> {
        let looked_at = |path: &Path| {
            affected.files.contains(path) || affected.vanished.iter().any(|vanished| path.starts_with(vanished))
        };
        let kept = self.problems.iter().filter(|problem| !looked_at(&problem.path)).cloned();
        kept.chain(edit.problems.iter().cloned()).collect()
    }

    /// Builds the next snapshot: drops removed and replaced articles, merges
    /// the new ones into the order, and records moved and gone ids.
    pub(super) fn splice(&self, edit: Edit, problems: Vec<LoadProblem>, files: usize) -> Reload {
        let removed: Vec<ArticleId> =
            edit.removals.into_iter().filter(|id| self.position(id.as_str()).is_some()).collect();
        let mut departures = Departures::default();
        for id in &removed {
            if let Some(article) = self.get(id.as_str()) {
                departures.left.push((id.clone(), fingerprint(article)));
            }
        }
        let (mut added, mut updated) = (Vec::new(), Vec::new());
        let mut dropped: Vec<usize> = removed.iter().filter_map(|id| self.position(id.as_str())).collect();
        let mut incoming = Vec::with_capacity(edit.upserts.len());
        for (id, article) in edit.upserts {
            if let Some(position) = self.position(id.as_str()) {
                dropped.push(position);
                updated.push(id);
            } else {
                departures.arrived.push((id.clone(), fingerprint(&article)));
                added.push(id);
            }
            incoming.push(Arc::new(article));
        }
        added.sort();
        updated.sort();
        let started = std::time::Instant::now();
        let (articles, splice) = Splice::apply(&self.articles, dropped, incoming);
        let merged = started.elapsed();
        let (history, moved) = self.next_history(&departures);
        let new_problems = problems.iter().filter(|problem| !self.problems.contains(problem)).cloned().collect();
        let mut library = self.spliced(articles, &splice, problems, history);
        let changed = !(added.is_empty() && updated.is_empty() && removed.is_empty());
        // `max`: the clock may step back, the time of a change may not.
        library.changed_at = if changed { Some(jiff::Timestamp::now()).max(self.changed_at) } else { self.changed_at };
        tracing::debug!(?merged, indexed = ?(started.elapsed() - merged), "next snapshot built");
        library.media = Arc::clone(&self.media);
        Reload { library, files, added, updated, removed, moved, problems: new_problems, media: 0 }
    }

    /// The history after `departures`, shared with this snapshot when they
    /// change nothing in it, and the moves found.
    fn next_history(&self, departures: &Departures) -> (Arc<History>, Vec<(ArticleId, ArticleId)>) {
        if !self.history.is_affected_by(departures) {
            return (Arc::clone(&self.history), Vec::new());
        }
        let mut history = History::clone(&self.history);
        let moved = history.record(departures);
        (Arc::new(history), moved)
    }
}
