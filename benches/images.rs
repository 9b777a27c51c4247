//! Making resized copies of photos (`broadsheet::media::resize`), the work
//! behind the first request for `/media/…?w=480`: a 4000×3000 camera
//! photo (12 MP) and a 1600×1000 web-sized one, as JPEG, to each width the
//! pages offer; and probing a file's header, which every load does for
//! every image.
//!
//! `cargo bench --bench images`

#[path = "../examples/gen_photo/photo.rs"]
mod generated;

use broadsheet::media::{ImageKind, WIDTHS, probe, resize};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The photo `gen_photo` writes for `bench/http.sh`.
fn photo(width: u32, height: u32) -> Vec<u8> {
    generated::photo(width, height).expect("encode")
}

fn resizing(c: &mut Criterion) {
    let mut group = c.benchmark_group("resize");
    group.sample_size(10);
    for (name, width, height) in [("12MP", 4000, 3000), ("1600x1000", 1600, 1000)] {
        let source = photo(width, height);
        group.throughput(Throughput::Bytes(source.len() as u64));
        for &target in WIDTHS.iter().filter(|&&target| target < width) {
            group.bench_with_input(BenchmarkId::new(name, target), &source, |b, source| {
                b.iter(|| resize(source, ImageKind::Jpeg, target).expect("resized"));
            });
        }
    }
    group.finish();
}

fn probing(c: &mut Criterion) {
    let source = photo(4000, 3000);
    let head = &source[..source.len().min(broadsheet::media::PROBE_BYTES)];
    c.bench_function("probe/12MP-jpeg", |b| b.iter(|| probe(head, ImageKind::Jpeg).expect("probed")));
}

criterion_group!(benches, resizing, probing);
criterion_main!(benches);
