//! What a format parser found, before it becomes an [`Article`].
//!
//! Every format fills a [`Draft`]; [`Draft::finish`] then applies what all
//! formats share (sidecar metadata, the folder's section, reading the date,
//! excerpt and word count), so those rules live in one place.

use super::dates::{DateValue, parse_date_value};
use super::{Article, ArticleId, Details, ExcerptAt, Format, Paragraph, count_words};
use std::borrow::Cow;

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
    /// A lead image named by the metadata (`image:`, `cover:`), as written.
    pub image: Option<String>,
    /// `draft: true` or `published: false`: the author has not published it.
    pub draft: bool,
    pub tags: Vec<String>,
    pub metadata: Vec<(String, String)>,
    pub paragraphs: Vec<Paragraph>,
    pub warnings: Vec<super::Warning>,
    /// How each line above the body was read, for `check --explain`.
    pub explained: Vec<super::header::Explained>,
    /// Where the values being set now come from (`front matter`, `sidecar`);
    /// empty for the file's own lines.
    pub reading: &'static str,
    /// Which field got its value from where, in order (the last wins).
    pub origins: Vec<(&'static str, &'static str)>,
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
    Image,
    /// `draft: true`, `published: false`.
    Draft,
}

impl Field {
    /// The field's name as `check --explain` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Section => "section",
            Self::Date => "date",
            Self::Source => "source",
            Self::Author => "author",
            Self::Url => "url",
            Self::Tags => "tags",
            Self::Summary => "summary",
            Self::Image => "image",
            Self::Draft => "draft",
        }
    }

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
            ("categories", Field::Section),
            ("newsgroups", Field::Section),
            ("date", Field::Date),
            ("published", Field::Date),
            ("datepublished", Field::Date),
            ("publishedat", Field::Date),
            ("publishdate", Field::Date),
            ("pubdate", Field::Date),
            ("publicationdate", Field::Date),
            ("datecreated", Field::Date),
            ("source", Field::Source),
            ("publisher", Field::Source),
            ("sitename", Field::Source),
            ("author", Field::Author),
            ("authors", Field::Author),
            ("writtenby", Field::Author),
            ("creator", Field::Author),
            ("from", Field::Author),
            ("by", Field::Author),
            ("byline", Field::Author),
            ("url", Field::Url),
            ("link", Field::Url),
            ("canonicalurl", Field::Url),
            ("sourceurl", Field::Url),
            ("originalurl", Field::Url),
            ("tags", Field::Tags),
            ("keywords", Field::Tags),
            ("tag", Field::Tags),
            ("summary", Field::Summary),
            ("description", Field::Summary),
            ("excerpt", Field::Summary),
            ("metadescription", Field::Summary),
            ("image", Field::Image),
            ("cover", Field::Image),
            ("featuredimage", Field::Image),
            ("topimage", Field::Image),
            ("draft", Field::Draft),
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
        if value.is_empty() || is_empty_value(value) {
            return;
        }
        let Some(field) = Field::from_key(key) else {
            self.metadata.push((key.to_owned(), value.to_owned()));
            return;
        };
        match field {
            Field::Tags => return self.set_tags(split_tags(value), overwrite),
            Field::Draft => return self.draft |= is_true(value),
            // `published: false` is a flag, not a date.
            Field::Date if is_true(value) || is_false(value) => return self.draft |= is_false(value),
            _ => {}
        }
        let value = match field {
            // `comp.graphics,comp.windows.x`: the first group is the section.
            Field::Section if key.eq_ignore_ascii_case("newsgroups") => value.split(',').next().unwrap_or(value).trim(),
            // Jekyll's `categories: news updates` names two categories.
            Field::Section if key.eq_ignore_ascii_case("categories") => {
                value.split_whitespace().next().unwrap_or(value)
            }
            _ => value,
        };
        let value = if field == Field::Author { humanise_slugs(mailbox_name(value)) } else { value.to_owned() };
        let origin = if self.reading.is_empty() { "a line of the file" } else { self.reading };
        let slot = match field {
            Field::Title => &mut self.title,
            Field::Section => &mut self.section,
            Field::Date => &mut self.date,
            Field::Source => &mut self.source,
            Field::Author => &mut self.author,
            Field::Url => &mut self.url,
            Field::Image => &mut self.image,
            Field::Summary | Field::Tags | Field::Draft => &mut self.summary,
        };
        if overwrite || slot.is_none() {
            *slot = Some(value);
            self.origins.push((field.name(), origin));
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
                // `categories: [Destacadas, Portada]`: the first is the section.
                MetaValue::List(items) if Field::from_key(&key) == Some(Field::Section) => {
                    if let Some(first) = items.into_iter().find(|item| !item.trim().is_empty()) {
                        self.set("section", &first, overwrite);
                    }
                }
                MetaValue::List(items) => self.set(&key, &items.join(", "), overwrite),
            }
        }
    }

    /// Sets the tags from a list value.
    pub fn set_tags(&mut self, tags: Vec<String>, overwrite: bool) {
        if overwrite || self.tags.is_empty() {
            self.origins.push(("tags", if self.reading.is_empty() { "a line of the file" } else { self.reading }));
            self.tags = tags.into_iter().map(|tag| tag.trim().to_owned()).filter(|tag| !tag.is_empty()).collect();
        }
    }

    /// Builds the article. `folder_section` is used when the file names no
    /// section itself.
    pub fn finish(mut self, id: ArticleId, folder_section: Option<String>) -> Option<Article> {
        let title = self.title.take().filter(|title| !title.trim().is_empty())?;
        self.read_wire_conventions();
        let (mut date, published) = self.read_date();
        if date.is_none() && self.date.is_none() {
            // Only a file that states no date at all takes its path's.
            date = super::dates::date_from_path(id.as_str());
        }
        let word_count = self.paragraphs.iter().map(|p| count_words(p.text())).sum();
        // A photo alone (a Markdown block with no text) is no lead either.
        let lead = self.paragraphs.iter().position(|p| !matches!(p, Paragraph::Caption { .. }) && !p.text().is_empty());
        let excerpt_at = lead.map_or_else(ExcerptAt::default, |lead| ExcerptAt::of(lead, self.paragraphs[lead].text()));
        Some(Article {
            id,
            title: clean_title(&title),
            section: self
                .section
                .or_else(|| folder_section.filter(|folder| !names_the_author(folder, self.author.as_deref()))),
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
                image: self.image,
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
                self.warnings.push(super::Warning::AmbiguousDate(text.to_owned()));
                (None, None)
            }
            DateValue::Unknown => {
                self.warnings.push(super::Warning::UnknownDate(text.to_owned()));
                (None, None)
            }
        }
    }
}

/// A folder per author (`jen-chung/slug.md` by Jen Chung) is not a section.
fn names_the_author(folder: &str, author: Option<&str>) -> bool {
    let words = |text: &str| {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    author.is_some_and(|author| words(author) == words(folder))
}

/// Scrapers write `None`, `null` or `[]` for a field they did not find.
pub(crate) fn is_empty_value(value: &str) -> bool {
    ["none", "null", "nil", "n/a", "[]", "''", "\"\""].iter().any(|empty| empty.eq_ignore_ascii_case(value))
}

fn is_true(value: &str) -> bool {
    ["true", "yes", "on"].iter().any(|word| word.eq_ignore_ascii_case(value))
}

fn is_false(value: &str) -> bool {
    ["false", "no", "off"].iter().any(|word| word.eq_ignore_ascii_case(value))
}

/// Tags separated by commas; a run of four or more words without a comma
/// is the space-separated keyword list scrapers write.
fn split_tags(value: &str) -> Vec<String> {
    if !value.contains(',') && value.split_whitespace().count() >= 4 {
        return value.split_whitespace().map(str::to_owned).collect();
    }
    value.split(',').map(str::to_owned).collect()
}

/// The person in an e-mail `From:` value: `Rob Strom <strom@ibm.com>`,
/// `"Rob Strom" <strom@ibm.com>` and `strom@ibm.com (Rob Strom)` all give
/// `Rob Strom`; a bare address stays as it is.
fn mailbox_name(value: &str) -> &str {
    if let Some((name, rest)) = value.split_once('<') {
        let name = name.trim().trim_matches('"').trim();
        if rest.contains('@') && !name.is_empty() {
            return name;
        }
    }
    if let Some((address, rest)) = value.split_once('(') {
        let name = rest.trim_end().trim_end_matches(')').trim();
        if address.contains('@') && !address.trim().contains(' ') && !name.is_empty() {
            return name;
        }
    }
    value
}

/// Author slugs as site generators keep them (`melissa-braxton`) read as
/// names (`Melissa Braxton`); anything else stays as written.
fn humanise_slugs(value: &str) -> String {
    let is_slug = |name: &str| {
        name.contains(['-', '_'])
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
    };
    let names: Vec<&str> = value.split(',').map(str::trim).collect();
    if !names.iter().all(|name| is_slug(name)) {
        return value.to_owned();
    }
    let humanise = |name: &str| {
        name.split(['-', '_'])
            .filter(|word| !word.is_empty())
            .map(super::parse::capitalise)
            .collect::<Vec<_>>()
            .join(" ")
    };
    names.iter().map(|name| humanise(name)).collect::<Vec<_>>().join(", ")
}

/// Joins runs of white space, tabs included, into one space (titles folded
/// over lines). Single spaces of other widths (the ideographic space
/// between CJK words, a no-break space) stay as written.
pub(crate) fn collapse_spaces(text: &str) -> String {
    join_spaces(text, &[' ', '\u{3000}', '\u{a0}']).into_owned()
}

/// `text` trimmed, with its white space joined into single spaces as
/// `split_whitespace` and `join(" ")` make them — unless every white space
/// in it is one character of `kept` between two others, when it is returned
/// as it is, borrowed.
pub(crate) fn join_spaces<'a>(text: &'a str, kept: &[char]) -> Cow<'a, str> {
    let text = text.trim();
    let mut previous_space = false;
    let plain = text.chars().all(|c| {
        let space = c.is_whitespace();
        let single = !space || (!previous_space && kept.contains(&c));
        previous_space = space;
        single
    });
    if plain { Cow::Borrowed(text) } else { Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" ")) }
}

/// A title as shown everywhere: spaces collapsed, and without the
/// invisible characters that only hide or reorder text in a one-line title
/// (zero-width space, byte-order mark, bidirectional overrides and
/// isolates, which could make a title in a list read backwards).
fn clean_title(title: &str) -> String {
    // `Blue Origin&#8217;s New Glenn`: feeds and front matter keep entities.
    let decoded = super::body::decode_entities(title);
    let title = decoded.as_ref();
    let invisible = |c: char| matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if title.contains(invisible) { collapse_spaces(&title.replace(invisible, "")) } else { collapse_spaces(title) }
}
