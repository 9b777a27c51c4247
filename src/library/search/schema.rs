//! The shape of the search index: its fields, its text analysis, and how an
//! article becomes a document.
//!
//! Nothing is stored: titles and bodies are indexed but not kept, because the
//! library already holds the text and snippets are cut from it; a hit's
//! article id comes from a fast field.

use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{Index, TantivyDocument};

use super::stem::CachedEnglishStemmer;
use super::store::article_hash;
use super::tokenizer::WordTokenizer;
use crate::article::Article;

/// The analyzer of every text field: words, lowercased, diacritics folded to
/// ASCII (`Café` → `cafe`), English stems (`sanctions` → `sanction`); text
/// without spaces (Chinese, Japanese, Korean, Thai) as overlapping pairs of
/// characters (`中国经济` → `中国 国经 经济`, see [`WordTokenizer`]).
pub const ANALYZER: &str = "broadsheet_en";

/// The name of the [`Fields::id`] field, also a fast field (the last key
/// of the results' order).
pub const ID_FIELD: &str = "id";

/// The name of the [`Fields::date`] fast field.
pub const DATE_FIELD: &str = "date";

/// The name of the [`Fields::hash`] fast field.
pub const HASH_FIELD: &str = "hash";

/// Tokens longer than this are not words (URLs, base64) and are skipped.
const MAX_TOKEN_BYTES: usize = 40;

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The article id, indexed as one term (so a reload can delete or
    /// replace one document) and a fast field (to order hits of equal rank
    /// as the library does, and to find the article without reading a
    /// stored document: nothing is stored).
    pub id: Field,
    pub title: Field,
    pub section: Field,
    pub source: Field,
    pub body: Field,
    /// Exact section and source names, for the `section=`/`source=` filters.
    pub section_name: Field,
    pub source_name: Field,
    /// The date as the number `yyyymmdd`, for date filters and `sort=date`.
    pub date: Field,
    /// The hash of what the document indexes, so an update can take the
    /// replaced article out of the cached index's fingerprint.
    pub hash: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Self) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Self {
            id: builder.add_text_field(ID_FIELD, STRING | FAST),
            title: builder.add_text_field("title", text.clone()),
            section: builder.add_text_field("section", text.clone()),
            source: builder.add_text_field("source", text.clone()),
            body: builder.add_text_field("body", text),
            section_name: builder.add_text_field("section_name", STRING),
            source_name: builder.add_text_field("source_name", STRING),
            date: builder.add_i64_field(DATE_FIELD, INDEXED | FAST),
            hash: builder.add_u64_field(HASH_FIELD, FAST),
        };
        (builder.build(), fields)
    }

    /// The text fields a word without `field:` is looked up in.
    pub fn text_fields(&self) -> [Field; 4] {
        [self.title, self.section, self.source, self.body]
    }

    /// The index document for `article`. Paragraphs are added one by one so
    /// the body is never joined into one more copy of the text.
    pub fn document(&self, article: &Article) -> TantivyDocument {
        let mut document = TantivyDocument::new();
        document.add_text(self.id, article.id.as_str());
        document.add_text(self.title, &article.title);
        if let Some(section) = &article.section {
            document.add_text(self.section, section);
            document.add_text(self.section_name, section);
        }
        if let Some(source) = &article.source {
            document.add_text(self.source, source);
            document.add_text(self.source_name, source);
        }
        for paragraph in article.body().iter() {
            document.add_text(self.body, paragraph.text());
        }
        if let Some(date) = article.date {
            document.add_i64(self.date, date_number(date));
        }
        document.add_u64(self.hash, article_hash(article));
        document
    }
}

/// `2024-11-16` → `20241116`: orders like the date, and fits a fast field.
pub fn date_number(date: jiff::civil::Date) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// The full analyzer: what documents and query words go through.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedEnglishStemmer)
        .build()
}

/// The analyzer without stemming, for prefixes: `presiden*` must not be cut
/// to a stem before it is compared with the stems in the index.
pub fn folding_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzer with `index`, so indexing and snippets use it.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// The tokens `text` yields under `analyzer`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}
