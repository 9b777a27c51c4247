//! Generates a large, realistic corpus of newswire articles for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --count 100000 --out target/bench-corpus/100000 \
//!     [--from ../shared/corpus/bbc-fulltext] [--seed 1]
//! ```
//!
//! Every file has the layout of the seed article (section, title, date,
//! syndication line, boilerplate, paragraphs, some captions), sizes follow a
//! log-normal distribution with a median of about 4 KB, and files are spread
//! over folders of 1,000 (`042/042137_3ea0f84f1e61d9e9.txt`). The output
//! depends only on the arguments and the `--from` files: each article draws
//! from its own generator seeded with (`--seed`, index), so the parallel
//! writing order does not matter.

mod article;
mod corpus;
mod text;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

/// Write N synthetic articles in the newswire layout.
#[derive(Debug, Parser)]
struct Args {
    /// How many articles to write.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Output directory (created if missing; existing files are overwritten).
    #[arg(long)]
    out: PathBuf,
    /// Directory of real article texts (searched recursively) whose titles and
    /// sentences are recombined into bodies; without it, a built-in word list.
    #[arg(long)]
    from: Option<PathBuf>,
    /// Seed of the generator: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let source = corpus::source(args.from.as_deref())?;
    let mut sizes = corpus::write_corpus(&args.out, &source, args.seed, args.count)?;
    sizes.sort_unstable();
    let total: usize = sizes.iter().sum();
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
    eprintln!(
        "wrote {} articles ({:.1} MB, median {median} bytes) to {} in {:.2?}",
        args.count,
        total as f64 / 1e6,
        args.out.display(),
        started.elapsed()
    );
    Ok(())
}
