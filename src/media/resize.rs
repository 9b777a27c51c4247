//! Resized copies of a photo, for `srcset`.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder};

use super::{Dimensions, ImageKind, MediaError, limits, within_limits};

/// JPEG quality of resized copies: at 82 a photo shows no artefacts at its
/// displayed size, for about a third of the bytes of quality 95.
const JPEG_QUALITY: u8 = 82;

/// A resized copy, encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resized {
    pub bytes: Vec<u8>,
    /// JPEG for opaque images, PNG for those with transparency.
    pub kind: ImageKind,
    pub dimensions: Dimensions,
}

/// Decodes `source` (a file of `kind`) within [`limits`], turns it as its
/// EXIF orientation says, and scales it to `width` pixels wide.
///
/// The output is JPEG, or PNG when the image has an alpha channel. WebP
/// output was measured and left out: the `image` crate encodes WebP
/// losslessly only, which makes a photo three to five times larger than
/// the JPEG; a lossy WebP or AVIF encoder means a C library (libwebp,
/// rav1e's build) for a saving of about a quarter.
pub fn resize(source: &[u8], kind: ImageKind, width: u32) -> Result<Resized, MediaError> {
    let unreadable = |error: image::ImageError| MediaError::Unreadable { kind: kind.name(), reason: error.to_string() };
    let format = kind
        .format()
        .filter(|_| kind.resizable())
        .ok_or_else(|| MediaError::Unreadable { kind: kind.name(), reason: "not resized".into() })?;
    let mut reader = image::ImageReader::with_format(Cursor::new(source), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (declared_width, declared_height) = decoder.dimensions();
    within_limits(Dimensions { width: declared_width, height: declared_height })?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let height = scaled_height(image.width(), image.height(), width);
    let scaled = image.resize_exact(width, height, FilterType::CatmullRom);
    encode(&scaled).map_err(unreadable)
}

/// The height that keeps the aspect ratio at `width`, at least 1.
fn scaled_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let height = (u64::from(original_height) * u64::from(width) + u64::from(original_width) / 2)
        / u64::from(original_width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

fn encode(image: &DynamicImage) -> image::ImageResult<Resized> {
    let mut bytes = Vec::new();
    let dimensions = Dimensions { width: image.width(), height: image.height() };
    if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, PngFilter::Adaptive).write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )?;
        return Ok(Resized { bytes, kind: ImageKind::Png, dimensions });
    }
    let rgb = image.to_rgb8();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).write_image(
        rgb.as_raw(),
        rgb.width(),
        rgb.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(Resized { bytes, kind: ImageKind::Jpeg, dimensions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(4000, 3000, 480), 360);
        assert_eq!(scaled_height(1000, 1, 480), 1);
    }
}
