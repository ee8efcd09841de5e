//! FHIR R4 at `/fhir/r4`: the request filed by transaction, read back as
//! `ServiceRequest`, `Task`, `QuestionnaireResponse`, `Patient`, `Media` and
//! `Binary`, under the same access policy and audit as the pages.

pub mod binary;
pub mod expertise;
pub mod metadata;
pub mod read;
pub mod transaction;

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use consilium_fhir::request::{MediaFacts, RequestFacts, operation_outcome};
use consilium_store::StoreError;
use serde_json::Value;
use uuid::Uuid;

use crate::{AppState, WebError, auth::SignedIn};

/// The FHIR media type.
pub const FHIR_JSON: &str = "application/fhir+json";

/// A resource (or Bundle) as a FHIR response.
/// A resource with its version as a weak `ETag` (`W/"3"`) when it has one.
pub fn versioned(status: StatusCode, value: &Value) -> Response {
    let mut response = resource(status, value);
    if let Some(version) = value["meta"]["versionId"].as_str()
        && let Ok(tag) = header::HeaderValue::from_str(&format!("W/\"{version}\""))
    {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// Refuses with 412 when `If-Match` names another version than `current`.
pub fn check_if_match(headers: &header::HeaderMap, current: i32) -> Result<(), FhirError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let wanted = value
        .to_str()
        .unwrap_or_default()
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"');
    if wanted == current.to_string() {
        return Ok(());
    }
    Err(FhirError(
        StatusCode::PRECONDITION_FAILED,
        "conflict",
        format!(
            "If-Match : la version {wanted} n'est plus la version actuelle ({current}) / version {wanted} is not the current one ({current})"
        ),
    ))
}

pub fn resource(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, FHIR_JSON)],
        value.to_string(),
    )
        .into_response()
}

/// A FHIR error: its status and an `OperationOutcome`.
#[derive(Debug)]
pub struct FhirError(pub StatusCode, pub &'static str, pub String);

impl IntoResponse for FhirError {
    fn into_response(self) -> Response {
        resource(self.0, &operation_outcome(self.1, &self.2))
    }
}

impl From<StoreError> for FhirError {
    fn from(err: StoreError) -> Self {
        let web = WebError::from(err);
        let status = web.status();
        if status.is_server_error() {
            tracing::error!(error = %web, "FHIR request failed");
            return Self(
                status,
                "exception",
                "erreur interne / internal error".into(),
            );
        }
        let code = if status == StatusCode::NOT_FOUND {
            "not-found"
        } else {
            "invalid"
        };
        Self(status, code, web.to_string())
    }
}

impl FhirError {
    /// 404 for anything the caller may not see (or that does not exist).
    pub fn not_found() -> Self {
        Self(
            StatusCode::NOT_FOUND,
            "not-found",
            "ressource introuvable / resource not found".into(),
        )
    }
}

/// Everything the resources of a request are built from, for a caller
/// allowed to read it.
pub async fn request_facts(
    state: &AppState,
    signed_in: &SignedIn,
    id: Uuid,
) -> Result<RequestFacts, FhirError> {
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let case = state.store.case(actor, id, now).await?;
    let attachments = state.store.attachments(actor, id, now).await?;
    let team = state
        .store
        .teams()
        .await?
        .into_iter()
        .find(|t| t.id == case.parties.team_id)
        .ok_or_else(FhirError::not_found)?;
    let questionnaire = state
        .form(team.specialty.as_str())
        .map(|f| f.url.clone())
        .unwrap_or_default();
    Ok(RequestFacts {
        id: case.id,
        reference: case.reference,
        status: case.status,
        created_at: case.created_at,
        submitted_at: case.submitted_at,
        deadline: case.deadline,
        consent_at: case.consent_at,
        patient_id: case.patient.id,
        requester_id: case.parties.requester_id,
        team_id: team.id,
        team_name: team.name.to_string(),
        specialty: team.specialty,
        questionnaire,
        answers: serde_json::from_value(case.answers).unwrap_or_default(),
        owner_id: case.owner_id,
        status_reason: case.status_reason,
        answered: case.answered,
        revision: case.revision,
        urgent: case.priority == "urgent",
        media: attachments
            .into_iter()
            .map(|a| MediaFacts {
                upload_id: a.upload_id,
                body_site: a.body_site,
                view: a.photo_kind,
                content_type: None,
            })
            .collect(),
    })
}
