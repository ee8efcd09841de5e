//! `POST /fhir/r4/{type}`: create. A `Patient` (for the caller's requesting
//! site; conditional with `If-None-Exist`, or the same criteria as a query
//! string); a `Communication` (question, reply or advice: a step of the
//! request). Requests themselves are filed by a transaction Bundle.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use consilium_fhir::{
    expertise::{self as fx, CommunicationInput},
    request::parse_patient,
    search::{SearchQuery, resource_def},
};
use consilium_store::{
    NewPatient,
    cases::PatientView,
    expertise::{MessageKind, NewMessage},
    records::PatientCreation,
    requests::Attachment,
};

use super::{
    FhirError, base_url, body_json,
    prefer::Prefer,
    repo::{Repo, patient_resource},
};
use crate::{AppState, SignedIn};

/// The client's `Idempotency-Key`, at most 64 characters.
pub fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.chars().take(64).collect())
}

/// Creates a resource.
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(type_name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let def = super::resource_type(&type_name, |d| d.interactions.create)?;
    let value = body_json(&body)?;
    if value["resourceType"] != def.name {
        return Err(FhirError::invalid(format!(
            "resourceType doit être {} / resourceType must be {}",
            def.name, def.name
        )));
    }
    let prefer = Prefer::of(&headers);
    match def.name {
        "Patient" => {
            patient(
                &state,
                &signed_in,
                &value,
                condition(&headers, query.as_deref()),
                prefer,
            )
            .await
        }
        _ => communication(&state, &signed_in, &value, &headers, prefer).await,
    }
}

/// The criteria of a conditional create: `If-None-Exist`, or the query
/// string (as fhirpy's `get_or_create` sends them).
fn condition(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    headers
        .get("if-none-exist")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query.filter(|q| !q.is_empty()).map(str::to_owned))
}

async fn patient(
    state: &AppState,
    signed_in: &SignedIn,
    value: &serde_json::Value,
    condition: Option<String>,
    prefer: Prefer,
) -> Result<Response, FhirError> {
    let identity = parse_patient(value).map_err(FhirError::invalid)?;
    let new = NewPatient {
        ins: identity.ins,
        birth_family_name: identity.family,
        first_names: identity.given,
        birth_date: identity.birth_date,
        sex: identity.sex,
        identity_status: identity.status,
    };
    let base = base_url(state);
    let criteria = match &condition {
        Some(text) => {
            let pairs = super::search::pairs(Some(text.trim_start_matches('?')));
            let def = resource_def("Patient").ok_or_else(FhirError::not_found)?;
            let query = SearchQuery::parse(def, &pairs, true, &base)?;
            if query.filters.is_empty() {
                return Err(FhirError::invalid(
                    "If-None-Exist sans critère / without criteria",
                ));
            }
            Some(query)
        }
        None => None,
    };
    let now = state.clock.now();
    let matches = |p: &PatientView| {
        criteria
            .as_ref()
            .is_some_and(|q| q.matches(&patient_resource(p), &base, now))
    };
    let unless: Option<consilium_store::records::PatientCondition<'_>> =
        criteria.as_ref().map(|_| &matches as _);
    let created = state
        .store
        .create_patient(&signed_in.actor, &new, unless, now)
        .await?;
    match created {
        PatientCreation::Created(p) => Ok(prefer.respond(
            StatusCode::CREATED,
            &base,
            &patient_resource(&p),
            "patient enregistré / patient created",
        )),
        PatientCreation::Existing(p) => Ok(prefer.respond(
            StatusCode::OK,
            &base,
            &patient_resource(&p),
            "patient déjà connu / patient already exists",
        )),
        PatientCreation::Ambiguous(n) => Err(FhirError(
            StatusCode::PRECONDITION_FAILED,
            "duplicate",
            format!("If-None-Exist : {n} patients correspondent, précisez / {n} patients match"),
        )),
    }
}

async fn communication(
    state: &AppState,
    signed_in: &SignedIn,
    value: &serde_json::Value,
    headers: &HeaderMap,
    prefer: Prefer,
) -> Result<Response, FhirError> {
    if headers.contains_key("if-none-exist") {
        return Err(FhirError(
            StatusCode::BAD_REQUEST,
            "not-supported",
            "création conditionnelle non prise en charge pour Communication : utilisez Idempotency-Key / use Idempotency-Key".into(),
        ));
    }
    let input = fx::parse_communication(value).map_err(FhirError::invalid)?;
    let key = idempotency_key(headers);
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let message = |body: String, attachments: Vec<Attachment>| NewMessage {
        body,
        asks_photos: false,
        attachments,
        idempotency_key: key.clone(),
    };
    let id = match input {
        CommunicationInput::Question { case_id, text } => {
            state
                .store
                .send_message(
                    actor,
                    case_id,
                    MessageKind::Question,
                    &message(text, vec![]),
                    now,
                )
                .await?
                .id
        }
        CommunicationInput::Reply {
            case_id,
            text,
            uploads,
        } => {
            let attachments = uploads
                .into_iter()
                .map(|upload_id| Attachment {
                    upload_id,
                    item: "photos".into(),
                    body_site: None,
                    photo_kind: None,
                })
                .collect();
            state
                .store
                .send_message(
                    actor,
                    case_id,
                    MessageKind::Reply,
                    &message(text, attachments),
                    now,
                )
                .await?
                .id
        }
        CommunicationInput::Advice { case_id, advice } => {
            state
                .store
                .advise(
                    actor,
                    &state.report_kit(),
                    case_id,
                    &advice,
                    key.as_deref(),
                    now,
                )
                .await?
                .message_id
        }
    };
    let mut repo = Repo::new(state, signed_in, &["Communication"]);
    let created = repo
        .read("Communication", &id.to_string())
        .await?
        .ok_or_else(FhirError::not_found)?;
    Ok(prefer.respond(
        StatusCode::CREATED,
        repo.base(),
        &created,
        "message envoyé / message sent",
    ))
}
