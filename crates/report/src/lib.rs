//! The tele-expertise report (compte rendu) as a PDF, typeset by typst used
//! as a library.
//!
//! The layout is `report.typ`, compiled into the binary. The report's content
//! reaches it only as data — `/data.json`, read with typst's `json`, and the
//! photos as `/photo-N.jpg` — so no user text is ever parsed as typst markup.

mod data;
mod world;

use consilium_domain::report::{RenderError, RenderReport, Report};
use jiff::tz::TimeZone;
use typst::{
    Library, LibraryExt,
    diag::{SourceDiagnostic, Warned},
    ecow::EcoVec,
    foundations::{Bytes, Datetime, Smart},
    syntax::Source,
    text::{Font, FontBook},
    utils::LazyHash,
};
use typst_pdf::{PdfOptions, Timestamp};

use crate::{
    data::{Data, photo_path},
    world::{ReportWorld, Shared},
};

/// The template.
const TEMPLATE: &str = include_str!("report.typ");

/// How many renders a memoised typst result survives unused; typst's caches
/// are global, and a server renders reports for as long as it runs.
const CACHE_MAX_AGE: usize = 10;

/// Renders reports with typst; build it once (loading the fonts takes a
/// moment) and share it.
pub struct TypstReports {
    shared: Shared,
    /// Where times are shown: French local time, as everywhere in Consilium.
    tz: TimeZone,
}

impl TypstReports {
    /// Loads the bundled fonts and the typst standard library.
    pub fn new() -> Self {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Self {
            shared: Shared {
                library: LazyHash::new(Library::default()),
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
                main: Source::detached(TEMPLATE),
            },
            // Bundled into the binary (jiff's `tzdb-bundle-always`), so it
            // cannot be missing; UTC is only there to avoid a panic path.
            tz: TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC),
        }
    }
}

impl Default for TypstReports {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for TypstReports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypstReports")
            .field("fonts", &self.shared.fonts.len())
            .field("tz", &self.tz.iana_name())
            .finish_non_exhaustive()
    }
}

impl RenderReport for TypstReports {
    fn render(&self, report: &Report) -> Result<Vec<u8>, RenderError> {
        let json = serde_json::to_vec(&Data::new(report, &self.tz))
            .map_err(|e| RenderError(format!("données : {e}")))?;
        let files = std::iter::once(("/data.json".to_owned(), Bytes::new(json))).chain(
            report
                .photos
                .iter()
                .enumerate()
                .map(|(n, photo)| (photo_path(n), Bytes::new(photo.jpeg.clone()))),
        );
        let generated = report.generated_at.to_zoned(self.tz.clone());
        let datetime = Datetime::from_ymd_hms(
            i32::from(generated.year()),
            generated.month().unsigned_abs(),
            generated.day().unsigned_abs(),
            generated.hour().unsigned_abs(),
            generated.minute().unsigned_abs(),
            generated.second().unsigned_abs(),
        );
        let today = Datetime::from_ymd(
            i32::from(generated.year()),
            generated.month().unsigned_abs(),
            generated.day().unsigned_abs(),
        );
        let world = ReportWorld::new(&self.shared, files, today);

        let Warned { output, .. } = typst::compile(&world);
        typst::comemo::evict(CACHE_MAX_AGE);
        let document = output.map_err(|e| diagnostics("mise en page", &e))?;
        let options = PdfOptions {
            // Same report, same version: same PDF, byte for byte.
            ident: Smart::Custom(format!("{}/v{}", report.reference, report.version)),
            timestamp: datetime
                .and_then(|d| Timestamp::new_local(d, generated.offset().seconds() / 60)),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|e| diagnostics("PDF", &e))
    }
}

/// typst's errors in one line. They point at the template (a bug) or at a
/// photo typst could not decode.
fn diagnostics(stage: &str, errors: &EcoVec<SourceDiagnostic>) -> RenderError {
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    RenderError(format!("{stage} : {}", messages.join(" ; ")))
}

#[cfg(test)]
mod tests;
