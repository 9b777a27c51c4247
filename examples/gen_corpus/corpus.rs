//! Writing a whole corpus: folders of 1,000 files, one generator per article.
//! Shared with the benchmarks (`benches/*.rs` include this file), so they
//! measure the same files that `gen_corpus` writes.

use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use super::article;
use super::text::Source;

/// Articles per sub-folder, so no directory gets huge.
const PER_FOLDER: usize = 1000;

/// Titles and sentences from `from` (real article files), or built in.
pub fn source(from: Option<&Path>) -> anyhow::Result<Source> {
    match from {
        Some(dir) => Source::from_dir(dir),
        None => Ok(Source::built_in()),
    }
}

/// Writes articles `0..count` under `out` in parallel and returns their sizes
/// in bytes. The files depend only on `source`, `seed` and the index.
pub fn write_corpus(out: &Path, source: &Source, seed: u64, count: usize) -> anyhow::Result<Vec<usize>> {
    for folder in 0..count.div_ceil(PER_FOLDER) {
        let path = out.join(format!("{folder:03}"));
        std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
    }
    (0..count).into_par_iter().map(|index| write_article(out, source, seed, index)).collect()
}

/// Writes article number `index` and returns its size in bytes.
fn write_article(out: &Path, source: &Source, seed: u64, index: usize) -> anyhow::Result<usize> {
    let mut rng = fastrand::Rng::with_seed(mix(seed ^ mix(index as u64)));
    let body = article::generate(&mut rng, source);
    let name = format!("{:03}/{index:06}_{:016x}.txt", index / PER_FOLDER, rng.u64(..));
    let path = out.join(name);
    std::fs::write(&path, &body).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(body.len())
}

/// SplitMix64's finaliser: neighbouring indices get unrelated seeds.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
