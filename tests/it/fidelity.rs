//! Field accuracy of the parser against hand labels (`tests/fidelity/`):
//! every labelled field of every labelled file is scored, a table per
//! collection and field is printed, and the test fails below 98% overall
//! or below 90% for any collection. The labels were written by reading the
//! raw files; see `tests/fidelity/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use broadsheet::article::{Article, Warning};
use broadsheet::library::{LoadOptions, load_dir_report};

/// The overall share of labelled fields that must be right.
const OVERALL_TARGET: f64 = 0.98;
/// The share every collection must reach on its own.
const COLLECTION_TARGET: f64 = 0.90;

#[derive(serde::Deserialize)]
struct LabelFile {
    root: String,
    #[serde(rename = "file")]
    files: Vec<Label>,
}

/// A string or a list of acceptable strings.
#[derive(serde::Deserialize, Clone)]
#[serde(untagged)]
enum Expected {
    One(String),
    Any(Vec<String>),
}

impl Expected {
    fn options(&self) -> Vec<&str> {
        match self {
            Self::One(one) => vec![one.as_str()],
            Self::Any(any) => any.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(serde::Deserialize)]
struct Label {
    path: String,
    title: Option<Expected>,
    date: Option<Expected>,
    author: Option<Expected>,
    section: Option<Expected>,
    source: Option<Expected>,
    url: Option<Expected>,
    body_first: Option<Expected>,
    body_last: Option<Expected>,
    paragraphs: Option<usize>,
    #[serde(default)]
    not_in_body: Vec<String>,
}

/// Case, white space and quote styles do not count.
fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' | '`' => '\'',
            '“' | '”' => '"',
            '\u{a0}' | '\u{3000}' => ' ',
            other => other,
        })
        .collect();
    mapped.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names compare as words: punctuation, `and`, `&` and case do not count.
fn name_words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced
        .to_lowercase()
        .split_whitespace()
        .filter(|word| !matches!(*word, "and" | "y" | "und"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn same(expected: &Expected, actual: Option<&str>, compare: fn(&str) -> String) -> bool {
    let actual = compare(actual.unwrap_or(""));
    expected.options().iter().any(|option| compare(option) == actual)
}

fn body_texts(article: &Article) -> Vec<String> {
    article.paragraphs.iter().map(|paragraph| normalise(paragraph.text())).filter(|t| !t.is_empty()).collect()
}

/// A scored text field: its name, the label, the parser's value, and how
/// the two are compared.
type TextField<'a> = (&'static str, &'a Option<Expected>, Option<&'a str>, fn(&str) -> String);

/// The result of one field of one file.
struct Score {
    field: &'static str,
    right: bool,
    detail: String,
}

fn score(label: &Label, article: Option<&Article>) -> Vec<Score> {
    let mut scores = Vec::new();
    let mut check = |field: &'static str, right: bool, detail: String| scores.push(Score { field, right, detail });
    let Some(article) = article else {
        // A file whose labels all say "nothing here" is right not to be an
        // article (a page without a title, served as a load problem).
        let nothing = |expected: &Option<Expected>| expected.as_ref().is_none_or(|e| e.options().contains(&""));
        let all_empty = [&label.title, &label.date, &label.author, &label.section, &label.source, &label.url]
            .into_iter()
            .all(nothing)
            && label.body_first.is_none()
            && label.body_last.is_none();
        let fields = [
            ("title", label.title.is_some()),
            ("date", label.date.is_some()),
            ("author", label.author.is_some()),
            ("section", label.section.is_some()),
            ("source", label.source.is_some()),
            ("url", label.url.is_some()),
            ("body_first", label.body_first.is_some()),
            ("body_last", label.body_last.is_some()),
            ("paragraphs", label.paragraphs.is_some()),
            ("not_in_body", !label.not_in_body.is_empty()),
        ];
        for (field, labelled) in fields {
            if labelled {
                check(field, all_empty, "not loaded as an article".to_owned());
            }
        }
        return scores;
    };
    let details = article.details();
    let date = article.date.map(|date| date.to_string());
    // A title derived from the first sentence says the file has none.
    let derived = details.warnings.contains(&Warning::NoTitleLine);
    let title = (!derived).then_some(article.title.as_str());
    let texts: [TextField<'_>; 6] = [
        ("title", &label.title, title, normalise),
        ("date", &label.date, date.as_deref(), normalise),
        ("author", &label.author, details.author.as_deref(), name_words),
        ("section", &label.section, article.section.as_deref(), name_words),
        ("source", &label.source, article.source.as_deref(), normalise),
        ("url", &label.url, details.url.as_deref(), normalise),
    ];
    for (field, expected, actual, compare) in texts {
        if let Some(expected) = expected {
            check(field, same(expected, actual, compare), format!("got {actual:?}"));
        }
    }
    let texts = body_texts(article);
    let body = texts.join(" ");
    if let Some(expected) = &label.body_first {
        let right = expected.options().iter().any(|option| body.starts_with(&normalise(option)));
        check("body_first", right, format!("got {:?}", body.chars().take(80).collect::<String>()));
    }
    if let Some(expected) = &label.body_last {
        let last_three = &texts[texts.len().saturating_sub(3)..];
        let right = expected.options().iter().any(|option| {
            let option = normalise(option);
            body.ends_with(&option) || last_three.iter().any(|text| text.ends_with(&option))
        });
        let tail: String = body.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
        check("body_last", right, format!("got …{tail:?}"));
    }
    if let Some(expected) = label.paragraphs {
        let actual = article.paragraphs.len();
        let tolerance = 2.max(expected / 5);
        check("paragraphs", actual.abs_diff(expected) <= tolerance, format!("got {actual}, expected {expected}"));
    }
    if !label.not_in_body.is_empty() {
        let raw: String = article.paragraphs.iter().map(|p| p.text().to_owned()).collect::<Vec<_>>().join("\n");
        let found: Vec<&String> = label.not_in_body.iter().filter(|needle| raw.contains(needle.as_str())).collect();
        check("not_in_body", found.is_empty(), format!("found {found:?}"));
    }
    scores
}

fn label_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        walk(dir).into_iter().filter(|path| path.extension().is_some_and(|e| e == "toml")).collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { walk(&path) } else { vec![path] }
        })
        .collect()
}

#[test]
fn the_parser_reads_labelled_fields_as_a_careful_reader_does() {
    let Some(shared) = crate::support::shared_data::shared_dir("") else { return };
    let labels_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity");
    let mut table: BTreeMap<String, BTreeMap<&'static str, (usize, usize)>> = BTreeMap::new();
    let mut misses = Vec::new();
    for file in label_files(&labels_dir) {
        let text = std::fs::read_to_string(&file).expect("label file");
        let labels: LabelFile = toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let root = shared.join(&labels.root);
        let (library, _) = load_dir_report(&root, &LoadOptions::default()).expect("collection loads");
        let collection = labels.root.clone();
        for label in &labels.files {
            let article = library.articles().iter().find(|a| a.path.as_deref() == Some(Path::new(&label.path)));
            for result in score(label, article.map(|a| a.as_ref())) {
                let cell = table.entry(collection.clone()).or_default().entry(result.field).or_default();
                cell.0 += usize::from(result.right);
                cell.1 += 1;
                if !result.right {
                    misses.push(format!("{collection}/{}: {}: {}", label.path, result.field, result.detail));
                }
            }
        }
    }
    let (report, failures) = render(&table);
    eprintln!("{report}");
    if std::env::var_os("FIDELITY_MISSES").is_some() {
        eprintln!("{}", misses.join("\n"));
    }
    assert!(failures.is_empty(), "below target: {failures:?}\nset FIDELITY_MISSES=1 to list every miss");
}

/// The table, and what is below target.
fn render(table: &BTreeMap<String, BTreeMap<&'static str, (usize, usize)>>) -> (String, Vec<String>) {
    const FIELDS: [&str; 10] =
        ["title", "date", "author", "section", "source", "url", "body_first", "body_last", "paragraphs", "not_in_body"];
    let mut out = format!("{:<34}", "collection");
    for field in FIELDS {
        out.push_str(&format!("{:>12}", field));
    }
    out.push_str(&format!("{:>10}\n", "all"));
    let mut failures = Vec::new();
    let (mut right_all, mut total_all) = (0, 0);
    for (collection, fields) in table {
        out.push_str(&format!("{collection:<34}"));
        for field in FIELDS {
            match fields.get(field) {
                Some((right, total)) => out.push_str(&format!("{:>12}", format!("{right}/{total}"))),
                None => out.push_str(&format!("{:>12}", "-")),
            }
        }
        let (right, total) = fields.values().fold((0, 0), |(r, t), (right, total)| (r + right, t + total));
        right_all += right;
        total_all += total;
        let share = right as f64 / total.max(1) as f64;
        out.push_str(&format!("{:>9.1}%\n", share * 100.0));
        if share < COLLECTION_TARGET {
            failures.push(format!("{collection}: {:.1}%", share * 100.0));
        }
    }
    let overall = right_all as f64 / total_all.max(1) as f64;
    out.push_str(&format!("overall: {right_all}/{total_all} = {:.1}%\n", overall * 100.0));
    if overall < OVERALL_TARGET {
        failures.push(format!("overall: {:.1}%", overall * 100.0));
    }
    (out, failures)
}
