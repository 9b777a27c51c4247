//! The persisted snapshot: what the last load learned about every file,
//! kept in the cache folder so that a restart parses only the files that
//! changed while the server was down.
//!
//! A snapshot holds, for each article file, the file's identity when it was
//! read (size, modification and change times, inode; the same for its
//! sidecar) and what it became: the article's metadata with where its body
//! is in the body store (see [`super::bodies`]), or the problem it has. An
//! entry is trusted for good only when every part of the identity is
//! unchanged, so an edit, a replacement by rename or a touched sidecar is
//! always read again: a restart takes entries on their names first, serves,
//! then stats the files and reads again those that differ (see
//! [`super::persist`]).
//!
//! Only a cache: the snapshot is ignored and rebuilt when it is from
//! another format or build of Broadsheet, of another directory or options,
//! cut short or damaged (its bytes carry a hash), and a replica without a
//! writable cache folder loads from the files as before.
//!
//! On disk: an 8-byte magic, the format version (`u32`), the payload's
//! length (`u64`) and xxh3 hash (`u64`), then the payload in
//! [postcard](https://docs.rs/postcard), a compact, documented serde
//! format.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ProblemKind;
use crate::article::{Article, ArticleId, BodyAt, Details, ExcerptAt, Format, Published, Warning};

/// Bump when the layout of [`Saved`] changes; older snapshots are then
/// rebuilt, never misread.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"BSSNAP\r\n";
const HEADER_BYTES: usize = 8 + 4 + 8 + 8;

/// A file's identity: what must be unchanged for its parsed form to be
/// reused. The change time moves on every write and rename and cannot be
/// set back by tools that preserve modification times (`rsync -t`, `cp -p`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified_ns: i64,
    pub changed_ns: i64,
    pub inode: u64,
}

impl Stamp {
    /// The identity of the file `metadata` describes.
    pub fn of(metadata: &std::fs::Metadata) -> Self {
        let ns = |seconds: i64, nanos: i64| seconds.saturating_mul(1_000_000_000).saturating_add(nanos);
        Self {
            size: metadata.size(),
            modified_ns: ns(metadata.mtime(), metadata.mtime_nsec()),
            changed_ns: ns(metadata.ctime(), metadata.ctime_nsec()),
            inode: metadata.ino(),
        }
    }
}

/// Everything a snapshot file holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Saved {
    /// The Broadsheet binary that wrote it ([`build_id`]): another build
    /// may parse differently.
    pub build: u64,
    /// The articles directory, canonical.
    pub articles_dir: PathBuf,
    /// The loading options that change what a file becomes.
    pub options: u64,
    /// The body store's file name in the same folder, and its length when
    /// the snapshot was saved (a shorter file was damaged).
    pub store: String,
    pub store_len: u64,
    /// When the load that stat'ed the files began (every stat is later), in
    /// nanoseconds since the epoch: an entry modified within a second of it
    /// may have changed again in the same clock tick, and is read again
    /// rather than trusted.
    pub scanned_ns: i64,
    /// Sorted by path, as a sorted walk meets the files.
    pub entries: Vec<Entry>,
}

/// One article file and what it became.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    /// The file's identity, and its sidecar's, when it was read.
    pub file: Stamp,
    pub sidecar: Option<(PathBuf, Stamp)>,
    pub outcome: Outcome,
}

/// What a file became.
#[derive(Debug, Serialize, Deserialize)]
pub enum Outcome {
    Article(Box<ArticleRecord>),
    /// A problem of the file itself (unreadable, too large, no article).
    Problem {
        kind: u8,
        reason: String,
    },
}

/// Why a snapshot is not used.
#[derive(Debug, thiserror::Error)]
pub enum Stale {
    #[error("no snapshot yet")]
    Missing,
    #[error("cannot read the snapshot: {0}")]
    Unreadable(std::io::Error),
    #[error("not a snapshot file")]
    Foreign,
    #[error("written in snapshot format {0}, this version uses {FORMAT_VERSION}")]
    OtherFormat(u32),
    #[error("cut short: {found} bytes of {expected}")]
    Truncated { found: u64, expected: u64 },
    #[error("damaged: its bytes do not match their hash")]
    Damaged,
    #[error("cannot decode it: {0}")]
    Undecodable(postcard::Error),
    #[error("written by another build of Broadsheet, which may parse files differently")]
    OtherBuild,
    #[error("of another articles directory ({0})")]
    OtherDirectory(PathBuf),
    #[error("written with other --extensions or --max-file-size")]
    OtherOptions,
}

/// Reads the snapshot at `path` and checks that it belongs to this build,
/// this directory and these options.
pub fn read(path: &Path, articles_dir: &Path, options: u64) -> Result<Saved, Stale> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(Stale::Missing),
        Err(error) => return Err(Stale::Unreadable(error)),
    };
    let saved = decode(&bytes)?;
    if saved.build != build_id() {
        return Err(Stale::OtherBuild);
    }
    if saved.articles_dir != articles_dir {
        return Err(Stale::OtherDirectory(saved.articles_dir));
    }
    if saved.options != options {
        return Err(Stale::OtherOptions);
    }
    Ok(saved)
}

/// The payload of a snapshot file's bytes, checked.
pub fn decode(bytes: &[u8]) -> Result<Saved, Stale> {
    let Some((header, payload)) = bytes.split_at_checked(HEADER_BYTES) else {
        return Err(if bytes.starts_with(&MAGIC[..bytes.len().min(MAGIC.len())]) {
            Stale::Truncated { found: bytes.len() as u64, expected: HEADER_BYTES as u64 }
        } else {
            Stale::Foreign
        });
    };
    if &header[..8] != MAGIC {
        return Err(Stale::Foreign);
    }
    let number =
        |at: usize, width: usize| header[at..at + width].iter().rev().fold(0u64, |n, &b| n << 8 | u64::from(b));
    let format = number(8, 4) as u32;
    if format != FORMAT_VERSION {
        return Err(Stale::OtherFormat(format));
    }
    let (length, hash) = (number(12, 8), number(20, 8));
    if payload.len() as u64 != length {
        return Err(Stale::Truncated { found: payload.len() as u64, expected: length });
    }
    if xxhash_rust::xxh3::xxh3_64(payload) != hash {
        return Err(Stale::Damaged);
    }
    postcard::from_bytes(payload).map_err(Stale::Undecodable)
}

/// The bytes of a snapshot file holding `saved`.
pub fn encode(saved: &Saved) -> Result<Vec<u8>, postcard::Error> {
    let payload = postcard::to_stdvec(saved)?;
    let mut bytes = Vec::with_capacity(HEADER_BYTES + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// Writes `saved` to `path` whole or not at all: to a temporary file,
/// synced, then renamed over the old snapshot.
pub fn write(path: &Path, saved: &Saved) -> std::io::Result<()> {
    let bytes = encode(saved).map_err(std::io::Error::other)?;
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(&bytes)?;
    file.sync_data()?;
    drop(file);
    std::fs::rename(&temporary, path)
}

/// What identifies this build of Broadsheet: a hash of its executable, so
/// any rebuild (a parser fix) invalidates snapshots it did not write.
/// Read once; 0 when the executable cannot be read (snapshots are then
/// shared by every such build, which only happens on exotic systems).
pub fn build_id() -> u64 {
    static ID: OnceLock<u64> = OnceLock::new();
    *ID.get_or_init(|| {
        std::env::current_exe().and_then(std::fs::read).map(|bytes| xxhash_rust::xxh3::xxh3_64(&bytes)).unwrap_or(0)
    })
}

/// A hash of the options that change what a file becomes.
pub fn options_key(options: &super::LoadOptions) -> u64 {
    let mut extensions = options.extensions.clone();
    extensions.sort();
    let text = format!("{}|{}", extensions.join(","), options.max_file_size);
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Whether a snapshot entry whose file had identity `file` and whose
/// sidecar was `sidecar` can stand for the file `candidate` found by this
/// load, in a snapshot scanned at `scanned_ns`: both settled when the
/// snapshot was taken (any later write then moved a time) and the same
/// sidecar. The walk finds names only: the candidate is taken on trust
/// until its identity is checked (see [`super::persist::Deferred::verify`]).
pub(crate) fn reusable(
    file: &Stamp,
    sidecar: Option<&(PathBuf, Stamp)>,
    candidate: &super::load::Candidate,
    scanned_ns: i64,
) -> bool {
    const SAME_TICK_NS: i64 = 1_000_000_000;
    let settled = |stamp: &Stamp| stamp.modified_ns.max(stamp.changed_ns) < scanned_ns - SAME_TICK_NS;
    settled(file)
        && sidecar.is_none_or(|(_, sidecar)| settled(sidecar))
        && candidate.sidecar.as_ref() == sidecar.map(|(path, _)| path)
}

/// A problem kind as one byte, and back.
pub fn problem_code(kind: ProblemKind) -> u8 {
    match kind {
        ProblemKind::Unreadable => 0,
        ProblemKind::TooLarge => 1,
        ProblemKind::NotAnArticle => 2,
        ProblemKind::DuplicateId => 3,
    }
}

pub fn problem_kind(code: u8) -> Option<ProblemKind> {
    Some(match code {
        0 => ProblemKind::Unreadable,
        1 => ProblemKind::TooLarge,
        2 => ProblemKind::NotAnArticle,
        3 => ProblemKind::DuplicateId,
        _ => return None,
    })
}

/// An article's metadata as a snapshot keeps it: everything but the body,
/// which is in the body store at `body`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArticleRecord {
    id: String,
    title: String,
    section: Option<String>,
    date: Option<(i16, i8, i8)>,
    source: Option<String>,
    word_count: u64,
    excerpt: (u32, u32, bool),
    modified_ns: Option<i128>,
    format: u8,
    details: Option<Box<DetailsRecord>>,
    body: BodyAt,
}

#[derive(Debug, Serialize, Deserialize)]
struct DetailsRecord {
    published: Option<(i128, i32)>,
    author: Option<String>,
    url: Option<String>,
    tags: Vec<String>,
    summary: Option<String>,
    image: Option<String>,
    highlights: Vec<String>,
    metadata: Vec<(String, String)>,
    sidecar: Option<String>,
    encoding: Option<String>,
    warnings: Vec<WarningRecord>,
}

/// [`Warning`] with owned text (an encoding's name is `&'static str` in
/// memory; it is looked up again by label).
#[derive(Debug, Serialize, Deserialize)]
enum WarningRecord {
    Encoding(String),
    InvalidBytes(u64),
    TrailingNuls(u64),
    ControlCharacters(u64),
    ReplacementCharacters,
    Sidecar(String),
    FrontMatter(String),
    AmbiguousDate(String),
    UnknownDate(String),
    NoTitleLine,
    Markup(String),
    DeepQuotes(u64),
}

/// An encoding's `&'static` name from its label.
fn encoding_name(label: &str) -> &'static str {
    encoding_rs::Encoding::for_label(label.as_bytes()).map_or("unknown", encoding_rs::Encoding::name)
}

impl From<&Warning> for WarningRecord {
    fn from(warning: &Warning) -> Self {
        match warning {
            Warning::Encoding(name) => Self::Encoding((*name).to_owned()),
            Warning::InvalidBytes(count) => Self::InvalidBytes(*count as u64),
            Warning::TrailingNuls(count) => Self::TrailingNuls(*count as u64),
            Warning::ControlCharacters(count) => Self::ControlCharacters(*count as u64),
            Warning::ReplacementCharacters => Self::ReplacementCharacters,
            Warning::Sidecar(text) => Self::Sidecar(text.clone()),
            Warning::FrontMatter(text) => Self::FrontMatter(text.clone()),
            Warning::AmbiguousDate(text) => Self::AmbiguousDate(text.clone()),
            Warning::UnknownDate(text) => Self::UnknownDate(text.clone()),
            Warning::NoTitleLine => Self::NoTitleLine,
            Warning::Markup(text) => Self::Markup(text.clone()),
            Warning::DeepQuotes(depth) => Self::DeepQuotes(*depth as u64),
        }
    }
}

impl From<WarningRecord> for Warning {
    fn from(record: WarningRecord) -> Self {
        let count = |count: u64| usize::try_from(count).unwrap_or(usize::MAX);
        match record {
            WarningRecord::Encoding(name) => Self::Encoding(encoding_name(&name)),
            WarningRecord::InvalidBytes(n) => Self::InvalidBytes(count(n)),
            WarningRecord::TrailingNuls(n) => Self::TrailingNuls(count(n)),
            WarningRecord::ControlCharacters(n) => Self::ControlCharacters(count(n)),
            WarningRecord::ReplacementCharacters => Self::ReplacementCharacters,
            WarningRecord::Sidecar(text) => Self::Sidecar(text),
            WarningRecord::FrontMatter(text) => Self::FrontMatter(text),
            WarningRecord::AmbiguousDate(text) => Self::AmbiguousDate(text),
            WarningRecord::UnknownDate(text) => Self::UnknownDate(text),
            WarningRecord::NoTitleLine => Self::NoTitleLine,
            WarningRecord::Markup(text) => Self::Markup(text),
            WarningRecord::DeepQuotes(n) => Self::DeepQuotes(count(n)),
        }
    }
}

fn timestamp_ns(timestamp: jiff::Timestamp) -> i128 {
    timestamp.as_nanosecond()
}

fn timestamp(ns: i128) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_nanosecond(ns).ok()
}

impl ArticleRecord {
    /// The record of `article`, whose body is at `body`.
    pub fn new(article: &Article, body: BodyAt) -> Self {
        let details = article.details.as_deref().map(|details| {
            Box::new(DetailsRecord {
                published: details
                    .published
                    .as_ref()
                    .map(|published| (timestamp_ns(published.timestamp), published.offset.seconds())),
                author: details.author.clone(),
                url: details.url.clone(),
                tags: details.tags.clone(),
                summary: details.summary.clone(),
                image: details.image.clone(),
                highlights: details.highlights.clone(),
                metadata: details.metadata.clone(),
                sidecar: details.sidecar.clone(),
                encoding: details.encoding.map(str::to_owned),
                warnings: details.warnings.iter().map(WarningRecord::from).collect(),
            })
        });
        Self {
            id: article.id.as_str().to_owned(),
            title: article.title.clone(),
            section: article.section.clone(),
            date: article.date.map(|date| (date.year(), date.month(), date.day())),
            source: article.source.clone(),
            word_count: article.word_count as u64,
            excerpt: (article.excerpt_at.paragraph, article.excerpt_at.length, article.excerpt_at.cut),
            modified_ns: article.modified.map(timestamp_ns),
            format: Format::ALL.iter().position(|format| *format == article.format).unwrap_or(0) as u8,
            details,
            body,
        }
    }

    /// Where the body is in the store.
    pub fn body(&self) -> BodyAt {
        self.body
    }

    /// The article again, from file `path`, without its body (the caller
    /// attaches the stored one). `None` when a field does not read back.
    pub fn into_article(self, path: PathBuf) -> Option<Article> {
        let date = match self.date {
            Some((year, month, day)) => Some(jiff::civil::Date::new(year, month, day).ok()?),
            None => None,
        };
        let details = match self.details {
            Some(details) => {
                let details = *details;
                let published = match details.published {
                    Some((ns, offset)) => Some(Published {
                        timestamp: timestamp(ns)?,
                        offset: jiff::tz::Offset::from_seconds(offset).ok()?,
                    }),
                    None => None,
                };
                Details {
                    published,
                    author: details.author,
                    url: details.url,
                    tags: details.tags,
                    summary: details.summary,
                    image: details.image,
                    highlights: details.highlights,
                    metadata: details.metadata,
                    sidecar: details.sidecar,
                    encoding: details.encoding.as_deref().map(encoding_name),
                    warnings: details.warnings.into_iter().map(Warning::from).collect(),
                }
                .boxed()
            }
            None => None,
        };
        let (paragraph, length, cut) = self.excerpt;
        Some(Article {
            id: ArticleId::new(self.id),
            title: self.title,
            section: self.section,
            date,
            source: self.source,
            paragraphs: Default::default(),
            word_count: usize::try_from(self.word_count).ok()?,
            excerpt_at: ExcerptAt { paragraph, length, cut },
            modified: match self.modified_ns {
                Some(ns) => Some(timestamp(ns)?),
                None => None,
            },
            path: Some(path),
            format: *Format::ALL.get(usize::from(self.format))?,
            details,
            stored: None,
        })
    }
}
