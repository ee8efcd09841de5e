//! `HEAD /files/{id}`: where the upload stands (the client resumes from here).

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{TusError, check_version, progress_headers, upload_id};
use crate::{AppState, SignedIn};

/// The server's offset, never cached.
#[utoipa::path(
    head,
    path = "/files/{id}",
    operation_id = "upload_offset",
    tag = "uploads",
    params(("id" = uuid::Uuid, Path, description = "The upload"), ("Tus-Resumable" = inline(crate::routes::api::schema::TusVersion), Header, description = "The protocol version (required)")),
    responses(
        (status = 200, description = "Where it stands", headers(("Upload-Offset" = u64), ("Upload-Length" = u64), ("Upload-Expires" = String))),
        (status = 401, description = "No valid token or session"),
        (status = 404, description = "No such upload of the caller's"),
        (status = 412, description = "Tus-Resumable is not 1.0.0"),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, TusError> {
    check_version(&headers)?;
    let upload = state
        .store
        .upload(&signed_in.actor, upload_id(&id)?, state.clock.now())
        .await?;
    let mut response = (StatusCode::OK, progress_headers(&upload)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
