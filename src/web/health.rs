//! Health checks for load balancers and operators: `/healthz` (liveness)
//! and `/readyz` (readiness). Neither may be cached.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use serde::Serialize;

use super::{AppState, CurrentSite, Site};
use crate::library::Library;

/// The body of `GET /healthz`.
#[derive(Serialize)]
pub(crate) struct Health {
    pub status: &'static str,
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
    (no_store(), Json(Health::new("ok", &site, &library)))
}

/// `GET /readyz`: 200 once the library is loaded. The server only starts
/// listening after the first load, so a reachable server is ready.
pub(crate) async fn show_ready(
    State(state): State<AppState>,
    CurrentSite(site): CurrentSite,
) -> ([(header::HeaderName, HeaderValue); 1], Json<Health>) {
    let library = state.library.load();
    (no_store(), Json(Health::new("ready", &site, &library)))
}

/// Health answers describe this moment and this replica: never cache them.
fn no_store() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))]
}
