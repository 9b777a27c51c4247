//! Broadsheet serves a directory of news articles as a browsable website.
//!
//! The crate is layered so that each layer can be tested on its own, and
//! dependencies point one way only: [`web`] → [`library`] → [`article`].
//! [`article`] turns the text of one file into an [`article::Article`] with pure
//! functions and no I/O. [`library`] walks a directory, parses every file in
//! parallel and freezes the result into an immutable [`library::Library`]
//! snapshot, recording every file it could not read as a
//! [`library::LoadProblem`]; it also keeps the snapshot current while the
//! server runs (live reload). [`web`] is the only module that knows about
//! HTTP: it holds the current snapshot behind an `Arc`, routes requests, and
//! renders askama templates. On top, [`check`] reports on a library without
//! serving, and [`cli`] and [`app`] wire everything together for `main.rs`.
//! The test `tests/it/architecture.rs` fails when an import points the wrong
//! way. The code map — the parts, a request's two paths, an article file's
//! and a reload's way, the invariants — is `docs/ARCHITECTURE.md`.

pub mod article;
pub mod library;
pub mod media;
pub mod web;

pub mod app;
pub mod check;
pub mod cli;
pub mod systemd;
