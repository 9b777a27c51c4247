//! The tantivy index itself: building it, querying it, updating it.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};

use super::compile::{Compiled, compile};
use super::query::UserQuery;
use super::schema::{self, Fields};
use super::snippet::{Snippets, escape_html};
use super::store::{self, Fingerprint, Opened, SearchStore, article_hash};
use super::{Hit, SearchError, SearchRequest, SearchResults, SortOrder};
use crate::article::{Article, ArticleId};
use crate::library::Library;

/// Memory for the initial build, shared by the indexing threads. Tantivy
/// writes a segment each time it fills; more memory means fewer segments to
/// write and merge, at the price of a transient peak (taken as the build
/// needs it: a small library uses a few megabytes). Measured against 40 MB:
/// adding the documents of 100k articles 5.2 s → 4.9 s, of 1M 61.9 → 60.8 s,
/// 34 segments at 1M, merged in 9.7 s instead of ~500 in 18.7 s.
const BUILD_HEAP_BYTES: usize = 200 * 1024 * 1024;

/// Threads that build the index, and segments it is left in: each query
/// searches them side by side.
const SEARCH_THREADS: usize = 2;

/// Memory of the small writer that later updates use.
pub(super) const UPDATE_HEAP_BYTES: usize = 16 * 1024 * 1024;

/// A ready index and what it takes to query and update it.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Made with the engine, merging nothing by itself until
    /// [`Self::compact`] has run (a merge the policy started would
    /// overlap with the one `compact` starts on the same segments); kept
    /// for later updates.
    writer: Mutex<IndexWriter>,
    /// Whether this engine indexed the library itself (rather than
    /// reopening or catching up a cached index): its segments are then
    /// always merged into one per searching thread.
    built: bool,
}

impl Engine {
    /// Indexes every article of `library`, counting them in `progress`, in
    /// `store`; a cached index that is still current is reopened instead.
    pub fn build(library: &Library, progress: &AtomicUsize, store: &SearchStore) -> tantivy::Result<Self> {
        let (schema, fields) = Fields::schema();
        if let SearchStore::Directory(folder) = store {
            match Self::build_cached(library, progress, folder, schema.clone(), fields) {
                Ok(engine) => return Ok(engine),
                Err(error) => {
                    tracing::warn!(%error, folder = %folder.display(), "cannot use the search cache; indexing in memory");
                    progress.store(0, Ordering::Relaxed);
                }
            }
        }
        let index = Index::create_in_ram(schema);
        schema::register_analyzers(&index);
        index_library(&index, library, &fields, progress, None)?;
        let writer = index.writer_with_num_threads(1, UPDATE_HEAP_BYTES)?;
        Self::ready(index, fields, writer, true)
    }

    /// Reopens the index cached in `folder` if it matches `library`, or
    /// rebuilds it there.
    fn build_cached(
        library: &Library,
        progress: &AtomicUsize,
        folder: &Path,
        schema: tantivy::schema::Schema,
        fields: Fields,
    ) -> tantivy::Result<Self> {
        let fingerprint = Fingerprint::of(library);
        let Opened { index, mut writer, fresh } = store::open_cached(folder, schema, fingerprint)?;
        // Until `compact` has looked at the segments (see `Engine::writer`).
        writer.set_merge_policy(Box::new(NoMergePolicy));
        if fresh {
            tracing::info!(folder = %folder.display(), "reopened the cached search index");
            progress.store(library.len(), Ordering::Relaxed);
            return Self::ready(index, fields, writer, false);
        }
        if Self::catch_up(library, &index, &mut writer, &fields, fingerprint)? {
            tracing::info!(folder = %folder.display(), "updated the cached search index with the articles that changed");
            progress.store(library.len(), Ordering::Relaxed);
            return Self::ready(index, fields, writer, false);
        }
        writer.delete_all_documents()?;
        writer.commit()?;
        // Only one writer per index: the big one builds, then the small one
        // is taken again to hold the folder's lock for later updates.
        drop(writer);
        index_library(&index, library, &fields, progress, Some(fingerprint))?;
        let writer = index.writer_with_num_threads(1, UPDATE_HEAP_BYTES)?;
        Self::ready(index, fields, writer, true)
    }

    /// Brings a cached index that is out of date up to `library` when only
    /// a few articles differ (files changed while the server was down):
    /// each document keeps its article's hash, so the index is diffed
    /// against the library and only the differences are written. `false`
    /// (nothing written) when more than a tenth differs: rebuilding is
    /// then as cheap. At a million articles the diff takes seconds where a
    /// rebuild takes minutes.
    fn catch_up(
        library: &Library,
        index: &Index,
        writer: &mut IndexWriter,
        fields: &Fields,
        fingerprint: Fingerprint,
    ) -> tantivy::Result<bool> {
        let indexed = indexed_hashes(index, fields)?;
        if indexed.is_empty() {
            return Ok(false);
        }
        let limit = library.len() / 10;
        let mut changed = Vec::new();
        for article in library.articles() {
            if indexed.get(article.id.as_str()) != Some(&article_hash(article)) {
                changed.push(article);
                if changed.len() > limit {
                    return Ok(false);
                }
            }
        }
        let removed: Vec<&str> = indexed.keys().map(String::as_str).filter(|id| library.get(id).is_none()).collect();
        if changed.len() + removed.len() > limit {
            return Ok(false);
        }
        for id in removed.iter().copied().chain(changed.iter().map(|article| article.id.as_str())) {
            writer.delete_term(Term::from_field_text(fields.id, id));
        }
        for article in &changed {
            writer.add_document(fields.document(article))?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&fingerprint.to_payload());
        commit.commit()?;
        tracing::debug!(changed = changed.len(), removed = removed.len(), "search index caught up");
        Ok(true)
    }

    fn ready(mut index: Index, fields: Fields, writer: IndexWriter, built: bool) -> tantivy::Result<Self> {
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // The segments of one query are searched side by side, one per
        // core (as many as `compact` leaves, beside the small ones live
        // updates add, which the merge policy merges in turn): at a million
        // articles a query scores tens of thousands of matches.
        index.set_multithread_executor(SEARCH_THREADS)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, fields, writer: Mutex::new(writer), built })
    }

    /// Runs `request` and cuts snippets from the articles in `library`.
    pub fn search<'a>(&self, library: &'a Library, request: &SearchRequest) -> Result<SearchResults<'a>, SearchError> {
        let user_query = UserQuery::parse(&request.query);
        let searcher = self.reader.searcher();
        let compiled = compile(&searcher, &self.fields, &user_query, &request.filters);
        if !compiled.has_criteria {
            return Err(SearchError::NothingToSearch);
        }
        let offset = (request.page - 1) * request.per_page;
        let by_date = request.sort == SortOrder::Date || !compiled.has_words;
        let (ids, total) = top_ids(&searcher, &*compiled.query, offset, request.per_page, by_date)?;
        let mut snippets = self.snippets(&searcher, &compiled)?;
        let hits = ids
            .iter()
            // `None` if the library no longer has it (an update raced with
            // this search).
            .filter_map(|id| library.get(id))
            .map(|article| {
                let snippet_html = match snippets.as_mut() {
                    Some(snippets) => snippets.for_article(article),
                    None => escape_html(&article.excerpt()),
                };
                Hit { snippet_html, article }
            })
            .collect();
        Ok(SearchResults { hits, total, truncated: user_query.truncated, ranked: !by_date })
    }

    /// Snippets for the query's words; `None` when it has none (filters only).
    fn snippets(&self, searcher: &Searcher, compiled: &Compiled) -> Result<Option<Snippets>, SearchError> {
        if !compiled.has_words {
            return Ok(None);
        }
        Ok(Some(Snippets::new(searcher, &*compiled.query, self.fields.body)?))
    }

    /// Replaces the documents of `changed` articles and deletes those of
    /// `removed` ids, then makes the change visible to new searches. This is
    /// what live reload calls; the cost is proportional to the change. A
    /// cached index's fingerprint follows along, so a restart can reuse it.
    pub fn update(&self, changed: &[&Article], removed: &[ArticleId]) -> tantivy::Result<()> {
        let mut writer = self.writer();
        let mut fingerprint = self.index.load_metas()?.payload.as_deref().and_then(Fingerprint::from_payload);
        let searcher = self.reader.searcher();
        let ids: HashSet<&str> =
            removed.iter().map(ArticleId::as_str).chain(changed.iter().map(|article| article.id.as_str())).collect();
        for id in ids {
            if let (Some(fingerprint), Some(hash)) = (fingerprint.as_mut(), self.indexed_hash(&searcher, id)?) {
                fingerprint.remove(hash);
            }
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for article in changed {
            writer.add_document(self.fields.document(article))?;
            if let Some(fingerprint) = fingerprint.as_mut() {
                fingerprint.add(article_hash(article));
            }
        }
        let mut commit = writer.prepare_commit()?;
        if let Some(fingerprint) = fingerprint {
            commit.set_payload(&fingerprint.to_payload());
        }
        commit.commit()?;
        self.reader.reload()
    }

    /// The hash of the indexed document for `id`, if there is one.
    fn indexed_hash(&self, searcher: &Searcher, id: &str) -> tantivy::Result<Option<u64>> {
        let query = TermQuery::new(Term::from_field_text(self.fields.id, id), IndexRecordOption::Basic);
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = found.into_iter().next() else { return Ok(None) };
        let hashes = searcher.segment_reader(address.segment_ord).fast_fields().u64(schema::HASH_FIELD)?;
        Ok(hashes.first(address.doc_id))
    }

    /// Merges the index's segments into one per searching thread (see
    /// [`Self::ready`]) when they are a build's unmerged output (see
    /// [`unmerged`]), then hands merging back to the writer's policy. Runs
    /// after the index answers: merging a million articles' 34 segments
    /// takes ~10 s on two cores, during which searches run on the segments
    /// as they are (a little slower) and live updates go on. A failed
    /// merge only costs speed. Returns how many segments were merged.
    pub fn compact(&self) -> tantivy::Result<usize> {
        let merges = {
            let mut writer = self.writer();
            // The groups are merged as chosen here, not as the policy would.
            writer.set_merge_policy(Box::new(NoMergePolicy));
            let segments: Vec<_> = self
                .index
                .searchable_segment_metas()?
                .into_iter()
                .map(|segment| (segment.id(), segment.num_docs()))
                .collect();
            let threads = indexing_threads();
            if unmerged(&segments, threads, self.built) {
                balanced_groups(segments, threads)
                    .into_iter()
                    .filter(|group| group.len() > 1)
                    .map(|group| (group.len(), writer.merge(&group)))
                    .collect::<Vec<_>>()
            } else {
                Vec::new()
            }
        };
        let mut merged = 0;
        for (segments, merge) in merges {
            match merge.wait() {
                Ok(_) => merged += segments,
                Err(error) => tracing::warn!(%error, segments, "could not merge search segments"),
            }
        }
        self.writer().set_merge_policy(Box::new(LogMergePolicy::default()));
        if merged > 0 {
            self.reader.reload()?;
        }
        Ok(merged)
    }

    /// The writer, for this thread alone while the guard lives.
    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Segments that searches go through.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Bytes the index takes (in RAM or in the cache folder).
    pub fn size_bytes(&self) -> u64 {
        self.reader.searcher().space_usage().map_or(0, |usage| usage.total().get_bytes())
    }

    /// Number of documents that searches see.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// The ids of the hits `offset..offset + limit` of `query`, best first, and
/// how many there are in all. Hits of equal score (or date) come in the
/// library's order, newest first then by id — whichever order the documents
/// went into the index, and whichever segment holds them: an index built on
/// two threads, in body-store order, or updated since, answers as one built
/// newest first on one thread does.
fn top_ids(
    searcher: &Searcher,
    query: &dyn Query,
    offset: usize,
    limit: usize,
    by_date: bool,
) -> Result<(Vec<String>, usize), SearchError> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    let newest = (SortByStaticFastValue::<i64>::for_field(schema::DATE_FIELD), Order::Desc);
    let by_id = (SortByString::for_field(schema::ID_FIELD), Order::Asc);
    let (ids, total): (Vec<Option<String>>, usize) = if by_date {
        let (docs, total) = searcher.search(query, &(top.order_by((newest, by_id)), Count))?;
        (docs.into_iter().map(|((_, id), _)| id).collect(), total)
    } else {
        let best = (SortBySimilarityScore, Order::Desc);
        let (docs, total) = searcher.search(query, &(top.order_by((best, newest, by_id)), Count))?;
        (docs.into_iter().map(|((_, _, id), _)| id).collect(), total)
    };
    Ok((ids.into_iter().flatten().collect(), total))
}

/// The hash of every live document in `index`, by article id, read from
/// the id terms and the hash column (no stored documents are read).
fn indexed_hashes(index: &Index, fields: &Fields) -> tantivy::Result<std::collections::HashMap<String, u64>> {
    use tantivy::DocSet;
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let searcher: Searcher = IndexReader::searcher(&reader);
    let mut hashes = std::collections::HashMap::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(schema::HASH_FIELD)?;
        let inverted = segment.inverted_index(fields.id)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let Ok(id) = std::str::from_utf8(terms.key()) else { continue };
            let mut postings = inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if segment.alive_bitset().is_none_or(|alive| alive.is_alive(doc))
                    && let Some(hash) = column.first(doc)
                {
                    hashes.insert(id.to_owned(), hash);
                }
                doc = postings.advance();
            }
        }
    }
    Ok(hashes)
}

/// Adds every article of `library` to `index` in one pass on up to two
/// threads, in one segment per ~100 MB of postings (34 at a million
/// articles, left for [`Engine::compact`]). `fingerprint` goes into the
/// commit, marking a cached index as matching this library.
fn index_library(
    index: &Index,
    library: &Library,
    fields: &Fields,
    progress: &AtomicUsize,
    fingerprint: Option<Fingerprint>,
) -> tantivy::Result<()> {
    let started = std::time::Instant::now();
    let threads = indexing_threads();
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, BUILD_HEAP_BYTES)?;
    // No background merges while building: one explicit merge at the end
    // is cheaper, and cannot collide with a merge already running.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for article in in_store_order(library) {
        writer.add_document(fields.document(article))?;
        progress.fetch_add(1, Ordering::Relaxed);
    }
    tracing::debug!(elapsed = ?started.elapsed(), "search: documents added");
    let mut commit = writer.prepare_commit()?;
    if let Some(fingerprint) = fingerprint {
        commit.set_payload(&fingerprint.to_payload());
    }
    commit.commit()?;
    tracing::debug!(elapsed = ?started.elapsed(), "search: documents committed");
    // The segments are merged once the index answers: see `Engine::compact`.
    writer.wait_merging_threads()
}

/// The articles of `library` in the order their bodies are in the body
/// store (bodies in memory first). Documents may go into the index in any
/// order ([`top_ids`] orders ties itself); newest first, each body was read
/// from a scattered place of a store of gigabytes (not in the page cache: a
/// load writes it with direct I/O), and each article from a scattered place
/// in memory.
fn in_store_order(library: &Library) -> Vec<&std::sync::Arc<Article>> {
    let mut articles: Vec<_> = library.articles().iter().collect();
    articles.sort_by_cached_key(|article| article.stored.as_ref().map(|stored| stored.at.offset));
    articles
}

/// Threads that build the index: one per core, at most [`SEARCH_THREADS`].
fn indexing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |count| count.get()).clamp(1, SEARCH_THREADS)
}

/// Whether `segments` (each with its number of documents) are what a build
/// leaves before its merge: always so for a build that just ran (`built`)
/// with more segments than `threads`. A reopened index is merged when its
/// largest segment holds under a quarter of the documents — a build
/// stopped before its merge (hundreds of segments of about equal size) —
/// and not when it is a merged one (a segment per thread holding most
/// documents) beside the small segments live updates and catch-ups add,
/// which the merge policy looks after: rewriting the whole index for them
/// would cost a million-article start ~18 s of both cores.
fn unmerged<T>(segments: &[(T, u32)], threads: usize, built: bool) -> bool {
    if segments.len() <= threads {
        return false;
    }
    let total: u64 = segments.iter().map(|(_, docs)| u64::from(*docs)).sum();
    let largest = segments.iter().map(|(_, docs)| u64::from(*docs)).max().unwrap_or(0);
    built || largest * 4 < total
}

/// `segments` (each with its number of documents) in `groups` groups of
/// about as many documents each: largest first, each to the group with
/// the fewest so far. Empty groups are left out.
fn balanced_groups<T>(mut segments: Vec<(T, u32)>, groups: usize) -> Vec<Vec<T>> {
    segments.sort_by_key(|(_, docs)| std::cmp::Reverse(*docs));
    let mut grouped: Vec<(u64, Vec<T>)> = (0..groups.max(1)).map(|_| (0, Vec::new())).collect();
    for (segment, docs) in segments {
        if let Some((total, members)) = grouped.iter_mut().min_by_key(|(total, _)| *total) {
            *total += u64::from(docs);
            members.push(segment);
        }
    }
    grouped.into_iter().map(|(_, members)| members).filter(|members| !members.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn searched_ids(engine: &Engine, library: &Library, query: &str) -> Vec<String> {
        let request = SearchRequest {
            query: query.to_owned(),
            filters: Default::default(),
            sort: SortOrder::Relevance,
            page: 1,
            per_page: 50,
        };
        let results = engine.search(library, &request).expect("search runs");
        results.hits.iter().map(|hit| hit.article.id.as_str().to_owned()).collect()
    }

    fn segments(engine: &Engine) -> usize {
        engine.segments()
    }

    /// A build's segments are merged into one per searching thread once it
    /// answers; the small segments updates add to a merged index are left
    /// to the merge policy, not merged with the big ones at every start.
    #[test]
    fn compacting_merges_a_builds_segments_and_leaves_updates_to_the_policy() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Forty articles, nine updated below: however the two indexing
        // threads split them, one build segment keeps over a quarter alive.
        for number in 0..40 {
            let text = format!("Harbour notice {number}\n\nThe harbour office posted notice {number}.");
            std::fs::write(dir.path().join(format!("a{number:02}.txt")), text).expect("write");
        }
        let library = crate::library::load_dir(dir.path()).expect("load");
        let mut engine = Engine::build(&library, &AtomicUsize::new(0), &SearchStore::Memory).expect("build");
        engine.compact().expect("compact");
        let threads = indexing_threads();
        assert!(segments(&engine) <= threads, "{} segments", segments(&engine));
        let expected = searched_ids(&engine, &library, "harbour");
        assert_eq!(expected.len(), 40);
        // Nine updates under no merge policy: nine one-document segments.
        engine.writer().set_merge_policy(Box::new(NoMergePolicy));
        for article in library.articles().iter().take(9) {
            engine.update(&[article.as_ref()], &[]).expect("update");
        }
        let before = segments(&engine);
        assert!(before > 9, "one segment per update: {before}");
        // As reopened from a cache folder: a merged index and its updates.
        engine.built = false;
        assert_eq!(engine.compact().expect("compact"), 0, "updates are the policy's");
        assert_eq!(segments(&engine), before);
        // As just built: everything is merged.
        engine.built = true;
        // The nine small segments at least (a big one alone in its group
        // needs no merge).
        assert!(engine.compact().expect("compact") >= 9);
        assert!(segments(&engine) <= threads, "{} segments after compacting", segments(&engine));
        assert_eq!(searched_ids(&engine, &library, "harbour"), expected);
        assert_eq!(engine.len(), 40);
    }

    #[test]
    fn a_reopened_index_is_merged_only_when_no_segment_holds_a_quarter() {
        let stopped_build: Vec<((), u32)> = vec![((), 2_000); 500];
        assert!(unmerged(&stopped_build, 2, false), "a build stopped before its merge");
        let merged_and_updated = [((), 500_000), ((), 499_990), ((), 1), ((), 1), ((), 1), ((), 1), ((), 1), ((), 1)];
        assert!(!unmerged(&merged_and_updated, 2, false), "small segments beside merged ones");
        assert!(unmerged(&merged_and_updated, 2, true), "a fresh build is always merged");
        assert!(!unmerged(&[((), 5), ((), 5)], 2, true), "one segment per thread already");
        assert!(unmerged(&[((), 5), ((), 5)], 1, true), "one thread: one segment");
        assert!(!unmerged(&[((), 40), ((), 30), ((), 30)], 2, false), "a few big segments");
    }

    #[test]
    fn segments_are_merged_into_groups_of_about_as_many_documents() {
        let segments = vec![("a", 500), ("b", 400), ("c", 300), ("d", 200), ("e", 100), ("f", 100)];
        let groups = balanced_groups(segments, 2);
        assert_eq!(groups, vec![vec!["a", "d", "e"], vec!["b", "c", "f"]]);
        assert_eq!(balanced_groups(vec![("a", 1)], 2), vec![vec!["a"]], "no empty group");
        assert_eq!(balanced_groups(vec![("a", 1), ("b", 2)], 1), vec![vec!["b", "a"]]);
    }
}
