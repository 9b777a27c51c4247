//! Request tracing: the `TraceLayer` of the stack, and whether it would
//! write anything, from one set of levels. Each request's line is the
//! access log's ([`super::access_log`]), so tracing logs requests only at
//! DEBUG (and 5xx answers at ERROR): the default `info` writes nothing per
//! request, and lets the fast path answer.
//!
//! The fast path answers requests without the stack, so it must leave to
//! the stack every request whose span or log lines are part of the answer
//! while tracing is on; [`traces_requests`] asks exactly what [`layer`]
//! would do.

use std::time::Duration;

use axum::http::StatusCode;
use tower_http::classify::{ServerErrorsAsFailures, ServerErrorsFailureClass, SharedClassifier};
use tower_http::trace::{
    DefaultMakeSpan, DefaultOnBodyChunk, DefaultOnEos, DefaultOnRequest, DefaultOnResponse, TraceLayer,
};
use tracing::Level;

/// The level of each request's span.
const SPAN: Level = Level::DEBUG;
/// The level of the "started processing request" line.
const REQUEST: Level = Level::DEBUG;
/// The level of the "finished processing request" line.
const RESPONSE: Level = Level::DEBUG;
/// The level of the end of a streamed body.
const END_OF_STREAM: Level = Level::DEBUG;

/// The stack's tracing layer.
pub(crate) type Layer = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    DefaultMakeSpan,
    DefaultOnRequest,
    DefaultOnResponse,
    DefaultOnBodyChunk,
    DefaultOnEos,
    fn(ServerErrorsFailureClass, Duration, &tracing::Span),
>;

/// A span per request and a line per response, at the levels above; 5xx
/// answers logged by [`log_failure`].
pub(crate) fn layer() -> Layer {
    TraceLayer::new_for_http()
        .make_span_with(DefaultMakeSpan::new().level(SPAN))
        .on_request(DefaultOnRequest::new().level(REQUEST))
        .on_response(DefaultOnResponse::new().level(RESPONSE))
        .on_eos(DefaultOnEos::new().level(END_OF_STREAM))
        .on_failure(log_failure as fn(ServerErrorsFailureClass, Duration, &tracing::Span))
}

/// Whether [`layer`] would make a span or write a line for a request (the
/// targets are tower-http's own).
pub(crate) fn traces_requests() -> bool {
    tracing::enabled!(target: "tower_http::trace::make_span", SPAN)
        || tracing::enabled!(target: "tower_http::trace::on_request", REQUEST)
        || tracing::enabled!(target: "tower_http::trace::on_response", RESPONSE)
        || tracing::enabled!(target: "tower_http::trace::on_eos", END_OF_STREAM)
}

/// Logs a 5xx answer or a failed body at ERROR, except 503: the answer of
/// search while its index is being built, expected and temporary (with
/// `Retry-After`), which the response line already logs.
fn log_failure(class: ServerErrorsFailureClass, latency: Duration, _span: &tracing::Span) {
    if let ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) = class {
        return;
    }
    // The target of tower-http's own line, so log filters keep working.
    let latency_ms = latency.as_millis() as u64;
    tracing::error!(target: "tower_http::trace::on_failure", classification = %class, latency_ms, "response failed");
}
