//! Link previews and structured data for article pages: Open Graph and
//! Twitter card meta tags, the meta description, and JSON-LD `NewsArticle`.
//!
//! Chat apps and search engines read these without running scripts, and
//! need absolute URLs, so a [`LinkPreview`] is built from the request's
//! [`crate::web::site::AbsoluteSite`].

use super::Site;
use super::escape::Attribute;
use crate::article::{Article, ParagraphRef, Paragraphs, excerpt};
use crate::web::media::html::Lead;

mod json_ld;

use json_ld::NewsArticle;

/// Longest meta description, in characters (what search results show).
pub(crate) const DESCRIPTION_CHARS: usize = 300;

/// What an article page says about itself to machines.
pub(crate) struct LinkPreview<'a> {
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
    /// The lead image, for `og:image` and a large card.
    pub image: Option<PreviewImage>,
}

/// The picture a link preview shows.
pub(crate) struct PreviewImage {
    /// Absolute (below the request's origin).
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl<'a> LinkPreview<'a> {
    /// The preview of `article`, with URLs below `origin`
    /// (`https://example.org`; host-relative without one).
    /// `lead` is the article's lead image as the page shows it (its URL
    /// host-relative); the preview's is below `origin`.
    /// `body` is the article's body, read once by the caller.
    pub(crate) fn new(
        site: &Site,
        origin: Option<&str>,
        article: &'a Article,
        body: &Paragraphs,
        lead: Option<&Lead<'_>>,
    ) -> Self {
        let url = crate::web::urls::article_at(site, origin, &article.id);
        let image = lead.map(|lead| PreviewImage {
            width: lead.dimensions.width,
            height: lead.dimensions.height,
            alt: lead.alt.clone(),
            url: format!("{}{}", origin.unwrap_or(""), lead.url),
        });
        let description = description(article, body);
        let published_time = article
            .details()
            .published
            .map(|published| published.rfc3339())
            .or_else(|| article.date.map(|date| date.to_string()));
        let image_url = image.as_ref().map(|image| image.url.as_str());
        let json_ld =
            NewsArticle::new(site, article, &url, &description, published_time.as_deref(), image_url).to_script_json();
        Self {
            url,
            title: &article.title,
            description,
            published_time,
            section: article.section.as_deref(),
            json_ld,
            image,
        }
    }

    /// The description, escaped for the attributes it goes in.
    pub(crate) fn description_attribute(&self) -> Attribute<'_> {
        Attribute(&self.description)
    }
}

/// The first paragraph of running text (not a photo caption), trimmed;
/// the title for an article without one.
fn description(article: &Article, body: &Paragraphs) -> String {
    let first = body
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
fn collapse_words<'a>(words: impl Iterator<Item = &'a str>, enough_chars: usize, bytes: usize, ascii: bool) -> String {
    let mut collapsed = String::with_capacity(bytes.min(enough_chars * 2));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{ArticleId, Paragraph};

    /// An article with only a title and a body (also for `json_ld`'s tests).
    pub(super) fn article(title: &str, paragraphs: Vec<Paragraph>) -> Article {
        Article {
            id: ArticleId::new("a"),
            title: title.to_owned(),
            paragraphs: paragraphs.into(),
            ..Article::default()
        }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = Paragraph::Text { text: "x</script><script>alert(1)</script>&".to_owned() };
        let article = article("</script>", vec![text]);
        let preview =
            LinkPreview::new(&Site::new("t", "/"), Some("https://e.org"), &article, &article.paragraphs, None);
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
        let with_caption = article("t", paragraphs);
        assert_eq!(description(&with_caption, &with_caption.paragraphs), "First paragraph.");
        let untitled = article("Only a title", vec![]);
        assert_eq!(description(&untitled, &untitled.paragraphs), "Only a title");
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
            let long = article("t", paragraphs);
            assert_eq!(description(&long, &long.paragraphs), excerpt(&everything, DESCRIPTION_CHARS));
        }
    }
}
