//! The HTTP layer: the only module that knows about axum, askama and HTTP.
//!
//! [`router`] is the one route table. Handlers live in [`pages`] (HTML),
//! [`api`] (JSON) and [`health`]; they read parameters, look things up in the
//! current [`Library`] snapshot and fill a view from [`views`]. Errors become
//! responses in exactly one place, [`error`].

pub mod api;
pub mod api_search;
pub mod assets;
pub mod browse_views;
pub mod error;
pub mod health;
pub mod pages;
pub mod site;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::Router;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::library::Library;
use crate::library::search::SearchIndex;
pub use site::Site;

/// Articles per list page, on HTML pages and in the API alike.
pub const PER_PAGE: usize = 20;

/// Everything a handler needs, cheap to clone (a few `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// The current snapshot of the articles directory. Handlers `load()` it
    /// once per request, so a request sees one consistent snapshot even if a
    /// reload swaps in a new one meanwhile.
    pub library: Arc<ArcSwap<Library>>,
    /// Site-wide settings fixed at start-up: title, public base path, assets.
    pub site: Arc<Site>,
    /// The full-text index of the library, built in the background; search
    /// answers "indexing…" until it is ready.
    pub search: Arc<SearchIndex>,
}

impl AppState {
    /// State serving `library` with the settings in `site`; starts indexing
    /// the library for search in the background.
    pub fn new(library: Library, site: Site) -> Self {
        let library = Arc::new(library);
        let search = SearchIndex::build_in_background(Arc::clone(&library));
        Self { library: Arc::new(ArcSwap::new(library)), site: Arc::new(site), search }
    }
}

/// How long one request may take before the server answers 408; this also
/// bounds how long graceful shutdown waits for a stuck request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The application: every route, then the middleware stack (outermost last).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::index::show_index))
        .route("/articles/{*id}", get(pages::article::show_article))
        .route("/sections", get(pages::browse::list_sections))
        .route("/sections/{slug}", get(pages::browse::show_section))
        .route("/sources", get(pages::browse::list_sources))
        .route("/sources/{slug}", get(pages::browse::show_source))
        .route("/archive", get(pages::browse::show_archive))
        .route("/archive/undated", get(pages::browse::show_undated))
        .route("/archive/{year}", get(pages::browse::show_year))
        .route("/archive/{year}/{month}", get(pages::browse::show_month))
        .route("/search", get(pages::search::show_search))
        .route("/static/{file}", get(assets::serve_asset))
        .route("/favicon.ico", get(assets::serve_favicon))
        .route("/api/articles", get(api::list_articles))
        .route("/api/articles/{*id}", get(api::show_article))
        .route("/api/search", get(api_search::search_articles))
        .route("/healthz", get(health::show_health))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
