//! The newswire parser: the layout of the original seed article.
//!
//! ```text
//! World News                                   <- section (optional)
//!
//! US, South Korea and Japan slam …             <- title
//!
//! 16 November 2024                             <- header block: date,
//! This content originally appeared on Al Jazeera.   source line,
//! Promote your business                        <- and boilerplate
//!
//! The leaders of the United States …           <- body paragraphs
//! … in Lima, Peru, on November 15 [Leah Millis/Reuters]   <- a caption
//! ```
//!
//! Blocks are separated by blank lines; lines inside a block are joined with
//! a space, so hard-wrapped paragraphs read as one.

use jiff::civil::Date;
use thiserror::Error;

use super::{Article, ArticleId, EXCERPT_CHARS, Paragraph, count_words, excerpt};

/// Why a decoded text is not an article.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("no title found: the first non-blank line should be the title (or a section line, then the title)")]
    NoTitle,
    #[error("the first block is {0} characters long, too long for a title; start the file with a title line")]
    TitleTooLong(usize),
}

/// Lines that aggregators add to the header block and that are not content.
const BOILERPLATE: &[&str] = &["promote your business"];

/// The longest title we accept; longer "titles" are body text without a title.
const MAX_TITLE_CHARS: usize = 300;

/// Parses one article in the newswire layout. The result has no `modified`
/// time; the loader adds it from the file.
pub fn parse(id: ArticleId, text: &str) -> Result<Article, ParseError> {
    let blocks = split_blocks(text);
    let layout = Layout::detect(&blocks)?;
    let mut header = Header::default();
    if let Some(index) = layout.header {
        header = Header::read(&blocks[index]);
    }
    let mut paragraphs: Vec<Paragraph> = header.unknown_lines.into_iter().map(text_paragraph).collect();
    paragraphs.extend(blocks[layout.body_start..].iter().map(|block| to_paragraph(&block.join(" "))));
    let first_text = paragraphs.iter().find(|p| matches!(p, Paragraph::Text { .. }));
    let excerpt = first_text.map_or_else(String::new, |p| excerpt(p.text(), EXCERPT_CHARS));
    let word_count = paragraphs.iter().map(|p| count_words(p.text())).sum();
    Ok(Article {
        id,
        title: layout.title,
        section: layout.section,
        date: header.date,
        source: header.source,
        paragraphs,
        word_count,
        excerpt,
        modified: None,
    })
}

/// Splits text into blocks of trimmed, non-blank lines. Handles LF and CRLF,
/// and trims all Unicode white space (titles end with U+00A0 in the wild).
fn split_blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Where the section, title, header block and body are in a file.
#[derive(Debug)]
struct Layout {
    section: Option<String>,
    title: String,
    header: Option<usize>,
    body_start: usize,
}

impl Layout {
    fn detect(blocks: &[Vec<&str>]) -> Result<Self, ParseError> {
        let header = blocks.iter().take(3).position(|block| is_header_block(block));
        let (section, title, body_start) = match header {
            Some(2) => (Some(blocks[0].join(" ")), blocks[1].join(" "), 3),
            Some(1) => {
                let (section, title) = section_and_title_from_one_block(&blocks[0]);
                (section, title, 2)
            }
            Some(_) => (None, blocks.get(1).map(|b| b.join(" ")).ok_or(ParseError::NoTitle)?, 2),
            None => Self::without_header(blocks)?,
        };
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(ParseError::TitleTooLong(title.chars().count()));
        }
        Ok(Self { section, title, header, body_start })
    }

    /// No header block: either `section, title, body…` or `title, body…`.
    /// A section is a short label and a title does not end like a sentence;
    /// anything else means the first block is the title.
    fn without_header(blocks: &[Vec<&str>]) -> Result<(Option<String>, String, usize), ParseError> {
        let first = blocks.first().ok_or(ParseError::NoTitle)?;
        let has_section = blocks.len() >= 3
            && first.len() == 1
            && looks_like_section(first[0])
            && blocks[1].len() == 1
            && looks_like_title(blocks[1][0]);
        if has_section {
            return Ok((Some(first[0].to_owned()), blocks[1][0].to_owned(), 2));
        }
        let (section, title) = section_and_title_from_one_block(first);
        Ok((section, title, 1))
    }
}

/// A first block of two lines (`World News` / `Title`) holds section and title.
fn section_and_title_from_one_block(block: &[&str]) -> (Option<String>, String) {
    match block {
        [section, title] if looks_like_section(section) => (Some((*section).to_owned()), (*title).to_owned()),
        _ => (None, block.join(" ")),
    }
}

fn looks_like_section(line: &str) -> bool {
    line.chars().count() <= 40 && line.split_whitespace().count() <= 4 && !ends_like_sentence(line)
}

fn looks_like_title(line: &str) -> bool {
    line.chars().count() <= MAX_TITLE_CHARS && !ends_like_sentence(line)
}

fn ends_like_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', '"', '”', '’', '\'', ':', ';', ','])
}

/// The fields found in a header block.
#[derive(Debug, Default)]
struct Header {
    date: Option<Date>,
    source: Option<String>,
    /// Lines in the header block that are neither date, source nor
    /// boilerplate; kept as body text so nothing is lost.
    unknown_lines: Vec<String>,
}

impl Header {
    fn read(block: &[&str]) -> Self {
        let mut header = Self::default();
        for line in block {
            match HeaderLine::classify(line) {
                Some(HeaderLine::Date(date)) if header.date.is_none() => header.date = Some(date),
                Some(HeaderLine::Source(source)) if header.source.is_none() => header.source = Some(source),
                Some(HeaderLine::Boilerplate) => {}
                _ => header.unknown_lines.push((*line).to_owned()),
            }
        }
        header
    }
}

enum HeaderLine {
    Date(Date),
    Source(String),
    Boilerplate,
}

impl HeaderLine {
    fn classify(line: &str) -> Option<Self> {
        if let Some(date) = parse_date(line) {
            return Some(Self::Date(date));
        }
        if let Some(source) = source_from_syndication_line(line) {
            return Some(Self::Source(source));
        }
        BOILERPLATE.contains(&line.to_lowercase().as_str()).then_some(Self::Boilerplate)
    }
}

/// A header block is one whose lines are all short fields, at least one of
/// which is a date, source or boilerplate line.
fn is_header_block(block: &[&str]) -> bool {
    block.iter().all(|line| line.chars().count() <= 120)
        && block.iter().any(|line| HeaderLine::classify(line).is_some())
}

/// `This content originally appeared on Al Jazeera.` → `Al Jazeera`.
fn source_from_syndication_line(line: &str) -> Option<String> {
    const PREFIXES: &[&str] =
        &["this content originally appeared on ", "originally published by ", "originally published on "];
    let lower = line.to_lowercase();
    let prefix = PREFIXES.iter().find(|prefix| lower.starts_with(*prefix))?;
    // Lowercasing can change byte lengths outside ASCII; the prefixes are ASCII,
    // so the same byte offset is valid in the original line.
    let source = line.get(prefix.len()..)?.trim().trim_end_matches('.').trim();
    (!source.is_empty()).then(|| source.to_owned())
}

/// Parses the date formats seen in header blocks: `16 November 2024`,
/// `16 Nov 2024`, `November 16, 2024`, `2024-11-16`, optionally after a weekday.
/// Ambiguous numeric forms such as `03/04/2025` are deliberately not accepted.
pub fn parse_date(line: &str) -> Option<Date> {
    const FORMATS: &[&str] = &["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y-%m-%d"];
    let line = line.trim().trim_end_matches('.');
    if line.len() > 40 || !line.bytes().any(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let without_weekday = strip_weekday(line);
    FORMATS.iter().find_map(|format| jiff::fmt::strtime::parse(format, without_weekday).ok()?.to_date().ok())
}

fn strip_weekday(line: &str) -> &str {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ];
    let Some((first, rest)) = line.split_once([' ', ',']) else {
        return line;
    };
    if WEEKDAYS.contains(&first.to_lowercase().as_str()) { rest.trim_start_matches([',', ' ']) } else { line }
}

fn text_paragraph(text: String) -> Paragraph {
    Paragraph::Text { text }
}

/// A paragraph ending in a bracketed credit (`… on November 15 [Leah
/// Millis/Reuters]`) is a photo caption; brackets elsewhere are ordinary text.
fn to_paragraph(text: &str) -> Paragraph {
    match split_credit(text) {
        Some((caption, credit)) => Paragraph::Caption { text: caption.to_owned(), credit: credit.to_owned() },
        None => text_paragraph(text.to_owned()),
    }
}

fn split_credit(text: &str) -> Option<(&str, &str)> {
    let inner_and_rest = text.strip_suffix(']')?;
    let open = inner_and_rest.rfind('[')?;
    let credit = inner_and_rest[open + 1..].trim();
    let caption = inner_and_rest[..open].trim_end();
    let plausible_credit = (2..=80).contains(&credit.chars().count())
        && !credit.contains(['[', ']'])
        && credit.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric());
    (plausible_credit && !caption.is_empty()).then_some((caption, credit))
}
