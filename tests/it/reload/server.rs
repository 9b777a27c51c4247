//! Live reload against a real server on a temporary directory: every kind
//! of change shows over HTTP within two seconds, readers never see a half
//! written article or an error during a swap, deleted articles answer 410
//! and renamed ones 308 — with file events and in `poll` mode alike.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::TestApp;
use crate::support::{RunningServer, articles_dir};
use broadsheet::library::LoadOptions;
use broadsheet::library::reload::{self, LiveReload, WatchMode, WatchSettings};
use broadsheet::web::router;
use broadsheet::web::server::ServerSettings;
use reqwest::StatusCode;

/// What the issue promises: a change is visible within this.
const VISIBLE_WITHIN: Duration = Duration::from_secs(2);

struct Live {
    dir: tempfile::TempDir,
    server: RunningServer,
    live: LiveReload,
    client: reqwest::Client,
}

impl Live {
    async fn start(mode: WatchMode, extra: usize, debounce: Duration) -> Self {
        // Reload logs show in the output of a failing test.
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("broadsheet=debug").try_init();
        let dir = articles_dir(extra);
        let state = TestApp::over(dir.path()).state();
        assert!(state.search.wait_until_ready(Duration::from_secs(30)), "search index builds");
        let settings = WatchSettings { mode, poll_interval: Duration::from_millis(100), debounce };
        let live = reload::start(state.reload_target(), dir.path().to_owned(), LoadOptions::default(), &settings)
            .expect("watch");
        let server = RunningServer::start(router(state), ServerSettings::default()).await;
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self { dir, server, live, client }
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    async fn get(&self, path: &str) -> (StatusCode, String, Option<String>) {
        let response = self.client.get(self.server.url(path)).send().await.expect("request");
        let status = response.status();
        let location = response.headers().get("location").and_then(|value| value.to_str().ok()).map(str::to_owned);
        (status, response.text().await.expect("body"), location)
    }

    /// Polls `path` until `check` accepts the answer; fails after the deadline.
    async fn eventually(&self, path: &str, what: &str, check: impl Fn(StatusCode, &str, Option<&str>) -> bool) {
        let deadline = Instant::now() + VISIBLE_WITHIN;
        loop {
            let (status, body, location) = self.get(path).await;
            if check(status, &body, location.as_deref()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: {path} still answers {status} {location:?} after {VISIBLE_WITHIN:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn article(title: &str, body: &str) -> String {
    format!("World\n\n{title}\n\n5 April 2024\nThis content originally appeared on Test Wire.\n\n{body}\n")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

async fn every_kind_of_change_shows_within_two_seconds(mode: WatchMode) {
    let live = Live::start(mode, 3, Duration::from_millis(150)).await;
    write(&live.path("fresh.txt"), &article("A fresh headline", "Zanzibarish marmalade report."));
    live.eventually("/articles/fresh", "added", |status, body, _| status == 200 && body.contains("A fresh headline"))
        .await;
    live.eventually("/api/search?q=zanzibarish", "indexed", |_, body, _| body.contains("\"id\":\"fresh\"")).await;

    write(&live.path("fresh.txt"), &article("An edited headline", "Zanzibarish marmalade report."));
    live.eventually("/articles/fresh", "modified", |_, body, _| body.contains("An edited headline")).await;

    std::fs::rename(live.path("fresh.txt"), live.path("renamed.txt")).expect("rename");
    live.eventually("/articles/renamed", "renamed", |status, _, _| status == 200).await;
    live.eventually("/articles/fresh", "old name", |status, _, location| {
        status == StatusCode::PERMANENT_REDIRECT && location == Some("/articles/renamed")
    })
    .await;
    live.eventually("/api/search?q=zanzibarish", "reindexed", |_, body, _| body.contains("\"id\":\"renamed\"")).await;

    std::fs::remove_file(live.path("renamed.txt")).expect("delete");
    live.eventually("/articles/renamed", "deleted", |status, body, _| {
        status == StatusCode::GONE && body.contains("has been removed") && body.contains("href=\"/\"")
    })
    .await;
    let (status, body, _) = live.get("/api/articles/renamed").await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    live.eventually("/api/search?q=zanzibarish", "unindexed", |_, body, _| body.contains("\"total\":0")).await;

    write(&live.path("desk/one.txt"), &article("Desk one", "First."));
    write(&live.path("desk/deeper/two.txt"), &article("Desk two", "Second."));
    live.eventually("/articles/desk/deeper/two", "sub-folder", |status, _, _| status == 200).await;
    live.eventually("/articles/desk/one", "sub-folder", |status, _, _| status == 200).await;
    // Seed + 3 generated + 2 in the new folder.
    live.eventually("/healthz", "counts", |_, body, _| body.contains("\"articles\":6")).await;
    live.eventually("/sections", "sections", |_, body, _| body.contains("World")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_change_shows_within_two_seconds_with_file_events() {
    every_kind_of_change_shows_within_two_seconds(WatchMode::Auto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_change_shows_within_two_seconds_when_polling() {
    every_kind_of_change_shows_within_two_seconds(WatchMode::Poll).await;
}

/// The article written in `chunks`, each ending with a marker; only the
/// last chunk carries the `END-…` line that makes a version complete.
fn chunks(version: &str) -> Vec<String> {
    let mut chunks = vec![format!("World\n\nThe chunked article\n\n5 April 2024\n\n")];
    chunks.extend((1..=5).map(|number| format!("Paragraph {number} of version {version}.\n\n")));
    chunks.push(format!("END-{version}\n"));
    chunks
}

async fn a_file_written_in_chunks_is_never_seen_truncated(mode: WatchMode) {
    // Pauses between chunks are far shorter than the debounce.
    let live = Live::start(mode, 0, Duration::from_millis(400)).await;
    let path = live.path("chunked.txt");
    write(&path, &chunks("ONE").concat());
    live.eventually("/articles/chunked", "first version", |_, body, _| body.contains("END-ONE")).await;
    let writing = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut file = std::fs::File::create(&path).expect("truncate");
        for chunk in chunks("TWO") {
            file.write_all(chunk.as_bytes()).expect("write");
            file.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(40));
        }
    });
    // Read until the new version shows; every answer must be one complete version.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = 0;
    loop {
        let (status, body, _) = live.get("/articles/chunked").await;
        assert_eq!(status, StatusCode::OK, "the article never disappears while it is rewritten");
        let complete =
            body.contains("END-ONE") || (body.contains("END-TWO") && body.contains("Paragraph 5 of version TWO"));
        assert!(complete, "answer {seen} shows a truncated version:\n{body}");
        seen += 1;
        if body.contains("END-TWO") {
            break;
        }
        assert!(Instant::now() < deadline, "the new version never showed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    writing.await.expect("writer");
    assert!(seen > 10, "the reader looked often enough to catch a truncated version ({seen} answers)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_written_in_chunks_is_never_seen_truncated_with_file_events() {
    a_file_written_in_chunks_is_never_seen_truncated(WatchMode::Auto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_written_in_chunks_is_never_seen_truncated_when_polling() {
    a_file_written_in_chunks_is_never_seen_truncated(WatchMode::Poll).await;
}

/// Checks one answer: 200 or 304, and a complete body.
fn assert_well_formed(path: &str, status: StatusCode, body: &str) {
    assert!(status == StatusCode::OK || status == StatusCode::NOT_MODIFIED, "{path} answered {status}");
    let json = path.starts_with("/api") || path == "/healthz";
    if status == StatusCode::OK && !json {
        assert!(body.trim_end().ends_with("</html>"), "{path} sent a partial page:\n{body}");
    }
    if status == StatusCode::OK && json {
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok(), "{path} sent broken JSON");
    }
}

/// One client: cycles through `paths`, revalidating with the ETag it last
/// saw for each, until told to stop. Returns how many answers it checked.
async fn client_loop(client: reqwest::Client, origin: String, paths: Vec<String>, stop: Arc<AtomicBool>) -> usize {
    let mut etags = std::collections::HashMap::new();
    let mut answers = 0;
    while !stop.load(Ordering::Relaxed) {
        for path in &paths {
            let mut request = client.get(format!("{origin}{path}"));
            if let Some(etag) = etags.get(path) {
                request = request.header("if-none-match", etag);
            }
            let response = request.send().await.expect("request");
            let status = response.status();
            if let Some(etag) = response.headers().get("etag").and_then(|value| value.to_str().ok()) {
                etags.insert(path.clone(), etag.to_owned());
            }
            let body = response.text().await.expect("body");
            assert_well_formed(path, status, &body);
            answers += 1;
        }
    }
    answers
}

async fn requests_during_200_modifications_all_succeed(mode: WatchMode) {
    let live = Live::start(mode, 200, Duration::from_millis(150)).await;
    let stop = Arc::new(AtomicBool::new(false));
    let paths = |offset: usize| -> Vec<String> {
        let mut paths: Vec<String> =
            ["/", "/?page=2", "/sections", "/archive", "/api/articles", "/healthz"].map(str::to_owned).to_vec();
        paths.extend(
            (0..10).map(|n| (n * 20 + offset) % 200).filter(|n| n % 5 != 0).map(|n| format!("/articles/{n:03}_test")),
        );
        paths
    };
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let origin = live.server.url("");
            tokio::spawn(client_loop(live.client.clone(), origin, paths(client * 3 + 1), Arc::clone(&stop)))
        })
        .collect();
    let dir = live.dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        for number in 0..200 {
            let folder = if number % 5 == 0 { "regional/" } else { "" };
            let text = article(&format!("Rewritten headline {number}"), "A new body.");
            write(&dir.join(format!("{folder}{number:03}_test.txt")), &text);
            if number % 20 == 0 {
                std::thread::sleep(Duration::from_millis(30));
            }
        }
    })
    .await
    .expect("writer");
    live.eventually("/articles/199_test", "last rewrite", |_, body, _| body.contains("Rewritten headline 199")).await;
    live.eventually("/articles/001_test", "first rewrite", |_, body, _| body.contains("Rewritten headline 1<")).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        let answers = client.await.expect("client");
        assert!(answers > 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_during_200_modifications_all_succeed_with_file_events() {
    requests_during_200_modifications_all_succeed(WatchMode::Auto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_during_200_modifications_all_succeed_when_polling() {
    requests_during_200_modifications_all_succeed(WatchMode::Poll).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rescan_picks_up_changes_when_watching_is_off() {
    let live = Live::start(WatchMode::Off, 3, Duration::from_millis(150)).await;
    assert_eq!(live.live.watch_mode(), None);
    write(&live.path("unwatched.txt"), &article("Seen after a rescan", "Body."));
    std::fs::remove_file(live.path("001_test.txt")).expect("delete");
    // Without a watcher nothing changes by itself…
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(live.get("/articles/unwatched").await.0, StatusCode::NOT_FOUND);
    // …until a rescan, which is what SIGHUP asks for.
    live.live.handle().rescan();
    live.eventually("/articles/unwatched", "rescanned", |status, _, _| status == 200).await;
    live.eventually("/articles/001_test", "deleted", |status, _, _| status == StatusCode::GONE).await;
}

fn last_reload(metrics: &str) -> Option<String> {
    metrics.lines().find(|line| line.starts_with("broadsheet_last_reload_timestamp_seconds")).map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_reading_files_does_not_cause_another_reload() {
    let live = Live::start(WatchMode::Auto, 3, Duration::from_millis(100)).await;
    write(&live.path("once.txt"), &article("Changed once", "Body."));
    live.eventually("/articles/once", "added", |status, _, _| status == 200).await;
    let (_, metrics, _) = live.get("/metrics").await;
    let after_change = last_reload(&metrics).expect("reload metric");
    // Reading the file opens it; an open must not count as a change, or
    // every reload would trigger the next one.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, metrics, _) = live.get("/metrics").await;
        assert_eq!(last_reload(&metrics).as_ref(), Some(&after_change), "a reload happened with no change");
    }
}
