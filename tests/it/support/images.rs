//! Image files made by the tests: small valid pictures, and the broken and
//! hostile ones an articles folder may hold (no third-party photos).

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// A `width`×`height` picture with a gradient (so resizing has work to do).
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 128]))
}

fn encode(image: &image::DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encode image");
    bytes.into_inner()
}

/// A valid JPEG.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height).into(), ImageFormat::Jpeg)
}

/// A valid PNG (opaque).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height).into(), ImageFormat::Png)
}

/// A valid PNG with transparency.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| Rgba([0, 0, 0, (x % 256) as u8]));
    encode(&image.into(), ImageFormat::Png)
}

/// A valid (lossless) WebP.
pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| Rgba([x as u8, y as u8, 0, 255]));
    encode(&image.into(), ImageFormat::WebP)
}

/// A decompression bomb: a PNG of a few dozen bytes whose header declares
/// `side`×`side` pixels.
pub fn png_bomb(side: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = side.to_be_bytes().to_vec();
    header.extend(side.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let mut compressed = Vec::new();
    {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(&mut compressed, flate2::Compression::best());
        encoder.write_all(&vec![0u8; 64 * 1024]).expect("compress");
        encoder.finish().expect("compress");
    }
    chunk(&mut png, b"IDAT", &compressed);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend(u32::try_from(data.len()).expect("small chunk").to_be_bytes());
    png.extend(kind);
    png.extend(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend(crc.sum().to_be_bytes());
}

/// A JPEG cut off halfway: the header is fine, the pixels are not there.
pub fn truncated_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = jpeg(width, height);
    bytes.truncate(bytes.len() / 2);
    bytes
}

/// The width and height of an encoded image.
pub fn size_of(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a decodable image");
    (image.width(), image.height())
}
