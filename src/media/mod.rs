//! Image files: which kinds are served, their size as the file declares it,
//! and resized copies made within bounds.
//!
//! Image files come from the same untrusted folders as articles, so nothing
//! here trusts them: a file is *probed* (its header read, never its pixels)
//! before a page shows it, and one that is not the image its name says, or
//! declares more pixels than [`MAX_PIXELS`], is refused with a reason
//! (`check` lists it; pages show its alt text). Decoding for a resized copy
//! ([`resize`]) runs under [`image::Limits`], so a decompression bomb or a
//! truncated file is an error in milliseconds, never a stalled server.
//!
//! Pure functions of bytes, like `article`: the library reads the files,
//! the web layer decides when to resize.

mod resize;
mod store;

use std::io::Cursor;

use image::ImageDecoder;
use serde::Serialize;

pub use resize::{Resized, resize};
pub use store::ResizedStore;

/// Extensions of image files Broadsheet serves.
pub const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "svg"];

/// The widths of resized copies offered in `srcset`, and the only widths
/// `/media/…?w=` makes: a fixed set, so no client can ask for a thousand
/// sizes of one photo. 160 is the list thumbnail's (twice its 80 CSS px);
/// the others fit a phone, a tablet and a wide screen at 2×.
pub const WIDTHS: &[u32] = &[160, 480, 960, 1600];

/// The most pixels an image may declare (64 megapixels, a large camera's
/// photo): a bigger one is refused before any decoding, since decoding it
/// would take 256 MB and more.
pub const MAX_PIXELS: u64 = 64_000_000;

/// The longest side an image may declare.
pub const MAX_SIDE: u32 = 20_000;

/// How many bytes of a file [`probe`] needs: enough for any header,
/// including a JPEG's EXIF block and ICC profile before its frame header.
pub const PROBE_BYTES: usize = 512 * 1024;

/// A kind of image file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Avif,
    Svg,
}

impl ImageKind {
    /// The kind an extension names (`JPG`, `jpeg`, …), if it is an image.
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Self::Jpeg,
            "png" => Self::Png,
            "gif" => Self::Gif,
            "webp" => Self::Webp,
            "avif" => Self::Avif,
            "svg" => Self::Svg,
            _ => return None,
        })
    }

    /// The kind a path's extension names.
    pub fn of_path(path: &std::path::Path) -> Option<Self> {
        path.extension().and_then(|extension| extension.to_str()).and_then(Self::from_extension)
    }

    /// The `Content-Type` it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Avif => "image/avif",
            Self::Svg => "image/svg+xml",
        }
    }

    /// The name people know it by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Gif => "GIF",
            Self::Webp => "WebP",
            Self::Avif => "AVIF",
            Self::Svg => "SVG",
        }
    }

    /// Whether resized copies can be made: JPEG, PNG and WebP. A GIF may be
    /// animated (a copy would keep one frame), AVIF needs a C decoder this
    /// build does not carry, and SVG scales by itself.
    pub fn resizable(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Webp)
    }

    fn format(self) -> Option<image::ImageFormat> {
        match self {
            Self::Jpeg => Some(image::ImageFormat::Jpeg),
            Self::Png => Some(image::ImageFormat::Png),
            Self::Gif => Some(image::ImageFormat::Gif),
            Self::Webp => Some(image::ImageFormat::WebP),
            Self::Avif | Self::Svg => None,
        }
    }

    /// The kind the file's first bytes say it is.
    fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && matches!(&bytes[8..12], b"avif" | b"avis") {
            Some(Self::Avif)
        } else {
            None
        }
    }
}

/// What a probe learnt: the size a page reserves for the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    /// As displayed: after the EXIF orientation a browser applies.
    pub width: u32,
    pub height: u32,
}

/// Why an image file cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("is named .{extension} but {actual}")]
    Mislabelled { extension: String, actual: String },
    #[error("declares {width}×{height} pixels, more than the {limit}-megapixel limit")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("cannot be read as {kind}: {reason}")]
    Unreadable { kind: &'static str, reason: String },
    #[error("is larger than --max-file-size ({size} bytes, limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("has no width, height or viewBox")]
    SvgWithoutSize,
}

/// Reads an image's dimensions from its first bytes (at most
/// [`PROBE_BYTES`]), checking that it is the kind its extension says and
/// that it declares no more than [`MAX_PIXELS`].
pub fn probe(head: &[u8], kind: ImageKind) -> Result<Dimensions, MediaError> {
    if kind == ImageKind::Svg {
        return svg_dimensions(head).ok_or(MediaError::SvgWithoutSize);
    }
    match ImageKind::sniff(head) {
        Some(actual) if actual == kind => {}
        actual => {
            let actual =
                actual.map_or_else(|| "is no image".to_owned(), |actual| format!("is a {} image", actual.name()));
            return Err(MediaError::Mislabelled { extension: extension_name(kind).to_owned(), actual });
        }
    }
    let dimensions = match kind.format() {
        Some(format) => raster_dimensions(head, format)
            .map_err(|error| MediaError::Unreadable { kind: kind.name(), reason: error.to_string() })?,
        None => avif_dimensions(head).ok_or_else(|| MediaError::Unreadable {
            kind: kind.name(),
            reason: "no image size in its header".into(),
        })?,
    };
    within_limits(dimensions)?;
    Ok(dimensions)
}

fn extension_name(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::Jpeg => "jpg",
        ImageKind::Png => "png",
        ImageKind::Gif => "gif",
        ImageKind::Webp => "webp",
        ImageKind::Avif => "avif",
        ImageKind::Svg => "svg",
    }
}

/// Refuses sizes past [`MAX_SIDE`] or [`MAX_PIXELS`].
fn within_limits(dimensions: Dimensions) -> Result<(), MediaError> {
    let Dimensions { width, height } = dimensions;
    if width == 0 || height == 0 {
        return Err(MediaError::Unreadable { kind: "an image", reason: "it declares no pixels".into() });
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels { width, height, limit: MAX_PIXELS / 1_000_000 });
    }
    Ok(())
}

/// The header's size, turned as the EXIF orientation turns it.
fn raster_dimensions(head: &[u8], format: image::ImageFormat) -> image::ImageResult<Dimensions> {
    // No limits: only the header is read, and the size it declares is
    // checked by `within_limits`, which says what is wrong with it.
    let mut reader = image::ImageReader::with_format(Cursor::new(head), format);
    reader.no_limits();
    let mut decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    let turned = decoder.orientation().is_ok_and(|orientation| {
        use image::metadata::Orientation::*;
        matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    Ok(if turned { Dimensions { width: height, height: width } } else { Dimensions { width, height } })
}

/// The decoder limits: the sides [`MAX_SIDE`], and the memory the largest
/// allowed image takes decoded with an alpha channel.
pub(crate) fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    limits
}

/// An AVIF's size from its `ispe` property (the image crate reads AVIF
/// only with a C decoder; the header is enough to reserve the space).
fn avif_dimensions(head: &[u8]) -> Option<Dimensions> {
    let at = memchr::memmem::find(head, b"ispe")?;
    let field = |offset: usize| -> Option<u32> {
        let bytes = head.get(at + offset..at + offset + 4)?;
        Some(u32::from_be_bytes(bytes.try_into().ok()?))
    };
    // `ispe`, version and flags (4 bytes), width, height.
    Some(Dimensions { width: field(8)?, height: field(12)? })
}

/// An SVG's size from its root element's `width` and `height` (in pixels,
/// or unitless), else from its `viewBox`.
fn svg_dimensions(head: &[u8]) -> Option<Dimensions> {
    // The root element is near the start; a cut character at the end of
    // the probed bytes does not matter.
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let number = |value: &str| value.trim().trim_end_matches("px").trim().parse::<f64>().ok().filter(|n| *n >= 1.0);
    let size = |width: f64, height: f64| {
        let dimensions = Dimensions { width: width.round() as u32, height: height.round() as u32 };
        within_limits(dimensions).ok().map(|()| dimensions)
    };
    if let (Some(width), Some(height)) =
        (svg_attribute(tag, "width").and_then(number), svg_attribute(tag, "height").and_then(number))
    {
        return size(width, height);
    }
    let view_box: Vec<f64> =
        svg_attribute(tag, "viewBox")?.split([' ', ',']).filter_map(|part| part.trim().parse().ok()).collect();
    match view_box[..] {
        [_, _, width, height] if width >= 1.0 && height >= 1.0 => size(width, height),
        _ => None,
    }
}

fn svg_attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + name.len()..].trim_start();
        if before.is_some_and(char::is_whitespace)
            && let Some(value) = after.strip_prefix('=')
        {
            let value = value.trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &value[1..];
            return value.find(quote).map(|end| &value[..end]);
        }
        rest = &rest[at + name.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_extensions_in_any_case() {
        assert_eq!(ImageKind::from_extension("JPG"), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::from_extension("webp"), Some(ImageKind::Webp));
        assert_eq!(ImageKind::from_extension("txt"), None);
    }

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let sized = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120px" height='80'>"#;
        assert_eq!(probe(sized, ImageKind::Svg), Ok(Dimensions { width: 120, height: 80 }));
        let boxed = br#"<svg viewBox="0 0 300 150" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        assert_eq!(probe(boxed, ImageKind::Svg), Ok(Dimensions { width: 300, height: 150 }));
        assert_eq!(probe(b"<svg><rect/></svg>", ImageKind::Svg), Err(MediaError::SvgWithoutSize));
    }

    #[test]
    fn a_text_file_named_jpg_is_refused() {
        let error = probe(b"Hello, this is not a photo.", ImageKind::Jpeg).expect_err("text");
        assert_eq!(error.to_string(), "is named .jpg but is no image");
        let png_named_jpg = probe(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ImageKind::Jpeg).expect_err("png");
        assert_eq!(png_named_jpg.to_string(), "is named .jpg but is a PNG image");
    }
}
