//! `POST /dossiers/{id}/avis`: the expert signs and sends the advice (or a
//! correction, as a new version); the report is made with it.

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use consilium_domain::expertise::{Advice, Visit};
use consilium_store::expertise::StepError;

use super::{after_step, case_id, field};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, PageError},
};

/// `POST /dossiers/{id}/avis`: `hypothesis`, `icd10`, `management`, `visit`, `note`.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let Some(id) = case_id(&id) else {
        return Ok(page::not_found(lang));
    };
    let advice = Visit::parse(&field(&body, "visit"))
        .ok_or_else(|| {
            StepError::Invalid(
                lang.t(
                    "Indiquez si une consultation en présentiel est nécessaire",
                    "Say whether an in-person visit is needed",
                )
                .into(),
            )
        })
        .and_then(|visit| {
            Advice::new(
                &field(&body, "hypothesis"),
                &field(&body, "icd10"),
                &field(&body, "management"),
                visit,
                &field(&body, "note"),
            )
            .map_err(|e| StepError::Invalid(e.to_string()))
        });
    // The page's one-time key: a double click sends one advice, not two versions.
    let key = Some(field(&body, "key")).filter(|k| !k.is_empty() && k.len() <= 100);
    let result = match advice {
        Ok(advice) => {
            state
                .store
                .advise(
                    &signed_in.actor,
                    &state.report_kit(),
                    id,
                    &advice,
                    key.as_deref(),
                    state.clock.now(),
                )
                .await
        }
        Err(e) => Err(e),
    };
    after_step(&state, lang, &signed_in, id, result, "?fait=avis#avis").await
}
