//! One real article of every collection in `../shared/corpus-2` (the first
//! one labelled in `tests/fidelity/corpus-2/`), served by the real server
//! and checked like the page types: the Nu Html Checker, and in Chromium at
//! a phone's width in both colour schemes, axe-core and no sideways
//! scrolling. These are the bodies site generators, scrapers and wires
//! write (raw HTML, Liquid, shortcodes, tables, code), where layouts break.

use std::path::{Path, PathBuf};

use broadsheet::library::load_dir;

use super::checks::check_url;
use super::driver::Browser;
use super::{SCHEMES, nu_checker_errors, tools};
use crate::support::TestApp;

/// The server over a copy of one article per collection, and each page's
/// collection and path.
struct RealSite {
    base_url: String,
    pages: Vec<(String, String)>,
    _articles: tempfile::TempDir,
}

impl RealSite {
    async fn start(corpus: &Path) -> Self {
        let articles = tempfile::tempdir().expect("tempdir");
        let mut copied = Vec::new();
        for (collection, file) in first_labelled_files() {
            let name = file.file_name().expect("a file name");
            let target = articles.path().join(&collection).join(name);
            std::fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
            std::fs::copy(corpus.join(&collection).join(&file), &target).expect("copy article");
            copied.push((collection, target));
        }
        let library = load_dir(articles.path()).expect("load articles");
        let pages = copied
            .into_iter()
            .map(|(collection, target)| {
                let relative = target.strip_prefix(articles.path()).expect("inside").to_path_buf();
                let article = library.articles().iter().find(|a| a.path.as_ref() == Some(&relative));
                let article =
                    article.unwrap_or_else(|| panic!("{} did not load: {:?}", relative.display(), library.problems()));
                (collection, format!("/articles/{}", article.id))
            })
            .collect();
        let app = TestApp::of(library).search_ready().build().router;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self { base_url: format!("http://{address}"), pages, _articles: articles }
    }
}

/// (collection, file) for the first labelled file of every collection.
fn first_labelled_files() -> Vec<(String, PathBuf)> {
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity/corpus-2");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(labels).expect("labels").flatten().map(|entry| entry.path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|path| path.extension().is_some_and(|extension| extension == "toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("label file");
            let table: toml::Table = text.parse().expect("labels parse");
            let first = table["file"].as_array().and_then(|files| files.first()).expect("a labelled file");
            let file = first["path"].as_str().expect("a path");
            let collection = path.file_stem().expect("a name").to_string_lossy().into_owned();
            (collection, PathBuf::from(file))
        })
        .collect()
}

#[tokio::test]
async fn a_real_article_of_every_collection_is_valid_and_reads_well_on_a_phone() {
    let Some(corpus) = crate::support::shared_data::shared_dir("corpus-2") else { return };
    let Some([java, vnu, chromium, chromedriver, axe]) = tools::checker_and_browser("real articles in the browser")
    else {
        return;
    };
    let site = RealSite::start(&corpus).await;
    let urls: Vec<(String, String)> =
        site.pages.iter().map(|(collection, path)| (collection.clone(), format!("{}{path}", site.base_url))).collect();
    let errors = nu_checker_errors(&java, &vnu, &urls).await;
    assert!(errors.is_empty(), "the Nu Html Checker found errors:\n{}", errors.join("\n"));
    let axe = std::fs::read_to_string(axe).expect("read axe.min.js");
    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.set_viewport(375, 812, true).await;
    let mut problems = Vec::new();
    for &scheme in SCHEMES {
        browser.set_color_scheme(scheme).await;
        for (collection, path) in &site.pages {
            let url = format!("{}{path}", site.base_url);
            let found = check_url(&browser, &url, 200, scheme, &axe).await;
            problems.extend(found.into_iter().map(|problem| format!("{collection} ({path}), {scheme}: {problem}")));
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    println!("checked {} real articles, one per collection", site.pages.len());
}
