//! kramdown's attribute lists and extensions, and WordPress's `more`
//! marker: markup for the site's styling or its list pages, never text.
//!
//! - `{: .class}`, `{:#id}`, `{:target="_blank"}`, `{:toc}` and
//!   `{::options … /}` are removed; `{:toc}` takes its placeholder list item
//!   (`* TOC`) with it, since Broadsheet draws no table of contents.
//! - `{::comment}…{:/comment}` is removed with what it wraps, as kramdown
//!   does; other extensions (`{::nomarkdown}`) lose only their markers.
//! - `<!--more-->` (any spacing, `<!--more Read on-->` too) ends the excerpt
//!   and is otherwise invisible.

use super::expand::{Expander, Handled, Kind};

/// An attribute list or extension tag at `start` (a `{:`).
pub(super) fn attribute_list(expander: &mut Expander<'_>, text: &str, start: usize, out: &mut String) -> Handled {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = start + text[start..line_end].find('}')? + 1;
    let inner = text[start + 2..end - 1].trim();
    if inner.starts_with(":comment") {
        let mut close =
            |marker: &str| expander.find_end(marker, || text[end..].find(marker).map(|i| end + i + marker.len()));
        let close = close("{:/comment}").or_else(|| close("{:/}"));
        return Some((close.unwrap_or(end), Kind::Inline));
    }
    if inner == "toc" || inner == ".toc" {
        return Some(table_of_contents(text, start, end, out));
    }
    Some((end, Kind::Inline))
}

/// `* TOC` on the line before `{:toc}` is the list kramdown replaces.
fn table_of_contents(text: &str, start: usize, end: usize, out: &mut String) -> (usize, Kind) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let alone = text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
    let Some(previous_start) =
        line_start.checked_sub(1).map(|newline| text[..newline].rfind('\n').map_or(0, |i| i + 1))
    else {
        return (end, Kind::Inline);
    };
    let previous = text[previous_start..line_start].trim();
    let placeholder = previous.starts_with(['*', '-', '+']) || previous.starts_with("1.");
    let copied = &text[previous_start..start];
    if alone && placeholder && out.ends_with(copied) {
        out.truncate(out.len() - copied.len());
        return ((line_end + 1).min(text.len()), Kind::Inline);
    }
    (end, Kind::Inline)
}

/// `<!--more-->` at `start`, if that is what the comment is.
pub(super) fn more_marker(text: &str, start: usize) -> Handled {
    let inner_start = start + "<!--".len();
    let close = text[inner_start..].find("-->")?;
    let inner = text[inner_start..inner_start + close].trim();
    let is_more =
        inner == "more" || inner.strip_prefix("more").is_some_and(|rest| rest.starts_with(char::is_whitespace));
    is_more.then_some((inner_start + close + "-->".len(), Kind::Break))
}

#[cfg(test)]
mod tests {
    use super::super::expand::Expander;
    use super::super::links::Links;
    use crate::article::ArticleId;

    fn expand(text: &str) -> (String, Option<usize>) {
        let links = Links::new(&ArticleId::new("a"));
        let mut expander = Expander::new(&links, &[]);
        (expander.expand(text), expander.more_at)
    }

    #[test]
    fn attribute_lists_are_removed() {
        assert_eq!(expand("Para\n{: .lead}\nNext\n").0, "Para\nNext\n");
        assert_eq!(expand("[x](y){:target=\"_blank\"} z").0, "[x](y) z");
        assert_eq!(expand("# Contents\n* TOC\n{:toc}\n\nBody").0, "# Contents\n\nBody");
        assert_eq!(expand("A {::comment}hidden{:/comment}B").0, "A B");
        assert_eq!(expand("`{: .kept}`").0, "`{: .kept}`");
    }

    #[test]
    fn the_more_marker_is_an_invisible_boundary() {
        assert_eq!(expand("Intro.\n<!--more-->\nRest."), ("Intro.\n\nRest.".to_owned(), Some(7)));
        assert_eq!(expand("Intro. <!-- more --> Rest.").0, "Intro.  Rest.");
        assert_eq!(expand("Intro.\n<!--more-->After on the line.\n").0, "Intro.\nAfter on the line.\n");
        assert_eq!(expand("<!-- a comment -->").0, "<!-- a comment -->");
    }
}
