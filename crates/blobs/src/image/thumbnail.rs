//! Small versions of a photo: for the analysis of its quality and for the
//! thumbnail. A JPEG is decoded at a reduced DCT scale (1/2 to 1/8), which
//! is several times faster than a full decode of a 12 MP photo; a large PNG
//! is read row by row and averaged down as it comes, so its pixels are
//! never all in memory at once (a 7000 × 7000 PNG of 143 KB would otherwise
//! take 150 MB, twice over).

use std::io::Cursor;

use fast_image_resize::{PixelType, ResizeOptions, Resizer, images::Image};
use image::{ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder};

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
        _ if png_streams(bytes) => decode_png_streamed(bytes, 2 * side)?,
        _ => {
            let mut reader =
                image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
            reader.limits(decoder_limits(limits));
            reader.decode().map_err(corrupt)?.into_rgb8()
        }
    };
    fit(decoded, side)
}

/// The pixels a scaled JPEG decode for the analysis holds: the DCT scale
/// (1, 1/2, 1/4 or 1/8) keeps the longest side at least [`ANALYSIS_SIDE`].
pub(super) fn scaled_jpeg_pixels(width: u32, height: u32) -> u64 {
    let longest = width.max(height);
    let divisor = [8, 4, 2]
        .into_iter()
        .find(|d| longest.div_ceil(*d) >= ANALYSIS_SIDE)
        .unwrap_or(1);
    u64::from(width.div_ceil(divisor)) * u64::from(height.div_ceil(divisor))
}

/// True for a PNG read row by row: not interlaced, and large enough that
/// reducing it as it is read is worth it.
pub(super) fn png_streams(bytes: &[u8]) -> bool {
    png::Decoder::new(Cursor::new(bytes))
        .read_header_info()
        .is_ok_and(|info| !info.interlaced && info.width.max(info.height) > 2 * ANALYSIS_SIDE)
}

/// The most pixels a streamed PNG decode holds (its reduced image).
pub(super) fn png_stream_pixels() -> u64 {
    u64::from(2 * ANALYSIS_SIDE).pow(2)
}

/// Reads a non-interlaced PNG row by row and averages each block of source
/// pixels into one pixel of an image whose longest side is `side`: only
/// one source row and one row of sums are held at a time.
fn decode_png_streamed(bytes: &[u8], side: u32) -> Result<RgbImage, ImageError> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let (width, height) = reader.info().size();
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(corrupt("PNG palette not expanded")),
    };
    let scale = f64::from(side) / f64::from(width.max(height));
    let target = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, v);
    let (tw, th) = (target(width), target(height));
    // Which target column each source column falls in, and how many fall in each.
    let column: Vec<usize> = (0..u64::from(width))
        .map(|x| usize::try_from(x * u64::from(tw) / u64::from(width)).unwrap_or(0))
        .collect();
    let mut per_column = vec![0u64; tw as usize];
    for &c in &column {
        per_column[c] += 1;
    }
    let mut out = RgbImage::new(tw, th);
    let mut sums = vec![0u64; tw as usize * 3];
    let (mut current, mut rows) = (0u32, 0u64);
    let mut flush = |row: u32, rows: u64, sums: &mut [u64]| {
        for (x, sum) in sums.chunks_exact_mut(3).enumerate() {
            let count = (per_column[x] * rows).max(1);
            let mean = |s: u64| u8::try_from(s / count).unwrap_or(u8::MAX);
            let x = u32::try_from(x).unwrap_or(0);
            out.put_pixel(
                x,
                row,
                image::Rgb([mean(sum[0]), mean(sum[1]), mean(sum[2])]),
            );
            sum.fill(0);
        }
    };
    let mut y = 0u64;
    while let Some(row) = reader.next_row().map_err(corrupt)? {
        let target_row = u32::try_from(y * u64::from(th) / u64::from(height)).unwrap_or(0);
        if target_row != current {
            flush(current, rows, &mut sums);
            (current, rows) = (target_row, 0);
        }
        for (x, pixel) in row.data().chunks_exact(channels).enumerate() {
            let rgb = if channels < 3 {
                [pixel[0]; 3]
            } else {
                [pixel[0], pixel[1], pixel[2]]
            };
            let at = column[x] * 3;
            for (sum, value) in sums[at..at + 3].iter_mut().zip(rgb) {
                *sum += u64::from(value);
            }
        }
        rows += 1;
        y += 1;
    }
    if y != u64::from(height) {
        return Err(corrupt("PNG truncated"));
    }
    flush(current, rows, &mut sums);
    Ok(out)
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
fn fit(image: RgbImage, side: u32) -> Result<RgbImage, ImageError> {
    let (w, h) = image.dimensions();
    if w.max(h) <= side {
        return Ok(image);
    }
    let scale = f64::from(side) / f64::from(w.max(h));
    let target = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    let (tw, th) = (target(w), target(h));
    let mut destination = Image::new(tw, th, PixelType::U8x3);
    Resizer::new()
        .resize(&image, &mut destination, &ResizeOptions::new())
        .map_err(corrupt)?;
    RgbImage::from_raw(tw, th, destination.into_vec())
        .ok_or_else(|| corrupt("resized buffer has the wrong size"))
}

/// The JPEG thumbnail of an already small image.
pub(super) fn encode(image: &RgbImage, side: u32) -> Result<Vec<u8>, ImageError> {
    let small = fit(image.clone(), side)?;
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
