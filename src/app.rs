//! What the commands do: load, then serve or report. `main.rs` only parses
//! the command line and maps the outcome to an exit code.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::Context;

use crate::cli::{CheckArgs, DeployArgs, ServeArgs};
use crate::library::reload::{self, LiveReload};
use crate::library::search::SearchStore;
use crate::library::{
    CacheFolder, CachedLoad, Library, LoadError, LoadOptions, LoadProgress, load_dir_deferred, load_dir_with,
};
use crate::media::ResizedStore;
use crate::web::media::MediaService;
use crate::web::middleware::access_log::Destination;
use crate::web::middleware::{HttpSettings, TrustedProxies};
use crate::web::page_cache::PageCache;
use crate::web::pages::deployment::configured_facts;
use crate::web::purge::Purger;
use crate::web::server::{self, ListenAddress, Listener, ServerSettings};
use crate::web::site::ImageOptions;
use crate::web::{AppState, Site, metrics_router};

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

/// `broadsheet serve`: load the articles and serve them until Ctrl-C or
/// SIGTERM, then drain requests in flight for the grace period.
pub async fn serve(args: ServeArgs) -> anyhow::Result<Outcome> {
    let site = Site::new(args.site_title.clone(), &args.deploy.base_url.to_string())
        .with_description(args.site_description.clone());
    let http = http_settings(&args.deploy);
    if args.deploy.print_config {
        print_config(&args, &site, &http, &mut std::io::stdout().lock())?;
        return Ok(Outcome::Success);
    }
    // Only now, so that --print-config creates no cache folder.
    let media = media_service(&args);
    let site = site.with_images(ImageOptions { resized: media.resizes(), remote: args.remote_images });
    if args.remote_images {
        crate::web::middleware::security::allow_remote_images();
    }
    // A wrong articles path fails at once; the load itself runs while the
    // server already answers health checks (see `web::loading`).
    crate::library::check_directory(&args.articles)?;
    let progress = Arc::new(LoadProgress::default());
    let state = AppState::loading(site, Arc::clone(&progress)).with_http(http).with_media(media);
    let purger = Purger::new(args.deploy.purge_urls.clone(), Arc::clone(&state.site));
    let state = state.with_purger(purger);
    let inbox = reload::Inbox::default();
    reload::rescan_on_sighup(inbox.handle());
    let settings = server_settings(&args.deploy);
    warn_of_unused_sockets(&args.listen);
    let listener = Listener::bind(&args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(address = %listener.local_address(), public_url = %state.site.public_url(), "listening");
    // Loading, then watching, off the async threads while pages are already
    // served (setting up the watcher looks at every file: half a second at
    // 100k files).
    let watching = {
        let (state, args) = (state.clone(), args.clone());
        tokio::task::spawn_blocking(move || {
            load_into(&state, &args, &progress, &inbox.handle())?;
            crate::systemd::notify_ready(state.library.load().len());
            let (dir, options, watch) = (args.articles.clone(), args.load.options(), args.watch.settings());
            reload::start_with(inbox, state.reload_target(), dir, options, &watch)
        })
    };
    let (stop, stopped) = tokio::sync::watch::channel(());
    if let Some(address) = &args.deploy.metrics_listen {
        spawn_metrics_server(address, &state, &settings, stopped).await?;
    }
    let failure = Arc::new(Mutex::new(None));
    let failed = Arc::clone(&failure);
    server::serve(listener, crate::web::app(state), &settings, async move {
        if let Some(error) = watch_until_shutdown(watching).await {
            tracing::error!(error = %format!("{error:#}"), "stopping: the articles could not be loaded, or live reload could not start");
            *failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(error);
        }
        crate::systemd::notify_stopping();
        let _ = stop.send(());
    })
    .await?;
    if let Some(error) = failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
        return Err(error);
    }
    tracing::info!("shut down");
    Ok(Outcome::Success)
}

/// Sockets passed by systemd are used only with `--listen systemd`; an
/// operator who forgot it gets told rather than a puzzling "address in use".
fn warn_of_unused_sockets(listen: &ListenAddress) {
    if *listen != ListenAddress::Systemd && server::sockets_were_passed() {
        tracing::warn!(%listen, "systemd passed listening sockets, which are ignored: use --listen systemd");
    }
}

/// Keeps live reload running until Ctrl-C or SIGTERM; the error when it
/// could not start (the server then stops, as it would have refused to
/// start before).
async fn watch_until_shutdown(watching: tokio::task::JoinHandle<anyhow::Result<LiveReload>>) -> Option<anyhow::Error> {
    let watch = async {
        let _live = match watching.await {
            Ok(Ok(live)) => live,
            Ok(Err(error)) => return error,
            Err(error) => return anyhow::Error::new(error),
        };
        // Dropping `_live` when shutdown begins stops the watcher.
        std::future::pending::<anyhow::Error>().await
    };
    tokio::select! {
        () = shutdown_signal() => None,
        error = watch => Some(error),
    }
}

/// Loads the articles directory into `state` (which serves it from then
/// on), counting progress, logging progress every few seconds, and starts
/// indexing it for search. Files taken from the cache folder's snapshot
/// are checked once the library is served; those edited while the server
/// was stopped go to `reload` like a live change.
fn load_into(
    state: &AppState,
    args: &ServeArgs,
    progress: &Arc<LoadProgress>,
    reload: &reload::ReloadHandle,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (done, reporter) = (Arc::new(std::sync::atomic::AtomicBool::new(false)), Arc::clone(progress));
    let finished = Arc::clone(&done);
    std::thread::spawn(move || {
        while !finished.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_secs(5));
            if !finished.load(std::sync::atomic::Ordering::Relaxed) {
                tracing::info!(read = reporter.read(), found = reporter.found(), "loading articles");
            }
        }
    });
    let folder = cache_root(args).map(|root| crate::library::persist::folder_for(&root, &args.articles));
    let cache = folder.as_deref().map(|folder| CacheFolder { folder, min_files: MIN_CACHED_ARTICLES });
    let loaded = load_dir_deferred(&args.articles, &args.load.options(), progress, cache);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (CachedLoad { library, .. }, deferred) = loaded?;
    tracing::info!(
        articles = library.len(),
        problems = library.problems().len(),
        images = library.media().len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        dir = %args.articles.display(),
        "loaded articles"
    );
    // A small library's index costs little memory and builds in moments;
    // caching it would only leave a folder behind for every test directory.
    let store = if library.len() >= MIN_CACHED_ARTICLES { search_store(args) } else { SearchStore::Memory };
    // Counted before the library is served, so /healthz never says ready
    // without saying that files are still to be checked.
    if let Some(deferred) = &deferred {
        progress.set_unchecked(deferred.unverified());
    }
    state.finish_loading(library, store);
    state.metrics.record_load(started.elapsed(), SystemTime::now());
    if let Some(deferred) = deferred {
        let (library, reload, progress) = (state.library.load_full(), reload.clone(), Arc::clone(progress));
        std::thread::Builder::new()
            .name("check-snapshot".to_owned())
            .spawn(move || check_and_save(deferred, &library, &reload, &progress))
            .context("cannot start the thread that checks the snapshot")?;
    }
    Ok(())
}

/// Checks the files a load took from the snapshot, sends those edited
/// while the server was stopped to `reload`, then saves the next snapshot
/// (of `library`, the loaded one) while pages are already served: the next
/// start reads only the files that changed in between.
fn check_and_save(
    deferred: crate::library::persist::Deferred,
    library: &Library,
    reload: &reload::ReloadHandle,
    progress: &LoadProgress,
) {
    let (checked, started) = (deferred.unverified(), Instant::now());
    let (changed, save) = deferred.verify();
    tracing::info!(
        files = checked,
        changed = changed.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "checked the files taken from the snapshot"
    );
    // Past a tenth of the files (a `chmod -R`, a restored backup: every
    // change time moved), reading them one by one in the reloader would
    // take longer than reading everything again on every core.
    if changed.len() > checked / 10 {
        reload.rescan();
    } else if !changed.is_empty() {
        reload.changed_while_stopped(changed);
    }
    progress.set_unchecked(0);
    if let Some(save) = save
        && let Err(error) = save.save(library)
    {
        tracing::warn!(%error, "cannot save the library snapshot; the next start reads every file");
    }
}

/// Libraries smaller than this keep their search index in memory, and no
/// snapshot.
pub const MIN_CACHED_ARTICLES: usize = 5_000;

/// Where the search index of a large library goes: `--cache-dir`, else the
/// user's cache folder; in memory for `--cache-dir off` or when there is no
/// cache folder.
pub fn search_store(args: &ServeArgs) -> SearchStore {
    cache_root(args).map_or(SearchStore::Memory, |root| SearchStore::cache_for(&root, &args.articles))
}

/// `--cache-dir`, else the user's cache folder; `None` for `off` or when
/// there is no cache folder.
fn cache_root(args: &ServeArgs) -> Option<std::path::PathBuf> {
    match &args.cache_dir {
        Some(dir) if dir.as_os_str() == "off" => None,
        Some(dir) => Some(dir.clone()),
        None => SearchStore::default_cache_root(),
    }
}

/// Image serving: resized copies kept in the cache folder's `images/`, or
/// originals only without a writable one.
pub fn media_service(args: &ServeArgs) -> MediaService {
    let store = cache_root(args).map_or_else(ResizedStore::disabled, |root| ResizedStore::in_cache_dir(&root));
    MediaService::new(store, args.load.max_file_size)
}

/// Serves `/metrics` on its own address until `stopped` changes.
async fn spawn_metrics_server(
    address: &ListenAddress,
    state: &AppState,
    settings: &ServerSettings,
    mut stopped: tokio::sync::watch::Receiver<()>,
) -> anyhow::Result<()> {
    let listener = Listener::bind(address).await.with_context(|| format!("cannot listen on {address}"))?;
    tracing::info!(address = %listener.local_address(), "serving metrics");
    let (app, settings) = (metrics_router(state.clone()), settings.clone());
    tokio::spawn(async move {
        let stopped = async move {
            let _ = stopped.changed().await;
        };
        if let Err(error) = server::serve(listener, app, &settings, stopped).await {
            tracing::error!(%error, "metrics listener failed");
        }
    });
    Ok(())
}

/// The HTTP settings the deploy options ask for.
pub fn http_settings(deploy: &DeployArgs) -> HttpSettings {
    HttpSettings {
        trusted_proxies: TrustedProxies::new(deploy.trusted_proxies.clone()),
        request_timeout: deploy.request_timeout,
        max_uri_bytes: deploy.max_uri_bytes,
        metrics_on_main_router: deploy.metrics_listen.is_none(),
        cache: PageCache::new(deploy.cache_size.saturating_mul(1024 * 1024)),
    }
}

/// The connection settings the deploy options ask for.
pub fn server_settings(deploy: &DeployArgs) -> ServerSettings {
    ServerSettings {
        header_read_timeout: deploy.header_timeout,
        max_header_bytes: deploy.max_header_bytes as usize,
        max_connections: deploy.max_connections,
        shutdown_grace: deploy.shutdown_grace,
    }
}

/// `--print-config`: what `/about/deployment` shows, plus the listeners.
pub fn print_config(args: &ServeArgs, site: &Site, http: &HttpSettings, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(out, "Articles directory: {}", args.articles.display())?;
    writeln!(out, "Listen: {}", args.listen)?;
    writeln!(out, "Request threads: {}", args.worker_threads())?;
    let metrics = args
        .deploy
        .metrics_listen
        .as_ref()
        .map_or_else(|| "/metrics on the main listener".to_owned(), ToString::to_string);
    writeln!(out, "Metrics: {metrics}")?;
    let search = match search_store(args) {
        SearchStore::Memory => "in memory".to_owned(),
        SearchStore::Directory(folder) => {
            format!("cached in {} ({MIN_CACHED_ARTICLES}+ articles; else in memory)", folder.display())
        }
    };
    writeln!(out, "Search index: {search}")?;
    let snapshot = cache_root(args).map_or_else(
        || "none: every start reads every file, bodies held in memory".to_owned(),
        |root| {
            let folder = crate::library::persist::folder_for(&root, &args.articles);
            format!("{} ({MIN_CACHED_ARTICLES}+ articles; bodies read from its store)", folder.display())
        },
    );
    writeln!(out, "Library snapshot: {snapshot}")?;
    let media_root = args.load.media_root.as_deref().unwrap_or(&args.articles);
    let resized = cache_root(args).map_or_else(
        || "originals only (no cache folder)".to_owned(),
        |root| format!("resized copies kept in {}", root.join("images").display()),
    );
    let remote = if args.remote_images { "shown (--remote-images)" } else { "shown as links" };
    writeln!(out, "Images: {resized}; root-relative paths from {}; remote images {remote}", media_root.display())?;
    let access_log = match &args.deploy.access_log {
        Destination::Off => "off".to_owned(),
        Destination::Stderr => "stderr".to_owned(),
        Destination::File(path) => format!("{} (reopened on SIGHUP and SIGUSR1)", path.display()),
    };
    writeln!(out, "Access log: {access_log}, {:?}", args.deploy.log_format)?;
    let purges: Vec<String> = args.deploy.purge_urls.iter().map(ToString::to_string).collect();
    if !purges.is_empty() {
        writeln!(out, "Purged after each reload: {}", purges.join(", "))?;
    }
    let watch = &args.watch;
    writeln!(
        out,
        "Watch: {} (poll interval {:?}, debounce {:?}; SIGHUP rescans)",
        watch.watch, watch.poll_interval, watch.watch_debounce
    )?;
    for fact in configured_facts(site, http) {
        writeln!(out, "{}: {}", fact.label, fact.value)?;
    }
    writeln!(
        out,
        "Shutdown grace: {:?}; request timeout: {:?}",
        args.deploy.shutdown_grace, args.deploy.request_timeout
    )?;
    Ok(())
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
