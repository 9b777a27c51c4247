//! The front of the application: cached pages are answered here, before
//! routing and before any middleware.
//!
//! A request for a page in the [`PageCache`](crate::web::PageCache) needs none of
//! the stack: its site is resolved as [`proxy::site_for`] does, its cache key
//! is hashed from the URL (the public prefix stripped exactly as
//! [`proxy::resolve_site`] strips it), and the answer is a clone of the
//! page's body and of its header map, which already holds the ETag,
//! `Cache-Control`, `Vary` and the security headers. The hit is counted in
//! `/metrics` under the page's route through handles kept with the page
//! (atomic additions, no lookup, no lock). A miss for a plain article page is
//! rendered here too (`article.rs`). Everything else — other misses, other
//! methods, over-long URIs, the bare prefix — goes to the routed stack
//! unchanged, where [`page_cache::conditional_get`](crate::web::page_cache::conditional_get)
//! fills the cache.
//!
//! The server builds one [`App`] per connection with
//! [`App::for_connection`], so the peer address is inserted into a request's
//! extensions only when the stack needs it, not on every hit, and routed
//! requests count as activity for the connection's slowloris guard. Its
//! requests have their `Host` checked ([`host`]); a bad one is left to the
//! stack, which answers 400.

mod article;

use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::body::HttpBody;
use axum::extract::{ConnectInfo, Request};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::future::RouteFuture;
use bytes::Bytes;
use http_body_util::{Either, Full};
use tower::Service;

use crate::web::metrics::RequestRecorder;
use crate::web::metrics::unmatched;
use crate::web::middleware::access_log::{self, AccessLog, Entry};
use crate::web::middleware::encoding::Quality;
use crate::web::middleware::host::{self, BadHost};
use crate::web::middleware::proxy::{self, Peer};
use crate::web::page_cache::RenderedPage;
use crate::web::page_cache::conditional::RequestConditions;
use crate::web::server::progress::{Activity, Handling};
use crate::web::{AppState, PageCache};
use article::ArticleMetrics;

/// The whole application as one service: the page-cache fast path in front
/// of the routed middleware stack.
#[derive(Clone)]
pub struct App {
    /// `None` for routers served as they are (the metrics listener).
    fast: Option<Arc<AppState>>,
    inner: Router,
    /// Set per connection by the server.
    peer: Option<Peer>,
    /// Set per connection by the server: routed requests in flight.
    activity: Option<Arc<Activity>>,
    /// Metrics of the article pages answered in front of the stack.
    articles: Arc<ArticleMetrics>,
    /// Where each request's line goes, if anywhere.
    access_log: Option<AccessLog>,
}

impl App {
    /// `routes` (the complete routed stack) with cached pages answered in
    /// front of it.
    pub fn with_page_cache(state: AppState, routes: Router) -> Self {
        let access_log = access_log::installed();
        Self {
            fast: Some(Arc::new(state)),
            inner: routes,
            peer: None,
            activity: None,
            articles: Arc::default(),
            access_log,
        }
    }

    /// The same application writing its access log to `log` (or none).
    pub fn with_access_log(self, log: Option<AccessLog>) -> Self {
        Self { access_log: log, ..self }
    }

    /// The same application for one connection from `peer`, whose routed
    /// requests are marked in `activity` while they are handled.
    pub fn for_connection(&self, peer: Peer, activity: Arc<Activity>) -> Self {
        Self { peer: Some(peer), activity: Some(activity), ..self.clone() }
    }
}

impl From<Router> for App {
    /// A router served as it is, without the fast path.
    fn from(inner: Router) -> Self {
        Self { fast: None, inner, peer: None, activity: None, articles: Arc::default(), access_log: None }
    }
}

/// The body of [`App`]'s responses: a cached page's bytes as they are (no
/// boxed body per hit), or whatever the routed stack answered.
pub(crate) type AppBody = Either<Full<Bytes>, Body>;

impl<B> Service<Request<B>> for App
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response<AppBody>;
    type Error = Infallible;
    type Future = Logged;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let entry = match (&self.access_log, &self.fast) {
            (Some(log), Some(state)) => {
                // An app inside a router finds the peer in the extensions.
                let peer = self.peer.or_else(|| request.extensions().get::<Peer>().copied());
                Some(Entry::start(log, &request, peer.as_ref(), &state.http.trusted_proxies))
            }
            _ => None,
        };
        Logged { inner: self.answer(request), entry }
    }
}

impl App {
    /// The answer to `request`: from the page cache or the front, else routed.
    fn answer<B>(&mut self, mut request: Request<B>) -> AppFuture
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<axum::BoxError>,
    {
        // Only requests from a connection have a Host to check.
        if self.peer.is_some()
            && let Err(bad) = host::check(&request)
        {
            request.extensions_mut().insert(bad);
        }
        if let Some(state) = &self.fast
            && let Some(answer) = answer_up_front(state, &self.articles, &request, self.peer.as_ref())
        {
            return answer;
        }
        if let Some(peer) = self.peer {
            add_peer(&mut request, peer);
        }
        let handling = self.activity.as_ref().map(Activity::handling);
        AppFuture::Routed { routed: self.inner.call(request), _handling: handling }
    }
}

/// The future of [`App`]: the answer, and the access log's line written
/// when it is ready.
pub struct Logged {
    inner: AppFuture,
    entry: Option<Entry>,
}

impl Future for Logged {
    type Output = Result<Response<AppBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Poll::Ready(Ok(response)) = Pin::new(&mut this.inner).poll(context) else { return Poll::Pending };
        if let Some(entry) = this.entry.take() {
            entry.finish(&response);
        }
        Poll::Ready(Ok(response))
    }
}

/// The answer of [`App`]: a finished cached response, a page answered in
/// front once its compressed copy is made, or the router's.
pub enum AppFuture {
    Cached(Ready<Result<Response<AppBody>, Infallible>>),
    Compressing(Pin<Box<dyn Future<Output = Result<Response<AppBody>, Infallible>> + Send>>),
    /// With the mark of a request in flight, dropped with the future.
    Routed {
        routed: RouteFuture<Infallible>,
        _handling: Option<Handling>,
    },
}

impl Future for AppFuture {
    type Output = Result<Response<AppBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Cached(ready) => Pin::new(ready).poll(context),
            Self::Compressing(compressing) => compressing.as_mut().poll(context),
            Self::Routed { routed, .. } => {
                Pin::new(routed).poll(context).map_ok(|response| response.map(Either::Right))
            }
        }
    }
}

/// The peer for the stack: [`Peer`] for the proxy rules, `ConnectInfo` for
/// handlers that log the address.
fn add_peer<B>(request: &mut Request<B>, peer: Peer) {
    if let Peer::Tcp(address) = peer {
        request.extensions_mut().insert(ConnectInfo(address));
    }
    request.extensions_mut().insert(peer);
}

/// The response to `request` from the page cache, else an article page
/// rendered here ([`article`]), or `None` when the stack must answer. A hit
/// is answered with the copies the page has; a missing or better one is
/// made in the background.
fn answer_up_front<B>(
    state: &AppState,
    articles: &ArticleMetrics,
    request: &Request<B>,
    peer: Option<&Peer>,
) -> Option<AppFuture> {
    let started = Instant::now();
    let head = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => return None,
    };
    if request.extensions().get::<BadHost>().is_some() {
        return None; // the stack answers 400
    }
    let uri = request.uri();
    if uri.path_and_query().is_some_and(|value| value.as_str().len() > state.http.max_uri_bytes) {
        return None; // the stack answers 414
    }
    let peer = peer.or_else(|| request.extensions().get::<Peer>());
    let site = proxy::site_for(state, peer, request.headers());
    let library = state.library.load();
    let key = crate::web::page_cache::key_for_uri(library.generation(), &site, uri, request.headers())?;
    let conditions = RequestConditions::from_headers(request.headers());
    if conditions.has_preconditions() {
        return None; // the stack answers them, 412 included
    }
    let Some(page) = state.http.cache.get(key) else {
        let miss =
            article::Miss { request, site: &site, library: &library, key, conditions: &conditions, head, started };
        return article::answer_article(state, articles, &miss);
    };
    let status = if page.is_not_modified(&conditions) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
    let recorder = page.hit_recorder(status, || {
        let route = page.route.as_ref().map_or_else(unmatched, |route| route.0.clone());
        [StatusCode::OK, StatusCode::NOT_MODIFIED].map(|status| state.metrics.recorder(route.clone(), status.as_u16()))
    });
    if tracing::enabled!(tracing::Level::DEBUG) {
        let (method, uri) = (request.method(), request.uri());
        tracing::debug!(%method, %uri, status = status.as_u16(), "answered from the page cache");
    }
    match page.compression_wanted(conditions.encoding, true) {
        // The first request in a coding waits for its copy, as a miss does,
        // so that a hit and a miss answer alike.
        Some(Quality::Fast) if status == StatusCode::OK => {
            let recorder = recorder.clone();
            return Some(
                Deferred { cache: state.http.cache.clone(), key, page, conditions, head, recorder, started }
                    .answer(Quality::Fast),
            );
        }
        Some(quality) => state.http.cache.compress_later(key, &page, conditions.encoding, quality),
        None => {}
    }
    let response = page.respond_with(&conditions, head, |bytes| Either::Left(Full::new(bytes)));
    recorder.record(started.elapsed());
    Some(AppFuture::Cached(ready(Ok(response))))
}

/// A page to answer once its copy in the requested coding is made, off the
/// request threads (see [`crate::web::page_cache::compress`]): the first
/// request in a coding, a hit or a miss.
pub(super) struct Deferred {
    pub cache: PageCache,
    pub key: u128,
    pub page: Arc<RenderedPage>,
    pub conditions: RequestConditions,
    pub head: bool,
    pub recorder: RequestRecorder,
    pub started: Instant,
}

impl Deferred {
    /// The answer, after compressing at `quality` (in identity when the
    /// compressor is busy).
    pub fn answer(self, quality: Quality) -> AppFuture {
        AppFuture::Compressing(Box::pin(async move {
            let Self { cache, key, page, conditions, head, recorder, started } = self;
            cache.compress_now(key, &page, conditions.encoding, quality).await;
            let response = page.respond_with(&conditions, head, |bytes| Either::Left(Full::new(bytes)));
            recorder.record(started.elapsed());
            Ok(response)
        }))
    }
}
