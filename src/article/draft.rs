//! What a format parser found, before it becomes an [`Article`].
//!
//! Every format fills a [`Draft`]; [`Draft::finish`] then applies what all
//! formats share (sidecar metadata, the folder's section, reading the date,
//! excerpt and word count), so those rules live in one place.

use super::dates::{DateValue, parse_date_value};
use super::{Article, ArticleId, Details, ExcerptAt, Format, Paragraph, count_words};

/// Metadata and body as a format parser found them.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub format: Format,
    pub title: Option<String>,
    pub section: Option<String>,
    /// The date as written; read in [`Draft::finish`].
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub metadata: Vec<(String, String)>,
    pub paragraphs: Vec<Paragraph>,
    pub warnings: Vec<String>,
}

/// A metadata value from front matter or a sidecar: text, or a list of
/// texts (tags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MetaValue {
    Text(String),
    List(Vec<String>),
}

/// The keys every metadata source (header block, front matter, sidecar)
/// understands, and the field each one fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Section,
    Date,
    Source,
    Author,
    Url,
    Tags,
    Summary,
}

impl Field {
    /// The field a metadata key names, ignoring case, `_`, `-` and spaces
    /// (`datePublished`, `date_published`, `Date Published`).
    pub fn from_key(key: &str) -> Option<Self> {
        const KEYS: &[(&str, Field)] = &[
            ("title", Field::Title),
            ("subject", Field::Title),
            ("headline", Field::Title),
            ("section", Field::Section),
            ("articlesection", Field::Section),
            ("category", Field::Section),
            ("newsgroups", Field::Section),
            ("date", Field::Date),
            ("published", Field::Date),
            ("datepublished", Field::Date),
            ("publishedat", Field::Date),
            ("publishdate", Field::Date),
            ("pubdate", Field::Date),
            ("source", Field::Source),
            ("publisher", Field::Source),
            ("sitename", Field::Source),
            ("author", Field::Author),
            ("creator", Field::Author),
            ("from", Field::Author),
            ("by", Field::Author),
            ("byline", Field::Author),
            ("url", Field::Url),
            ("link", Field::Url),
            ("tags", Field::Tags),
            ("keywords", Field::Tags),
            ("summary", Field::Summary),
            ("description", Field::Summary),
        ];
        let bare = key.chars().filter(|c| !matches!(c, '_' | '-' | ' '));
        let matches = |name: &str| {
            let mut bare = bare.clone();
            name.chars().all(|expected| bare.next().is_some_and(|c| c.eq_ignore_ascii_case(&expected)))
                && bare.next().is_none()
        };
        KEYS.iter().find(|(name, _)| matches(name)).map(|(_, field)| *field)
    }
}

impl Draft {
    /// An empty draft for `format`.
    pub fn new(format: Format) -> Self {
        Self { format, ..Self::default() }
    }

    /// Sets a field from a metadata value. With `overwrite`, later sources
    /// (a sidecar) win over the file; otherwise the first value found stays.
    pub fn set(&mut self, key: &str, value: &str, overwrite: bool) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let Some(field) = Field::from_key(key) else {
            self.metadata.push((key.to_owned(), value.to_owned()));
            return;
        };
        if field == Field::Tags {
            self.set_tags(value.split(',').map(str::to_owned).collect(), overwrite);
            return;
        }
        let value = match field {
            // `comp.graphics,comp.windows.x`: the first group is the section.
            Field::Section if key.eq_ignore_ascii_case("newsgroups") => value.split(',').next().unwrap_or(value).trim(),
            _ => value,
        };
        let slot = match field {
            Field::Title => &mut self.title,
            Field::Section => &mut self.section,
            Field::Date => &mut self.date,
            Field::Source => &mut self.source,
            Field::Author => &mut self.author,
            Field::Url => &mut self.url,
            Field::Summary | Field::Tags => &mut self.summary,
        };
        if overwrite || slot.is_none() {
            *slot = Some(value.to_owned());
        }
    }

    /// Applies metadata fields in order (front matter, a sidecar).
    pub fn apply(&mut self, fields: Vec<(String, MetaValue)>, overwrite: bool) {
        for (key, value) in fields {
            match value {
                MetaValue::Text(text) => self.set(&key, &text, overwrite),
                MetaValue::List(items) if Field::from_key(&key) == Some(Field::Tags) => {
                    self.set_tags(items, overwrite);
                }
                MetaValue::List(items) => self.set(&key, &items.join(", "), overwrite),
            }
        }
    }

    /// Sets the tags from a list value.
    pub fn set_tags(&mut self, tags: Vec<String>, overwrite: bool) {
        if overwrite || self.tags.is_empty() {
            self.tags = tags.into_iter().map(|tag| tag.trim().to_owned()).filter(|tag| !tag.is_empty()).collect();
        }
    }

    /// Builds the article. `folder_section` is used when the file names no
    /// section itself.
    pub fn finish(mut self, id: ArticleId, folder_section: Option<String>) -> Option<Article> {
        let title = self.title.take().filter(|title| !title.trim().is_empty())?;
        let (date, published) = self.read_date();
        let word_count = self.paragraphs.iter().map(|p| count_words(p.text())).sum();
        // A photo alone (a Markdown block with no text) is no lead either.
        let lead = self.paragraphs.iter().position(|p| !matches!(p, Paragraph::Caption { .. }) && !p.text().is_empty());
        let excerpt_at = lead.map_or_else(ExcerptAt::default, |lead| ExcerptAt::of(lead, self.paragraphs[lead].text()));
        Some(Article {
            id,
            title: clean_title(&title),
            section: self.section.or(folder_section),
            date,
            source: self.source,
            paragraphs: self.paragraphs.into(),
            word_count,
            excerpt_at,
            format: self.format,
            details: Details {
                published,
                author: self.author,
                url: self.url,
                tags: self.tags,
                summary: self.summary,
                metadata: self.metadata,
                warnings: self.warnings,
                ..Details::default()
            }
            .boxed(),
            ..Article::default()
        })
    }

    fn read_date(&mut self) -> (Option<jiff::civil::Date>, Option<super::Published>) {
        let Some(text) = self.date.as_deref() else {
            return (None, None);
        };
        match parse_date_value(text) {
            DateValue::Dated { date, published } => (Some(date), published),
            DateValue::Ambiguous => {
                self.warnings
                    .push(format!("undated: `{text}` could be day-first or month-first; write it as YYYY-MM-DD"));
                (None, None)
            }
            DateValue::Unknown => {
                self.warnings.push(format!("undated: `{text}` is not a date format Broadsheet reads"));
                (None, None)
            }
        }
    }
}

/// Joins runs of white space, tabs included, into one space (titles folded
/// over lines). Single spaces of other widths (the ideographic space
/// between CJK words, a no-break space) stay as written.
pub(crate) fn collapse_spaces(text: &str) -> String {
    let text = text.trim();
    let mut previous_space = false;
    let plain = text.chars().all(|c| {
        let space = c.is_whitespace();
        let single = !space || (!previous_space && matches!(c, ' ' | '\u{3000}' | '\u{a0}'));
        previous_space = space;
        single
    });
    if plain {
        return text.to_owned();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title as shown everywhere: spaces collapsed, and without the
/// invisible characters that only hide or reorder text in a one-line title
/// (zero-width space, byte-order mark, bidirectional overrides and
/// isolates, which could make a title in a list read backwards).
fn clean_title(title: &str) -> String {
    let invisible = |c: char| matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if title.contains(invisible) { collapse_spaces(&title.replace(invisible, "")) } else { collapse_spaces(title) }
}
