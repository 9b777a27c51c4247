//! Parse throughput (MB/s) on the seed and on generated files, and loading a
//! generated directory of 10,000 articles with `load_dir` (files warm in the
//! page cache after the first iteration).
//!
//! `cargo bench --bench parse`

mod support;

use std::hint::black_box;
use std::path::Path;

use broadsheet::article::{ArticleId, decode, parse};
use broadsheet::library::load_dir;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Size of the directory that `load_dir` reads.
const LIBRARY_SIZE: usize = 10_000;

fn parse_articles(c: &mut Criterion) {
    let corpus = support::generated_corpus(LIBRARY_SIZE);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(support::SEED.len() as u64));
    group.bench_function("seed", |b| b.iter(|| parse(ArticleId::new(support::SEED_ID), black_box(support::SEED))));
    group.bench_function("seed_decode_and_parse", |b| {
        b.iter(|| parse(ArticleId::new(support::SEED_ID), &decode(black_box(support::SEED.as_bytes())).expect("utf-8")))
    });
    // The first folder: 1,000 generated files of the usual size spread.
    let files = read_folder(&corpus.path().join("000"));
    group.throughput(Throughput::Bytes(files.iter().map(|(_, text)| text.len() as u64).sum()));
    group.bench_function("generated_1000", |b| {
        b.iter(|| {
            for (id, text) in &files {
                black_box(parse(id.clone(), text).expect("generated articles parse"));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("load_dir");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(directory_bytes(corpus.path())));
    group.bench_function("generated_10000", |b| b.iter(|| load_dir(corpus.path()).expect("load")));
    group.finish();
}

fn read_folder(folder: &Path) -> Vec<(ArticleId, String)> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("read folder")
        .map(|entry| entry.expect("entry").path())
        .map(|path| (ArticleId::from_relative_path(&path), std::fs::read_to_string(&path).expect("read")))
        .collect();
    files.sort();
    files
}

fn directory_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("entry").metadata().expect("metadata"))
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum()
}

criterion_group!(benches, parse_articles);
criterion_main!(benches);
