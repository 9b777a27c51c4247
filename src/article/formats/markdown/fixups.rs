//! Sanitised HTML made fit for the page: images valid, wide code and
//! tables scrolling inside themselves, and a depth limit that keeps a
//! hostile file from stalling the sanitiser.

use super::html::{Token, attribute, attributes, tokens};

/// The deepest raw HTML nesting sanitised as HTML. html5ever takes time
/// that grows with the square of the depth (32,000 nested `<pre>`: half a
/// minute), which would stall every load, and no article nests this deep.
pub(super) const MAX_HTML_DEPTH: usize = 512;

/// How deep `html`'s elements nest at most, not counting those whose end
/// tag may be left out (`<p>`, `<li>`, `<td>`: sloppy but flat).
pub(super) fn nesting_depth(html: &str) -> usize {
    const OPTIONAL_END: &[&str] =
        &["p", "li", "td", "th", "tr", "dt", "dd", "option", "tbody", "thead", "tfoot", "colgroup", "rp", "rt"];
    let (mut depth, mut deepest) = (0usize, 0usize);
    for token in tokens(html) {
        if let Token::Tag(tag) = token
            && !tag.is_void()
            && !OPTIONAL_END.iter().any(|name| tag.is(name))
        {
            depth = if tag.closing { depth.saturating_sub(1) } else { depth + 1 };
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// An image without an address is dropped; one without a description gets
/// an empty one (the file gives none), which HTML requires.
pub(super) fn image(raw: &str) -> String {
    let attributes = attributes(raw.trim_start_matches("<img").trim_end_matches('>').trim_end_matches('/'));
    if attribute(&attributes, "src").is_none_or(|src| src.trim().is_empty()) {
        return String::new();
    }
    if attribute(&attributes, "alt").is_some() {
        return raw.to_owned();
    }
    format!("<img alt=\"\"{}", raw.get("<img".len()..).unwrap_or(">"))
}

/// Code blocks and tables wider than a phone scroll inside themselves,
/// not the page (see `.table-scroll` in `static/style.css`); a scrolling
/// box must be reachable by keyboard, hence its `tabindex`.
pub(super) fn scrollable(html: &str) -> String {
    if !html.contains("<pre") && !html.contains("<table") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 64);
    for token in tokens(html) {
        match token {
            Token::Tag(tag) if tag.is("pre") && !tag.closing => out.push_str("<pre tabindex=\"0\">"),
            Token::Tag(tag) if tag.is("table") && !tag.closing => {
                out.push_str("<div class=\"table-scroll\" tabindex=\"0\">");
                out.push_str(tag.raw);
            }
            Token::Tag(tag) if tag.is("table") => {
                out.push_str(tag.raw);
                out.push_str("</div>");
            }
            Token::Tag(tag) => out.push_str(tag.raw),
            Token::Text(text) | Token::Raw(text) | Token::Comment(text) => out.push_str(text),
        }
    }
    out
}
