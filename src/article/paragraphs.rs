//! An article's body as it is kept in memory: every paragraph's text back
//! to back in one string, and a small table of where each part ends.
//!
//! A `Vec<Paragraph>` costs a heap allocation per string and 48 bytes per
//! paragraph; over 100,000 articles that is millions of small allocations
//! scattered over the heap, and rendering one uncached article touched each
//! of them (a cache miss apiece). Here a body is two allocations read front
//! to back. Parsers still build [`Paragraph`]s; the library keeps
//! [`Paragraphs`] and readers borrow [`ParagraphRef`]s from it.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Paragraph;

/// The paragraphs of an article, stored compactly (see the module docs).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Paragraphs {
    /// All parts of all paragraphs, in order, with nothing between them.
    text: Box<str>,
    blocks: Box<[Block]>,
}

/// Where one paragraph's parts end in [`Paragraphs::text`]; it starts
/// where the previous one ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    kind: Kind,
    /// End of the first part: the text (of a caption too), or a Markdown
    /// block's HTML.
    first_end: usize,
    /// End of the second part: a caption's credit, or a Markdown block's
    /// plain text; empty for running text.
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Caption,
    Html,
}

/// One paragraph, borrowed from [`Paragraphs`]: the same cases as
/// [`Paragraph`] (and the same JSON), with `&str` for `String`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ParagraphRef<'a> {
    /// Ordinary running text.
    Text { text: &'a str },
    /// A photo caption and its credit (`text` may be empty).
    Caption { text: &'a str, credit: &'a str },
    /// A sanitised Markdown block and its plain text.
    Html { html: &'a str, text: &'a str },
}

impl<'a> ParagraphRef<'a> {
    /// The visible text of the paragraph (for captions, without the credit).
    pub fn text(&self) -> &'a str {
        match *self {
            Self::Text { text } | Self::Caption { text, .. } | Self::Html { text, .. } => text,
        }
    }

    /// An owned copy.
    pub fn to_paragraph(&self) -> Paragraph {
        match *self {
            Self::Text { text } => Paragraph::Text { text: text.to_owned() },
            Self::Caption { text, credit } => Paragraph::Caption { text: text.to_owned(), credit: credit.to_owned() },
            Self::Html { html, text } => Paragraph::Html { html: html.to_owned(), text: text.to_owned() },
        }
    }
}

impl Paragraphs {
    /// How many paragraphs there are.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The paragraphs in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter { paragraphs: self, index: 0, start: 0 }
    }

    /// The paragraph at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<ParagraphRef<'_>> {
        let block = self.blocks.get(index)?;
        let start = index.checked_sub(1).map_or(0, |previous| self.blocks[previous].end);
        Some(self.paragraph(block, start))
    }

    /// Owned copies of the paragraphs (for tests and tools, not pages).
    pub fn to_vec(&self) -> Vec<Paragraph> {
        self.iter().map(|paragraph| paragraph.to_paragraph()).collect()
    }

    fn paragraph(&self, block: &Block, start: usize) -> ParagraphRef<'_> {
        let first = &self.text[start..block.first_end];
        let second = &self.text[block.first_end..block.end];
        match block.kind {
            Kind::Text => ParagraphRef::Text { text: first },
            Kind::Caption => ParagraphRef::Caption { text: first, credit: second },
            Kind::Html => ParagraphRef::Html { html: first, text: second },
        }
    }
}

impl From<Vec<Paragraph>> for Paragraphs {
    fn from(paragraphs: Vec<Paragraph>) -> Self {
        let parts = |paragraph: &Paragraph| -> (Kind, usize) {
            match paragraph {
                Paragraph::Text { text } => (Kind::Text, text.len()),
                Paragraph::Caption { text, credit } => (Kind::Caption, text.len() + credit.len()),
                Paragraph::Html { html, text } => (Kind::Html, html.len() + text.len()),
            }
        };
        let mut text = String::with_capacity(paragraphs.iter().map(|paragraph| parts(paragraph).1).sum());
        let mut blocks = Vec::with_capacity(paragraphs.len());
        for paragraph in &paragraphs {
            let (first, second) = match paragraph {
                Paragraph::Text { text } => (text.as_str(), ""),
                Paragraph::Caption { text, credit } => (text.as_str(), credit.as_str()),
                Paragraph::Html { html, text } => (html.as_str(), text.as_str()),
            };
            text.push_str(first);
            let first_end = text.len();
            text.push_str(second);
            blocks.push(Block { kind: parts(paragraph).0, first_end, end: text.len() });
        }
        Self { text: text.into_boxed_str(), blocks: blocks.into_boxed_slice() }
    }
}

/// The paragraphs of a [`Paragraphs`], in order.
pub struct Iter<'a> {
    paragraphs: &'a Paragraphs,
    index: usize,
    start: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = ParagraphRef<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let block = self.paragraphs.blocks.get(self.index)?;
        let paragraph = self.paragraphs.paragraph(block, self.start);
        self.index += 1;
        self.start = block.end;
        Some(paragraph)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.paragraphs.blocks.len() - self.index;
        (left, Some(left))
    }
}

impl<'a> IntoIterator for &'a Paragraphs {
    type Item = ParagraphRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq<[Paragraph]> for Paragraphs {
    fn eq(&self, other: &[Paragraph]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(mine, theirs)| mine.to_paragraph() == *theirs)
    }
}

impl PartialEq<Vec<Paragraph>> for Paragraphs {
    fn eq(&self, other: &Vec<Paragraph>) -> bool {
        *self == **other
    }
}

impl<const N: usize> PartialEq<[Paragraph; N]> for Paragraphs {
    fn eq(&self, other: &[Paragraph; N]) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for Paragraphs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The same JSON as a `Vec<Paragraph>`: a list of tagged objects.
impl Serialize for Paragraphs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Paragraph> {
        vec![
            Paragraph::Text { text: "First paragraph.".to_owned() },
            Paragraph::Caption { text: String::new(), credit: "Photo: Reuters".to_owned() },
            Paragraph::Caption { text: "Shown".to_owned(), credit: "Someone".to_owned() },
            Paragraph::Html { html: "<p><em>é</em></p>".to_owned(), text: "é".to_owned() },
            Paragraph::Text { text: String::new() },
            Paragraph::Text { text: "Last.".to_owned() },
        ]
    }

    #[test]
    fn paragraphs_read_back_exactly_as_they_were_given() {
        let paragraphs = Paragraphs::from(sample());
        assert_eq!(paragraphs.len(), 6);
        assert_eq!(paragraphs.to_vec(), sample());
        assert_eq!(paragraphs, sample());
        for (index, paragraph) in sample().iter().enumerate() {
            assert_eq!(paragraphs.get(index).map(|p| p.to_paragraph()).as_ref(), Some(paragraph));
        }
        assert_eq!(paragraphs.get(6), None);
        assert!(Paragraphs::default().is_empty());
    }

    #[test]
    fn paragraphs_serialise_like_a_list_of_paragraphs() {
        let compact = serde_json::to_value(Paragraphs::from(sample())).ok();
        assert_eq!(compact, serde_json::to_value(sample()).ok());
    }
}
