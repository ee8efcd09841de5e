//! What every uploaded file goes through before it is stored: its real type
//! is sniffed (never trusted from the client), its size and pixel count are
//! bounded before anything is decoded, Exif orientation is applied and then
//! every metadata block (Exif, GPS, XMP, IPTC, comments) is removed, a
//! thumbnail is made and the photo's sharpness and exposure are scored.

mod budget;
mod pdf;
mod quality;
mod sniff;
mod strip;
pub mod synthetic;
mod thumbnail;

pub use budget::{DecodeBudget, working_memory};
pub use quality::{Quality, QualityHint};
pub use sniff::{Kind, check_declared, sniff};

/// Bounds on what is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes (default 25 MB).
    pub max_bytes: usize,
    /// Largest image, in pixels (default 50 megapixels: a 48 MP phone photo passes).
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            max_pixels: 50_000_000,
        }
    }
}

/// Why a file is refused; the messages tell a GP what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Over the size limit.
    #[error("fichier trop volumineux (maximum {max_mb} Mo) / file too large (at most {max_mb} MB)")]
    TooLarge {
        /// The limit, in MB.
        max_mb: usize,
    },
    /// An HEIC/HEIF photo (iPhone default).
    #[error(
        "photo au format HEIC : réglez l'iPhone sur « Le plus compatible » (Réglages > Appareil photo > Formats) ou envoyez-la en JPEG / HEIC photo: set the iPhone to \"Most Compatible\" (Settings > Camera > Formats) or send it as JPEG"
    )]
    Heic,
    /// Not a JPEG, PNG or PDF.
    #[error(
        "type de fichier non accepté : envoyez une photo JPEG ou PNG, ou un PDF / file type not accepted: send a JPEG or PNG photo, or a PDF"
    )]
    Unsupported,
    /// Too many pixels (or a decompression bomb).
    #[error(
        "image trop grande ({width} × {height} pixels, maximum {max_mp} mégapixels) / image too large ({width} × {height} pixels, at most {max_mp} megapixels)"
    )]
    TooManyPixels {
        /// Width announced by the file.
        width: u32,
        /// Height announced by the file.
        height: u32,
        /// The limit, in megapixels.
        max_mp: u64,
    },
    /// The type the client announced is not the file's.
    #[error(
        "le fichier annoncé comme « {declared} » est en réalité un fichier {actual} : renvoyez-le tel quel depuis l'appareil / the file announced as '{declared}' is really {actual}: send it as it is from the device"
    )]
    TypeMismatch {
        /// What the client said.
        declared: String,
        /// What the file is.
        actual: &'static str,
    },
    /// A PDF that can run code or carries other files.
    #[error(
        "PDF avec contenu actif (JavaScript, lancement de programme, formulaire ou fichier joint) : imprimez-le dans un nouveau PDF avant de l'envoyer / PDF with active content (JavaScript, program launch, form or attached file): print it to a new PDF before sending it"
    )]
    ActivePdf,
    /// A password-protected PDF.
    #[error(
        "PDF protégé par mot de passe : enregistrez-le sans protection avant de l'envoyer / password-protected PDF: save it without protection before sending it"
    )]
    EncryptedPdf,
    /// The file is damaged. The decoder's words are logged, never shown.
    #[error(
        "fichier illisible ou endommagé : renvoyez-le depuis l'appareil / unreadable or damaged file: send it again from the device"
    )]
    Corrupt(String),
}

/// A file ready to be stored.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// Its real type.
    pub kind: Kind,
    /// The bytes to store: for images, oriented and without any metadata.
    pub cleaned: Vec<u8>,
    /// A JPEG thumbnail (images only).
    pub thumbnail: Option<Vec<u8>>,
    /// Pixel size after orientation (images only).
    pub dimensions: Option<(u32, u32)>,
    /// Sharpness and exposure (images only).
    pub quality: Option<Quality>,
}

/// Checks, cleans, thumbnails and scores an uploaded file.
pub fn ingest(bytes: &[u8], limits: Limits) -> Result<Ingested, ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooLarge {
            max_mb: limits.max_bytes / (1024 * 1024),
        });
    }
    let kind = sniff(bytes)?;
    if kind == Kind::Pdf {
        pdf::check(bytes)?;
        return Ok(Ingested {
            kind,
            cleaned: bytes.to_vec(),
            thumbnail: None,
            dimensions: None,
            quality: None,
        });
    }
    check_pixels(bytes, kind, limits)?;
    let cleaned = strip::clean(bytes, kind, limits)?;
    let small = thumbnail::decode_small(&cleaned, kind, thumbnail::ANALYSIS_SIDE, limits)?;
    let quality = quality::score(&small);
    let thumbnail = thumbnail::encode(&small, thumbnail::THUMBNAIL_SIDE)?;
    let dimensions = image::ImageReader::new(std::io::Cursor::new(&cleaned))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok());
    Ok(Ingested {
        kind,
        cleaned,
        thumbnail: Some(thumbnail),
        dimensions,
        quality: Some(quality),
    })
}

/// [`ingest`] on a blocking thread, so decoding never stalls the server's
/// request handling, once its working memory is reserved from `budget`.
/// A type the client `declared` that the file is not is refused first.
pub async fn ingest_blocking(
    bytes: Vec<u8>,
    declared: Option<&str>,
    limits: Limits,
    budget: &DecodeBudget,
) -> Result<Ingested, ImageError> {
    let kind = sniff(&bytes)?;
    check_declared(kind, declared)?;
    let needed = working_memory(&bytes, kind, limits);
    let reserved = budget.reserve(needed).await;
    let ingested = tokio::task::spawn_blocking(move || ingest(&bytes, limits)).await;
    drop(reserved);
    let ingested = ingested.unwrap_or_else(|e| Err(ImageError::Corrupt(e.to_string())));
    if let Err(ImageError::Corrupt(detail)) = &ingested {
        tracing::info!(detail, "upload refused as damaged");
    }
    ingested
}

/// Reads the dimensions from the header alone and refuses oversized images
/// before a single pixel is decoded (a 20 000 × 20 000 PNG of a few hundred
/// KB never gets its 1.6 GB buffer).
fn check_pixels(bytes: &[u8], kind: Kind, limits: Limits) -> Result<(), ImageError> {
    let format = match kind {
        Kind::Jpeg => image::ImageFormat::Jpeg,
        _ => image::ImageFormat::Png,
    };
    let (width, height) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageError::TooManyPixels {
            width,
            height,
            max_mp: limits.max_pixels / 1_000_000,
        });
    }
    Ok(())
}

/// Decoder limits matching `limits`, as a second line of defence.
pub(crate) fn decoder_limits(limits: Limits) -> image::Limits {
    let mut decoder = image::Limits::default();
    let side = u32::try_from(limits.max_pixels).unwrap_or(u32::MAX);
    decoder.max_image_width = Some(side);
    decoder.max_image_height = Some(side);
    decoder.max_alloc = Some(
        limits
            .max_pixels
            .saturating_mul(4)
            .saturating_add(64 * 1024 * 1024),
    );
    decoder
}

#[cfg(test)]
mod tests;
