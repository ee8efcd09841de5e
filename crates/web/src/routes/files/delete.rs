//! `DELETE /files/{id}`: the termination extension.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
};

use super::{TUS_VERSION, TusError, check_version, upload_id};
use crate::{AppState, SignedIn};

/// Cancels the upload and deletes what it stored.
#[utoipa::path(
    delete,
    path = "/files/{id}",
    operation_id = "upload_cancel",
    tag = "uploads",
    params(("id" = uuid::Uuid, Path, description = "The upload"), ("Tus-Resumable" = inline(crate::routes::api::schema::TusVersion), Header, description = "The protocol version (required)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = crate::routes::api::schema::ApiError),
        (status = 404, description = "No such upload of the caller's", body = String, content_type = "text/plain"),
        (status = 409, description = "Attached to a request already", body = String, content_type = "text/plain"),
        (status = 412, description = "Tus-Resumable is not 1.0.0", body = String, content_type = "text/plain"),
    ),
    security(("bearer" = []))
)]
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, TusError> {
    check_version(&headers)?;
    state
        .store
        .delete_upload(
            &signed_in.actor,
            &state.blobs,
            upload_id(&id)?,
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::NO_CONTENT, [("tus-resumable", TUS_VERSION)]))
}
