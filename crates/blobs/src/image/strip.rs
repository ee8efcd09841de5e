//! Orientation first, then every metadata block out.

use std::io::Cursor;

use bytes::Bytes;
use image::{ImageEncoder, codecs::jpeg::JpegEncoder, metadata::Orientation};
use img_parts::{jpeg::Jpeg, png::Png};

use super::{ImageError, Kind, Limits, decoder_limits};

/// JPEG quality when a photo must be re-encoded (to apply its orientation).
const REENCODE_QUALITY: u8 = 92;

/// The image as it will be stored: upright, and with no Exif, GPS, XMP,
/// IPTC or comment left. Upright JPEGs and all PNGs keep their pixels
/// byte for byte (only metadata segments are dropped).
pub(super) fn clean(bytes: &[u8], kind: Kind, limits: Limits) -> Result<Vec<u8>, ImageError> {
    match kind {
        Kind::Jpeg => match exif_orientation(bytes) {
            Some(orientation) if orientation != Orientation::NoTransforms => {
                reencode_upright(bytes, orientation, limits)
            }
            _ => strip_jpeg(bytes),
        },
        Kind::Png => strip_png(bytes),
        Kind::Pdf => Ok(bytes.to_vec()),
    }
}

fn exif_orientation(bytes: &[u8]) -> Option<Orientation> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    Orientation::from_exif(u8::try_from(value).ok()?)
}

fn reencode_upright(
    bytes: &[u8],
    orientation: Orientation,
    limits: Limits,
) -> Result<Vec<u8>, ImageError> {
    let corrupt = |e: image::ImageError| ImageError::Corrupt(e.to_string());
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg);
    reader.limits(decoder_limits(limits));
    let mut image = reader.decode().map_err(corrupt)?;
    image.apply_orientation(orientation);
    let rgb = image.to_rgb8();
    let mut out = Vec::with_capacity(bytes.len());
    JpegEncoder::new_with_quality(&mut out, REENCODE_QUALITY)
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(corrupt)?;
    Ok(out)
}

/// APP0 (JFIF), an ICC profile in APP2 and APP14 (Adobe colour transform)
/// stay: they say how to show the pixels and identify nobody.
fn keep_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        0xE0 => contents.starts_with(b"JFIF\0"),
        0xE2 => contents.starts_with(b"ICC_PROFILE\0"),
        0xEE => contents.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    jpeg.segments_mut()
        .retain(|segment| keep_jpeg_segment(segment.marker(), segment.contents()));
    let mut out = Vec::with_capacity(bytes.len());
    jpeg.encoder()
        .write_to(&mut out)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}

fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    png.chunks_mut().retain(|chunk| {
        !matches!(
            &chunk.kind(),
            b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"
        )
    });
    let mut out = Vec::with_capacity(bytes.len());
    png.encoder()
        .write_to(&mut out)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}
