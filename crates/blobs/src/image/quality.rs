//! Is this photo usable? Sharpness is the variance of the Laplacian of the
//! grey image (a blurred photo has few strong edges); exposure is the mean
//! brightness and the share of crushed or blown pixels. Computed on a
//! 1024-pixel version so the scores do not depend on the camera's resolution.

use image::RgbImage;

/// Under this sharpness a photo is probably blurred. Calibrated by the
/// blur benchmark; see docs/adr.
pub const BLUR_THRESHOLD: f64 = 60.0;

/// The scores of a photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    /// Variance of the Laplacian (higher is sharper).
    pub sharpness: f64,
    /// Mean brightness, 0–255.
    pub brightness: f64,
    /// Share of pixels darker than 16.
    pub dark_share: f64,
    /// Share of pixels brighter than 240.
    pub bright_share: f64,
}

/// What to tell the requester before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityHint {
    /// Nothing to say.
    Fine,
    /// Probably blurred: retake?
    Blurred,
    /// Too dark: retake with more light?
    TooDark,
    /// Overexposed: retake without the flash?
    TooBright,
}

impl Quality {
    /// The hint to show, if any.
    pub fn hint(&self) -> QualityHint {
        if self.brightness < 40.0 || self.dark_share > 0.5 {
            QualityHint::TooDark
        } else if self.brightness > 225.0 || self.bright_share > 0.5 {
            QualityHint::TooBright
        } else if self.sharpness < BLUR_THRESHOLD {
            QualityHint::Blurred
        } else {
            QualityHint::Fine
        }
    }
}

/// Scores an (already reduced) image.
pub(super) fn score(image: &RgbImage) -> Quality {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let grey: Vec<f64> = image
        .pixels()
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect();
    let n = grey.len().max(1) as f64;
    let brightness = grey.iter().sum::<f64>() / n;
    let dark_share = grey.iter().filter(|&&g| g < 16.0).count() as f64 / n;
    let bright_share = grey.iter().filter(|&&g| g > 240.0).count() as f64 / n;
    let mut laplacian = Vec::with_capacity(grey.len());
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let at = |dx: isize, dy: isize| {
                grey[(y as isize + dy) as usize * w + (x as isize + dx) as usize]
            };
            laplacian.push(at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4.0 * at(0, 0));
        }
    }
    let count = laplacian.len().max(1) as f64;
    let mean = laplacian.iter().sum::<f64>() / count;
    let sharpness = laplacian.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / count;
    Quality {
        sharpness,
        brightness,
        dark_share,
        bright_share,
    }
}
