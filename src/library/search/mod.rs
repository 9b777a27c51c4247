//! Full-text search over titles, sections, sources and bodies, with tantivy.
//!
//! A [`SearchIndex`] is a shared handle that starts empty and becomes ready
//! when a background thread has indexed the library, so the server answers
//! pages at once and search says "indexing…" meanwhile. The index lives in
//! RAM or, memory-mapped, in a cache folder that later starts reopen (see
//! [`SearchStore`]). It stores only article ids: results are looked up in the [`Library`]
//! snapshot, and snippets are cut from its text, so no article text is kept
//! twice. [`SearchIndex::update`] replaces or deletes single documents by id
//! for live reload.

mod compile;
mod engine;
pub mod query;
mod schema;
mod snippet;
mod stem;
mod store;
mod tokenizer;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use engine::Engine;
pub(crate) use store::Fingerprint;
pub use store::SearchStore;

use super::Library;
use crate::article::{Article, ArticleId};

/// Results go this deep at most: ranking a million hits to show page 50,000
/// would let one request hog the machine. Narrower queries reach the rest.
pub const MAX_RESULTS_DEPTH: usize = 10_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first (title matches weigh more).
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// Restrictions on which articles may match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Exact section name (not slug: slugs may change as names come and go).
    pub section: Option<String>,
    /// Exact source name.
    pub source: Option<String>,
    /// Published on or after this date (undated articles never match).
    pub from: Option<jiff::civil::Date>,
    /// Published on or before this date.
    pub to: Option<jiff::civil::Date>,
}

impl Filters {
    /// Whether any filter is set.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// What the reader typed, in the syntax of [`query`].
    pub query: String,
    pub filters: Filters,
    pub sort: SortOrder,
    /// 1-based.
    pub page: usize,
    /// At least 1.
    pub per_page: usize,
}

/// One result.
#[derive(Debug)]
pub struct Hit<'a> {
    pub article: &'a Arc<Article>,
    /// Body text around the matches, HTML-escaped, matches in `<mark>`.
    pub snippet_html: String,
}

/// One page of results.
#[derive(Debug)]
pub struct SearchResults<'a> {
    pub hits: Vec<Hit<'a>>,
    /// Matching articles in all pages.
    pub total: usize,
    /// The query was too long and only its beginning was used.
    pub truncated: bool,
    /// Ordered by relevance (false: by date).
    pub ranked: bool,
}

/// Why a search has no results to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("the search index is still being built ({indexed} of {total} articles); try again in a few seconds")]
    NotReady { indexed: usize, total: usize },
    #[error("type one or more words to search for")]
    NothingToSearch,
    #[error("results go {MAX_RESULTS_DEPTH} deep at most; add words or filters to narrow the search")]
    TooDeep,
    #[error("the search index could not be built: {0}")]
    Unavailable(String),
    #[error("search failed: {0}")]
    Failed(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Failed(error.to_string())
    }
}

/// The shared search handle: building, ready, or failed.
pub struct SearchIndex {
    engine: OnceLock<Result<Engine, String>>,
    indexed: AtomicUsize,
    /// Articles to index: known at once, or (for a handle made before the
    /// library loaded) when the build starts.
    total: AtomicUsize,
}

impl SearchIndex {
    /// A handle for a library of `total` articles whose index is not built
    /// yet: searches answer [`SearchError::NotReady`] until [`Self::build`]
    /// has run.
    pub fn pending(total: usize) -> Self {
        Self { engine: OnceLock::new(), indexed: AtomicUsize::new(0), total: AtomicUsize::new(total) }
    }

    /// Starts indexing `library` in memory on a background thread and
    /// returns at once.
    pub fn build_in_background(library: Arc<Library>) -> Arc<Self> {
        Self::build_in_background_in(library, SearchStore::Memory)
    }

    /// Starts indexing `library` into `store` (or reopening its cached
    /// index) on a background thread and returns at once.
    pub fn build_in_background_in(library: Arc<Library>, store: SearchStore) -> Arc<Self> {
        let index = Arc::new(Self::pending(library.len()));
        let building = Arc::clone(&index);
        let spawned = std::thread::Builder::new().name("search-index".to_owned()).spawn(move || {
            building.build_in(&library, &store);
        });
        if let Err(error) = spawned {
            let _ = index.engine.set(Err(format!("cannot start the indexing thread: {error}")));
        }
        index
    }

    /// Indexes `library` on this thread; for tools and benchmarks.
    pub fn build_now(library: &Library) -> Self {
        let index = Self::pending(library.len());
        index.build(library);
        index
    }

    /// Indexes `library` on this thread and makes the index ready. Only the
    /// first build of a handle counts; later calls do nothing.
    pub fn build(&self, library: &Library) {
        self.build_in(library, &SearchStore::Memory);
    }

    /// Like [`Self::build`], in `store`. Searches can run before this
    /// returns: the segments the build left are merged after (see
    /// `Engine::compact`).
    pub fn build_in(&self, library: &Library, store: &SearchStore) {
        if self.engine.get().is_some() {
            return;
        }
        self.total.store(library.len(), Ordering::Relaxed);
        let started = Instant::now();
        let built = Engine::build(library, &self.indexed, store).map_err(|error| error.to_string());
        match &built {
            Ok(_) => {
                let elapsed_ms = started.elapsed().as_millis() as u64;
                tracing::info!(articles = library.len(), elapsed_ms, "search index ready");
            }
            Err(error) => tracing::error!(%error, "search index could not be built"),
        }
        let _ = self.engine.set(built);
        if let Some(Ok(engine)) = self.engine.get() {
            let started = Instant::now();
            match engine.compact() {
                Ok(merged) => {
                    let elapsed_ms = started.elapsed().as_millis() as u64;
                    tracing::info!(merged, segments = engine.segments(), elapsed_ms, "search index compacted");
                }
                Err(error) => {
                    tracing::warn!(%error, "could not merge the search index's segments; searches stay slower")
                }
            }
        }
    }

    /// Whether searches can run.
    pub fn is_ready(&self) -> bool {
        matches!(self.engine.get(), Some(Ok(_)))
    }

    /// Waits until the index is built (or failed), at most `timeout`; returns
    /// whether it is ready. For tests and tools; the server never waits.
    pub fn wait_until_ready(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.engine.get().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.is_ready()
    }

    /// Runs `request` against the index, resolving hits in `library`.
    pub fn search<'a>(&self, library: &'a Library, request: &SearchRequest) -> Result<SearchResults<'a>, SearchError> {
        if request.page == 0 || request.page.saturating_mul(request.per_page) > MAX_RESULTS_DEPTH {
            return Err(SearchError::TooDeep);
        }
        self.engine()?.search(library, request)
    }

    /// Replaces the documents of `changed` and deletes those of `removed`.
    pub fn update(&self, changed: &[&Article], removed: &[ArticleId]) -> Result<(), SearchError> {
        Ok(self.engine()?.update(changed, removed)?)
    }

    /// Number of indexed articles (0 while building).
    pub fn len(&self) -> u64 {
        self.engine().map_or(0, Engine::len)
    }

    /// Bytes the index takes, in RAM or in the cache folder (0 while building).
    pub fn size_bytes(&self) -> u64 {
        self.engine().map_or(0, Engine::size_bytes)
    }

    /// Whether no article is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn engine(&self) -> Result<&Engine, SearchError> {
        match self.engine.get() {
            Some(Ok(engine)) => Ok(engine),
            Some(Err(error)) => Err(SearchError::Unavailable(error.clone())),
            None => Err(SearchError::NotReady {
                indexed: self.indexed.load(Ordering::Relaxed),
                total: self.total.load(Ordering::Relaxed),
            }),
        }
    }
}
