//! `GET /fhir/r4/{type}/{id}` (read) and `…/_history/{version}` (vread).
//! Anything the caller may not read is a 404, exactly like what does not
//! exist.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use consilium_fhir::meta::version_of;

use super::{
    FhirError,
    prefer::{not_modified, not_modified_response},
    repo::Repo,
    resource, resource_type,
};
use crate::{AppState, SignedIn};

/// Reads the current version (304 when the client's copy is current).
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((type_name, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, FhirError> {
    let def = resource_type(&type_name, |d| d.interactions.read)?;
    let mut repo = Repo::new(&state, &signed_in, &[def.name]);
    let found = repo
        .read(def.name, &id)
        .await?
        .ok_or_else(FhirError::not_found)?;
    if not_modified(&headers, &found) {
        return Ok(not_modified_response(&found));
    }
    Ok(resource(StatusCode::OK, &found))
}

/// Reads one version.
pub async fn version(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((type_name, id, wanted)): Path<(String, String, String)>,
) -> Result<Response, FhirError> {
    let def = resource_type(&type_name, |d| d.interactions.read)?;
    let mut repo = Repo::new(&state, &signed_in, &[def.name]).with_history();
    let versions = repo
        .history(def.name, &id)
        .await?
        .ok_or_else(FhirError::not_found)?;
    let found = versions
        .into_iter()
        .find(|v| version_of(v) == Some(wanted.as_str()))
        .ok_or_else(|| {
            FhirError(
                StatusCode::NOT_FOUND,
                "not-found",
                format!("{type_name}/{id} n'a pas de version {wanted} / no such version"),
            )
        })?;
    Ok(resource(StatusCode::OK, &found))
}
