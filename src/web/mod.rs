//! The HTTP layer: the only module that knows about axum, askama and HTTP.
//!
//! [`router`] is the one route table. Handlers live in [`pages`] (HTML),
//! [`api`] (JSON) and [`health`]; they read parameters, look things up in the
//! current [`Library`] snapshot and fill a view from [`views`]. Errors become
//! responses in exactly one place, [`error`]. Around the routes, [`http`]
//! holds the middleware (reverse proxy and prefix, ETag/304 and the page
//! cache, compression, security headers, limits) and [`metrics`] counts
//! requests; [`server`] accepts connections with hyper.

pub mod api;
pub mod assets;
pub mod error;
pub mod health;
pub mod http;
pub mod latency;
pub mod metrics;
pub mod pages;
pub mod server;
pub mod site;
pub mod views;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use axum::routing::get;

use crate::library::Library;
pub use http::HttpSettings;
pub use metrics::Metrics;
pub use site::{CurrentSite, Site};

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
    /// A request behind a trusted proxy may see a variant: use [`CurrentSite`].
    pub site: Arc<Site>,
    /// Proxies, limits and the page cache.
    pub http: Arc<HttpSettings>,
    /// Request and library metrics for `/metrics`.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State serving `library` with the settings in `site`.
    pub fn new(library: Library, site: Site) -> Self {
        Self {
            library: Arc::new(ArcSwap::from_pointee(library)),
            site: Arc::new(site),
            http: Arc::new(HttpSettings::default()),
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// The same state with other HTTP settings.
    pub fn with_http(mut self, http: HttpSettings) -> Self {
        self.http = Arc::new(http);
        self
    }
}

/// The application as a router (for tests and for adding routes): [`app`]
/// as its fallback.
pub fn router(state: AppState) -> Router {
    Router::new().fallback_service(app(state))
}

/// The application as the server runs it: cached pages answered up front
/// ([`http::App`]), everything else routed through the middleware stack.
pub fn app(state: AppState) -> http::App {
    http::App::with_page_cache(state.clone(), routes(state))
}

/// Every route, then the middleware stack (outermost last; the layers that
/// must run before routing are in [`http::stack`]).
fn routes(state: AppState) -> Router {
    let mut routes = Router::new()
        .route("/", get(pages::index::show_index))
        .route("/articles/{*id}", get(pages::article::show_article))
        .route("/static/{file}", get(assets::serve_asset))
        .route("/favicon.ico", get(assets::serve_favicon))
        .route("/api/articles", get(api::list_articles))
        .route("/api/articles/{*id}", get(api::show_article))
        .route("/healthz", get(health::show_health))
        .route("/problems", get(pages::problems::show_problems))
        .route("/readyz", get(health::show_ready))
        .route("/about/deployment", get(pages::deployment::show_deployment));
    if state.http.metrics_on_main_router {
        routes = routes.route("/metrics", get(metrics::show_metrics));
    }
    let routes = routes
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(axum::middleware::from_fn(metrics::label_route))
        .with_state(state.clone());
    http::stack(state, routes)
}

/// The router of a separate `--metrics-listen` address: `/metrics`,
/// `/healthz` and `/readyz` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::show_metrics))
        .route("/healthz", get(health::show_health))
        .route("/readyz", get(health::show_ready))
        .with_state(state)
}
