//! The text between the tags of raw HTML, as Markdown: what a `<div>` of
//! Markdown (kramdown's `markdown="1"`, WordPress exports) needs, and the
//! repair of entities a scraper escaped twice.

use std::borrow::Cow;

use pulldown_cmark::Parser;

use super::render::OPTIONS;

/// Entities escaped twice by a scraper (`Baker&amp;#x27;s`), which would
/// show as `&#x27;`, escaped once: an `&amp;` right before `#x27;`, `#39;`
/// or a named entity (`apos;`, `quot;`) was never meant as an ampersand.
pub(super) fn undouble_entities(text: &str) -> Cow<'_, str> {
    if !text.contains("&amp;") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("&amp;") {
        let after = &rest[index + "&amp;".len()..];
        let entity_len = after.find(';').filter(|&end| end <= 10).map_or(0, |end| end + 1);
        let entity = &after[..entity_len];
        let numeric = entity.strip_prefix('#').is_some_and(|n| {
            n.len() > 1 && n[..n.len() - 1].trim_start_matches(['x', 'X']).chars().all(|c| c.is_ascii_hexdigit())
        });
        let named = matches!(
            entity,
            "apos;"
                | "quot;"
                | "amp;"
                | "lt;"
                | "gt;"
                | "nbsp;"
                | "mdash;"
                | "ndash;"
                | "rsquo;"
                | "lsquo;"
                | "rdquo;"
                | "ldquo;"
                | "hellip;"
        );
        out.push_str(&rest[..index]);
        out.push_str(if numeric || named { "&" } else { "&amp;" });
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether a text between tags has anything Markdown would change.
pub(super) fn has_markdown(text: &str) -> bool {
    text.contains(['*', '_', '[', '`', '~', '!', '#', '\\']) || text.contains("\n\n")
}

/// The Markdown of a text between tags: blocks when it holds a blank line
/// (a `<div>` of paragraphs), one line of inline Markdown otherwise.
pub(super) fn inline(text: &str) -> String {
    let leading = &text[..text.len() - text.trim_start().len()];
    let trailing = &text[text.trim_end().len()..];
    let lines: Vec<&str> = text.trim().lines().map(str::trim).collect();
    let mut html = String::new();
    if lines.iter().any(|line| line.is_empty()) {
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&lines.join("\n"), OPTIONS));
        return format!("{leading}{html}{trailing}");
    }
    let escaped: Vec<String> = lines.iter().map(|line| escape_block_start(line)).collect();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&escaped.join("\n"), OPTIONS));
    let unwrapped = html.trim_end().strip_prefix("<p>").and_then(|html| html.strip_suffix("</p>")).unwrap_or(&html);
    format!("{leading}{unwrapped}{trailing}")
}

/// A line with a backslash before anything that would start a block
/// (`# `, `> `, `- `, `1. `, `---`, `|`), so it stays inline text.
fn escape_block_start(line: &str) -> String {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && line[digits..].starts_with(['.', ')']);
    if ordered {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    let Some(first) = line.chars().next() else {
        return String::new();
    };
    let after = &line[first.len_utf8()..];
    let all_same = line.chars().all(|c| c == first || c == ' ');
    let starts_block = match first {
        '#' => line.trim_start_matches('#').is_empty() || line.trim_start_matches('#').starts_with([' ', '\t']),
        '-' | '+' | '*' | ':' => after.is_empty() || after.starts_with([' ', '\t']) || all_same,
        '>' | '|' => true,
        '=' => all_same,
        '~' | '`' => line.starts_with("~~~") || (line.starts_with("```") && !line[3..].contains('`')),
        _ => false,
    };
    if starts_block { format!("\\{line}") } else { line.to_owned() }
}
