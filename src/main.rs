//! The `broadsheet` binary: parse the command line, run, map to an exit code.
//! Everything else lives in the library crate so tests can drive it.

use std::process::ExitCode;

use broadsheet::app::{self, Outcome};
use broadsheet::cli::{Cli, Command};
use broadsheet::library::LoadError;
use broadsheet::web::middleware::access_log::{self, AccessLog};
use clap::Parser;

/// mimalloc returns freed memory to the system on its own: the garbage of
/// parsing 100k files and of building the search index does not stay in RSS
/// as it does with glibc's per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    init_tracing();
    let result = match Cli::parse().into_command() {
        Command::Serve(args) => run_server(*args),
        Command::Check(args) => app::check(&args, &mut std::io::stdout().lock()),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ProblemsFound) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            // A missing or unreadable articles directory is a usage error (2).
            if error.downcast_ref::<LoadError>().is_some() { ExitCode::from(2) } else { ExitCode::FAILURE }
        }
    }
}

fn run_server(args: broadsheet::cli::ServeArgs) -> anyhow::Result<Outcome> {
    if let Some(log) = AccessLog::start(&args.deploy.access_log, args.deploy.log_format)? {
        access_log::install(log);
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.worker_threads()).enable_all().build()?;
    runtime.block_on(async {
        access_log::reopen_on_signals();
        app::serve(args).await
    })
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
