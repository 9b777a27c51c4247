//! The benchmark corpus generator (`examples/gen_corpus`) writes files the
//! real loader reads as intended: every file an article with the seed's
//! fields, realistic sizes, and the same bytes for the same seed.

#[path = "../../../examples/gen_corpus/article.rs"]
mod article;
#[path = "../../../examples/gen_corpus/corpus.rs"]
mod corpus;
#[path = "../../../examples/gen_corpus/text.rs"]
mod text;

use broadsheet::article::ParagraphRef;
use broadsheet::library::load_dir;
use std::path::Path;

fn generate(dir: &Path, from: Option<&Path>, seed: u64, count: usize) -> Vec<usize> {
    let source = corpus::source(from).expect("source");
    corpus::write_corpus(dir, &source, seed, count).expect("write corpus")
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("entry"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).expect("relative").to_string_lossy().into_owned();
            (relative, std::fs::read(entry.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn assert_realistic(dir: &Path, count: usize, sizes: &mut [usize]) {
    let library = load_dir(dir).expect("load");
    assert!(library.problems().is_empty(), "{:?}", library.problems());
    assert_eq!(library.len(), count);
    let articles = library.articles();
    // The loader packs bodies into shared strings as it reads (memory).
    assert!(articles.iter().all(|a| a.paragraphs.is_packed()), "a full load packs every body");
    let dated = articles.iter().filter(|a| a.date.is_some()).count();
    let with_source = articles.iter().filter(|a| a.source.is_some()).count();
    let with_section = articles.iter().filter(|a| a.section.is_some()).count();
    let with_caption =
        articles.iter().filter(|a| a.paragraphs.iter().any(|p| matches!(p, ParagraphRef::Caption { .. }))).count();
    for (name, found) in [("dates", dated), ("sources", with_source), ("sections", with_section)] {
        assert!(found * 100 >= count * 95, "only {found} of {count} articles have {name}");
    }
    assert!(with_caption * 100 >= count * 40, "only {with_caption} of {count} articles have a caption");
    let years: std::collections::BTreeSet<i16> = articles.iter().filter_map(|a| a.date.map(|d| d.year())).collect();
    assert!(years.len() >= 5, "dates span only {years:?}");
    assert!(articles.iter().all(|a| !a.title.is_empty() && a.paragraphs.len() >= 2));
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!((3_000..=5_500).contains(&median), "median size {median} bytes, expected about 4 KB");
}

#[test]
fn generated_articles_load_without_problems_and_look_like_news() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sizes = generate(dir.path(), None, 1, 400);
    assert_realistic(dir.path(), 400, &mut sizes);
    assert!(dir.path().join("000").is_dir(), "articles go to folders of 1,000");
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_does_not() {
    let (first, second, other) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    generate(first.path(), None, 7, 200);
    generate(second.path(), None, 7, 200);
    generate(other.path(), None, 8, 200);
    assert_eq!(read_all(first.path()), read_all(second.path()));
    assert_ne!(read_all(first.path()), read_all(other.path()));
}

#[test]
fn bodies_can_come_from_real_article_texts() {
    let Some(real) = crate::support::shared_data::shared_dir("corpus/bbc-fulltext") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sizes = generate(dir.path(), Some(&real), 1, 300);
    assert_realistic(dir.path(), 300, &mut sizes);
    let text: String =
        read_all(dir.path()).into_iter().map(|(_, bytes)| String::from_utf8(bytes).expect("utf-8")).collect();
    // BBC style ("Mr Kennedy"), which the built-in word list never writes.
    assert!(text.contains("Mr "), "bodies do not come from the source texts");
}
