//! The one integration-test binary: every test of the crate from the
//! outside, in modules by feature. One binary links tantivy, axum and the
//! crate once, instead of once per test file.
//!
//! [`support`] is what the tests share: one [`support::TestApp`] builder,
//! one request helper, a real server, fixtures. Tests that need an external
//! tool (nginx, Chromium, Python's feedparser, `../shared`) skip with a
//! notice unless `BROADSHEET_E2E=1`, which makes a missing tool a failure.

mod support;

mod architecture;

mod browser;
mod deployment;
mod feeds;
mod fidelity;
mod http;
mod library;
mod media;
mod pages;
mod parser;
mod reload;
mod search;
