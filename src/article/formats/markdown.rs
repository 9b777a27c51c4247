//! Markdown articles (`.md`, `.markdown`), with optional YAML or TOML front
//! matter (`title`, `date`, `source`, `section`, `author`, `tags`, `url`,
//! `summary`). Without a `title`, the first `# Heading` is the title.
//!
//! The body is rendered with `pulldown-cmark`, one [`Paragraph::Html`] per
//! top-level block, and every block is sanitised with `ammonia`: raw HTML in
//! a file can never inject a script, a style or an event handler.
//!
//! Block quotes nested thousands deep take pulldown-cmark and ammonia time
//! that grows faster than the square of the depth (20,000 `>` on one line:
//! over a second; 100,000: most of a minute, for a 100 KB file), which would
//! stall every load. No real article nests more than a few levels, so a
//! body nested deeper than [`MAX_QUOTE_DEPTH`] is shown as plain text.

use super::super::Warning;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::super::draft::Draft;
use super::super::{Format, Paragraph};
use super::front_matter;

/// Parses a Markdown file. The title may still be missing; the caller
/// reports that.
pub(crate) fn parse(text: &str) -> Draft {
    let mut draft = Draft::new(Format::Markdown);
    let (front_matter, body) = front_matter::split(text);
    if let Some((language, source)) = front_matter {
        let (fields, warning) = front_matter::read_lenient(language, source);
        draft.apply(fields, false);
        draft.warnings.extend(warning.map(Warning::FrontMatter));
    }
    let body = &body[super::super::header::read_markdown_top(&mut draft, body)..];
    let body = &body[..super::super::header::read_markdown_bottom(&mut draft, body)];
    if max_quote_depth(body) > MAX_QUOTE_DEPTH {
        draft.warnings.push(Warning::DeepQuotes(MAX_QUOTE_DEPTH));
        let lines: Vec<&str> = body.lines().collect();
        let mut paragraphs = super::super::body::paragraphs(&lines).into_iter();
        if let Some(Paragraph::Text { text }) = paragraphs.next().filter(|_| draft.title.is_none()) {
            draft.title = Some(text.trim_start_matches('#').trim().to_owned());
        }
        draft.paragraphs.extend(paragraphs);
        return draft;
    }
    for block in top_level_blocks(body) {
        if draft.title.is_none() && is_h1(&block) {
            draft.title = Some(plain_text(&block));
            continue;
        }
        let text = plain_text(&block);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, block.into_iter().map(below_the_title));
        let html = ammonia::clean(&html);
        if !html.trim().is_empty() || !text.trim().is_empty() {
            draft.paragraphs.push(Paragraph::Html { html, text });
        }
    }
    draft
}

/// A heading one level down: the page's `<h1>` is the article's title, so
/// a `# Heading` in the body is an `<h2>` (and `######` stays `<h6>`).
fn below_the_title(event: Event<'_>) -> Event<'_> {
    let down = |level: HeadingLevel| HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6);
    match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: down(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(down(level))),
        other => other,
    }
}

/// The deepest block-quote nesting a Markdown body can reach.
pub(crate) const MAX_QUOTE_DEPTH: usize = 32;

/// The most `>` markers at the start of any line (spaces between them
/// allowed), stopping early once past the limit.
fn max_quote_depth(body: &str) -> usize {
    let mut deepest = 0;
    for line in body.lines() {
        let depth = line.chars().take_while(|c| matches!(c, '>' | ' ' | '\t')).filter(|&c| c == '>').count();
        deepest = deepest.max(depth);
        if deepest > MAX_QUOTE_DEPTH {
            break;
        }
    }
    deepest
}

/// The events of each top-level block (paragraph, heading, list, …).
fn top_level_blocks(body: &str) -> Vec<Vec<Event<'_>>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(body, options) {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(event);
        if depth == 0 {
            blocks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

fn is_h1(block: &[Event<'_>]) -> bool {
    matches!(block.first(), Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })))
}

/// The words of a block without markup, for titles, excerpts and counts.
fn plain_text(block: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in block {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(words),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow)
                if !text.ends_with(' ') && !text.is_empty() =>
            {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.trim().to_owned()
}
