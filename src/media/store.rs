//! Resized copies kept on disk, in `--cache-dir`, so each is made once.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ImageKind;

/// A folder of resized copies named by the source's content hash and the
/// width (`3f…a1-480.jpg`): an edited photo has a new hash, so a copy is
/// never stale, and replicas sharing the folder share the work. Copies of
/// photos that were deleted are left for the operator's cache cleaning
/// (the folder may be deleted at any time).
#[derive(Debug, Clone, Default)]
pub struct ResizedStore {
    /// `None`: no writable folder; pages then offer the originals only.
    dir: Option<PathBuf>,
}

impl ResizedStore {
    /// The store in `cache_dir/images`, created if needed; disabled (with a
    /// warning) when it cannot be created or written.
    pub fn in_cache_dir(cache_dir: &Path) -> Self {
        let dir = cache_dir.join("images");
        let writable = std::fs::create_dir_all(&dir).and_then(|()| {
            let probe = dir.join(format!(".write-test-{}", std::process::id()));
            std::fs::write(&probe, b"")?;
            std::fs::remove_file(&probe)
        });
        match writable {
            Ok(()) => Self { dir: Some(dir) },
            Err(error) => {
                tracing::warn!(dir = %dir.display(), %error, "resized images are off: the cache folder is not writable");
                Self::disabled()
            }
        }
    }

    /// No store: only originals are offered.
    pub fn disabled() -> Self {
        Self { dir: None }
    }

    /// Whether resized copies are made and offered.
    pub fn is_enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// The folder, when enabled.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn path(dir: &Path, source_hash: u128, width: u32, kind: ImageKind) -> PathBuf {
        let extension = if kind == ImageKind::Png { "png" } else { "jpg" };
        dir.join(format!("{source_hash:032x}-{width}.{extension}"))
    }

    /// The stored copy of the source with this hash at this width.
    pub fn get(&self, source_hash: u128, width: u32) -> Option<(Vec<u8>, ImageKind)> {
        let dir = self.dir.as_deref()?;
        [ImageKind::Jpeg, ImageKind::Png]
            .into_iter()
            .find_map(|kind| std::fs::read(Self::path(dir, source_hash, width, kind)).ok().map(|bytes| (bytes, kind)))
    }

    /// Keeps a copy: written to a temporary name and renamed, so a reader
    /// never sees half a file (two replicas writing the same copy write
    /// the same bytes).
    pub fn put(&self, source_hash: u128, width: u32, kind: ImageKind, bytes: &[u8]) -> std::io::Result<()> {
        let Some(dir) = self.dir.as_deref() else { return Ok(()) };
        let path = Self::path(dir, source_hash, width, kind);
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_data()?;
        std::fs::rename(&temporary, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}
