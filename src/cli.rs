//! The command line: `broadsheet [serve] …` and `broadsheet check DIR`.
//! Every option has an environment-variable fallback for service managers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Serve a directory of news articles as a website.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for `serve`, also accepted without the subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the articles over HTTP (the default).
    Serve(ServeArgs),
    /// Parse every article without serving; list problems; exit 1 if any.
    Check(CheckArgs),
}

impl Cli {
    /// The command to run, `serve` when none was given.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

/// Options of `broadsheet serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Directory of article files, searched recursively.
    #[arg(long, env = "BROADSHEET_ARTICLES", default_value = "articles")]
    pub articles: PathBuf,
    /// Address to listen on (`127.0.0.1:3000`, `[::]:8080`).
    #[arg(long, env = "BROADSHEET_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: String,
    /// Site title shown in the header and page titles.
    #[arg(long, env = "BROADSHEET_SITE_TITLE", default_value = crate::web::site::DEFAULT_TITLE)]
    pub site_title: String,
}

/// Options of `broadsheet check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Directory of article files (default: `$BROADSHEET_ARTICLES` or `articles`).
    #[arg(env = "BROADSHEET_ARTICLES", default_value = "articles")]
    pub dir: PathBuf,
}
