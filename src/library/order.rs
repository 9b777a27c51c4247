//! The library's newest-first list of articles, held in shared chunks.
//!
//! Every reload builds a new snapshot while requests still read the old one,
//! so the list cannot be edited in place. A plain `Vec<Arc<Article>>` would
//! be copied whole for each change: at a million articles that is a million
//! reference-count increments (a cache miss each) to build the copy and as
//! many decrements to drop the old one, tens of milliseconds for one edited
//! file. Here the list is a sequence of chunks behind `Arc`s: the next
//! snapshot shares every chunk the change does not touch and copies only the
//! few it does, so a reload's cost follows the change, not the library.
//!
//! Chunks start at [`CHUNK`] articles and vary after reloads (an insertion
//! grows one, a removal shrinks one), so finding a position is a binary
//! search over the chunks' ends — a few hundred integers, in cache.

use std::ops::{Index, Range};
use std::sync::Arc;

use rayon::prelude::*;

use crate::article::Article;

/// Articles per chunk when a list is built whole. Big enough that the
/// chunk table stays small (~500 entries at a million), small enough that
/// copying one chunk is a few microseconds. Tiny in unit tests, so their
/// small libraries span many chunks.
const CHUNK: usize = if cfg!(test) { 4 } else { 2048 };

type Chunk = Arc<[Arc<Article>]>;

/// The articles of an [`Order`], in order.
pub type Iter<'a> = std::iter::FlatMap<
    std::slice::Iter<'a, Chunk>,
    std::slice::Iter<'a, Arc<Article>>,
    fn(&'a Chunk) -> std::slice::Iter<'a, Arc<Article>>,
>;

/// A newest-first list of articles (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Order {
    chunks: Vec<Chunk>,
    /// `ends[i]`: how many articles the chunks up to and including `i`
    /// hold. Ascending; its last entry is the list's length.
    ends: Vec<usize>,
}

impl From<Vec<Arc<Article>>> for Order {
    fn from(articles: Vec<Arc<Article>>) -> Self {
        Self::from_chunks(articles.chunks(CHUNK).map(Chunk::from).collect())
    }
}

impl Order {
    fn from_chunks(chunks: Vec<Chunk>) -> Self {
        let ends = chunks
            .iter()
            .scan(0, |end, chunk| {
                *end += chunk.len();
                Some(*end)
            })
            .collect();
        Self { chunks, ends }
    }

    /// How many articles the list holds.
    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the chunk `chunk` starts.
    fn start(&self, chunk: usize) -> usize {
        chunk.checked_sub(1).map_or(0, |before| self.ends[before])
    }

    /// The chunk holding `position`, and the position within it.
    fn locate(&self, position: usize) -> Option<(usize, usize)> {
        let chunk = self.ends.partition_point(|&end| end <= position);
        (chunk < self.chunks.len()).then(|| (chunk, position - self.start(chunk)))
    }

    /// The article at `position`.
    pub fn get(&self, position: usize) -> Option<&Arc<Article>> {
        let (chunk, offset) = self.locate(position)?;
        self.chunks[chunk].get(offset)
    }

    /// Every article, in order.
    pub fn iter(&self) -> Iter<'_> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }

    /// Every article, on rayon's threads.
    pub fn par_iter(&self) -> impl ParallelIterator<Item = &Arc<Article>> {
        self.chunks.par_iter().flat_map_iter(|chunk| chunk.iter())
    }

    /// The articles at the positions in `range` (clamped to the list).
    pub fn range(&self, range: Range<usize>) -> impl Iterator<Item = &Arc<Article>> + Clone {
        let end = range.end.min(self.len());
        let (chunk, offset) = self.locate(range.start).unwrap_or((self.chunks.len(), 0));
        let first = self.chunks.get(chunk).map_or(&[][..], |chunk| &chunk[offset..]);
        let rest = self.chunks.get(chunk + 1..).unwrap_or_default();
        first.iter().chain(rest.iter().flat_map(|chunk| chunk.iter())).take(end.saturating_sub(range.start))
    }

    /// How many leading articles satisfy `before`, which must hold for a
    /// prefix of the list and not after it (as for `slice::partition_point`).
    pub fn partition_point(&self, mut before: impl FnMut(&Arc<Article>) -> bool) -> usize {
        let chunk = self.chunks.partition_point(|chunk| chunk.last().is_some_and(&mut before));
        match self.chunks.get(chunk) {
            Some(within) => self.start(chunk) + within.partition_point(before),
            None => self.len(),
        }
    }

    /// This list without the positions in `dropped` (ascending, unique) and
    /// with `incoming` (in order, each with how many old articles come
    /// before it, ascending): chunks without a change are shared, the
    /// others copied with their changes.
    pub(crate) fn edited(&self, dropped: &[usize], incoming: Vec<(Arc<Article>, usize)>) -> Self {
        let mut chunks: Vec<Chunk> = Vec::with_capacity(self.chunks.len() + 1);
        let (mut drops, mut incoming) = (dropped, incoming.into_iter().peekable());
        for (index, chunk) in self.chunks.iter().enumerate() {
            let (start, end) = (self.start(index), self.ends[index]);
            let last = index + 1 == self.chunks.len();
            let split = drops.partition_point(|&gone| gone < end);
            let (here, later) = drops.split_at(split);
            drops = later;
            let mut arriving = Vec::new();
            while let Some(arrival) = incoming.next_if(|(_, at)| *at < end || last) {
                arriving.push(arrival);
            }
            if here.is_empty() && arriving.is_empty() {
                chunks.push(Arc::clone(chunk));
                continue;
            }
            let merged = merge(chunk, start, here, arriving);
            chunks.extend(merged.chunks(CHUNK).map(Chunk::from));
        }
        if self.chunks.is_empty() {
            let merged: Vec<Arc<Article>> = incoming.map(|(article, _)| article).collect();
            chunks.extend(merged.chunks(CHUNK).map(Chunk::from));
        }
        let edited = Self::from_chunks(chunks);
        // Removals shrink chunks and nothing merges them: when they have
        // become many small ones, start again from even chunks (rare, and
        // no dearer than the copy every reload used to make).
        if edited.chunks.len() > 2 * edited.len().div_ceil(CHUNK) + 8 {
            return Self::from(edited.iter().cloned().collect::<Vec<_>>());
        }
        edited
    }
}

/// One chunk's articles (positions `start..` of the list) without those at
/// `dropped` and with `arriving` put before the old article they name.
fn merge(
    chunk: &[Arc<Article>],
    start: usize,
    dropped: &[usize],
    arriving: Vec<(Arc<Article>, usize)>,
) -> Vec<Arc<Article>> {
    let mut merged = Vec::with_capacity(chunk.len() + arriving.len());
    let mut drops = dropped.iter().map(|&gone| gone - start).peekable();
    let mut next = 0;
    for (article, at) in arriving {
        let at = at - start;
        while let Some(gone) = drops.next_if(|&gone| gone < at) {
            merged.extend_from_slice(&chunk[next..gone]);
            next = gone + 1;
        }
        merged.extend_from_slice(&chunk[next..at]);
        next = at;
        merged.push(article);
    }
    for gone in drops {
        merged.extend_from_slice(&chunk[next..gone]);
        next = gone + 1;
    }
    merged.extend_from_slice(&chunk[next..]);
    merged
}

impl Index<usize> for Order {
    type Output = Arc<Article>;

    fn index(&self, position: usize) -> &Arc<Article> {
        match self.get(position) {
            Some(article) => article,
            None => panic!("position {position} is past the end of a list of {}", self.len()),
        }
    }
}

impl<'a> IntoIterator for &'a Order {
    type Item = &'a Arc<Article>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;

    fn list(ids: &[&str]) -> Vec<Arc<Article>> {
        ids.iter().map(|id| Arc::new(Article { id: ArticleId::new(*id), ..Article::default() })).collect()
    }

    fn ids<'a>(articles: impl Iterator<Item = &'a Arc<Article>>) -> Vec<&'a str> {
        articles.map(|article| article.id.as_str()).collect()
    }

    #[test]
    fn positions_ranges_and_searches_cross_chunks() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let order = Order::from(list(&names));
        assert!(order.chunks.len() > 2);
        assert_eq!(order.len(), 10);
        assert_eq!(ids(order.iter()), names);
        assert_eq!(ids((0..10).map(|position| &order[position])), names);
        assert!(order.get(10).is_none());
        assert_eq!(ids(order.range(3..9)), &names[3..9]);
        assert_eq!(ids(order.range(8..20)), &names[8..]);
        assert_eq!(order.range(10..12).count(), 0);
        for split in 0..=10 {
            assert_eq!(order.partition_point(|article| article.id.as_str() < *names.get(split).unwrap_or(&"z")), split);
        }
    }

    #[test]
    fn an_edit_shares_the_chunks_it_does_not_touch() {
        let order = Order::from(list(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]));
        let incoming = list(&["D"]).into_iter().map(|article| (article, 3)).collect();
        let edited = order.edited(&[3], incoming);
        assert_eq!(ids(edited.iter()), ["a", "b", "c", "D", "e", "f", "g", "h", "i", "j"]);
        let shared = edited.chunks.iter().filter(|chunk| order.chunks.iter().any(|old| Arc::ptr_eq(old, chunk)));
        assert_eq!(shared.count(), order.chunks.len() - 1);
    }

    #[test]
    fn edits_grow_empty_and_split_chunks() {
        let order = Order::from(list(&["b", "d", "f"]));
        let incoming: Vec<(Arc<Article>, usize)> = list(&["a", "c", "c2", "c3", "c4", "c5", "e", "g", "h"])
            .into_iter()
            .zip([0, 1, 1, 1, 1, 1, 2, 3, 3])
            .collect();
        let edited = order.edited(&[1], incoming);
        assert_eq!(ids(edited.iter()), ["a", "b", "c", "c2", "c3", "c4", "c5", "e", "f", "g", "h"]);
        assert!(edited.chunks.iter().all(|chunk| !chunk.is_empty() && chunk.len() <= CHUNK));
        let emptied = edited.edited(&(0..11).collect::<Vec<_>>(), Vec::new());
        assert!(emptied.is_empty() && emptied.chunks.is_empty());
        let refilled = emptied.edited(&[], list(&["x", "y"]).into_iter().map(|article| (article, 0)).collect());
        assert_eq!(ids(refilled.iter()), ["x", "y"]);
    }
}
