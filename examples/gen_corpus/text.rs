//! Where titles and sentences come from: real article files (`--from`) cut
//! into sentences, or a built-in word list.

use std::path::Path;

use anyhow::{Context, bail};

use super::article::pick;

/// Titles and sentences to recombine.
pub struct Source {
    titles: Vec<String>,
    /// Whole sentences, or empty when sentences are made from `WORDS`.
    sentences: Vec<String>,
    /// Sentences made up front from the word list, so bodies borrow them.
    made_up: Vec<String>,
}

/// Common words of news English for the built-in source.
const WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Monday",
    "after",
    "talks",
    "with",
    "officials",
    "in",
    "the",
    "capital",
    "market",
    "shares",
    "rose",
    "fell",
    "percent",
    "year",
    "minister",
    "election",
    "president",
    "parliament",
    "vote",
    "court",
    "ruling",
    "police",
    "city",
    "people",
    "week",
    "report",
    "company",
    "profits",
    "bank",
    "interest",
    "rates",
    "inflation",
    "economy",
    "growth",
    "trade",
    "deal",
    "talks",
    "agreement",
    "military",
    "troops",
    "border",
    "ceasefire",
    "aid",
    "humanitarian",
    "crisis",
    "climate",
    "energy",
    "prices",
    "oil",
    "gas",
    "team",
    "match",
    "season",
    "coach",
    "players",
    "won",
    "lost",
    "final",
    "league",
    "cup",
    "health",
    "hospital",
    "patients",
    "doctors",
    "vaccine",
    "study",
    "scientists",
    "research",
    "data",
    "technology",
    "software",
    "users",
    "online",
    "network",
    "security",
    "spokesperson",
    "according",
    "to",
    "statement",
    "reporters",
    "expected",
    "announced",
    "plans",
    "new",
    "former",
    "leader",
    "party",
    "opposition",
    "protest",
    "thousands",
    "of",
    "and",
    "but",
    "while",
    "as",
    "from",
    "for",
    "by",
    "that",
    "this",
    "their",
    "its",
    "has",
    "have",
    "been",
    "will",
    "would",
    "could",
    "more",
    "than",
    "over",
    "under",
    "last",
    "next",
    "month",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Europe",
    "Asia",
    "Africa",
    "America",
    "London",
    "Paris",
    "Beijing",
    "Washington",
    "Delhi",
    "Nairobi",
    "Lima",
    "regional",
    "national",
    "international",
    "council",
];

impl Source {
    /// Sentences from the built-in word list.
    pub fn built_in() -> Self {
        let mut rng = fastrand::Rng::with_seed(0);
        let made_up = (0..4096).map(|_| made_up_sentence(&mut rng)).collect();
        let titles = (0..1024).map(|_| capitalised(&words(&mut rng, 5..12))).collect();
        Self { titles, sentences: Vec::new(), made_up }
    }

    /// Titles (first lines) and sentences of every UTF-8 text file under `dir`.
    pub fn from_dir(dir: &Path) -> anyhow::Result<Self> {
        let mut source = Self { titles: Vec::new(), sentences: Vec::new(), made_up: Vec::new() };
        let walker = walkdir::WalkDir::new(dir).sort_by_file_name();
        for entry in walker.into_iter().filter_map(Result::ok).filter(|entry| entry.file_type().is_file()) {
            let bytes =
                std::fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
            // Binary and non-UTF-8 files are not useful prose; skip them.
            if let Ok(text) = String::from_utf8(bytes) {
                source.add_text(&text);
            }
        }
        if source.titles.is_empty() || source.sentences.len() < 10 {
            bail!(
                "{} holds too little UTF-8 text to build articles from; pass a folder of article files",
                dir.display()
            );
        }
        eprintln!(
            "source: {} titles, {} sentences from {}",
            source.titles.len(),
            source.sentences.len(),
            dir.display()
        );
        Ok(source)
    }

    /// The first block of a file is its title; the rest is cut into sentences.
    fn add_text(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        let mut blocks = text.split("\n\n").map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "));
        let Some(title) = blocks.next() else { return };
        if (10..=150).contains(&title.len()) && !title.ends_with('.') {
            self.titles.push(title);
        }
        for block in blocks {
            self.sentences.extend(split_sentences(&block).filter(|s| is_whole_sentence(s)).map(str::to_owned));
        }
    }

    /// A random title.
    pub fn title(&self, rng: &mut fastrand::Rng) -> String {
        self.titles[rng.usize(..self.titles.len())].clone()
    }

    /// A random sentence, ending in punctuation.
    pub fn sentence(&self, rng: &mut fastrand::Rng) -> &str {
        let pool = if self.sentences.is_empty() { &self.made_up } else { &self.sentences };
        &pool[rng.usize(..pool.len())]
    }
}

/// Splits a paragraph after `.`, `!` or `?` followed by a space and a capital
/// letter or an opening quote.
fn split_sentences(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let end = (1..bytes.len().saturating_sub(2))
            .find(|&i| {
                matches!(bytes[i], b'.' | b'!' | b'?')
                    && bytes[i + 1] == b' '
                    && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2] == b'"')
            })
            .map_or(rest.len(), |i| i + 1);
        let (sentence, tail) = rest.split_at(end);
        rest = tail.trim_start();
        Some(sentence.trim())
    })
}

fn words(rng: &mut fastrand::Rng, count: std::ops::Range<usize>) -> String {
    let count = rng.usize(count);
    (0..count).map(|_| pick(rng, WORDS)).collect::<Vec<_>>().join(" ")
}

fn made_up_sentence(rng: &mut fastrand::Rng) -> String {
    let mut sentence = capitalised(&words(rng, 6..28));
    sentence.push('.');
    sentence
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Fragments (too short, or cut mid-sentence by an abbreviation) read badly.
fn is_whole_sentence(sentence: &str) -> bool {
    sentence.len() >= 20 && sentence.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric() || c == '"')
}
