//! The body store: article bodies kept in a file of the cache folder
//! instead of in memory.
//!
//! At a million articles the text is most of the library (4.5 GB of 6 GB of
//! files); holding it made memory grow with the archive. A load appends
//! each body to the store once, encoded as [`Paragraphs::encode`] writes it,
//! and the article keeps where ([`BodyAt`]): 20 bytes. A page reads its body
//! back with one positioned read of a few kilobytes, which the kernel's
//! page cache usually answers, and the rendered page is cached.
//!
//! The file is only ever appended to, never rewritten in place, so a reader
//! (another replica sharing the cache folder, or this process's requests)
//! never sees a record change under it; a load that finds most of the file
//! dead starts a new one. Each record's hash is checked when it is read: a
//! damaged record is reported and the body parsed again from the article's
//! own file, never served torn.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::LoadOptions;
use super::read::{Loaded, load_file};
use super::reload::changes::candidate;
use crate::article::{Article, BodyAt, BodySource, Paragraphs, StoredBody};

/// A body store file, open for reading.
#[derive(Debug)]
pub struct BodyStore {
    path: PathBuf,
    file: File,
    /// Where bodies that cannot be read back are parsed again from, and
    /// how (the load's options).
    articles_dir: PathBuf,
    options: LoadOptions,
}

impl BodyStore {
    /// Opens the store file at `path` for reading only (a replica that
    /// shares another's cache folder).
    pub fn open(path: &Path, articles_dir: &Path, options: &LoadOptions) -> std::io::Result<Arc<Self>> {
        let file = File::open(path)?;
        Ok(Arc::new(Self::new(path, file, articles_dir, options)))
    }

    fn new(path: &Path, file: File, articles_dir: &Path, options: &LoadOptions) -> Self {
        Self { path: path.to_owned(), file, articles_dir: articles_dir.to_owned(), options: options.clone() }
    }

    /// Bytes in the file.
    pub fn file_len(&self) -> std::io::Result<u64> {
        self.file.metadata().map(|metadata| metadata.len())
    }

    /// A [`StoredBody`] for a record this store holds (from a snapshot).
    pub fn stored(self: &Arc<Self>, at: BodyAt) -> StoredBody {
        StoredBody { source: Arc::clone(self) as Arc<dyn BodySource>, at }
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the record at `at` and checks it.
    fn read_record(&self, at: BodyAt) -> Result<Paragraphs, String> {
        let mut bytes = vec![0; at.len as usize];
        self.file.read_exact_at(&mut bytes, at.offset).map_err(|error| error.to_string())?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != at.hash {
            return Err("the record does not match its hash".to_owned());
        }
        Paragraphs::decode(&bytes).ok_or_else(|| "the record is not a body".to_owned())
    }

    /// The body of `article` from its own file (and sidecar), when the
    /// store fails: read as a reload reads one changed file.
    fn reparse(&self, article: &Article) -> Option<Paragraphs> {
        let candidate = candidate(&self.articles_dir, &self.options, article.path.as_deref()?)?;
        match load_file(&self.articles_dir, &candidate, self.options.max_file_size) {
            Loaded::Article(parsed) => Some(Arc::unwrap_or_clone(parsed).paragraphs),
            _ => None,
        }
    }
}

impl BodySource for BodyStore {
    fn read(&self, at: BodyAt, article: &Article) -> Paragraphs {
        self.read_record(at).unwrap_or_else(|reason| {
            tracing::error!(
                store = %self.path.display(),
                offset = at.offset,
                article = %article.id,
                %reason,
                "cannot read a body from the body store; parsing the article's file again"
            );
            self.reparse(article).unwrap_or_default()
        })
    }
}

/// Appends bodies to a store file; shared by the loading threads.
#[derive(Debug)]
pub struct BodyWriter {
    store: Arc<BodyStore>,
    /// The file open for appending, and its length.
    file: Mutex<(File, u64)>,
}

impl BodyWriter {
    /// Opens `path` for appending, creating it when missing; bodies that
    /// cannot be read back are parsed again from `articles_dir`.
    pub fn open(path: &Path, articles_dir: &Path, options: &LoadOptions) -> std::io::Result<Self> {
        let appender = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
        let length = appender.metadata()?.len();
        let reader = File::open(path)?;
        let store = BodyStore::new(path, reader, articles_dir, options);
        Ok(Self { store: Arc::new(store), file: Mutex::new((appender, length)) })
    }

    /// The store the written bodies are read back from.
    pub fn store(&self) -> &Arc<BodyStore> {
        &self.store
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1
    }

    /// Whether nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the bodies of `articles` into the store with one write, leaving
    /// each article a [`StoredBody`] and an empty `paragraphs`. On a write
    /// error the bodies stay in memory (and the error is returned, to be
    /// logged once): a full disk costs memory, not articles.
    pub fn store_bodies<'a>(&self, articles: impl IntoIterator<Item = &'a mut Article>) -> std::io::Result<()> {
        let articles: Vec<&mut Article> = articles.into_iter().filter(|article| article.stored.is_none()).collect();
        let mut bytes = Vec::new();
        let mut records = Vec::with_capacity(articles.len());
        for article in &articles {
            let start = bytes.len();
            article.paragraphs.encode(&mut bytes);
            let record = &bytes[start..];
            let Ok(len) = u32::try_from(record.len()) else { return Ok(()) };
            records.push((start as u64, len, xxhash_rust::xxh3::xxh3_64(record)));
        }
        let base = {
            // At the recorded end, not in append mode: after a failed write
            // the next one starts at the same place again.
            let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            file.0.write_all_at(&bytes, file.1)?;
            let base = file.1;
            file.1 += bytes.len() as u64;
            base
        };
        let source: Arc<dyn BodySource> = Arc::clone(&self.store) as Arc<dyn BodySource>;
        for (article, (offset, len, hash)) in articles.into_iter().zip(records) {
            article.stored =
                Some(StoredBody { source: Arc::clone(&source), at: BodyAt { offset: base + offset, len, hash } });
            article.paragraphs = Paragraphs::default();
        }
        Ok(())
    }

    /// Flushes the written bodies to the disk, before a snapshot that
    /// names them is saved.
    pub fn sync(&self) -> std::io::Result<()> {
        self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.sync_data()
    }
}

/// Where `article`'s body is in `store`, if it is there.
pub fn position_in(article: &Article, store: &BodyStore) -> Option<BodyAt> {
    let stored = article.stored.as_ref()?;
    let store_address: *const BodyStore = store;
    std::ptr::addr_eq(Arc::as_ptr(&stored.source), store_address).then_some(stored.at)
}
