//! Search latency on a 10,000-article library.
//!
//! The library is generated in memory from the real BBC texts in
//! `../shared/corpus/bbc-fulltext` (titles and paragraphs mixed across
//! articles, so every document differs), falling back to synthetic text when
//! the corpus is missing. Run: `cargo bench --bench search`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use broadsheet::article::{Article, ArticleId, parse};
use broadsheet::library::Library;
use broadsheet::library::search::{Filters, SearchIndex, SearchRequest, SortOrder};
use criterion::{Criterion, criterion_group, criterion_main};

const ARTICLES: usize = 10_000;

/// Two-word queries of varied selectivity.
const QUERIES: &[&str] = &[
    "government plans",
    "economic growth",
    "world cup",
    "oil prices",
    "prime minister",
    "interest rates",
    "election campaign",
    "football club",
    "tax cuts",
    "chief executive",
    "shares fell",
    "labour party",
];

const SECTIONS: &[&str] = &["Business", "Politics", "Sport", "World News", "Technology"];
const SOURCES: &[&str] = &["BBC News", "Al Jazeera", "Reuters", "The Guardian"];

/// A source text: its title and paragraphs.
struct Text {
    title: String,
    paragraphs: Vec<String>,
}

fn load_corpus() -> Vec<Text> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc-fulltext");
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
        let Ok(content) = std::fs::read_to_string(entry.path()) else { continue };
        let mut blocks = content.split("\n\n").map(str::trim).filter(|block| !block.is_empty());
        let Some(title) = blocks.next() else { continue };
        texts.push(Text { title: title.to_owned(), paragraphs: blocks.map(str::to_owned).collect() });
    }
    if texts.is_empty() {
        eprintln!("{} is missing: benchmarking synthetic text", dir.display());
        texts = synthetic_corpus();
    }
    texts
}

/// Deterministic pseudo-English for machines without the corpus.
fn synthetic_corpus() -> Vec<Text> {
    let words: Vec<&str> = "the government plans economic growth world cup oil prices prime minister interest rates \
        election campaign football club tax cuts chief executive shares fell labour party said year market company \
        bank sales people new first last time last week report would could also million firm deal country players"
        .split_whitespace()
        .collect();
    let mut state: u64 = 42;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut sentence = |length: usize| (0..length).map(|_| words[next() % words.len()]).collect::<Vec<_>>().join(" ");
    (0..300)
        .map(|_| Text { title: sentence(7), paragraphs: (0..8).map(|_| format!("{}.", sentence(40))).collect() })
        .collect()
}

/// Article `index`: a title from one text and paragraphs from three.
fn generate(index: usize, corpus: &[Text]) -> Article {
    let pick = |step: usize| &corpus[(index * step + index / corpus.len()) % corpus.len()];
    let mut body = Vec::new();
    for text in [pick(1), pick(7), pick(13)] {
        body.extend(text.paragraphs.iter().take(4).cloned());
    }
    let date = jiff::civil::date(2015, 1, 1).checked_add(jiff::Span::new().days((index * 37 % 3650) as i64));
    let date = date.map(|date| date.strftime("%-d %B %Y").to_string()).unwrap_or_default();
    let text = format!(
        "{}\n\n{}\n\n{}\nThis content originally appeared on {}.\n\n{}\n",
        SECTIONS[index % SECTIONS.len()],
        pick(1).title,
        date,
        SOURCES[index % SOURCES.len()],
        body.join("\n\n")
    );
    parse(ArticleId::new(format!("gen/{index:05}")), &text).expect("generated article parses")
}

fn bench_search(c: &mut Criterion) {
    let corpus = load_corpus();
    let articles: Vec<Article> = (0..ARTICLES).map(|index| generate(index, &corpus)).collect();
    let bytes: usize = articles.iter().flat_map(|a| &a.paragraphs).map(|p| p.text().len()).sum();
    let library = Library::new(articles, Vec::new());
    let rss_before = resident_megabytes();
    let started = Instant::now();
    let index = SearchIndex::build_now(&library);
    assert!(index.is_ready(), "the index did not build");
    eprintln!(
        "indexed {ARTICLES} articles ({} MB of body text) in {:?}: index {} MB; resident memory {rss_before:?} MB before, {:?} MB after",
        bytes / 1_000_000,
        started.elapsed(),
        index.size_bytes() / 1_000_000,
        resident_megabytes()
    );

    let request = |query: &str, sort: SortOrder| SearchRequest {
        query: query.to_owned(),
        filters: Filters::default(),
        sort,
        page: 1,
        per_page: 20,
    };
    let mut group = c.benchmark_group("search_10k");
    group.measurement_time(Duration::from_secs(5)).sample_size(60);
    for (name, sort) in [("two_words_relevance", SortOrder::Relevance), ("two_words_by_date", SortOrder::Date)] {
        let mut next = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                next = (next + 1) % QUERIES.len();
                let results = index.search(&library, &request(QUERIES[next], sort)).expect("search");
                black_box(results.total)
            })
        });
    }
    group.finish();
}

/// This process's resident memory (Linux), to see what the index costs.
fn resident_megabytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
