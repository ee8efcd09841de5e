//! `GET /api/cases` and `GET /api/cases/{id}`.

use axum::{
    Json,
    extract::{Path, State},
};
use consilium_store::StoreError;
use uuid::Uuid;

use super::schema::{ApiCase, ApiError};
use crate::{AppState, SignedIn, WebError};

/// `GET /api/cases`: the cases the caller may read.
#[utoipa::path(
    get,
    path = "/api/cases",
    operation_id = "list_cases",
    tag = "api",
    responses(
        (status = 200, description = "The requests the caller may read, newest first (one audited search)", body = [ApiCase]),
        (status = 401, description = "No valid token or session", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Json<Vec<ApiCase>>, WebError> {
    let cases = state
        .store
        .cases(&signed_in.actor, state.clock.now())
        .await?;
    Ok(Json(cases.into_iter().map(ApiCase::from).collect()))
}

/// `GET /api/cases/{id}`: 404 for a case the caller may not read.
#[utoipa::path(
    get,
    path = "/api/cases/{id}",
    operation_id = "read_case",
    tag = "api",
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request (an audited read)", body = ApiCase),
        (status = 401, description = "No valid token or session", body = ApiError),
        (status = 404, description = "No such request, or one the caller may not read: the same answer", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ApiCase>, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| StoreError::NotFound {
        what: "dossier",
        key: id.clone(),
    })?;
    Ok(Json(
        state
            .store
            .case(&signed_in.actor, id, state.clock.now())
            .await?
            .into(),
    ))
}
