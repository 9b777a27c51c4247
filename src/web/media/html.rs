//! Images as pages write them: every `<img>` of an article body pointed at
//! `/media/`, with its size, `srcset` and lazy loading; the lead image's
//! `<figure>`; the thumbnails of lists.
//!
//! The parser leaves image references as the file wrote them (relative to
//! the article's page); only here, with the library's image files and the
//! site's prefix at hand, do they become addresses that work under any
//! `--base-url` or proxy prefix, and only here is a missing or unusable
//! image replaced by its description, so a page never shows a broken one.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::article::{Article, ParagraphRef, Paragraphs};
use crate::library::media::{ImageSource, LeadImage, MediaFile, MediaIndex, MediaRoot};
use crate::media::{Dimensions, WIDTHS};
use crate::web::escape::{write_attribute, write_text};
use crate::web::{Site, urls};

/// The column an article's images fill at most (the page's 60ch measure),
/// for `sizes`: the browser picks the copy from it before any CSS loads.
const SIZES: &str = "(min-width: 42rem) 40rem, 100vw";

/// The displayed size of list thumbnails, in CSS pixels.
pub(crate) const THUMBNAIL: u32 = 80;

/// What writing images needs: the snapshot's image files and the site the
/// page is for (its prefix, its options, its origin for absolute URLs).
#[derive(Clone, Copy)]
pub(crate) struct ImageWriter<'a> {
    pub media: &'a MediaIndex,
    pub site: &'a Site,
    /// `https://example.org` for feeds and previews; `None`: host-relative.
    pub origin: Option<&'a str>,
}

/// A lead image that can be shown, and its caption from the body.
pub(crate) struct Lead<'a> {
    pub url: String,
    pub dimensions: Dimensions,
    pub srcset: Option<String>,
    pub alt: String,
    /// The body's photo caption that belongs to the picture, if any.
    pub caption: Option<(usize, ParagraphRef<'a>)>,
    /// The body shows the same picture (front matter naming its first
    /// image): the page does not show it twice, previews still use it.
    pub in_body: bool,
}

impl<'a> ImageWriter<'a> {
    /// The URL of an image file (at `width` for a resized copy).
    pub(crate) fn url(&self, root: MediaRoot, path: &str, width: Option<u32>) -> String {
        let route = if self.media.served_root(root) == MediaRoot::Site { urls::SITE_MEDIA } else { urls::MEDIA };
        let url = route.url_below(self.origin.unwrap_or(""), &self.site.base_path, &[path]);
        match width {
            Some(width) => format!("{url}?w={width}"),
            None => url,
        }
    }

    /// `srcset` for an image: the resized copies narrower than it (not the
    /// thumbnail size) and the original, or `None` when no copy is made.
    fn srcset(&self, root: MediaRoot, path: &str, file: &MediaFile, dimensions: Dimensions) -> Option<String> {
        if !self.site.images.resized || !file.kind.resizable() {
            return None;
        }
        let mut srcset = String::new();
        for &width in WIDTHS.iter().filter(|&&width| width > THUMBNAIL * 2 && width < dimensions.width) {
            let _ = write!(srcset, "{} {width}w, ", self.url(root, path, Some(width)));
        }
        if srcset.is_empty() {
            return None;
        }
        let _ = write!(srcset, "{} {}w", self.url(root, path, None), dimensions.width);
        Some(srcset)
    }

    /// The article's lead image, when there is one that can be shown (a
    /// file that exists and probed well; a remote one with
    /// `--remote-images` is not a lead, as its size is unknown).
    /// `body` is the article's body, read once by the caller.
    pub(crate) fn lead<'b>(&self, article: &Article, body: &'b Paragraphs) -> Option<Lead<'b>> {
        let LeadImage { source, .. } = self.media.lead_image(article)?;
        let ImageSource::Local { root, path, file: Some(file) } = source else { return None };
        let dimensions = file.dimensions()?;
        let in_body = self.media.body_shows(article, body, root, &path);
        let caption = if in_body { None } else { lead_caption(body) };
        let alt = match caption {
            Some((_, ParagraphRef::Caption { text, .. })) if !text.trim().is_empty() => text.trim().to_owned(),
            _ => article.title.clone(),
        };
        Some(Lead {
            url: self.url(root, &path, None),
            srcset: self.srcset(root, &path, file, dimensions),
            dimensions,
            alt,
            caption,
            in_body,
        })
    }

    /// The URL and size of a list thumbnail for `article`: the 160-pixel
    /// copy when copies are made, else the original.
    pub(crate) fn thumbnail(&self, article: &Article) -> Option<Thumbnail> {
        let LeadImage { source, .. } = self.media.lead_image(article)?;
        let ImageSource::Local { root, path, file: Some(file) } = source else { return None };
        let dimensions = file.dimensions()?;
        let small = THUMBNAIL * 2;
        let width = (self.site.images.resized && file.kind.resizable() && dimensions.width > small).then_some(small);
        Some(Thumbnail { url: self.url(root, &path, width) })
    }

    /// `html` (one sanitised body block of `article_id`) with every
    /// `<img>` rewritten; the same text when it has none.
    pub(crate) fn body_images<'h>(&self, article_id: &str, html: &'h str) -> Cow<'h, str> {
        if !html.contains("<img") {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len() + 256);
        let mut rest = html;
        while let Some(start) = rest.find("<img") {
            let Some(length) = rest[start..].find('>') else { break };
            let tag = &rest[start..start + length + 1];
            out.push_str(&rest[..start]);
            self.write_img(&mut out, article_id, tag);
            rest = &rest[start + length + 1..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// One `<img>` tag as the page shows it.
    fn write_img(&self, out: &mut String, article_id: &str, tag: &str) {
        let src = unescape(attribute(tag, "src").unwrap_or(""));
        let alt = unescape(attribute(tag, "alt").unwrap_or(""));
        let alt = alt.trim();
        match self.media.resolve(article_id, &src) {
            ImageSource::Local { root, path, file: Some(file) } => match file.dimensions() {
                Some(dimensions) => {
                    let declared = attribute(tag, "width").and_then(|width| width.trim().parse::<u32>().ok());
                    let shown = shown_size(dimensions, declared);
                    out.push_str("<img src=\"");
                    write_attr(out, &self.url(root, &path, None));
                    out.push('"');
                    if let Some(srcset) = self.srcset(root, &path, file, dimensions) {
                        out.push_str(" srcset=\"");
                        write_attr(out, &srcset);
                        let _ = write!(out, "\" sizes=\"{SIZES}\"");
                    }
                    out.push_str(" alt=\"");
                    write_attr(out, alt);
                    let _ = write!(
                        out,
                        "\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\">",
                        shown.width, shown.height
                    );
                }
                None => missing(out, alt),
            },
            ImageSource::Remote(url) if self.site.images.remote => {
                out.push_str("<img src=\"");
                write_attr(out, &url);
                out.push_str("\" alt=\"");
                write_attr(out, alt);
                out.push_str("\" loading=\"lazy\" decoding=\"async\" referrerpolicy=\"no-referrer\">");
            }
            ImageSource::Remote(url) => {
                out.push_str("<a href=\"");
                write_attr(out, &url);
                out.push_str("\" class=\"remote-image\">Image: ");
                write_html_text(out, if alt.is_empty() { "image" } else { alt });
                out.push_str("</a>");
            }
            ImageSource::Local { file: None, .. } | ImageSource::Unusable => missing(out, alt),
        }
    }
}

impl Lead<'_> {
    /// The `<figure>` shown above the body: loaded at once (it is the
    /// first thing seen), with the body's photo caption as its caption.
    pub(crate) fn figure(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push_str("<figure class=\"lead-image\"><img src=\"");
        write_attr(&mut out, &self.url);
        out.push('"');
        if let Some(srcset) = &self.srcset {
            out.push_str(" srcset=\"");
            write_attr(&mut out, srcset);
            let _ = write!(out, "\" sizes=\"{SIZES}\"");
        }
        out.push_str(" alt=\"");
        write_attr(&mut out, &self.alt);
        let _ = write!(
            out,
            "\" width=\"{}\" height=\"{}\" decoding=\"async\" fetchpriority=\"high\">",
            self.dimensions.width, self.dimensions.height
        );
        if let Some((_, ParagraphRef::Caption { text, credit })) = self.caption {
            out.push_str("<figcaption>");
            let _ = crate::web::escape::write_caption(&mut out, text, credit);
            out.push_str("</figcaption>");
        }
        out.push_str("</figure>");
        out
    }

    /// The index of the body paragraph the figure took as its caption.
    pub(crate) fn caption_index(&self) -> Option<usize> {
        self.caption.map(|(index, _)| index)
    }
}

/// A list thumbnail.
pub(crate) struct Thumbnail {
    pub url: String,
}

/// The photo caption that goes with the lead image: the body's only
/// caption, or its first when it comes among the first three blocks (a
/// caption further down, among others, belongs to a photo further down).
pub(crate) fn lead_caption(paragraphs: &Paragraphs) -> Option<(usize, ParagraphRef<'_>)> {
    let mut captions =
        paragraphs.iter().enumerate().filter(|(_, paragraph)| matches!(paragraph, ParagraphRef::Caption { .. }));
    let first = captions.next()?;
    (first.0 < 3 || captions.next().is_none()).then_some(first)
}

/// The size an image is shown at: the file's, or the width the article
/// asked for (no wider than the file) with the height that keeps its shape.
fn shown_size(file: Dimensions, declared_width: Option<u32>) -> Dimensions {
    match declared_width.filter(|&width| width > 0 && width < file.width) {
        Some(width) => {
            let height = (u64::from(file.height) * u64::from(width)).div_ceil(u64::from(file.width));
            Dimensions { width, height: u32::try_from(height).unwrap_or(file.height).max(1) }
        }
        None => file,
    }
}

/// What stands for an image that cannot be shown: its description, as
/// text (nothing for a decorative image), never a broken picture.
fn missing(out: &mut String, alt: &str) {
    if !alt.is_empty() {
        out.push_str("<span class=\"missing-image\">");
        write_html_text(out, alt);
        out.push_str("</span>");
    }
}

fn write_attr(out: &mut String, value: &str) {
    let _ = write_attribute(out, value);
}

fn write_html_text(out: &mut String, value: &str) {
    let _ = write_text(out, value);
}

/// The value of `name="…"` in a sanitised tag (ammonia quotes every value
/// with `"` and escapes the quotes inside).
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = start + tag[start..].find('"')?;
    Some(&tag[start..end])
}

/// An attribute value with its character references decoded, so that it
/// can be resolved as a path and escaped again once.
fn unescape(value: &str) -> Cow<'_, str> {
    if value.contains('&') { html_escape::decode_html_entities(value) } else { Cow::Borrowed(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_width_scales_the_height() {
        let file = Dimensions { width: 1200, height: 800 };
        assert_eq!(shown_size(file, Some(300)), Dimensions { width: 300, height: 200 });
        assert_eq!(shown_size(file, Some(5000)), file);
        assert_eq!(shown_size(file, None), file);
    }

    #[test]
    fn missing_images_leave_their_description() {
        let media = MediaIndex::default();
        let site = Site::default();
        let writer = ImageWriter { media: &media, site: &site, origin: None };
        let html = r#"<p>Before <img src="gone.jpg" alt="A &amp; B"> after <img src="x.png" alt=""></p>"#;
        assert_eq!(
            writer.body_images("a", html),
            r#"<p>Before <span class="missing-image">A &#38; B</span> after </p>"#
        );
        let remote = r#"<p><img src="https://cdn.example/a.jpg" alt="Chart"></p>"#;
        assert_eq!(
            writer.body_images("a", remote),
            r#"<p><a href="https://cdn.example/a.jpg" class="remote-image">Image: Chart</a></p>"#
        );
    }
}
