//! The site under test: the real server on 127.0.0.1:0 over a temporary
//! directory holding the seed and a few hand-written articles, and the table
//! of page types every browser check runs on.

use std::path::Path;

use broadsheet::library::load_dir;
use broadsheet::web::{AppState, Site, router};

pub const SEED_ID: &str = "000_3ea0f84f1e61d9e9";
const SEED: &str = include_str!("../../articles/000_3ea0f84f1e61d9e9.txt");

/// One page type to check: a name for reports and screenshot files, the path
/// to load, and the status it must answer with.
pub struct PageType {
    pub name: &'static str,
    pub path: &'static str,
    pub status: u16,
}

/// Every page type the site has. Add a row when a route is added.
pub const PAGE_TYPES: &[PageType] = &[
    PageType { name: "index", path: "/", status: 200 },
    PageType { name: "index-page-2", path: "/?page=2", status: 200 },
    PageType { name: "article", path: "/articles/000_3ea0f84f1e61d9e9", status: 200 },
    PageType { name: "article-with-long-words", path: "/articles/long/words", status: 200 },
    PageType { name: "not-found", path: "/no/such/page", status: 404 },
    PageType { name: "bad-request", path: "/?page=abc", status: 400 },
];

/// The running server; it stops when the test's runtime ends.
pub struct TestSite {
    pub base_url: String,
    _articles: tempfile::TempDir,
}

impl TestSite {
    /// Writes the articles and starts the real server on a free port.
    pub async fn start() -> Self {
        let articles = tempfile::tempdir().expect("tempdir");
        write_articles(articles.path());
        let library = load_dir(articles.path()).expect("load articles");
        assert!(library.problems().is_empty(), "test articles must parse: {:?}", library.problems());
        let app = router(AppState::new(library, Site::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self { base_url: format!("http://{address}"), _articles: articles }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// The seed, an article built to break layouts (a long title, an unbreakable
/// URL and word), and enough dated articles around the seed for two index
/// pages and neighbours on both sides of it.
fn write_articles(dir: &Path) {
    std::fs::write(dir.join(format!("{SEED_ID}.txt")), SEED).expect("write seed");
    std::fs::create_dir_all(dir.join("long")).expect("mkdir");
    std::fs::write(dir.join("long/words.txt"), LONG_WORDS).expect("write article");
    let sections = ["World News", "Business", "Science & Technology", "Sport"];
    for n in 0..24 {
        let day = n % 28 + 1;
        let section = sections[n % sections.len()];
        let text = format!(
            "{section}\n\nStory {n}: officials weigh the next steps after a week of talks\n\n{day} November 2024\n\
             This content originally appeared on Test Wire.\n\nThe first paragraph of story {n} sets out what happened \
             and why it matters to readers.\n\nA second paragraph adds detail, quotes and context.\n"
        );
        std::fs::write(dir.join(format!("story-{n:02}.txt")), text).expect("write article");
    }
}

const LONG_WORDS: &str = "Science & Technology\n\n\
Supercalifragilisticexpialidocious-Pneumonoultramicroscopicsilicovolcanoconiosis: the very long headline that must wrap on a phone\n\n\
1 October 2024\nThis content originally appeared on Example Gazette With A Rather Long Name.\n\n\
The report is at https://example.org/a/very/long/path/that/does/not/break/anywhere/naturally/and/would/overflow/a/phone/screen/if/nothing/wrapped/it.html and nowhere else.\n\n\
Chemists call it methionylthreonylthreonylglutaminylarginyltyrosylglutamylserylleucylphenylalanylalanylglutamine for short.\n\n\
A crowd waits outside the hall in the rain on Tuesday [Jane Doe/Example Photo Agency]\n";
