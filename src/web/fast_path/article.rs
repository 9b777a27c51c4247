//! Article pages rendered in front of the stack, for the common request
//! that misses the page cache: `GET /articles/{id}` with no query string.
//!
//! A random article over a large library is almost never in the page cache,
//! and going through the routed stack costs as much as rendering the page:
//! a tracing span, a metrics label allocated per request, a timer for the
//! timeout, the compression wrapper, routing twice, several boxed futures,
//! buffering the body again. None of that changes the answer to this
//! request, so [`answer_article`] gives the same answer without it: the same
//! view ([`article_view`]), rendered to the same bytes, made a
//! [`RenderedPage`] (ETag, `Cache-Control`, `Vary`, security headers) and
//! offered to the page cache as the stack does, counted in `/metrics` under
//! the same route and status.
//!
//! Whatever the stack would answer differently is left to it: an unknown id
//! (redirects, 404, 410), a percent-encoded id, a query string, a request
//! with `If-Match` or `If-Unmodified-Since` (which may get the stack's 412,
//! checked by the front before the cache), and any request while the stack's request tracing is enabled
//! ([`middleware::trace::traces_requests`]: its span and log lines are part
//! of the answer then). The
//! request timeout cannot fire here: nothing in it waits.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::Request;
use axum::http::{StatusCode, Uri};
use http_body_util::{Either, Full};

use std::future::ready;

use super::{AppFuture, Deferred};
use crate::library::{Library, ListKey};
use crate::web::metrics::RequestRecorder;
use crate::web::middleware::{self, LastModified, RouteLabel};
use crate::web::page_cache::conditional::{RenderedPage, RequestConditions};
use crate::web::pages::article::article_view;
use crate::web::site::request_host;
use crate::web::views::render_exact;
use crate::web::{AppState, Site, urls};

/// The metrics of article pages answered here, fetched on first use (so a
/// status never seen makes no series, as with the stack).
#[derive(Default)]
pub(super) struct ArticleMetrics {
    ok: OnceLock<crate::web::metrics::RequestRecorder>,
    not_modified: OnceLock<crate::web::metrics::RequestRecorder>,
}

/// What the front knows about a request that missed the page cache.
pub(super) struct Miss<'a, B> {
    pub request: &'a Request<B>,
    pub site: &'a Arc<Site>,
    pub library: &'a Library,
    pub key: u128,
    pub conditions: &'a RequestConditions,
    pub head: bool,
    pub started: Instant,
}

/// The article page for `miss`, or `None` when the stack must answer.
pub(super) fn answer_article<B>(state: &AppState, metrics: &ArticleMetrics, miss: &Miss<'_, B>) -> Option<AppFuture> {
    let request = miss.request;
    if request.uri().query().is_some() || middleware::trace::traces_requests() {
        return None;
    }
    let id = article_id(request.uri(), &miss.site.base_path)?;
    let article = miss.library.get(id)?;
    let origin = miss
        .site
        .public_origin
        .clone()
        .or_else(|| request_host(request.uri(), request.headers()).map(|host| format!("http://{host}")));
    let view = article_view(miss.library, miss.site.clone(), origin.as_deref(), article, &ListKey::All);
    // A template that fails to render is the stack's to answer (a 500).
    let body = render_exact(&view).ok()?;
    let modified = LastModified::from_timestamp(article.modified).0;
    let page = RenderedPage::html(body, modified, Some(route_label()));
    // The status is known before any compression: 304 or 200.
    let status = if page.is_not_modified(miss.conditions) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
    let cell = if status == StatusCode::NOT_MODIFIED { &metrics.not_modified } else { &metrics.ok };
    let recorder = cell.get_or_init(|| state.metrics.recorder(route_label().0, status.as_u16())).clone();
    Some(respond(state, miss, page, recorder))
}

/// Offers `page` to the page cache as the stack does, and answers `miss`
/// from it; a page not kept gives its headers to the response instead of a
/// copy. A first compressed copy is made off this thread (see
/// [`crate::web::page_cache::compress`]), and the answer waits for it.
fn respond<B>(state: &AppState, miss: &Miss<'_, B>, page: RenderedPage, recorder: RequestRecorder) -> AppFuture {
    let body = |bytes| Either::Left(Full::new(bytes));
    let cache = &state.http.cache;
    let kept = cache.wants(miss.key);
    let Some(quality) = page.compression_wanted(miss.conditions.encoding, false) else {
        let response = if kept {
            let page = Arc::new(page);
            cache.insert(miss.key, page.clone());
            page.respond_with(miss.conditions, miss.head, body)
        } else {
            page.into_response_with(miss.conditions, miss.head, body)
        };
        recorder.record(miss.started.elapsed());
        return AppFuture::Cached(ready(Ok(response)));
    };
    let page = Arc::new(page);
    if kept {
        cache.insert(miss.key, page.clone());
    }
    let (cache, key, conditions, head, started) =
        (cache.clone(), miss.key, miss.conditions.clone(), miss.head, miss.started);
    Deferred { cache, key, page, conditions, head, recorder, started }.answer(quality)
}

/// The id in an article URL as the route `/articles/{*id}` captures it,
/// when percent-decoding leaves it as it is.
fn article_id<'a>(uri: &'a Uri, base_path: &str) -> Option<&'a str> {
    let path = uri.path();
    // As `proxy::resolve_site` routes it: below the prefix when the path
    // has it, else the path as it came (a proxy stripped the prefix).
    let routed = match path.strip_prefix(base_path) {
        Some(rest) if base_path != "/" => rest,
        _ => path.strip_prefix('/')?,
    };
    urls::ARTICLE.capture_in(routed).filter(|id| !id.contains('%'))
}

fn route_label() -> RouteLabel {
    static LABEL: OnceLock<RouteLabel> = OnceLock::new();
    LABEL.get_or_init(|| RouteLabel(Arc::from(urls::ARTICLE.pattern()))).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_what_the_route_captures_below_the_prefix() {
        let id = |uri: &'static str, base: &str| article_id(&Uri::from_static(uri), base).map(str::to_owned);
        assert_eq!(id("/articles/a/b_1", "/"), Some("a/b_1".into()));
        assert_eq!(id("/news/articles/a", "/news/"), Some("a".into()));
        assert_eq!(id("/articles/a", "/news/"), Some("a".into()), "a proxy stripped the prefix");
        assert_eq!(id("/news/articles/a", "/"), None);
        assert_eq!(id("/articles/", "/"), None);
        assert_eq!(id("/articles/a%2Fb", "/"), None, "left to the router, which decodes");
        assert_eq!(id("/article/a", "/"), None);
    }
}
