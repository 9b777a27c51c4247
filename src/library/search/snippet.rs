//! Snippets: the part of an article's body around the matched words, with
//! each match in `<mark>`, HTML-escaped.
//!
//! The text comes from the library (the index does not store bodies). Cutting
//! a snippet analyses text with the stemmer, which is most of the cost of a
//! search, so paragraphs are first screened with the cheap analyzer (no
//! stemming): only those with a word starting like a query stem are analysed.

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyError};

use super::schema;
use crate::article::Article;

/// Characters of body text around the matches in a snippet.
const SNIPPET_CHARS: usize = 220;

/// Cuts snippets for the hits of one query.
pub struct Snippets {
    generator: SnippetGenerator,
    /// Stems of the query's body terms, less their last letter: stemming may
    /// change a word's ending (`economy` → `economi`), rarely its beginning.
    needles: Vec<String>,
    folding: TextAnalyzer,
}

impl Snippets {
    /// Snippets for `query`'s terms in the `body` field.
    pub fn new(searcher: &Searcher, query: &dyn Query, body: Field) -> Result<Self, TantivyError> {
        let mut generator = SnippetGenerator::create(searcher, query, body)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        let mut needles = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() != body {
                return;
            }
            if let Some(text) = term.value().as_str() {
                let mut needle = text.to_owned();
                if needle.chars().count() > 3 {
                    needle.pop();
                }
                needles.push(needle);
            }
        });
        Ok(Self { generator, needles, folding: schema::folding_analyzer() })
    }

    /// The first paragraph that contains a match, cut around the matches;
    /// the excerpt when no paragraph matches (the words were in the title).
    pub fn for_article(&mut self, article: &Article) -> String {
        // Read once: a stored body is a read from the body store.
        let body = article.body();
        for paragraph in body.iter() {
            let text = paragraph.text();
            if !self.may_match(text) {
                continue;
            }
            let mut snippet = self.generator.snippet(text);
            if snippet.is_empty() {
                continue;
            }
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            // Say where the fragment was cut out of a longer paragraph.
            let range = snippet.fragment_range();
            let before = if range.start > 0 { "…" } else { "" };
            let after = if range.end < text.trim_end().len() { "…" } else { "" };
            return format!("{before}{}{after}", snippet.to_html());
        }
        escape_html(&article.excerpt_in(&body))
    }

    /// Whether `text` has a word that starts like one of the query's stems.
    fn may_match(&mut self, text: &str) -> bool {
        let mut stream = self.folding.token_stream(text);
        while let Some(token) = stream.next() {
            if self.needles.iter().any(|needle| token.text.starts_with(needle.as_str())) {
                return true;
            }
        }
        false
    }
}

/// `text` escaped for HTML element content, as the snippets are used (with
/// the same crate the parser decodes entities with).
pub(super) fn escape_html(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn excerpts_are_escaped_for_element_content() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"more\""),
            "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"more\""
        );
    }
}
