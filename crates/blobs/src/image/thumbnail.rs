//! Small versions of a photo: for the analysis of its quality and for the
//! thumbnail. A JPEG is decoded at a reduced DCT scale (1/2 to 1/8), which
//! is several times faster than a full decode of a 12 MP photo.

use std::io::Cursor;

use fast_image_resize::{IntoImageView, PixelType, ResizeOptions, Resizer, images::Image};
use image::{DynamicImage, ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder};

use super::{ImageError, Kind, Limits, decoder_limits};

/// Longest side of the image the quality scores are computed on.
pub(super) const ANALYSIS_SIDE: u32 = 1024;
/// Longest side of the stored thumbnail.
pub(super) const THUMBNAIL_SIDE: u32 = 480;
const THUMBNAIL_QUALITY: u8 = 80;

fn corrupt(e: impl std::fmt::Display) -> ImageError {
    ImageError::Corrupt(e.to_string())
}

/// The image, decoded at least `side` pixels on its longest side where the
/// format allows a cheap reduction, then resized to fit `side`.
pub(super) fn decode_small(
    bytes: &[u8],
    kind: Kind,
    side: u32,
    limits: Limits,
) -> Result<RgbImage, ImageError> {
    let decoded = match kind {
        Kind::Jpeg => decode_jpeg_scaled(bytes, side)?,
        _ => {
            let mut reader =
                image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
            reader.limits(decoder_limits(limits));
            reader.decode().map_err(corrupt)?.into_rgb8()
        }
    };
    fit(&decoded, side)
}

fn decode_jpeg_scaled(bytes: &[u8], side: u32) -> Result<RgbImage, ImageError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| corrupt("no JPEG header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let ratio = f64::from(side) / f64::from(w.max(h));
    if ratio < 1.0 {
        let scaled =
            |v: u32| u16::try_from((f64::from(v) * ratio).ceil() as u32).unwrap_or(u16::MAX);
        decoder.scale(scaled(w), scaled(h)).map_err(corrupt)?;
    }
    let pixels = decoder.decode().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| corrupt("no JPEG header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0]])
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u16::from(p[3]);
                let channel = |c: u8| u8::try_from(u16::from(c) * k / 255).unwrap_or(u8::MAX);
                [channel(p[0]), channel(p[1]), channel(p[2])]
            })
            .collect(),
    };
    RgbImage::from_raw(w, h, rgb).ok_or_else(|| corrupt("JPEG pixel buffer has the wrong size"))
}

/// Resizes to fit a `side` × `side` box, keeping proportions.
fn fit(image: &RgbImage, side: u32) -> Result<RgbImage, ImageError> {
    let (w, h) = image.dimensions();
    if w.max(h) <= side {
        return Ok(image.clone());
    }
    let scale = f64::from(side) / f64::from(w.max(h));
    let target = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    let (tw, th) = (target(w), target(h));
    let source = DynamicImage::ImageRgb8(image.clone());
    let pixel_type = source
        .pixel_type()
        .ok_or_else(|| corrupt("unsupported pixel type"))?;
    debug_assert_eq!(pixel_type, PixelType::U8x3);
    let mut destination = Image::new(tw, th, PixelType::U8x3);
    Resizer::new()
        .resize(&source, &mut destination, &ResizeOptions::new())
        .map_err(corrupt)?;
    RgbImage::from_raw(tw, th, destination.into_vec())
        .ok_or_else(|| corrupt("resized buffer has the wrong size"))
}

/// The JPEG thumbnail of an already small image.
pub(super) fn encode(image: &RgbImage, side: u32) -> Result<Vec<u8>, ImageError> {
    let small = fit(image, side)?;
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, THUMBNAIL_QUALITY)
        .write_image(
            small.as_raw(),
            small.width(),
            small.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(corrupt)?;
    Ok(out)
}
