//! Reading one article file (and its sidecar) from disk and parsing it.
//! This is the loader's only file I/O; parsing itself is pure.

use crate::article::Warning;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::ProblemKind;
use super::load::Candidate;
use super::snapshot::Stamp;
use crate::article::{self, Article, ArticleId, DecodeError, FileInput, ParseError, Sidecar};

/// The largest sidecar read; metadata is never this big.
const MAX_SIDECAR_SIZE: u64 = 1024 * 1024;

/// What became of one candidate file.
#[derive(Debug)]
pub(crate) enum Loaded {
    /// In the `Arc` the library will share it by from the start: moving a
    /// million articles of a few hundred bytes from box to vector to `Arc`
    /// cost a restart seconds of copies into freshly faulted pages.
    Article(Arc<Article>),
    /// Why the file is not an article, phrased for the person fixing it.
    Problem(ProblemKind, String),
    /// A file without extension whose content is not text, or a JSON file
    /// that is not an article (a feed dump, metadata without a body).
    Ignored(&'static str),
}

/// Reads and parses one file; `candidate.path` is relative to `dir`.
pub(crate) fn load_file(dir: &Path, candidate: &Candidate, max_file_size: u64) -> Loaded {
    load_file_stamped(dir, candidate, max_file_size).0
}

/// The identities of an article's file and sidecar as they were read:
/// taken from the open files before reading them, so that what a snapshot
/// records is never newer than what was parsed (and costs no stat of its
/// own: at a million files, stat-ing them in the walk took four seconds).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ReadStamps {
    pub file: Option<Stamp>,
    pub sidecar: Option<Stamp>,
}

/// [`load_file`], with the identities of the files read.
pub(crate) fn load_file_stamped(dir: &Path, candidate: &Candidate, max_file_size: u64) -> (Loaded, ReadStamps) {
    let full_path = dir.join(&candidate.path);
    let mut stamps = ReadStamps::default();
    let (bytes, modified) = match read_stamped(&full_path, max_file_size, &mut stamps.file) {
        Ok(read) => read,
        Err((kind, reason)) => return (Loaded::Problem(kind, reason), stamps),
    };
    let mut warnings = Vec::new();
    let mut modified = modified;
    let sidecar_bytes = candidate.sidecar.as_ref().and_then(|sidecar| {
        match read_stamped(&dir.join(sidecar), MAX_SIDECAR_SIZE, &mut stamps.sidecar) {
            // The article changes when either file does.
            Ok((bytes, sidecar_modified)) => {
                modified = modified.max(sidecar_modified);
                Some(bytes)
            }
            Err((_, reason)) => {
                warnings.push(Warning::Sidecar(format!("sidecar {}: {reason}", sidecar.display())));
                None
            }
        }
    });
    let sidecar_name = candidate.sidecar.as_ref().and_then(|path| path.file_name()).map(|name| name.to_string_lossy());
    let input = FileInput {
        id: ArticleId::from_relative_path(&candidate.path),
        bytes: &bytes,
        kind: candidate.kind,
        sidecar: sidecar_bytes.as_deref().zip(sidecar_name.as_deref()).map(|(bytes, name)| Sidecar { name, bytes }),
    };
    (parsed(candidate, &input, modified, warnings), stamps)
}

/// What the parsed `input` of `candidate` becomes.
fn parsed(
    candidate: &Candidate,
    input: &FileInput<'_>,
    modified: Option<jiff::Timestamp>,
    warnings: Vec<Warning>,
) -> Loaded {
    match article::parse_file(input) {
        Ok(mut article) => {
            article.modified = modified;
            article.path = Some(candidate.path.clone());
            if !warnings.is_empty() {
                article.details_mut().warnings.extend(warnings);
            }
            Loaded::Article(Arc::new(article))
        }
        Err(ParseError::Decode(DecodeError::Binary(_))) if candidate.sniff => {
            Loaded::Ignored("no extension, and the content is not text")
        }
        Err(ParseError::NotAnArticle(reason)) => Loaded::Ignored(reason),
        Err(error) => Loaded::Problem(ProblemKind::NotAnArticle, error.to_string()),
    }
}

/// Reads at most `limit` bytes, with the file's modification time. A larger
/// file is an error without reading it all.
pub(crate) fn read_limited(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, Option<jiff::Timestamp>), (ProblemKind, String)> {
    read_stamped(path, limit, &mut None)
}

/// [`read_limited`], setting `stamp` to the file's identity once it is
/// open (also when it is then too large).
fn read_stamped(
    path: &Path,
    limit: u64,
    stamp: &mut Option<Stamp>,
) -> Result<(Vec<u8>, Option<jiff::Timestamp>), (ProblemKind, String)> {
    let unreadable = |error: std::io::Error| (ProblemKind::Unreadable, format!("cannot read the file: {error}"));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    *stamp = Some(Stamp::of(&metadata));
    let too_big = |size: u64| {
        let reason = format!(
            "the file is {size} bytes, more than the limit of {limit} bytes; split it or raise --max-file-size"
        );
        (ProblemKind::TooLarge, reason)
    };
    if metadata.len() > limit {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow between the size check and the read.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    let modified = metadata.modified().ok().and_then(|time| jiff::Timestamp::try_from(time).ok());
    Ok((bytes, modified))
}
