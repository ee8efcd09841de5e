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
#[utoipa::path(
    post,
    path = "/files/",
    operation_id = "upload_create",
    tag = "uploads",
    params(
        ("Tus-Resumable" = inline(crate::routes::api::schema::TusVersion), Header, description = "The protocol version (required)"),
        ("Upload-Length" = u64, Header, description = "The file's size in bytes (required)"),
        ("Upload-Metadata" = Option<String>, Header, description = "key base64,… (filename, filetype, body_site, photo_kind)"),
        ("Upload-Checksum" = Option<String>, Header, description = "sha1|sha256 base64, of the bytes sent with the creation"),
    ),
    request_body(content = Option<crate::routes::api::schema::Bytes>, content_type = "application/offset+octet-stream", description = "The first bytes (creation-with-upload)"),
    responses(
        (status = 201, description = "Created", headers(("Location" = String, description = "/files/{id}"), ("Upload-Offset" = u64))),
        (status = 400, description = "A header is missing or malformed", body = String, content_type = "text/plain"),
        (status = 401, description = "No valid token or session", body = crate::routes::api::schema::ApiError),
        (status = 404, description = "The caller cannot upload (no requesting role)", body = String, content_type = "text/plain"),
        (status = 412, description = "Tus-Resumable is not 1.0.0", body = String, content_type = "text/plain"),
        (status = 413, description = "Larger than Tus-Max-Size, or over the caller's quota of pending uploads", body = String, content_type = "text/plain"),
        (status = 422, description = "The file was refused (type, pixels)", body = String, content_type = "text/plain"),
        (status = 460, description = "Checksum mismatch", body = String, content_type = "text/plain"),
    ),
    security(("bearer" = []))
)]
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
        .create_upload(
            actor,
            length,
            metadata(&headers)?,
            state.config.upload_quota,
            now,
        )
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
