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
        _ => "&#34;",
    }
}

/// Writes `text` escaped for an HTML text node.
pub fn write_text(dest: &mut (impl fmt::Write + ?Sized), text: &str) -> fmt::Result {
    escape_with(dest, text, |bytes| memchr::memchr3(b'&', b'<', b'>', bytes))
}

/// Writes `text` escaped for a double-quoted attribute value.
pub fn write_attribute(dest: &mut (impl fmt::Write + ?Sized), text: &str) -> fmt::Result {
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

/// Text for a text node (`<p>{{ … }}</p>`), escaped when written.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

impl WriteHtml for Text<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        write_text(dest, self.0)
    }
}

html_writable!(Text);

/// Text for a double-quoted attribute value (`content="{{ … }}"`), escaped
/// when written.
#[derive(Debug, Clone, Copy)]
pub struct Attribute<'a>(pub &'a str);

impl WriteHtml for Attribute<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        write_attribute(dest, self.0)
    }
}

html_writable!(Attribute);

/// An article body as HTML: one `<p>` per paragraph, a `<figure>` per photo
/// caption, Markdown blocks as their sanitised HTML. The article page and
/// the feeds both write bodies with it, so escaping is the same everywhere.
#[derive(Debug, Clone, Copy)]
pub struct BodyHtml<'a>(pub &'a Paragraphs);

html_writable!(BodyHtml);

impl WriteHtml for BodyHtml<'_> {
    fn write_html(&self, dest: &mut dyn fmt::Write) -> fmt::Result {
        for paragraph in self.0 {
            write_paragraph(dest, paragraph)?;
        }
        Ok(())
    }
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
            if !text.is_empty() {
                write_text(dest, text)?;
                dest.write_str(" ")?;
            }
            dest.write_str("<span class=\"credit\">")?;
            write_text(dest, credit)?;
            dest.write_str("</span></figcaption></figure>")
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

    #[test]
    fn text_nodes_escape_markup_but_keep_quotes() {
        assert_eq!(Text("a <b> & \"c\" 'd' é").to_string(), "a &#60;b&#62; &#38; \"c\" 'd' é");
        assert_eq!(Text("").to_string(), "");
        assert_eq!(Text("<<&").to_string(), "&#60;&#60;&#38;");
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
            BodyHtml(&Paragraphs::from(paragraphs)).to_string(),
            "\n<p>&#60;/p&#62;&#60;script&#62;</p>\
             \n<figure><figcaption><span class=\"credit\">A &#38; B</span></figcaption></figure>\
             \n<figure><figcaption>Shown <span class=\"credit\">C</span></figcaption></figure>\
             \n<p><em>x</em></p>"
        );
    }
}
