//! Pelican's metadata lines: a Markdown file may start with `Title: …`,
//! `Date: …`, `Category: …` lines and a blank line instead of `---` front
//! matter (Python-Markdown's "meta" extension, as Pelican reads it).
//!
//! A body may also open with a line such as `Note: this post is old.`, so
//! the block only counts as metadata when every line of it reads as a
//! `Key: value` line (or an indented continuation), and it names a title,
//! or has at least two keys Broadsheet knows.

use crate::article::draft::Field;

/// The metadata pairs at the top of `body` and the body after them, or
/// `None` when the file does not start with Pelican metadata.
pub(super) fn split(body: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end();
        offset += line.len();
        if content.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t'])
            && let Some((_, value)) = pairs.last_mut()
        {
            value.push(' ');
            value.push_str(content.trim());
            continue;
        }
        let (key, value) = content.split_once(':')?;
        if !is_key(key) {
            return None;
        }
        pairs.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    let known = pairs.iter().filter(|(key, _)| Field::from_key(key).is_some()).count();
    let titled = pairs.iter().any(|(key, _)| key.eq_ignore_ascii_case("title"));
    (titled || known >= 2).then(|| (pairs, &body[offset.min(body.len())..]))
}

/// `Title`, `Date`, `Modified`, `Publish date`: a short label, not words
/// of a sentence and not a URL scheme (`https:`).
fn is_key(key: &str) -> bool {
    let starts_with_letter = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let label = key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '));
    starts_with_letter && label && key.len() <= 30 && key.split(' ').count() <= 2 && !key.ends_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_metadata_lines_of_this_week_in_rust() {
        let text =
            "Title: This Week in Rust 657\nNumber: 657\nDate: 2026-06-24\nCategory: This Week in Rust\n\nHello.\n";
        let (pairs, body) = split(text).expect("metadata");
        assert_eq!(pairs[0], ("Title".to_owned(), "This Week in Rust 657".to_owned()));
        assert_eq!(pairs.len(), 4);
        assert_eq!(body, "Hello.\n");
    }

    #[test]
    fn continuation_lines_join_the_value_before() {
        let (pairs, _) = split("Title: A long\n    title\nDate: 2020-01-01\n\nBody").expect("metadata");
        assert_eq!(pairs[0].1, "A long title");
    }

    #[test]
    fn a_body_opening_with_a_label_is_not_metadata() {
        assert!(split("Note: this post is old.\n\nBody.\n").is_none());
        assert!(split("Update: fixed.\nThe rest of the paragraph.\n").is_none());
        assert!(split("# Heading\n\nBody.\n").is_none());
        assert!(split("See https://example.org: it moved\n").is_none());
    }
}
