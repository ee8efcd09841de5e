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
#[utoipa::path(
    patch,
    path = "/files/{id}",
    operation_id = "upload_append",
    tag = "uploads",
    params(
        ("id" = uuid::Uuid, Path, description = "The upload"),
        ("Tus-Resumable" = inline(crate::routes::api::schema::TusVersion), Header, description = "The protocol version (required)"),
        ("Upload-Offset" = u64, Header, description = "Where these bytes start: the server's offset (required)"),
        ("Upload-Checksum" = Option<String>, Header, description = "sha1|sha256 base64 of these bytes"),
    ),
    request_body(content = crate::routes::api::schema::Bytes, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Stored", headers(("Upload-Offset" = u64))),
        (status = 400, description = "A header is missing or malformed", body = String, content_type = "text/plain"),
        (status = 401, description = "No valid token or session", body = crate::routes::api::schema::ApiError),
        (status = 403, description = "The upload is complete or refused", body = String, content_type = "text/plain"),
        (status = 404, description = "No such upload of the caller's", body = String, content_type = "text/plain"),
        (status = 409, description = "Upload-Offset is not the server's", body = String, content_type = "text/plain"),
        (status = 412, description = "Tus-Resumable is not 1.0.0", body = String, content_type = "text/plain"),
        (status = 413, description = "More bytes than Upload-Length", body = String, content_type = "text/plain"),
        (status = 415, description = "Content-Type is not application/offset+octet-stream", body = String, content_type = "text/plain"),
        (status = 422, description = "The file was refused (type, pixels)", body = String, content_type = "text/plain"),
        (status = 460, description = "Checksum mismatch", body = String, content_type = "text/plain"),
    ),
    security(("bearer" = []))
)]
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
