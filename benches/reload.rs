//! Live reload cost: building the next snapshot after one file changed
//! (`Library::apply`: reading and parsing the file, splicing it into the
//! order, patching the id map and the section/source/archive indexes),
//! and dropping the result, at 10,000 articles — and at 100,000 when
//! `BROADSHEET_RELOAD_CORPUS` names a generated directory. Two cases: an
//! edit that keeps the article's place (`modify_one_file`), and a new
//! article at the top, which moves every other position
//! (`add_one_file`, the worst place for it).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --count 100000 --out /tmp/c100k
//! BROADSHEET_RELOAD_CORPUS=/tmp/c100k cargo bench --bench reload
//! ```
//!
//! The benchmark adds files of its own to that directory
//! (`zz_reload_bench*.txt`) and removes them at the end.

mod support;

use std::path::{Path, PathBuf};

use broadsheet::library::{Library, LoadOptions, load_dir};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const BENCH_FILE: &str = "zz_reload_bench.txt";
/// Written for the `add_one_file` case; never in the loaded library.
const ADDED_FILE: &str = "zz_reload_bench_added.txt";

/// Writes the benchmark's own article, dated `day` March 2099 (newest of
/// all, so a new version lands at the top and shifts every position).
fn write_article(dir: &Path, file: &str, day: u32, marker: &str) {
    let text = format!(
        "World\n\nReload benchmark article {marker}\n\n{day} March 2099\nThis content originally appeared on Test Wire.\n\n\
         {marker}: a body of the seed's size follows.\n\n{}",
        support::SEED
    );
    std::fs::write(dir.join(file), text).expect("write the benchmark article");
}

fn bench_library(c: &mut Criterion, name: &str, dir: &Path) {
    let _ = std::fs::remove_file(dir.join(ADDED_FILE));
    write_article(dir, BENCH_FILE, 1, "first");
    let library: Library = load_dir(dir).expect("load");
    let options = LoadOptions::default();
    let changed = || vec![PathBuf::from(BENCH_FILE)];
    let mut group = c.benchmark_group(format!("reload_{name}"));
    group.sample_size(20);
    let mut round = 0u32;
    group.bench_function("modify_one_file", |b| {
        b.iter_batched(
            || {
                round += 1;
                write_article(dir, BENCH_FILE, 1 + round % 28, &format!("round {round}"));
            },
            |()| drop(library.apply(dir, &options, changed()).expect("a reload")),
            BatchSize::PerIteration,
        );
    });
    write_article(dir, ADDED_FILE, 30, "added");
    let added = || vec![PathBuf::from(ADDED_FILE)];
    group.bench_function("add_one_file", |b| {
        b.iter(|| drop(library.apply(dir, &options, added()).expect("a reload")));
    });
    group.bench_function("renew", |b| b.iter(|| drop(library.renewed())));
    group.finish();
    let _ = std::fs::remove_file(dir.join(BENCH_FILE));
    let _ = std::fs::remove_file(dir.join(ADDED_FILE));
}

fn reload(c: &mut Criterion) {
    let generated = support::generated_corpus(10_000);
    bench_library(c, "10k", generated.path());
    match std::env::var_os("BROADSHEET_RELOAD_CORPUS") {
        Some(dir) => bench_library(c, "large", Path::new(&dir)),
        None => eprintln!("set BROADSHEET_RELOAD_CORPUS=DIR to also measure a large generated corpus"),
    }
}

criterion_group!(benches, reload);
criterion_main!(benches);
