//! Writes a photo-like JPEG (smooth gradients with camera-like noise) for
//! benchmarks: `bench/http.sh` serves its resized copies beside nginx.
//!
//! cargo run --release --example gen_photo -- OUT.jpg [WIDTH HEIGHT]

mod photo;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or_else(|| anyhow::anyhow!("usage: gen_photo OUT.jpg [WIDTH HEIGHT]"))?;
    let width: u32 = args.next().map_or(Ok(2400), |value| value.parse())?;
    let height: u32 = args.next().map_or(Ok(1600), |value| value.parse())?;
    if let Some(folder) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&out, photo::photo(width, height)?)?;
    Ok(())
}
