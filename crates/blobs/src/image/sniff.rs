use super::ImageError;

/// The types Consilium accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// PDF document (an ECG, a letter).
    Pdf,
}

impl Kind {
    /// The media type stored and served (never the client's).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    /// What it is, in French words.
    pub fn name_fr(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Pdf => "PDF",
        }
    }

    /// The file extension for downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }
}

/// Refuses a file whose client-declared media type is not its real one
/// (a JPEG sent as `text/html`). Nothing declared, or the browser's
/// "unknown" (`application/octet-stream`), passes.
pub fn check_declared(kind: Kind, declared: Option<&str>) -> Result<(), ImageError> {
    let Some(declared) = declared
        .map(|d| {
            d.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|d| !d.is_empty() && d != "application/octet-stream")
    else {
        return Ok(());
    };
    let aliases: &[&str] = match kind {
        Kind::Jpeg => &["image/jpeg", "image/jpg", "image/pjpeg"],
        Kind::Png => &["image/png", "image/x-png"],
        Kind::Pdf => &["application/pdf", "application/x-pdf"],
    };
    if aliases.contains(&declared.as_str()) {
        Ok(())
    } else {
        Err(ImageError::TypeMismatch {
            declared,
            actual: kind.name_fr(),
        })
    }
}

/// The real type of a file, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Result<Kind, ImageError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Jpeg);
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok(Kind::Png);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    // ISO base media: size, then "ftyp" and a brand.
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [
            &b"heic"[..],
            b"heix",
            b"hevc",
            b"heim",
            b"heis",
            b"mif1",
            b"msf1",
            b"avif",
        ]
        .contains(&brand)
        {
            return Err(ImageError::Heic);
        }
    }
    Err(ImageError::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE1, 0]), Ok(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Ok(Kind::Png));
        assert_eq!(sniff(b"%PDF-1.7\n"), Ok(Kind::Pdf));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(ImageError::Heic));
        assert_eq!(sniff(b"GIF89a......"), Err(ImageError::Unsupported));
        assert_eq!(sniff(b"<html>"), Err(ImageError::Unsupported));
        assert!(ImageError::Heic.to_string().contains("JPEG"));
        assert_eq!(check_declared(Kind::Jpeg, None), Ok(()));
        assert_eq!(check_declared(Kind::Jpeg, Some("image/JPEG")), Ok(()));
        assert_eq!(
            check_declared(Kind::Png, Some("application/octet-stream")),
            Ok(())
        );
        assert_eq!(
            check_declared(Kind::Pdf, Some("application/pdf; x=1")),
            Ok(())
        );
        assert!(matches!(
            check_declared(Kind::Jpeg, Some("text/html")),
            Err(ImageError::TypeMismatch { .. })
        ));
        assert!(check_declared(Kind::Png, Some("image/jpeg")).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = sniff(&bytes);
        }
    }
}
