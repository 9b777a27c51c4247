//! Serving while the library loads: the server listens at once, so a
//! process manager and a load balancer see it alive from the first second,
//! while a large archive takes its time to read.
//!
//! Until the load ends, `/healthz` answers `loading` with how many files
//! were read of how many found, `/readyz` answers 503 (a load balancer
//! sends readers elsewhere), and every other page a short 503 with
//! `Retry-After` — never an empty site that a cache might keep.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::AppError;
use crate::library::LoadProgress;

/// Whether the library is still loading, and how far it got.
#[derive(Debug)]
pub struct Loading {
    pub progress: Arc<LoadProgress>,
    loaded: AtomicBool,
}

impl Loading {
    /// A load in progress, counted in `progress`.
    pub fn started(progress: Arc<LoadProgress>) -> Self {
        Self { progress, loaded: AtomicBool::new(false) }
    }

    /// Nothing to wait for: the library given to the state is the loaded one.
    pub fn done() -> Self {
        Self { progress: Arc::default(), loaded: AtomicBool::new(true) }
    }

    /// Whether the load has ended.
    pub fn is_done(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// Marks the load ended (after the loaded library was stored).
    pub fn finish(&self) {
        self.loaded.store(true, Ordering::Release);
    }
}

impl Default for Loading {
    fn default() -> Self {
        Self::done()
    }
}

/// Answers 503 for every route but health and readiness while loading.
pub(crate) async fn while_loading(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.loading.is_done() {
        return next.run(request).await;
    }
    let path = request.uri().path().trim_start_matches('/');
    let exempt =
        [super::urls::HEALTH, super::urls::READY, super::urls::METRICS, super::urls::STATIC, super::urls::FAVICON];
    if exempt.iter().any(|route| route.matches(path)) {
        return next.run(request).await;
    }
    let progress = &state.loading.progress;
    AppError::NotReady(format!(
        "The articles are still loading ({} of {} files read). This page will be here in a moment.",
        progress.read(),
        progress.found()
    ))
    .into_response()
}
