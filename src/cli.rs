//! The command line: `broadsheet [serve] …` and `broadsheet check DIR`.
//! Every option has an environment-variable fallback for service managers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::library::LoadOptions;

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
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Options of `broadsheet check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Directory of article files (default: `$BROADSHEET_ARTICLES` or `articles`).
    #[arg(env = "BROADSHEET_ARTICLES", default_value = "articles")]
    pub dir: PathBuf,
    /// Print one JSON object per file (the article, problem, sidecar or
    /// ignored file) instead of the report.
    #[arg(long)]
    pub json: bool,
    /// Also list every article with its detected format, every sidecar and
    /// every ignored file.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Which files are articles; shared by `serve` and `check`.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Extensions of article files, comma-separated (`md` and `markdown` are
    /// rendered as Markdown). Files without an extension are read when their
    /// content is text.
    #[arg(long, env = "BROADSHEET_EXTENSIONS", value_delimiter = ',', default_value = "txt,text,md,markdown")]
    pub extensions: Vec<String>,
    /// Largest article file read, in bytes or with a KiB, MiB or GiB suffix;
    /// larger files are load problems.
    #[arg(long, env = "BROADSHEET_MAX_FILE_SIZE", default_value = "10MiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

impl LoadArgs {
    /// The loader's options.
    pub fn options(&self) -> LoadOptions {
        let extensions = self
            .extensions
            .iter()
            .map(|extension| extension.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|extension| !extension.is_empty())
            .collect();
        LoadOptions { extensions, max_file_size: self.max_file_size }
    }
}

/// `10485760`, `512KiB`, `10MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB`,
/// all binary multiples).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size such as 10MiB"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`; use KiB, MiB or GiB")),
    };
    number.checked_mul(multiplier).ok_or_else(|| format!("`{text}` is too large"))
}
