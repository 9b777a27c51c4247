//! JSON-LD `NewsArticle` for article pages, written by hand in one pass.

use serde::Serialize;

use crate::article::Article;
use crate::web::Site;

/// schema.org `NewsArticle`, as Google's article rich results read it.
#[derive(Serialize)]
pub(super) struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: Thing<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
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
    pub(super) fn new(
        site: &'a Site,
        article: &'a Article,
        url: &'a str,
        description: &'a str,
        published: Option<&'a str>,
        image: Option<&'a str>,
    ) -> Self {
        // The byline is a person; without one, the source is the author.
        let author = match (&article.details().author, &article.source) {
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
            image,
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
    pub(super) fn to_script_json(&self) -> String {
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
        if let Some(image) = self.image {
            json.push_str(r#","image":"#);
            push_json_string(&mut json, image);
        }
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
    crate::web::escape::find_special(bytes, *b"\"\\<>&", 0x20)
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
    use super::super::tests::article;
    use super::*;
    use crate::article::Paragraph;

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
            article.details_mut().author = author.map(str::to_owned);
            article.source = source.map(str::to_owned);
            article.section = section.map(str::to_owned);
            for (published, image) in [(None, None), (Some("2024-11-16"), Some(nasty)), (Some(nasty), None)] {
                let news = NewsArticle::new(&site, &article, nasty, nasty, published, image);
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
}
