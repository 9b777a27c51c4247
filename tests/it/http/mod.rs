//! HTTP behaviour around the pages: caching and conditional requests,
//! content coding, the fast path in front of the router, redirects,
//! hardening and limits, the protocol over a real socket, and the log.

mod caching;
mod content_coding;
mod fast_path;
mod hardening;
mod last_modified;
mod logging;
mod progress_guard;
mod protocol;
mod redirects;
