//! The id → position map of a [`super::Library`].
//!
//! The table holds bare `u32` positions, not ids or `Arc`s: an entry's key
//! is the id of the article at that position, read from the library's list
//! when a lookup has to compare. So copying the map for the next snapshot
//! is one `memcpy` (no reference counts, no strings), and a reload that
//! shifts positions by one rewrites integers without touching a single
//! article. An edit that moves no id (an article replaced in place) shares
//! the map, copying nothing. Only growth re-hashes (rarely, and then it
//! reads every id once).

use std::hash::BuildHasher;

use std::sync::Arc;

use hashbrown::HashTable;

use super::reload::splice::Splice;
use super::{Order, Ranking};
use crate::article::Article;

/// Where each article is in the library's newest-first list. Hashed with
/// foldhash, seeded once per map and carried to its patched copies (which
/// must hash the same way): ids come from the site's own file names, not
/// from clients, so SipHash's flood resistance would buy nothing here.
#[derive(Debug, Clone, Default)]
pub(crate) struct Positions {
    /// Shared by successive snapshots while no id moves (the usual edit
    /// replaces an article in place).
    table: Arc<HashTable<u32>>,
    hasher: foldhash::fast::RandomState,
}

impl Positions {
    /// Indexes `articles` by id.
    pub(crate) fn build(articles: &Order) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(articles.len());
        for (position, article) in articles.iter().enumerate() {
            // The capacity is there: the re-hasher is never called.
            table.insert_unique(hasher.hash_one(article.id.as_str()), position_u32(position), |&entry| {
                hasher.hash_one(articles[entry as usize].id.as_str())
            });
        }
        Self { table: Arc::new(table), hasher }
    }

    /// Indexes `articles`, in the order they were loaded, by id; `ranking`
    /// gives their positions (see [`super::Library::from_shared`]).
    pub(crate) fn build_ranked(articles: &[Arc<Article>], ranking: &Ranking) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut table = HashTable::with_capacity(articles.len());
        for (index, article) in articles.iter().enumerate() {
            // The capacity is there: the re-hasher is never called.
            table.insert_unique(hasher.hash_one(article.id.as_str()), ranking.position(index), |&entry| {
                hasher.hash_one(articles[ranking.index_at(entry)].id.as_str())
            });
        }
        Self { table: Arc::new(table), hasher }
    }

    /// The position of the article with this id in `articles`, the list
    /// these positions were built for.
    pub(crate) fn get(&self, articles: &Order, id: &str) -> Option<usize> {
        let found = self.table.find(self.hash(id), |&entry| {
            articles.get(entry as usize).is_some_and(|article| article.id.as_str() == id)
        });
        found.map(|&entry| entry as usize)
    }

    /// How many ids the map holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The map for the list `splice` made from `old` into `new`: the dropped
    /// entries removed, every other position moved, the inserted ones added.
    pub(crate) fn patched(&self, old: &Order, new: &Order, splice: &Splice) -> Self {
        let same_ids = |position: usize| old[position].id == new[position].id;
        if splice.keeps_positions() && splice.dropped().iter().all(|&position| same_ids(position)) {
            return self.clone();
        }
        let mut table = HashTable::clone(&self.table);
        for &position in splice.dropped() {
            let hash = self.hash(old[position].id.as_str());
            // Compare positions, not ids: the entry for `position` is unique.
            if let Ok(entry) = table.find_entry(hash, |&entry| entry as usize == position) {
                entry.remove();
            }
        }
        if !splice.keeps_positions() {
            for entry in table.iter_mut() {
                *entry = position_u32(splice.moved(*entry as usize));
            }
        }
        // From here on every entry is a position in `new`.
        let rehash = |entry: &u32| self.hasher.hash_one(new[*entry as usize].id.as_str());
        table.reserve(splice.inserted().len(), rehash);
        for &position in splice.inserted() {
            table.insert_unique(self.hash(new[position].id.as_str()), position_u32(position), rehash);
        }
        Self { table: Arc::new(table), hasher: self.hasher.clone() }
    }

    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }
}

/// Positions are stored as `u32` to halve the index size; four billion
/// articles is far beyond what one process can hold anyway.
pub(crate) fn position_u32(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::article::{Article, ArticleId};

    fn article(id: &str) -> Arc<Article> {
        Arc::new(Article { id: ArticleId::new(id), ..Article::default() })
    }

    #[test]
    fn finds_articles_by_their_id_string() {
        let articles = Order::from(vec![article("b"), article("a/c")]);
        let positions = Positions::build(&articles);
        assert_eq!(positions.get(&articles, "b"), Some(0));
        assert_eq!(positions.get(&articles, "a/c"), Some(1));
        assert_eq!(positions.get(&articles, "a"), None);
        assert_eq!(positions.len(), 2);
    }

    #[test]
    fn grows_past_its_capacity_when_patched() {
        let old = Order::from((0..3).map(|n| article(&format!("old{n}"))).collect::<Vec<_>>());
        let positions = Positions::build(&old);
        let incoming: Vec<Arc<Article>> = (0..100).map(|n| article(&format!("new{n:03}"))).collect();
        let (new, splice) = Splice::apply(&old, vec![1], incoming);
        let patched = positions.patched(&old, &new, &splice);
        assert_eq!(patched.len(), new.len());
        for (position, article) in new.iter().enumerate() {
            assert_eq!(patched.get(&new, article.id.as_str()), Some(position), "{}", article.id);
        }
        assert_eq!(patched.get(&new, "old1"), None);
    }

    #[test]
    fn an_article_replaced_in_place_shares_the_map() {
        let old = Order::from((0..9).map(|n| article(&format!("a{n}"))).collect::<Vec<_>>());
        let positions = Positions::build(&old);
        let (new, splice) = Splice::apply(&old, vec![4], vec![article("a4")]);
        let patched = positions.patched(&old, &new, &splice);
        assert!(Arc::ptr_eq(&positions.table, &patched.table));
        // Another id at the same place is a change of the map.
        let (new, splice) = Splice::apply(&old, vec![4], vec![article("a4b")]);
        let patched = positions.patched(&old, &new, &splice);
        assert!(!Arc::ptr_eq(&positions.table, &patched.table));
        assert_eq!((patched.get(&new, "a4b"), patched.get(&new, "a4")), (Some(4), None));
    }
}
