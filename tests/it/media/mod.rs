//! Images: files served at `/media/`, lead images, images in bodies,
//! resized copies, link previews, lists and feeds, and the broken and
//! hostile files an articles folder may hold. Every image is made here
//! (see `support::images`).

mod check;
mod pages;
mod serving;

use std::path::Path;

use crate::support::{SEED_ID, repo_articles};

/// Writes `bytes` at `path` below `dir`, creating folders.
pub fn put(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    std::fs::write(path, bytes).expect("write");
}

/// A folder with the seed article.
pub fn with_seed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read(repo_articles().join(format!("{SEED_ID}.txt"))).expect("seed");
    put(dir.path(), &format!("{SEED_ID}.txt"), &seed);
    dir
}
