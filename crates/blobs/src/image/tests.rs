use std::io::Cursor;

use bytes::Bytes;
use image::{ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder};
use img_parts::{ImageEXIF, jpeg::Jpeg};

use super::*;

/// A photo-like image: smooth gradients plus fine detail (sharp edges).
fn textured(w: u32, h: u32) -> RgbImage {
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

fn blurred(image: &RgbImage, radius: u32) -> RgbImage {
    image::imageops::blur(image, radius as f32)
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
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
fn exif_with_gps(orientation: u16) -> Vec<u8> {
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

fn with_exif(jpeg_bytes: &[u8], tiff: Vec<u8>) -> Vec<u8> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(jpeg_bytes)).unwrap();
    jpeg.set_exif(Some(Bytes::from(tiff)));
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).unwrap();
    out
}

fn has_exif(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok()
}

#[test]
fn gps_and_every_exif_field_are_removed() {
    let original = with_exif(&jpeg(&textured(64, 48)), exif_with_gps(1));
    assert!(has_exif(&original), "the test photo carries Exif");
    let ingested = ingest(&original, Limits::default()).unwrap();
    assert_eq!(ingested.kind, Kind::Jpeg);
    assert!(!has_exif(&ingested.cleaned));
    assert!(!ingested.cleaned.windows(4).any(|w| w == b"Exif"));
    assert!(!ingested.cleaned.windows(10).any(|w| w == b"PhoneMaker"));
    assert_eq!(ingested.dimensions, Some((64, 48)));
    let thumbnail = ingested.thumbnail.unwrap();
    assert_eq!(sniff(&thumbnail), Ok(Kind::Jpeg));
    assert!(!has_exif(&thumbnail));
}

#[test]
fn orientation_is_applied_before_the_exif_goes() {
    // Orientation 6: the camera was turned; the stored photo must be upright.
    let original = with_exif(&jpeg(&textured(80, 40)), exif_with_gps(6));
    let ingested = ingest(&original, Limits::default()).unwrap();
    assert_eq!(ingested.dimensions, Some((40, 80)));
    assert!(!has_exif(&ingested.cleaned));
}

/// A PNG that announces `w` × `h` pixels in a few bytes.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
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
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn a_pixel_bomb_is_refused_from_its_header() {
    let bomb = png_header_only(20_000, 20_000);
    let started = std::time::Instant::now();
    let err = ingest(&bomb, Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ImageError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        started.elapsed().as_millis() < 1000,
        "refused before decoding"
    );
}

#[test]
fn types_sizes_and_damage() {
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    let ingested = ingest(pdf, Limits::default()).unwrap();
    assert_eq!(
        (ingested.kind, ingested.thumbnail.is_none()),
        (Kind::Pdf, true)
    );
    assert_eq!(
        ingest(b"\0\0\0\x18ftypheic\0\0\0\0", Limits::default()).unwrap_err(),
        ImageError::Heic
    );
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert!(matches!(
        ingest(pdf, small),
        Err(ImageError::TooLarge { .. })
    ));
    let mut truncated = jpeg(&textured(64, 64));
    truncated.truncate(200);
    assert!(ingest(&truncated, Limits::default()).is_err());
}

#[test]
fn blurred_dark_and_sharp_photos_are_told_apart() {
    let sharp = textured(1600, 1200);
    let good = ingest(&jpeg(&sharp), Limits::default())
        .unwrap()
        .quality
        .unwrap();
    assert_eq!(good.hint(), QualityHint::Fine, "{good:?}");
    let soft = ingest(&jpeg(&blurred(&sharp, 6)), Limits::default())
        .unwrap()
        .quality
        .unwrap();
    assert_eq!(soft.hint(), QualityHint::Blurred, "{soft:?}");
    assert!(soft.sharpness < good.sharpness / 4.0);
    let dark = RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([u8::try_from((x + y) % 12).unwrap_or(0); 3])
    });
    let dim = ingest(&jpeg(&dark), Limits::default())
        .unwrap()
        .quality
        .unwrap();
    assert_eq!(dim.hint(), QualityHint::TooDark, "{dim:?}");
}
