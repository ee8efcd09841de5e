//! `GET /api/cases` and `GET /api/cases/{id}`.

use axum::{
    Json,
    extract::{Path, State},
};
use consilium_store::{StoreError, cases::CaseView};
use uuid::Uuid;

use crate::{AppState, SignedIn, WebError};

/// `GET /api/cases`: the cases the caller may read.
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Vec<CaseView>>, WebError> {
    Ok(Json(
        state
            .store
            .cases(&signed_in.actor, state.clock.now())
            .await?,
    ))
}

/// `GET /api/cases/{id}`: 404 for a case the caller may not read.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| StoreError::NotFound {
        what: "dossier",
        key: id.clone(),
    })?;
    Ok(Json(
        state
            .store
            .case(&signed_in.actor, id, state.clock.now())
            .await?,
    ))
}
