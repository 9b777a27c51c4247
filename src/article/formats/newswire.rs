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

use super::super::body::block_paragraphs;
use super::super::draft::Draft;
use super::super::header::{self, Role};
use super::super::parse::ParseError;
use super::super::{Format, Paragraph};
use super::{MAX_TITLE_CHARS, looks_like_section};

/// Parses `blocks` (trimmed, non-blank lines) in the newswire layout, or
/// returns `None` when there is no header block.
pub(crate) fn parse(blocks: &[Vec<&str>]) -> Option<Result<Draft, ParseError>> {
    // A body must follow the header block.
    let header = blocks.iter().take(3.min(blocks.len().saturating_sub(1))).position(|block| is_header_block(block))?;
    Some(parse_with_header(blocks, header))
}

fn parse_with_header(blocks: &[Vec<&str>], header: usize) -> Result<Draft, ParseError> {
    let header_block = &blocks[header];
    // Lines above the first field of the header block are the title (and
    // maybe the section): `Title` / `16 November 2024` with no blank line.
    let lead = header_block.iter().take_while(|line| header::classify(line).is_none()).count();
    // More than two such lines: the first is the title, the rest body text.
    let title_lines = if lead > 2 { 1 } else { lead };
    // A first block that opens with fields (a URL, a timestamp) and then
    // has a line that is none: that line is the title.
    let title_below_fields = (lead == 0 && header == 0)
        .then(|| header_block.iter().position(|line| header::classify(line).is_none()))
        .flatten();
    let (section, title, body_start) = if let Some(index) = title_below_fields {
        (None, header_block[index].to_owned(), 1)
    } else if lead > 0 {
        let (section, title) = section_and_title_from_one_block(&header_block[..title_lines]);
        match (section, &blocks[..header]) {
            (None, [above]) if looks_like_section(&above.join(" ")) => (Some(above.join(" ")), title, header + 1),
            (section, _) => (section, title, 0),
        }
    } else {
        section_and_title_above(blocks, header)?
    };
    let title = header::undecorate(&title);
    let section = section.map(|section| header::undecorate(&section));
    let title_chars = title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(ParseError::TitleTooLong(title_chars));
    }
    let mut draft = Draft::new(Format::Newswire);
    draft.title = Some(title);
    draft.section = section;
    // Blocks between the title and the header block (a standfirst), or
    // above a title inside the header block: body text, so nothing is lost.
    let before_header = &blocks[body_start.min(header)..header];
    draft.paragraphs.extend(block_paragraphs(before_header));
    for (index, line) in header_block.iter().enumerate().skip(title_lines) {
        if Some(index) == title_below_fields {
            draft.explain(line, "title", "the first line among the fields that is not one");
            continue;
        }
        draft.read_header_line(line);
    }
    // A double-spaced file puts every header line in a block of its own.
    let mut rest = &blocks[(header + 1).max(body_start)..];
    while let Some(([line], after)) = rest.split_first().map(|(block, after)| (block.as_slice(), after)) {
        if header::classify(line).is_none() {
            break;
        }
        draft.read_header_line(line);
        rest = after;
    }
    draft.paragraphs.extend(block_paragraphs(rest));
    Ok(draft)
}

/// The section and title above a header block that starts with a field,
/// and the index of the first block after the title.
fn section_and_title_above(blocks: &[Vec<&str>], header: usize) -> Result<(Option<String>, String, usize), ParseError> {
    let joined = |index: usize| blocks[index].join(" ");
    match header {
        // `World News` / `Title` / header, or `Title` / a standfirst / header.
        2 if looks_like_section(&joined(0)) && !is_paragraph(&joined(1)) => Ok((Some(joined(0)), joined(1), 2)),
        2 => Ok((None, joined(0), 1)),
        1 => {
            let (section, title) = section_and_title_from_one_block(&blocks[0]);
            Ok((section, title, 1))
        }
        // The header block comes first: the title is the block after it.
        _ => Ok((None, blocks.get(1).map(|block| block.join(" ")).ok_or(ParseError::NoTitle)?, 2)),
    }
}

/// A standfirst rather than a title: it ends with a full stop, as titles
/// do not.
fn is_paragraph(text: &str) -> bool {
    text.ends_with(['.', '。']) && !text.ends_with("...") && !super::ends_with_abbreviation(text)
}

impl Draft {
    /// Reads one header-block line into the draft: metadata goes to its
    /// field, anything else is kept as body text so nothing in the file is
    /// lost.
    fn read_header_line(&mut self, line: &str) {
        match header::classify(line) {
            Some(classified) => self.read_role(line, classified),
            None => self.paragraphs.push(Paragraph::Text { text: line.to_owned() }),
        }
    }
}

/// A first block of two lines (`World News` / `Title`) holds section and title.
fn section_and_title_from_one_block(block: &[&str]) -> (Option<String>, String) {
    match block {
        [section, title] if looks_like_section(section) => (Some((*section).to_owned()), (*title).to_owned()),
        _ => (None, block.join(" ")),
    }
}

/// The lines that make a block the seed's header block: a date, a source,
/// a byline or boilerplate (not a stray `编辑:` credit or tag line, and not
/// a URL alone, which may be a title).
fn marks_a_header(role: &Role) -> bool {
    matches!(role, Role::Date(_) | Role::Source(_) | Role::Byline(_) | Role::Boilerplate)
}

/// A header block is one whose lines are all short fields, at least one of
/// which is a date, source or boilerplate line.
fn is_header_block(block: &[&str]) -> bool {
    block.iter().all(|line| line.len() <= 240 && line.chars().count() <= 120)
        && block.iter().any(|line| header::classify(line).is_some_and(|classified| marks_a_header(&classified.role)))
}
