//! The persisted snapshot and body store: a load that reuses what the last
//! one saved gives the same library as reading every file, whatever
//! happened to the files or to the cache folder in between.
//!
//! Reuse needs files whose times are more than a second older than the
//! scan (see `snapshot::reusable`), so fixtures are written, then the test
//! waits that second once, before the first cached load.

use std::path::{Path, PathBuf};
use std::time::Duration;

use broadsheet::library::{
    CacheFolder, CachedLoad, Library, LoadOptions, LoadProgress, load_dir_cached, load_dir_deferred, load_dir_with,
};
use proptest::prelude::*;

use crate::support::shared_data::shared_dir;

/// Everything a reader or an API client can see of a library, in order.
fn view(library: &Library) -> Vec<String> {
    let mut lines: Vec<String> = library
        .articles()
        .iter()
        .map(|article| {
            format!(
                "{} | {:?} | {:?} | {:?} | {:?} | {} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
                article.id,
                article.title,
                article.section,
                article.date,
                article.source,
                article.word_count,
                article.excerpt(),
                article.path,
                article.format,
                article.modified,
                article.details(),
                article.body().to_vec(),
            )
        })
        .collect();
    lines.extend(library.problems().iter().map(|problem| format!("problem {problem:?}")));
    lines
}

/// Fails with the first line that differs (whole views are long).
#[track_caller]
fn assert_same(actual: &Library, expected: &Library) {
    let (actual, expected) = (view(actual), view(expected));
    for (index, (a, e)) in actual.iter().zip(&expected).enumerate() {
        assert_eq!(a, e, "line {index} differs");
    }
    assert_eq!(actual.len(), expected.len(), "different lengths");
}

/// A cached load of `dir` with the cache folder `cache`, saving the
/// snapshot it leaves as the server does (after the load).
fn cached(dir: &Path, cache: &Path) -> CachedLoad {
    cached_saving(dir, cache).0
}

/// [`cached`], and whether it saved a snapshot.
fn cached_saving(dir: &Path, cache: &Path) -> (CachedLoad, bool) {
    let folder = broadsheet::library::persist::folder_for(cache, dir);
    let folder = CacheFolder { folder: &folder, min_files: 0 };
    let mut loaded =
        load_dir_cached(dir, &LoadOptions::default(), &LoadProgress::default(), Some(folder)).expect("load");
    let saved = loaded.save.take().map(|save| save.save(&loaded.library).expect("save the snapshot")).is_some();
    (loaded, saved)
}

fn fresh(dir: &Path) -> Library {
    load_dir_with(dir, &LoadOptions::default()).expect("load")
}

/// Waits until files written so far are older than the racy window.
fn settle() {
    std::thread::sleep(Duration::from_millis(1100));
}

/// Hand-written files of every kind the loader tells apart: articles in
/// several layouts, a sidecar, a duplicate id, an empty file, a binary
/// file without extension, a nested folder.
fn write_edge_cases(dir: &Path) {
    let files: &[(&str, &[u8])] = &[
        ("wire.txt", b"World\n\nA headline\n\nNov 16, 2024\n\nThis content originally appeared on Reuters.\n\nFirst paragraph here.\n\nSecond one.\n"),
        ("post.md", b"---\ntitle: A post\ndate: 2024-03-02\ntags: [a, b]\nimage: pic.jpg\n---\n\nSome *Markdown* text.\n\n![alt](pic.jpg)\n"),
        ("titled.txt", b"Just a title line\n\nAnd the body, which is short.\n"),
        ("meta.txt", b"The text of an article with a sidecar.\n\nMore text.\n"),
        ("meta.json", br#"{"title": "Sidecar title", "date": "2023-01-05", "authors": ["Someone"]}"#),
        ("dup.txt", b"Duplicate one\n\nBody.\n"),
        ("dup.md", b"# Duplicate two\n\nBody.\n"),
        ("empty.txt", b""),
        ("noext", b"\x00\x01\x02\x03binary\x00"),
        ("folder/nested.txt", b"Nested title\n\nNested body text.\n"),
        ("latin1.txt", b"Caf\xe9 title\n\nCaf\xe9 cr\xe8me, d\xe9j\xe0 vu.\n"),
    ];
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, bytes).expect("write");
    }
}

/// Up to `per_collection` files of each collection of the real corpora,
/// with their folders, so every real layout is in the snapshot.
fn copy_real_files(dir: &Path, per_collection: usize) -> bool {
    let mut copied = false;
    for corpus in ["corpus", "corpus-2"] {
        let Some(root) = shared_dir(corpus) else { return false };
        let mut collections: Vec<PathBuf> = std::fs::read_dir(&root)
            .expect("corpus")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        collections.sort();
        for collection in collections {
            let mut files: Vec<PathBuf> = walk(&collection);
            files.sort();
            for file in files.into_iter().take(per_collection) {
                let relative = file.strip_prefix(&root).expect("inside");
                let target = dir.join(corpus).join(relative);
                std::fs::create_dir_all(target.parent().expect("parent")).expect("folder");
                std::fs::copy(&file, &target).expect("copy");
                copied = true;
            }
        }
    }
    copied
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A directory of real and hand-written files, settled, shared by the
/// tests that only read it.
fn settled_fixture() -> &'static Path {
    static FIXTURE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            write_edge_cases(dir.path());
            copy_real_files(dir.path(), 12);
            settle();
            dir
        })
        .path()
}

#[test]
fn a_restart_reuses_every_unchanged_file_and_serves_the_same_library() {
    let dir = settled_fixture();
    let cache = tempfile::tempdir().expect("cache");
    let (first, saved) = cached_saving(dir, cache.path());
    assert_eq!(first.reused, 0);
    assert!(saved);
    // The fixture has an ignored file and an article that loses its id to
    // another: both are read again, but the snapshot would not change.
    let (second, saved) = cached_saving(dir, cache.path());
    let expected = fresh(dir);
    let files = expected.len()
        + expected.problems().iter().filter(|p| p.kind != broadsheet::library::ProblemKind::DuplicateId).count();
    assert!(second.reused >= files - 1, "reused {} of {files} files", second.reused);
    assert!(!saved, "nothing changed, so nothing to save");
    assert_same(&second.library, &expected);
    assert_same(&first.library, &expected);
    // Bodies are in the store, not in memory.
    assert!(second.library.articles().iter().all(|article| article.stored.is_some()));
}

/// A file added while stopped is read, and saved: the start after next
/// reads nothing and saves nothing.
#[test]
fn a_file_added_while_stopped_is_saved_once() {
    let dir = tempfile::tempdir().expect("articles");
    let article = |name: &str| {
        let text = format!("World\n\n{name} is the title\n\nNovember 16, 2024\n\nA body about {name}.\n");
        std::fs::write(dir.path().join(format!("{name}.txt")), text).expect("write");
    };
    article("first");
    article("second");
    settle();
    let cache = tempfile::tempdir().expect("cache");
    assert!(cached_saving(dir.path(), cache.path()).1);
    article("third");
    settle();
    let (added, saved) = cached_saving(dir.path(), cache.path());
    assert_eq!((added.reused, added.library.len(), saved), (2, 3, true));
    let (again, saved) = cached_saving(dir.path(), cache.path());
    assert_eq!((again.reused, saved), (3, false));
    assert_same(&again.library, &fresh(dir.path()));
}

/// A file the read gives up on before its sidecar (too large) is a problem
/// the snapshot records with both identities: the next start reads
/// nothing and saves nothing.
#[test]
fn a_problem_with_a_sidecar_is_saved_once() {
    let dir = tempfile::tempdir().expect("articles");
    for name in ["first", "second"] {
        let text = format!("World\n\n{name} is the title\n\nNovember 16, 2024\n\nA body about {name}.\n");
        std::fs::write(dir.path().join(format!("{name}.txt")), text).expect("write");
    }
    std::fs::write(dir.path().join("big.txt"), "Big\n\n".repeat(1000)).expect("write");
    std::fs::write(dir.path().join("big.json"), r#"{"title": "Big"}"#).expect("write");
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let options = LoadOptions { max_file_size: 2000, ..LoadOptions::default() };
    let load = || {
        let folder = broadsheet::library::persist::folder_for(cache.path(), dir.path());
        let folder = CacheFolder { folder: &folder, min_files: 0 };
        let mut loaded = load_dir_cached(dir.path(), &options, &LoadProgress::default(), Some(folder)).expect("load");
        let saved = loaded.save.take().map(|save| save.save(&loaded.library).expect("save")).is_some();
        (loaded, saved)
    };
    let (first, saved) = load();
    assert!(saved);
    assert_eq!((first.library.len(), first.library.problems().len()), (2, 1));
    let (second, saved) = load();
    assert_eq!((second.reused, saved), (3, false), "the problem comes from the snapshot");
    assert_eq!(second.library.problems(), first.library.problems());
}

/// The snapshot file of a cache folder used for one directory.
fn snapshot_file(cache: &Path) -> PathBuf {
    let folder = std::fs::read_dir(cache)
        .expect("cache")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.file_name().is_some_and(|name| name.to_string_lossy().starts_with("library-v")))
        .expect("a library folder");
    folder.join("snapshot.bin")
}

/// Loads once to save a snapshot, spoils it with `spoil`, and checks that
/// the next load trusts none of it and still gives the library a fresh
/// load gives.
fn spoiled_snapshot_is_rebuilt(spoil: impl FnOnce(&Path)) {
    let dir = settled_fixture();
    let cache = tempfile::tempdir().expect("cache");
    cached(dir, cache.path());
    spoil(&snapshot_file(cache.path()));
    let again = cached(dir, cache.path());
    assert_eq!(again.reused, 0, "a spoiled snapshot must not be used");
    assert_same(&again.library, &fresh(dir));
    // And it was rebuilt: the load after uses it.
    assert!(cached(dir, cache.path()).reused > 0);
}

#[test]
fn a_snapshot_in_an_older_format_is_rebuilt() {
    spoiled_snapshot_is_rebuilt(|file| {
        let mut bytes = std::fs::read(file).expect("read");
        let older = broadsheet::library::snapshot::FORMAT_VERSION - 1;
        bytes[8..12].copy_from_slice(&older.to_le_bytes());
        std::fs::write(file, bytes).expect("write");
    });
}

#[test]
fn a_truncated_snapshot_is_rebuilt() {
    spoiled_snapshot_is_rebuilt(|file| {
        let bytes = std::fs::read(file).expect("read");
        std::fs::write(file, &bytes[..bytes.len() * 2 / 3]).expect("write");
    });
}

#[test]
fn a_damaged_snapshot_is_rebuilt() {
    spoiled_snapshot_is_rebuilt(|file| {
        let mut bytes = std::fs::read(file).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x5a;
        std::fs::write(file, bytes).expect("write");
    });
}

#[test]
fn a_snapshot_of_another_directory_is_not_used() {
    let dir = settled_fixture();
    let other = tempfile::tempdir().expect("other");
    write_edge_cases(other.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    cached(other.path(), cache.path());
    // The other directory's folder, moved to where this one's would be.
    let theirs = snapshot_file(cache.path()).parent().expect("folder").to_owned();
    let ours = broadsheet::library::persist::folder_for(cache.path(), dir);
    std::fs::rename(&theirs, &ours).expect("move");
    let loaded = cached(dir, cache.path());
    assert_eq!(loaded.reused, 0);
    assert_same(&loaded.library, &fresh(dir));
}

#[test]
fn a_damaged_body_is_read_again_from_its_file() {
    let dir = settled_fixture();
    let cache = tempfile::tempdir().expect("cache");
    cached(dir, cache.path());
    let folder = snapshot_file(cache.path()).parent().expect("folder").to_owned();
    let store = std::fs::read_dir(&folder)
        .expect("folder")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.file_name().is_some_and(|name| name.to_string_lossy().starts_with("bodies-")))
        .expect("a body store");
    let mut bytes = std::fs::read(&store).expect("read");
    for byte in bytes.iter_mut().step_by(97) {
        *byte ^= 0x21;
    }
    std::fs::write(&store, bytes).expect("write");
    let loaded = cached(dir, cache.path());
    assert!(loaded.reused > 0);
    assert_same(&loaded.library, &fresh(dir));
}

#[test]
fn a_read_only_cache_folder_still_loads_everything() {
    let dir = settled_fixture();
    let cache = tempfile::tempdir().expect("cache");
    let folder = broadsheet::library::persist::folder_for(cache.path(), dir);
    // A file where the folder should be: it cannot be created.
    std::fs::write(&folder, b"not a folder").expect("write");
    let loaded = cached(dir, cache.path());
    assert_same(&loaded.library, &fresh(dir));
}

/// Something that can happen to an article file while the server is down.
#[derive(Debug, Clone)]
enum Change {
    /// New text of the same length, the modification time set back.
    EditSameSize(usize),
    /// New text of another length.
    Edit(usize),
    Remove(usize),
    Add(u8),
    /// Renamed to a new name.
    Rename(usize),
    /// Replaced by another file's content through a rename (new inode).
    ReplaceByRename(usize, usize),
    /// The sidecar's text changed.
    EditSidecar,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        any::<usize>().prop_map(Change::EditSameSize),
        any::<usize>().prop_map(Change::Edit),
        any::<usize>().prop_map(Change::Remove),
        any::<u8>().prop_map(Change::Add),
        any::<usize>().prop_map(Change::Rename),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Change::ReplaceByRename(a, b)),
        Just(Change::EditSidecar),
    ]
}

fn article_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt" || extension == "md"))
        .collect();
    files.sort();
    files
}

fn apply(dir: &Path, change: &Change, step: usize) {
    let files = article_files(dir);
    let pick = |index: usize| files.get(index % files.len().max(1)).cloned();
    match change {
        Change::EditSameSize(index) => {
            let Some(path) = pick(*index) else { return };
            let metadata = std::fs::metadata(&path).expect("stat");
            let mut bytes = std::fs::read(&path).expect("read");
            // Swap one ASCII letter for another at the end of the text.
            if let Some(byte) = bytes.iter_mut().rev().find(|byte| byte.is_ascii_lowercase()) {
                *byte = if *byte == b'z' { b'y' } else { *byte + 1 };
            }
            std::fs::write(&path, &bytes).expect("write");
            let file = std::fs::File::options().write(true).open(&path).expect("open");
            file.set_modified(metadata.modified().expect("mtime")).expect("set mtime");
        }
        Change::Edit(index) => {
            let Some(path) = pick(*index) else { return };
            let mut text = std::fs::read(&path).expect("read");
            text.extend_from_slice(format!("\n\nAn added paragraph, step {step}.\n").as_bytes());
            std::fs::write(&path, text).expect("write");
        }
        Change::Remove(index) => {
            if let Some(path) = pick(*index) {
                std::fs::remove_file(path).expect("remove");
            }
        }
        Change::Add(number) => {
            let text = format!("Added article {number} at {step}\n\nIts body, step {step}.\n");
            std::fs::write(dir.join(format!("added-{number}-{step}.txt")), text).expect("write");
        }
        Change::Rename(index) => {
            if let Some(path) = pick(*index) {
                std::fs::rename(&path, path.with_file_name(format!("renamed-{step}.txt"))).expect("rename");
            }
        }
        Change::ReplaceByRename(from, to) => {
            let (Some(from), Some(to)) = (pick(*from), pick(*to)) else { return };
            let temporary = dir.join(format!(".replacing-{step}"));
            std::fs::copy(&from, &temporary).expect("copy");
            std::fs::rename(&temporary, &to).expect("rename");
        }
        Change::EditSidecar => {
            let sidecar = dir.join("meta.json");
            let text = format!(r#"{{"title": "Sidecar title {step}", "date": "2023-01-05"}}"#);
            std::fs::write(sidecar, text).expect("write");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Files changed, added and removed while the server was down: the
    /// load that reuses the snapshot gives what a full load gives.
    #[test]
    fn changes_while_down_give_the_same_library_as_a_full_load(
        changes in proptest::collection::vec(change(), 1..8),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        write_edge_cases(dir.path());
        for index in 0..20 {
            let text = format!("Generated {index}\n\nBody of article {index}, with some words.\n");
            std::fs::write(dir.path().join(format!("gen-{index:02}.txt")), text).expect("write");
        }
        settle();
        let cache = tempfile::tempdir().expect("cache");
        cached(dir.path(), cache.path());
        for (step, change) in changes.iter().enumerate() {
            apply(dir.path(), change, step);
        }
        settle();
        let loaded = cached(dir.path(), cache.path());
        prop_assert!(loaded.reused > 0);
        assert_same(&loaded.library, &fresh(dir.path()));
        // And once more, from the snapshot this load saved.
        let again = cached(dir.path(), cache.path());
        assert_same(&again.library, &fresh(dir.path()));
    }
}

/// A restart serves the library the snapshot knows before it has stat'ed
/// the files taken from it; then it stats them, and what was edited in
/// place while Broadsheet was stopped is read again. The snapshot it saves
/// leaves the edited file out, so the next start reads it.
#[test]
fn files_edited_in_place_while_stopped_are_found_after_the_library_is_served() {
    let dir = tempfile::tempdir().expect("dir");
    write_edge_cases(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    cached(dir.path(), cache.path());
    std::fs::write(dir.path().join("titled.txt"), "Just a title line\n\nAnd a body edited while stopped.\n")
        .expect("edit");
    std::fs::remove_file(dir.path().join("wire.txt")).expect("remove");
    std::fs::write(dir.path().join("added.txt"), "Added while stopped\n\nIts body.\n").expect("add");
    // A file that no longer loads: a full load lists only its problem (a
    // live reload would keep serving its last good version).
    std::fs::write(dir.path().join("folder/nested.txt"), "").expect("empty");

    let folder = broadsheet::library::persist::folder_for(cache.path(), dir.path());
    let folder = CacheFolder { folder: &folder, min_files: 0 };
    let options = LoadOptions::default();
    let (loaded, deferred) =
        load_dir_deferred(dir.path(), &options, &LoadProgress::default(), Some(folder)).expect("load");
    let body = |library: &Library| library.get("titled").expect("titled").body().to_vec();
    // Names were compared: the removed and added files are accounted for,
    // the file edited in place is not yet.
    assert!(loaded.library.get("wire").is_none());
    assert!(loaded.library.get("added").is_some());
    assert!(!format!("{:?}", body(&loaded.library)).contains("edited while stopped"));

    let (changed, save) = deferred.expect("a cache folder").verify();
    assert_eq!(changed, vec![PathBuf::from("folder/nested.txt"), PathBuf::from("titled.txt")]);
    let library = loaded.library.apply_as_loaded(dir.path(), &options, changed).expect("a reload").library;
    assert_same(&library, &fresh(dir.path()));
    assert!(library.get("folder/nested").is_none());
    // The time of change is the newest file's, as a load's is, not the
    // time of the check (replicas must agree on Last-Modified).
    assert_eq!(library.changed_at(), fresh(dir.path()).changed_at());
    save.expect("something changed").save(&loaded.library).expect("save");

    let again = cached(dir.path(), cache.path());
    assert_same(&again.library, &fresh(dir.path()));
    assert!(format!("{:?}", body(&again.library)).contains("edited while stopped"));
}

/// The same, through the server: `/readyz` answers before the files taken
/// from the snapshot are checked, the article edited while the server was
/// stopped is served as edited moments later, and the start after that
/// serves it so from the first request.
#[test]
fn a_restarted_server_catches_up_with_edits_made_while_it_was_stopped() {
    use crate::support::binary::Served;
    let dir = tempfile::tempdir().expect("dir");
    // Enough files for the server to keep a snapshot.
    for index in 0..broadsheet::app::MIN_CACHED_ARTICLES {
        let text = format!("Article number {index}\n\nThe body of article {index}.\n");
        std::fs::write(dir.path().join(format!("a{index:05}.txt")), text).expect("write");
    }
    let edited = dir.path().join("a00007.txt");
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let folder = broadsheet::library::persist::folder_for(cache.path(), dir.path());
    let snapshot = folder.join("snapshot.bin");
    let args = [dir.path().as_os_str()];
    let args = [&["--articles".as_ref()], &args[..]].concat();
    let saved = |after: Option<std::time::SystemTime>| {
        let started = std::time::Instant::now();
        loop {
            let modified = std::fs::metadata(&snapshot).and_then(|metadata| metadata.modified()).ok();
            if modified.is_some() && modified > after {
                return modified;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "no snapshot saved");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let served = Served::start_cached(cache.path(), &args);
    let first_save = saved(None);
    served.stop();

    std::fs::write(&edited, "Article number 7\n\nA body edited while the server was stopped.\n").expect("edit");
    let served = Served::start_cached(cache.path(), &args);
    let started = std::time::Instant::now();
    while !served.get_with("/articles/a00007", "").unwrap_or_default().contains("edited while the server") {
        assert!(started.elapsed() < Duration::from_secs(20), "the edit was never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    saved(first_save);
    served.stop();

    let served = Served::start_cached(cache.path(), &args);
    let page = served.get_with("/articles/a00007", "").unwrap_or_default();
    assert!(page.contains("edited while the server"), "{page}");
    served.stop();
}
