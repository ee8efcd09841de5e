//! `POST /files/`: starts an upload (creation), optionally with its first
//! bytes (creation-with-upload).

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use consilium_store::uploads::Incoming;

use super::{
    TusError, check_version, header_u64, metadata, patch::verify_checksum, progress_headers,
};
use crate::{AppState, SignedIn};

/// Creates the upload and answers `201` with its `Location`.
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TusError> {
    check_version(&headers)?;
    let length = header_u64(&headers, "upload-length").ok_or_else(|| {
        TusError::bad("Upload-Length requis / required (Upload-Defer-Length is not supported)")
    })?;
    let limits = state.config.upload_limits;
    if length > limits.max_bytes as u64 {
        let message = format!(
            "fichier trop volumineux (maximum {} Mo) / file too large",
            limits.max_bytes / (1024 * 1024)
        );
        return Err(TusError(StatusCode::PAYLOAD_TOO_LARGE, message));
    }
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let mut upload = state
        .store
        .create_upload(actor, length, metadata(&headers)?, now)
        .await?;
    let with_data = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/offset+octet-stream");
    if with_data && !body.is_empty() {
        verify_checksum(&headers, &body)?;
        upload = state
            .store
            .append_upload(
                actor,
                &state.blobs,
                limits,
                Incoming {
                    id: upload.id,
                    offset: 0,
                    bytes: &body,
                },
                now,
            )
            .await?;
    }
    let mut response = (StatusCode::CREATED, progress_headers(&upload)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/files/{}", upload.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
