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
    /// Hashed with foldhash (seeded per process): SipHash, std's default,
    /// was a third of the cache's cost.
    stems: HashMap<String, String, foldhash::fast::RandomState>,
}

impl StemCache {
    fn new() -> Self {
        Self { stemmer: frostem::Stemmer::new(frostem::Algorithm::English), stems: HashMap::default() }
    }

    /// Replaces `word` (lowercase) with its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = self.stemmer.stem(word).into_owned();
        if self.stems.len() >= MAX_CACHED_WORDS {
            self.stems.clear();
        }
        self.stems.insert(std::mem::replace(word, stem.clone()), stem);
    }
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
}
