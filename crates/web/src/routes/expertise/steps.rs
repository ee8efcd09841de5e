//! `POST /dossiers/{id}/prise|refus|attribution|cloture`: the moves that
//! carry no text but a reason.

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use consilium_domain::expertise::{DeclineKind, Step};
use consilium_store::expertise::StepError;
use uuid::Uuid;

use super::{after_step, case_id, field};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, PageError},
};

async fn run(
    state: AppState,
    lang: Lang,
    signed_in: SignedIn,
    id: &str,
    step: Result<Step, StepError>,
    done: &str,
) -> Result<Response, PageError> {
    let Some(id) = case_id(id) else {
        return Ok(page::not_found(lang));
    };
    let result = match step {
        Ok(step) => {
            state
                .store
                .move_request(&signed_in.actor, id, &step, state.clock.now())
                .await
        }
        Err(e) => Err(e),
    };
    after_step(&state, lang, &signed_in, id, result, done).await
}

/// `POST /dossiers/{id}/prise`: an expert accepts the request.
pub async fn take(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    run(
        state,
        lang,
        signed_in,
        &id,
        Ok(Step::Take),
        "?fait=prise#echanges",
    )
    .await
}

/// `POST /dossiers/{id}/cloture`: the requester closes after reading.
pub async fn close(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    run(
        state,
        lang,
        signed_in,
        &id,
        Ok(Step::Close),
        "?fait=cloture",
    )
    .await
}

/// `POST /dossiers/{id}/refus`: `reason_kind` (a [`DeclineKind`] code,
/// "other" when absent), `reason` (required), `team` (optional).
pub async fn decline(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let team = field(&body, "team");
    let kind = match field(&body, "reason_kind").as_str() {
        "" => Ok(DeclineKind::Other),
        code => DeclineKind::parse(code)
            .map_err(|_| StepError::Invalid(lang.t("Motif inconnu", "Unknown reason").into())),
    };
    let step = match team.as_str() {
        "" => Ok(None),
        t => Uuid::parse_str(t)
            .map(Some)
            .map_err(|_| StepError::Invalid(lang.t("Équipe inconnue", "Unknown team").into())),
    }
    .and_then(|transfer_to| {
        Ok(Step::Decline {
            kind: kind?,
            reason: field(&body, "reason"),
            transfer_to,
        })
    });
    run(state, lang, signed_in, &id, step, "?fait=refus").await
}

/// `POST /dossiers/{id}/attribution`: `expert`.
pub async fn assign(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let step = Uuid::parse_str(&field(&body, "expert"))
        .map(|expert_id| Step::Assign { expert_id })
        .map_err(|_| StepError::Invalid(lang.t("Choisissez un expert", "Choose an expert").into()));
    run(state, lang, signed_in, &id, step, "?fait=attribution").await
}
