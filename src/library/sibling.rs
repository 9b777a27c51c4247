//! Sidecars in a metadata folder beside the text folder, as scrapers save
//! them: `data/metadata/X.json` describes `data/txt/X.txt` (newspaper's
//! own test data has this layout).
//!
//! Only a folder whose name says it holds metadata (`metadata`, `meta`,
//! `json`) pairs this way, and only with the one article file of that name
//! in a sibling folder: two unrelated folders (`2020/a.json`, `2021/a.txt`)
//! never pair, and neither does an ambiguous name. A JSON file beside its
//! article always wins over this rule. When the JSON holds the text too
//! (newspaper saves `text` in it), the JSON is the article and the text
//! file its copy, listed as ignored, so one article is not served twice.
//! The full load ([`Index`]) and a reload of one file ([`sidecar_of`],
//! [`owner_of`]) apply the same rule.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::LoadOptions;
use super::load::{Class, classify, is_ignored_name};

/// Folder names that hold metadata for the files in their sibling folders.
const METADATA_FOLDERS: &[&str] = &["metadata", "meta", "json"];

/// The folder above a file's folder, and the file's name without extension.
type Key = (PathBuf, OsString);

fn key(path: &Path) -> Option<Key> {
    let grandparent = path.parent()?.parent()?.to_path_buf();
    Some((grandparent, path.file_stem()?.to_os_string()))
}

fn in_metadata_folder(path: &Path) -> bool {
    let folder = path.parent().and_then(Path::file_name).and_then(OsStr::to_str).unwrap_or("");
    METADATA_FOLDERS.iter().any(|name| name.eq_ignore_ascii_case(folder))
}

/// Article files by [`Key`], for pairing a whole directory at once.
pub(crate) struct Index {
    by_key: HashMap<Key, Vec<usize>>,
}

impl Index {
    /// Indexes `paths` (the candidates' paths, by position).
    pub fn new<'a>(paths: impl Iterator<Item = &'a Path>) -> Self {
        let mut by_key: HashMap<Key, Vec<usize>> = HashMap::new();
        for (index, path) in paths.enumerate() {
            if let Some(key) = key(path).filter(|_| !in_metadata_folder(path)) {
                by_key.entry(key).or_default().push(index);
            }
        }
        Self { by_key }
    }

    /// The position of the one article file `json` describes, if any.
    pub fn owner(&self, json: &Path) -> Option<usize> {
        if !in_metadata_folder(json) {
            return None;
        }
        match self.by_key.get(&key(json)?)?.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }
}

/// Whether the JSON file holds an article's text (see
/// [`crate::article::json_has_body`]); an unreadable file does not.
pub(crate) fn has_body(dir: &Path, json: &Path) -> bool {
    std::fs::read(dir.join(json)).is_ok_and(|bytes| crate::article::json_has_body(&bytes))
}

/// The article files in sibling folders of `json`'s folder with its name.
fn siblings(dir: &Path, json: &Path, options: &LoadOptions) -> Vec<PathBuf> {
    let Some((grandparent, stem)) = key(json) else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir.join(&grandparent)) else { return Vec::new() };
    let mut found = Vec::new();
    let visible = |entry: &std::fs::DirEntry| !is_ignored_name(&entry.file_name().to_string_lossy());
    for folder in entries.filter_map(Result::ok).filter(|entry| visible(entry) && entry.path().is_dir()) {
        let Ok(files) = std::fs::read_dir(folder.path()) else { continue };
        for file in files.filter_map(Result::ok).filter(|entry| visible(entry) && entry.path().is_file()) {
            let path = grandparent.join(folder.file_name()).join(file.file_name());
            let same_name = path.file_stem() == Some(stem.as_os_str());
            if same_name && !in_metadata_folder(&path) && matches!(classify(&path, options), Class::Article { .. }) {
                found.push(path);
            }
        }
    }
    found
}

/// The one article file `json` (in a metadata folder) describes.
pub(crate) fn owner_of(dir: &Path, json: &Path, options: &LoadOptions) -> Option<PathBuf> {
    if !in_metadata_folder(json) {
        return None;
    }
    let mut found = siblings(dir, json, options);
    (found.len() == 1).then(|| found.pop()).flatten()
}

/// The sidecar of `article` in a sibling metadata folder, if it has one.
pub(crate) fn sidecar_of(dir: &Path, article: &Path, options: &LoadOptions) -> Option<PathBuf> {
    let (grandparent, stem) = key(article)?;
    let mut name = stem;
    name.push(".json");
    METADATA_FOLDERS
        .iter()
        .map(|folder| grandparent.join(folder).join(&name))
        .find(|json| dir.join(json).is_file() && owner_of(dir, json, options).as_deref() == Some(article))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_only_from_a_metadata_folder_with_one_sibling_of_that_name() {
        let paths = ["d/txt/a.txt", "d/txt/b.txt", "d/html/b.txt", "d/other/c.txt"].map(Path::new);
        let index = Index::new(paths.iter().copied());
        assert_eq!(index.owner(Path::new("d/metadata/a.json")), Some(0));
        assert_eq!(index.owner(Path::new("d/metadata/b.json")), None, "two siblings named b");
        assert_eq!(index.owner(Path::new("d/2021/c.json")), None, "not a metadata folder");
        assert_eq!(index.owner(Path::new("d/json/zz.json")), None);
    }
}
