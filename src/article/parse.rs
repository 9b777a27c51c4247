//! Choosing a file's layout and parsing it into an [`Article`].
//!
//! Detection is cheap and linear, tried in this order for text files:
//! 1. **header block**: the file starts with `Key: value` lines naming a title;
//! 2. **newswire**: one of the first three blocks is a header block with a
//!    date, a syndication line or boilerplate (the seed's layout);
//! 3. **sidecar**: a JSON file beside it gives the title, so the text is body;
//! 4. **title-first**: everything else.
//!
//! Markdown files (`.md`, `.markdown`) are always Markdown; `.story`,
//! `.article` and `.json` files have formats of their own.

use super::Warning;
use thiserror::Error;

use super::body::{blocks, decode_entities};
use super::decode::{DecodeError, decode_text};
use super::draft::Draft;
use super::explain::Trace;
use super::formats::{front_matter, header_block, json_article, markdown, newswire, present, story, title_first};
use super::header;
use super::sidecar::Sidecar;
use super::{Article, ArticleId, Format, sidecar};

/// Why a file is not an article.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("no title found: the first non-blank line should be the title (or a section line, then the title)")]
    NoTitle,
    #[error("the first block is {0} characters long, too long for a title; start the file with a title line")]
    TitleTooLong(usize),
    #[error("no title found: add `title:` front matter or start the Markdown with a `# Heading`")]
    NoMarkdownTitle,
    #[error("a JSON article needs a `title` beside its `text`; add one")]
    NoJsonTitle,
    /// Not an article at all (a JSON feed dump): listed as ignored, with
    /// this reason, rather than as a problem.
    #[error("not an article: {0}")]
    NotAnArticle(&'static str),
}

/// Why a draft is not served: `check` counts the files ignored for it.
pub const DRAFT: &str = "a draft (`draft: true` or `published: false` in its metadata): not served";

/// Which parser family a file belongs to, from its extension.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt`, `.text`, no extension: the layout is detected from the text.
    #[default]
    Text,
    /// `.md`, `.markdown`.
    Markdown,
    /// `.story`: CNN/DailyMail, body then `@highlight` lines.
    Story,
    /// `.article`: Go's `present` format.
    Present,
    /// `.json` that is no article's sidecar: a scraper's saved article.
    Json,
}

/// Everything the parser needs about one file; the loader reads it.
#[derive(Debug, Clone)]
pub struct FileInput<'a> {
    pub id: ArticleId,
    pub bytes: &'a [u8],
    pub kind: FileKind,
    pub sidecar: Option<Sidecar<'a>>,
}

/// Parses one file's bytes: decodes them, detects the layout, applies the
/// sidecar and the folder's section.
pub fn parse_file(input: &FileInput<'_>) -> Result<Article, ParseError> {
    parse_file_traced(input, None)
}

/// [`parse_file`], recording how the file was read into `trace` when one
/// is given (for `check --explain`).
pub(crate) fn parse_file_traced(input: &FileInput<'_>, trace: Option<&mut Trace>) -> Result<Article, ParseError> {
    let decoded = decode_text(input.bytes)?;
    let (sidecar_fields, sidecar_warning) = match input.sidecar.as_ref().map(sidecar::read) {
        Some(Ok(fields)) => (fields, None),
        Some(Err(warning)) => (Vec::new(), Some(warning)),
        None => (Vec::new(), None),
    };
    let mut highlights = Vec::new();
    let mut draft = match input.kind {
        FileKind::Markdown => markdown::parse(&decoded.text, &input.id),
        FileKind::Text => parse_text(&decoded.text, sidecar::title(&sidecar_fields))?,
        FileKind::Story => {
            let story = story::parse(&decoded.text);
            highlights = story.highlights;
            story.draft
        }
        FileKind::Present => present::parse(&decoded.text),
        FileKind::Json => json_article::parse(&decoded.text).map_err(|reason| ParseError::NotAnArticle(reason.0))?,
    };
    draft.warnings.splice(0..0, decoded.warnings.into_iter().chain(sidecar_warning.map(Warning::Sidecar)));
    let sidecar_name = (!sidecar_fields.is_empty()).then(|| input.sidecar.map(|s| s.name.to_owned())).flatten();
    draft.reading = "the sidecar";
    draft.apply(sidecar_fields, true);
    draft.reading = "";
    if draft.draft {
        return Err(ParseError::NotAnArticle(DRAFT));
    }
    let no_title = match input.kind {
        FileKind::Markdown => ParseError::NoMarkdownTitle,
        FileKind::Json => ParseError::NoJsonTitle,
        _ => ParseError::NoTitle,
    };
    // The CNN/DailyMail set's folders (`cnn/stories`, `cnn_stories`) are
    // never topics.
    let section = if input.kind == FileKind::Story { None } else { folder_section(&input.id) };
    if let Some(trace) = trace {
        trace.record(&draft);
    }
    let mut article = draft.finish(input.id.clone(), section).ok_or(no_title)?;
    if decoded.encoding.is_some() || sidecar_name.is_some() || !highlights.is_empty() {
        let details = article.details_mut();
        details.encoding = decoded.encoding;
        details.sidecar = sidecar_name;
        details.highlights = highlights;
    }
    Ok(article)
}

/// Parses already-decoded text with layout detection and no sidecar. The
/// result has no `modified` time; the loader adds it from the file.
pub fn parse(id: ArticleId, text: &str) -> Result<Article, ParseError> {
    let draft = parse_text(text, None)?;
    let section = folder_section(&id);
    draft.finish(id, section).ok_or(ParseError::NoTitle)
}

/// Detects the layout of a text file and parses it. Front matter, as in
/// Markdown, is read first: a text file exported by a static site
/// generator has it too.
fn parse_text(text: &str, sidecar_title: Option<&str>) -> Result<Draft, ParseError> {
    let (Some((language, source)), body) = front_matter::split(text) else {
        return parse_layout(text, sidecar_title);
    };
    let (fields, warning) = front_matter::read_lenient(language, source);
    let mut draft = parse_layout(body, sidecar_title.or(sidecar::title(&fields)))?;
    if draft.format == Format::Sidecar && sidecar_title.is_none() {
        // The title came from the front matter, a block of fields.
        draft.format = Format::HeaderBlock;
    }
    draft.reading = "front matter";
    draft.apply(fields, true);
    draft.reading = "";
    draft.warnings.extend(warning.map(Warning::FrontMatter));
    Ok(draft)
}

fn parse_layout(text: &str, sidecar_title: Option<&str>) -> Result<Draft, ParseError> {
    let text = decode_entities(text);
    let lines: Vec<&str> = text.lines().collect();
    if let Some(end) = header_block::detect(&lines) {
        return Ok(header_block::parse(&lines, end));
    }
    // A file that opens with metadata (a letterhead, a URL, a byline) has
    // its title below it: read line by line, not as the seed's blocks.
    let opens_with_metadata =
        lines.iter().find(|line| !line.trim().is_empty()).is_some_and(|line| header::classify(line).is_some());
    if !opens_with_metadata && let Some(result) = newswire::parse(&blocks(&lines)) {
        return result;
    }
    if let Some(title) = sidecar_title {
        return Ok(body_only(&lines, title));
    }
    match title_first::parse(&lines) {
        Some(draft) => Ok(draft),
        // Nothing but URLs, dates and fields: a list, not an article.
        None if lines.iter().any(|line| !line.trim().is_empty()) => {
            Err(ParseError::NotAnArticle("only metadata lines (URLs, dates, fields), no title or text"))
        }
        None => Err(ParseError::NoTitle),
    }
}

/// A body-only file whose title is in its sidecar. A first line repeating
/// that title is dropped rather than shown twice.
fn body_only(lines: &[&str], title: &str) -> Draft {
    let mut draft = Draft::new(Format::Sidecar);
    let first = lines.iter().position(|line| !line.trim().is_empty()).unwrap_or(0);
    let repeats_title = lines.get(first).is_some_and(|line| line.trim() == title);
    let body_start = if repeats_title { first + 1 } else { first };
    draft.paragraphs = super::body::paragraphs(&lines[body_start.min(lines.len())..]);
    draft
}

/// The section named by the article's folder (`business/001` → `Business`),
/// unless the folder name is an opaque code (`C000008`) or a generic
/// container (`data`, `sample`, `articles`) that says nothing about the
/// subject.
pub fn folder_section(id: &ArticleId) -> Option<String> {
    const GENERIC: &[&str] = &[
        "articles",
        "article",
        "data",
        "sample",
        "samples",
        "raw",
        "text",
        "texts",
        "txt",
        "tmp",
        "temp",
        "news",
        "files",
        "docs",
        "documents",
        "corpus",
        "content",
        "contents",
        "posts",
        "input",
        "output",
        "src",
        "archive",
        "blog",
        "blogs",
        "post",
        "entries",
        "stories",
        "items",
        "pages",
        "markdown",
        "md",
        "html",
        "metadata",
        "meta",
        "json",
    ];
    let (folders, _) = id.as_str().rsplit_once('/')?;
    let folder = folders.rsplit('/').next()?.trim();
    let letters = folder.chars().filter(|c| c.is_alphabetic()).count();
    let digits = folder.chars().filter(char::is_ascii_digit).count();
    let generic = GENERIC.iter().any(|name| name.eq_ignore_ascii_case(folder));
    if letters < 2 || digits >= letters || generic || folder.starts_with('_') {
        return None;
    }
    Some(folder.split(['-', '_', ' ']).filter(|word| !word.is_empty()).map(capitalise).collect::<Vec<_>>().join(" "))
}

/// `business` → `Business`: the first letter upper-case, the rest as written.
pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_become_sections_unless_opaque_or_generic() {
        let section = |id: &str| folder_section(&ArticleId::new(id));
        assert_eq!(section("bbc/business/001").as_deref(), Some("Business"));
        assert_eq!(section("world-news/001").as_deref(), Some("World News"));
        assert_eq!(section("Sample/C000008/10"), None);
        assert_eq!(section("tmp/articles/1_raw"), None);
        assert_eq!(section("001"), None);
    }
}
