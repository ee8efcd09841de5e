//! `GET /dossiers/{id}/compte-rendu/{report}`: a report version as a PDF
//! download, decrypted for whoever may read the request (audited).

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, PageError},
};

/// The PDF, as an attachment named after the request and the version.
pub async fn download(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, report)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(case_id), Ok(report_id)) = (Uuid::parse_str(&id), Uuid::parse_str(&report)) else {
        return Ok(page::not_found(lang));
    };
    let (doc, case, pdf) = state
        .store
        .read_report(&signed_in.actor, &state.blobs, report_id, state.clock.now())
        .await
        .in_lang(lang)?;
    if case.id != case_id {
        return Ok(page::not_found(lang));
    }
    let name = format!("compte-rendu-{}-v{}.pdf", case.reference, doc.version);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        pdf,
    )
        .into_response())
}
