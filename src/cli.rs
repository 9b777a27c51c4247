//! The command line: `broadsheet [serve] …` and `broadsheet check DIR`.
//! Every option has an environment-variable fallback for service managers.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;

use crate::web::middleware::access_log::{Destination, LogFormat};
use crate::web::middleware::proxy::parse_trusted_proxy;
use crate::web::server::ListenAddress;
use crate::web::site::BaseUrl;

use crate::library::LoadOptions;
use crate::library::reload::{WatchMode, WatchSettings};

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
    Serve(Box<ServeArgs>),
    /// Parse every article without serving; list problems; exit 1 if any.
    Check(CheckArgs),
}

impl Cli {
    /// The command to run, `serve` when none was given.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(Box::new(self.serve)))
    }
}

/// Options of `broadsheet serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Directory of article files, searched recursively.
    #[arg(long, env = "BROADSHEET_ARTICLES", default_value = "articles")]
    pub articles: PathBuf,
    /// Address to listen on (`127.0.0.1:3000`, `[::]:8080`), or a Unix
    /// socket (`unix:/run/broadsheet.sock`) for a proxy on the same host, or
    /// `systemd` for the sockets systemd passes (socket activation).
    #[arg(long, env = "BROADSHEET_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: ListenAddress,
    /// Site title shown in the header and page titles.
    #[arg(long, env = "BROADSHEET_SITE_TITLE", default_value = crate::web::site::DEFAULT_TITLE)]
    pub site_title: String,
    /// One line about the site, shown under the title and used in feeds and
    /// meta descriptions.
    #[arg(long, env = "BROADSHEET_SITE_DESCRIPTION", default_value = crate::web::site::DEFAULT_DESCRIPTION)]
    pub site_description: String,
    /// Threads answering requests. Default: one per CPU. Fewer can be faster
    /// when the server shares its cores with a proxy or a load generator.
    #[arg(long, env = "BROADSHEET_THREADS", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Folder for what large libraries (5,000+ articles) keep between runs:
    /// the search index, a snapshot of the parsed articles (a restart reads
    /// only the files that changed) and a store of their bodies (about the
    /// size of the articles' text; bodies are read from it instead of being
    /// held in RAM), plus resized images. A cache that may be deleted at any
    /// time: it is rebuilt when missing or stale. Default:
    /// `$XDG_CACHE_HOME/broadsheet`, else `~/.cache/broadsheet`; `off` keeps
    /// everything in memory and reads every file at each start.
    #[arg(long, env = "BROADSHEET_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Show images from other sites (`https://…`) in articles. By default
    /// they are links, so a reader's browser never contacts another site;
    /// this adds `https:` to the pages' `img-src` policy.
    #[arg(long, env = "BROADSHEET_REMOTE_IMAGES")]
    pub remote_images: bool,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub watch: WatchArgs,
    #[command(flatten)]
    pub deploy: DeployArgs,
}

impl ServeArgs {
    /// The number of request threads: `--threads`, else one per CPU.
    pub fn worker_threads(&self) -> usize {
        self.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), usize::from)
    }
}

/// How the server notices changes to the articles directory.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// `auto` (file events, polling if they are unavailable), `poll` (for
    /// network filesystems) or `off`. SIGHUP rescans in every mode.
    #[arg(long, env = "BROADSHEET_WATCH", default_value = "auto")]
    pub watch: WatchMode,
    /// How often `--watch poll` compares the directory (`2s`).
    #[arg(long, env = "BROADSHEET_POLL_INTERVAL", default_value = "2s", value_parser = parse_duration)]
    pub poll_interval: Duration,
    /// How long a changed file must be left alone before it is read
    /// (`200ms`); raise it if writers pause longer while writing a file.
    #[arg(long, env = "BROADSHEET_WATCH_DEBOUNCE", default_value = "200ms", value_parser = parse_duration)]
    pub watch_debounce: Duration,
}

impl WatchArgs {
    /// The watcher's settings.
    pub fn settings(&self) -> WatchSettings {
        WatchSettings { mode: self.watch, poll_interval: self.poll_interval, debounce: self.watch_debounce }
    }
}

/// Options for running behind a reverse proxy and in production.
#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// The public URL of the site (`https://example.org/news/`) or just its
    /// path prefix (`/news/`). Default: `/`, links relative to the host.
    #[arg(long, env = "BROADSHEET_BASE_URL", default_value = "/")]
    pub base_url: BaseUrl,
    /// A proxy network whose X-Forwarded-*/Forwarded headers are believed
    /// (CIDR or address; repeatable; env: comma-separated). Default: none.
    #[arg(long = "trusted-proxy", env = "BROADSHEET_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_trusted_proxy)]
    pub trusted_proxies: Vec<IpNet>,
    /// How long shutdown waits for requests in flight (`10s`, `500ms`).
    #[arg(long, env = "BROADSHEET_SHUTDOWN_GRACE", default_value = "10s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
    /// Longest time one request may take before a 408 (`30s`).
    #[arg(long, env = "BROADSHEET_REQUEST_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// Longest time a client may take to send its request headers (`10s`):
    /// a connection that sends no complete request and gets no response
    /// bytes for this long (an idle keep-alive one too) is closed, within
    /// 1.5 times this.
    #[arg(long, env = "BROADSHEET_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub header_timeout: Duration,
    /// Largest request head (request line and headers) in bytes; larger gets 431.
    #[arg(long, env = "BROADSHEET_MAX_HEADER_BYTES", default_value_t = 16384, value_parser = clap::value_parser!(u32).range(8192..))]
    pub max_header_bytes: u32,
    /// Longest path plus query string in bytes; longer gets 414.
    #[arg(long, env = "BROADSHEET_MAX_URI_BYTES", default_value_t = 8192)]
    pub max_uri_bytes: usize,
    /// Most client connections open at once; more wait to be accepted.
    #[arg(long, env = "BROADSHEET_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Size of the rendered-page cache in MiB (0 turns it off).
    #[arg(long, env = "BROADSHEET_CACHE_SIZE", default_value_t = 64)]
    pub cache_size: u64,
    /// Serve `/metrics` on this separate address instead of the main one
    /// (`127.0.0.1:9100`, `unix:/run/broadsheet-metrics.sock`).
    #[arg(long, env = "BROADSHEET_METRICS_LISTEN")]
    pub metrics_listen: Option<ListenAddress>,
    /// A cache in front of the replicas (`http://127.0.0.1:6081`, Varnish)
    /// to send `PURGE` requests to for the pages each reload changed, so
    /// edits show at once (repeatable; env: comma-separated).
    #[arg(long = "purge-url", env = "BROADSHEET_PURGE_URLS", value_delimiter = ',', value_parser = parse_purge_url)]
    pub purge_urls: Vec<axum::http::Uri>,
    /// Print the configuration as the server understands it, and exit.
    #[arg(long)]
    pub print_config: bool,

    // The access log.
    /// Where to write one line per request: `stderr`, `off`, or a file
    /// (appended to, and reopened on SIGHUP or SIGUSR1 for logrotate).
    #[arg(long, env = "BROADSHEET_ACCESS_LOG", default_value = "stderr")]
    pub access_log: Destination,
    /// The access log's lines: `text` (nginx's combined format, then the
    /// duration in seconds and the request id) or `json` (one object per line).
    #[arg(long, env = "BROADSHEET_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
}

/// An `http://host[:port]` address of a cache to purge.
fn parse_purge_url(text: &str) -> Result<axum::http::Uri, String> {
    let uri: axum::http::Uri = text.trim().parse().map_err(|error| format!("“{text}” is not a URL: {error}"))?;
    if uri.scheme_str() != Some("http") || uri.authority().is_none() {
        return Err(format!("“{text}”: give the cache's address as http://host:port"));
    }
    Ok(uri)
}

/// Parses `10s`, `500ms`, `2m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len()));
    let value: f64 = number.parse().map_err(|_| format!("“{text}” is not a duration such as 10s or 500ms"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("“{text}”: use ms, s or m as the unit")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("“{text}”: {error}"))
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
    /// Explain how one file is read: the role of each line above its body
    /// and why, and where each field came from (a line of the file, front
    /// matter, the sidecar, the file's path, its folder). PATH is relative
    /// to DIR, or any path to a file inside it.
    #[arg(long, value_name = "PATH")]
    pub explain: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Which files are articles; shared by `serve` and `check`.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Extensions of article files, comma-separated (`md` and `markdown` are
    /// rendered as Markdown, `story` is CNN/DailyMail, `article` is Go's
    /// present, `json` a scraper's saved article). Files without an
    /// extension are read when their content is text. JSON files are always
    /// read as sidecars of the article they describe.
    #[arg(
        long,
        env = "BROADSHEET_EXTENSIONS",
        value_delimiter = ',',
        default_value = "txt,text,md,markdown,story,article,json"
    )]
    pub extensions: Vec<String>,
    /// Largest article file read, in bytes or with a KiB, MiB or GiB suffix;
    /// larger files are load problems.
    #[arg(long, env = "BROADSHEET_MAX_FILE_SIZE", default_value = "10MiB", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Where root-relative image paths in articles (`/assets/x.jpg`,
    /// `/wp-content/uploads/…`) are looked up: a site's root folder, when
    /// `--articles` is its `_posts` or `content` folder. Default: the
    /// articles directory.
    #[arg(long, env = "BROADSHEET_MEDIA_ROOT")]
    pub media_root: Option<PathBuf>,
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
        LoadOptions { extensions, max_file_size: self.max_file_size, media_root: self.media_root.clone() }
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
