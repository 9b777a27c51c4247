//! Named lists of articles (the whole library, a section, a source, a year, a
//! month, the undated ones) behind one type, so pages paginate them and find
//! an article's neighbours in them the same way.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use super::{Library, Neighbours, page_count};
use crate::article::Article;

/// Which list a reader is looking at. Its text form (`section:world-news`,
/// `source:al-jazeera`, `archive:2024`, `archive:2024-11`,
/// `archive:undated`) travels in article links, so previous/next links can
/// stay within the list the reader came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKey {
    All,
    Section(String),
    Source(String),
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
            ("archive", "undated") => Ok(Self::Undated),
            ("archive", period) => parse_period(period).ok_or_else(unknown),
            _ => Err(unknown()),
        }
    }
}

/// `2024` or `2024-11`.
fn parse_period(period: &str) -> Option<ListKey> {
    let (year, month) = match period.split_once('-') {
        Some((year, month)) => (year, Some(month)),
        None => (period, None),
    };
    let year: i16 = year.parse().ok()?;
    match month {
        None => Some(ListKey::Year(year)),
        Some(month) => {
            let month: i8 = month.parse().ok()?;
            (1..=12).contains(&month).then_some(ListKey::Month(year, month))
        }
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
        for text in ["", "section:", "archive:2024-13", "archive:abc", "tag:x", "archive:2024-1x"] {
            assert!(text.parse::<ListKey>().is_err(), "{text:?}");
        }
    }
}
