//! Health checks for load balancers and operators: `/healthz` (liveness)
//! and `/readyz` (readiness). Neither may be cached.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use serde::Serialize;

use super::{AppState, CurrentSite, Site};
use crate::library::Library;

/// The body of `GET /healthz`.
#[derive(Serialize)]
pub(crate) struct Health {
    pub status: &'static str,
    /// While loading: files read, of how many found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_read: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_found: Option<usize>,
    /// After a restart, while the files served as the saved snapshot knows
    /// them are compared with the disk: how many are left (those edited
    /// while the server was stopped are then read again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_unchecked: Option<usize>,
    pub articles: usize,
    /// Files that could not be loaded; `broadsheet check` lists them.
    pub problems: usize,
    /// The page that lists the problems (path and reason).
    pub problems_url: String,
}

impl Health {
    fn new(status: &'static str, site: &Site, library: &Library) -> Self {
        Self {
            status,
            files_read: None,
            files_found: None,
            files_unchecked: None,
            articles: library.len(),
            problems: library.problems().len(),
            problems_url: crate::web::urls::PROBLEMS.url(site, &[]),
        }
    }
}

/// `GET /healthz`: 200 while the server runs, with article and problem counts.
pub(crate) async fn show_health(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
) -> ([(header::HeaderName, HeaderValue); 1], Json<Health>) {
    let library = state.library.load();
    if state.loading.is_done() {
        let unchecked = Some(state.loading.progress.unchecked()).filter(|&files| files > 0);
        return (no_store(), Json(Health { files_unchecked: unchecked, ..Health::new("ok", &site, &library) }));
    }
    let progress = &state.loading.progress;
    let health = Health {
        files_read: Some(progress.read()),
        files_found: Some(progress.found()),
        ..Health::new("loading", &site, &library)
    };
    (no_store(), Json(health))
}

/// `GET /readyz`: 200 once the library is loaded, 503 while it loads (the
/// server listens from the start, so that a process manager sees it).
pub(crate) async fn show_ready(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
) -> (StatusCode, [(header::HeaderName, HeaderValue); 1], Json<Health>) {
    let library = state.library.load();
    if !state.loading.is_done() {
        return (StatusCode::SERVICE_UNAVAILABLE, no_store(), Json(Health::new("loading", &site, &library)));
    }
    (StatusCode::OK, no_store(), Json(Health::new("ready", &site, &library)))
}

/// Health answers describe this moment and this replica: never cache them.
fn no_store() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))]
}
