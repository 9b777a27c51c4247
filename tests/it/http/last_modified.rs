//! `Last-Modified` through the real router on real files: an article's time
//! counts its sidecar, list-type responses (feeds, sitemap) move forward
//! whenever the set of articles changes, and no time lies in the future.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::support::TestApp;
use crate::support::get;
use axum::Router;
use broadsheet::library::LoadOptions;
use broadsheet::web::AppState;
use broadsheet::web::{HttpSettings, PageCache};

const DAY: Duration = Duration::from_secs(86_400);

fn article(title: &str, day: u32) -> String {
    format!(
        "World\n\n{title}\n\n{day} March 2024\nThis content originally appeared on Test Wire.\n\nBody of {title}.\n"
    )
}

/// Writes `path` with the modification time `modified`.
fn write(dir: &Path, path: &str, text: &str, modified: SystemTime) {
    let full = dir.join(path);
    std::fs::write(&full, text).expect("write");
    std::fs::File::options().write(true).open(&full).expect("open").set_modified(modified).expect("set mtime");
}

fn app(dir: &Path) -> (AppState, Router) {
    let app = TestApp::over(dir).http(HttpSettings { cache: PageCache::new(0), ..HttpSettings::default() }).build();
    (app.state, app.router)
}

/// Applies a change to the served library, as live reload does.
fn reload(state: &AppState, dir: &Path, paths: &[&str]) {
    let next = state.library.load().apply(dir, &LoadOptions::default(), paths.iter().map(PathBuf::from));
    state.library.store(Arc::new(next.expect("a reload").library));
}

fn last_modified(reply: &crate::support::Reply) -> SystemTime {
    let value = reply.header("last-modified").expect("a Last-Modified header");
    httpdate::parse_http_date(value).expect("an HTTP date")
}

#[tokio::test]
async fn an_article_with_a_newer_sidecar_is_as_new_as_the_sidecar() {
    let dir = tempfile::tempdir().expect("dir");
    let now = SystemTime::now();
    write(dir.path(), "a.txt", &article("Alpha", 1), now - 30 * DAY);
    write(dir.path(), "a.json", r#"{"title": "Alpha, from the sidecar"}"#, now - 2 * DAY);
    let (_, app) = app(dir.path());
    let reply = get(&app, "/articles/a", &[]).await;
    assert!(reply.text().contains("Alpha, from the sidecar"), "the sidecar is used");
    let modified = last_modified(&reply);
    assert!(modified > now - 3 * DAY, "Last-Modified is the text file's time, not the sidecar's");
}

/// Lists that send `Last-Modified`, and lists that send none (an ETag only):
/// both must answer a deletion with the new list.
const LISTS: &[&str] =
    &["/feed.xml", "/feed.json", "/sections/world/feed.xml", "/sitemap.xml", "/", "/sections/world", "/api/articles"];

#[tokio::test]
async fn list_responses_move_forward_when_an_article_goes_away() {
    for path in LISTS {
        // A fresh directory per path: a second resolution cannot tell two
        // changes within one second apart (the ETag does).
        let dir = tempfile::tempdir().expect("dir");
        let now = SystemTime::now();
        write(dir.path(), "a.txt", &article("Alpha", 1), now - 30 * DAY);
        write(dir.path(), "b.txt", &article("Bravo", 2), now - 10 * DAY);
        let (state, app) = app(dir.path());
        let before = get(&app, path, &[]).await;
        assert_eq!(before.status, 200, "{path}");
        let stamp = before.header("last-modified").map_or_else(|| httpdate::fmt_http_date(now), str::to_owned);
        // The newest article goes: the newest remaining file is older.
        std::fs::remove_file(dir.path().join("b.txt")).expect("delete");
        reload(&state, dir.path(), &["b.txt"]);
        let after = get(&app, path, &[("if-modified-since", &stamp)]).await;
        assert_eq!(after.status, 200, "{path}: a 304 would keep the deleted article in caches");
        assert!(!after.text().contains("Bravo"), "{path}");
        if before.header("last-modified").is_none() {
            assert_eq!(after.header("last-modified"), None, "{path}");
            continue;
        }
        assert!(last_modified(&after) > last_modified(&before), "{path}: Last-Modified did not move forward");
        // It comes back with its old time: the list changed again, and
        // Last-Modified does not go back to that time.
        write(dir.path(), "b.txt", &article("Bravo", 2), now - 10 * DAY);
        reload(&state, dir.path(), &["b.txt"]);
        let again = get(&app, path, &[]).await;
        assert!(last_modified(&again) >= last_modified(&after), "{path}: Last-Modified went backwards");
    }
}

#[tokio::test]
async fn a_file_time_in_the_future_is_not_sent() {
    let dir = tempfile::tempdir().expect("dir");
    write(dir.path(), "a.txt", &article("Alpha", 1), SystemTime::now() + 365 * DAY);
    let (_, app) = app(dir.path());
    for path in ["/articles/a", "/feed.xml", "/sitemap.xml"] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(last_modified(&reply) <= SystemTime::now(), "{path}: Last-Modified in the future");
    }
}

#[test]
fn a_reload_that_changes_nothing_keeps_the_time_of_the_last_change() {
    let dir = tempfile::tempdir().expect("dir");
    let modified = SystemTime::now() - 5 * DAY;
    write(dir.path(), "a.txt", &article("Alpha", 1), modified);
    let library = broadsheet::library::load_dir(dir.path()).expect("load");
    let expected = jiff::Timestamp::try_from(modified).expect("timestamp");
    assert_eq!(library.changed_at(), Some(expected), "at first, the newest file's time");
    let rescan = library.rescan(dir.path(), &LoadOptions::default()).expect("rescan");
    assert_eq!(rescan.library.changed_at(), library.changed_at());
    assert_eq!(rescan.library.renewed().changed_at(), library.changed_at());
}
