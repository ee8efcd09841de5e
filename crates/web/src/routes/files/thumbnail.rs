//! `GET /files/{id}/vignette`: the thumbnail of a completed photo upload.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};

use super::{TusError, upload_id};
use crate::{AppState, SignedIn};

/// The JPEG thumbnail, decrypted for whoever may see the upload.
#[utoipa::path(
    get,
    path = "/files/{id}/vignette",
    operation_id = "upload_thumbnail",
    tag = "uploads",
    params(("id" = uuid::Uuid, Path, description = "A completed photo upload")),
    responses(
        (status = 200, description = "The thumbnail", body = crate::routes::api::schema::Bytes, content_type = "image/jpeg"),
        (status = 401, description = "No valid token or session", body = crate::routes::api::schema::ApiError),
        (status = 404, description = "No such photo the caller may see", body = String, content_type = "text/plain"),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, TusError> {
    let now = state.clock.now();
    let (bytes, media_type) = state
        .store
        .read_upload(&signed_in.actor, &state.blobs, upload_id(&id)?, true, now)
        .await?;
    Ok(([(header::CONTENT_TYPE, media_type)], bytes).into_response())
}
