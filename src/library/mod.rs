//! A directory of articles as an immutable, indexed snapshot.
//!
//! A [`Library`] is built once by [`load_dir`] and never mutated: the web layer
//! shares it behind an `Arc` and swaps in a new one when the directory
//! changes, so requests never see a half-updated state and never take a lock.

pub mod bodies;
mod by_id;
mod explain;
mod index;
mod list;
mod load;
pub mod media;
mod order;
pub mod persist;
mod read;
pub mod reload;
pub mod search;
mod sibling;
mod slug;
pub mod snapshot;

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::Arc;

use crate::article::{Article, ArticleId};
use by_id::Positions;
use reload::history::History;
use reload::splice::Indexes;

pub use explain::{FileExplanation, explain_file};
use index::Facet;
pub use index::{Archive, Group, Groups, Month, Year};
pub use list::{ArticleList, ListKey, UnknownList};
pub use load::{
    CacheFolder, CachedLoad, DEFAULT_EXTENSIONS, DEFAULT_MAX_FILE_SIZE, Ignored, LoadError, LoadOptions, LoadProgress,
    LoadReport, check_directory, load_dir, load_dir_cached, load_dir_deferred, load_dir_progress, load_dir_report,
    load_dir_with,
};
pub use order::Order;
pub use reload::Reload;
pub use slug::slugify;

/// A file that could not become an article, and why. Problems are kept, not
/// just logged, so `check`, `/healthz` and operators can see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file's path relative to the articles directory.
    pub path: PathBuf,
    /// What kind of problem, for code that acts on it (tests, counts).
    pub kind: ProblemKind,
    /// What is wrong, phrased so the reader knows what to do about it.
    pub reason: String,
    /// Whether the file's last good version is still served: a file that
    /// stops parsing while the server runs keeps its article until fixed.
    pub kept_previous: bool,
}

/// What kind of [`LoadProblem`] a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file, or a folder on the way to it, could not be read.
    Unreadable,
    /// The file is larger than `--max-file-size`.
    TooLarge,
    /// The file was read but is no article: empty, binary, without a title.
    NotAnArticle,
    /// Another file with the same id sorts first and is served instead.
    DuplicateId,
}

impl LoadProblem {
    /// A problem with a file that is not served.
    pub fn new(path: PathBuf, kind: ProblemKind, reason: String) -> Self {
        Self { path, kind, reason, kept_previous: false }
    }

    /// The reason as people read it: with a note when the last good
    /// version is still served.
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        if self.kept_previous {
            format!("{}; the last good version is served until the file is fixed", self.reason).into()
        } else {
            self.reason.as_str().into()
        }
    }
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message())
    }
}

/// The loaded articles, newest first, with lookups by id and derived indexes
/// by section, source, tag and date.
#[derive(Debug)]
pub struct Library {
    /// Newest first; undated articles last; ties broken by id.
    articles: Order,
    /// Position of each article in `articles`, by id.
    positions: Positions,
    problems: Vec<LoadProblem>,
    sections: Groups,
    sources: Groups,
    tags: Groups,
    archive: Archive,
    /// Ids that moved or went away while the server ran, shared by
    /// successive snapshots until a reload changes it.
    history: Arc<History>,
    /// Unique per snapshot within this process, so caches of rendered pages
    /// can tell snapshots apart (a freed `Arc`'s address may be reused).
    generation: u64,
    /// When the set of articles last changed: the newest file time at the
    /// first load (so replicas agree), then the time of each reload that
    /// added, changed or removed an article. Never goes back.
    changed_at: Option<jiff::Timestamp>,
    /// The image files beside the articles, shared by successive snapshots
    /// until an image changes.
    media: media::SharedMedia,
    /// The search index's fingerprint of these articles, when a load took
    /// it (see [`search::Fingerprint::of_articles`]); `None` after a reload.
    search_fingerprint: Option<search::Fingerprint>,
}

impl Default for Library {
    fn default() -> Self {
        Self::new(Vec::new(), Vec::new())
    }
}

impl Library {
    /// Builds a snapshot from parsed articles and the problems met on the way.
    pub fn new(articles: Vec<Article>, problems: Vec<LoadProblem>) -> Self {
        Self::from_shared(articles.into_iter().map(Arc::new).collect(), problems)
    }

    /// [`Self::new`] from articles already in their `Arc`s (a load makes
    /// them so, not to move them again).
    pub(crate) fn from_shared(articles: Vec<Arc<Article>>, problems: Vec<LoadProblem>) -> Self {
        let ranking = Ranking::newest_first(&articles);
        // The indexes are built from `articles` as they come (the order the
        // load allocated them in), each told its article's position: walking
        // the sorted list instead reads every article from a scattered place
        // in memory, a cache (and, on a VM, TLB) miss each, which made
        // indexing a million articles take a second.
        let ((positions, archive, tags), (sections, sources, fingerprint)) = rayon::join(
            || {
                (
                    Positions::build_ranked(&articles, &ranking),
                    Archive::build_ranked(&articles, &ranking),
                    Groups::build_ranked(&articles, &ranking, Facet::Tag),
                )
            },
            || {
                (
                    Groups::build_ranked(&articles, &ranking, Facet::Section),
                    Groups::build_ranked(&articles, &ranking, Facet::Source),
                    search::Fingerprint::of_articles(&articles),
                )
            },
        );
        let changed_at = articles.iter().filter_map(|article| article.modified).max();
        let articles = Order::from(ranking.sort(articles));
        let indexes = Indexes { positions, sections, sources, tags, archive };
        let mut library = Self::assemble(articles, indexes, problems, Arc::default());
        library.changed_at = changed_at;
        library.search_fingerprint = Some(fingerprint);
        library
    }

    /// The search index's fingerprint of these articles, if the load that
    /// built this snapshot took it.
    pub(crate) fn search_fingerprint(&self) -> Option<search::Fingerprint> {
        self.search_fingerprint
    }

    /// Builds a snapshot from articles already in [`newest_first`] order:
    /// the derived indexes, one pass each. Reloads that change many articles
    /// come here directly (no sort); a few changes patch the previous
    /// snapshot's indexes instead (see `splice`).
    fn from_sorted(articles: Order, problems: Vec<LoadProblem>, history: Arc<History>) -> Self {
        // Five independent passes over every article: on two threads. Tags
        // go with the id map, the other pass that reads more than a field.
        let ((positions, archive, tags), (sections, sources)) = rayon::join(
            || (Positions::build(&articles), Archive::build(&articles), Groups::build(&articles, Facet::Tag)),
            || (Groups::build(&articles, Facet::Section), Groups::build(&articles, Facet::Source)),
        );
        Self::assemble(articles, Indexes { positions, sections, sources, tags, archive }, problems, history)
    }

    /// A snapshot of `articles` with indexes built for them, under a new
    /// generation.
    fn assemble(articles: Order, indexes: Indexes, mut problems: Vec<LoadProblem>, history: Arc<History>) -> Self {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        static NEXT_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let generation = NEXT_GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Indexes { positions, sections, sources, tags, archive } = indexes;
        Self {
            articles,
            positions,
            problems,
            sections,
            sources,
            tags,
            archive,
            history,
            generation,
            changed_at: None,
            media: Arc::default(),
            search_fingerprint: None,
        }
    }

    /// The same snapshot with these image files.
    pub fn with_media(mut self, media: media::MediaIndex) -> Self {
        self.media = Arc::new(media);
        self
    }

    /// The image files beside the articles.
    pub fn media(&self) -> &media::MediaIndex {
        &self.media
    }

    /// The position of the article with this id in [`Self::articles`].
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(&self.articles, id)
    }

    /// This snapshot's identity: different for every snapshot built in this
    /// process.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// When the set of articles last changed (see the field): what lists,
    /// feeds and the sitemap take as their modification time, together
    /// with their newest file, so that a deletion or a rename moves it on.
    pub fn changed_at(&self) -> Option<jiff::Timestamp> {
        self.changed_at
    }

    /// The article whose id equals `id` ignoring ASCII case, for redirecting
    /// case variants of a URL to the canonical one. A linear scan: it only
    /// runs for ids that were not found exactly.
    pub fn find_ignoring_case(&self, id: &str) -> Option<&Arc<Article>> {
        self.articles.iter().find(|article| article.id.as_str().eq_ignore_ascii_case(id))
    }

    /// Every section with its articles, sorted by name.
    pub fn sections(&self) -> &Groups {
        &self.sections
    }

    /// Every source with its articles, sorted by name.
    pub fn sources(&self) -> &Groups {
        &self.sources
    }

    /// Every tag with its articles, sorted by name.
    pub fn tags(&self) -> &Groups {
        &self.tags
    }

    /// Articles by year and month, and the undated ones.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// The list named by `key`, or `None` when there is no such section,
    /// source, tag or period in this library.
    pub fn list<'a>(&'a self, key: &ListKey) -> Option<ArticleList<'a>> {
        let group = |group: &'a Group| ArticleList::positions(self, &group.positions);
        match key {
            ListKey::All => Some(ArticleList::range(self, 0..self.articles.len())),
            ListKey::Section(slug) => self.sections.find_by_slug(slug).map(group),
            ListKey::Source(slug) => self.sources.find_by_slug(slug).map(group),
            ListKey::Tag(slug) => self.tags.find_by_slug(slug).map(group),
            ListKey::Year(year) => {
                self.archive.find_year(*year).map(|year| ArticleList::range(self, year.range.clone()))
            }
            ListKey::Month(year, month) => self
                .archive
                .find_year(*year)
                .and_then(|year| year.find_month(*month))
                .map(|month| ArticleList::range(self, month.range.clone())),
            ListKey::Undated => Some(ArticleList::range(self, self.archive.undated.clone())),
        }
    }

    /// Every article, newest first.
    pub fn articles(&self) -> &Order {
        &self.articles
    }

    /// Number of loaded articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether no article loaded.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Files that could not be loaded.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// The article with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Article>> {
        self.position(id).map(|index| &self.articles[index])
    }

    /// Where the article that had this id lives now, when its file was
    /// renamed or moved (with its content unchanged) while the server ran.
    pub fn find_moved(&self, id: &str) -> Option<&ArticleId> {
        self.history.moved_to(id)
    }

    /// Whether an article with this id was deleted while the server ran.
    pub fn is_gone(&self, id: &str) -> bool {
        self.history.is_gone(id)
    }

    /// The articles just newer and just older than `id` in newest-first order.
    pub fn find_neighbours(&self, id: &str) -> Neighbours<'_> {
        let Some(index) = self.position(id) else {
            return Neighbours::default();
        };
        Neighbours {
            newer: index.checked_sub(1).map(|newer| &self.articles[newer]),
            older: self.articles.get(index + 1),
        }
    }

    /// One page of `per_page` articles, 1-based; `None` past the last page.
    pub fn page(&self, page: usize, per_page: usize) -> Option<Vec<&Arc<Article>>> {
        ArticleList::range(self, 0..self.articles.len()).page(page, per_page)
    }
}

/// Where each of a list of articles goes in [`newest_first`] order. The
/// articles are sorted by a key taken once: comparing through the `Arc`s,
/// each article elsewhere in memory, cost a cache miss per comparison (a
/// second at a million articles); the key (date, first 16 bytes of the id)
/// settles almost every comparison, and only ids that share those bytes
/// are compared whole.
pub(crate) struct Ranking {
    /// The index (in the list) of the article at each position.
    by_position: Vec<u32>,
    /// The position of each article of the list.
    positions: Vec<u32>,
}

impl Ranking {
    fn newest_first(articles: &[Arc<Article>]) -> Self {
        use rayon::prelude::*;
        let mut keyed: Vec<(SortKey, u32)> = articles
            .par_iter()
            .enumerate()
            .map(|(index, article)| (SortKey::of(article), by_id::position_u32(index)))
            .collect();
        keyed.par_sort_unstable_by(|(a_key, a), (b_key, b)| {
            a_key.cmp(b_key).then_with(|| articles[*a as usize].id.cmp(&articles[*b as usize].id))
        });
        let by_position: Vec<u32> = keyed.into_iter().map(|(_, index)| index).collect();
        let mut positions = vec![0; by_position.len()];
        for (position, &index) in by_position.iter().enumerate() {
            positions[index as usize] = by_id::position_u32(position);
        }
        Self { by_position, positions }
    }

    /// The position of the article at `index` in the list ranked.
    pub(crate) fn position(&self, index: usize) -> u32 {
        self.positions[index]
    }

    /// The index in the list ranked of the article at `position`.
    pub(crate) fn index_at(&self, position: u32) -> usize {
        self.by_position[position as usize] as usize
    }

    /// `articles`, the list ranked, in order: only the pointers move.
    fn sort(&self, articles: Vec<Arc<Article>>) -> Vec<Arc<Article>> {
        let mut slots: Vec<Option<Arc<Article>>> = articles.into_iter().map(Some).collect();
        self.by_position.iter().filter_map(|&index| slots[index as usize].take()).collect()
    }
}

/// The part of [`newest_first`] that fits in integers: compared in this
/// order, keys sort as their articles, except that equal keys may still
/// differ by the rest of the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    /// Smaller for newer dates; `u32::MAX` for undated articles.
    date: u32,
    /// The id's first 16 bytes, big-endian, zero-padded: ordered as the
    /// ids are, up to ids that share them.
    id_prefix: [u64; 2],
}

impl SortKey {
    fn of(article: &Article) -> Self {
        let date = article.date.map_or(u32::MAX, |date| {
            // Ascending with the date, and below 2^25 for any `i16` year.
            let ordinal =
                (i32::from(date.year()) + 32_768) * 512 + i32::from(date.month()) * 32 + i32::from(date.day());
            (1 << 26) - ordinal.unsigned_abs()
        });
        let mut bytes = [0u8; 16];
        let id = article.id.as_str().as_bytes();
        let len = id.len().min(16);
        bytes[..len].copy_from_slice(&id[..len]);
        let (high, low) = bytes.split_at(8);
        let word = |half: &[u8]| u64::from_be_bytes(half.try_into().unwrap_or_default());
        Self { date, id_prefix: [word(high), word(low)] }
    }
}

/// The library's order: newest first, undated articles last, ties by id.
pub fn newest_first(a: &Article, b: &Article) -> Ordering {
    // `Option`'s order puts `None` first; undated articles belong last.
    (a.date.is_none().cmp(&b.date.is_none())).then_with(|| b.date.cmp(&a.date)).then_with(|| a.id.cmp(&b.id))
}

impl std::borrow::Borrow<str> for ArticleId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// The articles on either side of one article in a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct Neighbours<'a> {
    pub newer: Option<&'a Arc<Article>>,
    pub older: Option<&'a Arc<Article>>,
}

/// Number of pages needed for `total` items; an empty list still has page 1.
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page).max(1)
}

/// The 1-based `page` of `items`; page 1 of an empty list is empty, any other
/// page outside the list is `None`.
pub fn paginate<T>(items: &[T], page: usize, per_page: usize) -> Option<&[T]> {
    if page == 0 || page > page_count(items.len(), per_page) {
        return None;
    }
    let start = (page - 1) * per_page;
    Some(&items[start..(start + per_page).min(items.len())])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn dated(id: String, date: Option<(i16, i8, i8)>) -> Arc<Article> {
        let date = date.map(|(year, month, day)| jiff::civil::date(year, month, day));
        Arc::new(Article { id: ArticleId::new(id), date, ..Article::default() })
    }

    proptest! {
        /// The indexes a load builds from its articles as they come, each
        /// told its position, are those of walking the sorted list (what a
        /// reload's rebuild does): groups with repeated tags and names that
        /// differ by case, dates of any year, undated articles.
        #[test]
        fn indexes_built_in_load_order_are_those_of_the_sorted_list(
            articles in prop::collection::vec(
                (
                    "[a-d]{1,3}",
                    prop::option::weighted(0.8, (1990i16..2030, 1i8..=12, 1i8..=28)),
                    prop::option::of(prop_oneof![Just("World"), Just("world"), Just("Sport")]),
                    prop::option::of(prop_oneof![Just("Reuters"), Just("AP")]),
                    prop::collection::vec(prop_oneof![Just("a"), Just("b"), Just("A")], 0..4),
                ),
                0..60,
            )
        ) {
            let mut ids = std::collections::HashSet::new();
            let articles: Vec<Arc<Article>> = articles
                .into_iter()
                .filter(|(id, ..)| ids.insert(id.clone()))
                .map(|(id, date, section, source, tags)| {
                    let mut article = Arc::unwrap_or_clone(dated(id, date));
                    article.section = section.map(str::to_owned);
                    article.source = source.map(str::to_owned);
                    article.details_mut().tags = tags.into_iter().map(str::to_owned).collect();
                    Arc::new(article)
                })
                .collect();
            let mut sorted = articles.clone();
            sorted.sort_by(|a, b| newest_first(a, b));
            let expected = Library::from_sorted(Order::from(sorted), Vec::new(), Arc::default());
            let library = Library::from_shared(articles, Vec::new());
            let ids = |library: &Library| library.articles().iter().map(|article| article.id.clone()).collect::<Vec<_>>();
            prop_assert_eq!(ids(&library), ids(&expected));
            for article in expected.articles() {
                prop_assert_eq!(library.position(article.id.as_str()), expected.position(article.id.as_str()));
            }
            prop_assert_eq!(&library.sections, &expected.sections);
            prop_assert_eq!(&library.sources, &expected.sources);
            prop_assert_eq!(&library.tags, &expected.tags);
            prop_assert_eq!(&library.archive, &expected.archive);
        }

        /// The keyed sort gives exactly the order of `newest_first`: ids
        /// that share 16 bytes or are prefixes of each other, any year.
        #[test]
        fn the_keyed_sort_is_newest_first(
            articles in prop::collection::vec(
                (
                    prop_oneof!["[a-c]{0,3}", "2024/03/same-prefix-[a-c]{0,3}", "0123456789abcdef[a-c/]{0,2}"],
                    prop::option::weighted(0.8, (prop_oneof![Just(-9999i16), 1990i16..2030, Just(9999i16)], 1i8..=12, 1i8..=28)),
                ),
                0..60,
            )
        ) {
            let articles: Vec<Arc<Article>> = articles.into_iter().map(|(id, date)| dated(id, date)).collect();
            let mut expected = articles.clone();
            expected.sort_by(|a, b| newest_first(a, b));
            let sorted = Ranking::newest_first(&articles).sort(articles);
            let key = |article: &Arc<Article>| (article.id.clone(), article.date);
            prop_assert_eq!(sorted.iter().map(key).collect::<Vec<_>>(), expected.iter().map(key).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_problem_whose_last_good_version_is_served_says_so() {
        let mut problem = LoadProblem::new("a.txt".into(), ProblemKind::NotAnArticle, "the file is empty".into());
        assert_eq!(problem.to_string(), "a.txt: the file is empty");
        problem.kept_previous = true;
        assert_eq!(
            problem.to_string(),
            "a.txt: the file is empty; the last good version is served until the file is fixed"
        );
    }
}
