//! One reload's edit of the newest-first list, and where it moves every
//! position, so the next snapshot's indexes can be the previous ones
//! patched rather than rebuilt.
//!
//! Rebuilding the id map and the section, source and date indexes means
//! reading every article (at 100,000 articles, tens of milliseconds of
//! cache misses); patching them rewrites integers and reads only the
//! articles that changed. Many changes at once (a rescan after a big
//! copy) still rebuild: past a point one linear pass beats many patches.

use std::sync::Arc;

use super::history::History;
use crate::article::Article;
use crate::library::by_id::{Positions, position_u32};
use crate::library::index::{Archive, Facet, Groups};
use crate::library::{Library, LoadProblem, Order, newest_first};

#[cfg(test)]
mod tests;

/// Where a reload removed and inserted articles in the list, by position.
#[derive(Debug, Default)]
pub(crate) struct Splice {
    /// Positions in the old list that are gone, ascending.
    dropped: Vec<usize>,
    /// For each inserted article, in order: how many old articles (dropped
    /// ones included) sort before it. Ascending.
    before: Vec<usize>,
    /// Positions of the inserted articles in the new list, ascending.
    inserted: Vec<usize>,
}

impl Splice {
    /// `old` (in the library's order) without the positions in `dropped`
    /// and with `incoming` at their places: one binary search per incoming
    /// article, and only the chunks of the list that change are copied (see
    /// [`Order`]), so the cost follows the change, not the library.
    pub(crate) fn apply(old: &Order, mut dropped: Vec<usize>, mut incoming: Vec<Arc<Article>>) -> (Order, Self) {
        dropped.retain(|&position| position < old.len());
        dropped.sort_unstable();
        dropped.dedup();
        incoming.sort_by(|a, b| newest_first(a, b));
        let before: Vec<usize> =
            incoming.iter().map(|new| old.partition_point(|article| newest_first(article, new).is_lt())).collect();
        let inserted =
            before.iter().enumerate().map(|(index, &at)| at - dropped.partition_point(|&d| d < at) + index).collect();
        let articles = old.edited(&dropped, incoming.into_iter().zip(before.iter().copied()).collect());
        (articles, Self { dropped, before, inserted })
    }

    /// Old positions that are gone, ascending.
    pub(crate) fn dropped(&self) -> &[usize] {
        &self.dropped
    }

    /// New positions of the inserted articles, ascending.
    pub(crate) fn inserted(&self) -> &[usize] {
        &self.inserted
    }

    /// Whether every article that stays keeps its position (an article
    /// replaced in place, the usual edit). The kept positions map in order
    /// onto the positions not inserted, so they stay put exactly when the
    /// inserted positions are the dropped ones.
    pub(crate) fn keeps_positions(&self) -> bool {
        self.inserted == self.dropped
    }

    /// The new position of the old position `position`, which must not be
    /// dropped: minus the drops above it, plus the insertions above it.
    pub(crate) fn moved(&self, position: usize) -> usize {
        let dropped_above = self.dropped.partition_point(|&d| d < position);
        let inserted_above = self.before.partition_point(|&at| at <= position);
        position - dropped_above + inserted_above
    }

    /// The new positions of a group: its old `members` (ascending) that
    /// stay, moved, merged with the `joining` new positions (ascending).
    pub(crate) fn members(&self, members: &[u32], joining: &[u32]) -> Vec<u32> {
        let mut kept = members
            .iter()
            .map(|&member| member as usize)
            .filter(|member| self.dropped.binary_search(member).is_err())
            .map(|member| position_u32(self.moved(member)))
            .peekable();
        let mut merged = Vec::with_capacity(members.len() + joining.len());
        for &new in joining {
            while let Some(member) = kept.next_if(|&member| member < new) {
                merged.push(member);
            }
            merged.push(new);
        }
        merged.extend(kept);
        merged
    }

    /// Whether patching the indexes beats rebuilding them for a list of
    /// `len` articles: patches cost a little per change on top of one cheap
    /// pass over integers, a rebuild reads every article.
    fn worth_patching(&self, len: usize) -> bool {
        (self.dropped.len() + self.inserted.len()) * 8 <= len.max(64)
    }
}

impl Library {
    /// The snapshot of `articles`, which `splice` made from this snapshot's
    /// list: its indexes patched from this snapshot's when few articles
    /// changed, built afresh otherwise. Either way the result is the same.
    pub(crate) fn spliced(
        &self,
        articles: Order,
        splice: &Splice,
        problems: Vec<LoadProblem>,
        history: Arc<History>,
    ) -> Library {
        if !splice.worth_patching(articles.len()) {
            return Library::from_sorted(articles, problems, history);
        }
        self.patched(articles, splice, problems, history)
    }

    /// [`Self::spliced`], patching however many articles changed.
    fn patched(&self, articles: Order, splice: &Splice, problems: Vec<LoadProblem>, history: Arc<History>) -> Library {
        let old = &self.articles;
        let positions = self.positions.patched(old, &articles, splice);
        let archive = self.archive.patched(old, &articles, splice);
        let sections = self.sections.patched(old, &articles, splice, Facet::Section);
        let sources = self.sources.patched(old, &articles, splice, Facet::Source);
        let tags = self.tags.patched(old, &articles, splice, Facet::Tag);
        Library::assemble(articles, Indexes { positions, sections, sources, tags, archive }, problems, history)
    }
}

/// Everything a snapshot derives from its list.
pub(crate) struct Indexes {
    pub positions: Positions,
    pub sections: Groups,
    pub sources: Groups,
    pub tags: Groups,
    pub archive: Archive,
}
