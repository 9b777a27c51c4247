//! Turning the body lines of a text file into paragraphs.
//!
//! Real files break lines in three ways, often mixed:
//! - blank lines between paragraphs. Lines inside a block are joined with a
//!   space (none between two CJK characters) where the text runs on: the
//!   line before does not end a sentence, or the file is hard-wrapped and
//!   the line before is full. A line ending a sentence and not full ends
//!   its paragraph, so one-line paragraphs that share a block stay apart;
//! - no blank lines at all: every line is a paragraph (Chinese, Vietnamese),
//!   except in a hard-wrapped file, where full lines run on, and where a
//!   line starting with a lower-case letter continues one that does not end
//!   a sentence (hard-wrapped Russian); indentation is dropped;
//! - paragraphs flattened into one long line with two spaces after the end of
//!   a sentence (Russian): split there. Only done in the second shape, since
//!   typists who put two spaces after every full stop use blank lines.
//!
//! A file is hard-wrapped when most of its lines are about as long as its
//! longest ones, at most 100 columns, and most of those full lines do not
//! end a sentence (in a file with a paragraph per line, nearly all do).
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
        let blocks: Vec<Vec<&str>> =
            lines.split(|line| line.trim().is_empty()).filter(|block| !block.is_empty()).map(<[_]>::to_vec).collect();
        block_paragraphs(&blocks)
    } else {
        line_paragraphs(lines)
    }
}

/// The paragraphs of blocks of lines that were separated by blank lines
/// (lines as in the file, or trimmed).
pub(crate) fn block_paragraphs(blocks: &[Vec<&str>]) -> Vec<Paragraph> {
    // Wrapping only joins lines inside a block: a file of one-line blocks
    // (the seed's layout) needs no detection, which measures every line.
    let multi_line = blocks.iter().any(|block| block.len() > 1);
    let wrap = if multi_line { Wrap::detect(blocks.iter().flatten().copied()) } else { Wrap::default() };
    let mut paragraphs = Vec::with_capacity(blocks.len());
    for block in blocks {
        let runs = runs(block, |previous, _| !ends_sentence(previous) || wrap.is_full(previous));
        paragraphs.extend(runs.iter().map(|run| to_paragraph(join_lines(run))));
    }
    paragraphs
}

/// Splits `lines` into runs of trimmed lines that `continues(previous,
/// line)` joins. A list item, or a line indented deeper than the one
/// before (a first-line indent), always starts a run.
fn runs<'a>(lines: &[&'a str], continues: impl Fn(&str, &str) -> bool) -> Vec<Vec<&'a str>> {
    let mut runs: Vec<Vec<&'a str>> = Vec::new();
    let mut previous_indent = usize::MAX;
    for raw in lines {
        let line = raw.trim();
        let indent = indentation(raw);
        let starts_paragraph = indent > previous_indent || is_list_item(line);
        previous_indent = indent;
        match runs.last_mut() {
            Some(run) if !starts_paragraph && run.last().is_some_and(|previous| continues(previous, line)) => {
                run.push(line);
            }
            _ => runs.push(vec![line]),
        }
    }
    runs
}

/// Leading white space in columns, a tab counting as four.
fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\t' => 4,
            '\u{3000}' => 2,
            _ => 1,
        })
        .sum()
}

/// `- item`, `* item`, `• item`, `1. item`, `2) item`: each item is a
/// paragraph of its own.
fn is_list_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = (1..=3).contains(&digits) && [". ", ") "].iter().any(|marker| line[digits..].starts_with(marker));
    numbered || ["- ", "* ", "• ", "· "].iter().any(|marker| line.starts_with(marker))
}

/// The wrap width of a hard-wrapped file, if it is one.
#[derive(Debug, Clone, Copy, Default)]
struct Wrap {
    /// Lines at least this wide were broken by the wrapping, not by the
    /// writer; `None` when the file is not hard-wrapped.
    full: Option<usize>,
}

impl Wrap {
    fn detect<'a>(lines: impl Iterator<Item = &'a str>) -> Self {
        let lines: Vec<&str> = lines.map(str::trim).filter(|line| !line.is_empty()).collect();
        if lines.len() < 4 {
            return Self::default();
        }
        let widths: Vec<usize> = lines.iter().map(|line| width(line)).collect();
        let mut sorted = widths.clone();
        sorted.sort_unstable();
        let wrap = sorted[sorted.len() * 9 / 10];
        if !(40..=100).contains(&wrap) {
            return Self::default();
        }
        let full = wrap * 3 / 4;
        let full_lines = lines.iter().zip(&widths).filter(|&(_, &width)| width >= full);
        let (full_count, sentence_ends) =
            full_lines.fold((0, 0), |(count, ends), (line, _)| (count + 1, ends + usize::from(ends_sentence(line))));
        let wrapped = full_count * 2 >= lines.len() && sentence_ends * 2 < full_count;
        Self { full: wrapped.then_some(full) }
    }

    fn is_full(self, line: &str) -> bool {
        // A line is never wider than its bytes, so most short lines are
        // told without measuring.
        self.full.is_some_and(|full| line.len() >= full && width(line) >= full)
    }
}

/// Columns a line takes, CJK characters counting double (three bytes in
/// UTF-8, so a line's width never exceeds its length in bytes).
fn width(line: &str) -> usize {
    if line.is_ascii() {
        return line.len();
    }
    line.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
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
    let wrap = Wrap::detect(lines.iter().copied());
    let merged = runs(lines, |previous, line| {
        let lower_case = line.chars().next().is_some_and(char::is_lowercase);
        wrap.is_full(previous) || (lower_case && !ends_sentence(previous))
    });
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
    text.ends_with(['.', '!', '?', '…', '。', '！', '？'])
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
        // `See note [Ed.]`, `[I wrote:]`: an aside, not a photo credit.
        && !credit.ends_with(['.', ':', ';', ','])
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
    fn hard_wrapped_text_is_joined_without_blank_lines_too() {
        let text = "The Chancellor said on Monday that the economy grew faster than\n\
                    expected in the last quarter, according to figures published by\n\
                    the statistics office. Ms Hewitt said the figures were welcome in\n\
                    London on Monday, and that more would follow in the spring when\n\
                    the budget is set.\n\
                    Another paragraph starts here.";
        let lines: Vec<&str> = text.lines().collect();
        let body = paragraphs(&lines);
        assert_eq!(body.len(), 2, "{:?}", texts(&body));
        assert!(texts(&body)[0].ends_with("when the budget is set."));
    }

    #[test]
    fn one_line_paragraphs_sharing_a_block_stay_apart() {
        let body = paragraphs(&["First para.", "Second para.", "Third para.", "", "Editor: X"]);
        assert_eq!(texts(&body), ["First para.", "Second para.", "Third para.", "Editor: X"]);
        let body =
            paragraphs(&["If [Ukrainian] President", "[Volodymyr] Zelenskyy comes", "to the table.", "", "Next."]);
        assert_eq!(texts(&body), ["If [Ukrainian] President [Volodymyr] Zelenskyy comes to the table.", "Next."]);
    }

    #[test]
    fn list_items_and_indented_first_lines_start_paragraphs() {
        let body = paragraphs(&["The plans:", "- a ban on smoking", "- fines up to £2,500", "", "End."]);
        assert_eq!(texts(&body), ["The plans:", "- a ban on smoking", "- fines up to £2,500", "End."]);
        let body = paragraphs(&[
            "С 7 по 29 сентября органы",
            "статистики проведут опрос",
            "  Задачей наблюдения является",
            "получение информации.",
        ]);
        assert_eq!(
            texts(&body),
            [
                "С 7 по 29 сентября органы статистики проведут опрос",
                "Задачей наблюдения является получение информации."
            ]
        );
    }

    #[test]
    fn a_lower_case_line_after_a_full_stop_starts_a_paragraph() {
        let body = paragraphs(&["Apple announced a new phone today.", "iPhone 7s will be water-proof."]);
        assert_eq!(texts(&body), ["Apple announced a new phone today.", "iPhone 7s will be water-proof."]);
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
