//! Writes a photo-like JPEG (smooth gradients with camera-like noise) for
//! benchmarks: `bench/http.sh` serves its resized copies beside nginx.
//!
//! cargo run --release --example gen_photo -- OUT.jpg [WIDTH HEIGHT]

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or_else(|| anyhow::anyhow!("usage: gen_photo OUT.jpg [WIDTH HEIGHT]"))?;
    let width: u32 = args.next().map_or(Ok(2400), |value| value.parse())?;
    let height: u32 = args.next().map_or(Ok(1600), |value| value.parse())?;
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
    if let Some(folder) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&out, bytes.into_inner())?;
    Ok(())
}
