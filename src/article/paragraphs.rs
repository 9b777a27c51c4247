//! An article's body as it is kept in memory: every paragraph's text back
//! to back in one string, and a small table of where each part ends.
//!
//! A `Vec<Paragraph>` costs a heap allocation per string and 48 bytes per
//! paragraph; over 100,000 articles that is millions of small allocations
//! scattered over the heap, and rendering one uncached article touched each
//! of them (a cache miss apiece). Here a body is two allocations read front
//! to back. Parsers still build [`Paragraph`]s; the library keeps
//! [`Paragraphs`] and readers borrow [`ParagraphRef`]s from it.
//!
//! A full load then [`pack`]s the bodies of many articles into one shared
//! string: a body of its own is rounded up to the allocator's size class
//! and sits between the garbage of parsing, which together cost a third
//! more than the text itself at 100k articles.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::Paragraph;

/// The paragraphs of an article, stored compactly (see the module docs).
#[derive(Clone, Default)]
pub struct Paragraphs {
    /// All parts of all paragraphs, in order, with nothing between them.
    text: Text,
    blocks: Box<[Block]>,
}

/// Where a body's text lives: its own allocation (as parsed), or a range
/// of a string shared with other bodies (after [`pack`]).
#[derive(Clone)]
enum Text {
    Own(Box<str>),
    /// `Arc<String>` rather than `Arc<str>`: the packed string moves into
    /// the `Arc` without a second copy.
    Packed {
        shared: Arc<String>,
        start: u32,
        end: u32,
    },
}

impl Default for Text {
    fn default() -> Self {
        Self::Own(Box::default())
    }
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Self::Own(text) => text,
            Self::Packed { shared, start, end } => &shared[*start as usize..*end as usize],
        }
    }
}

/// Where one paragraph's parts end in [`Paragraphs::text`]; it starts
/// where the previous one ends. Offsets are `u32`: 12 bytes a paragraph
/// instead of 24, and no body comes near 4 GiB (files are read up to
/// `--max-file-size`, 10 MiB by default; see [`MAX_BODY_BYTES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    /// End of the first part: the text (of a caption too), or a Markdown
    /// block's HTML.
    first_end: u32,
    /// End of the second part: a caption's credit, or a Markdown block's
    /// plain text; empty for running text.
    end: u32,
    kind: Kind,
}

/// The longest body kept: paragraphs past it are dropped. Far beyond any
/// article; it only keeps the offsets in a `u32`.
pub const MAX_BODY_BYTES: usize = u32::MAX as usize;

/// How many bytes of bodies one shared string holds at most when packing:
/// big enough that the allocator's rounding is negligible, small enough that
/// packing on several threads needs little memory at a time.
const PACK_BYTES: usize = 8 * 1024 * 1024;

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
        Some(self.paragraph(block, start as usize))
    }

    /// Owned copies of the paragraphs (for tests and tools, not pages).
    pub fn to_vec(&self) -> Vec<Paragraph> {
        self.iter().map(|paragraph| paragraph.to_paragraph()).collect()
    }

    /// The text of all paragraphs back to back.
    fn text(&self) -> &str {
        self.text.as_str()
    }

    /// The body's text bytes, for memory accounting.
    pub fn text_len(&self) -> usize {
        self.text().len()
    }

    /// Whether the text lives in a string shared with other bodies.
    pub fn is_packed(&self) -> bool {
        matches!(self.text, Text::Packed { .. })
    }

    fn paragraph(&self, block: &Block, start: usize) -> ParagraphRef<'_> {
        let text = self.text();
        let (first_end, end) = (block.first_end as usize, block.end as usize);
        let first = &text[start..first_end];
        let second = &text[first_end..end];
        match block.kind {
            Kind::Text => ParagraphRef::Text { text: first },
            Kind::Caption => ParagraphRef::Caption { text: first, credit: second },
            Kind::Html => ParagraphRef::Html { html: first, text: second },
        }
    }
}

impl From<Vec<Paragraph>> for Paragraphs {
    fn from(paragraphs: Vec<Paragraph>) -> Self {
        let parts = parts_of;
        let mut total = 0;
        let kept = paragraphs
            .iter()
            .take_while(|paragraph| {
                let (_, first, second) = parts(paragraph);
                total += first.len() + second.len();
                total <= MAX_BODY_BYTES
            })
            .count();
        let mut text = String::with_capacity(total.min(MAX_BODY_BYTES));
        let mut blocks = Vec::with_capacity(kept);
        // Offsets fit: `kept` stops before MAX_BODY_BYTES (u32::MAX).
        let offset = |length: usize| length as u32;
        for paragraph in &paragraphs[..kept] {
            let (kind, first, second) = parts(paragraph);
            text.push_str(first);
            let first_end = offset(text.len());
            text.push_str(second);
            blocks.push(Block { kind, first_end, end: offset(text.len()) });
        }
        Self { text: Text::Own(text.into_boxed_str()), blocks: blocks.into_boxed_slice() }
    }
}

/// Bytes of one block in [`Paragraphs::encode`]: two `u32` ends and a kind.
const ENCODED_BLOCK: usize = 9;

impl Paragraphs {
    /// Appends the body to `out` in the form a body store keeps on disk
    /// (see `library::bodies`): the block count, each block's two ends and
    /// kind, then the text. Little-endian, no padding, stable across
    /// versions of the same format.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        // A body has fewer than u32::MAX blocks: each holds at least one byte
        // of text or is empty, and text is below MAX_BODY_BYTES.
        out.extend_from_slice(&(self.blocks.len() as u32).to_le_bytes());
        for block in &self.blocks {
            out.extend_from_slice(&block.first_end.to_le_bytes());
            out.extend_from_slice(&block.end.to_le_bytes());
            out.push(match block.kind {
                Kind::Text => 0,
                Kind::Caption => 1,
                Kind::Html => 2,
            });
        }
        out.extend_from_slice(self.text().as_bytes());
    }

    /// Bytes [`Self::encode`] writes.
    pub fn encoded_len(&self) -> usize {
        4 + self.blocks.len() * ENCODED_BLOCK + self.text().len()
    }

    /// Reads a body written by [`Self::encode`]; `None` when the bytes are
    /// not one (cut short, ends out of order or off a character boundary).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let (count, rest) = bytes.split_first_chunk::<4>()?;
        let count = u32::from_le_bytes(*count) as usize;
        let table = rest.get(..count.checked_mul(ENCODED_BLOCK)?)?;
        let text = std::str::from_utf8(&rest[table.len()..]).ok()?;
        let mut blocks = Vec::with_capacity(count);
        let mut start = 0;
        for entry in table.chunks_exact(ENCODED_BLOCK) {
            let number = |at: usize| u32::from_le_bytes([entry[at], entry[at + 1], entry[at + 2], entry[at + 3]]);
            let (first_end, end) = (number(0), number(4));
            let kind = match entry[8] {
                0 => Kind::Text,
                1 => Kind::Caption,
                2 => Kind::Html,
                _ => return None,
            };
            let in_order = start <= first_end && first_end <= end && end as usize <= text.len();
            if !in_order || !text.is_char_boundary(first_end as usize) || !text.is_char_boundary(end as usize) {
                return None;
            }
            blocks.push(Block { first_end, end, kind });
            start = end;
        }
        if start as usize != text.len() {
            return None;
        }
        Some(Self { text: Text::Own(text.into()), blocks: blocks.into_boxed_slice() })
    }
}

/// A paragraph's kind and its two parts.
fn parts_of(paragraph: &Paragraph) -> (Kind, &str, &str) {
    match paragraph {
        Paragraph::Text { text } => (Kind::Text, text, ""),
        Paragraph::Caption { text, credit } => (Kind::Caption, text, credit),
        Paragraph::Html { html, text } => (Kind::Html, html, text),
    }
}

/// Moves the text of every body into strings shared by many bodies (see
/// the module docs), a few megabytes each, freeing the bodies' own
/// allocations. Texts read the same afterwards.
pub fn pack<'a>(bodies: impl IntoIterator<Item = &'a mut Paragraphs>) {
    let mut batch: Vec<&'a mut Paragraphs> = Vec::new();
    let mut bytes = 0;
    for body in bodies {
        let length = body.text().len();
        if bytes + length > PACK_BYTES && !batch.is_empty() {
            pack_batch(&mut batch, bytes);
            bytes = 0;
        }
        bytes += length;
        batch.push(body);
    }
    pack_batch(&mut batch, bytes);
}

/// Packs `batch` (of `bytes` bytes of text) into one shared string.
fn pack_batch(batch: &mut Vec<&mut Paragraphs>, bytes: usize) {
    if batch.is_empty() {
        return;
    }
    let mut shared = String::with_capacity(bytes);
    let mut ranges = Vec::with_capacity(batch.len());
    for body in batch.iter() {
        let start = shared.len();
        shared.push_str(body.text());
        ranges.push((start, shared.len()));
    }
    if u32::try_from(shared.len()).is_err() {
        // One body past 4 GiB: not possible with MAX_BODY_BYTES, but
        // leaving the batch as it was is always right.
        batch.clear();
        return;
    }
    let shared = Arc::new(shared);
    for (body, (start, end)) in batch.drain(..).zip(ranges) {
        body.text = Text::Packed { shared: Arc::clone(&shared), start: start as u32, end: end as u32 };
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
        self.start = block.end as usize;
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

/// Bodies are equal when they read the same, packed or not.
impl PartialEq for Paragraphs {
    fn eq(&self, other: &Self) -> bool {
        self.blocks == other.blocks && self.text() == other.text()
    }
}

impl Eq for Paragraphs {}

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
    fn packed_bodies_read_the_same_and_compare_equal() {
        let others = vec![Paragraph::Text { text: "Another body.".to_owned() }];
        let mut bodies = vec![Paragraphs::from(sample()), Paragraphs::default(), Paragraphs::from(others.clone())];
        let before = bodies.clone();
        pack(bodies.iter_mut());
        assert!(bodies.iter().all(Paragraphs::is_packed));
        assert_eq!(bodies, before);
        assert_eq!(bodies[0].to_vec(), sample());
        assert_eq!(bodies[2].to_vec(), others);
        assert!(bodies[1].is_empty());
    }

    #[test]
    fn packing_splits_many_bodies_over_several_shared_strings() {
        let big = "x".repeat(PACK_BYTES / 3 + 1);
        let mut bodies: Vec<Paragraphs> =
            (0..7).map(|_| Paragraphs::from(vec![Paragraph::Text { text: big.clone() }])).collect();
        pack(bodies.iter_mut());
        let shared = |body: &Paragraphs| match &body.text {
            Text::Packed { shared, .. } => Arc::as_ptr(shared),
            Text::Own(_) => std::ptr::null(),
        };
        assert_eq!(shared(&bodies[0]), shared(&bodies[1]));
        assert_ne!(shared(&bodies[0]), shared(&bodies[6]));
        assert!(bodies.iter().all(|body| body.get(0).map(|p| p.text()) == Some(big.as_str())));
    }

    #[test]
    fn encoded_bodies_decode_to_the_same_body_and_damage_is_refused() {
        for body in [Paragraphs::from(sample()), Paragraphs::default()] {
            let mut bytes = vec![];
            body.encode(&mut bytes);
            assert_eq!(bytes.len(), body.encoded_len());
            assert_eq!(Paragraphs::decode(&bytes), Some(body.clone()));
            for cut in 0..bytes.len() {
                assert_eq!(Paragraphs::decode(&bytes[..cut]), None, "cut at {cut}");
            }
        }
        let mut bytes = vec![];
        Paragraphs::from(sample()).encode(&mut bytes);
        let mut wrong_kind = bytes.clone();
        wrong_kind[4 + 8] = 7;
        assert_eq!(Paragraphs::decode(&wrong_kind), None);
        // A caption whose text ends inside `é` (two bytes): refused.
        let mut inside = vec![];
        Paragraphs::from(vec![Paragraph::Caption { text: "é".to_owned(), credit: String::new() }]).encode(&mut inside);
        inside[4..8].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(Paragraphs::decode(&inside), None);
    }

    #[test]
    fn paragraphs_serialise_like_a_list_of_paragraphs() {
        let compact = serde_json::to_value(Paragraphs::from(sample())).ok();
        assert_eq!(compact, serde_json::to_value(sample()).ok());
    }
}
