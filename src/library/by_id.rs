//! The id → position map of a [`super::Library`], keyed by the articles
//! themselves so that building it allocates no id strings: at 100,000
//! articles that is the difference between a reload that copies every id
//! and one that only bumps reference counts.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::article::Article;

/// An article as a map key: hashed and compared by its id, so the map can
/// be searched with a plain `&str`.
#[derive(Debug, Clone)]
struct ById(Arc<Article>);

impl Hash for ById {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must hash exactly like the `str` it borrows as.
        self.0.id.as_str().hash(state);
    }
}

impl PartialEq for ById {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for ById {}

impl Borrow<str> for ById {
    fn borrow(&self) -> &str {
        self.0.id.as_str()
    }
}

/// Where each article is in the library's newest-first list.
#[derive(Debug, Default)]
pub(crate) struct Positions(HashMap<ById, usize>);

impl Positions {
    /// Indexes `articles` by id.
    pub(crate) fn build(articles: &[Arc<Article>]) -> Self {
        let mut map = HashMap::with_capacity(articles.len());
        for (position, article) in articles.iter().enumerate() {
            map.insert(ById(Arc::clone(article)), position);
        }
        Self(map)
    }

    /// The position of the article with this id.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;

    #[test]
    fn finds_articles_by_their_id_string() {
        let article = |id: &str| Arc::new(Article { id: ArticleId::new(id), ..Article::default() });
        let positions = Positions::build(&[article("b"), article("a/c")]);
        assert_eq!(positions.get("b"), Some(0));
        assert_eq!(positions.get("a/c"), Some(1));
        assert_eq!(positions.get("a"), None);
    }
}
