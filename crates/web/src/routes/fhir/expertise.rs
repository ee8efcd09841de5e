//! The expert's side through FHIR: the queue as a `Task` search, moves by
//! `PUT`/`PATCH` of the `Task`, the thread as `Communication` (post and
//! search), the report as `DocumentReference`, the visit as `Appointment`.
//! Same store calls, access policy and audit as the pages.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use consilium_domain::{directory::SpecialtyCode, expertise::Step};
use consilium_fhir::{
    expertise::{self as fx, CommunicationInput, MessageFacts},
    request::{self as fhir, RequestFacts},
};
use consilium_store::{
    cases::CaseView,
    expertise::{CaseFile, MessageKind, NewMessage, QueueFilter, StepError},
    requests::Attachment,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{FhirError, request_facts, resource};
use crate::{AppState, SignedIn, WebError};

impl From<StepError> for FhirError {
    fn from(err: StepError) -> Self {
        match WebError::from(err) {
            WebError::Store(e) => e.into(),
            web => {
                let status = web.status();
                if status.is_server_error() {
                    tracing::error!(error = %web, "FHIR step failed");
                    return Self(
                        status,
                        "exception",
                        "erreur interne / internal error".into(),
                    );
                }
                let code = match status {
                    StatusCode::FORBIDDEN => "forbidden",
                    StatusCode::CONFLICT => "business-rule",
                    _ => "invalid",
                };
                Self(status, code, web.to_string())
            }
        }
    }
}

fn invalid(message: impl Into<String>) -> FhirError {
    FhirError(StatusCode::BAD_REQUEST, "invalid", message.into())
}

fn bundle(entries: Vec<(String, Value)>) -> Response {
    let entry: Vec<Value> = entries
        .into_iter()
        .map(|(url, r)| json!({ "fullUrl": url, "resource": r, "search": { "mode": "match" } }))
        .collect();
    resource(
        StatusCode::OK,
        &json!({ "resourceType": "Bundle", "type": "searchset", "total": entry.len(), "entry": entry }),
    )
}

/// A Task from a queue row, without re-reading the request.
fn task_of(case: &CaseView) -> Result<Value, FhirError> {
    let specialty = SpecialtyCode::parse(&case.specialty_code)
        .map_err(|e| FhirError::from(consilium_store::StoreError::internal(e)))?;
    let facts = RequestFacts {
        id: case.id,
        reference: case.reference.clone(),
        status: case.status.clone(),
        created_at: case.created_at,
        submitted_at: case.submitted_at,
        deadline: case.deadline,
        consent_at: case.consent_at,
        patient_id: case.patient.id,
        requester_id: case.parties.requester_id,
        team_id: case.parties.team_id,
        team_name: case.team_name.clone(),
        specialty,
        questionnaire: String::new(),
        answers: Default::default(),
        media: Vec::new(),
        owner_id: case.owner_id,
        status_reason: case.status_reason.clone(),
        answered: case.answered,
        revision: case.revision,
        urgent: case.priority == "urgent",
    };
    Ok(fhir::task(&facts))
}

fn reference_id(value: Option<&String>, prefix: &str) -> Result<Option<Uuid>, FhirError> {
    match value {
        None => Ok(None),
        Some(v) => v
            .strip_prefix(prefix)
            .and_then(|id| Uuid::parse_str(id).ok())
            .map(Some)
            .ok_or_else(|| invalid(format!("attendu {prefix}{{id}} : {v}"))),
    }
}

/// `GET /fhir/r4/Task?owner=…&status=…` (the queue, soonest deadline first)
/// or `?focus=ServiceRequest/{id}`.
pub async fn search_tasks(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, FhirError> {
    if let Some(focus) = params.get("focus") {
        let task = match reference_id(Some(focus), "ServiceRequest/")? {
            Some(id) => request_facts(&state, &signed_in, id)
                .await
                .ok()
                .map(|f| fhir::task(&f)),
            None => None,
        };
        return Ok(bundle(
            task.into_iter()
                .map(|t| (format!("Task/{}", t["id"].as_str().unwrap_or("")), t))
                .collect(),
        ));
    }
    let owner = params.get("owner");
    let (owner_id, team_id) = match owner.map(String::as_str) {
        Some(o) if o.starts_with("Practitioner/") => (reference_id(owner, "Practitioner/")?, None),
        Some(o) if o.starts_with("HealthcareService/") => {
            (None, reference_id(owner, "HealthcareService/")?)
        }
        Some(o) => {
            return Err(invalid(format!(
                "owner : Practitioner/{{id}} ou HealthcareService/{{id}} attendu, pas {o}"
            )));
        }
        None => (None, None),
    };
    let status = params.get("status").cloned();
    if let Some(s) = &status
        && consilium_domain::expertise::TaskStatus::parse(s).is_none()
    {
        return Err(invalid(format!("status inconnu : {s}")));
    }
    let limit = match params.get("_count") {
        Some(n) => n
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| invalid("_count : entre 1 et 500"))?,
        None => 100,
    };
    let filter = QueueFilter {
        status,
        owner_id,
        team_id,
        limit,
        ..QueueFilter::default()
    };
    let queue = state
        .store
        .queue(&signed_in.actor, &filter, state.clock.now())
        .await?;
    let tasks = queue
        .entries
        .iter()
        .map(|c| task_of(c).map(|t| (format!("Task/{}", c.id), t)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(bundle(tasks))
}

/// The step a new Task status asks for, from the current one.
fn step_for(
    current: &CaseView,
    input: &fx::TaskInput,
) -> Result<Option<(Step, Option<String>)>, FhirError> {
    let same_owner = input.owner.is_none() || input.owner == current.owner_id;
    if input.status == current.status && same_owner {
        return Ok(None);
    }
    let not_allowed = || {
        FhirError(
            StatusCode::CONFLICT,
            "business-rule",
            format!(
                "passage de « {} » à « {} » non permis",
                current.status, input.status
            ),
        )
    };
    let step = match input.status.as_str() {
        "accepted" => (Step::Take, None),
        "rejected" => (
            Step::Decline {
                kind: input.reason_kind,
                reason: input.reason.clone().unwrap_or_default(),
                transfer_to: None,
            },
            None,
        ),
        "requested" => match input.owner {
            Some(expert_id) => (Step::Assign { expert_id }, None),
            None => return Err(not_allowed()),
        },
        "in-progress" if current.status == "accepted" => (Step::Start, None),
        "on-hold" => {
            let question = input.note.clone().ok_or_else(|| {
                invalid("mettre en attente demande la question dans note[0].text")
            })?;
            (Step::Ask, Some(question))
        }
        "completed" => (Step::Close, None),
        _ => return Err(not_allowed()),
    };
    Ok(Some(step))
}

async fn move_task(
    state: &AppState,
    signed_in: &SignedIn,
    id: Uuid,
    new: &Value,
    headers: &HeaderMap,
) -> Result<Response, FhirError> {
    let input = fx::parse_task(new).map_err(invalid)?;
    let now = state.clock.now();
    let current = state.store.case(&signed_in.actor, id, now).await?;
    super::check_if_match(headers, current.revision)?;
    match step_for(&current, &input)? {
        None => {}
        Some((Step::Ask, Some(question))) => {
            let message = NewMessage {
                body: question,
                asks_photos: false,
                attachments: vec![],
                idempotency_key: None,
            };
            state
                .store
                .send_message(&signed_in.actor, id, MessageKind::Question, &message, now)
                .await?;
        }
        Some((step, _)) => {
            state
                .store
                .move_request(&signed_in.actor, id, &step, now)
                .await?;
        }
    }
    let facts = request_facts(state, signed_in, id).await?;
    Ok(super::versioned(StatusCode::OK, &fhir::task(&facts)))
}

fn body_json(body: &[u8]) -> Result<Value, FhirError> {
    serde_json::from_slice(body).map_err(|e| invalid(format!("JSON invalide : {e}")))
}

/// `PUT /fhir/r4/Task/{id}`.
pub async fn put_task(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let id = Uuid::parse_str(&id).map_err(|_| FhirError::not_found())?;
    move_task(&state, &signed_in, id, &body_json(&body)?, &headers).await
}

/// `PATCH /fhir/r4/Task/{id}` with a JSON Patch (RFC 6902).
pub async fn patch_task(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let id = Uuid::parse_str(&id).map_err(|_| FhirError::not_found())?;
    let patch: json_patch::Patch = serde_json::from_slice(&body)
        .map_err(|e| invalid(format!("JSON Patch (RFC 6902) invalide : {e}")))?;
    let mut task = fhir::task(&request_facts(&state, &signed_in, id).await?);
    json_patch::patch(&mut task, &patch).map_err(|e| invalid(format!("patch : {e}")))?;
    move_task(&state, &signed_in, id, &task, &headers).await
}

fn message_facts(state: &AppState, file: &CaseFile) -> Vec<Value> {
    let base = format!("{}/fhir/r4", state.config.public_url.trim_end_matches('/'));
    file.messages
        .iter()
        .map(|m| {
            let advice = file
                .advices
                .iter()
                .find(|a| a.message_id == m.id)
                .map(|a| (a.version, a.advice.clone()));
            fx::communication(
                &base,
                &MessageFacts {
                    id: m.id,
                    case_id: file.case.id,
                    patient_id: file.case.patient.id,
                    author_id: m.author_id,
                    recipient_id: None,
                    kind: m.kind.clone(),
                    at: m.at,
                    body: m.body.clone(),
                    upload_ids: m.upload_ids.clone(),
                    advice,
                },
            )
        })
        .collect()
}

/// `POST /fhir/r4/Communication`: a question, a reply or the advice.
pub async fn post_communication(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let input = fx::parse_communication(&body_json(&body)?).map_err(invalid)?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let now = state.clock.now();
    let actor = &signed_in.actor;
    let (case_id, id) = match input {
        CommunicationInput::Question { case_id, text } => {
            let message = NewMessage {
                body: text,
                asks_photos: false,
                attachments: vec![],
                idempotency_key: key,
            };
            (
                case_id,
                state
                    .store
                    .send_message(actor, case_id, MessageKind::Question, &message, now)
                    .await?
                    .id,
            )
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
            let message = NewMessage {
                body: text,
                asks_photos: false,
                attachments,
                idempotency_key: key,
            };
            (
                case_id,
                state
                    .store
                    .send_message(actor, case_id, MessageKind::Reply, &message, now)
                    .await?
                    .id,
            )
        }
        CommunicationInput::Advice { case_id, advice } => {
            let signed = state
                .store
                .advise(
                    actor,
                    &state.report_kit(),
                    case_id,
                    &advice,
                    key.as_deref(),
                    now,
                )
                .await?;
            (case_id, signed.message_id)
        }
    };
    let file = state.store.case_file(actor, case_id, now).await?;
    let created = message_facts(&state, &file)
        .into_iter()
        .find(|m| m["id"] == json!(id))
        .ok_or_else(FhirError::not_found)?;
    let mut response = resource(StatusCode::CREATED, &created);
    if let Ok(location) = format!("Communication/{id}").parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

async fn file_for(
    state: &AppState,
    signed_in: &SignedIn,
    params: &HashMap<String, String>,
    names: &[&str],
) -> Result<CaseFile, FhirError> {
    let param = names.iter().find_map(|n| params.get(*n));
    let id = reference_id(param, "ServiceRequest/")?.ok_or_else(|| {
        invalid(format!(
            "le paramètre {} est requis (ServiceRequest/{{id}})",
            names[0]
        ))
    })?;
    Ok(state
        .store
        .case_file(&signed_in.actor, id, state.clock.now())
        .await?)
}

/// The resources of a request file of one type.
fn of_type(state: &AppState, file: &CaseFile, resource_type: &str) -> Vec<(String, Value)> {
    let values: Vec<Value> = match resource_type {
        "Communication" => message_facts(state, file),
        "DocumentReference" => {
            let last = file.reports.last().map(|r| r.id);
            file.reports
                .iter()
                .map(|r| {
                    fx::document_reference(&fx::ReportFacts {
                        id: r.id,
                        case_id: file.case.id,
                        patient_id: file.case.patient.id,
                        author_id: file
                            .advices
                            .iter()
                            .find(|a| a.version == r.advice_version)
                            .map(|a| a.author_id),
                        version: r.version,
                        current: Some(r.id) == last,
                        size: r.size,
                        sha256_hex: r.sha256.clone(),
                        created_at: r.created_at,
                        title: format!("Compte rendu {}", file.case.reference),
                    })
                })
                .collect()
        }
        _ => file
            .appointments
            .iter()
            .map(|a| {
                fx::appointment(&fx::AppointmentFacts {
                    id: a.id,
                    case_id: file.case.id,
                    patient_id: file.case.patient.id,
                    starts_at: a.starts_at,
                    place: a.place.clone(),
                    instructions: a.instructions.clone(),
                    proposed_at: a.proposed_at,
                })
            })
            .collect(),
    };
    values
        .into_iter()
        .map(|v| {
            (
                format!("{resource_type}/{}", v["id"].as_str().unwrap_or("")),
                v,
            )
        })
        .collect()
}

/// `GET /fhir/r4/Communication?based-on=ServiceRequest/{id}`.
pub async fn search_communications(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, FhirError> {
    let file = file_for(&state, &signed_in, &params, &["based-on"]).await?;
    Ok(bundle(of_type(&state, &file, "Communication")))
}

/// `GET /fhir/r4/DocumentReference?related=ServiceRequest/{id}`.
pub async fn search_documents(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, FhirError> {
    let file = file_for(&state, &signed_in, &params, &["related", "based-on"]).await?;
    Ok(bundle(of_type(&state, &file, "DocumentReference")))
}

/// `GET /fhir/r4/Appointment?based-on=ServiceRequest/{id}`.
pub async fn search_appointments(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, FhirError> {
    let file = file_for(&state, &signed_in, &params, &["based-on"]).await?;
    Ok(bundle(of_type(&state, &file, "Appointment")))
}

/// `GET /fhir/r4/{Communication|DocumentReference|Appointment}/{id}`.
pub async fn read_object(
    state: &AppState,
    signed_in: &SignedIn,
    resource_type: &str,
    id: Uuid,
) -> Result<Value, FhirError> {
    let file = state
        .store
        .case_file_of_object(&signed_in.actor, id, state.clock.now())
        .await?;
    of_type(state, &file, resource_type)
        .into_iter()
        .map(|(_, v)| v)
        .find(|v| v["id"] == json!(id))
        .ok_or_else(FhirError::not_found)
}
