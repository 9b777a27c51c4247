//! The domain model of one news article, and the parser that builds it.
//!
//! Everything here is pure: functions take text (or bytes) and return values,
//! so they are easy to test, fuzz and benchmark. Reading files is the
//! [`crate::library`]'s job.

mod body;
mod credits;
mod dates;
mod decode;
mod draft;
mod explain;
mod formats;
mod header;
mod paragraphs;
mod parse;
mod press;
mod sidecar;
mod warning;
mod wire;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

pub use dates::{DateValue, Published, date_from_path, parse_date, parse_date_value};
pub use decode::{DecodeError, Decoded, decode, decode_text};
pub use explain::{Explanation, explain_file};
pub use header::Explained;
pub use paragraphs::{MAX_BODY_BYTES, ParagraphRef, Paragraphs, pack};
pub use parse::{DRAFT, FileInput, FileKind, ParseError, folder_section, parse, parse_file};
pub use sidecar::{Sidecar, json_has_body};
pub use warning::Warning;

/// The stable identifier of an article: its path relative to the articles
/// directory, without extension, with `/` between folders
/// (`000_3ea0f84f1e61d9e9`, `regional/110_x`). It is the article's permalink,
/// so it must never depend on the file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// Wraps an already-normalised id. The loader builds ids from paths with
    /// [`ArticleId::from_relative_path`]; this is for tests and lookups.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// Builds the id from a path relative to the articles directory:
    /// drops the extension and joins components with `/` on every platform.
    pub fn from_relative_path(path: &std::path::Path) -> Self {
        let without_extension = path.with_extension("");
        let parts: Vec<String> =
            without_extension.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
        Self(parts.join("/"))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Paragraph {
    /// Ordinary running text.
    Text { text: String },
    /// A photo caption: what the photo shows, and who took it
    /// (`Leah Millis/Reuters`). `text` is empty for a bare credit line
    /// (`Фото Владимира Сухова`).
    Caption { text: String, credit: String },
    /// One block of a Markdown article, rendered to HTML and sanitised (no
    /// scripts, no event handlers), with its plain text for excerpts and
    /// word counts.
    Html { html: String, text: String },
}

impl Paragraph {
    /// The visible text of the paragraph (for captions, without the credit).
    pub fn text(&self) -> &str {
        match self {
            Self::Text { text } | Self::Caption { text, .. } | Self::Html { text, .. } => text,
        }
    }
}

/// The layout a file was recognised as; `broadsheet check` counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Section, title, a header block with date and source line, body.
    #[default]
    Newswire,
    /// The first line is the title, the rest is the body.
    TitleFirst,
    /// `Key: value` lines, a blank line, then the body (Usenet, hand-written).
    HeaderBlock,
    /// Markdown with optional YAML or TOML front matter.
    Markdown,
    /// Body text only; title and date come from a JSON file beside it.
    Sidecar,
    /// A CNN/DailyMail `.story`: body, then `@highlight` lines.
    Story,
    /// A Go `present` `.article`: title, date, tags, authors, then sections.
    Present,
    /// A scraper's JSON (newspaper, trafilatura, news-please) with a text body.
    Json,
}

impl Format {
    /// Every format, in the order `check` lists them.
    pub const ALL: [Self; 8] = [
        Self::Newswire,
        Self::TitleFirst,
        Self::HeaderBlock,
        Self::Markdown,
        Self::Sidecar,
        Self::Story,
        Self::Present,
        Self::Json,
    ];

    /// The short name used in `check` output and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Newswire => "newswire",
            Self::TitleFirst => "title-first",
            Self::HeaderBlock => "header-block",
            Self::Markdown => "markdown",
            Self::Sidecar => "sidecar",
            Self::Story => "story",
            Self::Present => "present",
            Self::Json => "json",
        }
    }

    /// Why a file is read this way, for `check --verbose`.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Newswire => "a block near the top holds a date, a syndication or a boilerplate line",
            Self::TitleFirst => "no metadata block: the first line is the title, the rest is the body",
            Self::HeaderBlock => "starts with `Key: value` lines including a Title or Subject",
            Self::Markdown => "a .md/.markdown file, rendered as Markdown",
            Self::Sidecar => "a JSON file beside it gives the title; the text file is the body",
            Self::Story => "a .story file: body, then @highlight lines; the title is the lead's first sentence",
            Self::Present => "a .article file in Go's present format: title, date, tags, authors, sections",
            Self::Json => "a .json file with a text body, as newspaper or trafilatura save articles",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed news article. Optional fields are `None` when the file does not
/// say: Broadsheet never invents a date, section or source.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub section: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub source: Option<String>,
    /// The body, stored compactly; parsers build [`Paragraph`]s.
    pub paragraphs: Paragraphs,
    /// Words in the body, counted once at parse time so pages never recount.
    pub word_count: usize,
    /// Where the short plain-text summary for lists is: see
    /// [`Article::excerpt`].
    pub excerpt_at: ExcerptAt,
    /// When the file was last modified; set by the loader, `None` in pure
    /// parsing. Used for `Last-Modified` headers.
    pub modified: Option<jiff::Timestamp>,
    /// The file's path relative to the articles directory; set by the
    /// loader, `None` in pure parsing.
    pub path: Option<std::path::PathBuf>,
    /// How the file was read.
    pub format: Format,
    /// What most articles do not have, boxed so they do not pay for it
    /// (200 bytes an article); `None` when every field is empty. Read it
    /// with [`Article::details`].
    pub details: Option<Box<Details>>,
    /// Where the body is kept when it is not in memory (`paragraphs` is
    /// then empty): a library with a body store reads it back for each
    /// page it renders. Read the body with [`Article::body`].
    pub stored: Option<StoredBody>,
}

/// Articles are equal when every field reads the same and their bodies
/// have the same bytes, wherever each body is kept (in memory, or in a
/// body store: a reload compares fresh files with stored articles).
impl PartialEq for Article {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            id,
            title,
            section,
            date,
            source,
            paragraphs,
            word_count,
            excerpt_at,
            modified,
            path,
            format,
            details,
            stored,
        } = self;
        let same_body = match (stored, &other.stored) {
            (None, None) => *paragraphs == other.paragraphs,
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => self.body_hash() == other.body_hash(),
        };
        (id, title, section, date, source, word_count, excerpt_at, modified, path, format, details)
            == (
                &other.id,
                &other.title,
                &other.section,
                &other.date,
                &other.source,
                &other.word_count,
                &other.excerpt_at,
                &other.modified,
                &other.path,
                &other.format,
                &other.details,
            )
            && same_body
    }
}

impl Eq for Article {}

/// Where a body that is not held in memory can be read back: the library's
/// body store. A trait, so that parsing stays free of file I/O.
pub trait BodySource: Send + Sync + fmt::Debug {
    /// The body of `article`, kept at `at`. A source that cannot read it
    /// recovers on its own (from the article's file) rather than failing a
    /// page: the result is the body the article was parsed with, or an
    /// empty one after logging why not.
    fn read(&self, at: BodyAt, article: &Article) -> Paragraphs;
}

/// Where one body is in a [`BodySource`], and a hash of its bytes that
/// proves it was read back intact (and tells bodies apart without reading
/// them: see [`Article::body_hash`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct BodyAt {
    pub offset: u64,
    pub len: u32,
    pub hash: u64,
}

/// An article body kept outside memory.
#[derive(Clone)]
pub struct StoredBody {
    pub source: Arc<dyn BodySource>,
    pub at: BodyAt,
}

/// Stored bodies are equal when their bytes are: where they are kept does
/// not matter.
impl PartialEq for StoredBody {
    fn eq(&self, other: &Self) -> bool {
        (self.at.len, self.at.hash) == (other.at.len, other.at.hash)
    }
}

impl Eq for StoredBody {}

impl fmt::Debug for StoredBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredBody").field("at", &self.at).finish_non_exhaustive()
    }
}

/// The hash [`BodyAt::hash`] holds: of the body as a store encodes it.
pub fn body_hash(paragraphs: &Paragraphs) -> u64 {
    let mut bytes = Vec::new();
    paragraphs.encode(&mut bytes);
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// The rarely set parts of an [`Article`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The exact moment of publication, when the file gives a time and zone.
    pub published: Option<Published>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// A lead image the metadata names (`image:`, `cover:`, a sidecar's
    /// `top_image`), as written.
    pub image: Option<String>,
    /// The summary as separate points (a `.story`'s `@highlight` lines),
    /// shown as a list on the article page; `summary` joins them.
    pub highlights: Vec<String>,
    /// Metadata keys Broadsheet does not use (`Organization`, `Lines`, …),
    /// kept in file order so nothing in the file is lost.
    pub metadata: Vec<(String, String)>,
    /// The sidecar file that supplied metadata, relative to the file's folder.
    pub sidecar: Option<String>,
    /// The file's encoding when it was not UTF-8.
    pub encoding: Option<&'static str>,
    /// What was repaired or could not be used (legacy encoding, removed
    /// control bytes, an ambiguous date); `broadsheet check` lists them.
    pub warnings: Vec<Warning>,
}

/// What [`Article::details`] returns for an article without any.
static NO_DETAILS: Details = Details {
    published: None,
    author: None,
    url: None,
    tags: Vec::new(),
    summary: None,
    image: None,
    highlights: Vec::new(),
    metadata: Vec::new(),
    sidecar: None,
    encoding: None,
    warnings: Vec::new(),
};

impl Details {
    /// Boxed, or `None` when there is nothing in it.
    pub fn boxed(self) -> Option<Box<Self>> {
        (self != NO_DETAILS).then(|| Box::new(self))
    }
}

impl Article {
    /// The rarely set fields (all empty for most articles).
    pub fn details(&self) -> &Details {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }

    /// The rarely set fields, to change them.
    pub fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }

    /// The body: borrowed when it is in memory, read back from the body
    /// store when it is kept there (a read of a few kilobytes, done when a
    /// page is rendered; rendered pages are cached).
    pub fn body(&self) -> Cow<'_, Paragraphs> {
        match &self.stored {
            Some(stored) => Cow::Owned(stored.source.read(stored.at, self)),
            None => Cow::Borrowed(&self.paragraphs),
        }
    }

    /// A hash of the body ([`body_hash`]), without reading a stored one.
    pub fn body_hash(&self) -> u64 {
        self.stored.as_ref().map_or_else(|| body_hash(&self.paragraphs), |stored| stored.at.hash)
    }

    /// [`Self::excerpt`], from the body already read.
    pub fn excerpt_in<'b>(&self, body: &'b Paragraphs) -> Cow<'b, str> {
        excerpt_of(body, self.excerpt_at)
    }

    /// A short plain-text summary for lists: the start of the first
    /// paragraph that is not a caption, cut at a word boundary, with an
    /// ellipsis when cut.
    pub fn excerpt(&self) -> Cow<'_, str> {
        match self.body() {
            Cow::Borrowed(body) => excerpt_of(body, self.excerpt_at),
            Cow::Owned(body) => Cow::Owned(excerpt_of(&body, self.excerpt_at).into_owned()),
        }
    }
}

/// The excerpt `at` marks in `body`.
fn excerpt_of(body: &Paragraphs, at: ExcerptAt) -> Cow<'_, str> {
    let ExcerptAt { paragraph, length, cut } = at;
    let lead = body.get(paragraph as usize).map_or("", |lead| lead.text());
    let text = lead.get(..length as usize).unwrap_or(lead);
    if cut {
        let mut excerpt = String::with_capacity(text.len() + '…'.len_utf8());
        excerpt.push_str(text);
        excerpt.push('…');
        Cow::Owned(excerpt)
    } else {
        Cow::Borrowed(text)
    }
}

/// Where an article's excerpt is: how much of which paragraph it keeps.
/// Twelve bytes instead of a copy of a few hundred (20 MB at 100k articles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExcerptAt {
    /// The paragraph's index in the body.
    pub paragraph: u32,
    /// Bytes of its text kept.
    pub length: u32,
    /// Whether text was cut off (the excerpt ends with an ellipsis).
    pub cut: bool,
}

impl ExcerptAt {
    /// The excerpt of `text`, the paragraph at `paragraph`, cut as
    /// [`excerpt`] cuts it.
    pub fn of(paragraph: usize, text: &str) -> Self {
        let (length, cut) = excerpt_length(text, EXCERPT_CHARS);
        // Paragraph counts and lengths fit: bodies stay under 4 GiB.
        Self { paragraph: paragraph as u32, length: length as u32, cut }
    }
}

/// How many characters of the first paragraph an excerpt keeps at most.
pub const EXCERPT_CHARS: usize = 240;

/// Counts words the way a reader would: runs of letters or digits separated by
/// spaces, plus one word per CJK ideograph, since Chinese and Japanese text has
/// no spaces between words.
pub fn count_words(text: &str) -> usize {
    // Runs of ASCII, up to 64 bytes at a time, with bit masks (see
    // [`count_ascii_word_ends`]); only non-ASCII characters are decoded.
    // Loading counts every word of every article once.
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut index = 0;
    while index < bytes.len() {
        let window = &bytes[index..bytes.len().min(index + 64)];
        let ascii =
            if window.is_ascii() { window.len() } else { window.iter().take_while(|byte| byte.is_ascii()).count() };
        if ascii == 64 {
            words += count_ascii_word_ends(window, &mut in_word);
        } else if ascii < 8 {
            // A space between words of another script: byte by byte.
            for &byte in &window[..ascii] {
                let space = matches!(byte, b' ' | b'\t' | b'\n' | 0x0C | b'\r');
                words += usize::from(in_word & space);
                in_word = byte.is_ascii_alphanumeric() | (in_word & !space);
            }
        } else {
            // Punctuation after the run changes nothing: a word open at its
            // end stays open.
            let mut padded = [b'.'; 64];
            padded[..ascii].copy_from_slice(&window[..ascii]);
            words += count_ascii_word_ends(&padded, &mut in_word);
        }
        index += ascii;
        if ascii == window.len() {
            continue;
        }
        let Some(character) = text[index..].chars().next() else { break };
        index += character.len_utf8();
        if character.is_whitespace() {
            words += usize::from(in_word);
            in_word = false;
        } else if is_ideograph(character) {
            words += 1;
        } else if !in_word && character.is_alphanumeric() {
            in_word = true;
        }
    }
    words + usize::from(in_word)
}

/// The words that end in a chunk of 64 ASCII bytes (at a space), given
/// whether one was open before it; `in_word` becomes whether one is open
/// after it. Bit masks instead of the byte loop's state machine, which
/// made every byte wait for the one before (word counting was 13 % of a
/// first start's CPU).
///
/// A word ends at a space whose nearest non-punctuation byte before it is
/// a letter or digit. Adding the letters' and digits' mask, shifted up by
/// one, to the punctuation's mask carries each of those bits across the
/// punctuation after it, so that it lands on the next byte that is not
/// punctuation; the bits that land on spaces are the words that end there,
/// and a bit carried out of the chunk is a word still open.
fn count_ascii_word_ends(chunk: &[u8], in_word: &mut bool) -> usize {
    let (spaces, letters) = ascii_classes(chunk);
    let punctuation = !(spaces | letters);
    let landed = u128::from(punctuation) + ((u128::from(letters) << 1) | u128::from(*in_word));
    *in_word = landed >> 64 != 0;
    (landed as u64 & spaces).count_ones() as usize
}

/// Masks of the spaces and of the letters and digits among 64 ASCII
/// bytes (bit `i` for byte `i`), eight bytes at a time in a `u64`.
fn ascii_classes(chunk: &[u8]) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte that is at least `low`: adding `0x80 -
    // low` to a byte below 0x80 sets it, and never carries into the next.
    let at_least = |word: u64, low: u8| word.wrapping_add(ONES * u64::from(0x80 - low)) & HIGH_BITS;
    let within = |word: u64, low: u8, high: u8| at_least(word, low) & !at_least(word, high + 1);
    // Each byte's high bit, gathered into the top byte by one multiplication.
    let gather = |high_bits: u64| (high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let (mut spaces, mut letters) = (0, 0);
    for (at, eight) in chunk.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        let space = within(word, b'\t', b'\n') | within(word, 0x0C, b'\r') | within(word, b' ', b' ');
        let letter = within(word | (ONES * 0x20), b'a', b'z') | within(word, b'0', b'9');
        spaces |= gather(space) << (8 * at);
        letters |= gather(letter) << (8 * at);
    }
    (spaces, letters)
}

fn is_ideograph(character: char) -> bool {
    matches!(character as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

/// Cuts `text` to at most `max_chars` characters at a word boundary and adds
/// an ellipsis when anything was cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    // Slices rather than collecting characters: article pages call this on
    // every request for their meta description.
    let (length, cut) = excerpt_length(text, max_chars);
    if !cut {
        return text.to_owned();
    }
    let trimmed = &text[..length];
    let mut excerpt = String::with_capacity(trimmed.len() + '…'.len_utf8());
    excerpt.push_str(trimmed);
    excerpt.push('…');
    excerpt
}

/// How many bytes of `text` [`excerpt`] keeps, and whether it cut any.
fn excerpt_length(text: &str, max_chars: usize) -> (usize, bool) {
    let Some((cut_at, _)) = text.char_indices().nth(max_chars) else {
        return (text.len(), false);
    };
    let cut = &text[..cut_at];
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(position) if position > max_chars / 2 => &cut[..position],
        _ => cut,
    };
    let trimmed = at_word.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    (trimmed.len(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_from_nested_path_uses_slashes_and_drops_extension() {
        let id = ArticleId::from_relative_path(std::path::Path::new("regional/110_x.txt"));
        assert_eq!(id.as_str(), "regional/110_x");
    }

    #[test]
    fn counts_latin_and_chinese_words() {
        assert_eq!(count_words("The leaders, of the U.S. — met"), 6);
        assert_eq!(count_words("足彩 解盘"), 4);
    }

    /// The definition `count_words` implements byte by byte.
    fn count_words_by_characters(text: &str) -> usize {
        let (mut words, mut in_word) = (0, false);
        for character in text.chars() {
            if character.is_whitespace() {
                words += usize::from(in_word);
                in_word = false;
            } else if is_ideograph(character) {
                words += 1;
            } else if character.is_alphanumeric() {
                in_word = true;
            }
        }
        words + usize::from(in_word)
    }

    /// Texts longer than the 64-byte chunks, mostly ASCII so that many
    /// chunks are, made of the kinds of characters that count differently,
    /// in every order; and every ASCII byte around a chunk's edges.
    #[test]
    fn counting_words_in_chunks_agrees_with_counting_by_characters() {
        let pieces = [
            "word", " ", "  ", "U.S.", "\n\n", "(", ")", ".", "3,000", "\t", "a", "--", "x", "'", "—", "é", "足彩",
            "\u{a0}",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        for round in 0..4000 {
            let mut text = String::new();
            for _ in 0..(seed % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let choices = if round % 2 == 0 { pieces.len() - 4 } else { pieces.len() };
                text.push_str(pieces[(seed % choices as u64) as usize]);
            }
            assert_eq!(count_words(&text), count_words_by_characters(&text), "{text:?}");
        }
        // Vertical tab is whitespace to `char` but not to the byte masks;
        // decoding removes it before any count.
        for byte in (0..128u8).filter(|&byte| byte != 0x0B) {
            let byte = char::from(byte);
            for length in [62, 63, 64, 65, 127, 128, 129] {
                for text in [
                    format!("{}{byte}y", "x".repeat(length)),
                    format!("{}{byte}", byte.to_string().repeat(length)),
                    format!("{} {}", ".".repeat(length), "z".repeat(length)),
                ] {
                    assert_eq!(count_words(&text), count_words_by_characters(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn counting_words_by_bytes_agrees_with_counting_by_characters() {
        let texts = [
            "",
            "   \n\t",
            "word",
            "The U.S. — and 3,000 others",
            "naïve café, déjà-vu",
            "a\u{3000}b\u{a0}c",
            "足彩 解盘 and ひらがな text",
            "(quoted) “curly” words… end.",
            "— – …",
        ];
        for text in texts {
            assert_eq!(count_words(text), count_words_by_characters(text), "{text:?}");
        }
    }

    #[test]
    fn excerpt_cuts_at_a_word_boundary() {
        let text = "alpha beta gamma delta epsilon";
        assert_eq!(excerpt(text, 100), text);
        assert_eq!(excerpt(text, 13), "alpha beta…");
    }

    #[test]
    fn an_articles_excerpt_is_cut_from_its_lead_paragraph() {
        let lead = "word ".repeat(100);
        let paragraphs = vec![
            Paragraph::Caption { text: "A photo".to_owned(), credit: "Someone".to_owned() },
            Paragraph::Text { text: lead.clone() },
        ];
        let article =
            Article { paragraphs: paragraphs.into(), excerpt_at: ExcerptAt::of(1, &lead), ..Article::default() };
        assert_eq!(article.excerpt(), excerpt(&lead, EXCERPT_CHARS));
        assert!(article.excerpt().ends_with("word…"));
        let short = Article {
            paragraphs: vec![Paragraph::Text { text: "Short.".to_owned() }].into(),
            excerpt_at: ExcerptAt::of(0, "Short."),
            ..Article::default()
        };
        assert_eq!(short.excerpt(), "Short.");
        assert_eq!(Article::default().excerpt(), "");
    }
}
