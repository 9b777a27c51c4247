//! Inline markup of Go `present` text: `[[url][text]]` and `[[url]]` links,
//! and `_italic_`, `*bold*` and `` `code` `` words.
//!
//! Follows present's own rules (`golang.org/x/tools/present/style.go`), so
//! text reads as the Go blog showed it: a marker styles one
//! space-separated word, opening at its start (or after punctuation) and
//! closing at its end (or before punctuation); inside the word a single
//! marker is a space (`_a_b_` is *a b*) and a doubled one is the character
//! itself. Anything else, like `*http.Request`, stays as written.

use html_escape::{encode_double_quoted_attribute, encode_text};

/// Inline text rendered to (unsanitised) HTML, and as plain text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Inline {
    pub html: String,
    pub text: String,
}

/// Renders one block's inline markup.
pub(crate) fn render(source: &str) -> Inline {
    let mut inline = Inline::default();
    let mut rest = source;
    while let Some(start) = rest.find("[[") {
        let Some((url, label, length)) = link_at(&rest[start..]) else {
            words(&rest[..start + 2], &mut inline);
            rest = &rest[start + 2..];
            continue;
        };
        words(&rest[..start], &mut inline);
        let shown = if label.is_empty() { bare(url) } else { label };
        let styled = {
            let mut label_inline = Inline::default();
            words(shown, &mut label_inline);
            label_inline
        };
        inline.html.push_str(&format!("<a href=\"{}\">{}</a>", encode_double_quoted_attribute(url), styled.html));
        inline.text.push_str(&styled.text);
        rest = &rest[start + length..];
    }
    words(rest, &mut inline);
    inline
}

/// `[[url][label]]` or `[[url]]` at the start of `text`: the URL, the label
/// (empty without one) and the link's length in bytes.
fn link_at(text: &str) -> Option<(&str, &str, usize)> {
    let inner_end = text.find("]]")?;
    let inner = &text[2..inner_end];
    let (url, label) = match inner.split_once("][") {
        Some((url, label)) => (url, label),
        None => (inner, ""),
    };
    let url = url.trim();
    (!url.is_empty() && !url.contains(char::is_whitespace)).then_some((url, label.trim(), inner_end + 2))
}

/// A URL as link text: without its scheme (present shows it so).
fn bare(url: &str) -> &str {
    ["https://", "http://", "mailto:"].iter().find_map(|scheme| url.strip_prefix(scheme)).unwrap_or(url)
}

/// Appends text outside links, styling word by word.
fn words(text: &str, inline: &mut Inline) {
    let mut start = 0;
    for (index, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if !c.is_whitespace() {
            continue;
        }
        if start < index {
            word(&text[start..index], inline);
        }
        if index < text.len() {
            inline.html.push(c);
            inline.text.push(c);
        }
        start = index + c.len_utf8();
    }
}

/// One word, styled when its markers are where present wants them.
fn word(word: &str, inline: &mut Inline) {
    let Some((open, marker, body, close)) = styled(word) else {
        inline.html.push_str(&encode_text(word));
        inline.text.push_str(word);
        return;
    };
    let (tag_open, tag_close) = match marker {
        '_' => ("<i>", "</i>"),
        '*' => ("<b>", "</b>"),
        _ => ("<code>", "</code>"),
    };
    let inner = unmark(body, marker);
    inline.html.push_str(&format!(
        "{}{tag_open}{}{tag_close}{}",
        encode_text(open),
        encode_text(&inner),
        encode_text(close)
    ));
    inline.text.push_str(&format!("{open}{inner}{close}"));
}

/// Splits a styled word into leading punctuation, marker, inside and
/// trailing punctuation; `None` when the word is not styled.
fn styled(word: &str) -> Option<(&str, char, &str, &str)> {
    let first = word.find(['_', '*', '`'])?;
    if word[..first].chars().next_back().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let marker = word[first..].chars().next()?;
    let last = word.rfind(marker)?;
    if last == first {
        return None;
    }
    let close = &word[last + 1..];
    if close.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((&word[..first], marker, &word[first + 1..last], close))
}

/// Inside a styled word, a single marker is a space and a doubled one the
/// marker itself.
fn unmark(body: &str, marker: char) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != marker {
            out.push(c);
        } else if chars.peek() == Some(&marker) {
            chars.next();
            out.push(marker);
        } else {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(source: &str) -> String {
        render(source).html
    }

    #[test]
    fn links_with_and_without_text() {
        assert_eq!(html("see [[https://go.dev/][the site]]."), "see <a href=\"https://go.dev/\">the site</a>.");
        assert_eq!(html("[[http://golang.org]]"), "<a href=\"http://golang.org\">golang.org</a>");
        assert_eq!(render("\"[[https://x.org/a?b=1&c=2][golang]]\" over").text, "\"golang\" over");
        assert!(html("[[https://x.org/?a&b][x]]").contains("href=\"https://x.org/?a&amp;b\""));
    }

    #[test]
    fn link_text_keeps_its_own_markup() {
        assert_eq!(
            html("[[https://godoc.org/x][`x/shiny`]]"),
            "<a href=\"https://godoc.org/x\"><code>x/shiny</code></a>"
        );
    }

    #[test]
    fn words_are_styled_by_presents_rules() {
        assert_eq!(html("an _italic_ word"), "an <i>italic</i> word");
        assert_eq!(html("(*bold*),"), "(<b>bold</b>),");
        assert_eq!(html("the `fmt` package"), "the <code>fmt</code> package");
        assert_eq!(html("_two_words_"), "<i>two words</i>");
        assert_eq!(html("_a__b_"), "<i>a_b</i>");
        assert_eq!(html("`a_b`"), "<code>a_b</code>", "only the word's own marker is special");
        assert_eq!(render("_a__b_ and `x`").text, "a_b and x");
    }

    #[test]
    fn markers_in_the_middle_of_words_stay_literal() {
        assert_eq!(html("r *http.Request)"), "r *http.Request)");
        assert_eq!(html("snake_case_name"), "snake_case_name");
        assert_eq!(html("2*3*4 x"), "2*3*4 x");
    }

    #[test]
    fn html_in_text_is_escaped_and_unclosed_links_are_text() {
        assert_eq!(html("<script>a & b"), "&lt;script&gt;a &amp; b");
        assert_eq!(html("[[no end"), "[[no end");
        assert_eq!(html("[[has space][x]] y"), "[[has space][x]] y");
    }
}
