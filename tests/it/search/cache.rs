//! The search index cached in a folder: reopened when current (also after
//! live updates), rebuilt when missing, stale or damaged, and never required
//! (a folder another server holds means an index in memory).

use std::path::Path;
use std::time::Duration;

use broadsheet::library::search::{SearchIndex, SearchRequest, SearchStore};
use broadsheet::library::{Library, load_dir};

fn write_articles(dir: &Path, articles: &[(&str, &str)]) {
    for (name, text) in articles {
        std::fs::write(dir.join(format!("{name}.txt")), text).expect("write article");
    }
}

fn library(articles: &[(&str, &str)]) -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_articles(dir.path(), articles);
    let library = load_dir(dir.path()).expect("load");
    (dir, library)
}

fn built(library: &Library, store: &SearchStore) -> SearchIndex {
    let index = SearchIndex::pending(library.len());
    index.build_in(library, store);
    assert!(index.wait_until_ready(Duration::from_secs(30)), "index ready");
    index
}

fn found(index: &SearchIndex, library: &Library, query: &str) -> Vec<String> {
    let request = SearchRequest {
        query: query.to_owned(),
        filters: Default::default(),
        sort: Default::default(),
        page: 1,
        per_page: 10,
    };
    let results = index.search(library, &request).expect("search runs");
    let mut ids: Vec<String> = results.hits.iter().map(|hit| hit.article.id.as_str().to_owned()).collect();
    ids.sort();
    ids
}

fn meta(folder: &Path) -> String {
    std::fs::read_to_string(folder.join("meta.json")).unwrap_or_default()
}

const HARBOUR: (&str, &str) = ("harbour", "Harbour reopens\n\nThe harbour reopened after the storm.");
const BRIDGE: (&str, &str) = ("bridge", "Bridge closed\n\nThe old bridge closed for repairs.");

#[test]
fn a_current_cached_index_is_reopened_without_rebuilding() {
    let (_dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let store = SearchStore::Directory(cache.path().join("index"));
    let first = built(&library, &store);
    assert_eq!(found(&first, &library, "harbour"), ["harbour"]);
    let written = meta(&cache.path().join("index"));
    assert!(written.contains("segments"), "the index is on disk: {written}");
    drop(first);
    let second = built(&library, &store);
    assert_eq!(meta(&cache.path().join("index")), written, "reopened, not rebuilt");
    assert_eq!(found(&second, &library, "bridge"), ["bridge"]);
    assert_eq!(second.len(), 2);
}

#[test]
fn a_cached_index_of_other_text_is_rebuilt() {
    let (dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let store = SearchStore::Directory(cache.path().join("index"));
    drop(built(&library, &store));
    write_articles(dir.path(), &[("bridge", "Bridge closed\n\nThe old viaduct closed for repairs.")]);
    let edited = load_dir(dir.path()).expect("load");
    let index = built(&edited, &store);
    assert_eq!(found(&index, &edited, "viaduct"), ["bridge"]);
    assert!(found(&index, &edited, "\"old bridge\"").is_empty(), "the old text is gone");
}

#[test]
fn after_live_updates_a_restart_reuses_the_index_only_if_it_matches() {
    let (dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let folder = cache.path().join("index");
    let store = SearchStore::Directory(folder.clone());
    let index = built(&library, &store);
    // The bridge article is edited and the harbour one deleted, as live
    // reload would tell the index.
    write_articles(dir.path(), &[("bridge", "Bridge closed\n\nThe old viaduct closed for repairs.")]);
    std::fs::remove_file(dir.path().join("harbour.txt")).expect("remove");
    let edited = load_dir(dir.path()).expect("load");
    let bridge = edited.get("bridge").expect("bridge").as_ref();
    let harbour = library.get("harbour").expect("harbour").as_ref();
    index.update(&[bridge], std::slice::from_ref(&harbour.id)).expect("update");
    assert_eq!(found(&index, &edited, "viaduct"), ["bridge"]);
    drop(index);
    let updated = meta(&folder);
    let restarted = built(&edited, &store);
    assert_eq!(meta(&folder), updated, "the updated index matches the edited library: reopened");
    assert_eq!(found(&restarted, &edited, "viaduct"), ["bridge"]);
    drop(restarted);
    // The original library no longer matches the updated index.
    let original = built(&library, &store);
    assert_eq!(found(&original, &library, "harbour"), ["harbour"]);
    assert_eq!(found(&original, &library, "\"old bridge\""), ["bridge"]);
}

#[test]
fn a_damaged_cache_folder_is_rebuilt() {
    let (_dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let folder = cache.path().join("index");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("meta.json"), "{ not json").expect("garbage");
    let index = built(&library, &SearchStore::Directory(folder.clone()));
    assert_eq!(found(&index, &library, "harbour"), ["harbour"]);
    assert!(meta(&folder).contains("segments"));
}

#[test]
fn a_folder_held_by_another_server_means_an_index_in_memory() {
    let (_dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let store = SearchStore::Directory(cache.path().join("index"));
    let holder = built(&library, &store);
    let second = built(&library, &store);
    assert_eq!(found(&second, &library, "harbour"), ["harbour"]);
    assert_eq!(found(&holder, &library, "bridge"), ["bridge"]);
}

#[test]
fn an_unusable_cache_location_means_an_index_in_memory() {
    let (_dir, library) = library(&[HARBOUR, BRIDGE]);
    let cache = tempfile::tempdir().expect("cache dir");
    let file = cache.path().join("a-file");
    std::fs::write(&file, "not a folder").expect("file");
    let index = built(&library, &SearchStore::Directory(file.join("index")));
    assert_eq!(found(&index, &library, "bridge"), ["bridge"]);
}

#[test]
fn each_articles_directory_has_its_own_cache_folder() {
    let root = Path::new("/var/cache/broadsheet");
    let one = SearchStore::cache_for(root, Path::new("/srv/news"));
    let other = SearchStore::cache_for(root, Path::new("/srv/archive"));
    assert_ne!(one, other);
    let SearchStore::Directory(folder) = one else { panic!("a folder") };
    assert!(folder.starts_with(root));
}

#[test]
fn an_index_of_an_older_format_is_rebuilt_and_its_folder_deleted() {
    let (dir, library) = library(&[HARBOUR, ("lenovo", "联想降价\n\n联想THINKPAD笔记本电脑降价促销。")]);
    let cache = tempfile::tempdir().expect("cache dir");
    let store = SearchStore::cache_for(cache.path(), dir.path());
    let SearchStore::Directory(folder) = &store else { panic!("a folder") };
    let name = folder.file_name().and_then(|name| name.to_str()).expect("folder name");
    let (current, key) = name.rsplit_once('-').expect("search-vN-key");
    let version: u32 = current.trim_start_matches("search-v").parse().expect("a version number");
    assert!(version >= 2, "the format changed when CJK text became pairs: {name}");
    let older = cache.path().join(format!("search-v{}-{key}", version - 1));
    std::fs::create_dir_all(&older).expect("older folder");
    std::fs::write(older.join("meta.json"), "{}").expect("older index");
    // The same folder with a payload of the previous format, as if the
    // version had not been bumped.
    drop(built(&library, &store));
    let payload = meta(folder);
    let marker = format!("\"v{version}:");
    assert!(payload.contains(&marker), "{payload}");
    std::fs::write(folder.join("meta.json"), payload.replace(&marker, &format!("\"v{}:", version - 1))).expect("age");
    let index = built(&library, &store);
    assert!(meta(folder).contains(&marker), "rebuilt with the current format");
    assert_eq!(found(&index, &library, "联想"), ["lenovo"]);
    assert_eq!(found(&index, &library, "thinkpad"), ["lenovo"]);
    assert!(!older.exists(), "the older format's folder is deleted");
}

/// The segment ids a cached index's `meta.json` lists.
fn segment_ids(folder: &Path) -> Vec<String> {
    let meta: serde_json::Value = serde_json::from_str(&meta(folder)).expect("meta.json");
    let segments = meta["segments"].as_array().cloned().unwrap_or_default();
    segments.iter().filter_map(|segment| segment["segment_id"].as_str().map(str::to_owned)).collect()
}

#[test]
fn a_few_files_changed_while_down_are_caught_up_without_rebuilding() {
    let mut articles: Vec<(String, String)> = (0..40)
        .map(|number| {
            (format!("filler-{number:02}"), format!("Filler {number}\n\nRoutine council minutes, item {number}."))
        })
        .collect();
    articles.push(("bridge".into(), "Bridge closed\n\nThe old bridge closed for repairs.".into()));
    let borrowed: Vec<(&str, &str)> = articles.iter().map(|(name, text)| (name.as_str(), text.as_str())).collect();
    let (dir, library) = library(&borrowed);
    let cache = tempfile::tempdir().expect("cache dir");
    let folder = cache.path().join("index");
    let store = SearchStore::Directory(folder.clone());
    drop(built(&library, &store));
    let before = segment_ids(&folder);
    // While "down": one article edited, one added, one removed.
    write_articles(dir.path(), &[("bridge", "Bridge closed\n\nThe old viaduct closed for repairs.")]);
    write_articles(dir.path(), &[("ferry", "Ferry returns\n\nThe ferry returns to the island.")]);
    std::fs::remove_file(dir.path().join("filler-07.txt")).expect("remove");
    let edited = load_dir(dir.path()).expect("load");
    let index = built(&edited, &store);
    let after = segment_ids(&folder);
    // A rebuild leaves none of the old segments; catching up keeps them,
    // but for one whose every document was replaced (the build leaves a
    // segment per indexing thread, and one may hold only a few).
    assert!(before.iter().any(|segment| after.contains(segment)), "caught up, not rebuilt: {before:?} → {after:?}");
    assert_eq!(found(&index, &edited, "viaduct"), ["bridge"]);
    assert!(found(&index, &edited, "\"old bridge\"").is_empty(), "the old text is gone");
    assert_eq!(found(&index, &edited, "ferry"), ["ferry"]);
    assert!(found(&index, &edited, "\"item 7\"").is_empty(), "the removed article is gone");
    assert_eq!(index.len(), 41);
    drop(index);
    let written = meta(&folder);
    drop(built(&edited, &store));
    assert_eq!(meta(&folder), written, "the caught-up index is current: reopened as it is");
}
