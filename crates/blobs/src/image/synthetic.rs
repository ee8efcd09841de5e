//! Pictures for demo data, drawn rather than shipped: a skin lesion as a
//! phone would photograph it (skin, texture, an irregular pigmented spot),
//! a take of it with the phone moving, and an ECG strip. Deterministic: the
//! same seed draws the same picture. Here rather than in the binary so they
//! are drawn by optimised code even in debug builds (every test's demo
//! region draws a dozen).

use image::{ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder};

use super::ImageError;

/// A little pseudo-random generator (xorshift), enough for texture.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value in `-amplitude..=amplitude`.
    fn jitter(&mut self, amplitude: i32) -> i32 {
        let span = u64::try_from(2 * amplitude + 1).unwrap_or(1);
        i32::try_from(self.next() % span).unwrap_or(0) - amplitude
    }
}

fn shade(value: i32) -> u8 {
    u8::try_from(value.clamp(0, 255)).unwrap_or(0)
}

/// A pigmented lesion on skin, `zoom` times closer for a close-up, as a JPEG.
pub fn lesion(seed: u64, zoom: f64) -> Result<Vec<u8>, ImageError> {
    jpeg(&draw_lesion(seed, zoom, false))
}

/// The same lesion, taken with the phone moving: no texture, soft edges;
/// the sharpness check flags it for a retake.
pub fn blurred_lesion(seed: u64) -> Result<Vec<u8>, ImageError> {
    jpeg(&draw_lesion(seed, 1.0, true))
}

fn draw_lesion(seed: u64, zoom: f64, moved: bool) -> RgbImage {
    let (width, height) = (800u32, 600u32);
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15 ^ seed);
    let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    let radius = 60.0 * zoom;
    RgbImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
        let angle = dy.atan2(dx);
        // An irregular border: a few lobes, as in a lesion worth a look.
        let border =
            radius * (1.0 + 0.18 * (3.0 * angle + seed as f64).sin() + 0.08 * (7.0 * angle).cos());
        let distance = (dx * dx + dy * dy).sqrt();
        let grain = if moved { 0 } else { noise.jitter(14) };
        let light = i32::try_from(y / 20).unwrap_or(0);
        if moved {
            // A wide, smooth ramp from the spot to the skin.
            let skin = ((distance - border * 0.6) / (border * 1.2)).clamp(0.0, 1.0);
            let mix = |inside: f64, outside: f64| {
                shade((inside + (outside - inside) * skin) as i32 - light)
            };
            Rgb([mix(110.0, 222.0), mix(72.0, 178.0), mix(58.0, 160.0)])
        } else if distance < border {
            let core = i32::from(distance < border * 0.55) * 25;
            Rgb([
                shade(110 - core + grain),
                shade(72 - core + grain / 2),
                shade(58 - core + grain / 2),
            ])
        } else {
            Rgb([
                shade(222 - light + grain),
                shade(178 - light + grain),
                shade(160 - light + grain),
            ])
        }
    })
}

/// A 12-lead-style ECG strip: the pink grid and a regular rhythm.
pub fn ecg() -> Result<Vec<u8>, ImageError> {
    let (width, height) = (1200u32, 400u32);
    let mut strip = RgbImage::from_fn(width, height, |x, y| {
        // Paper photographed in a room, not a white screen.
        if x % 50 == 0 || y % 50 == 0 {
            Rgb([214, 130, 140])
        } else if x % 10 == 0 || y % 10 == 0 {
            Rgb([224, 184, 190])
        } else {
            Rgb([232, 218, 214])
        }
    });
    let baseline = f64::from(height) / 2.0;
    let mut previous = baseline;
    for x in 0..width {
        // One beat every 160 pixels (75 a minute at 25 mm/s): P, QRS, T.
        let t = f64::from(x % 160) / 160.0;
        let wave = 12.0 * (-((t - 0.15) * 40.0).powi(2)).exp()
            - 18.0 * (-((t - 0.30) * 120.0).powi(2)).exp()
            + 140.0 * (-((t - 0.33) * 110.0).powi(2)).exp()
            - 30.0 * (-((t - 0.36) * 110.0).powi(2)).exp()
            + 30.0 * (-((t - 0.60) * 22.0).powi(2)).exp();
        let y = baseline - wave;
        let (low, high) = (previous.min(y), previous.max(y));
        let mut row = low.floor();
        while row <= high.ceil() {
            if let Ok(r) = u32::try_from(row as i64) {
                for thickness in 0..3 {
                    if let Some(pixel) = strip.get_pixel_mut_checked(x, r + thickness) {
                        *pixel = Rgb([20, 20, 30]);
                    }
                }
            }
            row += 1.0;
        }
        previous = y;
    }
    jpeg(&strip)
}

/// A picture as a phone saves it: JPEG, quality 88.
pub fn jpeg(picture: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 88)
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{Limits, QualityHint, ingest};

    #[test]
    fn the_demo_pictures_pass_the_checks_and_one_is_flagged_blurred() {
        let limits = Limits::default();
        for picture in [lesion(1, 1.0), lesion(1, 2.5), ecg()] {
            let ingested = ingest(&picture.unwrap(), limits).unwrap();
            assert_eq!(ingested.quality.unwrap().hint(), QualityHint::Fine);
        }
        let soft = ingest(&blurred_lesion(1).unwrap(), limits).unwrap();
        assert_eq!(soft.quality.unwrap().hint(), QualityHint::Blurred);
        assert_eq!(
            lesion(3, 1.0).unwrap(),
            lesion(3, 1.0).unwrap(),
            "deterministic"
        );
    }
}
