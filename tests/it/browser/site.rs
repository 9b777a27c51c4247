//! The site under test: the real server on 127.0.0.1:0 over a temporary
//! directory holding the seed and hand-written articles across several
//! sections, sources and months (and a few undated ones, and one file that
//! does not load), and the table of page types every browser check runs on.

use std::path::Path;

use broadsheet::library::load_dir;

pub use crate::support::SEED_ID;
use crate::support::TestApp;
const SEED: &str = include_str!("../../../articles/000_3ea0f84f1e61d9e9.txt");

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
    PageType { name: "article-titled-with-a-url", path: "/articles/long/url", status: 200 },
    PageType { name: "article-undated", path: "/articles/undated-1", status: 200 },
    PageType { name: "sections", path: "/sections", status: 200 },
    PageType { name: "section", path: "/sections/world-news", status: 200 },
    PageType { name: "sources", path: "/sources", status: 200 },
    PageType { name: "source", path: "/sources/test-wire", status: 200 },
    PageType {
        name: "source-with-a-long-name",
        path: "/sources/deutsche-rundfunkanstalt-fur-nachrichtenubermittlungsdienstleistungsgesellschaft",
        status: 200,
    },
    PageType { name: "tags", path: "/tags", status: 200 },
    PageType { name: "tag", path: "/tags/harbour-elections", status: 200 },
    PageType { name: "article-with-tags", path: "/articles/tagged", status: 200 },
    PageType { name: "archive", path: "/archive", status: 200 },
    PageType { name: "archive-year", path: "/archive/2024", status: 200 },
    PageType { name: "archive-month", path: "/archive/2024/11", status: 200 },
    PageType { name: "archive-undated", path: "/archive/undated", status: 200 },
    PageType { name: "search-results", path: "/search?q=Yoon", status: 200 },
    PageType { name: "search-results-by-date", path: "/search?q=talks&sort=date&section=sport", status: 200 },
    PageType { name: "search-empty", path: "/search", status: 200 },
    PageType { name: "search-no-results", path: "/search?q=zeppelin", status: 200 },
    PageType { name: "problems", path: "/problems", status: 200 },
    PageType { name: "deployment", path: "/about/deployment", status: 200 },
    PageType { name: "not-found", path: "/no/such/page", status: 404 },
    PageType { name: "bad-request", path: "/?page=abc", status: 400 },
];

/// The file in the test articles that must fail to load, so `/problems`
/// has something to show.
pub const BROKEN_FILE: &str = "broken-empty.txt";

/// The running server; it stops when the test's runtime ends.
pub struct TestSite {
    pub base_url: String,
    _articles: tempfile::TempDir,
}

impl TestSite {
    /// Writes the articles, starts the real server on a free port and waits
    /// for the search index, so search pages show results, not "indexing…".
    pub async fn start() -> Self {
        let articles = tempfile::tempdir().expect("tempdir");
        write_articles(articles.path());
        let library = load_dir(articles.path()).expect("load articles");
        let problems: Vec<String> =
            library.problems().iter().map(|problem| problem.path.display().to_string()).collect();
        assert_eq!(problems, [BROKEN_FILE], "only the deliberately broken file may fail to load");
        let app = TestApp::of(library).search_ready().build().router;
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

/// The seed; two articles built to break layouts (a long title, an
/// unbreakable URL and word; a title that is one URL, shown again in the
/// neighbour's previous/next links, and a one-word compound source name); enough dated articles for two index pages, neighbours on
/// both sides of the seed, four sections, three sources and four months over
/// two years; three undated articles (one with a date Broadsheet cannot read,
/// a warning on `/problems`); a Markdown article with tags, one of them an
/// unbreakable word; and an empty file that does not load.
fn write_articles(dir: &Path) {
    std::fs::write(dir.join(format!("{SEED_ID}.txt")), SEED).expect("write seed");
    std::fs::create_dir_all(dir.join("long")).expect("mkdir");
    std::fs::write(dir.join("long/words.txt"), LONG_WORDS).expect("write article");
    std::fs::write(dir.join("long/url.txt"), URL_TITLE).expect("write article");
    let sections = ["World News", "Business", "Science & Technology", "Sport"];
    let sources = ["Test Wire", "The Harbour Times", "Example Gazette With A Rather Long Name"];
    let months = ["November 2024", "November 2024", "October 2024", "January 2025", "September 2023"];
    for n in 0..24 {
        let (section, source, month) = (sections[n % 4], sources[n % 3], months[n % 5]);
        let day = n % 28 + 1;
        let text = format!(
            "{section}\n\nStory {n}: officials weigh the next steps after a week of talks\n\n{day} {month}\n\
             This content originally appeared on {source}.\n\nThe first paragraph of story {n} sets out what \
             happened and why it matters to readers.\n\nA second paragraph adds detail, quotes and context.\n"
        );
        std::fs::write(dir.join(format!("story-{n:02}.txt")), text).expect("write article");
    }
    for (n, date) in [(1, ""), (2, ""), (3, "Date: sometime last spring\n")] {
        let text = format!(
            "Title: An undated letter from the harbour, number {n}\n{date}Section: Letters\nSource: Test Wire\n\n\
             Nobody wrote down when this letter arrived, so it lives in the undated part of the archive.\n\n\
             It still reads well, and search still finds it.\n"
        );
        std::fs::write(dir.join(format!("undated-{n}.txt")), text).expect("write article");
    }
    std::fs::write(dir.join("tagged.md"), TAGGED).expect("write article");
    std::fs::write(dir.join(BROKEN_FILE), "").expect("write broken file");
}

/// The oldest article, so no other page's neighbours change.
const TAGGED: &str = "---\ntitle: Harbour elections draw a record turnout\ndate: 2023-09-01\nsection: World News\n\
tags: [Harbour elections, Turnout, Donaudampfschifffahrtsgesellschaftskapitaenskajuetenschluessel]\n---\n\n\
Voters queued along the quay from early morning.\n\nThe count finished after midnight.\n";

const LONG_WORDS: &str = "Science & Technology\n\n\
Supercalifragilisticexpialidocious-Pneumonoultramicroscopicsilicovolcanoconiosis: the very long headline that must wrap on a phone\n\n\
1 October 2024\nThis content originally appeared on Example Gazette With A Rather Long Name.\n\n\
The report is at https://example.org/a/very/long/path/that/does/not/break/anywhere/naturally/and/would/overflow/a/phone/screen/if/nothing/wrapped/it.html and nowhere else.\n\n\
Chemists call it methionylthreonylthreonylglutaminylarginyltyrosylglutamylserylleucylphenylalanylalanylglutamine for short.\n\n\
A crowd waits outside the hall in the rain on Tuesday [Jane Doe/Example Photo Agency]\n";

/// A day newer than `LONG_WORDS`, so each is in the other's previous/next links.
const URL_TITLE: &str = "Science & Technology\n\n\
https://www.example.com/this/is/a/very/long/url/used/as/a/title/without/any/spaces/at/all/whatsoever/index.html\n\n\
2 October 2024\nThis content originally appeared on Deutsche Rundfunkanstalt für Nachrichtenübermittlungsdienstleistungsgesellschaft.\n\n\
A short body under a title nobody should write.\n";
