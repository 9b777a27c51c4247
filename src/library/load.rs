//! Loading a directory: finding article files, reading and parsing them in
//! parallel, and collecting every failure as a [`LoadProblem`].

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use thiserror::Error;

use super::{Library, LoadProblem};
use crate::article::{self, Article, ArticleId};

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

/// The extensions of article files.
const ARTICLE_EXTENSIONS: &[&str] = &["txt"];

/// Loads every article file under `dir` into a [`Library`]. Files that cannot
/// be read or parsed become problems in the library; only a missing or
/// unreadable directory is an error.
pub fn load_dir(dir: &Path) -> Result<Library, LoadError> {
    let started = Instant::now();
    check_directory(dir)?;
    let (paths, mut problems) = find_article_files(dir);
    let results: Vec<Result<Article, LoadProblem>> = paths.par_iter().map(|path| load_file(dir, path)).collect();
    let mut articles = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(article) => articles.push(article),
            Err(problem) => problems.push(problem),
        }
    }
    for problem in &problems {
        tracing::warn!(path = %problem.path.display(), reason = %problem.reason, "could not load article");
    }
    tracing::debug!(articles = articles.len(), elapsed = ?started.elapsed(), "directory parsed");
    Ok(Library::new(articles, problems))
}

fn check_directory(dir: &Path) -> Result<(), LoadError> {
    match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => {
            std::fs::read_dir(dir).map(drop).map_err(|source| LoadError::Unreadable { path: dir.to_owned(), source })
        }
        Ok(_) => Err(LoadError::NotADirectory { path: dir.to_owned() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(LoadError::Missing { path: dir.to_owned() }),
        Err(source) => Err(LoadError::Unreadable { path: dir.to_owned(), source }),
    }
}

/// Walks `dir` recursively and returns article files (relative paths, sorted)
/// plus a problem for every entry the walk could not read.
fn find_article_files(dir: &Path) -> (Vec<PathBuf>, Vec<LoadProblem>) {
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    for entry in
        walker.filter_entry(|entry| entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy()))
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_article_file(entry.path()) => {
                paths.push(entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_owned());
            }
            Ok(_) => {}
            Err(error) => problems.push(LoadProblem {
                path: relative(dir, error.path().unwrap_or(dir)),
                reason: format!("cannot read: {error}"),
            }),
        }
    }
    (paths, problems)
}

/// Hidden files and folders and editor temp/backup files are not articles.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn is_article_file(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| ARTICLE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
}

fn relative(dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(dir).unwrap_or(path).to_owned()
}

/// Reads and parses one file; `relative_path` is relative to `dir`.
fn load_file(dir: &Path, relative_path: &Path) -> Result<Article, LoadProblem> {
    let problem = |reason: String| LoadProblem { path: relative_path.to_owned(), reason };
    let full_path = dir.join(relative_path);
    let bytes = std::fs::read(&full_path).map_err(|error| problem(format!("cannot read the file: {error}")))?;
    let text = article::decode(&bytes).map_err(|error| problem(error.to_string()))?;
    let id = ArticleId::from_relative_path(relative_path);
    let mut article = article::parse(id, &text).map_err(|error| problem(error.to_string()))?;
    article.modified = modified_time(&full_path);
    Ok(article)
}

fn modified_time(path: &Path) -> Option<jiff::Timestamp> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    jiff::Timestamp::try_from(modified).ok()
}
