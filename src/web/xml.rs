//! Helpers for the XML this server writes (feeds, sitemaps, OpenSearch).
//!
//! The writers (`atom_syndication`, `quick-xml`) escape markup characters,
//! but XML 1.0 also forbids most control characters outright, and a strict
//! parser rejects the whole document for one stray byte from an article file.

/// `text` without the characters XML 1.0 does not allow (C0 controls other
/// than tab, newline and carriage return; U+FFFE and U+FFFF).
pub(crate) fn xml_text(text: &str) -> String {
    text.chars().filter(|&character| is_xml_char(character)).collect()
}

fn is_xml_char(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_text_is_kept() {
        assert_eq!(xml_text("a\u{0}b\u{b}c\td\u{FFFE}é 中"), "abc\tdé 中");
    }
}
