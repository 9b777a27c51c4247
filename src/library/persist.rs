//! A load's use of the cache folder: reading the last snapshot, reusing the
//! entries of files that did not change, keeping bodies in the body store,
//! and saving the new snapshot once the library is served.
//!
//! One folder per articles directory (`library-v1-<hash of its path>`),
//! holding `snapshot.bin`, one `bodies-<n>.bin` and a `lock` file. The
//! process that holds the lock writes; another replica sharing the folder
//! (same machine or shared storage) reads the snapshot and the body store
//! but keeps what it parses itself in memory, and never writes. A folder
//! that cannot be created or read costs only speed: the load reads every
//! file, as without a cache.
//!
//! A restart compares names first: the walk lists the files without
//! stat-ing them (at a million files the stats were most of a restart), a
//! file in the snapshot is taken from it, one that is not is read. The
//! server serves that library at once and then stats the files taken on
//! their names ([`Deferred::verify`]); those edited in place while it was
//! stopped are read again like a live change, seconds later, and left out
//! of the snapshot saved then.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::bodies::{self, BodyStore, BodyWriter};
use super::load::Candidate;
use super::read::{Loaded, ReadStamps};
use super::snapshot::{self, ArticleRecord, Entry, Outcome, Saved, Stale, Stamp};
use super::{Library, LoadOptions, LoadProblem};
use crate::article::Article;

const SNAPSHOT_FILE: &str = "snapshot.bin";

/// The cache folder of the articles directory `articles_dir` under
/// `cache_root`.
pub fn folder_for(cache_root: &Path, articles_dir: &Path) -> PathBuf {
    cache_root.join(format!("library-v{}-{:016x}", snapshot::FORMAT_VERSION, directory_key(articles_dir)))
}

/// What tells the cache folders of two articles directories apart: a hash
/// of the directory's canonical path (the search index's folder too).
pub fn directory_key(articles_dir: &Path) -> u64 {
    let articles_dir = std::fs::canonicalize(articles_dir).unwrap_or_else(|_| articles_dir.to_owned());
    xxhash_rust::xxh3::xxh3_64(articles_dir.as_os_str().as_encoded_bytes())
}

/// Nanoseconds since the Unix epoch, now.
pub fn now_ns() -> i64 {
    jiff::Timestamp::now().as_nanosecond().try_into().unwrap_or(i64::MAX)
}

/// Reads the snapshot in `folder` for a load of `dir` with `options`:
/// started beside the directory walk, on another thread.
pub fn read_previous(folder: &Path, dir: &Path, options: &LoadOptions) -> Result<Saved, Stale> {
    let started = std::time::Instant::now();
    let articles_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let read = snapshot::read(&folder.join(SNAPSHOT_FILE), &articles_dir, snapshot::options_key(options));
    tracing::debug!(elapsed = ?started.elapsed(), usable = read.is_ok(), "read the snapshot");
    read
}

/// A file's path, identity, and its sidecar's path and identity.
pub(crate) type FileStamps = (PathBuf, Stamp, Option<(PathBuf, Stamp)>);

/// The previous snapshot, ready to be compared with the files found.
struct Previous {
    /// Paths and identities, sorted by path.
    files: Vec<FileStamps>,
    /// What each file became, taken as files are matched.
    outcomes: Vec<Option<Outcome>>,
    scanned_ns: i64,
    store: Arc<BodyStore>,
}

/// The cache folder, opened for one load.
pub(crate) struct Persisted {
    folder: PathBuf,
    articles_dir: PathBuf,
    options: u64,
    /// Held while this process may write the folder.
    lock: Option<File>,
    writer: Option<BodyWriter>,
    previous: Option<Previous>,
    /// The identity of every file checked, by path (in no order).
    stamps: Vec<FileStamps>,
    /// Files taken from the snapshot on their names: their identity in it.
    unverified: Vec<FileStamps>,
    /// Whether the snapshot differs from the one read: there was none, an
    /// entry could not be used, a file it had is gone, or (set after the
    /// read, see [`Deferred::record_read`]) a file read has an entry now.
    changed: bool,
}

impl Persisted {
    /// Opens the folder for a load of `dir`, with the snapshot `previous`
    /// read from it. A folder that cannot be written is only read; one
    /// that cannot be read either leaves nothing to reuse.
    pub fn open(folder: &Path, dir: &Path, options: &LoadOptions, previous: Result<Saved, Stale>) -> Self {
        let articles_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
        let lock = std::fs::create_dir_all(folder)
            .and_then(|()| File::options().create(true).truncate(false).write(true).open(folder.join("lock")))
            .inspect_err(|error| {
                tracing::warn!(%error, folder = %folder.display(), "the cache folder is not writable; reading it only");
            })
            .ok()
            .filter(|lock| lock.try_lock().is_ok());
        let previous = match previous {
            Ok(saved) => open_previous_store(folder, &articles_dir, options, saved),
            Err(Stale::Missing) => None,
            Err(stale) => {
                tracing::info!(folder = %folder.display(), reason = %stale, "not using the saved snapshot; reading every file");
                None
            }
        };
        let writer = lock.as_ref().and_then(|_| {
            let store = match &previous {
                Some(previous) => previous.store.path().to_owned(),
                None => new_store_path(folder),
            };
            BodyWriter::open(&store, &articles_dir, options)
                .inspect_err(|error| tracing::warn!(%error, store = %store.display(), "cannot open the body store"))
                .ok()
        });
        if previous.is_none() && lock.is_none() {
            // Another process writes this folder and left nothing usable yet.
            tracing::info!(folder = %folder.display(), "the cache folder is in use by another process; reading every file");
        }
        let mut previous = previous;
        if let Some(writer) = &writer {
            remove_other_stores(folder, writer.store().path());
            // Reused bodies are read through the writer's store: the same
            // file, and the one the next snapshot must name.
            if let Some(previous) = previous.as_mut() {
                previous.store = Arc::clone(writer.store());
            }
        }
        let changed = previous.is_none();
        Self {
            folder: folder.to_owned(),
            articles_dir,
            options: snapshot::options_key(options),
            lock,
            writer,
            previous,
            stamps: Vec::new(),
            unverified: Vec::new(),
            changed,
        }
    }

    /// The body store new bodies go to, when this process writes.
    pub fn writer(&self) -> Option<&BodyWriter> {
        self.writer.as_ref()
    }

    /// Splits `candidates` into the files whose snapshot entry still holds
    /// (returned as loaded) and those to read. Candidates come in path
    /// order, as the snapshot's entries are, so matching is one pass.
    ///
    /// The walk reads names only (stat-ing a million files is most of a
    /// restart), so a candidate is taken from the snapshot on its name;
    /// [`Deferred::verify`] stats it once the library is served, and the
    /// files that changed while Broadsheet was stopped are then read like
    /// any live change. The identities of the files read are recorded as
    /// they are read ([`Self::record_read`]).
    pub(crate) fn reuse(&mut self, candidates: Vec<Candidate>) -> (Vec<(PathBuf, Loaded)>, Vec<Candidate>) {
        let started = std::time::Instant::now();
        let Some(mut previous) = self.previous.take() else {
            return (Vec::new(), candidates);
        };
        // Sized once: growing a vector of a million candidates copies them
        // into fresh pages again and again.
        let mut kept = Vec::with_capacity(candidates.len());
        let mut to_read = Vec::new();
        let mut cursor = 0;
        for candidate in candidates {
            let found = find(&previous.files, &mut cursor, &candidate.path);
            let reusable = |&index: &usize| {
                let (_, file, sidecar) = &previous.files[index];
                snapshot::reusable(file, sidecar.as_ref(), &candidate, previous.scanned_ns)
            };
            match found.filter(reusable).and_then(|index| Some((index, previous.outcomes[index].take()?))) {
                Some((index, outcome)) => kept.push((candidate, index, outcome)),
                None => to_read.push(candidate),
            }
        }
        let removed = previous.outcomes.iter().any(Option::is_some);
        // Files read may leave the snapshot as it is (see
        // `Deferred::record_read`).
        self.changed |= removed;
        tracing::debug!(elapsed = ?started.elapsed(), "compared the files with the snapshot");
        // An entry that does not read back (none, unless the snapshot was
        // written wrongly) is read from its file.
        let store = &previous.store;
        let files = &previous.files;
        let (loaded, unusable): (Vec<_>, Vec<_>) = kept
            .into_par_iter()
            .map(|(candidate, index, outcome)| match restore(&candidate.path, outcome, store) {
                Some(loaded) => Ok((loaded, files[index].clone())),
                None => Err(Box::new(candidate)),
            })
            .partition(Result::is_ok);
        if !unusable.is_empty() {
            tracing::warn!(files = unusable.len(), "snapshot entries that do not read back; reading the files");
            self.changed = true;
        }
        to_read.extend(unusable.into_iter().filter_map(Result::err).map(|candidate| *candidate));
        let mut restored = Vec::with_capacity(loaded.len());
        for (loaded, stamps) in loaded.into_iter().filter_map(Result::ok) {
            self.unverified.push(stamps);
            restored.push(loaded);
        }
        (restored, to_read)
    }

    /// The cache work left once the library is served: checking the files
    /// taken from the snapshot on their names, then saving the snapshot.
    /// `problems` are the problems of single files.
    pub fn defer(self, scanned_ns: i64, problems: &[LoadProblem]) -> Deferred {
        let problems = problems
            .iter()
            .map(|problem| (problem.path.clone(), snapshot::problem_code(problem.kind), problem.reason.clone()))
            .collect();
        Deferred { persisted: self, scanned_ns, problems }
    }
}

/// A candidate's path and the identities of its files as they were read.
/// A file the read could not open (no permission), or a sidecar it did
/// not get to (the article was too large) or could not open, is stat'ed
/// here instead: nothing was parsed from it, and the problem it caused is
/// recorded like any other, until its identity changes (a `chmod` moves
/// its change time). `None` when a file cannot even be stat'ed.
pub(crate) fn stamps_of(dir: &Path, candidate: &Candidate, read: ReadStamps) -> Option<FileStamps> {
    let file = read.file.or_else(|| stamp(&dir.join(&candidate.path)));
    let read = ReadStamps {
        file,
        sidecar: read.sidecar.or_else(|| candidate.sidecar.as_ref().and_then(|sidecar| stamp(&dir.join(sidecar)))),
    };
    let sidecar = match (&candidate.sidecar, read.sidecar) {
        (Some(path), Some(stamp)) => Some((path.clone(), stamp)),
        (None, _) => None,
        (Some(_), None) => return None,
    };
    Some((candidate.path.clone(), read.file?, sidecar))
}

/// The identity of the file at `path` now, without following a link.
fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(path).ok().map(|metadata| Stamp::of(&metadata))
}

/// What a load leaves to do with its cache folder after the library is
/// served (see [`Persisted::reuse`]).
pub struct Deferred {
    persisted: Persisted,
    scanned_ns: i64,
    problems: Vec<(PathBuf, u8, String)>,
}

impl Deferred {
    /// Files taken from the snapshot on their names alone, still to check.
    pub fn unverified(&self) -> usize {
        self.persisted.unverified.len()
    }

    /// Records the identities of the files this load read, for the next
    /// snapshot, which then differs from the last one unless every file
    /// read is one it leaves out (`left_out`: ignored files, articles that
    /// lost their id to another file) — so that an archive with such files
    /// is not saved again at every start.
    pub(crate) fn record_read(&mut self, read: Vec<FileStamps>, left_out: &HashSet<&Path>) {
        let persisted = &mut self.persisted;
        persisted.changed |= read.iter().any(|(path, ..)| !left_out.contains(path.as_path()));
        persisted.stamps.extend(read);
    }

    /// Stats every file taken from the snapshot on its name. Returns the
    /// paths (relative to the articles directory) whose file or sidecar is
    /// not the one the snapshot describes: they changed while Broadsheet
    /// was stopped, and the library must read them again (as a live reload
    /// does). Also returns the snapshot to save, when this process writes
    /// the folder and anything changed; it leaves out the changed files, so
    /// that what is saved for them is never the old text.
    pub fn verify(self) -> (Vec<PathBuf>, Option<PendingSave>) {
        let started = std::time::Instant::now();
        let Self { mut persisted, scanned_ns, problems } = self;
        let dir = &persisted.articles_dir;
        let (same, changed): (Vec<_>, Vec<_>) =
            std::mem::take(&mut persisted.unverified).into_par_iter().partition(|(path, file, sidecar)| {
                stamp(&dir.join(path)) == Some(*file)
                    && sidecar.as_ref().is_none_or(|(path, sidecar)| stamp(&dir.join(path)) == Some(*sidecar))
            });
        tracing::debug!(
            checked = same.len() + changed.len(),
            changed = changed.len(),
            elapsed = ?started.elapsed(),
            "checked the files taken from the snapshot"
        );
        persisted.stamps.extend(same);
        persisted.changed |= !changed.is_empty();
        let changed = changed.into_iter().map(|(path, ..)| path).collect();
        (changed, persisted.pending(scanned_ns, problems))
    }
}

impl Persisted {
    /// The snapshot to save after this load, when this process writes the
    /// folder and something changed since the last one.
    fn pending(self, scanned_ns: i64, problems: Vec<(PathBuf, u8, String)>) -> Option<PendingSave> {
        if !self.changed {
            return None;
        }
        let writer = self.writer?;
        Some(PendingSave {
            path: self.folder.join(SNAPSHOT_FILE),
            articles_dir: self.articles_dir,
            options: self.options,
            scanned_ns,
            stamps: self.stamps,
            problems,
            writer,
            _lock: self.lock,
        })
    }
}

/// The index of `path` in `files` (sorted by path): the entry at `cursor`
/// or after it when the walk and the snapshot go in step, else found by
/// binary search (a JSON article, which the scan lists last).
fn find(files: &[FileStamps], cursor: &mut usize, path: &Path) -> Option<usize> {
    while let Some((next, ..)) = files.get(*cursor) {
        // Equal bytes first: the usual case, and cheaper than comparing
        // component by component.
        if next.as_os_str() == path.as_os_str() {
            return Some(*cursor);
        }
        match next.as_path().cmp(path) {
            std::cmp::Ordering::Less => *cursor += 1,
            std::cmp::Ordering::Equal => return Some(*cursor),
            std::cmp::Ordering::Greater => break,
        }
    }
    files.binary_search_by(|(next, ..)| next.as_path().cmp(path)).ok()
}

/// What the file at `path` was loaded as (`outcome`), with its body in `store`.
fn restore(path: &Path, outcome: Outcome, store: &Arc<BodyStore>) -> Option<(PathBuf, Loaded)> {
    let loaded = match outcome {
        Outcome::Article(record) => {
            let at = record.body();
            let mut article = record.into_article(path.to_owned())?;
            article.stored = Some(store.stored(at));
            Loaded::Article(Arc::new(article))
        }
        Outcome::Problem { kind, reason } => Loaded::Problem(snapshot::problem_kind(kind)?, reason),
    };
    Some((path.to_owned(), loaded))
}

/// The previous snapshot with its body store, if the store is intact.
fn open_previous_store(folder: &Path, articles_dir: &Path, options: &LoadOptions, saved: Saved) -> Option<Previous> {
    let path = folder.join(&saved.store);
    let store = match BodyStore::open(&path, articles_dir, options) {
        Ok(store) => store,
        Err(error) => {
            tracing::info!(%error, store = %path.display(), "the snapshot's body store is gone; reading every file");
            return None;
        }
    };
    match store.file_len() {
        Ok(length) if length >= saved.store_len => {}
        _ => {
            tracing::info!(store = %path.display(), "the snapshot's body store is cut short; reading every file");
            return None;
        }
    }
    let (files, outcomes) =
        saved.entries.into_iter().map(|entry| ((entry.path, entry.file, entry.sidecar), Some(entry.outcome))).unzip();
    Some(Previous { files, outcomes, scanned_ns: saved.scanned_ns, store })
}

/// A name for a new body store.
fn new_store_path(folder: &Path) -> PathBuf {
    folder.join(format!("bodies-{}.bin", now_ns()))
}

/// Deletes body stores other than `keep`: no snapshot names them any more
/// (a replica still reading one keeps it open, and the kernel keeps its
/// bytes until it closes it).
fn remove_other_stores(folder: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bodies-")
            && name.ends_with(".bin")
            && path != keep
            && let Err(error) = std::fs::remove_file(&path)
        {
            tracing::warn!(%error, store = %path.display(), "cannot delete an old body store");
        }
    }
}

/// A snapshot to write once the library it describes is served.
pub struct PendingSave {
    path: PathBuf,
    articles_dir: PathBuf,
    options: u64,
    scanned_ns: i64,
    /// Paths and identities of the files checked (in no order; sorted when
    /// saved). Files that changed since the last snapshot are not among
    /// them, so the snapshot leaves them out.
    stamps: Vec<FileStamps>,
    problems: Vec<(PathBuf, u8, String)>,
    writer: BodyWriter,
    /// The folder stays this process's until the snapshot is written.
    _lock: Option<File>,
}

impl PendingSave {
    /// Writes the snapshot of `library`, which this load produced. Articles
    /// whose body is not in the store (it could not be written) and files
    /// without an identity (they could not be stat'ed) are left out: they
    /// are read again next time.
    pub fn save(mut self, library: &Library) -> std::io::Result<()> {
        let started = std::time::Instant::now();
        self.writer.sync()?;
        tracing::debug!(elapsed = ?started.elapsed(), "snapshot: body store synced");
        let store = self.writer.store();
        // Entries are made in path order, the snapshot's: walking the
        // library newest first and looking each path up in the sorted
        // identities cost two cache misses per step of each binary search
        // (11 s of a 1M save, beside the search build), and sorting the
        // entries 2 s more.
        self.stamps.sort_by(|a, b| a.0.cmp(&b.0));
        let by_path: HashMap<&Path, &Article, foldhash::fast::RandomState> = library
            .articles()
            .iter()
            .filter_map(|article| Some((article.path.as_deref()?, article.as_ref())))
            .collect();
        let mut entries: Vec<Entry> = self
            .stamps
            .iter()
            .filter_map(|(path, file, sidecar)| {
                let article = by_path.get(path.as_path())?;
                let at = bodies::position_in(article, store)?;
                let outcome = Outcome::Article(Box::new(ArticleRecord::new(article, at)));
                Some(Entry { path: path.clone(), file: *file, sidecar: sidecar.clone(), outcome })
            })
            .collect();
        tracing::debug!(elapsed = ?started.elapsed(), "snapshot: entries made");
        let stamps_of = |path: &Path| {
            let index = self.stamps.binary_search_by(|(next, ..)| next.as_path().cmp(path)).ok()?;
            let (_, file, sidecar) = &self.stamps[index];
            Some((*file, sidecar.clone()))
        };
        let problems = std::mem::take(&mut self.problems);
        entries.extend(problems.into_iter().filter_map(|(path, kind, reason)| {
            let (file, sidecar) = stamps_of(&path)?;
            Some(Entry { path, file, sidecar, outcome: Outcome::Problem { kind, reason } })
        }));
        // Articles in order, then the (few) problems: the sort merges them.
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        tracing::debug!(elapsed = ?started.elapsed(), "snapshot: entries sorted");
        let store_name = store.path().file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let saved = Saved {
            build: snapshot::build_id(),
            articles_dir: self.articles_dir,
            options: self.options,
            store: store_name,
            store_len: self.writer.len(),
            scanned_ns: self.scanned_ns,
            entries,
        };
        snapshot::write(&self.path, &saved)?;
        tracing::info!(
            entries = saved.entries.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            snapshot = %self.path.display(),
            "saved the library snapshot"
        );
        Ok(())
    }
}
