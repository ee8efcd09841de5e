//! `OPTIONS /files/`: what this server supports.

use axum::{extract::State, http::StatusCode, response::IntoResponse};

use super::TUS_VERSION;
use crate::AppState;

/// Announces the version, extensions, size limit and checksum algorithms.
#[utoipa::path(
    options,
    path = "/files/",
    operation_id = "upload_options",
    tag = "uploads",
    responses((status = 204, description = "What this server supports", headers(
        ("Tus-Version" = String, description = "1.0.0"),
        ("Tus-Extension" = String, description = "creation,creation-with-upload,termination,checksum,expiration"),
        ("Tus-Max-Size" = u64, description = "The largest file, in bytes"),
        ("Tus-Checksum-Algorithm" = String, description = "sha1,sha256"),
    )))
)]
pub async fn show(State(state): State<AppState>) -> impl IntoResponse {
    (
        StatusCode::NO_CONTENT,
        [
            ("tus-resumable", TUS_VERSION.to_owned()),
            ("tus-version", TUS_VERSION.to_owned()),
            (
                "tus-extension",
                "creation,creation-with-upload,termination,checksum,expiration".to_owned(),
            ),
            (
                "tus-max-size",
                state.config.upload_limits.max_bytes.to_string(),
            ),
            ("tus-checksum-algorithm", "sha1,sha256".to_owned()),
        ],
    )
}
