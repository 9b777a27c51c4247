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
    let value: Value = match serde_norway::from_str(source) {
        Ok(value) => value,
        Err(error) => return Err(format!("YAML front matter is not valid ({error}); it was not used")),
    };
    let Value::Mapping(mapping) = value else {
        return Err("YAML front matter is not a list of `key: value` lines; it was not used".to_owned());
    };
    Ok(mapping.into_iter().filter_map(|(key, value)| Some((yaml_scalar(key)?, yaml_value(value)?))).collect())
}

/// Reads front matter, and when YAML rejects it (an unquoted `: ` in a
/// title, a tab), reads it key by key instead of losing it: the fields,
/// and a warning that says which way it was read.
pub(crate) fn read_lenient(language: Language, source: &str) -> (Vec<(String, MetaValue)>, Option<String>) {
    match read(language, source) {
        Ok(fields) => (fields, None),
        Err(error) if language == Language::Yaml && source.len() <= MAX_FRONT_MATTER_BYTES => {
            let fields = read_key_by_key(source);
            if fields.is_empty() {
                return (fields, Some(error));
            }
            let reason = error.trim_end_matches("; it was not used");
            (fields, Some(format!("{reason}; read key by key instead")))
        }
        Err(error) => (Vec::new(), Some(error)),
    }
}

/// Reads front matter that a YAML parser rejects (an unquoted `: ` in a
/// title, tabs) the way its author meant it: one `key: value` per line,
/// the value taken whole, surrounding quotes removed, `- item` lines under
/// an empty key as a list. Indented lines continue the value above.
pub(crate) fn read_key_by_key(source: &str) -> Vec<(String, MetaValue)> {
    let mut fields: Vec<(String, MetaValue)> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if let (Some(item), Some((_, value))) = (trimmed.strip_prefix("- "), fields.last_mut()) {
            match value {
                MetaValue::List(items) => items.push(unquote(item).to_owned()),
                MetaValue::Text(text) if text.is_empty() => *value = MetaValue::List(vec![unquote(item).to_owned()]),
                MetaValue::Text(_) => {}
            }
            continue;
        }
        match trimmed.split_once(':') {
            Some((key, value)) if !indented && is_key(key) => {
                fields.push((key.trim().to_owned(), MetaValue::Text(unquote(value.trim()).to_owned())));
            }
            _ => {
                if let Some((_, MetaValue::Text(text))) = fields.last_mut() {
                    text.push(' ');
                    text.push_str(trimmed);
                }
            }
        }
    }
    fields
}

fn is_key(key: &str) -> bool {
    let key = key.trim();
    !key.is_empty() && key.len() <= 40 && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|rest| rest.strip_suffix(quote)) {
            return inner;
        }
    }
    value
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
