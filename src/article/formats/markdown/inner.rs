//! Raw HTML inside Markdown, made ready for the sanitiser.
//!
//! - Markdown in the text between tags renders (kramdown's `markdown="1"`,
//!   and what WordPress exports expect): `<div>Read [this](url)</div>`.
//!   Text without a blank line is read as one line of inline Markdown, so
//!   a `<td>1. Apples</td>` stays a cell, not a list.
//! - Obsolete elements become their modern equivalents (`<center>` a
//!   `<div>`, `<strike>` an `<s>`, `<tt>` a `<code>`), which the sanitiser
//!   would otherwise keep and the Nu HTML checker rejects.
//! - An `<iframe>` (a video, a map, a post) becomes a link to what it
//!   showed, since Broadsheet serves no frames: dropped, it would vanish.
//!
//! Code (`<pre>`, `<code>`) and `<script>`/`<style>` content are left as
//! they are; the sanitiser removes the latter with their content.

use super::html::{Tag, Token, attribute, tokens};
use super::runs::{has_markdown, inline, undouble_entities};

/// Elements whose content may span blank lines in a post's raw HTML.
const CONTAINERS: &[&str] = &[
    "div",
    "table",
    "figure",
    "blockquote",
    "section",
    "article",
    "aside",
    "ul",
    "ol",
    "dl",
    "details",
    "header",
    "footer",
    "nav",
    "main",
    "form",
    "fieldset",
];

/// Rewrites raw HTML block by block, remembering an element the page hid
/// (which may span blank lines, so several blocks).
#[derive(Debug, Default)]
pub(super) struct Rewriter {
    /// The hidden element being skipped, and how deep inside it we are.
    hidden: Option<(String, usize)>,
}

impl Rewriter {
    /// `raw` with tags fixed up and, with `markdown`, the Markdown in its
    /// text rendered. What the page itself hid is left out: elements with
    /// `hidden`, `display: none` or `visibility: hidden`, and the classes
    /// sites hide with (`ir`, HTML5 Boilerplate's image-replacement labels
    /// such as a gallery's "view fullscreen"; a `lightbox` or `modal`
    /// overlay shown only on a click). A reader of the page never saw them.
    pub fn rewrite(&mut self, raw: &str, markdown: bool) -> String {
        let mut html = String::with_capacity(raw.len() + raw.len() / 8);
        let mut literal_depth = 0usize;
        for token in tokens(raw) {
            if self.skips(token) {
                continue;
            }
            match token {
                Token::Tag(tag) => {
                    if tag.is("pre") || tag.is("code") {
                        literal_depth = if tag.closing { literal_depth.saturating_sub(1) } else { literal_depth + 1 };
                    }
                    push_tag(&mut html, tag);
                }
                Token::Text(text) if literal_depth > 0 => html.push_str(text),
                Token::Text(text) => {
                    let text = undouble_entities(text);
                    if markdown && has_markdown(&text) { html.push_str(&inline(&text)) } else { html.push_str(&text) }
                }
                Token::Raw(text) | Token::Comment(text) => html.push_str(text),
            }
        }
        html
    }

    /// Whether `token` is inside (or starts) an element the page hid.
    fn skips(&mut self, token: Token<'_>) -> bool {
        let Token::Tag(tag) = token else {
            return self.hidden.is_some();
        };
        if let Some((name, depth)) = &mut self.hidden {
            if tag.is(name) && !tag.is_void() {
                *depth = if tag.closing { *depth - 1 } else { *depth + 1 };
            }
            if *depth == 0 {
                self.hidden = None;
            }
            return true;
        }
        if tag.closing || tag.is_void() || !is_hidden(&tag) {
            return false;
        }
        self.hidden = Some((tag.name().to_ascii_lowercase(), 1));
        true
    }
}

fn is_hidden(tag: &Tag<'_>) -> bool {
    const HIDING_CLASSES: &[&str] = &["ir", "hidden", "hide", "lightbox", "modal"];
    let attributes = tag.attributes();
    let style: String = attribute(&attributes, "style").unwrap_or("").split_whitespace().collect();
    let style = style.to_ascii_lowercase();
    let class = attribute(&attributes, "class").unwrap_or("");
    attribute(&attributes, "hidden").is_some()
        || style.contains("display:none")
        || style.contains("visibility:hidden")
        || class.split_whitespace().any(|token| HIDING_CLASSES.iter().any(|hiding| token.eq_ignore_ascii_case(hiding)))
}

/// How many container elements `html` opens minus how many it closes.
pub(super) fn container_balance(html: &str) -> i64 {
    let mut balance = 0;
    for token in tokens(html) {
        if let Token::Tag(tag) = token
            && CONTAINERS.iter().any(|name| tag.is(name))
            && !tag.is_void()
        {
            balance += if tag.closing { -1 } else { 1 };
        }
    }
    balance
}

fn push_tag(html: &mut String, tag: Tag<'_>) {
    const RENAMED: &[(&str, &str)] =
        &[("center", "div"), ("strike", "s"), ("tt", "code"), ("acronym", "abbr"), ("big", "span")];
    if tag.is("iframe") {
        if !tag.closing {
            html.push_str(&iframe_link(&tag));
        }
        return;
    }
    let Some((_, modern)) = RENAMED.iter().find(|(old, _)| tag.is(old)) else {
        html.push_str(tag.raw);
        return;
    };
    let rest = &tag.raw[if tag.closing { 2 } else { 1 } + tag.name().len()..];
    html.push_str(if tag.closing { "</" } else { "<" });
    html.push_str(modern);
    html.push_str(rest);
}

/// An embedded frame as a link to its address, named by its title or host.
fn iframe_link(tag: &Tag<'_>) -> String {
    let attributes = tag.attributes();
    let web = |src: &&str| src.starts_with("https://") || src.starts_with("http://") || src.starts_with("//");
    let Some(src) = attribute(&attributes, "src").map(str::trim).filter(web) else {
        return String::new();
    };
    let href = if src.starts_with("//") { format!("https:{src}") } else { src.to_owned() };
    let host = href.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or(&href);
    let label = attribute(&attributes, "title").filter(|title| !title.trim().is_empty());
    let label = label.map_or_else(|| format!("Embedded content from {host}"), str::to_owned);
    format!(
        "<a href=\"{}\">{}</a>",
        html_escape::encode_double_quoted_attribute(&href),
        html_escape::encode_text(&label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(raw: &str, markdown: bool) -> String {
        Rewriter::default().rewrite(raw, markdown)
    }

    #[test]
    fn markdown_between_tags_renders_inline() {
        let raw = "<div class=\"pquote\">\n  “Prior to [Code for America](https://cfa.org), I *designed*.”\n</div>\n";
        assert_eq!(
            rewrite(raw, true),
            "<div class=\"pquote\">\n  “Prior to <a href=\"https://cfa.org\">Code for America</a>, I <em>designed</em>.”\n</div>\n"
        );
        let image = "<div aria-hidden=\"true\" markdown=\"1\">\n![Chart](a.svg)\n</div>";
        assert!(rewrite(image, true).contains("<img src=\"a.svg\" alt=\"Chart\""));
    }

    #[test]
    fn cells_and_code_keep_their_text() {
        assert_eq!(rewrite("<td>1. Apples</td><td># 3</td>", true), "<td>1. Apples</td><td># 3</td>");
        assert_eq!(rewrite("<pre>a *b* c</pre>", true), "<pre>a *b* c</pre>");
        assert_eq!(
            rewrite("<p>\n*Said* the mayor\n- and more\n</p>", true),
            "<p>\n<em>Said</em> the mayor\n- and more\n</p>"
        );
        assert_eq!(rewrite("<p>a *b*</p>", false), "<p>a *b*</p>");
    }

    #[test]
    fn obsolete_elements_are_modernised_and_frames_become_links() {
        assert_eq!(rewrite("<center><strike>x</strike></center>", false), "<div><s>x</s></div>");
        assert_eq!(
            rewrite("<center><iframe src=\"//instagram.com/p/x/embed/\" width=\"612\"></iframe></center>", false),
            "<div><a href=\"https://instagram.com/p/x/embed/\">Embedded content from instagram.com</a></div>"
        );
    }

    #[test]
    fn entities_escaped_twice_are_escaped_once() {
        assert_eq!(
            rewrite("<a>Baker&amp;#x27;s &amp;apos;x&amp;apos; AT&amp;T &amp;#39;</a>", true),
            "<a>Baker's 'x' AT&amp;T '</a>"
        );
    }

    #[test]
    fn what_the_page_hid_is_left_out() {
        let raw = "<div class=\"lightbox\">\n<div>continue</div><span class=\"ir btn\">close</span></div><p hidden>h</p><span style=\"display: none\">n</span>Shown<iframe src=\"about:blank\"></iframe>";
        assert_eq!(rewrite(raw, true), "Shown");
        let mut rewriter = Rewriter::default();
        assert_eq!(rewriter.rewrite("<div class=\"modal\"><p>a</p>", true), "");
        assert_eq!(rewriter.rewrite("<p>b</p></div><p>c</p>", true), "<p>c</p>");
    }

    #[test]
    fn containers_are_counted() {
        assert_eq!(container_balance("<div><table><tr><td>"), 2);
        assert_eq!(container_balance("</td></tr></table></div><p>x</p>"), -2);
        assert_eq!(container_balance("<div/>"), 0);
    }
}
