//! `broadsheet check DIR`: load a directory without serving it and account
//! for every file.
//!
//! The report lists how many files were read in each format, every problem
//! (path and reason), every warning (legacy encoding, removed control bytes,
//! unusable dates), and ends with `N articles, M problems, W warnings`.
//! `--verbose` adds every article with its format, every sidecar and every
//! ignored file; `--json` prints one JSON object per file instead.

use crate::article::Warning;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::app::Outcome;
use crate::article::{Article, Format, Paragraphs};
use crate::cli::CheckArgs;
use crate::library::media::MediaRoot;
use crate::library::{
    Library, LoadError, LoadOptions, LoadProgress, LoadReport, explain_file, load_dir_progress, load_dir_report,
};

/// Runs the check and writes the report to `out`.
pub fn run(args: &CheckArgs, out: &mut impl Write) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.explain {
        return explain(&args.dir, path, &args.load.options(), out);
    }
    let (library, report) = load_with_progress_bar(&args.dir, &args.load.options())?;
    if args.json {
        write_json(&library, &report, out)?;
    } else {
        write_report(&library, &report, args.verbose, out)?;
    }
    Ok(if library.problems().is_empty() { Outcome::Success } else { Outcome::ProblemsFound })
}

/// Loads `dir`, drawing a progress bar on stderr when it is a terminal (a
/// million files take a while); a pipe or a log gets the report only.
fn load_with_progress_bar(dir: &Path, options: &LoadOptions) -> Result<(Library, LoadReport), LoadError> {
    use std::io::IsTerminal;
    use std::sync::atomic::{AtomicBool, Ordering};
    if !std::io::stderr().is_terminal() {
        return load_dir_report(dir, options);
    }
    let progress = LoadProgress::default();
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files read, {eta} left")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    let bar = indicatif::ProgressBar::new(0).with_style(style);
    let done = AtomicBool::new(false);
    let loaded = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                bar.set_length(progress.found() as u64);
                bar.set_position(progress.read() as u64);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
        let loaded = load_dir_progress(dir, options, &progress);
        done.store(true, Ordering::Relaxed);
        loaded
    });
    bar.finish_and_clear();
    loaded
}

/// `--explain PATH`: the layout, each line above the body with its role
/// and why, each field with where it came from, and the warnings.
fn explain(dir: &Path, path: &Path, options: &LoadOptions, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let explained = explain_file(dir, path, options).map_err(|reason| anyhow::anyhow!(reason))?;
    writeln!(out, "file: {}", explained.path.display())?;
    if let Some(sidecar) = &explained.sidecar {
        writeln!(out, "sidecar: {}", sidecar.display())?;
    }
    let explanation = explained.explanation;
    let article = match &explanation.article {
        Ok(article) => article,
        Err(error) => {
            writeln!(out, "not an article: {error}")?;
            return Ok(Outcome::ProblemsFound);
        }
    };
    writeln!(out, "layout: {} ({})", article.format.name(), article.format.explanation())?;
    writeln!(out, "lines above the body:")?;
    for line in &explanation.lines {
        writeln!(out, "  {:<12} {:<60} {}", line.role, quoted(&line.line, 58), line.why)?;
    }
    writeln!(out, "fields:")?;
    for (name, value, origin) in &explanation.fields {
        writeln!(out, "  {name:<8} {:<60} from {origin}", quoted(value, 58))?;
    }
    writeln!(out, "body: {} paragraphs, {} words", article.body().len(), article.word_count)?;
    for warning in &article.details().warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(Outcome::Success)
}

/// `"text"`, cut with an ellipsis past `max` characters.
fn quoted(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("\"{}…\"", &text[..cut]),
        None => format!("\"{text}\""),
    }
}

/// Articles in path order, so the report reads like a directory listing.
fn by_path(library: &Library) -> Vec<&Article> {
    let mut articles: Vec<&Article> = library.articles().iter().map(AsRef::as_ref).collect();
    articles.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.id.cmp(&b.id)));
    articles
}

fn display_path(article: &Article) -> String {
    article.path.as_deref().map_or_else(|| article.id.to_string(), |path| path.display().to_string())
}

fn write_report(library: &Library, report: &LoadReport, verbose: bool, out: &mut impl Write) -> std::io::Result<()> {
    let articles = by_path(library);
    for format in Format::ALL {
        let count = articles.iter().filter(|article| article.format == format).count();
        if count > 0 {
            writeln!(out, "{count:>6} {:<13} {}", format.name(), format.explanation())?;
        }
    }
    if verbose {
        write_inventory(&articles, report, out)?;
        write_media(library, out)?;
    }
    for problem in library.problems() {
        writeln!(out, "problem: {problem}")?;
    }
    let mut warnings = 0;
    for article in &articles {
        for warning in &article.details().warnings {
            writeln!(out, "warning: {}: {warning}", display_path(article))?;
            warnings += 1;
        }
    }
    for warning in library.media().warnings(articles.iter().copied()) {
        writeln!(out, "warning: {}: {}", display_path(warning.article), warning.reason)?;
        warnings += 1;
    }
    for (_, path, file) in library.media().files() {
        if let Err(error) = &file.probed {
            writeln!(out, "warning: {path}: image not shown: it {error}")?;
            warnings += 1;
        }
    }
    let images = library.media().len();
    let files = articles.len() + report.sidecars.len() + images + report.ignored.len() + library.problems().len();
    let undated = articles.iter().filter(|article| article.date.is_none()).count();
    let drafts = report.ignored.iter().filter(|ignored| ignored.reason == crate::article::DRAFT).count();
    let drafts = if drafts > 0 { format!(" ({drafts} drafts)") } else { String::new() };
    writeln!(
        out,
        "{files} files: {} articles ({undated} undated), {} sidecars, {images} images, {} ignored{drafts}, {} problems",
        articles.len(),
        report.sidecars.len(),
        report.ignored.len(),
        library.problems().len()
    )?;
    writeln!(out, "{} articles, {} problems, {warnings} warnings", articles.len(), library.problems().len())
}

fn write_inventory(articles: &[&Article], report: &LoadReport, out: &mut impl Write) -> std::io::Result<()> {
    for article in articles {
        let via = article.details().sidecar.as_deref().map(|name| format!(" + {name}")).unwrap_or_default();
        let date = article.date.map(|date| date.to_string()).unwrap_or_else(|| "undated".to_owned());
        writeln!(out, "article: {}: {}{via}, {date}: {}", display_path(article), article.format, article.title)?;
    }
    for sidecar in &report.sidecars {
        writeln!(out, "sidecar: {}", sidecar.display())?;
    }
    for ignored in &report.ignored {
        writeln!(out, "ignored: {}: {}", ignored.path.display(), ignored.reason)?;
    }
    Ok(())
}

/// `--verbose`: every image file, with its size or why it is not shown.
fn write_media(library: &Library, out: &mut impl Write) -> std::io::Result<()> {
    for (root, path, file) in library.media().files() {
        let folder = if root == MediaRoot::Site { " (media root)" } else { "" };
        match &file.probed {
            Ok(size) => writeln!(out, "media: {path}{folder}: {}, {}×{}", file.kind.name(), size.width, size.height)?,
            Err(error) => writeln!(out, "media: {path}{folder}: {}, not shown: it {error}", file.kind.name())?,
        }
    }
    Ok(())
}

/// One line of `check --json`.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
enum FileEntry<'a> {
    Article {
        path: String,
        #[serde(flatten)]
        article: Box<ArticleJson<'a>>,
    },
    Problem {
        path: &'a Path,
        reason: std::borrow::Cow<'a, str>,
    },
    Sidecar {
        path: &'a PathBuf,
    },
    Ignored {
        path: &'a PathBuf,
        reason: &'a str,
    },
    /// An image file: its kind and size, or why it is not shown.
    Media {
        path: String,
        kind: &'static str,
        width: Option<u32>,
        height: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// Everything parsed from one file.
#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    format: Format,
    title: &'a str,
    section: Option<&'a str>,
    date: Option<String>,
    published: Option<String>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    url: Option<&'a str>,
    tags: &'a [String],
    summary: Option<&'a str>,
    metadata: &'a [(String, String)],
    sidecar: Option<&'a str>,
    encoding: Option<&'a str>,
    warnings: &'a [Warning],
    word_count: usize,
    paragraphs: std::borrow::Cow<'a, Paragraphs>,
}

impl<'a> ArticleJson<'a> {
    fn new(article: &'a Article) -> Self {
        Self {
            id: article.id.as_str(),
            format: article.format,
            title: &article.title,
            section: article.section.as_deref(),
            date: article.date.map(|date| date.to_string()),
            published: article.details().published.map(|published| published.rfc3339()),
            source: article.source.as_deref(),
            author: article.details().author.as_deref(),
            url: article.details().url.as_deref(),
            tags: &article.details().tags,
            summary: article.details().summary.as_deref(),
            metadata: &article.details().metadata,
            sidecar: article.details().sidecar.as_deref(),
            encoding: article.details().encoding,
            warnings: &article.details().warnings,
            word_count: article.word_count,
            paragraphs: article.body(),
        }
    }
}

fn write_json(library: &Library, report: &LoadReport, out: &mut impl Write) -> anyhow::Result<()> {
    let mut entries: Vec<(String, FileEntry<'_>)> = Vec::new();
    for article in by_path(library) {
        let path = display_path(article);
        entries.push((path.clone(), FileEntry::Article { path, article: Box::new(ArticleJson::new(article)) }));
    }
    for problem in library.problems() {
        let entry = FileEntry::Problem { path: &problem.path, reason: problem.message() };
        entries.push((problem.path.display().to_string(), entry));
    }
    for path in &report.sidecars {
        entries.push((path.display().to_string(), FileEntry::Sidecar { path }));
    }
    for ignored in &report.ignored {
        let entry = FileEntry::Ignored { path: &ignored.path, reason: &ignored.reason };
        entries.push((ignored.path.display().to_string(), entry));
    }
    for (root, path, file) in library.media().files() {
        let path = if root == MediaRoot::Site { format!("(media root)/{path}") } else { path.to_owned() };
        let size = file.dimensions();
        let entry = FileEntry::Media {
            path: path.clone(),
            kind: file.kind.name(),
            width: size.map(|size| size.width),
            height: size.map(|size| size.height),
            reason: file.probed.as_ref().err().map(|error| format!("not shown: it {error}")),
        };
        entries.push((path, entry));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in entries {
        serde_json::to_writer(&mut *out, &entry)?;
        writeln!(out)?;
    }
    Ok(())
}
