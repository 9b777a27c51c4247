//! Turning the body lines of a text file into paragraphs.
//!
//! Three shapes occur in real files:
//! - blank-line-separated paragraphs, possibly hard-wrapped: the lines of a
//!   paragraph are joined with a space (none between two CJK characters);
//! - no blank lines at all: every line is a paragraph (Chinese, Vietnamese),
//!   except that a line starting with a lower-case letter continues the one
//!   before (hard-wrapped Russian); indentation is dropped;
//! - paragraphs flattened into one long line with two spaces after the end of
//!   a sentence (Russian): split there. Only done in the second shape, since
//!   typists who put two spaces after every full stop use blank lines.
//!
//! Captions are the seed's `… [Photographer/Agency]` paragraphs and short
//! lines of their own that start with `Photo:`, `Фото` or `(Ảnh …)`.

use super::Paragraph;

/// The paragraphs of a body given as lines (any line endings already split).
pub(crate) fn paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let start = lines.iter().position(|line| !line.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|line| !line.trim().is_empty()).map_or(start, |last| last + 1);
    let lines = &lines[start..end];
    if lines.iter().any(|line| line.trim().is_empty()) {
        blocks(lines).iter().map(|block| to_paragraph(join_lines(block))).collect()
    } else {
        line_paragraphs(lines)
    }
}

/// Groups trimmed non-blank lines into blocks separated by blank lines.
pub(crate) fn blocks<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for line in lines.iter().map(|line| line.trim()) {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Joins hard-wrapped lines: a space between words, nothing between CJK.
pub(crate) fn join_lines(lines: &[&str]) -> String {
    let mut joined = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
    for line in lines {
        let needs_space = match (joined.chars().next_back(), line.chars().next()) {
            (None, _) => false,
            (Some(last), Some(first)) => !(is_cjk(last) && is_cjk(first)),
            (Some(_), None) => false,
        };
        if needs_space {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

fn line_paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut merged: Vec<Vec<&str>> = Vec::new();
    for line in lines.iter().map(|line| line.trim()) {
        let continues = line.chars().next().is_some_and(char::is_lowercase);
        match merged.last_mut() {
            Some(previous) if continues => previous.push(line),
            _ => merged.push(vec![line]),
        }
    }
    let mut paragraphs = Vec::with_capacity(merged.len());
    for group in &merged {
        let text = join_lines(group);
        paragraphs.extend(split_at_double_spaces(&text).map(to_paragraph_str));
    }
    paragraphs
}

/// Splits `text` where a sentence ends and two or more spaces follow before
/// a capital letter, a digit, a quote or a dash.
fn split_at_double_spaces(text: &str) -> impl Iterator<Item = &str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find("  ") {
        let gap_start = search + found;
        let after = &text[gap_start..];
        let gap_end = gap_start + after.len() - after.trim_start_matches(' ').len();
        if ends_sentence(&text[start..gap_start]) && starts_sentence(&text[gap_end..]) {
            pieces.push(&text[start..gap_start]);
            start = gap_end;
        }
        search = gap_end;
    }
    pieces.push(&text[start..]);
    pieces.into_iter().map(str::trim).filter(|piece| !piece.is_empty())
}

fn ends_sentence(text: &str) -> bool {
    let text = text.trim_end_matches(['»', '"', '”', '’', '\'', ')', '\u{a0}']);
    text.ends_with(['.', '!', '?', '…'])
}

fn starts_sentence(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "«\"“—–-".contains(c))
}

fn to_paragraph_str(text: &str) -> Paragraph {
    to_paragraph(text.to_owned())
}

/// Makes a paragraph from joined text, recognising captions.
pub(crate) fn to_paragraph(text: String) -> Paragraph {
    if let Some((caption, credit)) = split_credit(&text) {
        return Paragraph::Caption { text: caption.to_owned(), credit: credit.to_owned() };
    }
    if is_credit_line(&text) {
        return Paragraph::Caption { text: String::new(), credit: text };
    }
    Paragraph::Text { text }
}

/// A paragraph ending in a bracketed credit (`… on November 15 [Leah
/// Millis/Reuters]`) is a photo caption; brackets elsewhere are ordinary text.
fn split_credit(text: &str) -> Option<(&str, &str)> {
    let inner_and_rest = text.strip_suffix(']')?;
    let open = inner_and_rest.rfind('[')?;
    let credit = inner_and_rest[open + 1..].trim();
    let caption = inner_and_rest[..open].trim_end();
    let plausible_credit = (2..=80).contains(&credit.chars().count())
        && !credit.contains(['[', ']'])
        && credit.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric());
    (plausible_credit && !caption.is_empty()).then_some((caption, credit))
}

/// A short line of its own that only credits a photo: `Photo: Reuters`,
/// `Фото Владимира Сухова`, `(Ảnh: Báo Dân Việt)`.
fn is_credit_line(text: &str) -> bool {
    const MARKERS: &[&str] = &["Photo:", "Photo by ", "Photos:", "Фото ", "Фото:", "Фото\u{a0}"];
    if text.chars().count() > 100 {
        return false;
    }
    MARKERS.iter().any(|marker| text.starts_with(marker))
        || (text.starts_with("(Ảnh") && text.ends_with(')') && !text[1..].contains('('))
}

/// Decodes HTML entity residue (`&nbsp;`, `&gt;`, `&amp;`) once.
pub(crate) fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('&') { html_escape::decode_html_entities(text) } else { std::borrow::Cow::Borrowed(text) }
}

/// Han, kana and Hangul characters, which are written without spaces.
pub(crate) fn is_cjk(character: char) -> bool {
    matches!(character as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0xAC00..=0xD7AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paragraphs: &[Paragraph]) -> Vec<&str> {
        paragraphs.iter().map(Paragraph::text).collect()
    }

    #[test]
    fn joins_hard_wrapped_lines_inside_blank_line_paragraphs() {
        let body = paragraphs(&["One two", "three.", "", "Four."]);
        assert_eq!(texts(&body), ["One two three.", "Four."]);
    }

    #[test]
    fn each_line_is_a_paragraph_without_blank_lines() {
        let body = paragraphs(&["\u{3000}\u{3000}第一段。", "\u{3000}\u{3000}第二段。"]);
        assert_eq!(texts(&body), ["第一段。", "第二段。"]);
    }

    #[test]
    fn lower_case_lines_continue_the_paragraph() {
        let body = paragraphs(&["С 1 января", "этого года закон.", "Второй абзац."]);
        assert_eq!(texts(&body), ["С 1 января этого года закон.", "Второй абзац."]);
    }

    #[test]
    fn splits_a_flattened_line_at_double_spaces_after_sentences() {
        let body = paragraphs(&["Первый абзац.  Второй абзац, 30 тысяч рублей   в качестве взятки.  «Третий»."]);
        assert_eq!(texts(&body), ["Первый абзац.", "Второй абзац, 30 тысяч рублей   в качестве взятки.", "«Третий»."]);
    }

    #[test]
    fn recognises_credit_lines_but_not_sentences_about_photos() {
        assert!(matches!(to_paragraph("Фото Владимира Сухова".into()), Paragraph::Caption { .. }));
        assert!(matches!(to_paragraph("(Ảnh: Báo Dân Việt)".into()), Paragraph::Caption { .. }));
        assert!(matches!(to_paragraph("Фотохудожник Сергей Усик".into()), Paragraph::Text { .. }));
        assert!(matches!(to_paragraph("Photographs were taken.".into()), Paragraph::Text { .. }));
    }
}
