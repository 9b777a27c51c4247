//! One parser per article layout. Each fills a [`Draft`](super::draft::Draft);
//! [`super::parse`] picks the layout and finishes the article.

pub(crate) mod header_block;
pub(crate) mod markdown;
pub(crate) mod newswire;
pub(crate) mod title_first;

pub(crate) mod json_article;
pub(crate) mod present;
mod present_directive;
mod present_inline;
pub(crate) mod story;

pub(crate) mod front_matter;

/// The longest title accepted from a layout that names it explicitly;
/// longer "titles" are body text without a title.
pub(crate) const MAX_TITLE_CHARS: usize = 300;

/// A section is a short label, not a sentence.
pub(crate) fn looks_like_section(line: &str) -> bool {
    line.chars().count() <= 40 && line.split_whitespace().count() <= 4 && !ends_like_sentence(line)
}

/// A title line is not too long and does not end like a sentence.
pub(crate) fn looks_like_title(line: &str) -> bool {
    line.chars().count() <= MAX_TITLE_CHARS && !ends_like_sentence(line)
}

pub(crate) fn ends_like_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', '"', '”', '’', '\'', ':', ';', ',', '。']) && !ends_with_abbreviation(line)
}

/// `… reached with U.S.`, `… Acme Inc.`: the full stop belongs to an
/// abbreviation, which a headline may end with, not to a sentence.
pub(crate) fn ends_with_abbreviation(line: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "inc.", "co.", "corp.", "ltd.", "jr.", "sr.", "st.", "no.", "dr.", "mr.", "mrs.", "ms.", "vs.", "bros.", "plc.",
    ];
    let Some(last) = line.split_whitespace().next_back() else { return false };
    let last = last.trim_start_matches(['(', '"', '“', '‘']);
    // `U.S.`, `U.K.`, `D.C.`: letters each followed by a full stop.
    let initials = last.len() >= 4
        && last.chars().enumerate().all(|(index, c)| if index % 2 == 0 { c.is_alphabetic() } else { c == '.' });
    initials || ABBREVIATIONS.contains(&last.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_may_end_with_an_abbreviation() {
        assert!(ends_with_abbreviation("Trade deal on steel and aluminium tariffs reached with U.S."));
        assert!(ends_with_abbreviation("Shares fall after a profit warning from Acme Inc."));
        assert!(!ends_with_abbreviation("The leaders met in Lima on Friday."));
        assert!(!ends_with_abbreviation("Support grows for A."));
        assert!(!ends_like_sentence("Talks between the two sides end in a deal reached with U.S."));
    }
}
