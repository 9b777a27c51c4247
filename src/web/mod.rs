//! The HTTP layer: the only module that knows about axum, askama and HTTP.
//!
//! [`routes`] is the one route table, over the patterns of [`urls`], which
//! also writes every link. Handlers live in [`pages`] (HTML), [`api`]
//! (JSON), [`feeds`] and [`health`]; they read parameters, look things up
//! in the current [`Library`] snapshot and fill a view from [`views`]. Errors become
//! responses in exactly one place, [`error`]. Around the routes,
//! [`middleware`] holds the stack (reverse proxy and prefix, compression,
//! security headers, limits), [`page_cache`] the ETag/304 handling and the
//! cache of rendered pages, and [`metrics`] counts requests. In front of
//! all of it, [`fast_path`] answers cache hits and plain article pages
//! before routing. [`server`] accepts connections with hyper. The map, with
//! both paths of a request: `docs/ARCHITECTURE.md`.

pub(crate) mod api;
pub(crate) mod api_search;
pub(crate) mod assets;
pub(crate) mod error;
pub(crate) mod escape;
pub(crate) mod fast_path;
pub(crate) mod feeds;
pub(crate) mod health;
pub(crate) mod language;
pub(crate) mod latency;
pub mod loading;
pub mod media;
pub(crate) mod metrics;
pub mod middleware;
pub(crate) mod page_cache;
pub(crate) mod pages;
pub(crate) mod preview;
pub mod purge;
pub mod server;
pub mod site;
pub(crate) mod urls;
pub(crate) mod views;
pub(crate) mod xml;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::Router;
use axum::routing::get;

use crate::library::search::{SearchIndex, SearchStore};
use crate::library::{Library, reload};
pub use metrics::Metrics;
pub use middleware::HttpSettings;
pub use page_cache::PageCache;
pub(crate) use site::CurrentSite;
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
    /// A request behind a trusted proxy may see a variant: use [`CurrentSite`].
    pub site: Arc<Site>,
    /// Proxies, limits and the page cache.
    pub http: Arc<HttpSettings>,
    /// Request and library metrics for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The full-text index of the library, built in the background; search
    /// answers "indexing…" until it is ready.
    pub search: Arc<SearchIndex>,
    /// Image serving: resized copies and their cache folder.
    pub media: Arc<media::MediaService>,
    /// The caches to tell which pages changed after a reload (`--purge-url`).
    pub purger: Option<Arc<purge::Purger>>,
    /// Whether the library is still loading (the server listens at once).
    pub loading: Arc<loading::Loading>,
}

impl AppState {
    /// State serving `library` with the settings in `site`; starts indexing
    /// the library for search in the background.
    pub fn new(library: Library, site: Site) -> Self {
        Self::with_search_store(library, site, SearchStore::Memory)
    }

    /// Like [`Self::new`], with the search index kept where `store` says.
    pub fn with_search_store(library: Library, site: Site, store: SearchStore) -> Self {
        let library = Arc::new(library);
        let search = SearchIndex::build_in_background_in(Arc::clone(&library), store);
        Self {
            library: Arc::new(ArcSwap::new(library)),
            site: Arc::new(site),
            http: Arc::new(HttpSettings::default()),
            metrics: Arc::new(Metrics::default()),
            search,
            media: Arc::default(),
            purger: None,
            loading: Arc::default(),
        }
    }

    /// The same state telling `purger`'s caches about changes.
    pub fn with_purger(mut self, purger: Option<purge::Purger>) -> Self {
        self.purger = purger.map(Arc::new);
        self
    }

    /// State whose library is still loading (counted in `progress`): the
    /// server can listen at once, answering health checks with the
    /// progress and pages with 503 until [`Self::finish_loading`].
    pub fn loading(site: Site, progress: Arc<crate::library::LoadProgress>) -> Self {
        Self {
            library: Arc::new(ArcSwap::new(Arc::new(Library::default()))),
            site: Arc::new(site),
            http: Arc::new(HttpSettings::default()),
            metrics: Arc::new(Metrics::default()),
            search: Arc::new(SearchIndex::pending(0)),
            media: Arc::default(),
            purger: None,
            loading: Arc::new(loading::Loading::started(progress)),
        }
    }

    /// Serves `library`, the one that finished loading, and starts indexing
    /// it for search (into `store`) in the background.
    pub fn finish_loading(&self, library: Library, store: SearchStore) {
        let library = Arc::new(library);
        self.library.store(Arc::clone(&library));
        let search = Arc::clone(&self.search);
        let spawned = std::thread::Builder::new()
            .name("search-index".to_owned())
            .spawn(move || search.build_in(&library, &store));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the indexing thread; search stays unavailable");
        }
        self.loading.finish();
    }

    /// The same state serving images with `media`.
    pub fn with_media(mut self, media: media::MediaService) -> Self {
        self.media = Arc::new(media);
        self
    }

    /// What live reload acts on: the snapshot's swap handle, the search
    /// index, and the metrics that record each reload.
    pub fn reload_target(&self) -> reload::Target {
        let (metrics, purger) = (Arc::clone(&self.metrics), self.purger.clone());
        reload::Target {
            library: Arc::clone(&self.library),
            search: Arc::clone(&self.search),
            on_reload: Arc::new(move |swapped| {
                metrics.record_load(swapped.elapsed, swapped.finished);
                if let Some(purger) = &purger {
                    purger.purge(swapped);
                }
            }),
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
/// ([`fast_path::App`]), everything else routed through the middleware stack.
pub fn app(state: AppState) -> fast_path::App {
    fast_path::App::with_page_cache(state.clone(), routes(state))
}

/// Every route, then the middleware stack (outermost last; the layers that
/// must run before routing are in [`middleware::stack`]).
fn routes(state: AppState) -> Router {
    use urls::*;
    let mut routes = Router::new()
        // Reading
        .route(HOME.pattern(), get(pages::index::show_index))
        .route(ARTICLE.pattern(), get(pages::article::show_article))
        .route(SEARCH.pattern(), get(pages::search::show_search))
        // Browsing
        .route(SECTIONS.pattern(), get(pages::browse::list_sections))
        .route(SECTION.pattern(), get(pages::browse::show_section))
        .route(SOURCES.pattern(), get(pages::browse::list_sources))
        .route(SOURCE.pattern(), get(pages::browse::show_source))
        .route(TAGS.pattern(), get(pages::browse::list_tags))
        .route(TAG.pattern(), get(pages::browse::show_tag))
        .route(ARCHIVE.pattern(), get(pages::archive::show_archive))
        .route(UNDATED.pattern(), get(pages::archive::show_undated))
        .route(YEAR.pattern(), get(pages::archive::show_year))
        .route(MONTH.pattern(), get(pages::archive::show_month))
        // Feeds
        .route(SITE_FEEDS.atom.pattern(), get(feeds::show_site_feed))
        .route(SITE_FEEDS.json.pattern(), get(feeds::show_site_feed))
        .route(SECTION_FEEDS.atom.pattern(), get(feeds::show_section_feed))
        .route(SECTION_FEEDS.json.pattern(), get(feeds::show_section_feed))
        .route(SOURCE_FEEDS.atom.pattern(), get(feeds::show_source_feed))
        .route(SOURCE_FEEDS.json.pattern(), get(feeds::show_source_feed))
        .route(TAG_FEEDS.atom.pattern(), get(feeds::show_tag_feed))
        .route(TAG_FEEDS.json.pattern(), get(feeds::show_tag_feed))
        .route(SEARCH_FEEDS.atom.pattern(), get(feeds::show_search_feed))
        .route(SEARCH_FEEDS.json.pattern(), get(feeds::show_search_feed))
        // For machines: the API, search engines, assets
        .route(API_ARTICLES.pattern(), get(api::list_articles))
        .route(API_ARTICLE.pattern(), get(api::show_article))
        .route(API_SEARCH.pattern(), get(api_search::search_articles))
        .route(SITEMAP.pattern(), get(pages::seo::show_sitemap))
        .route(SITEMAP_PART.pattern(), get(pages::seo::show_sitemap_part))
        .route(ROBOTS.pattern(), get(pages::seo::show_robots))
        .route(OPENSEARCH.pattern(), get(pages::seo::show_opensearch))
        .route(STATIC.pattern(), get(assets::serve_asset))
        .route(MEDIA.pattern(), get(media::serve_media))
        .route(SITE_MEDIA.pattern(), get(media::serve_site_media))
        .route(FAVICON.pattern(), get(assets::serve_favicon))
        // For operators
        .route(HEALTH.pattern(), get(health::show_health))
        .route(READY.pattern(), get(health::show_ready))
        .route(PROBLEMS.pattern(), get(pages::problems::show_problems))
        .route(DEPLOYMENT.pattern(), get(pages::deployment::show_deployment));
    if state.http.metrics_on_main_router {
        routes = routes.route(urls::METRICS.pattern(), get(metrics::show_metrics));
    }
    let routes = routes
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), loading::while_loading))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(axum::middleware::from_fn(metrics::label_route))
        .with_state(state.clone());
    middleware::stack(state, routes)
}

/// The router of a separate `--metrics-listen` address: `/metrics`,
/// `/healthz` and `/readyz` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route(urls::METRICS.pattern(), get(metrics::show_metrics))
        .route(urls::HEALTH.pattern(), get(health::show_health))
        .route(urls::READY.pattern(), get(health::show_ready))
        .with_state(state)
}
