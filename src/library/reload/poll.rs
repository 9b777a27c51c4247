//! `--watch poll`: finds changes by comparing the tree at intervals, for
//! filesystems whose changes raise no events (NFS, SMB, some containers).
//!
//! notify's own `PollWatcher` compares modification times in whole seconds
//! and only forwards, so it misses a second save within the same second and
//! a file replaced by an older copy (`rsync -t`, `cp -p`). This compares
//! size, modification time to the nanosecond, inode and (on Unix) the
//! inode's change time, which no writer can set back. A changed path is
//! reported once a later poll finds it unchanged: the poll-mode debounce,
//! so a file still being written is read when it has settled.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

use super::watch::Trigger;
use crate::library::load::is_ignored_name;

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode and status-change time on Unix; zero elsewhere.
    inode: u64,
    changed_nanos: i128,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        let (inode, changed_nanos) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.ino(), i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec()))
        };
        #[cfg(not(unix))]
        let (inode, changed_nanos) = (0, 0);
        Self { len: metadata.len(), modified: metadata.modified().ok(), inode, changed_nanos }
    }
}

/// Every file under the root, relative, with its stamp.
type Tree = HashMap<PathBuf, Stamp>;

/// A running poller; dropping it stops the thread at its next wake-up.
pub(crate) struct Poller {
    _stop: Sender<()>,
}

/// Polls `root` every `interval` on a thread of its own, sending settled
/// changes to `triggers`.
pub(crate) fn start(root: PathBuf, interval: Duration, triggers: Sender<Trigger>) -> std::io::Result<Poller> {
    let (stop, stopped) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("watch-poll".to_owned())
        .spawn(move || run(&root, interval, &triggers, &stopped))?;
    Ok(Poller { _stop: stop })
}

fn run(root: &Path, interval: Duration, triggers: &Sender<Trigger>, stopped: &Receiver<()>) {
    let mut previous = scan(root);
    let mut unsettled: HashSet<PathBuf> = HashSet::new();
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(interval) {
        let current = scan(root);
        let changed = differences(&previous, &current);
        let settled: Vec<PathBuf> = unsettled.difference(&changed).cloned().collect();
        if !settled.is_empty() && triggers.send(Trigger::Changed(settled)).is_err() {
            return;
        }
        unsettled = changed;
        previous = current;
    }
}

/// Stamps every file under `root`, skipping hidden and temporary names.
fn scan(root: &Path) -> Tree {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let stamp = Stamp::of(&entry.metadata().ok()?);
            Some((entry.path().strip_prefix(root).ok()?.to_path_buf(), stamp))
        })
        .collect()
}

/// Paths added, removed or changed between two scans.
fn differences(before: &Tree, after: &Tree) -> HashSet<PathBuf> {
    let changed = after.iter().filter(|(path, stamp)| before.get(*path) != Some(stamp)).map(|(path, _)| path);
    let removed = before.keys().filter(|path| !after.contains_key(*path));
    changed.chain(removed).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_write_within_the_same_second_is_a_difference() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("a.txt"), "one").expect("write");
        std::fs::write(dir.path().join(".a.txt.swp"), "junk").expect("write");
        let before = scan(dir.path());
        assert_eq!(before.len(), 1, "temporary files are not watched");
        std::fs::write(dir.path().join("a.txt"), "two").expect("write");
        std::fs::write(dir.path().join("b.txt"), "new").expect("write");
        let after = scan(dir.path());
        let mut changed: Vec<PathBuf> = differences(&before, &after).into_iter().collect();
        changed.sort();
        assert_eq!(changed, [PathBuf::from("a.txt"), PathBuf::from("b.txt")]);
        std::fs::remove_file(dir.path().join("a.txt")).expect("remove");
        assert_eq!(differences(&after, &scan(dir.path())), HashSet::from([PathBuf::from("a.txt")]));
    }
}
