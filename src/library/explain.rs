//! `broadsheet check --explain PATH`: one file read the way the loader
//! reads it (its layout, its sidecar), with the parser's account of each
//! line and field.

use std::path::{Path, PathBuf};

use super::LoadOptions;
use super::load::{Class, classify};
use super::read::read_limited;
use super::reload::changes::find_sidecar;
use crate::article::{self, ArticleId, Explanation, FileInput, FileKind, Sidecar};

/// How one file of `dir` was read, and the sidecar used, if any.
pub struct FileExplanation {
    /// The file, relative to the articles directory.
    pub path: PathBuf,
    pub sidecar: Option<PathBuf>,
    pub explanation: Explanation,
}

/// Reads `path` (relative to `dir`, or a path that lies inside it) as the
/// loader would; the error says why the file cannot be explained.
pub fn explain_file(dir: &Path, path: &Path, options: &LoadOptions) -> Result<FileExplanation, String> {
    let relative = relative_to(dir, path)?;
    let kind = match classify(&relative, options) {
        Class::Article { kind, .. } => kind,
        Class::Json => FileKind::Json,
        Class::Media => return Err("an image file, served at /media/ and shown by the articles that name it".into()),
        Class::Other(reason) => return Err(reason),
    };
    let (bytes, _) = read_limited(&dir.join(&relative), options.max_file_size).map_err(|(_, reason)| reason)?;
    let sidecar = if kind == FileKind::Json { None } else { find_sidecar(dir, &relative, options) };
    let sidecar_bytes = sidecar.as_ref().and_then(|sidecar| read_limited(&dir.join(sidecar), 1024 * 1024).ok());
    let sidecar_name = sidecar.as_ref().and_then(|path| path.file_name()).map(|name| name.to_string_lossy());
    let input = FileInput {
        id: ArticleId::from_relative_path(&relative),
        bytes: &bytes,
        kind,
        sidecar: sidecar_bytes
            .as_ref()
            .zip(sidecar_name.as_deref())
            .map(|((bytes, _), name)| Sidecar { name, bytes: bytes.as_slice() }),
    };
    let explanation = article::explain_file(&input);
    Ok(FileExplanation { path: relative, sidecar, explanation })
}

/// `path` relative to `dir`: given relative to the directory, or as a path
/// (relative to the working directory or absolute) inside it.
fn relative_to(dir: &Path, path: &Path) -> Result<PathBuf, String> {
    if dir.join(path).is_file() && path.is_relative() {
        return Ok(path.to_path_buf());
    }
    let full = path.canonicalize().map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let root = dir.canonicalize().map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    full.strip_prefix(&root)
        .map(Path::to_path_buf)
        .map_err(|_| format!("{} is not inside the articles directory {}", path.display(), dir.display()))
}
