//! `GET /fhir/r4/{type}/{id}` for the resources of a request.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use consilium_fhir::request::{self as fhir, MediaFacts, PatientIdentity};
use uuid::Uuid;

use super::{FhirError, request_facts, versioned};
use crate::{AppState, SignedIn};

/// Reads one resource; anything the caller may not read is a 404.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((resource_type, id)): Path<(String, String)>,
) -> Result<Response, FhirError> {
    let id = Uuid::parse_str(&id).map_err(|_| FhirError::not_found())?;
    let value = match resource_type.as_str() {
        "ServiceRequest" => fhir::service_request(&request_facts(&state, &signed_in, id).await?),
        "Task" => fhir::task(&request_facts(&state, &signed_in, id).await?),
        "QuestionnaireResponse" => {
            fhir::questionnaire_response(&request_facts(&state, &signed_in, id).await?)
        }
        "Patient" => patient(&state, &signed_in, id).await?,
        "Media" => media(&state, &signed_in, id).await?,
        "Communication" | "DocumentReference" | "Appointment" => {
            super::expertise::read_object(&state, &signed_in, &resource_type, id).await?
        }
        _ => return Err(FhirError::not_found()),
    };
    Ok(versioned(StatusCode::OK, &value))
}

/// A patient of a request the caller may read, or known to their site.
/// `GET /fhir/r4/Task/{id}` (its own route: `PUT` and `PATCH` live there too).
pub async fn task(
    state: State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, FhirError> {
    show(state, signed_in, Path(("Task".to_owned(), id))).await
}

async fn patient(
    state: &AppState,
    signed_in: &SignedIn,
    id: Uuid,
) -> Result<serde_json::Value, FhirError> {
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let from_cases = state
        .store
        .cases(actor, now)
        .await?
        .into_iter()
        .map(|c| c.patient)
        .find(|p| p.id == id);
    let found = match from_cases {
        Some(p) => Some(p),
        None => match state.store.site_patients(actor).await {
            Ok(patients) => patients.into_iter().find(|p| p.id == id),
            Err(_) => None,
        },
    };
    let p = found.ok_or_else(FhirError::not_found)?;
    let identity = PatientIdentity {
        ins: p.identity.ins,
        family: p.identity.birth_family_name,
        given: p.identity.first_names,
        birth_date: p.identity.birth_date,
        sex: p.identity.sex,
        status: p.identity.identity_status,
    };
    Ok(fhir::patient(p.id, &identity))
}

/// A file of a request the caller may read.
async fn media(
    state: &AppState,
    signed_in: &SignedIn,
    id: Uuid,
) -> Result<serde_json::Value, FhirError> {
    let now = state.clock.now();
    for case in state.store.cases(&signed_in.actor, now).await? {
        let attachments = state
            .store
            .attachments(&signed_in.actor, case.id, now)
            .await?;
        if let Some(a) = attachments.into_iter().find(|a| a.upload_id == id) {
            let facts = MediaFacts {
                upload_id: id,
                body_site: a.body_site,
                view: a.photo_kind,
                content_type: None,
            };
            return Ok(fhir::media(case.id, case.patient.id, &facts));
        }
    }
    Err(FhirError::not_found())
}
