//! Loading a directory: finding article files and their sidecars, reading
//! and parsing them in parallel, and accounting for every file.
//!
//! Every file under the directory ends up as exactly one of: an article, a
//! sidecar (metadata for an article), an ignored file (hidden, temporary, or
//! not an article extension — see [`LoadReport::ignored`]), or a
//! [`LoadProblem`]. Nothing vanishes silently.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use thiserror::Error;

use super::media::{self, MediaIndex};
use super::read::{Loaded, load_file_stamped};
use super::sibling;
use super::{Library, LoadProblem, ProblemKind};
use crate::article::{self, Article, ArticleId, FileKind};

/// Why a whole directory could not be loaded (as opposed to one file in it,
/// which is a [`LoadProblem`]).
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("articles directory {path} does not exist; create it or pass --articles DIR")]
    Missing { path: PathBuf },
    #[error("{path} is not a directory; pass the folder that holds the article files")]
    NotADirectory { path: PathBuf },
    #[error("cannot read articles directory {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
}

/// The default article extensions; Markdown ones are rendered as Markdown,
/// `.story`, `.article` and `.json` have formats of their own (a `.json`
/// file is first a sidecar, if it has an article to describe).
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "story", "article", "json"];

/// The default largest file read, 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Extensions that mean Markdown.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// What to load from a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Extensions of article files, lower case, without the dot. Files with
    /// no extension are read too when their content is text.
    pub extensions: Vec<String>,
    /// Larger files are load problems and are not read.
    pub max_file_size: u64,
    /// Where root-relative image paths (`/assets/x.jpg`) are looked up;
    /// `None`: the articles directory.
    pub media_root: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            extensions: DEFAULT_EXTENSIONS.iter().map(|extension| (*extension).to_owned()).collect(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            media_root: None,
        }
    }
}

/// A file that is deliberately not an article, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Relative to the articles directory; folders end with `/`.
    pub path: PathBuf,
    pub reason: String,
}

/// The files of a directory that did not become articles or problems.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Hidden, temporary and non-article files, sorted by path.
    pub ignored: Vec<Ignored>,
    /// Sidecar metadata files that were applied to an article, sorted.
    pub sidecars: Vec<PathBuf>,
}

/// Loads every article file under `dir` with the default options.
pub fn load_dir(dir: &Path) -> Result<Library, LoadError> {
    load_dir_with(dir, &LoadOptions::default())
}

/// Loads every article file under `dir` into a [`Library`]. Files that cannot
/// be read or parsed become problems in the library; only a missing or
/// unreadable directory is an error.
pub fn load_dir_with(dir: &Path, options: &LoadOptions) -> Result<Library, LoadError> {
    load_dir_report(dir, options).map(|(library, _)| library)
}

/// How far a load has got, readable from other threads while it runs: the
/// server answers `/healthz` with it, and `check` draws its progress bar.
#[derive(Debug, Default)]
pub struct LoadProgress {
    found: AtomicUsize,
    read: AtomicUsize,
    unchecked: AtomicUsize,
}

impl LoadProgress {
    /// Article files found by the scan (0 until it ends).
    pub fn found(&self) -> usize {
        self.found.load(Ordering::Relaxed)
    }

    /// Article files read and parsed so far.
    pub fn read(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }

    /// Files served as the snapshot knows them whose identity is still to
    /// be checked (see [`super::persist::Deferred::verify`]); 0 once done.
    pub fn unchecked(&self) -> usize {
        self.unchecked.load(Ordering::Relaxed)
    }

    /// Records how many files are still to be checked.
    pub fn set_unchecked(&self, files: usize) {
        self.unchecked.store(files, Ordering::Relaxed);
    }
}

/// Like [`load_dir_with`], also returning the ignored and sidecar files.
pub fn load_dir_report(dir: &Path, options: &LoadOptions) -> Result<(Library, LoadReport), LoadError> {
    load_dir_progress(dir, options, &LoadProgress::default())
}

/// [`load_dir_report`], counting files found and read in `progress`.
pub fn load_dir_progress(
    dir: &Path,
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<(Library, LoadReport), LoadError> {
    load_dir_cached(dir, options, progress, None).map(|loaded| (loaded.library, loaded.report))
}

/// Where [`load_dir_cached`] keeps what it learns about a directory.
#[derive(Debug, Clone, Copy)]
pub struct CacheFolder<'a> {
    /// This directory's own folder (see [`super::persist::folder_for`]).
    pub folder: &'a Path,
    /// Directories with fewer article files are not cached: they load in
    /// moments, and caching each would leave a folder behind for every
    /// small (test) directory.
    pub min_files: usize,
}

/// What [`load_dir_cached`] returns: the library, the files that are not
/// articles, and the snapshot to save once the library is being served.
pub struct CachedLoad {
    pub library: Library,
    pub report: LoadReport,
    pub save: Option<super::persist::PendingSave>,
    /// Files taken from the snapshot instead of being read.
    pub reused: usize,
}

/// [`load_dir_progress`] with a cache folder for this directory (see
/// [`super::persist`]): files unchanged since the snapshot saved there are
/// not read again, and bodies go to its body store instead of memory.
/// Without a folder (or when it cannot be used) everything is read and
/// kept in memory.
pub fn load_dir_cached(
    dir: &Path,
    options: &LoadOptions,
    progress: &LoadProgress,
    cache: Option<CacheFolder<'_>>,
) -> Result<CachedLoad, LoadError> {
    let (mut loaded, deferred) = load_dir_deferred(dir, options, progress, cache)?;
    if let Some(deferred) = deferred {
        let (changed, save) = deferred.verify();
        loaded.reused -= changed.len();
        if let Some(reload) = loaded.library.apply_as_loaded(dir, options, changed) {
            loaded.library = reload.library;
        }
        loaded.save = save;
    }
    Ok(loaded)
}

/// [`load_dir_cached`] for a server, which serves the library before the
/// files taken from the snapshot are checked: returns the library as the
/// snapshot knows it (files added and removed while Broadsheet was stopped
/// are already accounted for; only edits in place are not) and the check
/// still to make (its changed files are then read as a live reload would;
/// see [`super::persist::Deferred::verify`]). The returned `save` is
/// `None`: the check gives it.
pub fn load_dir_deferred(
    dir: &Path,
    options: &LoadOptions,
    progress: &LoadProgress,
    cache: Option<CacheFolder<'_>>,
) -> Result<(CachedLoad, Option<super::persist::Deferred>), LoadError> {
    let started = Instant::now();
    check_directory(dir)?;
    let scanned_at = super::persist::now_ns();
    // The walk only lists names: files taken from the snapshot are stat'ed
    // after the library is served, files read as they are read.
    // The snapshot is read and decoded on another thread while the
    // directory is walked: both take a second or two at a million files.
    let (mut scan, previous) = std::thread::scope(|scope| {
        let previous = cache.map(|cache| scope.spawn(|| super::persist::read_previous(cache.folder, dir, options)));
        let scan = scan(dir, options);
        let previous = previous.map(|reading| reading.join().unwrap_or(Err(super::snapshot::Stale::Missing)));
        (scan, previous)
    });
    tracing::debug!(files = scan.candidates.len(), elapsed = ?started.elapsed(), "walked the directory");
    progress.found.store(scan.candidates.len(), Ordering::Relaxed);
    let mut persisted = cache
        .zip(previous)
        .filter(|(cache, _)| scan.candidates.len() >= cache.min_files)
        .map(|(cache, previous)| super::persist::Persisted::open(cache.folder, dir, options, previous));
    let (mut results, to_read) = match persisted.as_mut() {
        Some(persisted) => persisted.reuse(std::mem::take(&mut scan.candidates)),
        None => (Vec::new(), std::mem::take(&mut scan.candidates)),
    };
    let reused = results.len();
    progress.read.store(reused, Ordering::Relaxed);
    tracing::debug!(reused = results.len(), to_read = to_read.len(), elapsed = ?started.elapsed(), "directory scanned");
    let store = persisted.as_ref().and_then(super::persist::Persisted::writer);
    let (read, stamps) = read_candidates(dir, &to_read, options, progress, store);
    results.extend(read);
    let mut articles = Vec::with_capacity(results.len());
    let mut file_problems = Vec::new();
    for (path, loaded) in results {
        match loaded {
            Loaded::Article(article) => articles.push((path, article)),
            Loaded::Problem(kind, reason) => file_problems.push(LoadProblem::new(path, kind, reason)),
            Loaded::Ignored(reason) => scan.report.ignored.push(Ignored { path, reason: reason.to_owned() }),
        }
    }
    let mut deferred = persisted.map(|persisted| persisted.defer(scanned_at, &file_problems));
    scan.problems.extend(file_problems);
    tracing::debug!(elapsed = ?started.elapsed(), "sorted the results");
    let articles = drop_duplicate_ids(articles, &mut scan.problems);
    if let Some(deferred) = deferred.as_mut() {
        deferred.record_read(stamps, &left_out(&scan));
    }
    tracing::debug!(elapsed = ?started.elapsed(), "dropped duplicate ids");
    for problem in &scan.problems {
        tracing::warn!(path = %problem.path.display(), reason = %problem.message(), "could not load article");
    }
    scan.report.ignored.sort_by(|a, b| a.path.cmp(&b.path));
    let media = MediaIndex::from_found(dir, scan.media, options.media_root.as_deref(), options.max_file_size);
    tracing::debug!(articles = articles.len(), images = media.len(), elapsed = ?started.elapsed(), "directory parsed");
    let library = Library::from_shared(articles, scan.problems).with_media(media);
    tracing::debug!(elapsed = ?started.elapsed(), "library indexed");
    Ok((CachedLoad { library, report: scan.report, save: None, reused }, deferred))
}

/// Reads and parses `candidates` on the reading threads. Each thread puts
/// the bodies of a run of files away as soon as it has read them: into
/// `store` when there is one, else packed in memory (see [`article::pack`]),
/// so their own allocations are freed while the load goes on and the
/// thread's heap reuses them for the next run (packing after the whole load
/// held every body twice at the peak: about 1 GB of RSS at 100k articles,
/// for 550 MB once settled).
fn read_candidates(
    dir: &Path,
    candidates: &[Candidate],
    options: &LoadOptions,
    progress: &LoadProgress,
    store: Option<&super::bodies::BodyWriter>,
) -> ReadFiles {
    let store_failed = std::sync::atomic::AtomicBool::new(false);
    let read_all = || -> Vec<ReadFiles> {
        // Runs short enough that a small directory still keeps every thread busy.
        let run = candidates.len().div_ceil(rayon::current_num_threads()).clamp(1, ARTICLES_PER_STRING);
        candidates
            .par_chunks(run)
            .map(|run| {
                let mut stamps = Vec::new();
                let mut loaded: Vec<(PathBuf, Loaded)> = run
                    .iter()
                    .map(|candidate| {
                        let (loaded, read) = load_file_stamped(dir, candidate, options.max_file_size);
                        // Identities only matter to a snapshot, saved with a body store.
                        if store.is_some() {
                            stamps.extend(super::persist::stamps_of(dir, candidate, read));
                        }
                        (candidate.path.clone(), loaded)
                    })
                    .collect();
                progress.read.fetch_add(run.len(), Ordering::Relaxed);
                let stored = store
                    .filter(|_| !store_failed.load(Ordering::Relaxed))
                    .map(|store| store.store_bodies(articles_of(&mut loaded)));
                if let Some(Err(error)) = &stored
                    && !store_failed.swap(true, Ordering::Relaxed)
                {
                    tracing::warn!(%error, "cannot write to the body store; keeping bodies in memory");
                }
                if !matches!(stored, Some(Ok(()))) {
                    article::pack(articles_of(&mut loaded).map(|article| &mut article.paragraphs));
                }
                (loaded, stamps)
            })
            .collect()
    };
    let runs = match reading_pool() {
        Some(pool) => pool.install(read_all),
        None => read_all(),
    };
    let (mut loaded, mut stamps) = (Vec::with_capacity(candidates.len()), Vec::new());
    for (run_loaded, run_stamps) in runs {
        loaded.extend(run_loaded);
        stamps.extend(run_stamps);
    }
    (loaded, stamps)
}

/// Files a snapshot has no entry for: ignored files, and articles that
/// lost their id to another file.
fn left_out(scan: &Scan) -> std::collections::HashSet<&Path> {
    let losers = scan.problems.iter().filter(|problem| problem.kind == ProblemKind::DuplicateId);
    losers
        .map(|problem| problem.path.as_path())
        .chain(scan.report.ignored.iter().map(|ignored| ignored.path.as_path()))
        .collect()
}

/// What became of files read, and their identities (for the snapshot;
/// none without a cache folder, nor for files that cannot be stat'ed).
type ReadFiles = (Vec<(PathBuf, Loaded)>, Vec<super::persist::FileStamps>);

/// The articles among loaded files.
fn articles_of(loaded: &mut [(PathBuf, Loaded)]) -> impl Iterator<Item = &mut Article> {
    loaded.iter_mut().filter_map(|(_, loaded)| match loaded {
        // Unique until the library is built.
        Loaded::Article(article) => Arc::get_mut(article),
        _ => None,
    })
}

/// Threads that read and parse files: more than the cores, because on a
/// cold OS page cache each thread mostly waits for the disk, and two kept
/// the disk's queue short (100k files: 9.3 s with 2 threads, 5.3 s with
/// 16). On a warm cache they only take turns on the cores. `None` when the
/// threads cannot be started (the global pool then does the work).
///
/// A pool per load, ended with it: an idle thread keeps the emptied pages
/// of its allocator heap (a pool kept for the process's life cost 45 MiB
/// of RSS at 100k articles; ending it, 20 MiB less than the global pool).
fn reading_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    rayon::ThreadPoolBuilder::new()
        .num_threads((cores * READING_THREADS_PER_CORE).clamp(4, MAX_READING_THREADS.max(cores)))
        .thread_name(|index| format!("load-{index}"))
        .build()
        .inspect_err(|error| tracing::warn!(%error, "cannot start the file reading threads"))
        .ok()
}

const READING_THREADS_PER_CORE: usize = 8;
/// Enough to keep a disk busy; never fewer threads than cores, though.
const MAX_READING_THREADS: usize = 32;

/// Most files read, then packed (see [`article::pack`]), by one thread at a
/// time: about 4 MB of text at the median article size.
const ARTICLES_PER_STRING: usize = 1024;

/// Whether `dir` is a readable directory: what a load needs before it
/// starts, checked up front so a wrong path fails at once.
pub fn check_directory(dir: &Path) -> Result<(), LoadError> {
    match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => {
            std::fs::read_dir(dir).map(drop).map_err(|source| LoadError::Unreadable { path: dir.to_owned(), source })
        }
        Ok(_) => Err(LoadError::NotADirectory { path: dir.to_owned() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(LoadError::Missing { path: dir.to_owned() }),
        Err(source) => Err(LoadError::Unreadable { path: dir.to_owned(), source }),
    }
}

/// A file to read as an article.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Relative to the articles directory.
    pub path: PathBuf,
    pub kind: FileKind,
    /// No extension: read only if the content turns out to be text.
    pub sniff: bool,
    /// Relative path of the sidecar JSON, if there is one.
    pub sidecar: Option<PathBuf>,
}

impl Candidate {
    /// A file found outside a scan (a reload of one file).
    pub fn new(path: PathBuf, kind: FileKind, sniff: bool, sidecar: Option<PathBuf>) -> Self {
        Self { path, kind, sniff, sidecar }
    }
}

#[derive(Default)]
struct Scan {
    candidates: Vec<Candidate>,
    /// Image files, relative to the directory.
    media: Vec<PathBuf>,
    problems: Vec<LoadProblem>,
    report: LoadReport,
    /// JSON files, paired with articles at the end of the scan.
    json_files: Vec<PathBuf>,
}

impl Scan {
    /// Appends what a scan of a later part of the directory found.
    fn append(&mut self, mut other: Scan) {
        self.candidates.append(&mut other.candidates);
        self.media.append(&mut other.media);
        self.problems.append(&mut other.problems);
        self.report.ignored.append(&mut other.report.ignored);
        self.json_files.append(&mut other.json_files);
    }
}

/// Walks `dir` and sorts every entry into candidates, sidecars, ignored
/// files and unreadable entries, from names and entry types alone (no stat).
/// Top-level folders are walked in parallel, and their findings joined in
/// path order, so the result is the same as one walk: depth first, names
/// sorted.
fn scan(dir: &Path, options: &LoadOptions) -> Scan {
    let mut top = Scan::default();
    let mut folders = Vec::new();
    for (path, entry) in read_sorted(dir, Path::new(""), &mut top) {
        match entry.file_type() {
            Ok(file_type) if file_type.is_dir() && !is_ignored_name(&entry.file_name().to_string_lossy()) => {
                folders.push((top.candidates.len(), path));
            }
            _ => visit(path, &entry, options, &mut top),
        }
    }
    let parts: Vec<Scan> = folders
        .par_iter()
        .map(|(_, folder)| {
            let mut part = Scan::default();
            walk(dir, folder, options, &mut part);
            part
        })
        .collect();
    // Top-level files and folders in name order: each folder's findings go
    // where the folder was met.
    let mut scan = Scan::default();
    let mut top_files = std::mem::take(&mut top.candidates).into_iter();
    let mut taken = 0;
    for ((at, _), part) in folders.iter().zip(parts) {
        scan.candidates.extend(top_files.by_ref().take(at - taken));
        taken = *at;
        scan.append(part);
    }
    scan.candidates.extend(top_files);
    scan.append(top);
    let json_files = std::mem::take(&mut scan.json_files);
    attach_sidecars(dir, &mut scan, json_files, options);
    scan
}

/// The entries of the folder `folder` (relative to `dir`), sorted by name,
/// with their relative paths; an unreadable folder or entry is a problem.
fn read_sorted(dir: &Path, folder: &Path, scan: &mut Scan) -> Vec<(PathBuf, std::fs::DirEntry)> {
    let unreadable = |path: &Path, error: std::io::Error| {
        LoadProblem::new(path.to_owned(), ProblemKind::Unreadable, format!("cannot read: {error}"))
    };
    let entries = match std::fs::read_dir(dir.join(folder)) {
        Ok(entries) => entries,
        Err(error) => {
            scan.problems.push(unreadable(folder, error));
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => found.push((entry.file_name(), entry)),
            Err(error) => scan.problems.push(unreadable(folder, error)),
        }
    }
    // By the bare name: `Path::file_name` parses the path at every
    // comparison, a tenth of a restart's time at a million files.
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(name, entry)| (folder.join(name), entry)).collect()
}

/// Walks the folder `folder` (relative to `dir`) depth first into `scan`.
fn walk(dir: &Path, folder: &Path, options: &LoadOptions, scan: &mut Scan) {
    for (path, entry) in read_sorted(dir, folder, scan) {
        if entry.file_type().is_ok_and(|file_type| file_type.is_dir())
            && !is_ignored_name(&entry.file_name().to_string_lossy())
        {
            walk(dir, &path, options, scan);
        } else {
            visit(path, &entry, options, scan);
        }
    }
}

/// Sorts one entry of a walk (anything but a folder to walk into) into
/// `scan`.
fn visit(path: PathBuf, entry: &std::fs::DirEntry, options: &LoadOptions, scan: &mut Scan) {
    let file_type = match entry.file_type() {
        Ok(file_type) => file_type,
        Err(error) => {
            let reason = format!("cannot read: {error}");
            scan.problems.push(LoadProblem::new(path, ProblemKind::Unreadable, reason));
            return;
        }
    };
    let name = entry.file_name();
    if is_ignored_name(&name.to_string_lossy()) {
        if file_type.is_dir() {
            scan.report.ignored.push(Ignored { path: path.join(""), reason: "hidden or temporary folder".into() });
        } else {
            scan.report.ignored.push(Ignored { path, reason: "hidden, temporary or backup file".into() });
        }
        return;
    }
    if !file_type.is_file() {
        scan.report.ignored.push(Ignored { path, reason: "not a regular file (symbolic link or device)".into() });
        return;
    }
    match classify(&path, options) {
        Class::Article { kind, sniff } => scan.candidates.push(Candidate::new(path, kind, sniff, None)),
        Class::Json => scan.json_files.push(path),
        Class::Media => scan.media.push(path),
        Class::Other(reason) => scan.report.ignored.push(Ignored { path, reason }),
    }
}

pub(crate) enum Class {
    Article {
        kind: FileKind,
        sniff: bool,
    },
    Json,
    /// An image file (see [`super::media`]).
    Media,
    /// Not an article; why.
    Other(String),
}

pub(crate) fn classify(path: &Path, options: &LoadOptions) -> Class {
    if let Some(reason) = path.file_name().and_then(|name| name.to_str()).and_then(not_an_article) {
        return Class::Other(reason.to_owned());
    }
    let extension = path.extension().or_else(|| empty_stem_extension(path));
    let Some(extension) = extension.map(|extension| extension.to_string_lossy().to_ascii_lowercase()) else {
        return Class::Article { kind: FileKind::Text, sniff: true };
    };
    if extension == "json" {
        return Class::Json;
    }
    if media::is_image(path) {
        return Class::Media;
    }
    if options.extensions.contains(&extension) {
        let kind = match extension.as_str() {
            "story" => FileKind::Story,
            "article" => FileKind::Present,
            markdown if MARKDOWN_EXTENSIONS.contains(&markdown) => FileKind::Markdown,
            _ => FileKind::Text,
        };
        return Class::Article { kind, sniff: false };
    }
    Class::Other(format!("`.{extension}` is not an article extension"))
}

/// Files that sit among articles without being news: a site generator's
/// list page (`_index.md`) and a project's own files (`README.txt`,
/// `LICENSE.txt`).
fn not_an_article(name: &str) -> Option<&'static str> {
    const PROJECT_FILES: &[&str] =
        &["readme", "license", "licence", "copying", "changes", "changelog", "authors", "contributing", "notice"];
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if stem == "_index" {
        return Some("a site generator's list page (`_index`), not an article");
    }
    PROJECT_FILES.contains(&stem.as_str()).then_some("a project file (README, LICENSE, …), not an article")
}

/// Pairs `NAME.json` with `NAME.<ext>` and `NAME_meta.json` with
/// `NAME_raw.<ext>`, then with a file in a sibling folder (see
/// [`sibling`]); other JSON files are read as articles when `json` is an
/// article extension, and ignored otherwise.
fn attach_sidecars(dir: &Path, scan: &mut Scan, json_files: Vec<PathBuf>, options: &LoadOptions) {
    // Most archives have no JSON at all: the two indexes of every file
    // cost a second at a million files.
    if json_files.is_empty() {
        return;
    }
    let by_stem: HashMap<PathBuf, usize> = scan
        .candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| (candidate.path.with_extension(""), index))
        .collect();
    let mut unpaired = Vec::new();
    for json in json_files {
        let stem = json.with_extension("");
        let raw_stem = stem
            .file_name()
            .and_then(OsStr::to_str)
            .and_then(|name| name.strip_suffix("_meta"))
            .map(|prefix| stem.with_file_name(format!("{prefix}_raw")));
        let article = by_stem.get(&stem).or_else(|| raw_stem.and_then(|raw| by_stem.get(&raw)));
        match article {
            Some(&index) if scan.candidates[index].sidecar.is_none() => {
                scan.candidates[index].sidecar = Some(json.clone());
                scan.report.sidecars.push(json);
            }
            _ => unpaired.push(json),
        }
    }
    // A second pass, so that a JSON file beside its article always wins.
    let siblings = sibling::Index::new(scan.candidates.iter().map(|candidate| candidate.path.as_path()));
    let json_articles = options.extensions.iter().any(|extension| extension == "json");
    let mut copies = Vec::new();
    for json in unpaired {
        match siblings.owner(&json).filter(|&index| scan.candidates[index].sidecar.is_none()) {
            // The JSON holds the text as well: it is the article, and the
            // text file its copy, not a second article.
            Some(index) if json_articles && sibling::has_body(dir, &json) => {
                copies.push((index, json.clone()));
                scan.candidates.push(json_candidate(json));
            }
            Some(index) => {
                scan.candidates[index].sidecar = Some(json.clone());
                scan.report.sidecars.push(json);
            }
            None if json_articles => scan.candidates.push(json_candidate(json)),
            None => scan
                .report
                .ignored
                .push(Ignored { path: json, reason: "JSON file that is no article's sidecar".into() }),
        }
    }
    copies.sort_by_key(|(index, _)| std::cmp::Reverse(*index));
    for (index, json) in copies {
        let copy = scan.candidates.remove(index);
        let reason = format!("the text of {}, which is the article", json.display());
        scan.report.ignored.push(Ignored { path: copy.path, reason });
    }
}

/// A JSON file read as an article (it may turn out not to be one).
pub(crate) fn json_candidate(path: PathBuf) -> Candidate {
    Candidate::new(path, FileKind::Json, false, None)
}

/// Two files with the same id (`a.txt` and `a.md`) cannot both have the
/// permalink `/articles/a`; the first in path order wins.
fn drop_duplicate_ids(articles: Vec<(PathBuf, Arc<Article>)>, problems: &mut Vec<LoadProblem>) -> Vec<Arc<Article>> {
    // By index and borrowed id: moving a million articles around to sort
    // them by path, or copying their ids, took a second.
    let mut winners: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    winners.reserve(articles.len());
    let mut losers = Vec::new();
    for (index, (path, article)) in articles.iter().enumerate() {
        match winners.entry(article.id.as_str()) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(index);
            }
            std::collections::hash_map::Entry::Occupied(mut occupied) => {
                let winner = *occupied.get();
                if *path < articles[winner].0 {
                    losers.push(winner);
                    occupied.insert(index);
                } else {
                    losers.push(index);
                }
            }
        }
    }
    if losers.is_empty() {
        return articles.into_iter().map(|(_, article)| article).collect();
    }
    let losers: std::collections::HashMap<usize, PathBuf> =
        losers.into_iter().map(|loser| (loser, articles[winners[articles[loser].1.id.as_str()]].0.clone())).collect();
    let mut dropped: Vec<LoadProblem> = Vec::new();
    let mut kept = Vec::with_capacity(articles.len());
    for (index, (path, article)) in articles.into_iter().enumerate() {
        match losers.get(&index) {
            Some(winner) => dropped.push(duplicate_id(path, &article.id, winner)),
            None => kept.push(article),
        }
    }
    dropped.sort_by(|a, b| a.path.cmp(&b.path));
    problems.extend(dropped);
    kept
}

/// The problem of `loser`, a file with the same id as `winner` (the path
/// that sorts first, which is served): a full load and a reload say it alike.
pub(super) fn duplicate_id(loser: PathBuf, id: &ArticleId, winner: &Path) -> LoadProblem {
    let reason = format!("has the same id `{id}` as {}; rename one of them", winner.display());
    LoadProblem::new(loser, ProblemKind::DuplicateId, reason)
}

/// Hidden files and folders and editor temp/backup files are not articles
/// (`4913` is the file Vim creates to test whether a folder is writable;
/// `#name#` is an Emacs auto-save file, while `#1 hits.txt` is an article).
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name == "4913"
        || (name.starts_with('.') && !EMPTY_STEMS.contains(&name))
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name.ends_with(".part")
}

/// Article files whose name is all extension: a site generator's page for
/// a headline that gave an empty slug (`content/news/2026/07/01/.md`). They
/// are articles, not hidden files.
const EMPTY_STEMS: &[&str] = &[".md", ".markdown", ".txt"];

/// `md` for a file named `.md` (which the standard library reads as a
/// hidden file without extension).
fn empty_stem_extension(path: &Path) -> Option<&std::ffi::OsStr> {
    let name = path.file_name()?.to_str()?;
    EMPTY_STEMS.contains(&name).then(|| std::ffi::OsStr::new(&name[1..]))
}
