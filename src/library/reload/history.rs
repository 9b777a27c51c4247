//! What happened to ids that are no longer in the library: moved (the file
//! was renamed with its content unchanged) or gone (deleted). Kept for the
//! life of the process so old links keep working: a moved id redirects, a
//! gone id says so instead of "not found".

use std::collections::HashMap;
use std::hash::Hasher;

use crate::article::{Article, ArticleId};

/// Moved and gone ids, carried from snapshot to snapshot.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// Old id → the id the same content lives at now.
    moved: HashMap<ArticleId, ArticleId>,
    /// Deleted ids, with the fingerprint of their last content, so a file
    /// that reappears under another name later still counts as moved.
    gone: HashMap<ArticleId, u64>,
    /// The same, by fingerprint (the latest id to go with that content).
    gone_by_fingerprint: HashMap<u64, ArticleId>,
}

/// Ids that left and arrived in one reload, with their content
/// fingerprints.
#[derive(Debug, Default)]
pub(crate) struct Departures {
    pub left: Vec<(ArticleId, u64)>,
    pub arrived: Vec<(ArticleId, u64)>,
}

impl History {
    pub(crate) fn moved_to(&self, id: &str) -> Option<&ArticleId> {
        self.moved.get(id)
    }

    pub(crate) fn is_gone(&self, id: &str) -> bool {
        self.gone.contains_key(id)
    }

    /// Whether recording `departures` would change anything; reloads that
    /// only edit files share the previous history instead of copying it.
    pub(crate) fn is_affected_by(&self, departures: &Departures) -> bool {
        !departures.left.is_empty()
            || departures.arrived.iter().any(|(id, _)| self.gone.contains_key(id) || self.moved.contains_key(id))
    }

    /// Records one reload and returns the moves it found (old id, new id).
    /// An arrival whose content matches an id that left (in this reload or
    /// earlier) is that article moved; every other departure is gone.
    pub(crate) fn record(&mut self, departures: &Departures) -> Vec<(ArticleId, ArticleId)> {
        for (id, fingerprint) in &departures.left {
            self.forget(id);
            self.gone.insert(id.clone(), *fingerprint);
            self.gone_by_fingerprint.insert(*fingerprint, id.clone());
        }
        let mut moves = Vec::new();
        for (id, fingerprint) in &departures.arrived {
            // The id exists again: it is neither moved nor gone any more.
            self.forget(id);
            self.moved.remove(id);
            let Some(old) = self.gone_by_fingerprint.remove(fingerprint) else { continue };
            self.gone.remove(&old);
            // Earlier moves to `old` now lead to `id` directly: one redirect.
            for target in self.moved.values_mut().filter(|target| **target == old) {
                *target = id.clone();
            }
            self.moved.insert(old.clone(), id.clone());
            moves.push((old, id.clone()));
        }
        moves
    }

    fn forget(&mut self, id: &ArticleId) {
        if let Some(fingerprint) = self.gone.remove(id)
            && self.gone_by_fingerprint.get(&fingerprint) == Some(id)
        {
            self.gone_by_fingerprint.remove(&fingerprint);
        }
    }
}

/// A hash of what a reader sees of an article: title, date and body. Not
/// the section, which may come from the folder a file is moved between.
pub(crate) fn fingerprint(article: &Article) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.write(article.title.as_bytes());
    hasher.write(article.date.map(|date| date.to_string()).unwrap_or_default().as_bytes());
    for paragraph in article.body().iter() {
        hasher.write(&[0]);
        hasher.write(paragraph.text().as_bytes());
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ArticleId {
        ArticleId::new(text)
    }

    #[test]
    fn an_arrival_with_the_content_of_a_departure_is_a_move() {
        let mut history = History::default();
        let moves = history.record(&Departures { left: vec![(id("a"), 7)], arrived: vec![(id("b"), 7)] });
        assert_eq!(moves, vec![(id("a"), id("b"))]);
        assert_eq!(history.moved_to("a"), Some(&id("b")));
        assert!(!history.is_gone("a"));
    }

    #[test]
    fn a_departure_without_a_match_is_gone_until_its_id_comes_back() {
        let mut history = History::default();
        history.record(&Departures { left: vec![(id("a"), 7)], arrived: vec![(id("b"), 8)] });
        assert!(history.is_gone("a"));
        assert_eq!(history.moved_to("a"), None);
        history.record(&Departures { left: vec![], arrived: vec![(id("a"), 9)] });
        assert!(!history.is_gone("a"));
    }

    #[test]
    fn a_file_moved_twice_redirects_from_its_first_name_to_its_last() {
        let mut history = History::default();
        history.record(&Departures { left: vec![(id("a"), 7)], arrived: vec![(id("b"), 7)] });
        history.record(&Departures { left: vec![(id("b"), 7)], arrived: vec![(id("c"), 7)] });
        assert_eq!(history.moved_to("a"), Some(&id("c")));
        assert_eq!(history.moved_to("b"), Some(&id("c")));
    }

    #[test]
    fn a_file_deleted_and_later_recreated_elsewhere_counts_as_moved() {
        let mut history = History::default();
        history.record(&Departures { left: vec![(id("a"), 7)], arrived: vec![] });
        assert!(history.is_gone("a"));
        history.record(&Departures { left: vec![], arrived: vec![(id("z"), 7)] });
        assert_eq!(history.moved_to("a"), Some(&id("z")));
    }
}
