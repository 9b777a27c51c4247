//! Named lists of articles (the whole library, a section, a source, a tag, a
//! year, a month, the undated ones) behind one type, so pages paginate them and find
//! an article's neighbours in them the same way.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use super::{Library, Neighbours, page_count};
use crate::article::Article;

/// Which list a reader is looking at. Its text form (`section:world-news`,
/// `source:al-jazeera`, `tag:elections`, `archive:2024`, `archive:2024-11`,
/// `archive:undated`) travels in article links, so previous/next links can
/// stay within the list the reader came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKey {
    All,
    Section(String),
    Source(String),
    Tag(String),
    Year(i16),
    Month(i16, i8),
    Undated,
}

impl fmt::Display for ListKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Section(slug) => write!(f, "section:{slug}"),
            Self::Source(slug) => write!(f, "source:{slug}"),
            Self::Tag(slug) => write!(f, "tag:{slug}"),
            Self::Year(year) => write!(f, "archive:{year:04}"),
            Self::Month(year, month) => write!(f, "archive:{year:04}-{month:02}"),
            Self::Undated => f.write_str("archive:undated"),
        }
    }
}

/// The text is not a list key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a list: {0:?}")]
pub struct UnknownList(String);

impl FromStr for ListKey {
    type Err = UnknownList;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownList(text.to_owned());
        let (kind, value) = text.split_once(':').unwrap_or((text, ""));
        match (kind, value) {
            ("all", "") => Ok(Self::All),
            ("section", slug) if !slug.is_empty() => Ok(Self::Section(slug.to_owned())),
            ("source", slug) if !slug.is_empty() => Ok(Self::Source(slug.to_owned())),
            ("tag", slug) if !slug.is_empty() => Ok(Self::Tag(slug.to_owned())),
            ("archive", period) => Self::from_period(period).ok_or_else(unknown),
            _ => Err(unknown()),
        }
    }
}

impl ListKey {
    /// The archive list a period names: `2024`, `2024-11` or `undated`
    /// (the text form after `archive:`, and what `/archive/{year}` takes).
    pub fn from_period(period: &str) -> Option<Self> {
        if period == "undated" {
            return Some(Self::Undated);
        }
        match period.split_once('-') {
            Some((year, month)) => Self::from_month(year, month),
            None => Some(Self::Year(period.parse().ok()?)),
        }
    }

    /// The archive list of one month, from its year and month as written
    /// (`2024` and `11`); `None` unless the month is 1 to 12.
    pub fn from_month(year: &str, month: &str) -> Option<Self> {
        // A year with a dash would be a period of its own (`2024-1`), not a year.
        if year.contains('-') {
            return None;
        }
        let (year, month): (i16, i8) = (year.parse().ok()?, month.parse().ok()?);
        (1..=12).contains(&month).then_some(Self::Month(year, month))
    }
}

/// Which articles a list holds, as positions in the library's order.
#[derive(Debug, Clone)]
enum Members<'a> {
    Range(Range<usize>),
    Positions(&'a [u32]),
}

/// A list of articles in a library, newest first.
#[derive(Debug, Clone)]
pub struct ArticleList<'a> {
    library: &'a Library,
    members: Members<'a>,
}

impl<'a> ArticleList<'a> {
    pub(crate) fn range(library: &'a Library, range: Range<usize>) -> Self {
        Self { library, members: Members::Range(range) }
    }

    pub(crate) fn positions(library: &'a Library, positions: &'a [u32]) -> Self {
        Self { library, members: Members::Positions(positions) }
    }

    /// How many articles the list has.
    pub fn len(&self) -> usize {
        match &self.members {
            Members::Range(range) => range.len(),
            Members::Positions(positions) => positions.len(),
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of pages of `per_page` articles (at least 1).
    pub fn page_count(&self, per_page: usize) -> usize {
        page_count(self.len(), per_page)
    }

    /// The `index`-th article of the list.
    pub fn get(&self, index: usize) -> Option<&'a Arc<Article>> {
        let position = match &self.members {
            Members::Range(range) => (index < range.len()).then(|| range.start + index)?,
            Members::Positions(positions) => *positions.get(index)? as usize,
        };
        self.library.articles.get(position)
    }

    /// The 1-based `page` of `per_page` articles; page 1 of an empty list is
    /// empty, any other page outside the list is `None`.
    pub fn page(&self, page: usize, per_page: usize) -> Option<Vec<&'a Arc<Article>>> {
        if page == 0 || page > self.page_count(per_page) {
            return None;
        }
        let start = (page - 1) * per_page;
        let end = (start + per_page).min(self.len());
        Some((start..end).filter_map(|index| self.get(index)).collect())
    }

    /// The articles just newer and just older than `id` in this list; both
    /// `None` when the article is not in it.
    pub fn neighbours(&self, id: &str) -> Neighbours<'a> {
        let Some(index) = self.index_of(id) else {
            return Neighbours::default();
        };
        Neighbours { newer: index.checked_sub(1).and_then(|newer| self.get(newer)), older: self.get(index + 1) }
    }

    /// Whether `id` is in this list.
    pub fn contains(&self, id: &str) -> bool {
        self.index_of(id).is_some()
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        let position = self.library.position(id)?;
        match &self.members {
            Members::Range(range) => range.contains(&position).then(|| position - range.start),
            // Groups list positions in ascending order.
            Members::Positions(positions) => positions.binary_search(&u32::try_from(position).ok()?).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_keys_round_trip_through_text() {
        let keys = [
            ListKey::All,
            ListKey::Section("world-news".into()),
            ListKey::Source("al-jazeera".into()),
            ListKey::Tag("elections".into()),
            ListKey::Year(2024),
            ListKey::Month(2024, 3),
            ListKey::Undated,
        ];
        for key in keys {
            assert_eq!(key.to_string().parse::<ListKey>(), Ok(key.clone()), "{key}");
        }
    }

    #[test]
    fn malformed_list_keys_are_rejected() {
        for text in ["", "section:", "tag:", "archive:2024-13", "archive:abc", "topic:x", "archive:2024-1x"] {
            assert!(text.parse::<ListKey>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn archive_paths_name_the_lists_their_text_forms_name() {
        assert_eq!(ListKey::from_period("2024"), Some(ListKey::Year(2024)));
        assert_eq!(ListKey::from_period("2024-11"), Some(ListKey::Month(2024, 11)));
        assert_eq!(ListKey::from_month("2024", "03"), Some(ListKey::Month(2024, 3)));
        for (year, month) in [("2024", "13"), ("2024", "xx"), ("abcd", "01"), ("2024-1", "1"), ("-5", "3")] {
            assert_eq!(ListKey::from_month(year, month), None, "{year}/{month}");
        }
    }
}
