//! Hand-written article fixtures for the browse and search tests: articles
//! in a directory, the real router over them with the search index ready,
//! and the titles an article list shows.

use std::path::Path;

use super::TestApp;

/// One hand-written article in the newswire layout; `None` leaves a line out.
pub struct Fixture<'a> {
    pub path: &'a str,
    pub section: Option<&'a str>,
    pub title: &'a str,
    pub date: Option<&'a str>,
    pub source: Option<&'a str>,
    pub body: &'a str,
}

impl Fixture<'_> {
    /// The file's text.
    pub fn text(&self) -> String {
        let mut text = String::new();
        if let Some(section) = self.section {
            text.push_str(&format!("{section}\n\n"));
        }
        text.push_str(&format!("{}\n\n", self.title));
        let mut header = Vec::new();
        if let Some(date) = self.date {
            header.push(date.to_owned());
        }
        if let Some(source) = self.source {
            header.push(format!("This content originally appeared on {source}."));
        }
        if !header.is_empty() {
            text.push_str(&format!("{}\n\n", header.join("\n")));
        }
        text.push_str(self.body);
        text.push('\n');
        text
    }
}

/// Writes `fixtures` into a new temp directory.
pub fn write_fixtures(fixtures: &[Fixture<'_>]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for fixture in fixtures {
        let path = dir.path().join(format!("{}.txt", fixture.path));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(&path, fixture.text()).expect("write fixture");
    }
    dir
}

/// The app over `dir`, titled "Test", served at `base_path`, with the
/// search index ready.
pub fn app(dir: &Path, base_path: &str) -> TestApp {
    TestApp::over(dir).title("Test").base(base_path).search_ready().build()
}

/// Titles of the articles listed on a page, in order (`<h2>`/`<h3>` links in
/// the article list; the front page's list has a second class).
pub fn listed_titles(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"article-list") else { return Vec::new() };
    let list = &html[start..html[start..].find("</ol>").map_or(html.len(), |end| start + end)];
    list.split("<article>")
        .skip(1)
        .filter_map(|item| {
            let link = &item[item.find("<a href=\"")?..];
            let text_start = link.find("\">")? + 2;
            let text_end = link.find("</a>")?;
            Some(link[text_start..text_end].to_owned())
        })
        .collect()
}

/// One Markdown article with front matter: `(path, title, date, tags)`.
pub type Tagged<'a> = (&'a str, &'a str, &'a str, &'a [&'a str]);

/// Writes Markdown articles with `tags:` in their front matter (and the
/// section "World News") into a new temp directory.
pub fn write_tagged(articles: &[Tagged<'_>]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, title, date, tags) in articles {
        let path = dir.path().join(format!("{path}.md"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        let text = format!(
            "---\ntitle: {title}\ndate: {date}\nsection: World News\ntags: [{}]\n---\n\n\
             A paragraph of text, long enough to read as a body.\n\nA second paragraph.\n",
            tags.join(", ")
        );
        std::fs::write(&path, text).expect("write fixture");
    }
    dir
}
