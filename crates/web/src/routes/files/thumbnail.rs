//! `GET /files/{id}/vignette`: the thumbnail of a completed photo upload.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};

use super::{TusError, upload_id};
use crate::{AppState, SignedIn};

/// The JPEG thumbnail, decrypted for whoever may see the upload.
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
