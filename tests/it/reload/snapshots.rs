//! `Library::apply` and `Library::rescan` on real temporary directories:
//! each change gives the snapshot a full load would give, plus the history
//! of moved and deleted ids.

use std::path::{Path, PathBuf};

use broadsheet::library::{Library, LoadOptions, ProblemKind, load_dir};

fn article(title: &str, day: u32, body: &str) -> String {
    format!("World\n\n{title}\n\n{day} March 2024\nThis content originally appeared on Test Wire.\n\n{body}\n")
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("folder");
    std::fs::write(full, text).expect("write");
}

fn setup() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().expect("dir");
    write(dir.path(), "a.txt", &article("Alpha", 1, "Alpha body."));
    write(dir.path(), "b.txt", &article("Bravo", 2, "Bravo body."));
    write(dir.path(), "desk/c.txt", &article("Charlie", 3, "Charlie body."));
    let library = load_dir(dir.path()).expect("load");
    (dir, library)
}

fn apply(library: &Library, dir: &Path, paths: &[&str]) -> broadsheet::library::Reload {
    library.apply(dir, &LoadOptions::default(), paths.iter().map(PathBuf::from)).expect("a reload")
}

fn ids(library: &Library) -> Vec<&str> {
    library.articles().iter().map(|article| article.id.as_str()).collect()
}

/// The incremental snapshot must equal what a full load sees now.
fn assert_same_as_full_load(library: &Library, dir: &Path) {
    let full = load_dir(dir).expect("load");
    assert_eq!(ids(library), ids(&full), "order");
    for (ours, theirs) in library.articles().iter().zip(full.articles()) {
        assert_eq!(ours, theirs);
    }
    assert_eq!(library.problems(), full.problems());
    // Whole groups: names, slugs and every member's position.
    assert_eq!(library.sections().all(), full.sections().all());
    assert_eq!(library.sources().all(), full.sources().all());
    assert_eq!(library.archive().years(), full.archive().years());
    assert_eq!(library.archive().undated_len(), full.archive().undated_len());
    // The id map: every article found, with the right neighbours.
    let neighbours = |library: &Library, id: &str| {
        let found = library.find_neighbours(id);
        (found.newer.map(|article| article.id.clone()), found.older.map(|article| article.id.clone()))
    };
    for article in full.articles() {
        let id = article.id.as_str();
        assert!(library.get(id).is_some(), "{id}");
        assert_eq!(neighbours(library, id), neighbours(&full, id), "{id}");
    }
}

#[test]
fn a_new_file_is_added_in_date_order() {
    let (dir, library) = setup();
    write(dir.path(), "d.txt", &article("Delta", 2, "Delta body."));
    let reload = apply(&library, dir.path(), &["d.txt"]);
    assert_eq!(reload.added, vec![broadsheet::article::ArticleId::new("d")]);
    assert!(reload.updated.is_empty() && reload.removed.is_empty());
    assert_ne!(reload.library.generation(), library.generation());
    assert_eq!(ids(&reload.library), ["desk/c", "b", "d", "a"]);
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn a_modified_file_replaces_its_article_and_may_move_in_the_order() {
    let (dir, library) = setup();
    write(dir.path(), "a.txt", &article("Alpha two", 9, "New body."));
    let reload = apply(&library, dir.path(), &["a.txt"]);
    assert_eq!(reload.updated.len(), 1);
    assert_eq!(reload.library.get("a").expect("a").title, "Alpha two");
    assert_eq!(ids(&reload.library), ["a", "desk/c", "b"]);
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn a_deleted_file_is_gone() {
    let (dir, library) = setup();
    std::fs::remove_file(dir.path().join("b.txt")).expect("remove");
    let reload = apply(&library, dir.path(), &["b.txt"]);
    assert_eq!(reload.removed.len(), 1);
    assert!(reload.library.get("b").is_none());
    assert!(reload.library.is_gone("b"));
    assert!(!reload.library.is_gone("a"));
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn a_renamed_file_with_the_same_content_moves_its_id() {
    let (dir, library) = setup();
    std::fs::rename(dir.path().join("b.txt"), dir.path().join("desk/b2.txt")).expect("rename");
    let reload = apply(&library, dir.path(), &["b.txt", "desk/b2.txt"]);
    assert_eq!(reload.moved.len(), 1);
    assert_eq!(reload.library.find_moved("b").map(|id| id.as_str()), Some("desk/b2"));
    assert!(!reload.library.is_gone("b"));
    assert_same_as_full_load(&reload.library, dir.path());
    // The history survives later reloads.
    write(dir.path(), "e.txt", &article("Echo", 4, "Echo body."));
    let later = apply(&reload.library, dir.path(), &["e.txt"]);
    assert_eq!(later.library.find_moved("b").map(|id| id.as_str()), Some("desk/b2"));
}

#[test]
fn a_renamed_file_with_new_content_is_a_deletion_and_an_addition() {
    let (dir, library) = setup();
    std::fs::remove_file(dir.path().join("b.txt")).expect("remove");
    write(dir.path(), "b2.txt", &article("Bravo", 2, "A different body."));
    let reload = apply(&library, dir.path(), &["b.txt", "b2.txt"]);
    assert!(reload.moved.is_empty());
    assert!(reload.library.is_gone("b"));
}

#[test]
fn a_file_that_stops_parsing_keeps_its_last_good_version_until_fixed() {
    let (dir, library) = setup();
    write(dir.path(), "a.txt", "");
    let reload = apply(&library, dir.path(), &["a.txt"]);
    assert_eq!(reload.library.get("a").expect("still served").title, "Alpha");
    assert_eq!(reload.problems.len(), 1);
    let problem = &reload.problems[0];
    assert_eq!((problem.kind, problem.kept_previous), (ProblemKind::NotAnArticle, true), "{problem}");
    assert_eq!(reload.library.problems().len(), 1);
    write(dir.path(), "a.txt", &article("Alpha fixed", 1, "Body."));
    let fixed = apply(&reload.library, dir.path(), &["a.txt"]);
    assert_eq!(fixed.library.get("a").expect("a").title, "Alpha fixed");
    assert!(fixed.library.problems().is_empty());
}

#[test]
fn a_new_file_that_does_not_parse_is_a_problem_and_is_retried() {
    let (dir, library) = setup();
    write(dir.path(), "x.txt", "");
    let reload = apply(&library, dir.path(), &["x.txt"]);
    assert!(reload.library.get("x").is_none());
    assert_same_as_full_load(&reload.library, dir.path());
    write(dir.path(), "x.txt", &article("Xray", 5, "Body."));
    let fixed = apply(&reload.library, dir.path(), &["x.txt"]);
    assert!(fixed.library.get("x").is_some());
    assert_same_as_full_load(&fixed.library, dir.path());
}

#[test]
fn a_changed_sidecar_rereads_its_article() {
    let (dir, library) = setup();
    write(dir.path(), "a.json", r#"{"title": "Alpha from the sidecar"}"#);
    let reload = apply(&library, dir.path(), &["a.json"]);
    assert_eq!(reload.updated.len(), 1);
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn a_new_folder_adds_its_files_and_a_removed_folder_removes_them() {
    let (dir, library) = setup();
    write(dir.path(), "new/one.txt", &article("One", 10, "One body."));
    write(dir.path(), "new/deep/two.txt", &article("Two", 11, "Two body."));
    let reload = apply(&library, dir.path(), &["new"]);
    assert_eq!(reload.added.len(), 2);
    assert_same_as_full_load(&reload.library, dir.path());
    std::fs::remove_dir_all(dir.path().join("new")).expect("remove");
    let removed = apply(&reload.library, dir.path(), &["new"]);
    assert_eq!(removed.removed.len(), 2);
    assert!(removed.library.is_gone("new/deep/two"));
    assert_same_as_full_load(&removed.library, dir.path());
}

#[test]
fn a_folder_moved_within_the_directory_redirects_its_articles() {
    let (dir, library) = setup();
    std::fs::rename(dir.path().join("desk"), dir.path().join("archive-desk")).expect("rename");
    let reload = apply(&library, dir.path(), &["desk", "archive-desk"]);
    assert_eq!(reload.library.find_moved("desk/c").map(|id| id.as_str()), Some("archive-desk/c"));
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn editor_temporary_files_change_nothing() {
    let (dir, library) = setup();
    for name in [".a.txt.swp", "a.txt~", "4913", ".#a.txt", "#a.txt#", "a.txt.tmp"] {
        write(dir.path(), name, "junk");
    }
    let changed = [".a.txt.swp", "a.txt~", "4913", ".#a.txt", "#a.txt#", "a.txt.tmp"].map(PathBuf::from);
    assert!(library.apply(dir.path(), &LoadOptions::default(), changed).is_none());
}

/// Of two files with one id, the path that sorts first wins and the other
/// is a problem, whatever order they arrived in: a reloaded server, a
/// restarted one and another replica serve the same article.
#[test]
fn two_files_with_one_id_are_resolved_as_a_full_load_resolves_them() {
    let (dir, library) = setup();
    // `a.md` sorts before the `a.txt` already served: it wins.
    write(dir.path(), "a.md", "# Markdown alpha\n\nBody.\n");
    let reload = apply(&library, dir.path(), &["a.md"]);
    assert_eq!(reload.library.get("a").expect("a").title, "Markdown alpha");
    let problem = &reload.library.problems()[0];
    assert_eq!((problem.path.as_path(), problem.kind), (Path::new("a.txt"), ProblemKind::DuplicateId));
    assert_same_as_full_load(&reload.library, dir.path());
    // Editing the losing file changes nothing it serves.
    write(dir.path(), "a.txt", &article("Alpha edited", 1, "Alpha body."));
    let reload = apply(&reload.library, dir.path(), &["a.txt"]);
    assert_eq!(reload.library.get("a").expect("a").title, "Markdown alpha");
    assert_same_as_full_load(&reload.library, dir.path());
    // Deleting the winner serves the other file again, not a 410.
    std::fs::remove_file(dir.path().join("a.md")).expect("remove");
    let reload = apply(&reload.library, dir.path(), &["a.md"]);
    assert_eq!(reload.library.get("a").expect("a is back").title, "Alpha edited");
    assert!(reload.library.problems().is_empty());
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn two_new_files_with_one_id_in_one_reload_keep_the_first_path() {
    let (dir, library) = setup();
    write(dir.path(), "d.txt", &article("Delta text", 4, "Body."));
    write(dir.path(), "d.md", "# Delta markdown\n\nBody.\n");
    // Whatever order the watcher reports them in.
    for order in [["d.txt", "d.md"], ["d.md", "d.txt"]] {
        let reload = apply(&library, dir.path(), &order);
        assert_eq!(reload.library.get("d").expect("d").title, "Delta markdown");
        assert_same_as_full_load(&reload.library, dir.path());
    }
}

#[test]
fn a_rescan_finds_changes_no_event_reported() {
    let (dir, library) = setup();
    std::fs::remove_file(dir.path().join("a.txt")).expect("remove");
    write(dir.path(), "b.txt", &article("Bravo again", 2, "Changed."));
    write(dir.path(), "f.txt", &article("Foxtrot", 6, "Body."));
    let reload = library.rescan(dir.path(), &LoadOptions::default()).expect("rescan");
    assert_eq!((reload.added.len(), reload.updated.len(), reload.removed.len()), (1, 1, 1));
    assert!(reload.library.is_gone("a"));
    assert_same_as_full_load(&reload.library, dir.path());
}

#[test]
fn a_rescan_keeps_the_last_good_version_of_a_file_that_stops_parsing() {
    let (dir, library) = setup();
    write(dir.path(), "a.txt", "");
    let reload = library.rescan(dir.path(), &LoadOptions::default()).expect("rescan");
    assert!(reload.removed.is_empty());
    assert_eq!(reload.library.get("a").expect("still served").title, "Alpha");
    assert!(reload.library.problems()[0].kept_previous);
}

#[test]
fn many_changes_in_one_reload_give_the_full_load_order() {
    let (dir, mut library) = setup();
    for round in 0..3 {
        let mut changed = Vec::new();
        for number in 0..40 {
            let path = format!("{}/n{number}.txt", if number % 3 == 0 { "desk" } else { "more" });
            let day = 1 + (number * 7 + round * 5) % 28;
            if (number + round) % 4 == 0 {
                let _ = std::fs::remove_file(dir.path().join(&path));
            } else {
                write(dir.path(), &path, &article(&format!("N{number} r{round}"), day as u32, "Body."));
            }
            changed.push(path);
        }
        let refs: Vec<&str> = changed.iter().map(String::as_str).collect();
        library = apply(&library, dir.path(), &refs).library;
        assert_same_as_full_load(&library, dir.path());
    }
}
