//! What the commands do: load, then serve or report. `main.rs` only parses
//! the command line and maps the outcome to an exit code.

use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::cli::{CheckArgs, ServeArgs};
use crate::library::{Library, LoadError, LoadOptions, load_dir_with};
use crate::web::{AppState, Site, router};

/// How a command ended, for the exit code.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything fine (exit 0).
    Success,
    /// The command ran but found problems (exit 1).
    ProblemsFound,
}

/// Loads the directory, logging how long it took and what went wrong.
pub fn load_logged(dir: &std::path::Path, options: &LoadOptions) -> Result<Library, LoadError> {
    let started = Instant::now();
    let library = load_dir_with(dir, options)?;
    tracing::info!(
        articles = library.len(),
        problems = library.problems().len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        dir = %dir.display(),
        "loaded articles"
    );
    Ok(library)
}

/// `broadsheet serve`: load the articles and serve them until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> anyhow::Result<Outcome> {
    let dir = args.articles.clone();
    let options = args.load.options();
    let library = tokio::task::spawn_blocking(move || load_logged(&dir, &options)).await??;
    let state = AppState::new(library, Site::new(args.site_title, "/"));
    let listener =
        TcpListener::bind(&args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("shut down");
    Ok(Outcome::Success)
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests can finish.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// `broadsheet check DIR`: the report lives in [`crate::check`].
pub fn check(args: &CheckArgs, out: &mut impl Write) -> anyhow::Result<Outcome> {
    crate::check::run(args, out)
}
