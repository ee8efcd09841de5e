//! A transaction `Bundle` filing one request (`Patient`,
//! `QuestionnaireResponse`, `Media`, `ServiceRequest`) — the same store
//! calls as the pages, so the same rules, access policy and audit. Answers
//! are checked before anything is written: a refused transaction changes
//! nothing.

use axum::{
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

use super::{FhirError, repo::Repo, resource};
use crate::{AppState, SignedIn, routes::files::TusError};

fn invalid(message: impl Into<String>) -> FhirError {
    FhirError(StatusCode::BAD_REQUEST, "invalid", message.into())
}

/// True when a transaction files a request (it posts a `ServiceRequest`).
pub fn files_a_request(bundle: &Value) -> bool {
    bundle["entry"].as_array().is_some_and(|entries| {
        entries
            .iter()
            .any(|e| e["resource"]["resourceType"] == "ServiceRequest")
    })
}

/// Files the request and answers a `transaction-response` Bundle.
pub async fn file(
    state: &AppState,
    signed_in: &SignedIn,
    headers: &HeaderMap,
    bundle: &Value,
) -> Result<Response, FhirError> {
    let input = fhir::parse_transaction(bundle).map_err(invalid)?;
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
    let key = super::create::idempotency_key(headers);
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
    // Integrators need the item's linkId; people, the question's words.
    form.validate(&complete).map_err(|e| {
        let text = match e.link_id() {
            Some(id) => format!("{e} (linkId {id})"),
            None => e.to_string(),
        };
        FhirError(StatusCode::UNPROCESSABLE_ENTITY, "required", text)
    })?;
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
    let mut upload_ids = Vec::new();
    if case.status == "draft" {
        state
            .store
            .save_answers(actor, case.id, &answers, now)
            .await?;
        for item in &media {
            let upload_id = match &item.content {
                MediaContent::Upload(id) => *id,
                MediaContent::Inline { data, content_type } => {
                    inline_upload(state, signed_in, data, content_type.as_deref()).await?
                }
            };
            upload_ids.push(upload_id);
            let attachment = Attachment {
                upload_id,
                item: files_item.clone(),
                body_site: item.body_site.clone(),
                photo_kind: item.view.clone(),
            };
            state
                .store
                .attach_upload(actor, case.id, &attachment, &state.all_forms(), now)
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
    let mut repo = Repo::new(state, signed_in, &["ServiceRequest", "Media"]);
    let id = case.id.to_string();
    let read = |resources: Vec<Value>| resources.into_iter().next();
    let request = read(
        repo.read_many("ServiceRequest", std::slice::from_ref(&id))
            .await?,
    )
    .ok_or_else(FhirError::not_found)?;
    let task = read(repo.read_many("Task", std::slice::from_ref(&id)).await?);
    let answers = read(
        repo.read_many("QuestionnaireResponse", std::slice::from_ref(&id))
            .await?,
    );
    let patient_id = request["subject"]["reference"]
        .as_str()
        .and_then(|r| r.strip_prefix("Patient/"))
        .unwrap_or_default()
        .to_owned();
    let patient = read(repo.read_many("Patient", &[patient_id]).await?);
    let mut photos: Vec<Value> = repo
        .read_many(
            "Media",
            &upload_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
        .await?;
    if photos.is_empty() {
        // A retry: the request was filed before, its files in upload order.
        photos = repo
            .search(&consilium_fhir::search::SearchQuery::parse(
                consilium_fhir::search::resource_def("Media").ok_or_else(FhirError::not_found)?,
                &[("based-on".to_owned(), format!("ServiceRequest/{id}"))],
                true,
                repo.base(),
            )?)
            .await?;
    }
    let created = |resource: Option<Value>| {
        resource.map(|r| {
            let mut entry = json!({ "response": {
                "status": "201 Created",
                "location": format!("{}/{}/_history/{}", r["resourceType"].as_str().unwrap_or_default(), r["id"].as_str().unwrap_or_default(), r["meta"]["versionId"].as_str().unwrap_or("1")),
                "etag": consilium_fhir::bundle::etag(r["meta"]["versionId"].as_str().unwrap_or("1")),
                "lastModified": r["meta"]["lastUpdated"].clone(),
            } });
            entry["fullUrl"] = json!(format!("{}/{}/{}", repo.base(), r["resourceType"].as_str().unwrap_or_default(), r["id"].as_str().unwrap_or_default()));
            entry["resource"] = r;
            entry
        })
    };
    // One answer per entry, in the order of the request's entries.
    let mut photos = photos.into_iter();
    let mut entries: Vec<Value> = Vec::new();
    let mut task = Some(task);
    for entry in bundle["entry"].as_array().into_iter().flatten() {
        let answer = match entry["resource"]["resourceType"].as_str() {
            Some("Patient") => created(patient.clone()),
            Some("QuestionnaireResponse") => created(answers.clone()),
            Some("Media") => created(photos.next()),
            Some("ServiceRequest") => created(Some(request.clone())),
            Some("Task") => created(task.take().flatten()),
            _ => None,
        };
        entries.extend(answer);
    }
    // The Task the server made comes last when the client did not send one.
    entries.extend(task.flatten().and_then(|t| created(Some(t))));
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
    content_type: Option<&str>,
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
    let tus_error = |e| {
        let tus = TusError::from(e);
        FhirError(tus.status(), "invalid", tus.message().to_owned())
    };
    let quota = state.config.upload_quota;
    let upload = state
        .store
        .create_upload(
            actor,
            bytes.len() as u64,
            json!({ "filetype": content_type }),
            quota,
            now,
        )
        .await
        .map_err(tus_error)?;
    let incoming = Incoming {
        id: upload.id,
        offset: 0,
        bytes: &bytes,
    };
    state
        .store
        .append_upload(actor, &state.blobs, limits, incoming, now)
        .await
        .map_err(tus_error)?;
    Ok(upload.id)
}
