//! WordPress shortcodes, as WordPress-to-Markdown exports leave them:
//! `[caption …]<img …/> text[/caption]`, `[embed]URL[/embed]`,
//! `[gallery ids="1,2"]`, `[code lang="x"]…[/code]`.
//!
//! Square brackets are also Markdown's link syntax, so a `[word]` is only
//! a shortcode when it has attributes, is closed by `[/word]`, or is one of
//! the shortcodes WordPress ships; and never when a `(`, `[` or `:` follows
//! it (`[text](url)`, `[text][ref]`, `[ref]: url`).

use super::embeds;
use super::expand::{Expander, Handled, Kind, at_most, code_block};
use super::html::{Token, attribute, attributes, tokens};

/// Shortcodes of WordPress itself and its common plugins.
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
    "youtube",
    "vimeo",
    "soundcloud",
    "tweet",
    "twitter",
    "instagram",
    "googlemaps",
    "code",
    "sourcecode",
    "contact-form",
    "contact-form-7",
    "archives",
    "latex",
];

/// The longest stretch a paired shortcode may wrap.
const MAX_WRAPPED_BYTES: usize = 20_000;

/// A shortcode at `start` (a `[`).
pub(super) fn shortcode(expander: &mut Expander<'_>, text: &str, start: usize, out: &mut String) -> Handled {
    let rest = &text[start + 1..];
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))).unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) || !rest[name_len..].starts_with([' ', '=', ']']) {
        return None;
    }
    let close = at_most(rest, 2000).find([']', '\n'])?;
    if !rest[close..].starts_with(']') {
        return None;
    }
    let after = start + 1 + close + 1;
    if text[after..].starts_with(['(', '[', ':']) {
        return None;
    }
    let arguments = &rest[name_len..close];
    let named = attributes(arguments.trim_start_matches('='));
    let closing_tag = format!("[/{name}]");
    let window = at_most(&text[after..], MAX_WRAPPED_BYTES);
    let wrapped = expander.find_end(&closing_tag, || window.find(&closing_tag));
    let wrapped = wrapped.map(|length| (&text[after..after + length], after + length + closing_tag.len()));
    if wrapped.is_none() && !arguments.contains('=') && !KNOWN.contains(&name) {
        return None;
    }
    let (content, end) = wrapped.unwrap_or(("", after));
    // What a shortcode wraps is not the code it may have looked like.
    expander.swallowed(content);
    match name {
        "caption" | "wp_caption" if wrapped.is_some() => {
            let content = expander.expand_fragment(content);
            out.push_str(&figure(&content, attribute(&named, "caption")));
        }
        "code" | "sourcecode" if wrapped.is_some() => {
            let language = attribute(&named, "language").or_else(|| attribute(&named, "lang")).unwrap_or("");
            code_block(out, language, content);
        }
        _ => {
            let url = arguments.trim_start_matches('=').trim();
            let positional: Vec<&str> = [content.trim(), url].into_iter().filter(|arg| embeds::is_url(arg)).collect();
            match embeds::link(name, &positional, &named) {
                Some(link) => out.push_str(&link),
                None => {
                    expander.notes.removed(format!("WordPress shortcode `[{name}]`"));
                    let content = expander.expand_fragment(content);
                    out.push_str(&content);
                }
            }
        }
    }
    Some((end, Kind::Inline))
}

/// The picture (an `<img>`, perhaps in a link) and the caption text after
/// it, as a `<figure>` with a `<figcaption>`.
fn figure(content: &str, caption_attribute: Option<&str>) -> String {
    let mut media = String::new();
    let mut caption = String::new();
    for token in tokens(content) {
        let in_media = caption.trim().is_empty();
        match token {
            Token::Tag(tag) if in_media && (tag.is("a") || tag.is("img")) => media.push_str(tag.raw),
            Token::Text(text) if in_media && text.trim().is_empty() => media.push_str(text),
            Token::Text(text) | Token::Raw(text) | Token::Comment(text) => caption.push_str(text),
            Token::Tag(tag) => caption.push_str(tag.raw),
        }
    }
    let caption = caption_attribute.map_or_else(|| caption.trim().to_owned(), str::to_owned);
    let caption = if caption.is_empty() { String::new() } else { format!("<figcaption>{caption}</figcaption>") };
    format!("<figure>{}{caption}</figure>", media.trim())
}

#[cfg(test)]
mod tests {
    use super::super::links::Links;
    use super::*;
    use crate::article::ArticleId;

    fn expand(text: &str) -> (String, Vec<String>) {
        let links = Links::new(&ArticleId::new("a"));
        let mut expander = Expander::new(&links, &[]);
        let expanded = expander.expand(text);
        (expanded, expander.notes.into_warnings().collect())
    }

    #[test]
    fn captions_become_figures() {
        let text = r#"[caption id="attachment_5" align="aligncenter" width="300"]<a href="/x"><img src="a.jpg" alt="A" /></a> The *mayor* speaks.[/caption]"#;
        assert_eq!(
            expand(text).0,
            r#"<figure><a href="/x"><img src="a.jpg" alt="A" /></a><figcaption>The *mayor* speaks.</figcaption></figure>"#
        );
        let old = r#"[caption caption="Old style"]<img src="b.jpg" />[/caption]"#;
        assert_eq!(expand(old).0, r#"<figure><img src="b.jpg" /><figcaption>Old style</figcaption></figure>"#);
    }

    #[test]
    fn other_shortcodes_are_removed_with_a_warning_and_keep_what_they_wrap() {
        let (expanded, warnings) = expand("Before\n[gallery ids=\"1,2\"]\nAfter [pullquote]Said.[/pullquote]");
        assert_eq!(expanded, "Before\nAfter Said.");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let (expanded, _) = expand("[embed]https://youtu.be/x[/embed] [youtube=https://youtu.be/y]");
        assert_eq!(
            expanded,
            "[https://youtu.be/x](<https://youtu.be/x>) [Watch the video on YouTube](<https://youtu.be/y>)"
        );
    }

    #[test]
    fn markdown_links_and_bracketed_words_are_not_shortcodes() {
        for text in ["[caption](http://x)", "[video][1]", "[code]: http://x", "a [note] here", "[x] done", "[^1]"] {
            assert_eq!(expand(text), (text.to_owned(), Vec::new()));
        }
    }
}
