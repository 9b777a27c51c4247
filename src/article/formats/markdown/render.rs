//! Markdown to HTML, one chunk per top-level block, with raw HTML handled
//! the way the people who wrote these files expected:
//!
//! - An HTML element that spans blank lines (a `<div>` or `<table>` with
//!   blank lines inside) is one chunk, as it is to a browser; CommonMark
//!   would end the HTML block at the first blank line and read the rest as
//!   Markdown (an indented `<td>` became a code block showing the tags).
//! - Markdown inside raw HTML renders (see [`super::inner`]).
//! - Footnotes are numbered across the whole body, not per block, and link
//!   to their definitions.
//! - A link or image whose address was a removed tag keeps its text.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::inner::{Rewriter, container_balance};

/// The Markdown extensions posts use: GitHub tables, `~~strikethrough~~`,
/// footnotes, PHP Markdown Extra / kramdown definition lists and
/// `{#id}` heading attributes (removed, not shown).
pub(super) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_DEFINITION_LIST)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Unsanitised HTML of one or more top-level blocks, and where in the
/// Markdown the first of them starts.
#[derive(Debug)]
pub(super) struct Chunk {
    pub html: String,
    pub start: usize,
}

/// A rendered body, and its first `# Heading` when asked to find a title.
#[derive(Debug, Default)]
pub(super) struct Rendered {
    pub chunks: Vec<Chunk>,
    pub title: Option<String>,
}

/// Renders `text`; with `find_title`, the first `# Heading` is taken out
/// as the title.
pub(super) fn render(text: &str, find_title: bool) -> Rendered {
    let mut renderer = Renderer { find_title, ..Renderer::default() };
    let mut block = Vec::new();
    let mut block_start = 0;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        if depth == 0 && block.is_empty() {
            block_start = range.start;
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        block.push(event);
        if depth == 0 {
            renderer.block(std::mem::take(&mut block), block_start);
        }
    }
    if !block.is_empty() {
        renderer.block(block, block_start);
    }
    if let Some((html, start)) = renderer.open.take() {
        renderer.rendered.chunks.push(Chunk { html, start });
    }
    renderer.rendered
}

#[derive(Default)]
struct Renderer {
    find_title: bool,
    rendered: Rendered,
    /// A chunk whose raw HTML has elements still open, and its start.
    open: Option<(String, usize)>,
    open_elements: i64,
    footnotes: Vec<String>,
    skipped_links: usize,
    skipped_images: usize,
    rewriter: Rewriter,
}

impl Renderer {
    fn block(&mut self, events: Vec<Event<'_>>, start: usize) {
        if self.find_title && self.rendered.title.is_none() && is_h1(&events) {
            self.rendered.title = Some(plain_text(&events));
            return;
        }
        let html = match raw_html(&events, self.open.is_some()) {
            Some(raw) => {
                let html = self.rewriter.rewrite(&raw, true);
                self.open_elements += container_balance(&html);
                html
            }
            None => self.markdown(events),
        };
        match &mut self.open {
            Some((open, _)) => open.push_str(&html),
            None if self.open_elements > 0 => self.open = Some((html, start)),
            None => self.rendered.chunks.push(Chunk { html, start }),
        }
        if self.open_elements <= 0 {
            self.open_elements = 0;
            if let Some((html, start)) = self.open.take() {
                self.rendered.chunks.push(Chunk { html, start });
            }
        }
    }

    fn markdown(&mut self, mut events: Vec<Event<'_>>) -> String {
        let mut html = String::new();
        drop_unmatched_strong(&mut events);
        let events: Vec<Event<'_>> = events.into_iter().filter_map(|event| self.map(event)).collect();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    fn map<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>> {
        match event {
            Event::FootnoteReference(label) => Some(Event::InlineHtml(self.footnote_reference(&label).into())),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (number, slug, _) = self.footnote(&label);
                Some(Event::Html(format!("<div id=\"fn-{slug}\"><sup>{number}</sup>\n").into()))
            }
            Event::End(TagEnd::FootnoteDefinition) => Some(Event::Html("</div>\n".into())),
            Event::Html(html) => Some(Event::Html(self.rewriter.rewrite(&html, false).into())),
            Event::InlineHtml(html) => Some(Event::InlineHtml(self.rewriter.rewrite(&html, false).into())),
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.trim().is_empty() => {
                self.skipped_links += 1;
                None
            }
            Event::End(TagEnd::Link) if self.skipped_links > 0 => {
                self.skipped_links -= 1;
                None
            }
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.trim().is_empty() => {
                self.skipped_images += 1;
                None
            }
            Event::End(TagEnd::Image) if self.skipped_images > 0 => {
                self.skipped_images -= 1;
                None
            }
            other => Some(other),
        }
    }

    /// The footnote's number, its id-safe name, and whether it was met before.
    fn footnote(&mut self, label: &str) -> (usize, String, bool) {
        let slug: String = label.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
        match self.footnotes.iter().position(|known| known == label) {
            Some(index) => (index + 1, slug, true),
            None => {
                self.footnotes.push(label.to_owned());
                (self.footnotes.len(), slug, false)
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) -> String {
        let (number, slug, seen) = self.footnote(label);
        let id = if seen { String::new() } else { format!(" id=\"fnref-{slug}\"") };
        format!("<sup><a href=\"#fn-{slug}\"{id}>{number}</a></sup>")
    }
}

/// Removes `**` (or `__`) that emphasised nothing: an export that broke
/// a line inside bold text (`**Futuro sostenible  \n**`) leaves markers
/// that can no longer pair, and would show as literal asterisks. Markdown
/// gives such a failed run as `*` text events of their own; a `**`
/// written between spaces (`2 ** 3`) is part of a longer text and stays.
fn drop_unmatched_strong(events: &mut Vec<Event<'_>>) {
    let marker = |event: &Event<'_>| match event {
        Event::Text(text) if !text.is_empty() && (text.chars().all(|c| c == '*') || text.chars().all(|c| c == '_')) => {
            text.chars().next()
        }
        _ => None,
    };
    let mut index = 0;
    while index < events.len() {
        let Some(first) = marker(&events[index]) else {
            index += 1;
            continue;
        };
        let run = events[index..].iter().take_while(|event| marker(event) == Some(first)).count();
        let length: usize =
            events[index..index + run].iter().map(|event| if let Event::Text(t) = event { t.len() } else { 0 }).sum();
        if length >= 2 {
            events.drain(index..index + run);
        } else {
            index += run;
        }
    }
}

/// The raw HTML of a top-level HTML block, or of an indented code block
/// inside an element that is still open (a `<td>` indented under a
/// `<table>` after a blank line is markup, not code).
fn raw_html(events: &[Event<'_>], inside_element: bool) -> Option<String> {
    let indented_code = matches!(events.first(), Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))));
    let html_block = matches!(events.first(), Some(Event::Start(Tag::HtmlBlock)));
    if !(html_block || inside_element && indented_code) {
        return None;
    }
    let mut raw = String::new();
    for event in events {
        if let Event::Html(text) | Event::Text(text) = event {
            raw.push_str(text);
        }
    }
    Some(raw)
}

fn is_h1(block: &[Event<'_>]) -> bool {
    matches!(block.first(), Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })))
}

/// The words of a block without markup, for a title taken from a heading.
pub(super) fn plain_text(block: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in block {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(words),
            Event::SoftBreak | Event::HardBreak if !text.ends_with(' ') && !text.is_empty() => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> Vec<String> {
        render(text, false).chunks.into_iter().map(|chunk| chunk.html).collect()
    }

    #[test]
    fn an_element_spanning_blank_lines_is_one_chunk() {
        let chunks = html("<table>\n  <tr>\n\n    <td>Cell text</td>\n  </tr>\n</table>\n\nAfter.\n");
        assert_eq!(chunks.len(), 2, "{chunks:?}");
        assert!(chunks[0].contains("<td>Cell text</td>") && !chunks[0].contains("<pre>"), "{chunks:?}");
        assert_eq!(chunks[1], "<p>After.</p>\n");
    }

    #[test]
    fn footnotes_are_numbered_across_blocks() {
        let chunks = html("A[^a].\n\nB[^b] and A again[^a].\n\n[^a]: First.\n\n[^b]: Second.\n");
        assert!(chunks[0].contains("href=\"#fn-a\" id=\"fnref-a\">1<"), "{chunks:?}");
        assert!(chunks[1].contains(">2<") && chunks[1].contains("href=\"#fn-a\">1<"), "{chunks:?}");
        assert!(chunks[2].starts_with("<div id=\"fn-a\"><sup>1</sup>"), "{chunks:?}");
    }

    #[test]
    fn strong_markers_that_pair_with_nothing_are_dropped() {
        assert_eq!(html("*   **Futuro sostenible  \n    **\n"), ["<ul>\n<li>Futuro sostenible<br />\n</li>\n</ul>\n"]);
        assert_eq!(html("2 ** 3 is **eight**"), ["<p>2 ** 3 is <strong>eight</strong></p>\n"]);
    }

    #[test]
    fn links_without_an_address_keep_their_text() {
        assert_eq!(html("[Read more]() and ![alt]()"), ["<p>Read more and alt</p>\n"]);
    }

    #[test]
    fn definition_lists_tables_and_strikethrough_render() {
        let chunks = html("Term\n: Definition\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n");
        assert!(chunks[0].contains("<dl>") && chunks[0].contains("<dd>"), "{chunks:?}");
        assert!(chunks[1].contains("<table>"), "{chunks:?}");
        assert!(chunks[2].contains("<del>gone</del>"), "{chunks:?}");
    }
}
