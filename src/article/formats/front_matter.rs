//! Front matter at the top of a Markdown file: YAML between `---` lines or
//! TOML between `+++` lines, as static site generators write it.
//!
//! YAML is read with `serde_norway`, the maintained fork of `serde_yaml`,
//! which keeps serde_yaml's limits on recursion depth and alias expansion, so
//! a hostile file cannot make the loader blow up ("billion laughs").

use super::super::draft::MetaValue;

/// The largest front matter accepted; metadata is never this big.
const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Yaml,
    Toml,
}

/// Splits `text` into front matter (language and source) and the rest.
pub(crate) fn split(text: &str) -> (Option<(Language, &str)>, &str) {
    let (language, fence) = if text.starts_with("---") {
        (Language::Yaml, "---")
    } else if text.starts_with("+++") {
        (Language::Toml, "+++")
    } else {
        return (None, text);
    };
    let Some(first_newline) = text.find('\n') else {
        return (None, text);
    };
    if text[..first_newline].trim_end() != fence {
        return (None, text);
    }
    let mut offset = first_newline + 1;
    for line in text[offset..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || (language == Language::Yaml && trimmed == "...") {
            let source = &text[first_newline + 1..offset];
            return (Some((language, source)), &text[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

/// Reads front matter into metadata fields; the error says what is wrong.
pub(crate) fn read(language: Language, source: &str) -> Result<Vec<(String, MetaValue)>, String> {
    if source.len() > MAX_FRONT_MATTER_BYTES {
        return Err(format!("front matter is larger than {MAX_FRONT_MATTER_BYTES} bytes; it was not used"));
    }
    match language {
        Language::Yaml => read_yaml(source),
        Language::Toml => read_toml(source),
    }
}

fn read_yaml(source: &str) -> Result<Vec<(String, MetaValue)>, String> {
    use serde_norway::Value;
    if source.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: Value = serde_norway::from_str(source)
        .map_err(|error| format!("YAML front matter is not valid ({error}); it was not used"))?;
    let Value::Mapping(mapping) = value else {
        return Err("YAML front matter is not a list of `key: value` lines; it was not used".to_owned());
    };
    Ok(mapping.into_iter().filter_map(|(key, value)| Some((yaml_scalar(key)?, yaml_value(value)?))).collect())
}

fn yaml_scalar(value: serde_norway::Value) -> Option<String> {
    use serde_norway::Value;
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => None,
    }
}

fn yaml_value(value: serde_norway::Value) -> Option<MetaValue> {
    use serde_norway::Value;
    match value {
        Value::Sequence(items) => Some(MetaValue::List(items.into_iter().filter_map(yaml_scalar).collect())),
        Value::Mapping(_) | Value::Tagged(_) => serde_json::to_string(&value).ok().map(MetaValue::Text),
        scalar => yaml_scalar(scalar).map(MetaValue::Text),
    }
}

fn read_toml(source: &str) -> Result<Vec<(String, MetaValue)>, String> {
    let table: toml::Table =
        source.parse().map_err(|error| format!("TOML front matter is not valid ({error}); it was not used"))?;
    Ok(table.into_iter().map(|(key, value)| (key, toml_value(value))).collect())
}

fn toml_value(value: toml::Value) -> MetaValue {
    match value {
        toml::Value::String(text) => MetaValue::Text(text),
        toml::Value::Array(items) => MetaValue::List(
            items
                .into_iter()
                .map(|item| match item {
                    toml::Value::String(text) => text,
                    other => other.to_string(),
                })
                .collect(),
        ),
        other => MetaValue::Text(other.to_string()),
    }
}
