use std::io::Cursor;

use image::RgbImage;

use super::*;
use crate::testdata::{blurred, exif_with_gps, jpeg, png, png_header_only, textured, with_exif};

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
    let pdf = &crate::testdata::pdf(&[]);
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

#[test]
fn nothing_after_the_end_of_the_image_is_kept() {
    let photo = jpeg(&textured(64, 48));
    let mut appended = photo.clone();
    appended.extend_from_slice(b"<html><script>alert(1)</script></html>");
    appended.extend_from_slice(b"\0\0\0\x18ftypmp42 motion photo video");
    let cleaned = ingest(&appended, Limits::default()).unwrap().cleaned;
    assert!(cleaned.ends_with(&[0xFF, 0xD9]));
    assert!(!cleaned.windows(6).any(|w| w == b"<html>" || w == b"motion"));
    assert_eq!(cleaned, ingest(&photo, Limits::default()).unwrap().cleaned);

    let picture = png(&textured(40, 30));
    let mut trailed = picture.clone();
    trailed.extend_from_slice(b"<html>after IEND</html>");
    let cleaned = ingest(&trailed, Limits::default()).unwrap().cleaned;
    assert!(!cleaned.windows(6).any(|w| w == b"<html>"));
    assert!(cleaned.ends_with(b"IEND\xAE\x42\x60\x82"));
}

#[test]
fn private_png_chunks_are_dropped() {
    let picture = png(&textured(40, 30));
    let mut with_private = img_parts::png::Png::from_bytes(picture.into()).unwrap();
    let chunk = img_parts::png::PngChunk::new(*b"prVt", bytes::Bytes::from_static(b"GPS 47.3,5.0"));
    with_private.chunks_mut().insert(1, chunk);
    let mut bytes = Vec::new();
    with_private.encoder().write_to(&mut bytes).unwrap();
    let cleaned = ingest(&bytes, Limits::default()).unwrap().cleaned;
    assert!(!cleaned.windows(4).any(|w| w == b"prVt"));
}

#[test]
fn a_large_png_is_read_row_by_row_and_scored_like_a_photo() {
    let sharp = textured(2600, 1950);
    let fine = ingest(&png(&sharp), Limits::default()).unwrap();
    assert_eq!(fine.dimensions, Some((2600, 1950)));
    assert_eq!(
        fine.quality.unwrap().hint(),
        QualityHint::Fine,
        "{:?}",
        fine.quality
    );
    let soft = ingest(&png(&blurred(&sharp, 6)), Limits::default()).unwrap();
    assert_eq!(
        soft.quality.unwrap().hint(),
        QualityHint::Blurred,
        "{:?}",
        soft.quality
    );
    let thumbnail = image::load_from_memory(&fine.thumbnail.unwrap()).unwrap();
    assert_eq!((thumbnail.width(), thumbnail.height()), (480, 360));
    // A black 7000 × 7000 PNG: 143 KB that would decode to 147 MB.
    let black = crate::testdata::black_png(7000, 7000);
    assert!(black.len() < 300_000, "{}", black.len());
    let ingested = ingest(&black, Limits::default()).unwrap();
    assert_eq!(ingested.quality.unwrap().hint(), QualityHint::TooDark);
}
