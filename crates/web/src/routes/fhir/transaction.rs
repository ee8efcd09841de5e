//! `POST /fhir/r4`: a transaction `Bundle` filing one request — the same
//! store calls as the pages, so the same rules, access policy and audit.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use base64::Engine;
use consilium_domain::questionnaire::{Answer, ItemType};
use consilium_fhir::request::{self as fhir, MediaContent, PatientInput, RequestInput};
use consilium_store::{
    NewPatient,
    requests::{Attachment, NewRequest, PatientChoice, SubmitError},
    uploads::Incoming,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{FhirError, request_facts, resource};
use crate::{AppState, SignedIn, routes::files::TusError};

fn invalid(message: impl Into<String>) -> FhirError {
    FhirError(StatusCode::BAD_REQUEST, "invalid", message.into())
}

/// Files the request and answers a `transaction-response` Bundle.
pub async fn submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let bundle: Value = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("JSON invalide / invalid JSON: {e}")))?;
    let input = fhir::parse_transaction(&bundle).map_err(invalid)?;
    let form = state
        .form(input.specialty.as_str())
        .cloned()
        .ok_or_else(|| {
            invalid(format!(
                "spécialité sans questionnaire / no questionnaire for {}",
                input.specialty
            ))
        })?;
    let actor = &signed_in.actor;
    let now = state.clock.now();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.chars().take(64).collect());
    let RequestInput {
        patient,
        specialty,
        answers,
        media,
        urgent,
    } = input;
    // Refuse incomplete answers before anything is written: a refused
    // transaction changes nothing.
    let files_item = form
        .items
        .iter()
        .find(|i| i.item_type == ItemType::Attachment)
        .map(|i| i.link_id.clone());
    let mut complete = answers.clone();
    if let (Some(item), false) = (&files_item, media.is_empty()) {
        complete.insert(
            item.clone(),
            Answer::Attachments(vec![Uuid::nil(); media.len()]),
        );
    }
    form.validate(&complete)
        .map_err(|e| FhirError(StatusCode::UNPROCESSABLE_ENTITY, "required", e.to_string()))?;
    let files_item = files_item.unwrap_or_else(|| "documents".to_owned());
    let patient = match patient {
        PatientInput::Known(id) => PatientChoice::Known(id),
        PatientInput::New(p) => PatientChoice::New(NewPatient {
            ins: p.ins,
            birth_family_name: p.family,
            first_names: p.given,
            birth_date: p.birth_date,
            sex: p.sex,
            identity_status: p.status,
        }),
    };
    let new = NewRequest {
        patient,
        specialty,
        centre: None,
        idempotency_key: key,
        urgent,
    };
    let case = state.store.start_request(actor, &new, now).await?;
    if case.status == "draft" {
        state
            .store
            .save_answers(actor, case.id, &answers, now)
            .await?;
        for item in &media {
            let upload_id = match &item.content {
                MediaContent::Upload(id) => *id,
                MediaContent::Inline(data) => inline_upload(&state, &signed_in, data).await?,
            };
            let attachment = Attachment {
                upload_id,
                item: files_item.clone(),
                body_site: item.body_site.clone(),
                photo_kind: item.view.clone(),
            };
            state
                .store
                .attach_upload(actor, case.id, &attachment, now)
                .await?;
        }
        match state.store.submit_request(actor, case.id, &form, now).await {
            Ok(_) => {}
            Err(SubmitError::Answers(refusal)) => {
                return Err(FhirError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "required",
                    refusal.to_string(),
                ));
            }
            Err(SubmitError::Store(err)) => return Err(err.into()),
        }
    }
    let facts = request_facts(&state, &signed_in, case.id).await?;
    let created =
        |location: String| json!({ "response": { "status": "201 Created", "location": location } });
    let mut entries = vec![created(format!("Patient/{}", facts.patient_id))];
    entries.push(created(format!("QuestionnaireResponse/{}", facts.id)));
    entries.extend(
        facts
            .media
            .iter()
            .map(|m| created(format!("Media/{}", m.upload_id))),
    );
    entries.push(created(format!("ServiceRequest/{}", facts.id)));
    entries.push(created(format!("Task/{}", facts.id)));
    Ok(resource(
        StatusCode::OK,
        &json!({ "resourceType": "Bundle", "type": "transaction-response", "entry": entries }),
    ))
}

/// Stores inline base64 content as a completed upload of the caller's.
async fn inline_upload(
    state: &AppState,
    signed_in: &SignedIn,
    data: &str,
) -> Result<Uuid, FhirError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| invalid("Media.content.data : base64 invalide"))?;
    let limits = state.config.upload_limits;
    if bytes.len() > limits.max_bytes {
        return Err(FhirError(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-long",
            "fichier trop volumineux / file too large".into(),
        ));
    }
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let upload = state
        .store
        .create_upload(actor, bytes.len() as u64, json!({}), now)
        .await?;
    let incoming = Incoming {
        id: upload.id,
        offset: 0,
        bytes: &bytes,
    };
    state
        .store
        .append_upload(actor, &state.blobs, limits, incoming, now)
        .await
        .map_err(|e| {
            let tus = TusError::from(e);
            FhirError(tus.status(), "invalid", tus.message().to_owned())
        })?;
    Ok(upload.id)
}
