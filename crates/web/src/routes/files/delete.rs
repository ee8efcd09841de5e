//! `DELETE /files/{id}`: the termination extension.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
};

use super::{TUS_VERSION, TusError, check_version, upload_id};
use crate::{AppState, SignedIn};

/// Cancels the upload and deletes what it stored.
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
