//! `PATCH /files/{id}`: more bytes, at the offset the server has.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use consilium_store::uploads::Incoming;
use sha2::Digest;

use super::{TusError, check_version, header_u64, progress_headers, upload_id};
use crate::{AppState, SignedIn};

/// tus checksum extension: a mismatch is `460 Checksum Mismatch`.
pub fn verify_checksum(headers: &HeaderMap, body: &[u8]) -> Result<(), TusError> {
    let Some(value) = headers.get("upload-checksum").and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let (algorithm, expected) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| TusError::bad("Upload-Checksum invalide"))?;
    let expected = base64::engine::general_purpose::STANDARD
        .decode(expected.trim())
        .map_err(|_| TusError::bad("Upload-Checksum: base64 invalide"))?;
    let actual = match algorithm {
        "sha256" => sha2::Sha256::digest(body).to_vec(),
        "sha1" => sha1::Sha1::digest(body).to_vec(),
        _ => {
            return Err(TusError::bad(
                "Upload-Checksum: algorithme non pris en charge (sha1, sha256)",
            ));
        }
    };
    if actual != expected {
        let status = StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST);
        return Err(TusError(
            status,
            "somme de contrôle incorrecte : renvoyez ce morceau / checksum mismatch".into(),
        ));
    }
    Ok(())
}

/// Appends the body at `Upload-Offset`; answers `204` with the new offset.
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TusError> {
    check_version(&headers)?;
    if headers
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes() != b"application/offset+octet-stream")
    {
        return Err(TusError(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type: application/offset+octet-stream requis".into(),
        ));
    }
    let offset = header_u64(&headers, "upload-offset")
        .ok_or_else(|| TusError::bad("Upload-Offset requis / required"))?;
    verify_checksum(&headers, &body)?;
    let id = upload_id(&id)?;
    let limits = state.config.upload_limits;
    let now = state.clock.now();
    let upload = state
        .store
        .append_upload(
            &signed_in.actor,
            &state.blobs,
            limits,
            Incoming {
                id,
                offset,
                bytes: &body,
            },
            now,
        )
        .await?;
    Ok((StatusCode::NO_CONTENT, progress_headers(&upload)).into_response())
}
