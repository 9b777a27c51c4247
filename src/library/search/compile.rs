//! Turning a [`UserQuery`] and the filters into a tantivy query.
//!
//! Each clause becomes "any of the target fields matches" (the title weighs
//! more); all clauses must match, excluded ones must not. Prefixes are
//! expanded against the index's term dictionaries, so they score and
//! highlight like ordinary words.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::query::{Clause, Kind, Target, UserQuery};
use super::schema::{Fields, date_number, tokens};
use super::tokenizer::is_paired;
use super::{Filters, schema};

/// How much more a title match counts than a body match.
const TITLE_BOOST: f32 = 3.0;

/// At most this many index terms stand for one `prefix*`.
const MAX_PREFIX_EXPANSIONS: usize = 64;

/// Prefixes shorter than this are searched as words: `a*` would expand to
/// half the dictionary.
const MIN_PREFIX_CHARS: usize = 2;

/// The compiled query, and whether it has anything to look for.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// At least one clause or filter survived analysis; an empty query would
    /// otherwise list the whole library.
    pub has_criteria: bool,
    /// Some positive clause ranks results; without one, results go by date.
    pub has_words: bool,
}

/// Builds the query for `user_query` restricted by `filters`.
pub fn compile(searcher: &Searcher, fields: &Fields, user_query: &UserQuery, filters: &Filters) -> Compiled {
    let mut analyzer = schema::analyzer();
    let mut folding = schema::folding_analyzer();
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in &user_query.clauses {
        let Some(query) = clause_query(searcher, fields, clause, &mut analyzer, &mut folding) else { continue };
        parts.push((if clause.excluded { Occur::MustNot } else { Occur::Must }, query));
    }
    let has_words = parts.iter().any(|(occur, _)| *occur == Occur::Must);
    let filter_parts = filter_queries(fields, filters);
    let has_criteria = !parts.is_empty() || !filter_parts.is_empty();
    if !has_words {
        parts.push((Occur::Must, Box::new(AllQuery)));
    }
    // Filters must match but must not change the ranking.
    parts.extend(filter_parts.into_iter().map(|query| (Occur::Must, zero_score(query))));
    Compiled { query: Box::new(BooleanQuery::new(parts)), has_criteria, has_words }
}

fn zero_score(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn clause_query(
    searcher: &Searcher,
    fields: &Fields,
    clause: &Clause,
    analyzer: &mut TextAnalyzer,
    folding: &mut TextAnalyzer,
) -> Option<Box<dyn Query>> {
    let targets = target_fields(fields, clause.target);
    let per_field: Vec<(Field, Box<dyn Query>)> = match &clause.kind {
        Kind::Word(text) | Kind::Phrase(text) => match tokens(analyzer, text).as_slice() {
            [character] if is_lone_paired(character) => {
                targets.iter().filter_map(|&field| Some((field, prefix_query(searcher, field, character)?))).collect()
            }
            words => targets.iter().filter_map(|&field| Some((field, words_query(field, words)?))).collect(),
        },
        Kind::Prefix(text) => match tokens(folding, text).as_slice() {
            [prefix] if prefix.chars().count() >= MIN_PREFIX_CHARS || is_lone_paired(prefix) => {
                targets.iter().filter_map(|&field| Some((field, prefix_query(searcher, field, prefix)?))).collect()
            }
            _ => {
                let words = tokens(analyzer, text);
                targets.iter().filter_map(|&field| Some((field, words_query(field, &words)?))).collect()
            }
        },
    };
    if per_field.is_empty() {
        return None;
    }
    let alternatives = per_field
        .into_iter()
        .map(|(field, query)| {
            let query: Box<dyn Query> =
                if field == fields.title { Box::new(BoostQuery::new(query, TITLE_BOOST)) } else { query };
            (Occur::Should, query)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(alternatives)))
}

/// Whether `word` is one CJK or Thai character. Such text is indexed in
/// pairs, so a lone character is looked up as the first of a pair (`猫` as
/// `猫*`: `猫咪`, `猫粮`…), which finds it everywhere but at the end of a run.
fn is_lone_paired(word: &str) -> bool {
    let mut characters = word.chars();
    characters.next().is_some_and(is_paired) && characters.next().is_none()
}

fn target_fields(fields: &Fields, target: Target) -> Vec<Field> {
    match target {
        Target::Any => fields.text_fields().to_vec(),
        Target::Title => vec![fields.title],
        Target::Section => vec![fields.section],
        Target::Source => vec![fields.source],
    }
}

/// One word as a term, several (a phrase, or `Suk-yeol`) as a phrase.
fn words_query(field: Field, words: &[String]) -> Option<Box<dyn Query>> {
    match words {
        [] => None,
        [word] => Some(Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))),
        _ => {
            let terms = words.iter().map(|word| Term::from_field_text(field, word)).collect();
            Some(Box::new(PhraseQuery::new(terms)))
        }
    }
}

/// Any of the index terms that start with `prefix`, plus its last few
/// shortenings: the index holds stems, and the stem of a word can be shorter
/// than what the reader typed (`presiden*` must find `president`, stored as
/// `presid`).
fn prefix_query(searcher: &Searcher, field: Field, prefix: &str) -> Option<Box<dyn Query>> {
    let mut terms = expand_prefix(searcher, field, prefix);
    let shortest = prefix.len().saturating_sub(3).max(MIN_PREFIX_CHARS + 2);
    for end in shortest..prefix.len() {
        if prefix.is_char_boundary(end) {
            terms.insert(prefix[..end].to_owned());
        }
    }
    let alternatives: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|term| {
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(Term::from_field_text(field, &term), IndexRecordOption::WithFreqs));
            (Occur::Should, query)
        })
        .collect();
    (!alternatives.is_empty()).then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>)
}

/// Terms of `field` starting with `prefix`, across all segments.
fn expand_prefix(searcher: &Searcher, field: Field, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted_index) = segment.inverted_index(field) else { continue };
        let Ok(mut stream) = inverted_index.terms().range().ge(prefix.as_bytes()).into_stream() else { continue };
        while stream.advance() && found.len() < MAX_PREFIX_EXPANSIONS {
            let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
            if !term.starts_with(prefix) {
                break;
            }
            found.insert(term.to_owned());
        }
    }
    found
}

fn filter_queries(fields: &Fields, filters: &Filters) -> Vec<Box<dyn Query>> {
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    let exact = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    };
    if let Some(section) = &filters.section {
        queries.push(exact(fields.section_name, section));
    }
    if let Some(source) = &filters.source {
        queries.push(exact(fields.source_name, source));
    }
    if filters.from.is_some() || filters.to.is_some() {
        let bound = |date: Option<jiff::civil::Date>| match date {
            Some(date) => Bound::Included(Term::from_field_i64(fields.date, date_number(date))),
            None => Bound::Unbounded,
        };
        queries.push(Box::new(RangeQuery::new(bound(filters.from), bound(filters.to))));
    }
    queries
}
