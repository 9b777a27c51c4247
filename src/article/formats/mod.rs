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
    line.ends_with(['.', '!', '?', '"', '”', '’', '\'', ':', ';', ',', '。'])
}
