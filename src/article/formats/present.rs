//! Go `present` articles (`.article`, the Go blog until 2020).
//!
//! ```text
//! Four years of Go                 ← title
//! 10 Nov 2013                      ← date (a subtitle line may come first)
//! Tags: community, birthday        ← also `Summary:`, `OldURL:`
//!
//! Andrew Gerrand                   ← author blocks: a name, then email,
//! adg@golang.org                     URL or @twitter lines
//!
//! * Introduction                   ← sections, paragraphs, `- ` lists,
//!                                    tab-indented code, `.directives`
//! ```
//!
//! The body is rendered to HTML one block at a time and sanitised with
//! `ammonia`, as Markdown is. Directives name files beside the article
//! (`.image`, `.code`, `.play`, `.html`) or embeds (`.iframe`), which a
//! parser that reads no other file cannot show, so each becomes a short
//! line saying what was there (or a link), or nothing, never the literal
//! command (see [`super::present_directive`]).

use super::super::Warning;
use super::super::dates::{DateValue, parse_date_value};
use super::super::draft::Draft;
use super::super::{Format, Paragraph};
use super::present_directive::Unshown;
use super::present_inline::{Inline, render};

/// Parses a present file. The title is missing only for an empty file.
pub(crate) fn parse(text: &str) -> Draft {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut draft = Draft::new(Format::Present);
    let after_header = read_header(&lines, &mut draft);
    let body_start = read_authors(&lines, after_header, &mut draft);
    let mut unshown = Unshown::default();
    draft.paragraphs = Blocks { lines: &lines[body_start..], at: 0, unshown: &mut unshown }.collect();
    draft.metadata.extend(unshown.images.into_iter().map(|video| ("video".to_owned(), video)));
    let mut html = unshown.html;
    html.sort_unstable();
    html.dedup();
    if !html.is_empty() {
        let files = html.join(", ");
        draft.warnings.push(Warning::Markup(format!(
            "`.html` includes not shown: {files} (an article is read from its own file only)"
        )));
    }
    draft
}

/// Reads the title, subtitle, date and `Key: value` lines up to the first
/// blank line; returns the index after them.
fn read_header(lines: &[&str], draft: &mut Draft) -> usize {
    let start = lines.iter().position(|line| !line.trim().is_empty()).unwrap_or(lines.len());
    let Some(title) = lines.get(start) else { return lines.len() };
    draft.title = Some(title.trim().trim_start_matches("# ").to_owned());
    let mut index = start + 1;
    while let Some(line) = lines.get(index).map(|line| line.trim()).filter(|line| !line.is_empty()) {
        index += 1;
        if let Some((key, value)) = line.split_once(':').filter(|(key, _)| is_header_key(key)) {
            draft.set(key.trim(), value, false);
        } else if draft.date.is_none() && is_date(line) {
            draft.date = Some(without_time(line).to_owned());
        } else if draft.date.is_none() && draft.summary.is_none() {
            draft.summary = Some(line.to_owned());
        } else {
            draft.metadata.push(("header".to_owned(), line.to_owned()));
        }
    }
    index
}

fn is_header_key(key: &str) -> bool {
    ["Tags", "Summary", "OldURL"].iter().any(|known| known.eq_ignore_ascii_case(key.trim()))
}

/// `15:04 2 Jan 2006` → `2 Jan 2006`: present allows a time first.
fn without_time(line: &str) -> &str {
    match line.split_once(' ') {
        Some((time, rest)) if time.contains(':') && time.bytes().all(|b| b.is_ascii_digit() || b == b':') => rest,
        _ => line,
    }
}

fn is_date(line: &str) -> bool {
    matches!(parse_date_value(without_time(line)), DateValue::Dated { .. })
}

/// Reads author blocks (separated by blank lines) up to the first section
/// or the first block that reads as prose; returns where the body starts.
fn read_authors(lines: &[&str], mut index: usize, draft: &mut Draft) -> usize {
    let mut names = Vec::new();
    loop {
        while lines.get(index).is_some_and(|line| line.trim().is_empty()) {
            index += 1;
        }
        let end = (index..lines.len()).find(|&at| lines[at].trim().is_empty()).unwrap_or(lines.len());
        let block = &lines[index..end];
        if block.is_empty() || !block.iter().all(|line| is_author_line(line)) {
            break;
        }
        // A block's first text line is the name; more text lines are an
        // affiliation (`Google`), kept as metadata.
        let mut named = false;
        for line in block.iter().map(|line| line.trim()) {
            match author_line_kind(line) {
                "name" if !named => {
                    names.push(line);
                    named = true;
                }
                "name" => draft.metadata.push(("affiliation".to_owned(), line.to_owned())),
                kind => draft.metadata.push((kind.to_owned(), line.to_owned())),
            }
        }
        index = end;
    }
    if !names.is_empty() {
        draft.author = Some(names.join(", "));
    }
    index
}

/// A short line that is not a section, command, list item, code or prose.
fn is_author_line(line: &str) -> bool {
    let trimmed = line.trim();
    !line.starts_with([' ', '\t', '*', '.', '-', ':'])
        && trimmed.chars().count() <= 80
        && !trimmed.ends_with(['.', ':', ';', ','])
        && !trimmed.contains("[[")
}

fn author_line_kind(line: &str) -> &'static str {
    let emails = line.split(',').map(str::trim).all(|part| part.contains('@') && !part.contains(' '));
    if line.starts_with('@') {
        "twitter"
    } else if line.starts_with("http://") || line.starts_with("https://") {
        "author-url"
    } else if emails {
        "email"
    } else {
        "name"
    }
}

/// The body's blocks as paragraphs, one per section heading, paragraph,
/// list, code block or directive.
struct Blocks<'a, 'o> {
    lines: &'a [&'a str],
    at: usize,
    /// Files that directives named and the body does not show.
    unshown: &'o mut Unshown,
}

impl Iterator for Blocks<'_, '_> {
    type Item = Paragraph;

    fn next(&mut self) -> Option<Paragraph> {
        loop {
            let line = *self.lines.get(self.at)?;
            // `: notes` are the speaker's, `#` lines comments (`#.caption Figure 22`).
            let block = if line.trim().is_empty() || line.starts_with([':', '#']) {
                self.at += 1;
                None
            } else if is_heading(line) {
                self.at += 1;
                Some(heading(line))
            } else if line.starts_with('.') {
                self.at += 1;
                super::present_directive::render(line, self.unshown)
            } else if line.starts_with([' ', '\t']) {
                Some(self.code())
            } else if line.starts_with("- ") {
                Some(self.list())
            } else {
                Some(self.paragraph())
            };
            if let Some(block) = block {
                return Some(block);
            }
        }
    }
}

impl Blocks<'_, '_> {
    /// Lines from here while `keep(line)` holds.
    fn take_while(&mut self, keep: impl Fn(&str) -> bool) -> &[&str] {
        let start = self.at;
        while self.lines.get(self.at).is_some_and(|line| keep(line)) {
            self.at += 1;
        }
        &self.lines[start..self.at]
    }

    fn paragraph(&mut self) -> Paragraph {
        let first = self.lines[self.at];
        self.at += 1;
        let rest = self.take_while(|line| !line.trim().is_empty() && !starts_block(line));
        let joined = std::iter::once(first).chain(rest.iter().copied()).map(unescape).collect::<Vec<_>>().join(" ");
        html_block("p", &render(&joined))
    }

    /// Indented lines, across blank lines while the code goes on, without
    /// their shared indentation.
    fn code(&mut self) -> Paragraph {
        let start = self.at;
        let mut end = self.at;
        while let Some(line) = self.lines.get(self.at) {
            if line.starts_with([' ', '\t']) && !line.trim().is_empty() {
                end = self.at + 1;
            } else if !line.trim().is_empty() {
                break;
            }
            self.at += 1;
        }
        self.at = end;
        let lines = &self.lines[start..end];
        let indent = lines
            .iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0);
        let code = lines.iter().map(|line| line.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n");
        let html = format!("<pre><code>{}</code></pre>", html_escape::encode_text(&code));
        Paragraph::Html { html: ammonia::clean(&html), text: code }
    }

    /// `- item` lines; a list goes on across blank lines while items follow.
    fn list(&mut self) -> Paragraph {
        let mut items: Vec<String> = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if let Some(item) = line.strip_prefix("- ") {
                items.push(item.trim().to_owned());
            } else if line.trim().is_empty() {
                let next = self.lines[self.at..].iter().find(|line| !line.trim().is_empty());
                if !next.is_some_and(|line| line.starts_with("- ")) {
                    break;
                }
            } else if line.starts_with(['.', '*', ' ', '\t', ':']) {
                break;
            } else if let Some(item) = items.last_mut() {
                item.push(' ');
                item.push_str(line.trim());
            }
            self.at += 1;
        }
        let rendered: Vec<Inline> = items.iter().map(|item| render(item)).collect();
        let html: String = rendered.iter().map(|item| format!("<li>{}</li>", item.html)).collect();
        let text = rendered.iter().map(|item| item.text.as_str()).collect::<Vec<_>>().join(" ");
        Paragraph::Html { html: ammonia::clean(&format!("<ul>{html}</ul>")), text }
    }
}

fn is_heading(line: &str) -> bool {
    line.starts_with('*') && line.trim_start_matches('*').starts_with(' ')
}

/// A line that ends the paragraph before it: a command, code, a list item
/// or a section heading.
fn starts_block(line: &str) -> bool {
    line.starts_with(['.', ' ', '\t', '#']) || line.starts_with("- ") || is_heading(line)
}

/// `* Section` → `<h2>`, `** Sub` → `<h3>`: the page's `<h1>` is the title.
fn heading(line: &str) -> Paragraph {
    let stars = line.chars().take_while(|&c| c == '*').count();
    html_block(&format!("h{}", (stars + 1).min(6)), &render(line[stars..].trim()))
}

/// `\.` at the start of a line escapes a text line that starts with a dot.
fn unescape(line: &str) -> &str {
    let line = line.trim();
    line.strip_prefix('\\').filter(|rest| rest.starts_with('.')).unwrap_or(line)
}

/// One block element around rendered inline text, sanitised.
pub(super) fn html_block(tag: &str, inline: &Inline) -> Paragraph {
    let html = ammonia::clean(&format!("<{tag}>{}</{tag}>", inline.html));
    Paragraph::Html { html, text: inline.text.trim().to_owned() }
}

#[cfg(test)]
#[path = "present_tests.rs"]
mod tests;
