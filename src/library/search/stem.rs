//! English stemming with a per-thread cache of word → stem.
//!
//! The Snowball stemmer is the slowest step of text analysis, and news text
//! repeats the same few thousand words, so remembering each word's stem makes
//! indexing and snippet cutting markedly faster. The stems are exactly those
//! of tantivy's own English `Stemmer` (the same `frostem` algorithm).

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::tokenizer::is_paired;

/// Entries one thread's cache holds before it starts afresh; bounds memory
/// (~10 MB) on threads that analyse queries for the life of the server.
const MAX_CACHED_WORDS: usize = 100_000;

thread_local! {
    static CACHE: RefCell<StemCache> = RefCell::new(StemCache::new());
}

struct StemCache {
    stemmer: frostem::Stemmer,
    /// Words of up to 16 bytes (nearly all), packed into a number: found
    /// with one integer comparison instead of a string one. Hashed with
    /// foldhash (seeded per process): SipHash, std's default, was a third
    /// of the cache's cost. `None`: the word is its own stem.
    short: HashMap<u128, Option<Box<str>>, foldhash::fast::RandomState>,
    /// Longer words.
    long: HashMap<String, String, foldhash::fast::RandomState>,
}

/// Words of this many characters or fewer are their own stems: the
/// English Snowball stemmer leaves them alone ("If the word has two
/// letters or less, leave it as it is"), and they are a fifth of news text.
const UNSTEMMED_CHARS: usize = 2;

impl StemCache {
    fn new() -> Self {
        Self {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }

    /// Replaces `word` (lowercase) with its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if word.len() <= UNSTEMMED_CHARS {
            // Two bytes are at most two characters.
            return;
        }
        let Some(key) = packed(word) else { return self.stem_long(word) };
        match self.short.get(&key) {
            Some(Some(stem)) => {
                word.clear();
                word.push_str(stem);
            }
            Some(None) => {}
            None => {
                let stem = self.stemmer.stem(word);
                let stem = (stem != word.as_str()).then(|| Box::<str>::from(stem.as_ref()));
                if self.short.len() >= MAX_CACHED_WORDS {
                    self.short.clear();
                }
                if let Some(stem) = &stem {
                    word.clear();
                    word.push_str(stem);
                }
                self.short.insert(key, stem);
            }
        }
    }

    /// [`Self::stem_in_place`] for words longer than 16 bytes.
    fn stem_long(&mut self, word: &mut String) {
        if let Some(stem) = self.long.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = self.stemmer.stem(word).into_owned();
        if self.long.len() >= MAX_CACHED_WORDS {
            self.long.clear();
        }
        self.long.insert(std::mem::replace(word, stem.clone()), stem);
    }
}

/// The bytes of `word`, when there are at most 16, as a number (zero
/// padded: a word, letters and digits, holds no zero byte, so no two words
/// pack the same).
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    debug_assert!(!bytes.contains(&0), "a word holds no zero byte");
    let mut key = [0; 16];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// A token filter that stems English words, with the cache.
#[derive(Debug, Clone, Copy, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

/// The tokenizer [`CachedEnglishStemmer`] wraps around another.
#[derive(Debug, Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text) }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<S> {
    #[inline]
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Pairs of CJK or Thai characters are not English words: stemming
        // them would only crowd the cache. Those scripts take three or four
        // bytes a character, so most words are let through on their first
        // byte.
        if token.text.as_bytes().first().is_some_and(|&byte| byte >= 0xE0)
            && token.text.chars().next().is_some_and(is_paired)
        {
            return true;
        }
        CACHE.with_borrow_mut(|cache| cache.stem_in_place(&mut token.text));
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    fn stems(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stems = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            stems.push(token.text.clone());
        }
        stems
    }

    #[test]
    fn stems_like_tantivys_stemmer_even_when_cached() {
        let text = "Sanctions sanctioned economies running presidential agreed sanctions running";
        let cached =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(CachedEnglishStemmer).build();
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English));
        let expected = stems(plain.build(), text);
        assert_eq!(stems(cached.clone(), text), expected);
        assert_eq!(stems(cached, text), expected, "second pass hits the cache");
        assert_eq!(expected[0], "sanction");
    }

    /// Every word the cache takes a shortcut for, and words of every length
    /// around the 16 bytes that pack into a number, stem as the stemmer
    /// stems them, found in the cache or not.
    #[test]
    fn cached_stems_are_the_stemmers_for_short_packed_and_long_words() {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let alphabet: Vec<char> = ('a'..='z').chain('0'..='9').chain(['é', 'ß', 'ı', 'ø', '中']).collect();
        let mut words: Vec<String> = alphabet.iter().map(|c| c.to_string()).collect();
        for &first in &alphabet {
            words.extend(alphabet.iter().map(|&second| format!("{first}{second}")));
        }
        // Three-character words the stemmer changes (`its` → `it`), just
        // past the shortcut.
        words.extend(["its", "ies", "was", "has", "gas"].map(String::from));
        assert!(words.iter().any(|word| word.chars().count() == 3 && stemmer.stem(word) != word.as_str()));
        for base in ["nationalisations", "running", "agreed", "generously", "préférences"] {
            for len in 1..=base.chars().count() {
                words.push(base.chars().take(len).collect());
            }
            words.push(format!("{base}{base}"));
        }
        let mut cache = StemCache::new();
        for round in 0..2 {
            for word in &words {
                let mut cached = word.clone();
                cache.stem_in_place(&mut cached);
                assert_eq!(cached, stemmer.stem(word), "{word:?}, round {round}");
            }
        }
        assert_eq!(packed("abcdefghijklmnop").map(u128::to_le_bytes), Some(*b"abcdefghijklmnop"));
        assert_eq!(packed("abcdefghijklmnopq"), None);
        // Words of different lengths never pack alike (no zero bytes).
        assert_ne!(packed("ab"), packed("ab\u{1}"));
    }
}
