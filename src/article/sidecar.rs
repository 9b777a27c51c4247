//! Sidecar metadata: `NAME.json` beside `NAME.txt` (or `NAME_meta.json`
//! beside `NAME_raw.txt`) supplies or overrides an article's metadata.
//! Scrapers' own key names (newspaper's `authors`, `meta_site_name`, …)
//! are read too: see [`json_article::normalise`].
//!
//! ```json
//! {"url": "https://…", "title": "В ГАГУ открылась …", "date": "2021-03-01 00:00:00", "author": "Журналист"}
//! ```

use super::draft::{Field, MetaValue};
use super::formats::json_article;

/// A sidecar file's name (for messages) and its raw bytes.
#[derive(Debug, Clone, Copy)]
pub struct Sidecar<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Reads a sidecar's JSON object; the error says what is wrong with it.
pub(crate) fn read(sidecar: &Sidecar<'_>) -> Result<Vec<(String, MetaValue)>, String> {
    let value: serde_json::Value = serde_json::from_slice(sidecar.bytes)
        .map_err(|error| format!("sidecar {} is not valid JSON ({error}); its metadata was not used", sidecar.name))?;
    let serde_json::Value::Object(object) = value else {
        return Err(format!("sidecar {} is not a JSON object; its metadata was not used", sidecar.name));
    };
    Ok(fields(json_article::normalise(object)))
}

/// Whether JSON bytes are an object with an article's text in it (a
/// scraper's saved article), rather than metadata alone.
pub fn json_has_body(bytes: &[u8]) -> bool {
    match serde_json::from_slice(bytes) {
        Ok(serde_json::Value::Object(object)) => json_article::has_body(&object),
        _ => false,
    }
}

/// A JSON object's members as metadata fields; nulls are left out.
pub(crate) fn fields(object: serde_json::Map<String, serde_json::Value>) -> Vec<(String, MetaValue)> {
    object.into_iter().filter_map(|(key, value)| Some((key, to_meta_value(value)?))).collect()
}

fn to_meta_value(value: serde_json::Value) -> Option<MetaValue> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(text) => Some(MetaValue::Text(text)),
        Value::Array(items) => Some(MetaValue::List(
            items
                .into_iter()
                .filter_map(|item| match to_meta_value(item)? {
                    MetaValue::Text(text) => Some(text),
                    MetaValue::List(_) => None,
                })
                .collect(),
        )),
        // schema.org style: `"publisher": {"@type": "Organization", "name": "…"}`.
        Value::Object(object) => match object.get("name") {
            Some(Value::String(name)) => Some(MetaValue::Text(name.clone())),
            _ => Some(MetaValue::Text(Value::Object(object).to_string())),
        },
        other => Some(MetaValue::Text(other.to_string())),
    }
}

/// The title among metadata fields, if any.
pub(crate) fn title(fields: &[(String, MetaValue)]) -> Option<&str> {
    fields.iter().find_map(|(key, value)| match value {
        MetaValue::Text(text) if Field::from_key(key) == Some(Field::Title) && !text.trim().is_empty() => {
            Some(text.trim())
        }
        _ => None,
    })
}
