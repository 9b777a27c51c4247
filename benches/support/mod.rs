//! What the benchmarks share: a generated corpus, written by the same code as
//! `cargo run --example gen_corpus`, so benchmarks and load tests see the
//! same kind of files.

#[path = "../../examples/gen_corpus/article.rs"]
mod article;
#[path = "../../examples/gen_corpus/corpus.rs"]
mod corpus;
#[path = "../../examples/gen_corpus/text.rs"]
mod text;

use std::path::Path;

/// The original seed article, the "hot" page of the benchmarks.
pub const SEED: &str = include_str!("../../articles/000_3ea0f84f1e61d9e9.txt");
/// Its id.
pub const SEED_ID: &str = "000_3ea0f84f1e61d9e9";

/// Writes the seed plus `count` generated articles (seed 1) into a temporary
/// directory. Bodies come from `../shared/corpus/bbc-fulltext` when it is
/// there, so they read like real news; otherwise from the built-in word list.
pub fn generated_corpus(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let real_text = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc-fulltext");
    let from = real_text.is_dir().then_some(real_text.as_path());
    if from.is_none() {
        eprintln!("note: {} is missing; generating bodies from the built-in word list", real_text.display());
    }
    let source = corpus::source(from).expect("corpus source");
    corpus::write_corpus(dir.path(), &source, 1, count).expect("write corpus");
    std::fs::write(dir.path().join(format!("{SEED_ID}.txt")), SEED).expect("write seed");
    dir
}
