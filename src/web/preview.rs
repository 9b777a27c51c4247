//! Link previews and structured data for article pages: Open Graph and
//! Twitter card meta tags, the meta description, and JSON-LD `NewsArticle`.
//!
//! Chat apps and search engines read these without running scripts, and
//! need absolute URLs, so a [`LinkPreview`] is built from the request's
//! [`crate::web::site::AbsoluteSite`].

use serde::Serialize;

use super::Site;
use super::escape::Attribute;
use crate::article::{Article, ParagraphRef, excerpt};

/// Longest meta description, in characters (what search results show).
pub const DESCRIPTION_CHARS: usize = 300;

/// What an article page says about itself to machines.
pub struct LinkPreview<'a> {
    /// The absolute canonical URL.
    pub url: String,
    pub title: &'a str,
    /// The first paragraph, trimmed to [`DESCRIPTION_CHARS`].
    pub description: String,
    /// `2024-11-16`, or full RFC 3339 when the article gives a time.
    pub published_time: Option<String>,
    pub section: Option<&'a str>,
    /// The JSON-LD object, safe to place inside `<script>` as it is.
    pub json_ld: String,
}

impl<'a> LinkPreview<'a> {
    /// The preview of `article`, with URLs below `origin`
    /// (`https://example.org`; host-relative without one).
    pub fn new(site: &Site, origin: Option<&str>, article: &'a Article) -> Self {
        let url = site.article_url_at(origin, &article.id);
        let description = description(article);
        let published_time = article
            .published
            .map(|published| published.rfc3339())
            .or_else(|| article.date.map(|date| date.to_string()));
        let json_ld = NewsArticle::new(site, article, &url, &description, published_time.as_deref()).to_script_json();
        Self { url, title: &article.title, description, published_time, section: article.section.as_deref(), json_ld }
    }

    /// The description, escaped for the attributes it goes in.
    pub fn description_attribute(&self) -> Attribute<'_> {
        Attribute(&self.description)
    }
}

/// The first paragraph of running text (not a photo caption), trimmed;
/// the title for an article without one.
fn description(article: &Article) -> String {
    let first = article
        .paragraphs
        .iter()
        .filter(|paragraph| !matches!(paragraph, ParagraphRef::Caption { .. }))
        .map(|paragraph| paragraph.text().trim())
        .find(|text| !text.is_empty())
        .unwrap_or(&article.title);
    excerpt(&collapse_spaces(first, DESCRIPTION_CHARS + 1), DESCRIPTION_CHARS)
}

/// `text` with every run of whitespace made one space (none at either
/// end), stopped once it holds `enough_chars` characters: [`excerpt`] looks
/// no further, and a first paragraph can be long. Copies word by word, and
/// stops where a character-by-character copy would: the space and the first
/// character after it always together, then characters while there are
/// fewer than `enough_chars`.
fn collapse_spaces(text: &str, enough_chars: usize) -> String {
    if text.is_ascii() {
        // Bytes are characters, and split faster than `char`s decode.
        let words = text.as_bytes().split(|byte| matches!(byte, b' ' | b'\t'..=b'\r'));
        let start = text.as_ptr() as usize;
        let words = words.map(|word| {
            let offset = word.as_ptr() as usize - start;
            &text[offset..offset + word.len()]
        });
        return collapse_words(words, enough_chars, text.len(), true);
    }
    collapse_words(text.split(char::is_whitespace), enough_chars, text.len(), false)
}

/// [`collapse_spaces`] over the words between whitespace (some empty).
fn collapse_words<'a>(words: impl Iterator<Item = &'a str>, enough_chars: usize, length: usize, ascii: bool) -> String {
    let mut collapsed = String::with_capacity(length.min(enough_chars * 2));
    let mut chars = 0;
    for word in words.filter(|word| !word.is_empty()) {
        if chars >= enough_chars {
            break;
        }
        if !collapsed.is_empty() {
            collapsed.push(' ');
            chars += 1;
        }
        let allowed = enough_chars.saturating_sub(chars).max(1);
        let length = if ascii { word.len() } else { word.chars().count() };
        if length <= allowed {
            collapsed.push_str(word);
            chars += length;
        } else {
            let end = word.char_indices().nth(allowed).map_or(word.len(), |(index, _)| index);
            collapsed.push_str(&word[..end]);
            chars += allowed;
        }
    }
    collapsed
}

/// schema.org `NewsArticle`, as Google's article rich results read it.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: Thing<'a>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(rename = "articleSection", skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Thing<'a>>,
    publisher: Thing<'a>,
}

/// A nested schema.org object: `{"@type": "Organization", "name": …}`.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

impl<'a> Thing<'a> {
    fn named(kind: &'static str, name: &'a str) -> Self {
        Self { kind, id: None, name: Some(name) }
    }
}

impl<'a> NewsArticle<'a> {
    fn new(
        site: &'a Site,
        article: &'a Article,
        url: &'a str,
        description: &'a str,
        published: Option<&'a str>,
    ) -> Self {
        // The byline is a person; without one, the source is the author.
        let author = match (&article.author, &article.source) {
            (Some(author), _) => Some(Thing::named("Person", author)),
            (None, Some(source)) => Some(Thing::named("Organization", source)),
            (None, None) => None,
        };
        Self {
            context: "https://schema.org",
            kind: "NewsArticle",
            headline: &article.title,
            description,
            url,
            main_entity_of_page: Thing { kind: "WebPage", id: Some(url), name: None },
            date_published: published,
            article_section: article.section.as_deref(),
            author,
            publisher: Thing::named("Organization", article.source.as_deref().unwrap_or(&site.title)),
        }
    }

    /// JSON that cannot end its `<script>` element early: `<`, `>` and `&`
    /// become `\u003c`, `\u003e` and `\u0026`, which JSON reads back as the
    /// same characters (they can only occur inside strings).
    ///
    /// Written by hand in one pass, byte for byte what `serde_json` writes
    /// for the derived `Serialize` with those three characters replaced
    /// (a test holds the two together): this runs on every uncached article
    /// page, where serde's escaping and a second pass for the three cost more
    /// than the rest of the preview.
    fn to_script_json(&self) -> String {
        let strings =
            [self.headline, self.description, self.url, self.url].iter().map(|text| text.len()).sum::<usize>();
        let mut json = String::with_capacity(strings + 320);
        json.push_str(r#"{"@context":"#);
        push_json_string(&mut json, self.context);
        json.push_str(r#","@type":"#);
        push_json_string(&mut json, self.kind);
        json.push_str(r#","headline":"#);
        push_json_string(&mut json, self.headline);
        json.push_str(r#","description":"#);
        push_json_string(&mut json, self.description);
        json.push_str(r#","url":"#);
        push_json_string(&mut json, self.url);
        json.push_str(r#","mainEntityOfPage":"#);
        self.main_entity_of_page.push_json(&mut json);
        if let Some(date) = self.date_published {
            json.push_str(r#","datePublished":"#);
            push_json_string(&mut json, date);
        }
        if let Some(section) = self.article_section {
            json.push_str(r#","articleSection":"#);
            push_json_string(&mut json, section);
        }
        if let Some(author) = &self.author {
            json.push_str(r#","author":"#);
            author.push_json(&mut json);
        }
        json.push_str(r#","publisher":"#);
        self.publisher.push_json(&mut json);
        json.push('}');
        json
    }
}

impl Thing<'_> {
    fn push_json(&self, json: &mut String) {
        json.push_str(r#"{"@type":"#);
        push_json_string(json, self.kind);
        if let Some(id) = self.id {
            json.push_str(r#","@id":"#);
            push_json_string(json, id);
        }
        if let Some(name) = self.name {
            json.push_str(r#","name":"#);
            push_json_string(json, name);
        }
        json.push('}');
    }
}

/// The index of the first byte of `bytes` written escaped inside a JSON
/// string in a `<script>`: what JSON requires (`"`, `\\`, control
/// characters) and `<`, `>`, `&`.
fn find_json_escape(bytes: &[u8]) -> Option<usize> {
    super::escape::find_special(bytes, *b"\"\\<>&", 0x20)
}

/// `text` as a quoted JSON string, escaped as `serde_json` escapes it plus
/// `<`, `>` and `&`. Only ASCII bytes are replaced, so every slice copied
/// stays on a `char` boundary.
fn push_json_string(json: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = find_json_escape(&bytes[start..]) {
        let index = start + offset;
        json.push_str(&text[start..index]);
        start = index + 1;
        let byte = bytes[index];
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if short.is_empty() {
            json.push_str("\\u00");
            json.push(char::from(HEX[usize::from(byte >> 4)]));
            json.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            json.push_str(short);
        }
    }
    json.push_str(&text[start..]);
    json.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleId, Paragraph};

    fn article(title: &str, paragraphs: Vec<Paragraph>) -> Article {
        Article {
            id: ArticleId::new("a"),
            title: title.to_owned(),
            paragraphs: paragraphs.into(),
            ..Article::default()
        }
    }

    /// What `to_script_json` must equal: serde's JSON with `<`, `>` and `&`
    /// replaced afterwards.
    fn serde_script_json(news: &NewsArticle<'_>) -> String {
        let json = serde_json::to_string(news).unwrap_or_default();
        json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
    }

    #[test]
    fn the_hand_written_json_ld_is_what_serde_writes() {
        let nasty = "quote \" back \\ nl \n cr \r tab \t bs \u{8} ff \u{c} nul \0 us \u{1f} del \u{7f} </script> a&b é ✓ \u{2028}";
        let site = Site::new(nasty, "/");
        for (title, author, source, section) in [
            (nasty, Some(nasty), Some(nasty), Some(nasty)),
            ("Plain", None, Some("Wire"), None),
            ("Plain", None, None, None),
            ("", Some("A"), None, Some("")),
        ] {
            let mut article = article(title, vec![Paragraph::Text { text: nasty.to_owned() }]);
            article.author = author.map(str::to_owned);
            article.source = source.map(str::to_owned);
            article.section = section.map(str::to_owned);
            for published in [None, Some("2024-11-16"), Some(nasty)] {
                let news = NewsArticle::new(&site, &article, nasty, nasty, published);
                assert_eq!(news.to_script_json(), serde_script_json(&news), "{title} {author:?} {published:?}");
            }
        }
    }

    /// Whether a byte is written escaped inside a JSON string in a `<script>`:
    /// what JSON requires (`"`, `\\`, control characters) and `<`, `>`, `&`.
    fn needs_json_escape(byte: u8) -> bool {
        byte < 0x20 || matches!(byte, b'"' | b'\\' | b'<' | b'>' | b'&')
    }

    #[test]
    fn the_word_at_a_time_search_finds_the_first_byte_to_escape() {
        let specials = [b'"', b'\\', b'<', b'>', b'&', 0, 0x1f, b'\n'];
        let fillers = [b'a', b' ', 0x7f, 0x80, 0xe2, 0x21, 0x3f, 0xff];
        for length in 0..20 {
            for position in 0..=length {
                for (&special, &filler) in specials.iter().zip(fillers.iter().cycle()) {
                    let mut bytes = vec![filler; length];
                    if position < length {
                        bytes[position] = special;
                    }
                    // A later special must not hide the first.
                    bytes.push(b'<');
                    let expected = bytes.iter().position(|&byte| needs_json_escape(byte));
                    assert_eq!(find_json_escape(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = Paragraph::Text { text: "x</script><script>alert(1)</script>&".to_owned() };
        let article = article("</script>", vec![text]);
        let preview = LinkPreview::new(&Site::new("t", "/"), Some("https://e.org"), &article);
        assert!(!preview.json_ld.contains('<') && !preview.json_ld.contains('&'), "{}", preview.json_ld);
        let parsed: serde_json::Value = serde_json::from_str(&preview.json_ld).unwrap_or_default();
        assert_eq!(parsed["headline"], "</script>");
    }

    /// The character-by-character collapse that `collapse_spaces` copies
    /// word by word.
    fn collapse_char_by_char(text: &str, enough_chars: usize) -> String {
        let (mut collapsed, mut chars, mut space_pending) = (String::new(), 0, false);
        for character in text.chars() {
            if character.is_whitespace() {
                space_pending = !collapsed.is_empty();
                continue;
            }
            if chars >= enough_chars {
                break;
            }
            if space_pending {
                collapsed.push(' ');
                chars += 1;
                space_pending = false;
            }
            collapsed.push(character);
            chars += 1;
        }
        collapsed
    }

    #[test]
    fn collapsing_by_words_stops_where_collapsing_by_characters_does() {
        let texts = [
            "",
            "   ",
            "a",
            " a  b\tc\n",
            "éé\u{a0} ✓\u{2028}x",
            "abcdefghij klm",
            "ab cd ef gh",
            "  long-word-here  x",
        ];
        for text in texts {
            for enough in 0..16 {
                assert_eq!(collapse_spaces(text, enough), collapse_char_by_char(text, enough), "{text:?} {enough}");
            }
        }
    }

    #[test]
    fn the_description_skips_captions_and_collapses_spaces() {
        let paragraphs = vec![
            Paragraph::Caption { text: "A photo".to_owned(), credit: "Someone".to_owned() },
            Paragraph::Text { text: "  First\n paragraph.  ".to_owned() },
        ];
        assert_eq!(description(&article("t", paragraphs)), "First paragraph.");
        assert_eq!(description(&article("Only a title", vec![])), "Only a title");
    }

    #[test]
    fn a_long_first_paragraph_gives_the_same_description_as_collapsing_all_of_it() {
        let long = "word\t\n ".repeat(200) + "end";
        let exact = "abcd ".repeat(60);
        let near_the_cut: Vec<String> =
            (0..12).map(|extra| "word  ".repeat(59) + &"y".repeat(extra) + " \n z").collect();
        let cases = [long.as_str(), "a  b", &"éé\u{a0} ".repeat(160), &"x".repeat(400), &exact, exact.trim_end()];
        for text in cases.into_iter().chain(near_the_cut.iter().map(String::as_str)) {
            let everything = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let paragraphs = vec![Paragraph::Text { text: text.to_owned() }];
            assert_eq!(description(&article("t", paragraphs)), excerpt(&everything, DESCRIPTION_CHARS));
        }
    }
}
