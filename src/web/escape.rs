//! Fast HTML escaping for the large texts of a page: article bodies and
//! descriptions.
//!
//! askama escapes byte by byte, and escapes quotes everywhere, which news
//! text is full of. Rendering an uncached article spent most of its template
//! time there. Here a text node only escapes `&`, `<` and `>`, and a
//! double-quoted attribute value `&`, `"` and `<`; runs between them are
//! found with SIMD (`memchr3`) and copied whole. The wrappers are marked
//! [`HtmlSafe`] so askama writes them as they are.

use std::fmt;

use askama::filters::HtmlSafe;
use askama::{FastWritable, Values};

use crate::article::{ParagraphRef, Paragraphs};
use crate::web::media::html::ImageWriter;

/// Writes `text` to `dest` with every byte `find_next` finds replaced by its
/// entity. Only ASCII bytes are replaced, so every slice stays on a `char`
/// boundary.
fn escape_with(
    dest: &mut (impl fmt::Write + ?Sized),
    text: &str,
    find_next: impl Fn(&[u8]) -> Option<usize>,
) -> fmt::Result {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = find_next(&bytes[start..]) {
        let index = start + offset;
        dest.write_str(&text[start..index])?;
        dest.write_str(entity(bytes[index]))?;
        start = index + 1;
    }
    dest.write_str(&text[start..])
}

/// The same numeric entities askama writes, so a page escapes alike
/// whichever escaper wrote a part.
fn entity(byte: u8) -> &'static str {
    match byte {
        b'&' => "&#38;",
        b'<' => "&#60;",
        b'>' => "&#62;",
        b'\'' => "&#39;",
        _ => "&#34;",
    }
}

/// Writes `text` escaped for an HTML text node.
pub(crate) fn write_text(dest: &mut (impl fmt::Write + ?Sized), text: &str) -> fmt::Result {
    escape_with(dest, text, |bytes| memchr::memchr3(b'&', b'<', b'>', bytes))
}

/// Writes `text` escaped for a double-quoted attribute value.
pub(crate) fn write_attribute(dest: &mut (impl fmt::Write + ?Sized), text: &str) -> fmt::Result {
    escape_with(dest, text, |bytes| memchr::memchr3(b'&', b'"', b'<', bytes))
}

/// A value that writes itself as HTML.
trait WriteHtml {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result;
}

/// Implements `Display`, askama's `FastWritable` and `HtmlSafe` from
/// [`WriteHtml`], so templates write the value without escaping it again.
macro_rules! html_writable {
    ($type:ident) => {
        impl fmt::Display for $type<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.write_html(f)
            }
        }

        impl FastWritable for $type<'_> {
            fn write_into(&self, dest: &mut dyn fmt::Write, _: &dyn Values) -> askama::Result<()> {
                Ok(self.write_html(dest)?)
            }
        }

        impl HtmlSafe for $type<'_> {}
    };
}

/// Text for a double-quoted attribute value (`content="{{ … }}"`), escaped
/// when written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attribute<'a>(pub &'a str);

impl WriteHtml for Attribute<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        write_attribute(dest, self.0)
    }
}

html_writable!(Attribute);

/// The index of the first byte of `bytes` that is one of `specials` or
/// below `below` (0: none), eight bytes at a time: short strings with
/// nothing to escape are the usual case, and a byte-by-byte loop is slow.
#[inline(always)]
pub(crate) fn find_special<const N: usize>(bytes: &[u8], specials: [u8; N], below: u8) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // High bit set in each byte of `word` that is zero; bits above the
    // lowest such byte may be wrong, so only the lowest one is used.
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let is_special = |byte: u8| byte < below || specials.contains(&byte);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let found = (word.wrapping_sub(ONES * u64::from(below)) & !word & HIGHS)
            | specials.iter().fold(0, |found, &special| found | zero_bytes(word ^ (ONES * u64::from(special))));
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&byte| is_special(byte)).map(|index| offset + index)
}

/// Text escaped exactly as askama escapes it (`"`, `&`, `'`, `<`, `>` as
/// numeric entities), found eight bytes at a time rather than askama's one
/// by one: for the strings article pages write many of, `{{ x.html() }}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Escaped<'a>(pub &'a str);

impl WriteHtml for Escaped<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        escape_with(dest, self.0, |bytes| find_special(bytes, *b"\"&'<>", 0))
    }
}

html_writable!(Escaped);

/// `{{ value.html() }}` in templates: [`Escaped`].
pub(crate) trait HtmlExt {
    fn html(&self) -> Escaped<'_>;
}

impl HtmlExt for str {
    fn html(&self) -> Escaped<'_> {
        Escaped(self)
    }
}

/// An article body as HTML: one `<p>` per paragraph, a `<figure>` per photo
/// caption, Markdown blocks as their sanitised HTML. The article page and
/// the feeds both write bodies with it, so escaping is the same everywhere.
/// Images in Markdown blocks are written by [`ImageWriter`]; without one
/// (tests), blocks are written as stored.
#[derive(Clone, Copy)]
pub(crate) struct BodyHtml<'a>(pub &'a Paragraphs, pub Option<BodyImages<'a>>);

/// How a body's images are written, and the caption the lead image took.
#[derive(Clone, Copy)]
pub(crate) struct BodyImages<'a> {
    pub writer: ImageWriter<'a>,
    pub article_id: &'a str,
    /// The index of the photo caption shown under the lead image instead.
    pub skip: Option<usize>,
}

html_writable!(BodyHtml);

impl WriteHtml for BodyHtml<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        for (index, paragraph) in self.0.iter().enumerate() {
            match &self.1 {
                Some(images) if images.skip == Some(index) => {}
                Some(images) => match paragraph {
                    ParagraphRef::Html { html, .. } => {
                        dest.write_str("\n")?;
                        dest.write_str(&images.writer.body_images(images.article_id, html))?;
                    }
                    paragraph => write_paragraph(dest, paragraph)?,
                },
                None => write_paragraph(dest, paragraph)?,
            }
        }
        Ok(())
    }
}

/// A photo caption's content: its text, then the credit.
pub(crate) fn write_caption(dest: &mut dyn fmt::Write, text: &str, credit: &str) -> fmt::Result {
    if !text.is_empty() {
        write_text(dest, text)?;
        dest.write_str(" ")?;
    }
    dest.write_str("<span class=\"credit\">")?;
    write_text(dest, credit)?;
    dest.write_str("</span>")
}

fn write_paragraph(dest: &mut dyn fmt::Write, paragraph: ParagraphRef<'_>) -> fmt::Result {
    match paragraph {
        ParagraphRef::Text { text } => {
            dest.write_str("\n<p>")?;
            write_text(dest, text)?;
            dest.write_str("</p>")
        }
        ParagraphRef::Caption { text, credit } => {
            dest.write_str("\n<figure><figcaption>")?;
            write_caption(dest, text, credit)?;
            dest.write_str("</figcaption></figure>")
        }
        ParagraphRef::Html { html, .. } => {
            dest.write_str("\n")?;
            dest.write_str(html)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Paragraph;

    fn text(value: &str) -> String {
        let mut out = String::new();
        write_text(&mut out, value).expect("a String takes any text");
        out
    }

    #[test]
    fn text_nodes_escape_markup_but_keep_quotes() {
        assert_eq!(text("a <b> & \"c\" 'd' é"), "a &#60;b&#62; &#38; \"c\" 'd' é");
        assert_eq!(text(""), "");
        assert_eq!(text("<<&"), "&#60;&#60;&#38;");
    }

    #[test]
    fn escaped_text_is_what_askama_writes() {
        let specials = ["\"", "&", "'", "<", ">", "\0", "\u{7f}", "é", "✓", "a", " "];
        let mut texts = vec![String::new(), "Labour targets 'hardcore truants' & <others> \"now\"".to_owned()];
        for length in [1, 7, 8, 9, 16, 17] {
            for position in 0..length {
                for special in specials {
                    let mut text = "x".repeat(length);
                    text.replace_range(position..=position, special);
                    texts.push(text);
                }
            }
        }
        for text in texts {
            let mut askama = String::new();
            askama::filters::Escaper::write_escaped_str(&askama::filters::Html, &mut askama, &text).unwrap_or_default();
            assert_eq!(Escaped(&text).to_string(), askama, "{text:?}");
        }
    }

    #[test]
    fn attributes_escape_double_quotes_and_markup() {
        assert_eq!(Attribute("x\" onload=\"y <&> 'z'").to_string(), "x&#34; onload=&#34;y &#60;&#38;> 'z'");
    }

    #[test]
    fn a_body_escapes_text_and_captions_but_not_sanitised_html() {
        let paragraphs = vec![
            Paragraph::Text { text: "</p><script>".to_owned() },
            Paragraph::Caption { text: String::new(), credit: "A & B".to_owned() },
            Paragraph::Caption { text: "Shown".to_owned(), credit: "C".to_owned() },
            Paragraph::Html { html: "<p><em>x</em></p>".to_owned(), text: "x".to_owned() },
        ];
        assert_eq!(
            BodyHtml(&Paragraphs::from(paragraphs), None).to_string(),
            "\n<p>&#60;/p&#62;&#60;script&#62;</p>\
             \n<figure><figcaption><span class=\"credit\">A &#38; B</span></figcaption></figure>\
             \n<figure><figcaption>Shown <span class=\"credit\">C</span></figcaption></figure>\
             \n<p><em>x</em></p>"
        );
    }
}
