//! `broadsheet check --explain PATH`: how one file was read. Each line
//! above the body with the role it got and why, and where every field
//! came from (a line of the file, front matter, the sidecar, the file's
//! path, its folder, the text).

use super::draft::Draft;
use super::header::Explained;
use super::parse::parse_file_traced;
use super::{Article, FileInput, ParseError};

/// What the parser had found before the fields every layout shares were
/// derived (the path's date, the folder's section, the dateline's source).
#[derive(Debug, Default)]
pub(crate) struct Trace {
    lines: Vec<Explained>,
    origins: Vec<(&'static str, &'static str)>,
    /// Fields the file itself set, before anything was derived.
    set: Vec<&'static str>,
}

impl Trace {
    pub(crate) fn record(&mut self, draft: &Draft) {
        self.lines = draft.explained.clone();
        self.origins = draft.origins.clone();
        let fields = [
            ("title", draft.title.is_some()),
            ("date", draft.date.is_some()),
            ("author", draft.author.is_some()),
            ("section", draft.section.is_some()),
            ("source", draft.source.is_some()),
            ("url", draft.url.is_some()),
            ("tags", !draft.tags.is_empty()),
        ];
        self.set = fields.into_iter().filter(|(_, set)| *set).map(|(name, _)| name).collect();
    }
}

/// How one file was read.
#[derive(Debug)]
pub struct Explanation {
    /// The article, or why the file is none.
    pub article: Result<Article, ParseError>,
    /// The lines above the body: each with its role and the reason.
    pub lines: Vec<Explained>,
    /// Each field that has a value, with where it came from.
    pub fields: Vec<(&'static str, String, &'static str)>,
}

/// Parses one file and says how.
pub fn explain_file(input: &FileInput<'_>) -> Explanation {
    let mut trace = Trace::default();
    let article = parse_file_traced(input, Some(&mut trace));
    let fields = match &article {
        Ok(article) => fields_with_origins(article, &trace),
        Err(_) => Vec::new(),
    };
    Explanation { article, lines: trace.lines, fields }
}

fn fields_with_origins(article: &Article, trace: &Trace) -> Vec<(&'static str, String, &'static str)> {
    let details = article.details();
    let values = [
        ("title", Some(article.title.clone())),
        ("date", article.date.map(|date| date.to_string())),
        ("author", details.author.clone()),
        ("section", article.section.clone()),
        ("source", article.source.clone()),
        ("url", details.url.clone()),
        ("tags", (!details.tags.is_empty()).then(|| details.tags.join(", "))),
    ];
    values.into_iter().filter_map(|(name, value)| Some((name, value?, origin(name, article, trace)))).collect()
}

/// Where a field's value came from.
fn origin(name: &'static str, article: &Article, trace: &Trace) -> &'static str {
    let recorded = trace.origins.iter().rev().find(|(field, _)| *field == name).map(|(_, origin)| *origin);
    if trace.set.contains(&name) {
        return recorded.unwrap_or("the file");
    }
    match name {
        "date" => "the file's path (the file states no date)",
        "section" => "the file's folder",
        "source" if article.details().url.as_deref().and_then(super::header::url_host) == article.source.as_deref() => {
            "the URL's host"
        }
        "source" => "the text (a dateline, signature or credit)",
        "author" => "the text (a byline or signature)",
        _ => "the file",
    }
}
