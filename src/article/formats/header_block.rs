//! The header-block layout: leading `Key: value` lines, a blank line, then
//! the body. Usenet posts look like this, and so do hand-written files:
//!
//! ```text
//! Title: Council approves the new bridge
//! Date: 2024-11-16
//! Source: Valley Gazette
//!
//! The council voted on Friday …
//! ```
//!
//! A header line may be folded onto indented continuation lines (RFC 822).
//! Keys Broadsheet does not use (`Path`, `Organization`, `Lines`, …) are kept
//! as metadata, never shown as body.

use super::super::Format;
use super::super::body;
use super::super::draft::{Draft, Field};

/// The longest key accepted; longer "keys" are sentences with a colon.
const MAX_KEY_CHARS: usize = 40;

/// The number of leading lines that form a header block, if the text starts
/// with one that names a title.
pub(crate) fn detect(lines: &[&str]) -> Option<usize> {
    let first = lines.iter().position(|line| !line.trim().is_empty())?;
    let mut has_title = false;
    let mut end = first;
    for line in &lines[first..] {
        if line.trim().is_empty() {
            break;
        }
        if end > first && line.starts_with([' ', '\t']) {
            end += 1;
            continue;
        }
        let (key, _) = split_field(line)?;
        has_title |= Field::from_key(key) == Some(Field::Title);
        end += 1;
    }
    has_title.then_some(end)
}

/// Parses the header block in `lines[..end]` and the body after it.
pub(crate) fn parse(lines: &[&str], end: usize) -> Draft {
    let mut draft = Draft::new(Format::HeaderBlock);
    let mut fields: Vec<(&str, String)> = Vec::new();
    for line in lines[..end].iter().filter(|line| !line.trim().is_empty()) {
        match (split_field(line), fields.last_mut()) {
            (Some((key, value)), _) if !line.starts_with([' ', '\t']) => fields.push((key, value.to_owned())),
            (_, Some((_, value))) => {
                value.push(' ');
                value.push_str(line.trim());
            }
            (_, None) => {}
        }
    }
    for (key, value) in fields {
        draft.set(key, &value, false);
    }
    draft.paragraphs = body::paragraphs(&lines[end..]);
    draft
}

/// `Key: value` → (`Key`, `value`); keys are one word of letters, digits,
/// `-` and `_`, starting with a letter.
fn split_field(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let valid_key = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    valid_key.then(|| (key, value.trim()))
}
