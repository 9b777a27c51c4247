//! Derived indexes of a [`super::Library`]: articles grouped by section, by
//! source and by tag, and by year and month.
//!
//! Each index is built in its own pass over the newest-first article list and
//! refers to articles by their position in it, so no article is copied and a
//! group lists its articles in the same order as the whole library (which
//! also makes "where is this article in the group" a binary search).

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use super::by_id::position_u32;
use super::reload::splice::Splice;
use super::slug::unique_slugs;
use super::{Order, Ranking};
use crate::article::Article;

/// What articles are grouped by. An article has at most one section and
/// one source but any number of tags, so a facet gives names, not a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Facet {
    Section,
    Source,
    Tag,
}

impl Facet {
    /// The names `article` is grouped under, in the file's order (a tag
    /// written twice comes twice; [`Groups`] keeps one).
    fn names(self, article: &Article) -> impl Iterator<Item = &str> {
        let (one, many) = match self {
            Self::Section => (article.section.as_deref(), &[][..]),
            Self::Source => (article.source.as_deref(), &[][..]),
            Self::Tag => (None, article.details().tags.as_slice()),
        };
        one.into_iter().chain(many.iter().map(String::as_str))
    }
}

/// Adds `position` to a group's positions unless it is already the last
/// one: positions come in ascending order, so a name an article gives
/// twice (a repeated tag) lands twice in a row.
fn push_once(positions: &mut Vec<u32>, position: u32) {
    if positions.last() != Some(&position) {
        positions.push(position);
    }
}

/// The articles that share one section (or one source, or one tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The name as written in the files (`World News`).
    pub name: String,
    /// Its URL slug (`world-news`), unique among the groups of one kind.
    pub slug: String,
    /// Positions in the library's newest-first list, ascending. Shared by
    /// successive snapshots while a reload leaves the group alone.
    pub(crate) positions: Arc<[u32]>,
}

impl Group {
    /// How many articles the group has.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the group is empty (never true for a group in a library).
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

/// Every section (or every source, or every tag) of a library, sorted by
/// name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Groups {
    groups: Vec<Group>,
    by_slug: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl Groups {
    /// Groups `articles` (newest first) by the names `facet` gives each one;
    /// articles without one are left out.
    pub(crate) fn build(articles: &Order, facet: Facet) -> Self {
        // foldhash: one lookup per name, with names from the site's files.
        let mut positions: HashMap<&str, Vec<u32>, foldhash::fast::RandomState> = HashMap::default();
        for (position, article) in articles.iter().enumerate() {
            for name in facet.names(article) {
                push_once(positions.entry(name).or_default(), position_u32(position));
            }
        }
        Self::from_named(positions.into_iter().map(|(name, positions)| (name.to_owned(), positions)).collect())
    }

    /// [`Self::build`] from `articles` in the order they were loaded, with
    /// their positions in `ranking` (see [`super::Library::from_shared`]).
    pub(crate) fn build_ranked(articles: &[Arc<Article>], ranking: &Ranking, facet: Facet) -> Self {
        let mut positions: HashMap<&str, Vec<u32>, foldhash::fast::RandomState> = HashMap::default();
        for (index, article) in articles.iter().enumerate() {
            for name in facet.names(article) {
                positions.entry(name).or_default().push(ranking.position(index));
            }
        }
        let named = positions.into_iter().map(|(name, mut positions)| {
            positions.sort_unstable();
            // A tag an article gives twice.
            positions.dedup();
            (name.to_owned(), positions)
        });
        Self::from_named(named.collect())
    }

    /// Sorts named groups by name and gives them unique slugs.
    fn from_named(mut named: Vec<(String, Vec<u32>)>) -> Self {
        named.sort_by(|(a, _), (b, _)| a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b)));
        let slugs = unique_slugs(named.iter().map(|(name, _)| name.as_str()));
        let groups: Vec<Group> = named
            .into_iter()
            .zip(slugs)
            .map(|((name, positions), slug)| Group { name, slug, positions: positions.into() })
            .collect();
        let by_slug = groups.iter().enumerate().map(|(index, group)| (group.slug.clone(), index)).collect();
        let by_name = groups.iter().enumerate().map(|(index, group)| (group.name.clone(), index)).collect();
        Self { groups, by_slug, by_name }
    }

    /// The groups of the list `splice` made from `old` into `new`: dropped
    /// articles leave their group, kept positions move, inserted articles
    /// join theirs, each group rewritten in one pass (so many changes cost
    /// no more than a rebuild). Names and slugs are worked out again only
    /// when a group appears or empties.
    pub(crate) fn patched(&self, old: &Order, new: &Order, splice: &Splice, facet: Facet) -> Self {
        let mut leaving = vec![false; self.groups.len()];
        for name in splice.dropped().iter().flat_map(|&position| facet.names(&old[position])) {
            if let Some(&index) = self.by_name.get(name) {
                leaving[index] = true;
            }
        }
        let mut joining = vec![Vec::new(); self.groups.len()];
        let mut fresh: HashMap<&str, Vec<u32>, foldhash::fast::RandomState> = HashMap::default();
        for &position in splice.inserted() {
            for name in facet.names(&new[position]) {
                let members = match self.by_name.get(name) {
                    Some(&index) => &mut joining[index],
                    None => fresh.entry(name).or_default(),
                };
                // `inserted` is ascending, so each list is too.
                push_once(members, position_u32(position));
            }
        }
        let groups: Vec<Group> = (self.groups.iter().zip(leaving).zip(joining))
            .map(|((group, leaving), joining)| {
                let positions = if splice.keeps_positions() && !leaving && joining.is_empty() {
                    group.positions.clone()
                } else {
                    splice.members(&group.positions, &joining).into()
                };
                Group { name: group.name.clone(), slug: group.slug.clone(), positions }
            })
            .collect();
        if fresh.is_empty() && groups.iter().all(|group| !group.positions.is_empty()) {
            return Self { groups, by_slug: self.by_slug.clone(), by_name: self.by_name.clone() };
        }
        let kept = groups.into_iter().filter(|group| !group.positions.is_empty());
        let fresh = fresh.into_iter().map(|(name, positions)| (name.to_owned(), positions));
        Self::from_named(kept.map(|group| (group.name, group.positions.to_vec())).chain(fresh).collect())
    }

    /// Every group, sorted by name.
    pub fn all(&self) -> &[Group] {
        &self.groups
    }

    /// The group with this slug.
    pub fn find_by_slug(&self, slug: &str) -> Option<&Group> {
        self.by_slug.get(slug).map(|&index| &self.groups[index])
    }

    /// The group with this exact name.
    pub fn find_by_name(&self, name: &str) -> Option<&Group> {
        self.by_name.get(name).map(|&index| &self.groups[index])
    }
}

/// One month of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// 1 to 12.
    pub month: i8,
    /// Positions of its articles in the library's list (they are contiguous,
    /// since the list is sorted by date).
    pub(crate) range: Range<usize>,
}

impl Month {
    /// How many articles were published this month.
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Whether the month has no article (never true in a library).
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

/// One year of the archive, with its months newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    pub months: Vec<Month>,
    pub(crate) range: Range<usize>,
}

impl Year {
    /// How many articles were published this year.
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Whether the year has no article (never true in a library).
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// The month `month` (1–12), if it has articles.
    pub fn find_month(&self, month: i8) -> Option<&Month> {
        self.months.iter().find(|entry| entry.month == month)
    }
}

/// The date archive: years newest first, and the undated articles.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Archive {
    years: Vec<Year>,
    pub(crate) undated: Range<usize>,
}

impl Archive {
    /// Builds the archive of `articles`, which must be newest first with the
    /// undated ones last (the library's order).
    pub(crate) fn build(articles: &Order) -> Self {
        Self::from_dates(articles.iter().map(|article| article.date))
    }

    /// [`Self::build`] from `articles` in the order they were loaded, with
    /// their positions in `ranking` (see [`super::Library::from_shared`]).
    pub(crate) fn build_ranked(articles: &[Arc<Article>], ranking: &Ranking) -> Self {
        let mut dates = vec![None; articles.len()];
        for (index, article) in articles.iter().enumerate() {
            dates[ranking.position(index) as usize] = article.date;
        }
        Self::from_dates(dates.into_iter())
    }

    /// The archive of the dates of a list in the library's order.
    fn from_dates(dates: impl Iterator<Item = Option<jiff::civil::Date>>) -> Self {
        let mut years: Vec<Year> = Vec::new();
        let (mut dated, mut len) = (0, 0);
        for (position, date) in dates.enumerate() {
            len = position + 1;
            // Undated articles come last.
            let Some(date) = date else { continue };
            dated = position + 1;
            match years.last_mut() {
                Some(year) if year.year == date.year() => {
                    year.range.end = position + 1;
                    match year.months.last_mut() {
                        Some(month) if month.month == date.month() => month.range.end = position + 1,
                        _ => year.months.push(Month { month: date.month(), range: position..position + 1 }),
                    }
                }
                _ => years.push(Year {
                    year: date.year(),
                    months: vec![Month { month: date.month(), range: position..position + 1 }],
                    range: position..position + 1,
                }),
            }
        }
        Self { years, undated: dated..len }
    }

    /// The archive of the list `splice` made from `old` into `new`: the
    /// month counts of this one, less the dropped articles, plus the
    /// inserted ones.
    pub(crate) fn patched(&self, old: &Order, new: &Order, splice: &Splice) -> Self {
        let mut counts: BTreeMap<Reverse<(i16, i8)>, usize> = BTreeMap::new();
        for year in &self.years {
            for month in &year.months {
                counts.insert(Reverse((year.year, month.month)), month.len());
            }
        }
        for date in splice.dropped().iter().filter_map(|&position| old[position].date) {
            let key = Reverse((date.year(), date.month()));
            if let Some(count) = counts.get_mut(&key) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    counts.remove(&key);
                }
            }
        }
        for date in splice.inserted().iter().filter_map(|&position| new[position].date) {
            *counts.entry(Reverse((date.year(), date.month()))).or_default() += 1;
        }
        Self::from_counts(counts, new.len())
    }

    /// The archive of a list of `len` articles whose dated ones come first,
    /// newest first, with these counts per (year, month).
    fn from_counts(counts: BTreeMap<Reverse<(i16, i8)>, usize>, len: usize) -> Self {
        let mut years: Vec<Year> = Vec::new();
        let mut start = 0;
        for (Reverse((year, month)), count) in counts {
            let range = start..start + count;
            start += count;
            match years.last_mut() {
                Some(last) if last.year == year => {
                    last.range.end = range.end;
                    last.months.push(Month { month, range });
                }
                _ => years.push(Year { year, months: vec![Month { month, range: range.clone() }], range }),
            }
        }
        Self { years, undated: start.min(len)..len }
    }

    /// Every year with articles, newest first.
    pub fn years(&self) -> &[Year] {
        &self.years
    }

    /// The year `year`, if it has articles.
    pub fn find_year(&self, year: i16) -> Option<&Year> {
        self.years.iter().find(|entry| entry.year == year)
    }

    /// How many articles have no date.
    pub fn undated_len(&self) -> usize {
        self.undated.len()
    }
}
