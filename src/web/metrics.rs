//! Prometheus metrics: requests by route and status, latency, and the
//! state of the library.
//!
//! Requests are labelled with the *route pattern* (`/articles/{*id}`), never
//! the raw URL, so the number of series stays small; unmatched URLs share the
//! label `unmatched`. Library numbers are read from the current snapshot at
//! scrape time. `GET /metrics` is on the main listener unless
//! `--metrics-listen` moves it to a separate one.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant, SystemTime};

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use tower::{Layer, Service};

use super::AppState;
use super::latency::LatencyHistogram;
use super::middleware::RouteLabel;
use crate::library::Library;

/// Labels of the request metrics.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: Arc<str>,
    status: u16,
}

/// Every metric the server exports, in one registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, LatencyHistogram>,
    articles: Gauge,
    problems: Gauge,
    last_reload: Gauge<f64, AtomicU64>,
    reload_duration: Gauge<f64, AtomicU64>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("broadsheet");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, LatencyHistogram>::default();
        let (articles, problems) = (Gauge::default(), Gauge::default());
        let (last_reload, reload_duration) = (Gauge::<f64, AtomicU64>::default(), Gauge::<f64, AtomicU64>::default());
        registry.register("http_requests", "HTTP requests answered, by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer a request", latency.clone());
        registry.register("articles_loaded", "Articles in the current library snapshot", articles.clone());
        registry.register("load_problems", "Files that could not be loaded as articles", problems.clone());
        registry.register(
            "last_reload_timestamp_seconds",
            "When the current snapshot finished loading (Unix time)",
            last_reload.clone(),
        );
        registry.register(
            "last_reload_duration_seconds",
            "How long loading the current snapshot took",
            reload_duration.clone(),
        );
        registry.register(
            "access_log_dropped_lines",
            "Access log lines dropped because the writer fell behind or its destination failed",
            super::middleware::access_log::DROPPED.clone(),
        );
        Self { registry, requests, latency, articles, problems, last_reload, reload_duration }
    }
}

impl Metrics {
    /// Records a finished (re)load of the articles directory.
    pub fn record_load(&self, duration: Duration, finished: SystemTime) {
        self.reload_duration.set(duration.as_secs_f64());
        let unix = finished.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        self.last_reload.set(unix.as_secs_f64());
    }

    /// The counter and histogram of one route and status, to keep and use
    /// without looking them up again (the page cache keeps one per page).
    pub fn recorder(&self, route: Arc<str>, status: u16) -> RequestRecorder {
        let labels = RequestLabels { route, status };
        RequestRecorder {
            count: self.requests.get_or_create(&labels).clone(),
            latency: self.latency.get_or_create(&labels).clone(),
        }
    }

    fn record_request(&self, route: Arc<str>, status: u16, elapsed: Duration) {
        self.recorder(route, status).record(elapsed);
    }

    /// The OpenMetrics text of every metric, library numbers from `library`.
    pub fn render(&self, library: &Library) -> String {
        self.articles.set(i64::try_from(library.len()).unwrap_or(i64::MAX));
        self.problems.set(i64::try_from(library.problems().len()).unwrap_or(i64::MAX));
        let mut text = String::new();
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(%error, "cannot encode metrics");
        }
        text
    }
}

/// Handles on the metrics of one route and status: recording is two
/// atomic additions, no lookup and no lock.
#[derive(Debug, Clone)]
pub struct RequestRecorder {
    count: Counter,
    latency: LatencyHistogram,
}

impl RequestRecorder {
    /// Counts one request that took `elapsed`.
    pub fn record(&self, elapsed: Duration) {
        self.count.inc();
        self.latency.observe(elapsed);
    }
}

/// Counts and times every request (outermost, so it sees the final status).
#[derive(Clone)]
pub(crate) struct RecordLayer(Arc<Metrics>);

impl RecordLayer {
    pub(crate) fn new(metrics: Arc<Metrics>) -> Self {
        Self(metrics)
    }
}

impl<S> Layer<S> for RecordLayer {
    type Service = Record<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Record { metrics: self.0.clone(), inner }
    }
}

/// The service of [`RecordLayer`]: a plain wrapper, so a request costs one
/// boxed future and no clone of the stack inside (as `from_fn` would).
#[derive(Clone)]
pub(crate) struct Record<S> {
    metrics: Arc<Metrics>,
    inner: S,
}

impl<S> Service<Request> for Record<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        let response = self.inner.call(request);
        let metrics = self.metrics.clone();
        Box::pin(async move {
            let response = response.await?;
            let route = response.extensions().get::<RouteLabel>().map_or_else(unmatched, |route| route.0.clone());
            metrics.record_request(route, response.status().as_u16(), started.elapsed());
            Ok(response)
        })
    }
}

/// The route label of requests no route matched.
pub(crate) fn unmatched() -> Arc<str> {
    static UNMATCHED: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    UNMATCHED.get_or_init(|| Arc::from("unmatched")).clone()
}

/// Copies the matched route pattern into the response for [`record`]
/// (inside the router, where the match is known).
pub(crate) async fn label_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|path| RouteLabel(Arc::from(path.as_str())));
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// `GET /metrics`: Prometheus/OpenMetrics text.
pub(crate) async fn show_metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state.library.load());
    let content_type = HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8");
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], text)
        .into_response()
}
