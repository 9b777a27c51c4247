//! The newswire layout of the original seed article.
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
//! The file is recognised by its header block: one of the first three
//! blocks consists of short lines, at least one of which is a date, a
//! syndication line or known boilerplate.

use super::super::body::{join_lines, to_paragraph};
use super::super::dates::{DateValue, parse_date_value};
use super::super::draft::Draft;
use super::super::parse::ParseError;
use super::super::{Format, Paragraph};
use super::{MAX_TITLE_CHARS, looks_like_section};

/// Lines that aggregators add to the header block and that are not content.
const BOILERPLATE: &[&str] = &["promote your business"];

/// Parses `blocks` (trimmed, non-blank lines) in the newswire layout, or
/// returns `None` when there is no header block.
pub(crate) fn parse(blocks: &[Vec<&str>]) -> Option<Result<Draft, ParseError>> {
    let header = blocks.iter().take(3).position(|block| is_header_block(block))?;
    Some(parse_with_header(blocks, header))
}

fn parse_with_header(blocks: &[Vec<&str>], header: usize) -> Result<Draft, ParseError> {
    let (section, title) = match header {
        2 => (Some(blocks[0].join(" ")), blocks[1].join(" ")),
        1 => section_and_title_from_one_block(&blocks[0]),
        _ => (None, blocks.get(1).map(|block| block.join(" ")).ok_or(ParseError::NoTitle)?),
    };
    let title_chars = title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(ParseError::TitleTooLong(title_chars));
    }
    let body_start = header.max(1) + 1;
    let mut draft = Draft::new(Format::Newswire);
    draft.title = Some(title);
    draft.section = section;
    for line in &blocks[header] {
        match HeaderLine::classify(line) {
            Some(HeaderLine::Date) if draft.date.is_none() => draft.date = Some((*line).to_owned()),
            Some(HeaderLine::Source(source)) if draft.source.is_none() => draft.source = Some(source),
            Some(HeaderLine::Boilerplate) => {}
            // Anything else in the header block is kept as body text, so
            // nothing in the file is lost.
            _ => draft.paragraphs.push(Paragraph::Text { text: (*line).to_owned() }),
        }
    }
    draft.paragraphs.extend(blocks.iter().skip(body_start).map(|block| to_paragraph(join_lines(block))));
    Ok(draft)
}

/// A first block of two lines (`World News` / `Title`) holds section and title.
fn section_and_title_from_one_block(block: &[&str]) -> (Option<String>, String) {
    match block {
        [section, title] if looks_like_section(section) => (Some((*section).to_owned()), (*title).to_owned()),
        _ => (None, block.join(" ")),
    }
}

enum HeaderLine {
    Date,
    Source(String),
    Boilerplate,
}

impl HeaderLine {
    fn classify(line: &str) -> Option<Self> {
        if parse_date_value(line) != DateValue::Unknown {
            return Some(Self::Date);
        }
        if let Some(source) = source_from_syndication_line(line) {
            return Some(Self::Source(source));
        }
        BOILERPLATE.iter().any(|boilerplate| boilerplate.eq_ignore_ascii_case(line)).then_some(Self::Boilerplate)
    }
}

/// A header block is one whose lines are all short fields, at least one of
/// which is a date, source or boilerplate line.
fn is_header_block(block: &[&str]) -> bool {
    block.iter().all(|line| line.len() <= 240 && line.chars().count() <= 120)
        && block.iter().any(|line| HeaderLine::classify(line).is_some())
}

/// `This content originally appeared on Al Jazeera.` → `Al Jazeera`.
fn source_from_syndication_line(line: &str) -> Option<String> {
    const PREFIXES: &[&str] =
        &["this content originally appeared on ", "originally published by ", "originally published on "];
    let prefix = PREFIXES
        .iter()
        .find(|prefix| line.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix)))?;
    let source = line[prefix.len()..].trim().trim_end_matches('.').trim();
    (!source.is_empty()).then(|| source.to_owned())
}
