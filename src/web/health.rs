//! Health check for load balancers and operators.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::AppState;

/// The body of `GET /healthz`.
#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub articles: usize,
    /// Files that could not be loaded; `broadsheet check` lists them.
    pub problems: usize,
    /// The page that lists the problems (path and reason).
    pub problems_url: String,
}

/// `GET /healthz`: 200 while the server runs, with article and problem counts.
pub async fn show_health(State(state): State<AppState>) -> Json<Health> {
    let library = state.library.load();
    Json(Health {
        status: "ok",
        articles: library.len(),
        problems: library.problems().len(),
        problems_url: state.site.url("problems"),
    })
}
