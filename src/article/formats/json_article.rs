//! Articles saved as JSON by scrapers: newspaper3k/4k (`title`, `authors`,
//! `publish_date`, `text`, `url`, `meta_site_name`, `meta_description`,
//! `meta_keywords`), trafilatura (`author` with `; `, `date`, `sitename`,
//! `source` as the URL, `excerpt`, `categories`) and news-please
//! (`maintext`, `date_publish`, `source_domain`).
//!
//! A JSON object with a text body is an article; without one it is only
//! metadata, and a file of it is either a sidecar (see
//! [`super::super::sidecar`]) or not an article at all, as is a JSON array
//! (a feed dump). [`normalise`] maps the scrapers' keys onto the names
//! every metadata source shares, for articles and sidecars alike, and drops
//! what would only be noise: image lists, the body itself, and newspaper's
//! `keywords`, which are words counted by its NLP rather than the
//! publisher's tags (`"`, `(`, `.` among them).

use serde_json::{Map, Value};

use super::super::body;
use super::super::draft::Draft;
use super::super::{Format, sidecar};

/// Keys that hold the body, most specific first.
const BODY_KEYS: &[&str] = &["text", "maintext", "articleBody", "content", "raw_text", "text_cleaned"];

/// Keys whose values are never metadata worth keeping.
const NOISE_KEYS: &[&str] = &[
    "images",
    "imgs",
    "movies",
    "meta_img",
    "meta_favicon",
    "meta_lang",
    "meta_data",
    "read_more_link",
    "html",
    "article_html",
    "fingerprint",
    "raw_text",
    "text_cleaned",
];

/// Why a JSON file is not an article, for the list of ignored files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotAnArticle(pub &'static str);

/// Parses a JSON article. The title may still be missing; the caller
/// reports that.
pub(crate) fn parse(text: &str) -> Result<Draft, NotAnArticle> {
    let value: Value = serde_json::from_str(text).map_err(|_| NotAnArticle("not valid JSON"))?;
    let mut object = match value {
        Value::Object(object) => object,
        Value::Array(_) => return Err(NotAnArticle("a JSON array (a feed or a list), not one article")),
        _ => return Err(NotAnArticle("JSON that is not an object")),
    };
    let Some(body_text) = take_body(&mut object) else {
        return Err(NotAnArticle("JSON without a `text` body, and no article of the same name to describe"));
    };
    let mut draft = Draft::new(Format::Json);
    draft.reading = "the JSON object's keys";
    draft.apply(sidecar::fields(normalise(object)), false);
    draft.reading = "";
    // A saved web page names its publication by its address at least.
    if draft.source.is_none() {
        draft.source = draft.url.as_deref().and_then(host).map(str::to_owned);
    }
    let lines: Vec<&str> = body_text.lines().collect();
    draft.paragraphs = body::paragraphs(&lines);
    Ok(draft)
}

/// Whether the object holds a non-empty body.
pub(crate) fn has_body(object: &Map<String, Value>) -> bool {
    BODY_KEYS.iter().any(|key| object.get(*key).and_then(Value::as_str).is_some_and(|text| !text.trim().is_empty()))
}

/// Removes the body keys and returns the first non-empty body.
fn take_body(object: &mut Map<String, Value>) -> Option<String> {
    first_text(object, BODY_KEYS)
}

/// Maps scraper keys onto the shared metadata names (`author`, `date`,
/// `source`, `summary`, `tags`, `url`, `section`) and drops noise. Other
/// keys pass through unchanged, so a hand-written sidecar reads as before.
pub(crate) fn normalise(mut object: Map<String, Value>) -> Map<String, Value> {
    take_body(&mut object);
    for key in NOISE_KEYS {
        object.remove(*key);
    }
    normalise_authors(&mut object);
    normalise_source_and_url(&mut object);
    normalise_tags(&mut object);
    let summary = first_text(&mut object, &["description", "meta_description", "excerpt", "summary"]);
    if let Some(summary) = summary {
        object.insert("summary".to_owned(), Value::String(summary));
    }
    for (from, to) in [("date_publish", "date"), ("top_image", "image"), ("top_img", "image")] {
        if let Some(value) = object.remove(from).filter(|value| !is_empty(value)) {
            object.entry(to).or_insert(value);
        }
    }
    if let Some(Value::String(categories)) = object.remove("categories") {
        let first = categories.split([';', ',']).map(str::trim).find(|category| !category.is_empty());
        if let Some(first) = first {
            object.entry("section").or_insert_with(|| Value::String(first.to_owned()));
        }
    }
    object
}

/// `authors: ["A", "B"]` or trafilatura's `author: "A; B"` → `author:
/// "A, B"`, without what scrapers mistake for names (a domain such as
/// `www.facebook.com`, lower-case fragments such as `on December`).
fn normalise_authors(object: &mut Map<String, Value>) {
    let listed: Vec<String> = match object.remove("authors") {
        Some(Value::Array(items)) => items.into_iter().filter_map(|item| item.as_str().map(str::to_owned)).collect(),
        Some(Value::String(text)) => vec![text],
        _ => Vec::new(),
    };
    let single = match object.get("author") {
        Some(Value::String(text)) if listed.is_empty() => text.split(';').map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = listed.into_iter().chain(single).map(|name| name.trim().to_owned()).collect();
    let kept: Vec<&str> = names.iter().map(String::as_str).filter(|name| is_name(name)).collect();
    if !names.is_empty() {
        object.remove("author");
    }
    if !kept.is_empty() {
        object.insert("author".to_owned(), Value::String(kept.join(", ")));
    }
}

fn is_name(name: &str) -> bool {
    let domain = !name.contains(char::is_whitespace) && (name.contains('.') || name.contains('/'));
    let fragment = name.starts_with(|c: char| c.is_lowercase());
    !name.is_empty() && !domain && !fragment
}

/// The site's name as the source; a URL under `source` (trafilatura) is
/// the article's URL, not its source.
fn normalise_source_and_url(object: &mut Map<String, Value>) {
    if let Some(Value::String(source)) = object.get("source")
        && is_url(source)
    {
        let url = Value::String(source.clone());
        object.remove("source");
        object.entry("url").or_insert(url);
    }
    let site = first_text(object, &["meta_site_name", "source-hostname", "source_domain"]);
    if let Some(site) = site {
        object.entry("source").or_insert(Value::String(site));
    }
    let canonical = first_text(object, &["canonical_link"]);
    if let Some(canonical) = canonical.filter(|link| is_url(link)) {
        object.entry("url").or_insert(Value::String(canonical));
    }
}

/// The publisher's keywords as tags; newspaper's NLP `keywords` dropped
/// when its `meta_keywords` are there; Python's `"set()"` is no tags.
fn normalise_tags(object: &mut Map<String, Value>) {
    let newspaper = object.contains_key("meta_keywords");
    if let Some(Value::Array(keywords)) = object.remove("meta_keywords") {
        let keywords: Vec<Value> = keywords.into_iter().filter(|keyword| !is_empty(keyword)).collect();
        if !keywords.is_empty() && object.get("tags").is_none_or(is_empty) {
            object.insert("tags".to_owned(), Value::Array(keywords));
        }
    }
    if newspaper {
        object.remove("keywords");
    }
    if object.get("tags").is_some_and(|tags| is_empty(tags) || tags.as_str() == Some("set()")) {
        object.remove("tags");
    }
}

/// Removes every key in `keys` and returns the first non-empty string.
fn first_text(object: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    let mut found = None;
    for key in keys {
        match object.remove(*key) {
            Some(Value::String(text)) if found.is_none() && !text.trim().is_empty() => {
                found = Some(text.trim().to_owned());
            }
            _ => {}
        }
    }
    found
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.iter().all(is_empty),
        _ => false,
    }
}

/// `https://www.news.cn/a/b` → `news.cn`.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    host.contains('.').then_some(host)
}

fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

#[cfg(test)]
#[path = "json_article_tests.rs"]
mod tests;
