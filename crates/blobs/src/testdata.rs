//! Sample files for tests: photo-like JPEGs with Exif and GPS, and PNGs that
//! announce more pixels than they carry.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Cursor;

use bytes::Bytes;
use image::{ImageEncoder, RgbImage};
use img_parts::{ImageEXIF, jpeg::Jpeg};

/// A photo-like image: smooth gradients plus fine detail (sharp edges).
pub fn textured(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let detail = if (x / 3 + y / 3) % 2 == 0 { 60 } else { 0 };
        let r = u8::try_from((x * 200 / w.max(1)) % 256)
            .unwrap_or(0)
            .saturating_add(detail);
        let g = u8::try_from((y * 180 / h.max(1)) % 256)
            .unwrap_or(0)
            .saturating_add(detail);
        image::Rgb([r, g, 120])
    })
}

pub fn blurred(image: &RgbImage, radius: u32) -> RgbImage {
    image::imageops::blur(image, radius as f32)
}

pub fn jpeg(image: &RgbImage) -> Vec<u8> {
    crate::image::synthetic::jpeg(image).unwrap()
}

pub fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// A TIFF (Exif) block with an orientation and a GPS position.
pub fn exif_with_gps(orientation: u16) -> Vec<u8> {
    use exif::{Field, In, Tag, Value, experimental::Writer};
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(47, 1).into(), (19, 1).into(), (5, 1).into()]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"PhoneMaker".to_vec()]),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    tiff.into_inner()
}

pub fn with_exif(jpeg_bytes: &[u8], tiff: Vec<u8>) -> Vec<u8> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(jpeg_bytes)).unwrap();
    jpeg.set_exif(Some(Bytes::from(tiff)));
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).unwrap();
    out
}

/// A PNG that announces `w` × `h` pixels in a few bytes.
pub fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    png_header(w, h, false)
}

/// The same, interlaced (Adam7): it cannot be decoded row by row.
pub fn png_header_only_interlaced(w: u32, h: u32) -> Vec<u8> {
    png_header(w, h, true)
}

/// A real, all-black RGB PNG of `w` × `h`: a few hundred KB that decode to
/// `3 × w × h` bytes. Written row by row, so making it costs no memory.
pub fn black_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; w as usize * 3];
        for _ in 0..h {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
        writer.finish().unwrap();
    }
    out
}

fn png_header(w: u32, h: u32, interlaced: bool) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        c.extend_from_slice(&crc.finalize().to_be_bytes());
        c
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, u8::from(interlaced)]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// A JPEG photo of `w` × `h` carrying Exif with a GPS position.
pub fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    with_exif(&jpeg(&textured(w, h)), exif_with_gps(1))
}

/// A one-page PDF whose catalog also holds `extra` entries (`/Key value`).
pub fn pdf(extra: &[(&str, &str)]) -> Vec<u8> {
    pdf_padded(extra, 0)
}

/// The same, with a stream of `padding` pseudo-random bytes (a large scan).
pub fn pdf_padded(extra: &[(&str, &str)], padding: usize) -> Vec<u8> {
    let catalog_extra: String = extra.iter().map(|(k, v)| format!(" /{k} {v}")).collect();
    let mut noise = Vec::with_capacity(padding);
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    while noise.len() < padding {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    noise.truncate(padding);
    let mut objects: Vec<Vec<u8>> = vec![
        format!("<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>").into_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".to_vec(),
    ];
    if padding > 0 {
        let mut stream = format!("<< /Length {padding} >>\nstream\n").into_bytes();
        stream.extend_from_slice(&noise);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
