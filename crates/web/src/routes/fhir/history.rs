//! `GET /fhir/r4/{type}/{id}/_history`: every version the caller may read,
//! newest first (a request's draft shows to its creator only).

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use consilium_fhir::bundle;

use super::{FhirError, repo::Repo, resource, resource_type};
use crate::{AppState, SignedIn};

/// The instance's history.
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((type_name, id)): Path<(String, String)>,
) -> Result<Response, FhirError> {
    let def = resource_type(&type_name, |d| d.interactions.read && d.name != "Binary")?;
    let mut repo = Repo::new(&state, &signed_in, &[def.name]).with_history();
    let versions = repo
        .history(def.name, &id)
        .await?
        .ok_or_else(FhirError::not_found)?;
    Ok(resource(
        StatusCode::OK,
        &bundle::history(repo.base(), &versions),
    ))
}
