//! The one way tests build the application: [`TestApp::over`] a directory
//! (or [`TestApp::of`] a library), then the site, HTTP settings and
//! whether to wait for the search index, then [`Builder::build`] for the
//! router or [`Builder::state`] for the state alone.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use broadsheet::library::{Library, load_dir};
use broadsheet::media::ResizedStore;
use broadsheet::web::media::MediaService;
use broadsheet::web::site::ImageOptions;
use broadsheet::web::{AppState, HttpSettings, Site, router};

use super::request::{self, Reply};

/// The application under test: its state (to swap libraries, read metrics
/// or replace the search index) and the router over it.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
}

impl TestApp {
    /// Starts building the app over the articles in `dir`.
    pub fn over(dir: &Path) -> Builder {
        Self::of(load_dir(dir).expect("load articles"))
    }

    /// Starts building the app over `library`.
    pub fn of(library: Library) -> Builder {
        Builder {
            library,
            title: "Broadsheet".to_owned(),
            base: "/".to_owned(),
            site: None,
            http: None,
            search_ready: false,
            resized_images: None,
        }
    }

    /// `GET path`, in-process.
    pub async fn get(&self, path: &str) -> Reply {
        request::get(&self.router, path, &[]).await
    }
}

/// How the app under test is set up; the defaults are those of
/// `broadsheet serve` (title "Broadsheet", served at `/`).
pub struct Builder {
    library: Library,
    title: String,
    base: String,
    site: Option<Site>,
    http: Option<HttpSettings>,
    search_ready: bool,
    resized_images: Option<std::path::PathBuf>,
}

impl Builder {
    /// Resized copies of images made and kept in `cache_dir` (as with
    /// `--cache-dir`); without it, pages offer the originals only.
    pub fn resized_images(mut self, cache_dir: &Path) -> Self {
        self.resized_images = Some(cache_dir.to_owned());
        self
    }

    /// The site's title.
    pub fn title(mut self, title: &str) -> Self {
        title.clone_into(&mut self.title);
        self
    }

    /// The public base URL or path (`--base-url`).
    pub fn base(mut self, base: &str) -> Self {
        base.clone_into(&mut self.base);
        self
    }

    /// A site set up by the test (description, …); overrides title and base.
    pub fn site(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
    }

    /// HTTP settings other than the defaults.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = Some(http);
        self
    }

    /// Waits until the search index is built, for tests that search.
    pub fn search_ready(mut self) -> Self {
        self.search_ready = true;
        self
    }

    /// The state alone, for tests that change it before routing.
    pub fn state(self) -> AppState {
        let mut site = self.site.unwrap_or_else(|| Site::new(self.title, &self.base));
        let store = self.resized_images.as_deref().map_or_else(ResizedStore::disabled, ResizedStore::in_cache_dir);
        site = site.with_images(ImageOptions { resized: store.is_enabled(), remote: false });
        let media = MediaService::new(store, broadsheet::library::DEFAULT_MAX_FILE_SIZE);
        let mut state = AppState::new(self.library, site).with_media(media);
        if let Some(http) = self.http {
            state = state.with_http(http);
        }
        if self.search_ready {
            assert!(state.search.wait_until_ready(Duration::from_secs(60)), "search index did not become ready");
        }
        state
    }

    /// The app.
    pub fn build(self) -> TestApp {
        let state = self.state();
        TestApp { router: router(state.clone()), state }
    }
}
