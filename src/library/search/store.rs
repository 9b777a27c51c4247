//! Where the search index lives: in memory, or in a cache directory where it
//! is memory-mapped and outlives the process.
//!
//! On disk the index costs little RSS (the kernel pages in what searches
//! touch and can drop it again) and a restart reopens it at once instead of
//! indexing for seconds. It is only a cache: a missing, foreign or stale
//! index is rebuilt, and nothing else depends on it. An index is fresh when
//! its commit payload names the fingerprint of exactly the text the library
//! would index now. The fingerprint is a sum of per-article hashes, and each
//! document keeps its own hash, so live-reload updates can keep it current.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter};
use xxhash_rust::xxh3::Xxh3;

use super::schema::date_number;
use crate::article::Article;
use crate::library::Library;

/// Bump when the schema or the text analysis changes: an index built by an
/// older version then lives in another folder and is never opened.
/// Version 2: runs of CJK and Thai characters are indexed as pairs.
/// Version 3: the id is a fast field, not stored.
const FORMAT_VERSION: u32 = 3;

/// Where to keep the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SearchStore {
    /// In the process's memory, rebuilt at every start.
    #[default]
    Memory,
    /// Memory-mapped from this folder (see [`SearchStore::cache_for`]).
    Directory(PathBuf),
}

impl SearchStore {
    /// The index folder for the articles in `articles_dir` under the cache
    /// root `cache_root`: one folder per articles directory and index format.
    pub fn cache_for(cache_root: &Path, articles_dir: &Path) -> Self {
        let key = crate::library::persist::directory_key(articles_dir);
        Self::Directory(cache_root.join(format!("search-v{FORMAT_VERSION}-{key:016x}")))
    }

    /// The default cache root: `$XDG_CACHE_HOME/broadsheet`, else
    /// `$HOME/.cache/broadsheet`; `None` when neither is set.
    pub fn default_cache_root() -> Option<PathBuf> {
        let from_env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
        from_env("XDG_CACHE_HOME")
            .or_else(|| from_env("HOME").map(|home| home.join(".cache")))
            .map(|cache| cache.join("broadsheet"))
    }
}

/// An index opened from the cache: ready to search when `fresh`, to be
/// rebuilt (with `writer`, which holds the folder's lock) when not.
pub struct Opened {
    pub index: Index,
    pub writer: IndexWriter,
    pub fresh: bool,
}

/// Opens (or creates) the index in `folder` and checks it against the
/// library's `fingerprint`. The writer's lock keeps a second server on the
/// same folder out; that one then falls back to memory.
pub fn open_cached(
    folder: &Path,
    fields_schema: tantivy::schema::Schema,
    fingerprint: Fingerprint,
) -> tantivy::Result<Opened> {
    remove_older_formats(folder);
    std::fs::create_dir_all(folder)?;
    let directory = MmapDirectory::open(folder)?;
    let index = match Index::open_or_create(directory, fields_schema.clone()) {
        Ok(index) => index,
        Err(error) => {
            // A damaged or foreign index in our own folder: start afresh.
            tracing::warn!(%error, folder = %folder.display(), "cannot open the cached search index; rebuilding it");
            std::fs::remove_dir_all(folder)?;
            std::fs::create_dir_all(folder)?;
            Index::create_in_dir(folder, fields_schema)?
        }
    };
    super::schema::register_analyzers(&index);
    let writer = index.writer_with_num_threads(1, super::engine::UPDATE_HEAP_BYTES)?;
    let fresh = index.load_metas()?.payload.as_deref().and_then(Fingerprint::from_payload) == Some(fingerprint);
    Ok(Opened { index, writer, fresh })
}

/// Deletes the folders that older index formats kept for the same articles
/// directory beside `folder`: nothing reads them any more, and an index of
/// 100k articles takes hundreds of megabytes.
fn remove_older_formats(folder: &Path) {
    let (Some(root), Some(name)) = (folder.parent(), folder.file_name().and_then(|name| name.to_str())) else {
        return;
    };
    let Some(key) = name.strip_prefix(&format!("search-v{FORMAT_VERSION}-")) else { return };
    for version in 1..FORMAT_VERSION {
        let old = root.join(format!("search-v{version}-{key}"));
        if old.is_dir()
            && let Err(error) = std::fs::remove_dir_all(&old)
        {
            tracing::warn!(%error, folder = %old.display(), "cannot delete an outdated search index");
        }
    }
}

/// A digest of the articles an index holds, independent of their order:
/// equal fingerprints mean a cached index matches the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    count: u64,
    sum: u64,
}

impl Fingerprint {
    /// The fingerprint of every article in `library`. Hashing all the text
    /// of 100k articles takes a few hundred milliseconds: on all cores.
    pub fn of(library: &Library) -> Self {
        if let Some(fingerprint) = library.search_fingerprint() {
            return fingerprint;
        }
        let articles = library.articles();
        let sum = articles.par_iter().map(|article| article_hash(article)).reduce(|| 0, u64::wrapping_add);
        Self { count: articles.len() as u64, sum }
    }

    /// The fingerprint of `articles`, taken by a load while they are in the
    /// order it allocated them: through the library's newest-first list,
    /// each article is in a scattered place in memory, and at a million
    /// articles the cache misses made this most of a second of a restart's
    /// "search ready".
    pub(crate) fn of_articles(articles: &[std::sync::Arc<Article>]) -> Self {
        let sum = articles.par_iter().map(|article| article_hash(article)).reduce(|| 0, u64::wrapping_add);
        Self { count: articles.len() as u64, sum }
    }

    /// Counts in one more article with hash `hash`.
    pub fn add(&mut self, hash: u64) {
        self.count = self.count.wrapping_add(1);
        self.sum = self.sum.wrapping_add(hash);
    }

    /// Takes out an article with hash `hash`.
    pub fn remove(&mut self, hash: u64) {
        self.count = self.count.wrapping_sub(1);
        self.sum = self.sum.wrapping_sub(hash);
    }

    /// The text kept in the index's commit payload.
    pub fn to_payload(self) -> String {
        format!("v{FORMAT_VERSION}:{}:{:016x}", self.count, self.sum)
    }

    /// Reads a payload written by [`Self::to_payload`].
    pub fn from_payload(payload: &str) -> Option<Self> {
        let rest = payload.strip_prefix(&format!("v{FORMAT_VERSION}:"))?;
        let (count, sum) = rest.split_once(':')?;
        Some(Self { count: count.parse().ok()?, sum: u64::from_str_radix(sum, 16).ok()? })
    }
}

/// A hash of the fields [`super::schema::Fields::document`] indexes.
pub fn article_hash(article: &Article) -> u64 {
    let mut hasher = Xxh3::new();
    let mut field = |text: &str| {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    field(article.id.as_str());
    field(&article.title);
    field(article.section.as_deref().unwrap_or("\u{0}none"));
    field(article.source.as_deref().unwrap_or("\u{0}none"));
    // The body by its hash: a stored body is not read for this.
    hasher.update(&article.body_hash().to_le_bytes());
    hasher.update(&article.date.map_or(0, date_number).to_le_bytes());
    hasher.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_with_indexed_text_but_not_with_order() {
        let article = |id: &str, body: &str| Article {
            id: crate::article::ArticleId::new(id),
            title: "Title".into(),
            paragraphs: vec![crate::article::Paragraph::Text { text: body.into() }].into(),
            ..Article::default()
        };
        let one = Library::new(vec![article("a", "first"), article("b", "second")], Vec::new());
        let same_reversed = Library::new(vec![article("b", "second"), article("a", "first")], Vec::new());
        let edited = Library::new(vec![article("a", "first!"), article("b", "second")], Vec::new());
        assert_eq!(Fingerprint::of(&one), Fingerprint::of(&same_reversed));
        assert_ne!(Fingerprint::of(&one), Fingerprint::of(&edited));
        let mut updated = Fingerprint::of(&one);
        updated.remove(article_hash(&article("a", "first")));
        updated.add(article_hash(&article("a", "first!")));
        assert_eq!(updated, Fingerprint::of(&edited));
        assert_eq!(Fingerprint::from_payload(&updated.to_payload()), Some(updated));
        // A load's fingerprint, taken before the library is sorted, is the
        // one of the library's list (a renewed snapshot has none to reuse).
        for library in [&one, &edited] {
            assert!(library.search_fingerprint().is_some());
            assert!(library.renewed().search_fingerprint().is_none());
            assert_eq!(Fingerprint::of(library), Fingerprint::of(&library.renewed()));
        }
    }

    #[test]
    fn each_articles_directory_gets_its_own_cache_folder() {
        let root = Path::new("/cache");
        assert_ne!(
            SearchStore::cache_for(root, Path::new("/srv/a")),
            SearchStore::cache_for(root, Path::new("/srv/b"))
        );
    }
}
