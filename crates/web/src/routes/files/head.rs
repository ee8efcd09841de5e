//! `HEAD /files/{id}`: where the upload stands (the client resumes from here).

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{TusError, check_version, progress_headers, upload_id};
use crate::{AppState, SignedIn};

/// The server's offset, never cached.
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
