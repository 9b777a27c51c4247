//! Cutting text into words, including in scripts written without spaces.
//!
//! Chinese, Japanese and Thai put no space between words, and Korean glues
//! particles to them (`정책을`), so "a run of letters" is a whole sentence
//! there. Without a dictionary the standard answer (Lucene's
//! `CJKBigramFilter`, Elasticsearch's `cjk` analyzer) is to cut such runs
//! into overlapping pairs of characters: `中国经济` → `中国 国经 经济`. Every
//! two-character word is then one term, and a longer word is a phrase of
//! pairs at consecutive positions, which matches exactly where the word
//! occurs. A lone character is its own term. Words of other scripts are runs
//! of letters and digits as before; a change of script ends a word, so
//! `联想THINKPAD` is `联想` and `THINKPAD`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text into words, and runs of CJK or Thai characters into
/// overlapping pairs.
#[derive(Debug, Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream { text, next: 0, pair_from: None, token: &mut self.token }
    }
}

/// The token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    /// Where to look for the next token.
    next: usize,
    /// Inside a run of paired characters: where the last pair's second
    /// character starts, which is the next pair's first.
    pair_from: Option<usize>,
    token: &'a mut Token,
}

/// What a character is to the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Punctuation, space, symbols: between tokens.
    Separator,
    /// Part of a word of a script that spaces its words.
    Word,
    /// A character of a script written without spaces: paired.
    Paired,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(from) = self.pair_from.take()
            && self.next_pair(from)
        {
            return true;
        }
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.next) {
            let start = self.next;
            // Most text is ASCII: decide on the byte without decoding.
            if byte.is_ascii() {
                self.next += 1;
                if byte.is_ascii_alphanumeric() {
                    let end = self.word_end(self.next);
                    self.next = end;
                    self.emit(start, end);
                    return true;
                }
                continue;
            }
            let Some(c) = self.text[start..].chars().next() else { break };
            self.next += c.len_utf8();
            match class(c) {
                Class::Separator => {}
                Class::Word => {
                    let end = self.word_end(self.next);
                    self.next = end;
                    self.emit(start, end);
                    return true;
                }
                Class::Paired => {
                    if !self.next_pair(start) {
                        // A lone character: a word of its own.
                        self.emit(start, self.next);
                    }
                    return true;
                }
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl WordTokenStream<'_> {
    /// Emits the pair of the paired character at `from` and the next one, if
    /// the next one is paired too; otherwise the run is over.
    fn next_pair(&mut self, from: usize) -> bool {
        let Some(first) = self.text[from..].chars().next() else { return false };
        let second_from = from + first.len_utf8();
        let Some(second) = self.text[second_from..].chars().next() else { return false };
        if class(second) != Class::Paired {
            self.next = second_from;
            return false;
        }
        let end = second_from + second.len_utf8();
        self.next = end;
        self.pair_from = Some(second_from);
        self.emit(from, end);
        true
    }

    /// Where the word that goes on at `from` ends.
    fn word_end(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = from;
        loop {
            // Most text is ASCII: skip its letters and digits without
            // decoding; any other byte ends the word or is decoded.
            end += bytes[end..].iter().position(|byte| !byte.is_ascii_alphanumeric()).unwrap_or(bytes.len() - end);
            let Some(&byte) = bytes.get(end) else { return end };
            if byte.is_ascii() {
                return end;
            }
            let Some(c) = self.text[end..].chars().next() else { return end };
            if class(c) != Class::Word {
                return end;
            }
            end += c.len_utf8();
        }
    }

    #[inline]
    fn emit(&mut self, from: usize, to: usize) {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
    }
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { Class::Word } else { Class::Separator };
    }
    if is_paired(c) {
        return Class::Paired;
    }
    if c.is_alphanumeric() { Class::Word } else { Class::Separator }
}

/// Whether `c` belongs to a script written without spaces between words:
/// Han ideographs, kana, hangul, Thai.
#[inline]
pub(super) fn is_paired(c: char) -> bool {
    match u32::from(c) {
        // Thai letters, vowel signs and tone marks (not digits or
        // punctuation): the marks are part of the syllable they sit on.
        0x0E01..=0x0E3A | 0x0E40..=0x0E4E => true,
        // Hangul jamo, hiragana, katakana, Han, hangul syllables, and their
        // extensions and compatibility forms; `is_alphanumeric` leaves out
        // the punctuation in these blocks (`・`, `゠`).
        0x1100..=0x11FF
        | 0x3005..=0x3007
        | 0x3021..=0x3029
        | 0x3031..=0x3035
        | 0x303B..=0x303C
        | 0x3040..=0x30FF
        | 0x3130..=0x318F
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFFDC
        | 0x20000..=0x3134F => c.is_alphanumeric(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer};

    use super::*;

    /// (text, position, start, end) of each token.
    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = TextAnalyzer::from(WordTokenizer::default());
        let mut stream = analyzer.token_stream(text);
        let mut found = Vec::new();
        while let Some(token) = stream.next() {
            found.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
        }
        found
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(text, ..)| text).collect()
    }

    proptest::proptest! {
        /// Any text, mixing scripts: tokens are the text at their offsets,
        /// in order, at consecutive positions, and never overlap by more
        /// than one paired character.
        #[test]
        fn tokens_are_slices_of_the_text_in_order(text in "[a-zé 中国经济東京タワー서울ภาษา,.。、0-9\\PC]{0,40}") {
            let mut previous: Option<(usize, usize, usize)> = None;
            for (token, position, from, to) in tokens(&text) {
                proptest::prop_assert_eq!(&text[from..to], token.as_str());
                proptest::prop_assert!(from < to);
                if let Some((last_position, last_from, last_to)) = previous {
                    proptest::prop_assert_eq!(position, last_position + 1);
                    proptest::prop_assert!(from > last_from && from + 4 >= last_to);
                }
                previous = Some((position, from, to));
            }
        }
    }

    #[test]
    fn spaced_scripts_are_cut_like_the_simple_tokenizer() {
        let text = "Hello, happy tax-payer! Café naïve 2024 Москва — Hà Nội's U.S. x";
        let mut simple = TextAnalyzer::from(SimpleTokenizer::default());
        let mut stream = simple.token_stream(text);
        let mut expected = Vec::new();
        while let Some(token) = stream.next() {
            expected.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
        }
        assert_eq!(tokens(text), expected);
    }

    #[test]
    fn runs_without_spaces_become_overlapping_pairs_at_consecutive_positions() {
        assert_eq!(tokens("中国经济"), [("中国".into(), 0, 0, 6), ("国经".into(), 1, 3, 9), ("经济".into(), 2, 6, 12)]);
        assert_eq!(
            texts("联想THINKPAD近期降价，最高800美元。"),
            ["联想", "THINKPAD", "近期", "期降", "降价", "最高", "800", "美元"]
        );
        assert_eq!(texts("5月10日电"), ["5", "月", "10", "日电"]);
        assert_eq!(texts("東京タワー・防災"), ["東京", "京タ", "タワ", "ワー", "防災"]);
        assert_eq!(texts("서울시는 교통정책을"), ["서울", "울시", "시는", "교통", "통정", "정책", "책을"]);
        assert_eq!(texts("ภาษาไทย"), ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]);
        assert_eq!(texts("a 中 b"), ["a", "中", "b"]);
        assert!(texts("").is_empty() && texts("，。 — !").is_empty());
    }
}
