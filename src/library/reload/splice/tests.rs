//! Patched indexes must be exactly the ones a full build gives: random
//! libraries, random sequences of adds, edits and deletions, each snapshot
//! compared with `Library::new` over the same articles.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::article::ArticleId;
use crate::library::reload::apply::Edit;

/// Few names, some of which want the same slug, so groups appear, empty
/// and collide.
const SECTIONS: &[&str] = &["World", "world", "World News", "World-News", "Sport", "Économie"];
const SOURCES: &[&str] = &["Test Wire", "BBC", "bbc", "Al Jazeera"];
/// Tags, of which an article has any number, a tag sometimes twice.
const TAGS: &[&str] = &["Elections", "elections", "Trade", "Économie"];

/// What an article's place in the indexes depends on.
#[derive(Debug, Clone)]
struct Shape {
    date: Option<(i16, i8, i8)>,
    section: Option<usize>,
    source: Option<usize>,
    tags: Vec<usize>,
    title: u8,
}

#[derive(Debug, Clone)]
enum Op {
    /// Adds the article, or replaces it when the id exists.
    Upsert(usize, Shape),
    Remove(usize),
}

fn id(index: usize) -> ArticleId {
    // Some ids in folders, some sharing prefixes, to exercise the id order.
    ArticleId::new(if index.is_multiple_of(3) { format!("desk/a{index}") } else { format!("a{index}") })
}

fn article(index: usize, shape: &Shape) -> Article {
    Article {
        id: id(index),
        title: format!("Title {}", shape.title),
        date: shape.date.map(|(year, month, day)| jiff::civil::date(year, month, day)),
        section: shape.section.map(|section| SECTIONS[section].to_owned()),
        source: shape.source.map(|source| SOURCES[source].to_owned()),
        details: crate::article::Details {
            tags: shape.tags.iter().map(|&tag| TAGS[tag].to_owned()).collect(),
            ..crate::article::Details::default()
        }
        .boxed(),
        ..Article::default()
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    let date = prop::option::weighted(0.85, (2022i16..2025, 1i8..=12, 1i8..=2));
    let section = prop::option::weighted(0.8, 0..SECTIONS.len());
    let source = prop::option::weighted(0.8, 0..SOURCES.len());
    let tags = prop::collection::vec(0..TAGS.len(), 0..3);
    (date, section, source, tags, any::<u8>()).prop_map(|(date, section, source, tags, title)| Shape {
        date,
        section,
        source,
        tags,
        title,
    })
}

const IDS: usize = 60;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..IDS, shape()).prop_map(|(index, shape)| Op::Upsert(index, shape)),
        2 => (0..IDS).prop_map(Op::Remove),
    ]
}

/// Applies one batch to the model the way `Edit` resolves it: an upsert
/// wins over a removal of the same id.
fn apply_to_model(model: &mut BTreeMap<ArticleId, Article>, batch: &[Op]) -> Edit {
    let mut edit = Edit::default();
    let (mut upserts, mut removals) = (BTreeMap::new(), Vec::new());
    for op in batch {
        match op {
            Op::Upsert(index, shape) => {
                edit.upsert(article(*index, shape));
                upserts.insert(id(*index), article(*index, shape));
            }
            Op::Remove(index) => {
                edit.remove(id(*index));
                if !upserts.contains_key(&id(*index)) {
                    removals.push(id(*index));
                }
            }
        }
    }
    for removed in removals {
        model.remove(&removed);
    }
    model.extend(upserts);
    edit
}

/// Every index of `ours` equals the one `Library::new` builds.
fn assert_same_as_full_build(ours: &Library, model: &BTreeMap<ArticleId, Article>) {
    let full = Library::new(model.values().cloned().collect(), Vec::new());
    let ids = |library: &Library| library.articles.iter().map(|article| article.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(ours), ids(&full), "order");
    for (mine, theirs) in ours.articles.iter().zip(&full.articles) {
        assert_eq!(mine, theirs);
    }
    assert_eq!(ours.positions.len(), full.positions.len(), "id map size");
    for (position, article) in full.articles.iter().enumerate() {
        assert_eq!(ours.position(article.id.as_str()), Some(position), "position of {}", article.id);
    }
    for index in 0..IDS {
        let id = id(index);
        assert_eq!(ours.get(id.as_str()).is_some(), model.contains_key(&id), "{id}");
    }
    assert_eq!(ours.sections, full.sections, "sections");
    assert_eq!(ours.sources, full.sources, "sources");
    assert_eq!(ours.tags, full.tags, "tags");
    assert_eq!(ours.archive, full.archive, "archive");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn patched_snapshots_equal_full_builds(
        initial in prop::collection::vec((0..IDS, shape()), 0..40),
        batches in prop::collection::vec(prop::collection::vec(op(), 1..12), 1..12),
    ) {
        let mut model = BTreeMap::new();
        for (index, shape) in &initial {
            model.insert(id(*index), article(*index, shape));
        }
        let mut library = Library::new(model.values().cloned().collect(), Vec::new());
        for batch in &batches {
            let before = model.clone();
            let edit = apply_to_model(&mut model, batch);
            // However many changed, patching gives the same as a rebuild.
            assert_same_as_full_build(&always_patched(&library, &before, &model), &model);
            // The way reloads go (patching only small changes).
            library = library.splice(edit, Vec::new(), batch.len()).library;
            assert_same_as_full_build(&library, &model);
        }
    }
}

/// `library` (holding `before`) patched into a snapshot of `after`, without
/// the size limit that sends big changes to a rebuild.
fn always_patched(
    library: &Library,
    before: &BTreeMap<ArticleId, Article>,
    after: &BTreeMap<ArticleId, Article>,
) -> Library {
    let changed = |id: &ArticleId| before.get(id) != after.get(id);
    let dropped = before.keys().filter(|id| changed(id)).filter_map(|id| library.position(id.as_str())).collect();
    let incoming = after.iter().filter(|(id, _)| changed(id)).map(|(_, article)| Arc::new(article.clone())).collect();
    let (articles, splice) = Splice::apply(&library.articles, dropped, incoming);
    library.patched(articles, &splice, Vec::new(), Arc::default())
}

#[test]
fn an_article_replaced_in_place_keeps_every_position() {
    let shape = |day| Shape {
        date: Some((2024, 3, day)),
        section: Some(0),
        source: Some(1),
        tags: vec![0, 0],
        title: day as u8,
    };
    let library = Library::new((0..5).map(|index| article(index, &shape(index as i8 + 1))).collect(), Vec::new());
    let old = library.position("a2").expect("a2");
    let (articles, splice) = Splice::apply(&library.articles, vec![old], vec![Arc::new(article(2, &shape(3)))]);
    assert!(splice.keeps_positions());
    assert_eq!(articles.iter().position(|article| article.id.as_str() == "a2"), Some(old));
}

#[test]
fn positions_move_past_drops_and_insertions() {
    let shape = |day| Shape { date: Some((2024, 3, day)), section: None, source: None, tags: Vec::new(), title: 0 };
    // Newest first: a4 (day 5) … desk/a0 (day 1).
    let library = Library::new((0..5).map(|index| article(index, &shape(index as i8 + 1))).collect(), Vec::new());
    // Drop a4 (position 0), insert a new article between a2 and a1.
    let newcomer = Arc::new(Article { id: ArticleId::new("n"), ..article(9, &shape(2)) });
    let (articles, splice) = Splice::apply(&library.articles, vec![0], vec![newcomer]);
    let order: Vec<&str> = articles.iter().map(|article| article.id.as_str()).collect();
    assert_eq!(order, ["desk/a3", "a2", "a1", "n", "desk/a0"]);
    assert_eq!(splice.inserted(), [3]);
    assert_eq!((splice.moved(1), splice.moved(2), splice.moved(3), splice.moved(4)), (0, 1, 2, 4));
    assert!(!splice.keeps_positions());
}

#[test]
fn an_edit_in_place_shares_the_groups_it_leaves_alone() {
    let shape = |day, section| Shape {
        date: Some((2024, 3, day)),
        section: Some(section),
        source: Some(1),
        tags: Vec::new(),
        title: day as u8,
    };
    let articles = (0..6).map(|index| article(index, &shape(index as i8 + 1, if index < 3 { 0 } else { 4 })));
    let library = Library::new(articles.collect(), Vec::new());
    let old = library.position("a1").expect("a1");
    let (articles, splice) = Splice::apply(&library.articles, vec![old], vec![Arc::new(article(1, &shape(2, 0)))]);
    let next = library.patched(articles, &splice, Vec::new(), Arc::default());
    let positions =
        |library: &Library, name: &str| Arc::clone(&library.sections.find_by_name(name).expect(name).positions);
    assert!(Arc::ptr_eq(&positions(&library, SECTIONS[4]), &positions(&next, SECTIONS[4])));
    assert_eq!(positions(&library, SECTIONS[0]), positions(&next, SECTIONS[0]));
}
