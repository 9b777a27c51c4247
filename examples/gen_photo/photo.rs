//! A photo-like JPEG, shared by `gen_photo` and `benches/images.rs`, so the
//! load test and the resize benchmark work on the same kind of picture.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

/// A `width`×`height` JPEG of smooth gradients with camera-like noise
/// (noise is what makes a photo expensive to encode).
pub fn photo(width: u32, height: u32) -> image::ImageResult<Vec<u8>> {
    let mut seed = 0x2545_f491_u32;
    let image = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as u8;
        Rgb([(x * 200 / width) as u8 + noise, (y * 200 / height) as u8 + noise, 90 + noise])
    });
    let mut bytes = Cursor::new(Vec::new());
    image::DynamicImage::from(image).write_to(&mut bytes, ImageFormat::Jpeg)?;
    Ok(bytes.into_inner())
}
