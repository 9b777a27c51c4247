//! HTTP behaviour around the pages: caching and conditional requests,
//! content coding, the fast path in front of the router, redirects,
//! hardening and limits, the protocol over a real socket, the log, RFC 9110
//! details (preconditions, methods, JSON errors) and one address per page.

mod access_log;
mod caching;
mod canonical;
mod compression;
mod content_coding;
mod fast_path;
mod hardening;
mod last_modified;
mod loading;
mod logging;
mod progress_guard;
mod protocol;
mod redirects;
mod rfc9110;
