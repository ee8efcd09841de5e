//! Resumable uploads with the tus 1.0.0 protocol (core, creation,
//! creation-with-upload, termination, checksum, expiration) at `/files/`.
//! The offset lives in the database, the bytes in the encrypted blob store,
//! so any node can continue an upload another began.

pub mod create;
pub mod delete;
pub mod head;
pub mod options;
pub mod patch;
pub mod thumbnail;

use axum::{
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use consilium_store::{
    StoreError,
    uploads::{Upload, UploadError},
};
use jiff::Timestamp;

use crate::WebError;

/// The protocol version every response announces.
pub const TUS_VERSION: &str = "1.0.0";
const TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
const UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
const UPLOAD_EXPIRES: HeaderName = HeaderName::from_static("upload-expires");

/// An HTTP date (RFC 9110), for `Upload-Expires`.
fn http_date(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// The headers that describe an upload's progress.
fn progress_headers(upload: &Upload) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(TUS_RESUMABLE, HeaderValue::from_static(TUS_VERSION));
    headers.insert(UPLOAD_OFFSET, HeaderValue::from(upload.received));
    headers.insert(UPLOAD_LENGTH, HeaderValue::from(upload.length));
    if let Ok(expires) = HeaderValue::from_str(&http_date(upload.expires_at)) {
        headers.insert(UPLOAD_EXPIRES, expires);
    }
    headers
}

/// A tus error: a status, the protocol header, and a sentence.
pub struct TusError(StatusCode, String);

impl IntoResponse for TusError {
    fn into_response(self) -> Response {
        (self.0, [(TUS_RESUMABLE, TUS_VERSION)], self.1).into_response()
    }
}

impl TusError {
    /// Its status.
    pub fn status(&self) -> StatusCode {
        self.0
    }

    /// Its sentence.
    pub fn message(&self) -> &str {
        &self.1
    }

    fn bad(message: &str) -> Self {
        Self(StatusCode::BAD_REQUEST, message.to_owned())
    }
}

impl From<StoreError> for TusError {
    fn from(err: StoreError) -> Self {
        let web = WebError::from(err);
        let status = web.status();
        let message = if status.is_server_error() {
            "erreur interne / internal error".to_owned()
        } else {
            web.to_string()
        };
        if status.is_server_error() {
            tracing::error!(error = %web, "upload failed");
        }
        Self(status, message)
    }
}

impl From<UploadError> for TusError {
    fn from(err: UploadError) -> Self {
        match err {
            UploadError::OffsetMismatch { .. } => Self(StatusCode::CONFLICT, err.to_string()),
            UploadError::TooLong | UploadError::Quota { .. } => {
                Self(StatusCode::PAYLOAD_TOO_LARGE, err.to_string())
            }
            UploadError::InUse => Self(StatusCode::CONFLICT, err.to_string()),
            UploadError::Closed => Self(StatusCode::FORBIDDEN, err.to_string()),
            UploadError::Refused(refusal) => {
                Self(StatusCode::UNPROCESSABLE_ENTITY, refusal.to_string())
            }
            UploadError::Store(store) => store.into(),
            UploadError::Blob(blob) => {
                tracing::error!(error = %blob, "blob store failed");
                Self(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "stockage indisponible / storage unavailable".into(),
                )
            }
        }
    }
}

/// Every request but `OPTIONS` must speak our version (tus core: 412 otherwise).
fn check_version(headers: &HeaderMap) -> Result<(), TusError> {
    match headers.get(&TUS_RESUMABLE).and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        _ => Err(TusError(
            StatusCode::PRECONDITION_FAILED,
            "Tus-Resumable: 1.0.0 required".into(),
        )),
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Parses `Upload-Metadata` (`key base64,key base64`), keeping only the keys
/// Consilium uses, as plain short strings.
fn metadata(headers: &HeaderMap) -> Result<serde_json::Value, TusError> {
    use base64::Engine;
    const KEYS: [&str; 4] = ["filename", "filetype", "body_site", "photo_kind"];
    let mut map = serde_json::Map::new();
    let Some(raw) = headers.get("upload-metadata").and_then(|v| v.to_str().ok()) else {
        return Ok(map.into());
    };
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| TusError::bad("Upload-Metadata: base64 invalide / invalid base64"))?;
        if KEYS.contains(&key) {
            let text: String = String::from_utf8_lossy(&decoded)
                .chars()
                .filter(|&c| !consilium_domain::text::is_forbidden(c) && c != '\n' && c != '\t')
                .take(200)
                .collect();
            map.insert(key.to_owned(), text.into());
        }
    }
    Ok(map.into())
}

/// The id in `/files/{id}`; anything else is simply not found.
fn upload_id(raw: &str) -> Result<uuid::Uuid, TusError> {
    uuid::Uuid::parse_str(raw).map_err(|_| {
        TusError(
            StatusCode::NOT_FOUND,
            "envoi introuvable / upload not found".into(),
        )
    })
}
