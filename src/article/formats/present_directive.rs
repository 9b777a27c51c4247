//! The `.command` lines of Go `present` articles, as the page can show
//! them without reading the files they name.
//!
//! | directive | shown as |
//! |---|---|
//! | `.caption text` | the caption, in italics |
//! | `.link url [text]` | a link |
//! | `.iframe url [h w]` | a link to the embedded page (a YouTube embed: to the video) |
//! | `.code`/`.play [-flags] file [address]` | `Code example: file` |
//! | `.image file [h w]` | the image (`<img>`, at width `w` when given), which the page shows from the file beside the article |
//! | `.video file …` | nothing; the file is kept in the article's metadata as `video` |
//! | `.html file` | nothing; listed in a warning (it is layout or markup from another file) |
//!
//! An image has no description in present's syntax, so its `alt` is
//! empty: when its file is missing the page shows nothing, rather than 28
//! lines saying "Image: …" for an article with 28 charts.
//! | `.background file`, anything else | nothing (slides only, or unknown) |

use html_escape::{encode_double_quoted_attribute, encode_text};

use super::super::Paragraph;
use super::present::html_block;
use super::present_inline::{Inline, render as render_inline};

/// The files directives named that the body does not show.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Unshown {
    /// `.html` includes.
    pub html: Vec<String>,
    /// `.video` files.
    pub images: Vec<String>,
}

/// The paragraph a directive line becomes, if any; what it names but
/// cannot show goes to `unshown`.
pub(crate) fn render(line: &str, unshown: &mut Unshown) -> Option<Paragraph> {
    let (command, arguments) = line.trim().split_once(char::is_whitespace).unwrap_or((line.trim(), ""));
    let arguments = arguments.trim();
    let mut words = arguments.split_whitespace().filter(|word| !word.starts_with('-'));
    match command {
        ".caption" => Some(html_block("p", &italic(render_inline(arguments)))),
        ".link" => {
            let url = words.next()?;
            let label = arguments[arguments.find(url).map_or(0, |at| at + url.len())..].trim();
            Some(link_paragraph("", url, if label.is_empty() { url } else { label }))
        }
        ".iframe" => Some(embed(words.next()?)),
        ".code" | ".play" => Some(note(&format!("Code example: {}", words.next()?))),
        ".image" => Some(image(arguments)),
        ".video" => {
            unshown.images.extend(words.next().map(str::to_owned));
            None
        }
        ".html" => {
            unshown.html.extend(words.next().map(str::to_owned));
            None
        }
        _ => None,
    }
}

/// `.image file [height width]` (`_` for a size left to the file).
fn image(arguments: &str) -> Paragraph {
    let mut words = arguments.split_whitespace();
    let file = words.next().unwrap_or("");
    let width = words.nth(1).filter(|width| width.bytes().all(|b| b.is_ascii_digit()) && !width.is_empty());
    let width = width.map(|width| format!(" width=\"{width}\"")).unwrap_or_default();
    let html = format!("<p><img src=\"{}\" alt=\"\"{width}></p>", encode_double_quoted_attribute(file));
    Paragraph::Html { html, text: String::new() }
}

/// A link to an embedded page; a YouTube embed links to its video page.
fn embed(url: &str) -> Paragraph {
    let absolute = if url.starts_with("//") { format!("https:{url}") } else { url.to_owned() };
    let video = absolute
        .split_once("youtube.com/embed/")
        .map(|(_, rest)| rest.split(['?', '&', '/']).next().unwrap_or(rest))
        .filter(|id| !id.is_empty());
    match video {
        Some(id) => link_paragraph("Video: ", &format!("https://www.youtube.com/watch?v={id}"), "watch on YouTube"),
        None => link_paragraph("Embedded page: ", &absolute, absolute.trim_start_matches("https://")),
    }
}

fn link_paragraph(lead: &str, url: &str, label: &str) -> Paragraph {
    let html = format!(
        "<p>{}<a href=\"{}\">{}</a></p>",
        encode_text(lead),
        encode_double_quoted_attribute(url),
        encode_text(label)
    );
    Paragraph::Html { html: ammonia::clean(&html), text: format!("{lead}{label}") }
}

/// A short italic line standing in for what cannot be shown.
fn note(text: &str) -> Paragraph {
    html_block("p", &italic(Inline { html: encode_text(text).into_owned(), text: text.to_owned() }))
}

fn italic(inline: Inline) -> Inline {
    Inline { html: format!("<i>{}</i>", inline.html), text: inline.text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str) -> Option<(String, String)> {
        render(line, &mut Unshown::default()).map(|paragraph| match paragraph {
            Paragraph::Html { html, text } => (html, text),
            other => (String::new(), other.text().to_owned()),
        })
    }

    #[test]
    fn code_files_become_a_short_note() {
        let play = shown(".play -edit constants/string1.go /START/,/STOP/").map(|s| s.1);
        assert_eq!(play.as_deref(), Some("Code example: constants/string1.go"));
        assert_eq!(
            shown(".code -numbers appengine/main.go").map(|s| s.1).as_deref(),
            Some("Code example: appengine/main.go")
        );
    }

    #[test]
    fn a_youtube_embed_links_to_its_video() {
        let (html, text) = shown(".iframe //www.youtube.com/embed/QDDwwePbDtw?rel=0 309 549").expect("shown");
        assert!(html.contains("href=\"https://www.youtube.com/watch?v=QDDwwePbDtw\""), "{html}");
        assert_eq!(text, "Video: watch on YouTube");
        let (html, _) = shown(".iframe https://example.org/widget 300 400").expect("shown");
        assert!(html.contains("href=\"https://example.org/widget\""), "{html}");
    }

    #[test]
    fn html_includes_are_listed_and_images_shown() {
        let mut unshown = Unshown::default();
        assert_eq!(render(".html experiment/div-indent.html", &mut unshown), None);
        assert_eq!(render(".video gopher.mp4", &mut unshown), None);
        assert_eq!(render(".background bg.png", &mut unshown), None);
        assert_eq!(unshown.html, ["experiment/div-indent.html"]);
        assert_eq!(unshown.images, ["gopher.mp4"]);
        let (html, text) = shown(".image 9years-graph.png _ 600").expect("shown");
        assert_eq!((html.as_str(), text.as_str()), (r#"<p><img src="9years-graph.png" alt="" width="600"></p>"#, ""));
        let (html, _) = shown(".image a\"b.png").expect("shown");
        assert_eq!(html, r#"<p><img src="a&quot;b.png" alt=""></p>"#);
    }

    #[test]
    fn captions_and_links_keep_their_text() {
        let (html, text) = shown(".caption The _Go_ gopher").expect("shown");
        assert_eq!((html.as_str(), text.as_str()), ("<p><i>The <i>Go</i> gopher</i></p>", "The Go gopher"));
        let (html, text) = shown(".link https://go.dev/ The Go site").expect("shown");
        assert!(html.contains("href=\"https://go.dev/\"") && text == "The Go site", "{html}");
        assert_eq!(shown(".link"), None, "a command without its argument shows nothing");
        let (html, _) = shown(".iframe javascript:alert(1)").expect("shown");
        assert!(!html.contains("href=\"javascript"), "{html}");
    }
}
