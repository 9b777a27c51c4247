//! The site generators' own syntax in a Markdown body, turned into
//! Markdown or HTML before the body is rendered: Liquid (`{% … %}`,
//! `{{ … }}`), Hugo shortcodes (`{{< … >}}`), WordPress shortcodes
//! (`[caption]…[/caption]`), kramdown attribute lists (`{: .class}`) and
//! the `<!--more-->` excerpt marker.
//!
//! Like Jekyll, this runs on the text before Markdown, since a tag may sit
//! inside a link (`[x]({{ site.baseurl }}/a)`). Unlike Jekyll, code is left
//! alone: code spans and blocks keep their text literally, since a post
//! that shows a `{{ … }}` in code means those characters.

use std::ops::Range;

use memchr::memchr3;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::html::find_ignoring_case;
use super::inner::container_balance;
use super::links::Links;
use super::notes::Notes;
use super::{hugo, kramdown, liquid, wordpress};

/// What expanding a body needs to know and what it found.
pub(super) struct Expander<'a> {
    pub links: &'a Links,
    /// Front matter values, for `{{ page.image }}`.
    pub page: &'a [(String, String)],
    pub notes: Notes,
    /// Where in the expanded text `<!--more-->` was (the excerpt's end).
    pub more_at: Option<usize>,
    /// Set by a construct that swallowed a stretch of text (`highlight`,
    /// `raw`): code found in it before is not code, so the code after it
    /// must be found again.
    code_changed: bool,
    /// How often code was found again; bounded, so that a file of ten
    /// thousand tiny `[x]…[/x]` cannot make the scan quadratic.
    rescans: usize,
    /// End tags searched for and not found: they will not be found later
    /// either, and searching again for each opening tag would be quadratic.
    missing_ends: Vec<String>,
    depth: usize,
}

/// The most times code is looked for again in one body.
const MAX_RESCANS: usize = 32;

/// How a construct was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Replaced by what was written (perhaps nothing): a construct alone on
    /// its line that left nothing takes its line with it.
    Inline,
    /// An invisible boundary: alone on its line, it leaves a blank line.
    Break,
}

/// A construct found at some offset: where it ends and how it was replaced.
pub(super) type Handled = Option<(usize, Kind)>;

impl<'a> Expander<'a> {
    pub fn new(links: &'a Links, page: &'a [(String, String)]) -> Self {
        Self {
            links,
            page,
            notes: Notes::default(),
            more_at: None,
            code_changed: false,
            rescans: 0,
            missing_ends: Vec::new(),
            depth: 0,
        }
    }

    /// `text` with every construct outside code replaced.
    pub fn expand(&mut self, text: &str) -> String {
        let mut protected = code_ranges(text, 0);
        let mut next = 0;
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        while let Some(offset) = memchr3(b'{', b'[', b'<', &text.as_bytes()[at..]) {
            let start = at + offset;
            out.push_str(&text[at..start]);
            while protected.get(next).is_some_and(|range| range.end <= start) {
                next += 1;
            }
            if let Some(range) = protected.get(next).filter(|range| range.start <= start) {
                out.push_str(&text[start..range.end]);
                at = range.end;
                continue;
            }
            let written = out.len();
            at = match self.construct_at(text, start, &mut out) {
                Some((end, kind)) => take_line_if_emptied(text, start, end, kind, &mut out, written),
                None => {
                    out.push_str(&text[start..=start]);
                    start + 1
                }
            };
            if std::mem::take(&mut self.code_changed) && self.rescans < MAX_RESCANS {
                self.rescans += 1;
                (protected, next) = (code_ranges(&text[at..], at), 0);
            }
        }
        out.push_str(&text[at.min(text.len())..]);
        out
    }

    /// Notes that `swallowed`, a stretch a construct consumed whole, may
    /// have looked like code (a fence, a backtick, an indented line) and
    /// so hidden the code after it.
    pub fn swallowed(&mut self, swallowed: &str) {
        self.code_changed |=
            swallowed.contains(['`', '~']) || swallowed.contains("\n    ") || swallowed.contains("\n\t");
    }

    /// `search` for the end tag `end`, unless it was already not found.
    pub fn find_end<T>(&mut self, end: &str, search: impl FnOnce() -> Option<T>) -> Option<T> {
        if self.missing_ends.iter().any(|missing| missing == end) {
            return None;
        }
        let found = search();
        if found.is_none() {
            self.missing_ends.push(end.to_owned());
        }
        found
    }

    /// `fragment` (the inside of a shortcode) expanded on its own.
    pub fn expand_fragment(&mut self, fragment: &str) -> String {
        self.depth += 1;
        let expanded = if self.depth > 8 { fragment.to_owned() } else { self.expand(fragment) };
        self.depth -= 1;
        expanded
    }

    fn construct_at(&mut self, text: &str, start: usize, out: &mut String) -> Handled {
        let rest = &text[start..];
        if rest.starts_with("{{<") || rest.starts_with("{{%") {
            hugo::shortcode(self, text, start, out)
        } else if rest.starts_with("{%") {
            liquid::tag(self, text, start, out)
        } else if rest.starts_with("{{") {
            liquid::output(self, text, start, out)
        } else if rest.starts_with("{:") {
            kramdown::attribute_list(self, text, start, out)
        } else if rest.starts_with("<!--") {
            let handled = kramdown::more_marker(text, start)?;
            if self.depth == 0 {
                self.more_at.get_or_insert(out.len());
            }
            Some(handled)
        } else if rest.starts_with('[') {
            wordpress::shortcode(self, text, start, out)
        } else {
            None
        }
    }
}

/// Where the scan goes on after a construct at `start..end`. One that
/// wrote nothing and stood alone on its line removes the line, so that a
/// removed `{% include x %}` does not leave a blank line that splits a
/// paragraph; a [`Kind::Break`] leaves the blank line instead.
fn take_line_if_emptied(text: &str, start: usize, end: usize, kind: Kind, out: &mut String, written: usize) -> usize {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let alone = text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
    if out.len() != written || !alone || !out.ends_with(&text[line_start..start]) {
        return end;
    }
    out.truncate(written - (start - line_start));
    match kind {
        Kind::Inline => (line_end + 1).min(text.len()),
        Kind::Break => line_end,
    }
}

/// The byte ranges of code in a Markdown text (shifted by `offset`): code
/// spans, fenced and indented code blocks, and raw `<pre>`/`<code>`.
pub(super) fn code_ranges(text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    // Raw HTML elements still open: an indented "code block" inside one is
    // markup (see `render`), not code.
    let mut open_elements = 0;
    let mut unclosed_code = false;
    for (event, range) in Parser::new_ext(text, super::render::OPTIONS).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) if open_elements > 0 => {}
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => ranges.extend(block_start.take().map(|start| start..range.end)),
            Event::Html(html) | Event::InlineHtml(html) => {
                if starts_code_element(&html) && !unclosed_code {
                    let found = html_code_range(text, range.start);
                    // Not closed here, not closed later: stop looking.
                    unclosed_code = found.is_none();
                    ranges.extend(found);
                }
                open_elements = (open_elements + container_balance(&html)).max(0);
            }
            _ => {}
        }
    }
    ranges.sort_by_key(|range| range.start);
    ranges.into_iter().map(|range| range.start + offset..range.end + offset).collect()
}

fn starts_code_element(html: &str) -> bool {
    let lower = html.trim_start().get(..6).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("<pre") || lower.starts_with("<code")
}

/// From a raw `<pre>` or `<code>` at `start` to its end tag.
fn html_code_range(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = &text[start..];
    let name =
        if starts_code_element(rest) && rest.trim_start()[1..].starts_with(['p', 'P']) { "</pre>" } else { "</code>" };
    let end = find_ignoring_case(rest, name)?;
    Some(start..start + end + name.len())
}

/// The inside of `open … close` starting at `start`, and where it ends.
/// A construct never spans a blank line or more than 2,000 bytes, so a
/// stray `{{` is text, not the start of a tag that eats the page.
pub(super) fn delimited<'t>(text: &'t str, start: usize, open: &str, close: &str) -> Option<(&'t str, usize)> {
    let from = start + open.len();
    let window = at_most(&text[from..], 2000);
    let window = window.get(..window.find("\n\n").unwrap_or(window.len())).unwrap_or(window);
    let end = window.find(close)?;
    Some((&text[from..from + end], from + end + close.len()))
}

/// The first `max` bytes of `text`, or fewer to end on a character.
pub(super) fn at_most(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The first word of a tag and the rest.
pub(super) fn split_word(inner: &str) -> (&str, &str) {
    let inner = inner.trim();
    inner.split_once(char::is_whitespace).map_or((inner, ""), |(word, rest)| (word, rest.trim()))
}

/// Writes a fenced code block that keeps `code` literally, on lines of its
/// own, with a fence longer than any backtick run inside.
pub(super) fn code_block(out: &mut String, language: &str, code: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let language: String = language
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '#' | '.' | '-'))
        .collect();
    out.push_str(&format!("{fence}{language}\n{}\n{fence}\n", code.trim_matches(['\n', '\r'])));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_blocks_and_raw_code_are_protected() {
        let text = "a `{{ x }}` b\n\n```\n{% raw %}\n```\n\n<pre>{{ y }}</pre>\n\n    {{ z }}\n";
        let ranges = code_ranges(text, 0);
        let code: Vec<&str> = ranges.iter().map(|range| &text[range.clone()]).collect();
        assert!(code.iter().any(|c| c.contains("{{ x }}")), "{code:?}");
        assert!(code.iter().any(|c| c.contains("{% raw %}")));
        assert!(code.iter().any(|c| c.contains("{{ y }}")));
        assert!(code.iter().any(|c| c.contains("{{ z }}")));
    }
}
