//! Serving while the library loads: health says `loading` with progress,
//! readiness is 503, pages are 503 with `Retry-After` and never cached;
//! once loaded, everything answers.

use std::sync::Arc;

use axum::http::StatusCode;
use broadsheet::library::search::SearchStore;
use broadsheet::library::{LoadOptions, LoadProgress, load_dir_progress};
use broadsheet::web::{AppState, Site, router};

use crate::support::{SEED_ID, articles_dir, get};

#[tokio::test]
async fn while_loading_health_reports_progress_and_pages_say_503() {
    let dir = articles_dir(3);
    let progress = Arc::new(LoadProgress::default());
    let state = AppState::loading(Site::default(), Arc::clone(&progress));
    let app = router(state.clone());
    let health = get(&app, "/healthz", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&health.body).expect("JSON");
    assert_eq!(body["status"], "loading");
    assert_eq!(body["files_read"], 0);
    assert_eq!(get(&app, "/readyz", &[]).await.status, StatusCode::SERVICE_UNAVAILABLE);
    for path in ["/", &format!("/articles/{SEED_ID}"), "/feed.xml", "/api/articles", "/search?q=x"] {
        for _ in 0..2 {
            let page = get(&app, path, &[]).await;
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert!(page.header("retry-after").is_some(), "{path}: no Retry-After");
        }
    }
    let (library, _) = load_dir_progress(dir.path(), &LoadOptions::default(), &progress).expect("load");
    assert_eq!((progress.read(), progress.found()), (4, 4), "every file counted");
    state.finish_loading(library, SearchStore::Memory);
    assert_eq!(get(&app, "/readyz", &[]).await.status, StatusCode::OK);
    assert_eq!(get(&app, &format!("/articles/{SEED_ID}"), &[]).await.status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&get(&app, "/healthz", &[]).await.body).expect("JSON");
    assert_eq!((body["status"].as_str(), body["articles"].as_u64()), (Some("ok"), Some(4)));
    assert!(body.get("files_unchecked").is_none(), "{body}");
    // After a restart, while the files taken from the snapshot are checked.
    progress.set_unchecked(3);
    let body: serde_json::Value = serde_json::from_slice(&get(&app, "/healthz", &[]).await.body).expect("JSON");
    assert_eq!((body["status"].as_str(), body["files_unchecked"].as_u64()), (Some("ok"), Some(3)));
    assert_eq!(get(&app, "/readyz", &[]).await.status, StatusCode::OK, "serving while checking");
    assert!(state.search.wait_until_ready(std::time::Duration::from_secs(30)), "search is built after the load");
}
