use std::io::Cursor;

use image::RgbImage;

use super::*;
use crate::testdata::{blurred, exif_with_gps, jpeg, png_header_only, textured, with_exif};

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
