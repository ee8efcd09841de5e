//! `cargo bench -p consilium-blobs`: what one 12-megapixel phone photo costs
//! on upload — sniff, strip metadata, thumbnail and score, encrypt — as the
//! median of several runs. Writes the photo to `target/bench-12mp.jpg` so
//! `scripts/bench-images` can time `vipsthumbnail` on the very same file.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use consilium_blobs::{
    Keyring,
    image::{Limits, ingest},
};
use image::{ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder};

const RUNS: usize = 9;

/// A 4000 × 3000 photo-like image: gradients, texture and noise, so the
/// JPEG has the size and entropy of a real phone photo (several MB).
fn photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 48) as u8;
        let skin = [200u8.saturating_sub((y / 24) as u8), 150, 130];
        let lesion = ((x as i64 - 2000).pow(2) + (y as i64 - 1500).pow(2)) < 400_000;
        let base = if lesion { [90, 60, 50] } else { skin };
        image::Rgb([
            base[0].saturating_add(noise),
            base[1].saturating_add(noise / 2),
            base[2].saturating_add(noise / 3),
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(image.as_raw(), 4000, 3000, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let photo = photo();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-12mp.jpg");
    std::fs::write(&path, &photo).unwrap();
    let keyring = Keyring::generate();
    let limits = Limits::default();
    println!(
        "12 MP JPEG: {:.1} MB, {} runs, median",
        photo.len() as f64 / 1e6,
        RUNS
    );
    let ingest_only = time(|| ingest(&photo, limits).unwrap());
    let ingested = ingest(&photo, limits).unwrap();
    let encrypt = time(|| keyring.encrypt_for_bench(&ingested.cleaned));
    let whole = time(|| {
        let ingested = ingest(&photo, limits).unwrap();
        keyring.encrypt_for_bench(&ingested.cleaned);
        keyring.encrypt_for_bench(ingested.thumbnail.as_deref().unwrap());
    });
    println!(
        "sniff + strip + thumbnail + score: {:>7.1} ms",
        ingest_only.as_secs_f64() * 1e3
    );
    println!(
        "encrypt (age) the cleaned photo:   {:>7.1} ms",
        encrypt.as_secs_f64() * 1e3
    );
    println!(
        "all of it (photo + thumbnail):      {:>7.1} ms",
        whole.as_secs_f64() * 1e3
    );
    println!("photo written to {}", path.display());
}
