//! Finding `../shared` (the seeds and the real-world corpus) from tests.
//!
//! On a user's machine without `../shared`, tests that need it print a notice
//! and pass; under `BROADSHEET_E2E=1` (CI) a missing folder is a failure.

use std::path::PathBuf;

/// `../shared/<sub>` beside the repository (or below `BROADSHEET_SHARED`,
/// for a clone elsewhere), or `None` (after a notice) when it is absent
/// outside CI.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("BROADSHEET_SHARED")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"), PathBuf::from);
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("BROADSHEET_E2E").as_deref() != Ok("1"),
        "{} is missing, and BROADSHEET_E2E=1 requires it",
        dir.display()
    );
    eprintln!("notice: skipping, {} is not present", dir.display());
    None
}
