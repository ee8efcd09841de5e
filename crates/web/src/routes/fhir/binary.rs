//! `GET /fhir/r4/Binary/{id}`: a stored file, decrypted on the fly for whoever
//! may read it; anyone else gets 404.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use serde_json::json;

use crate::{AppState, SignedIn, routes::files::TusError};

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// The raw bytes with the stored type and an attachment name of ours (never
/// the client's), or the FHIR `Binary` resource when asked for
/// `application/fhir+json`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, TusError> {
    let Ok(uuid) = uuid::Uuid::parse_str(&id) else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let now = state.clock.now();
    let is_report = state.store.is_report(uuid).await.map_err(TusError::from)?;
    let (bytes, media_type) = if is_report {
        let (_, _, pdf) = state
            .store
            .read_report(&signed_in.actor, &state.blobs, uuid, now)
            .await
            .map_err(|e| match crate::WebError::from(e) {
                crate::WebError::Store(e) => TusError::from(e),
                _ => TusError::from(consilium_store::StoreError::internal("report")),
            })?;
        (pdf, "application/pdf".to_owned())
    } else {
        state
            .store
            .read_upload(&signed_in.actor, &state.blobs, uuid, false, now)
            .await?
    };
    let wants_resource = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/fhir+json"));
    if wants_resource {
        let resource = json!({
            "resourceType": "Binary",
            "id": uuid,
            "contentType": media_type,
            "data": base64::engine::general_purpose::STANDARD.encode(&bytes),
        });
        return Ok((
            [(header::CONTENT_TYPE, "application/fhir+json".to_owned())],
            resource.to_string(),
        )
            .into_response());
    }
    let disposition = format!(
        "attachment; filename=\"consilium-{uuid}.{}\"",
        extension(&media_type)
    );
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
