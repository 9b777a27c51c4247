//! From changed paths (what the watcher saw) to the article files a reload
//! must look at again. The events only say *where* something happened; what
//! happened is read from the disk, so a missed or reordered event cannot
//! leave the library wrong about a file it was told about.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::library::LoadOptions;
use crate::library::load::{Candidate, Class, classify, is_ignored_name, json_candidate};
use crate::library::sibling;

/// What a set of changed paths touches.
#[derive(Debug, Default)]
pub(crate) struct Affected {
    /// Article files, relative to the directory, to read again (or to drop
    /// if they are no longer there). A changed sidecar brings its article.
    pub files: BTreeSet<PathBuf>,
    /// Paths that no longer exist and may have been folders: every article
    /// under them is gone too.
    pub vanished: Vec<PathBuf>,
    /// Image files to probe again (or to drop if they are gone).
    pub media: Vec<PathBuf>,
}

/// Sorts `changed` paths (relative to `dir`) into the files to examine.
pub(crate) fn affected(dir: &Path, options: &LoadOptions, changed: impl IntoIterator<Item = PathBuf>) -> Affected {
    let mut affected = Affected::default();
    for path in changed {
        if path.as_os_str().is_empty() || is_ignored_path(&path) {
            continue;
        }
        match std::fs::symlink_metadata(dir.join(&path)) {
            Ok(metadata) if metadata.is_dir() => {
                for file in files_under(dir, &path) {
                    affected.add_file(dir, options, file);
                }
            }
            Ok(_) => affected.add_file(dir, options, path),
            Err(_) => {
                affected.add_file(dir, options, path.clone());
                affected.vanished.push(path);
            }
        }
    }
    affected
}

impl Affected {
    fn add_file(&mut self, dir: &Path, options: &LoadOptions, path: PathBuf) {
        match classify(&path, options) {
            Class::Article { .. } => {
                // A JSON file read as an article until now may have become
                // this file's sidecar: read it again too.
                if json_articles(options) {
                    self.files.extend(find_sidecar(dir, &path, options));
                }
                self.files.insert(path);
            }
            Class::Json => {
                // Unless an article beside it claims it, it may be an
                // article itself, or stop or start being one.
                let owners = sidecar_owners(dir, &path, options);
                let beside = owners.iter().any(|owner| owner.parent() == path.parent());
                self.files.extend(owners);
                if json_articles(options) && !beside {
                    self.files.insert(path);
                }
            }
            Class::Media => self.media.push(path),
            Class::Other(_) => {}
        }
    }
}

/// Whether any part of the path is hidden or an editor's temporary file.
pub(crate) fn is_ignored_path(path: &Path) -> bool {
    path.components().any(|part| is_ignored_name(&part.as_os_str().to_string_lossy()))
}

/// Every file under `folder` (relative to `dir`), skipping ignored names as
/// the full load does.
fn files_under(dir: &Path, folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir.join(folder))
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| !is_ignored_name(&entry.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| entry.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

/// The article files a sidecar may belong to that exist: `NAME.<ext>` (or
/// `NAME` alone) for `NAME.json`, and `NAME_raw.<ext>` for `NAME_meta.json`.
fn sidecar_owners(dir: &Path, json: &Path, options: &LoadOptions) -> Vec<PathBuf> {
    let stem = json.with_extension("");
    let raw_stem = stem
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_suffix("_meta"))
        .map(|prefix| stem.with_file_name(format!("{prefix}_raw")));
    let mut owners = Vec::new();
    for stem in std::iter::once(stem).chain(raw_stem) {
        owners.push(stem.clone());
        let article_extensions = options.extensions.iter().filter(|extension| *extension != "json");
        owners.extend(article_extensions.map(|extension| with_added_extension(&stem, extension)));
    }
    owners.retain(|owner| dir.join(owner).is_file());
    if owners.is_empty() {
        owners.extend(sibling::owner_of(dir, json, options));
    }
    owners
}

fn json_articles(options: &LoadOptions) -> bool {
    options.extensions.iter().any(|extension| extension == "json")
}

/// The sidecar of the article file `path`, if one exists: the loader's
/// pairing rule for a single file.
pub(crate) fn find_sidecar(dir: &Path, path: &Path, options: &LoadOptions) -> Option<PathBuf> {
    let stem = path.with_extension("");
    let json = with_added_extension(&stem, "json");
    if dir.join(&json).is_file() {
        return Some(json);
    }
    let raw_meta = stem
        .file_name()
        .and_then(|name| name.to_str()?.strip_suffix("_raw"))
        .map(|prefix| stem.with_file_name(format!("{prefix}_meta.json")));
    raw_meta.filter(|meta| dir.join(meta).is_file()).or_else(|| sibling::sidecar_of(dir, path, options))
}

/// The candidate for reading the article file `path`, with its sidecar; a
/// JSON file is one when JSON articles are on and it describes no article
/// or, in a sibling metadata folder, holds the text itself (which makes
/// the text file a copy, no candidate).
pub(crate) fn candidate(dir: &Path, options: &LoadOptions, path: &Path) -> Option<Candidate> {
    match classify(path, options) {
        Class::Article { kind, sniff } => {
            let sidecar = find_sidecar(dir, path, options);
            let in_sibling = sidecar.as_deref().is_some_and(|json| json.parent() != path.parent());
            if json_articles(options)
                && in_sibling
                && sidecar.as_deref().is_some_and(|json| sibling::has_body(dir, json))
            {
                return None;
            }
            Some(Candidate::new(path.to_path_buf(), kind, sniff, sidecar))
        }
        Class::Json if json_articles(options) => {
            let owners = sidecar_owners(dir, path, options);
            let beside = owners.iter().any(|owner| owner.parent() == path.parent());
            let describes = beside || (!owners.is_empty() && !sibling::has_body(dir, path));
            (!describes).then(|| json_candidate(path.to_path_buf()))
        }
        _ => None,
    }
}

/// `a.b` + `txt` → `a.b.txt` (where `with_extension` would give `a.txt`).
fn with_added_extension(stem: &Path, extension: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str) {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("folder");
        std::fs::write(full, "Title\n\nBody.\n").expect("write");
    }

    fn paths(items: &[&str]) -> Vec<PathBuf> {
        items.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn a_changed_sidecar_brings_its_article_and_temp_files_are_ignored() {
        let dir = tempfile::tempdir().expect("dir");
        write(dir.path(), "a.txt");
        write(dir.path(), "b_raw.txt");
        // The sidecars were edited, not deleted: they exist.
        std::fs::write(dir.path().join("a.json"), "{}").expect("write sidecar");
        std::fs::write(dir.path().join("b_meta.json"), "{}").expect("write sidecar");
        let changed = paths(&["a.json", "b_meta.json", ".a.txt.swp", "a.txt~", "4913", "#a.txt#", ".#a.txt"]);
        let affected = affected(dir.path(), &LoadOptions::default(), changed);
        assert_eq!(affected.files.into_iter().collect::<Vec<_>>(), paths(&["a.txt", "b_raw.txt"]));
        assert!(affected.vanished.is_empty());
    }

    #[test]
    fn a_new_folder_brings_every_file_in_it_and_a_missing_path_may_be_a_folder() {
        let dir = tempfile::tempdir().expect("dir");
        write(dir.path(), "new/one.txt");
        write(dir.path(), "new/deeper/two.md");
        write(dir.path(), "new/.hidden/three.txt");
        let affected = affected(dir.path(), &LoadOptions::default(), paths(&["new", "old"]));
        let files: Vec<PathBuf> = affected.files.into_iter().collect();
        assert_eq!(files, paths(&["new/deeper/two.md", "new/one.txt", "old"]));
        assert_eq!(affected.vanished, paths(&["old"]));
    }

    #[test]
    fn finds_the_sidecar_of_an_article_file() {
        let dir = tempfile::tempdir().expect("dir");
        write(dir.path(), "a.json");
        write(dir.path(), "b_meta.json");
        assert_eq!(
            find_sidecar(dir.path(), Path::new("a.txt"), &LoadOptions::default()),
            Some(PathBuf::from("a.json"))
        );
        assert_eq!(
            find_sidecar(dir.path(), Path::new("b_raw.txt"), &LoadOptions::default()),
            Some(PathBuf::from("b_meta.json"))
        );
        assert_eq!(find_sidecar(dir.path(), Path::new("c.txt"), &LoadOptions::default()), None);
    }
}
