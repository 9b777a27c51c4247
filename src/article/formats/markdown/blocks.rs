//! Rendered chunks to the article's paragraphs: sanitised, split into
//! top-level blocks, with their plain text taken from the sanitised HTML.
//!
//! Taking the text from what is shown (not from the Markdown events) is
//! what keeps page and search in step: text inside raw HTML is searchable,
//! and `<script>`/`<style>` content, removed from the page, is not.
//!
//! A body that is a whole HTML page wraps everything in `<div>`s; they
//! carry no meaning once their attributes are gone, so they are unwrapped
//! and each paragraph, list or table inside is a paragraph of its own.
//! Text directly inside a `<div>` becomes a paragraph, and two `<br>`s in
//! a row end one, as they did on the page.

use std::sync::LazyLock;

use super::fixups::{self, MAX_HTML_DEPTH};
use super::html::{Token, tokens};
use super::render::Chunk;

/// Elements that are a paragraph of the article on their own.
const BLOCKS: &[&str] = &[
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "details",
    "address",
    "hgroup",
    "main",
    "form",
    "fieldset",
];

/// Elements whose end separates words in the plain text.
const SEPARATING: &[&str] = &["br", "li", "td", "th", "tr", "dt", "dd", "figcaption", "caption", "div", "img"];

/// ammonia's defaults, plus the ids footnote links need. Built once: a
/// builder holds a dozen hash sets.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(["center", "strike", "tt", "acronym"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("a", ["id"])
        .attribute_filter(|_, attribute, value| {
            let footnote_id = value.starts_with("fn-") || value.starts_with("fnref-");
            (attribute != "id" || footnote_id).then_some(value.into())
        });
    builder
});

/// One paragraph of the body: sanitised HTML, its plain text, and where
/// its chunk started in the Markdown.
#[derive(Debug)]
pub(super) struct Block {
    pub html: String,
    pub text: String,
    pub start: usize,
}

/// Sanitises each chunk and splits it into paragraphs; a chunk nested too
/// deep is shown as text, with a warning.
pub(super) fn paragraphs(chunks: &[Chunk], warnings: &mut Vec<String>) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in chunks {
        if fixups::nesting_depth(&chunk.html) > MAX_HTML_DEPTH {
            warnings.push(format!("HTML nested over {MAX_HTML_DEPTH} elements deep: shown as text"));
            let text = html_escape::encode_text(&chunk.html).into_owned();
            let shown = chunk.html.split_whitespace().collect::<Vec<_>>().join(" ");
            blocks.push(Block { html: format!("<p>{text}</p>"), text: shown, start: chunk.start });
            continue;
        }
        let clean = SANITISER.clean(&chunk.html).to_string();
        blocks.extend(split(&clean).into_iter().map(|html| Block { html, text: String::new(), start: chunk.start }));
    }
    let mut htmls: Vec<String> = blocks.iter_mut().map(|block| std::mem::take(&mut block.html)).collect();
    super::headings::relevel(&mut htmls);
    for (block, html) in blocks.iter_mut().zip(htmls) {
        // The text is what a reader reads: an image's alt text is not part
        // of it, whether the picture is shown or linked. Images stay as
        // the file wrote them: the web layer resolves and sizes them.
        block.text = plain_text(&html);
        block.html = fixups::scrollable(&html);
    }
    blocks.retain(|block| !block.text.is_empty() || block.html.contains("<img") || block.html.contains("<hr"));
    blocks
}

/// The top-level blocks of sanitised HTML.
fn split(html: &str) -> Vec<String> {
    let mut splitter = Splitter::default();
    for token in tokens(html) {
        splitter.token(token);
    }
    splitter.flush();
    if !splitter.current.is_empty() {
        splitter.blocks.push(splitter.current);
    }
    splitter.blocks
}

#[derive(Default)]
struct Splitter {
    blocks: Vec<String>,
    /// The block element being copied, and how deep inside it we are.
    current: String,
    depth: usize,
    /// Inline content at the top level, and how many inline elements in it
    /// are open (a block inside an open `<a>` stays inside it).
    inline: String,
    inline_open: usize,
    unwrapped_divs: usize,
}

impl Splitter {
    fn token(&mut self, token: Token<'_>) {
        let raw = match token {
            Token::Tag(tag) if tag.is("img") => fixups::image(tag.raw),
            Token::Tag(tag) => tag.raw.to_owned(),
            Token::Text(text) | Token::Raw(text) | Token::Comment(text) => text.to_owned(),
        };
        let Token::Tag(tag) = token else {
            let target = if self.depth > 0 { &mut self.current } else { &mut self.inline };
            target.push_str(&raw);
            return;
        };
        if self.depth > 0 {
            self.current.push_str(&raw);
            if !tag.is_void() {
                self.depth = if tag.closing { self.depth - 1 } else { self.depth + 1 };
            }
            if self.depth == 0 {
                self.blocks.push(std::mem::take(&mut self.current));
            }
        } else if self.inline_open > 0 || !(is_bare_div(&tag) || BLOCKS.iter().any(|name| tag.is(name)) || tag.is("br"))
        {
            if !tag.is_void() {
                self.inline_open = if tag.closing { self.inline_open.saturating_sub(1) } else { self.inline_open + 1 };
            }
            self.inline.push_str(&raw);
        } else if is_bare_div(&tag) {
            self.flush();
            self.unwrapped_divs =
                if tag.closing { self.unwrapped_divs.saturating_sub(1) } else { self.unwrapped_divs + 1 };
        } else if tag.is("br") {
            if self.inline.trim_end().ends_with("<br>") {
                self.flush();
            } else {
                self.inline.push_str(&raw);
            }
        } else if !tag.closing {
            self.flush();
            if tag.is_void() {
                self.blocks.push(raw);
            } else {
                self.current.push_str(&raw);
                self.depth = 1;
            }
        }
    }

    /// Ends the inline paragraph being collected, if it has anything in it.
    fn flush(&mut self) {
        let mut content = self.inline.trim();
        while let Some(rest) = content.strip_prefix("<br>").or_else(|| content.strip_suffix("<br>")) {
            content = rest.trim();
        }
        if !content.is_empty() {
            self.blocks.push(format!("<p>{content}</p>"));
        }
        self.inline.clear();
        self.inline_open = 0;
    }
}

/// A `<div>` with nothing left on it but its content (a footnote keeps
/// its id, and is a paragraph of its own). A closing `</div>` at the top
/// level always ends an unwrapped one: sanitised HTML is well formed, and
/// a kept `<div>` is copied whole.
fn is_bare_div(tag: &super::html::Tag<'_>) -> bool {
    tag.is("div") && (tag.closing || tag.raw.eq_ignore_ascii_case("<div>"))
}

/// The words of sanitised HTML, entities decoded, white space collapsed.
pub(super) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    for token in tokens(html) {
        match token {
            Token::Text(words) => text.push_str(&html_escape::decode_html_entities(words)),
            Token::Tag(tag) if SEPARATING.iter().chain(BLOCKS).any(|name| tag.is(name)) => text.push(' '),
            Token::Tag(_) | Token::Raw(_) | Token::Comment(_) => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, String)> {
        paragraphs(&[Chunk { html: html.to_owned(), start: 0 }], &mut Vec::new())
            .into_iter()
            .map(|b| (b.html, b.text))
            .collect()
    }

    #[test]
    fn wrapping_divs_are_unwrapped_into_paragraphs() {
        let found = blocks(
            "<div style=\"x\">\n<p>One &apos;a&apos;</p>\n<div>Loose text<br><br>More</div><ul><li>i</li></ul></div>",
        );
        let texts: Vec<&str> = found.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(texts, ["One 'a'", "Loose text", "More", "i"]);
        assert_eq!(found[0].0, "<p>One 'a'</p>");
    }

    #[test]
    fn script_and_style_never_become_text() {
        let found = blocks("<style>#x { color: red }</style><p>Shown</p><script>var photo = 1;</script>");
        assert_eq!(found, [("<p>Shown</p>".to_owned(), "Shown".to_owned())]);
    }

    #[test]
    fn malformed_tables_keep_their_cell_text() {
        let found = blocks("<table><tr><td>Cell one<td>Cell two</tr>stray text<tr><th>Head</table><p>After</p>");
        let all: String = found.iter().map(|(_, text)| text.as_str()).collect::<Vec<_>>().join(" ");
        for words in ["Cell one", "Cell two", "stray text", "Head", "After"] {
            assert!(all.contains(words), "{words}: {found:?}");
        }
    }

    #[test]
    fn tables_and_code_scroll_inside_themselves() {
        let found = blocks("<table><tr><td>a</td></tr></table><pre><code>x</code></pre>");
        assert_eq!(
            found[0].0,
            "<div class=\"table-scroll\" tabindex=\"0\"><table><tbody><tr><td>a</td></tr></tbody></table></div>"
        );
        assert_eq!(found[1].0, "<pre tabindex=\"0\"><code>x</code></pre>");
    }

    #[test]
    fn images_get_an_alt_and_lose_no_src() {
        let found = blocks("<p><img src=\"a.jpg\"> <img id=\"galleryImg\"> x</p>");
        assert_eq!(found[0].0, "<p><img alt=\"\" src=\"a.jpg\">  x</p>");
    }
}
