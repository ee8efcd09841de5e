//! Orientation first, then every metadata block out, and nothing after the
//! image's end: bytes appended after a JPEG's end marker (an HTML page, a
//! "motion photo" video, secondary pictures) or a PNG's `IEND` never reach
//! storage.

use std::io::Cursor;

use bytes::Bytes;
use image::{ImageEncoder, codecs::jpeg::JpegEncoder, metadata::Orientation};
use img_parts::png::Png;

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

/// True when the photo must be decoded and turned to stand upright.
pub(super) fn needs_rotation(bytes: &[u8]) -> bool {
    exif_orientation(bytes).is_some_and(|o| o != Orientation::NoTransforms)
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
    let rgb = image.into_rgb8();
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

/// Copies the JPEG segment by segment — dropping metadata segments wherever
/// they stand, even between the scans of a progressive photo — and stops
/// at the end-of-image marker: whatever follows it is not part of the photo.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let damaged = || ImageError::Corrupt("JPEG tronqué / truncated JPEG".into());
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    loop {
        // A marker, possibly after fill bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(damaged());
        };
        at += 2;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            _ => {
                let length = bytes
                    .get(at..at + 2)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                    .filter(|l| *l >= 2)
                    .ok_or_else(damaged)?;
                let segment = bytes.get(at..at + length).ok_or_else(damaged)?;
                at += length;
                if keep_jpeg_segment(marker, &segment[2..]) {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(segment);
                }
                if marker == 0xDA {
                    // Entropy-coded data runs to the next marker that is
                    // neither a stuffed 0xFF00 nor a restart marker.
                    let start = at;
                    while let Some(&byte) = bytes.get(at) {
                        let next = bytes.get(at + 1).copied();
                        if byte == 0xFF && !matches!(next, Some(0x00 | 0xD0..=0xD7)) {
                            break;
                        }
                        at += 1;
                    }
                    out.extend_from_slice(&bytes[start..at]);
                }
            }
        }
    }
}

/// PNG chunks that say how to show the pixels; every other (text, Exif,
/// time, private chunks) goes.
const KEPT_PNG_CHUNKS: [&[u8; 4]; 12] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"bKGD",
];

fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, ImageError> {
    let end =
        png_end(bytes).ok_or_else(|| ImageError::Corrupt("PNG sans IEND / no IEND".into()))?;
    let mut png = Png::from_bytes(Bytes::copy_from_slice(&bytes[..end]))
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    png.chunks_mut()
        .retain(|chunk| KEPT_PNG_CHUNKS.contains(&&chunk.kind()));
    let mut out = Vec::with_capacity(bytes.len());
    png.encoder()
        .write_to(&mut out)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}

/// Where the `IEND` chunk ends: the end of the picture.
fn png_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 8;
    loop {
        let header = bytes.get(at..at + 8)?;
        let length = usize::try_from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]))
        .ok()?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        if &header[4..8] == b"IEND" {
            return Some(end);
        }
        at = end;
    }
}
