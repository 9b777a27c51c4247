//! A directory of articles as an immutable, indexed snapshot.
//!
//! A [`Library`] is built once by [`load_dir`] and never mutated: the web layer
//! shares it behind an `Arc` and swaps in a new one when the directory
//! changes, so requests never see a half-updated state and never take a lock.

mod load;
mod read;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::article::{Article, ArticleId};

pub use load::{
    DEFAULT_EXTENSIONS, DEFAULT_MAX_FILE_SIZE, Ignored, LoadError, LoadOptions, LoadReport, load_dir, load_dir_report,
    load_dir_with,
};

/// A file that could not become an article, and why. Problems are kept, not
/// just logged, so `check`, `/healthz` and operators can see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file's path relative to the articles directory.
    pub path: PathBuf,
    /// What is wrong, phrased so the reader knows what to do about it.
    pub reason: String,
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// The loaded articles, newest first, with lookups by id.
#[derive(Debug)]
pub struct Library {
    /// Newest first; undated articles last; ties broken by id.
    articles: Vec<Arc<Article>>,
    /// Position of each article in `articles`.
    positions: HashMap<ArticleId, usize>,
    problems: Vec<LoadProblem>,
    /// Unique per snapshot within this process, so caches of rendered pages
    /// can tell snapshots apart (a freed `Arc`'s address may be reused).
    generation: u64,
}

impl Default for Library {
    fn default() -> Self {
        Self::new(Vec::new(), Vec::new())
    }
}

impl Library {
    /// Builds a snapshot from parsed articles and the problems met on the way.
    pub fn new(mut articles: Vec<Article>, mut problems: Vec<LoadProblem>) -> Self {
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        // `Option`'s order puts `None` first; undated articles belong last.
        articles.sort_by_key(|article| article.date.is_none());
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        let articles: Vec<Arc<Article>> = articles.into_iter().map(Arc::new).collect();
        let positions = articles.iter().enumerate().map(|(index, article)| (article.id.clone(), index)).collect();
        static NEXT_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let generation = NEXT_GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self { articles, positions, problems, generation }
    }

    /// This snapshot's identity: different for every snapshot built in this
    /// process.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The article whose id equals `id` ignoring ASCII case, for redirecting
    /// case variants of a URL to the canonical one. A linear scan: it only
    /// runs for ids that were not found exactly.
    pub fn find_ignoring_case(&self, id: &str) -> Option<&Arc<Article>> {
        self.articles.iter().find(|article| article.id.as_str().eq_ignore_ascii_case(id))
    }

    /// Every article, newest first.
    pub fn articles(&self) -> &[Arc<Article>] {
        &self.articles
    }

    /// Number of loaded articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether no article loaded.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Files that could not be loaded.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// The article with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Article>> {
        self.positions.get(id).map(|&index| &self.articles[index])
    }

    /// The articles just newer and just older than `id` in newest-first order.
    pub fn find_neighbours(&self, id: &str) -> Neighbours<'_> {
        let Some(&index) = self.positions.get(id) else {
            return Neighbours::default();
        };
        Neighbours {
            newer: index.checked_sub(1).map(|newer| &self.articles[newer]),
            older: self.articles.get(index + 1),
        }
    }

    /// One page of `per_page` articles, 1-based; `None` past the last page.
    pub fn page(&self, page: usize, per_page: usize) -> Option<&[Arc<Article>]> {
        paginate(&self.articles, page, per_page)
    }
}

impl std::borrow::Borrow<str> for ArticleId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// The articles on either side of one article in a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct Neighbours<'a> {
    pub newer: Option<&'a Arc<Article>>,
    pub older: Option<&'a Arc<Article>>,
}

/// Number of pages needed for `total` items; an empty list still has page 1.
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page).max(1)
}

/// The 1-based `page` of `items`; page 1 of an empty list is empty, any other
/// page outside the list is `None`.
pub fn paginate<T>(items: &[T], page: usize, per_page: usize) -> Option<&[T]> {
    if page == 0 || page > page_count(items.len(), per_page) {
        return None;
    }
    let start = (page - 1) * per_page;
    Some(&items[start..(start + per_page).min(items.len())])
}
