//! What the integration tests share: the app over a temporary articles
//! directory ([`TestApp`]), requests through the router in-process
//! ([`request`]), a real server on a socket ([`server`]), a crawler
//! ([`crawl`]), hand-written article fixtures ([`fixtures`]), `../shared`
//! ([`shared_data`]) and XML and feed readers ([`xml`]).

pub mod app;
pub mod binary;
pub mod crawl;
pub mod fixtures;
pub mod images;
pub mod request;
pub mod server;
pub mod shared_data;
pub mod xml;

use std::path::{Path, PathBuf};

pub use app::TestApp;
pub use crawl::{Crawl, crawl, links};
pub use request::{Reply, get, send};
pub use server::{RunningServer, raw_request, raw_status};

/// The id of the bundled seed article.
pub const SEED_ID: &str = "000_3ea0f84f1e61d9e9";

/// The repository's `articles/` folder (the seed article).
pub fn repo_articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

/// A temporary directory with the seed and `extra` small generated
/// articles (enough for several index pages when `extra` > 20).
pub fn articles_dir(extra: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read(repo_articles().join(format!("{SEED_ID}.txt"))).expect("seed article");
    std::fs::write(dir.path().join(format!("{SEED_ID}.txt")), seed).expect("write seed");
    std::fs::create_dir(dir.path().join("regional")).expect("sub-folder");
    for number in 0..extra {
        let folder = if number % 5 == 0 { "regional/" } else { "" };
        let text = format!(
            "Business\n\nTest headline number {number}\n\n{} March 2024\nThis content originally appeared on Test Wire.\n\n\
             First paragraph of article {number}, with a few words.\n\nSecond paragraph.\n",
            1 + number % 28
        );
        std::fs::write(dir.path().join(format!("{folder}{number:03}_test.txt")), text).expect("write article");
    }
    dir
}

/// Whether tests that need a system tool must fail (CI) instead of skip.
pub fn e2e_required() -> bool {
    std::env::var("BROADSHEET_E2E").is_ok_and(|value| value == "1")
}
