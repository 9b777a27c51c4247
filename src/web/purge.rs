//! `--purge-url`: after each reload, tell the HTTP caches in front of the
//! replicas (Varnish, a CDN's purge endpoint) which pages changed, with one
//! `PURGE` request per page, so an edit shows at once rather than when the
//! cached copies expire.
//!
//! The pages an article appears on are its own page (and its API answer),
//! the lists and feeds of its section, source, tags and month, and the
//! site-wide ones (front page, feeds, sitemap, the lists of sections,
//! sources, tags and the archive). Later pages of a list (`?page=2`) and
//! search results are left to expire: they are many and rarely cached for
//! long. Requests go out from the runtime's threads, never from the reload
//! thread, and a cache that does not answer is logged, not retried.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderValue, Method, Request, Uri, header};
use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::article::{Article, ArticleId};
use crate::library::reload::Swapped;
use crate::library::{Library, ListKey, slugify};
use crate::web::{Site, urls};

/// How long one `PURGE` may take.
const PURGE_TIMEOUT: Duration = Duration::from_secs(5);

/// The caches to tell, and how.
pub struct Purger {
    caches: Vec<Uri>,
    site: Arc<Site>,
    client: Client<HttpConnector, Empty<Bytes>>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Purger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Purger").field("caches", &self.caches).finish_non_exhaustive()
    }
}

impl Purger {
    /// A purger for `caches` (`http://127.0.0.1:6081`), sending from the
    /// current Tokio runtime; `None` when there is no cache to tell.
    pub fn new(caches: Vec<Uri>, site: Arc<Site>) -> Option<Self> {
        if caches.is_empty() {
            return None;
        }
        let client = Client::builder(TokioExecutor::new()).build_http();
        Some(Self { caches, site, client, runtime: tokio::runtime::Handle::current() })
    }

    /// Sends the `PURGE`s for what `swapped` changed, in the background.
    pub fn purge(&self, swapped: &Swapped<'_>) {
        let paths = changed_paths(&self.site, swapped);
        if paths.is_empty() {
            return;
        }
        tracing::debug!(pages = paths.len(), caches = self.caches.len(), "purging changed pages");
        for cache in &self.caches {
            for path in &paths {
                let Some(request) = self.request(cache, path) else { continue };
                let client = self.client.clone();
                let target = format!("{cache}{path}");
                self.runtime.spawn(async move {
                    match tokio::time::timeout(PURGE_TIMEOUT, client.request(request)).await {
                        Ok(Ok(response)) if response.status().is_success() || response.status().as_u16() == 404 => {}
                        Ok(Ok(response)) => {
                            tracing::warn!(%target, status = %response.status(), "the cache refused a PURGE")
                        }
                        Ok(Err(error)) => tracing::warn!(%target, %error, "cannot reach the cache to purge"),
                        Err(_) => tracing::warn!(%target, "the cache did not answer a PURGE in time"),
                    }
                });
            }
        }
    }

    /// `PURGE {cache}{path}`, with the public host as `Host` when it is
    /// known (caches key pages by it), else the cache's own.
    fn request(&self, cache: &Uri, path: &str) -> Option<Request<Empty<Bytes>>> {
        let base = cache.to_string();
        let uri: Uri = format!("{}{path}", base.trim_end_matches('/')).parse().ok()?;
        let host = self
            .site
            .public_origin
            .as_deref()
            .and_then(|origin| origin.split_once("://").map(|(_, host)| host.to_owned()))
            .or_else(|| cache.authority().map(ToString::to_string))?;
        Request::builder()
            .method(Method::from_bytes(b"PURGE").ok()?)
            .uri(uri)
            .header(header::HOST, HeaderValue::from_str(&host).ok()?)
            .body(Empty::new())
            .ok()
    }
}

/// The public paths (prefix included) of every page `swapped` changed.
pub(crate) fn changed_paths(site: &Site, swapped: &Swapped<'_>) -> BTreeSet<String> {
    let moved = swapped.moved.iter().flat_map(|(old, new)| [old, new]);
    let ids: Vec<&ArticleId> =
        swapped.added.iter().chain(swapped.updated).chain(swapped.removed).chain(moved).collect();
    if ids.is_empty() && swapped.images == 0 {
        return BTreeSet::new();
    }
    let mut paths = BTreeSet::new();
    for route in [
        urls::HOME,
        urls::SITE_FEEDS.atom,
        urls::SITE_FEEDS.json,
        urls::SITEMAP,
        urls::SECTIONS,
        urls::SOURCES,
        urls::TAGS,
        urls::ARCHIVE,
        urls::UNDATED,
        urls::API_ARTICLES,
    ] {
        paths.insert(route.url(site, &[]));
    }
    for id in ids {
        paths.insert(urls::article(site, id));
        paths.insert(urls::api_article(site, id));
        for library in [swapped.previous, swapped.current] {
            if let Some(article) = library.get(id.as_str()) {
                add_lists(site, library, article, &mut paths);
            }
        }
    }
    paths
}

/// The lists `article` appears on in `library`, with their feeds.
fn add_lists(site: &Site, library: &Library, article: &Article, paths: &mut BTreeSet<String>) {
    let mut keys = Vec::new();
    if let Some(group) = article.section.as_deref().and_then(|name| library.sections().find_by_name(name)) {
        keys.push(ListKey::Section(group.slug.clone()));
    }
    if let Some(group) = article.source.as_deref().and_then(|name| library.sources().find_by_name(name)) {
        keys.push(ListKey::Source(group.slug.clone()));
    }
    for tag in &article.details().tags {
        let slug = library.tags().find_by_name(tag).map_or_else(|| slugify(tag), |group| group.slug.clone());
        keys.push(ListKey::Tag(slug));
    }
    match article.date {
        Some(date) => keys.extend([ListKey::Year(date.year()), ListKey::Month(date.year(), date.month())]),
        None => keys.push(ListKey::Undated),
    }
    for key in keys {
        paths.insert(urls::list(site, &key));
        if let Some((_, feeds)) = urls::list_with_feeds(&key) {
            paths.extend(feeds.iter().map(|feed| format!("{}{feed}", site.base_path)));
        }
    }
}
