//! The title-first layout: the first non-blank line is the title, the rest
//! is the body (the BBC folders, Chinese and Vietnamese news).
//!
//! Two refinements keep real files readable:
//! - a short label line, a blank line and then a single title line is read as
//!   `section`, `title` (the seed's layout without its header block);
//! - when the first line is plainly a paragraph (long, or ending like a
//!   sentence), the file has no title line: the title is the first sentence
//!   and the paragraph stays in the body, with a warning.

use super::super::Warning;
use super::super::body;
use super::super::draft::Draft;
use super::super::{Format, excerpt};
use super::super::{header, press};
use super::{looks_like_section, looks_like_title};

/// How wide a title line may be, counting CJK characters double.
const MAX_TITLE_WIDTH: usize = 160;

/// How long a derived title may be.
const DERIVED_TITLE_CHARS: usize = 100;

/// Parses `lines` as title-first text; `None` when there is no text at all.
pub(crate) fn parse(lines: &[&str]) -> Option<Draft> {
    let mut draft = Draft::new(Format::TitleFirst);
    // Metadata may come before the title too (a URL and a timestamp, as
    // the livedoor corpus writes them).
    let first = read_metadata(&mut draft, lines, 0)?;
    if let Some((section, title, body_start)) = section_and_title(lines, first) {
        draft.explain(section, "section", "a short label above the title");
        draft.explain(title, "title", "the first line that is not metadata");
        draft.section = Some(header::undecorate(section));
        draft.title = Some(header::undecorate(title));
        let body_start = read_metadata(&mut draft, lines, body_start).unwrap_or(lines.len());
        draft.paragraphs = body::paragraphs(&lines[body_start..]);
        return Some(draft);
    }
    let line = header::undecorate(lines[first]);
    if is_title_line(&line) {
        draft.explain(lines[first], "title", "the first line that is not metadata");
        draft.title = Some(line);
        // Bylines, dates, URLs and labelled fields under the title, blank
        // lines or not between them, up to the first line of prose.
        let body_start = read_metadata(&mut draft, lines, first + 1).unwrap_or(lines.len());
        draft.paragraphs = body::paragraphs(&lines[body_start..]);
    } else {
        draft.title = Some(title_from_paragraph(&line));
        draft.paragraphs = body::paragraphs(&lines[first..]);
        draft.warnings.push(Warning::NoTitleLine);
    }
    Some(draft)
}

/// Reads metadata lines from `start` on, skipping blank lines, into the
/// draft; returns the index of the first line that is not metadata, or
/// `None` when no such line follows.
fn read_metadata(draft: &mut Draft, lines: &[&str], start: usize) -> Option<usize> {
    let mut index = start;
    let mut previous: Option<header::Role> = None;
    loop {
        index += lines.get(index..)?.iter().position(|line| !line.trim().is_empty())?;
        let line = lines[index].trim();
        // `SUBJECTS: …` wrapped onto a second line.
        if matches!(previous, Some(header::Role::Tags(_))) && line.starts_with(char::is_lowercase) {
            draft.explain(line, "tags", "continues the line above");
            index += 1;
            continue;
        }
        let classified = header::classify(line).or_else(|| letterhead_above_office(lines, index));
        let Some(classified) = classified else {
            return Some(index);
        };
        previous = Some(classified.role.clone());
        draft.read_role(line, classified);
        index += 1;
    }
}

/// `ANTHONY ALBANESE` above `LEADER OF THE AUSTRALIAN LABOR PARTY`: a name
/// that the office line under it makes a letterhead.
fn letterhead_above_office(lines: &[&str], index: usize) -> Option<header::Classified> {
    let next = lines[index + 1..].iter().find(|line| !line.trim().is_empty())?;
    let name = press::bare_letterhead_name(lines[index].trim()).filter(|_| press::is_office(next))?;
    Some(header::Classified { role: header::Role::Byline(name), why: "a name above an office line" })
}

/// `World News` / blank / `Title` / blank / body…
fn section_and_title<'a>(lines: &[&'a str], first: usize) -> Option<(&'a str, &'a str, usize)> {
    let section = lines[first].trim();
    let blank = lines.get(first + 1)?.trim().is_empty();
    let title_index = (first + 1..lines.len()).find(|&index| !lines[index].trim().is_empty())?;
    let title = lines[title_index].trim();
    let title_alone = lines.get(title_index + 1).is_some_and(|line| line.trim().is_empty());
    let body_follows = lines[title_index + 1..].iter().any(|line| !line.trim().is_empty());
    let fits = blank
        && title_alone
        && body_follows
        && looks_like_section(section)
        && looks_like_title(title)
        && header::classify(title).is_none()
        && !is_dateline_or_label(title);
    // Two short lines could also be a title and a one-line paragraph; a
    // section label is shorter than the title that follows it.
    (fits && section.chars().count() < title.chars().count()).then_some((section, title, title_index + 1))
}

/// What follows a headline without being a title: a dateline
/// (`WASHINGTON (Reuters)`), a bracketed label (`[Photo: Reuters]`) or a
/// numbered item (`1、你看…`, `1. First`).
fn is_dateline_or_label(line: &str) -> bool {
    let first_word = line.split_whitespace().next().unwrap_or("");
    let letters = first_word.chars().filter(|c| c.is_alphabetic()).count();
    let dateline = letters >= 3 && first_word.chars().all(|c| !c.is_lowercase()) && line.ends_with(')');
    let bracketed = line.starts_with(['[', '(']);
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && line[digits..].starts_with(['、', '.', ')']);
    dateline || bracketed || numbered
}

fn is_title_line(line: &str) -> bool {
    let width: usize = line.chars().map(|c| if body::is_cjk(c) { 2 } else { 1 }).sum();
    let sentence_like = line.ends_with(['.', '。', ',', '，', ';', '；'])
        && !line.ends_with("...")
        && !super::ends_with_abbreviation(line);
    width <= MAX_TITLE_WIDTH && !(sentence_like && width > 60)
}

/// The first sentence of a paragraph, or its start cut at a word boundary.
pub(crate) fn title_from_paragraph(paragraph: &str) -> String {
    let sentence_end = paragraph
        .char_indices()
        .take(DERIVED_TITLE_CHARS)
        .find(|&(index, c)| {
            matches!(c, '。' | '！' | '？') || (matches!(c, '.' | '!' | '?') && paragraph[index + 1..].starts_with(' '))
        })
        .map(|(index, c)| index + c.len_utf8());
    match sentence_end {
        Some(end) => paragraph[..end].trim_end_matches(['.', '。']).trim().to_owned(),
        None => excerpt(paragraph, DERIVED_TITLE_CHARS),
    }
}
