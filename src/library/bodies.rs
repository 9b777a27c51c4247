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
//! Records are only ever appended, never rewritten in place (only the
//! zero padding after a direct write is written over), so a reader
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
    file: Mutex<Appender>,
}

/// The store file open for writing, and where the next record goes.
struct Appender {
    file: File,
    /// Bytes in use: the next record is written here (or at the next
    /// block boundary, by a direct write).
    len: u64,
    /// The same file opened for direct I/O (`O_DIRECT`), for the big
    /// batches of a load; `None` where the system or file system does not
    /// offer it, or once it failed.
    direct: Option<File>,
    /// A reused buffer that a block-aligned copy of a batch is made in.
    aligned: Vec<u8>,
}

impl BodyWriter {
    /// Opens `path` for appending, creating it when missing; bodies that
    /// cannot be read back are parsed again from `articles_dir`.
    pub fn open(path: &Path, articles_dir: &Path, options: &LoadOptions) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
        let len = file.metadata()?.len();
        let direct = open_direct(path);
        let reader = File::open(path)?;
        let store = BodyStore::new(path, reader, articles_dir, options);
        Ok(Self { store: Arc::new(store), file: Mutex::new(Appender { file, len, direct, aligned: Vec::new() }) })
    }

    /// The store the written bodies are read back from.
    pub fn store(&self) -> &Arc<BodyStore> {
        &self.store
    }

    /// Bytes in use: where the next record goes (a direct write may leave
    /// the file up to a block longer, padded with zeros).
    pub fn len(&self) -> u64 {
        self.appender().len
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
        let lengths: Vec<usize> = articles.iter().map(|article| article.paragraphs.encoded_len()).collect();
        if lengths.iter().any(|&len| u32::try_from(len).is_err()) {
            return Ok(());
        }
        let mut records = Vec::with_capacity(articles.len());
        // Encoded straight into the buffer that is written: a batch is
        // megabytes, and building it apart cost a copy and fresh pages.
        let base = self.appender().append_with(lengths.iter().sum(), |out| {
            let first = out.len();
            for article in &articles {
                let start = out.len();
                article.paragraphs.encode(out);
                let record = &out[start..];
                records.push(((start - first) as u64, record.len() as u32, xxhash_rust::xxh3::xxh3_64(record)));
            }
        })?;
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
        let mut appender = self.appender();
        // The load is over: its batches' aligned copy is not needed.
        appender.aligned = Vec::new();
        appender.file.sync_data()
    }

    fn appender(&self) -> std::sync::MutexGuard<'_, Appender> {
        self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl std::fmt::Debug for Appender {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the aligned buffer: megabytes of text.
        formatter.debug_struct("Appender").field("len", &self.len).field("direct", &self.direct.is_some()).finish()
    }
}

/// Batches at least this big go to the file with direct I/O.
const DIRECT_WRITE_MIN: usize = 256 * 1024;

/// The alignment direct I/O needs of the buffer, the file offset and the
/// length: a page, which covers every common disk's logical block.
const DIRECT_BLOCK: usize = 4096;

impl Appender {
    /// Writes the `len` bytes that `fill` appends to the vector it is
    /// given at the end of the file, and returns where they start.
    ///
    /// A load writes its bodies in batches of megabytes. Through the page
    /// cache each batch is copied into newly allocated cache pages, which
    /// the kernel then writes back and, past `vm.dirty_ratio`, throttles the
    /// writer for: measured, a fifth of all the CPU time of a first start
    /// went to that copy, and buffered writes of 2 GB ran at 100–300 MB/s
    /// where direct ones ran at 1.7 GB/s. So big batches are written with
    /// direct I/O, from a block-aligned buffer (reused: the batch is
    /// encoded in it), at the next block boundary (the gap before it is
    /// never referenced). Small ones (a reload's few bodies) and file
    /// systems without direct I/O use the page cache. Either way the
    /// records are read back the same way: the kernel keeps the page cache
    /// coherent with direct writes.
    fn append_with(&mut self, len: usize, fill: impl FnOnce(&mut Vec<u8>)) -> std::io::Result<u64> {
        let direct = len >= DIRECT_WRITE_MIN && self.direct.is_some();
        let padded = if direct { len.next_multiple_of(DIRECT_BLOCK) } else { len };
        let mut buffer = std::mem::take(&mut self.aligned);
        buffer.clear();
        buffer.reserve(padded + DIRECT_BLOCK);
        // Where a block starts in the buffer; the batch is written from there.
        let shift = if direct { buffer.as_ptr().align_offset(DIRECT_BLOCK) } else { 0 };
        buffer.resize(shift, 0);
        fill(&mut buffer);
        let written = buffer.len() - shift;
        debug_assert_eq!(written, len, "the batch is the length announced");
        let result = self.write(&mut buffer, shift, direct);
        self.aligned = buffer;
        let base = result?;
        self.len = base + written as u64;
        Ok(base)
    }

    /// Writes `buffer[shift..]` at the end, directly when `direct` and the
    /// buffer allows it (else, or when that fails, through the page cache);
    /// returns where it starts.
    fn write(&mut self, buffer: &mut Vec<u8>, shift: usize, direct: bool) -> std::io::Result<u64> {
        let written = buffer.len() - shift;
        if direct {
            buffer.resize(shift + written.next_multiple_of(DIRECT_BLOCK), 0);
            // Checked after the padding, in case it moved the buffer: an
            // unaligned one would make the write fail and direct I/O stop.
            let aligned = (buffer.as_ptr() as usize + shift).is_multiple_of(DIRECT_BLOCK);
            let base = self.len.next_multiple_of(DIRECT_BLOCK as u64);
            let file = self.direct.as_ref().filter(|_| aligned);
            let result = file.map(|file| file.write_all_at(&buffer[shift..], base));
            buffer.truncate(shift + written);
            match result {
                Some(Ok(())) => return Ok(base),
                Some(Err(error)) => {
                    tracing::info!(%error, "direct writes to the body store failed; writing through the page cache");
                    self.direct = None;
                }
                None => {}
            }
        }
        // At the recorded end, not in append mode: after a failed write
        // the next one starts at the same place again.
        self.file.write_all_at(&buffer[shift..], self.len)?;
        Ok(self.len)
    }
}

/// The body store at `path` opened for direct I/O, where there is such a
/// thing (Linux; not every file system, tmpfs for one, accepts it).
fn open_direct(path: &Path) -> Option<File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().write(true).custom_flags(libc::O_DIRECT).open(path).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

/// Where `article`'s body is in `store`, if it is there.
pub fn position_in(article: &Article, store: &BodyStore) -> Option<BodyAt> {
    let stored = article.stored.as_ref()?;
    let store_address: *const BodyStore = store;
    std::ptr::addr_eq(Arc::as_ptr(&stored.source), store_address).then_some(stored.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleId, parse};

    fn article(number: usize, paragraphs: usize) -> Article {
        let body: String = (0..paragraphs)
            .map(|paragraph| format!("Paragraph {paragraph} of article {number}, with some words.\n\n"))
            .collect();
        let text = format!("World\n\nArticle number {number}\n\nNovember 16, 2024\n\n{body}");
        parse(ArticleId::new(format!("a{number}")), &text).expect("parses")
    }

    /// A store file holding `start` already, in a new folder, open for
    /// appending.
    fn store_holding(start: &[u8]) -> (tempfile::TempDir, PathBuf, BodyWriter) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("bodies.bin");
        std::fs::write(&path, start).expect("write");
        let writer = BodyWriter::open(&path, folder.path(), &LoadOptions::default()).expect("open");
        (folder, path, writer)
    }

    /// Checks that each article's body reads back as `expected` says, and
    /// returns where their records are, sorted.
    fn read_back<'a>(articles: impl IntoIterator<Item = &'a Article>, expected: &[Paragraphs]) -> Vec<(u64, u64)> {
        let mut ranges = Vec::new();
        for (article, paragraphs) in articles.into_iter().zip(expected) {
            let stored = article.stored.as_ref().expect("stored");
            assert_eq!(&*article.body(), paragraphs, "{}", article.id);
            ranges.push((stored.at.offset, stored.at.offset + u64::from(stored.at.len)));
        }
        assert_eq!(ranges.len(), expected.len(), "every article is checked");
        ranges.sort_unstable();
        ranges
    }

    /// Batches big enough for direct writes, small ones through the page
    /// cache between them, and a store that did not end on a block
    /// boundary: every body reads back as it was, and no record overlaps
    /// another.
    #[test]
    fn bodies_read_back_after_direct_and_buffered_writes() {
        let (_folder, path, writer) = store_holding(b"an unaligned start");
        let direct_available = open_direct(&path).is_some();
        let batches = [(0, 3, 1), (3, 400, 40), (403, 2, 1), (405, 300, 30), (705, 1, 1)];
        let mut articles: Vec<Article> = Vec::new();
        let mut expected = Vec::new();
        for (first, count, paragraphs) in batches {
            let mut batch: Vec<Article> = (first..first + count).map(|number| article(number, paragraphs)).collect();
            expected.extend(batch.iter().map(|article| article.paragraphs.clone()));
            let bytes_before = writer.len();
            writer.store_bodies(batch.iter_mut()).expect("stored");
            assert!(writer.len() > bytes_before);
            articles.extend(batch);
        }
        assert!(
            articles.iter().map(|article| article.paragraphs.len()).sum::<usize>() == 0,
            "stored bodies leave memory"
        );
        let ranges = read_back(&articles, &expected);
        assert!(ranges[0].0 >= 18, "the bytes already in the file are kept");
        assert!(ranges.windows(2).all(|pair| pair[0].1 <= pair[1].0), "records overlap");
        let big = batches.iter().any(|&(_, count, paragraphs)| count * paragraphs * 50 > DIRECT_WRITE_MIN);
        assert!(big, "a batch is big enough to be written directly");
        if direct_available {
            assert!(writer.appender().direct.is_some(), "a direct write failed");
            assert!(ranges.iter().any(|&(start, _)| start > 0 && start % DIRECT_BLOCK as u64 == 0));
        }
    }

    /// A direct write that fails (here: a handle that cannot write) is not
    /// retried: the batch goes through the page cache at the recorded end,
    /// later batches too, and every body reads back.
    #[test]
    fn a_failed_direct_write_falls_back_to_the_page_cache() {
        let (_folder, path, writer) = store_holding(b"seven b");
        writer.appender().direct = Some(File::open(&path).expect("a read-only handle"));
        let mut articles: Vec<Article> = (0..200).map(|number| article(number, 80)).collect();
        let expected: Vec<Paragraphs> = articles.iter().map(|article| article.paragraphs.clone()).collect();
        let (first, second) = articles.split_at_mut(100);
        let batch: usize = first.iter().map(|article| article.paragraphs.encoded_len()).sum();
        assert!(batch >= DIRECT_WRITE_MIN, "a batch big enough to be written directly");
        writer.store_bodies(first.iter_mut()).expect("stored");
        assert!(writer.appender().direct.is_none(), "direct writes given up");
        writer.store_bodies(second.iter_mut()).expect("stored");
        let ranges = read_back(&articles, &expected);
        assert_eq!(ranges.len(), 200);
        assert_eq!(ranges[0].0, 7, "written at the recorded end, not at a block boundary");
        assert_eq!(writer.len(), std::fs::metadata(&path).expect("stat").len());
    }

    /// A store a direct write left padded, reopened (as a restart's reloads
    /// and the next first start's appends find it), takes two big batches
    /// back to back after its padding, and every body still reads back.
    #[test]
    fn a_reopened_padded_store_takes_direct_batches_back_to_back() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("bodies.bin");
        let options = LoadOptions::default();
        let mut first: Vec<Article> = (0..400).map(|number| article(number, 40)).collect();
        let mut expected: Vec<_> = first.iter().map(|article| article.paragraphs.clone()).collect();
        {
            let writer = BodyWriter::open(&path, folder.path(), &options).expect("open");
            writer.store_bodies(first.iter_mut()).expect("stored");
            writer.sync().expect("synced");
        }
        let padded = std::fs::metadata(&path).expect("metadata").len();
        let writer = BodyWriter::open(&path, folder.path(), &options).expect("reopen");
        assert_eq!(writer.len(), padded, "appends go after what the file holds, padding included");
        let mut later: Vec<Article> = (400..1000).map(|number| article(number, 40)).collect();
        expected.extend(later.iter().map(|article| article.paragraphs.clone()));
        let (second, third) = later.split_at_mut(300);
        writer.store_bodies(second.iter_mut()).expect("second batch");
        writer.store_bodies(third.iter_mut()).expect("third batch");
        let ranges = read_back(first.iter().chain(later.iter()), &expected);
        assert!(ranges.windows(2).all(|pair| pair[0].1 <= pair[1].0), "records overlap");
        assert!(ranges.iter().filter(|&&(start, _)| start >= padded).count() == 600, "the new bodies follow the old");
        if open_direct(&path).is_some() {
            assert!(writer.appender().direct.is_some(), "a direct write failed");
        }
    }
}
