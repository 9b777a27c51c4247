//! The persisted snapshot (see `src/library/snapshot.rs`): saving it after
//! a load, decoding it, and a whole restart that reuses it, at 10,000
//! generated articles (`bench/scale.sh` measures the same at a million,
//! end to end).
//!
//! ```text
//! cargo bench --bench snapshot
//! ```
//!
//! - `snapshot/save_10000`: writing the snapshot of a loaded library
//!   (records, postcard, hash, write, fsync, rename).
//! - `snapshot/decode_10000`: checking and decoding the snapshot's bytes.
//! - `snapshot/restart_10000`: `load_dir_cached` with an up-to-date
//!   snapshot: walk and stat, match, restore, build the library.
//! - `snapshot/full_load_10000`: the same directory read without one.

mod support;

use std::path::Path;
use std::time::Duration;

use broadsheet::library::persist::folder_for;
use broadsheet::library::{CacheFolder, CachedLoad, LoadOptions, LoadProgress, load_dir_cached, snapshot};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const COUNT: usize = 10_000;

fn cached_load(dir: &Path, cache: &Path) -> CachedLoad {
    let folder = folder_for(cache, dir);
    let cache = CacheFolder { folder: &folder, min_files: 0 };
    load_dir_cached(dir, &LoadOptions::default(), &LoadProgress::default(), Some(cache)).expect("load")
}

fn bench_snapshot(c: &mut Criterion) {
    let corpus = support::generated_corpus(COUNT);
    let dir = corpus.path();
    // Files must be older than a second to be reused (see `reusable`).
    std::thread::sleep(Duration::from_millis(1100));
    let cache = tempfile::tempdir().expect("cache");
    let mut first = cached_load(dir, cache.path());
    first.save.take().expect("a snapshot to save").save(&first.library).expect("save");
    let snapshot_file = folder_for(cache.path(), dir).join("snapshot.bin");
    let bytes = std::fs::read(&snapshot_file).expect("snapshot");

    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    group.bench_function(format!("save_{COUNT}"), |b| {
        b.iter_batched(
            || {
                let cache = tempfile::tempdir().expect("cache");
                let mut loaded = cached_load(dir, cache.path());
                let save = loaded.save.take().expect("a snapshot to save");
                (cache, loaded.library, save)
            },
            |(cache, library, save)| {
                save.save(&library).expect("save");
                (cache, library)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function(format!("decode_{COUNT}"), |b| {
        b.iter(|| snapshot::decode(&bytes).expect("decode"));
    });
    group.bench_function(format!("restart_{COUNT}"), |b| {
        b.iter(|| {
            let loaded = cached_load(dir, cache.path());
            assert_eq!(loaded.reused, loaded.library.len(), "every file reused");
            loaded.library
        });
    });
    group.bench_function(format!("full_load_{COUNT}"), |b| {
        b.iter(|| {
            broadsheet::library::load_dir_progress(dir, &LoadOptions::default(), &LoadProgress::default())
                .expect("load")
        });
    });
    group.finish();
}

criterion_group!(benches, bench_snapshot);
criterion_main!(benches);
