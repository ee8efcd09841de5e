//! `PUT` and `PATCH` of `/fhir/r4/Task/{id}`: a client moves a request as
//! the rules allow (take, decline, assign, start, ask, close). `PATCH`
//! takes a JSON Patch (RFC 6902, an array) or a merge patch (RFC 7386, an
//! object). `If-Match` is checked in the same transaction as the move:
//! a stale version is a 412 and changes nothing. The request's patient,
//! focus and requester cannot change.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use consilium_domain::expertise::Step;
use consilium_fhir::{
    expertise::{self as fx, TaskInput},
    meta::version_of,
};
use consilium_store::expertise::{MessageKind, NewMessage};
use serde_json::Value;
use uuid::Uuid;

use super::{
    FhirError, body_json,
    prefer::{Prefer, if_match, stale},
    repo::Repo,
    resource_type,
};
use crate::{AppState, SignedIn};

/// `PUT /fhir/r4/{type}/{id}`.
pub async fn put(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((type_name, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    resource_type(&type_name, |d| d.interactions.update)?;
    let new = body_json(&body)?;
    if new["id"].as_str().is_some_and(|given| given != id) {
        return Err(FhirError::invalid(format!(
            "l'id du corps ({}) n'est pas celui de l'URL ({id}) / the body's id is not the URL's",
            new["id"]
        )));
    }
    let mut repo = Repo::new(&state, &signed_in, &["Task"]);
    let current = current_task(&mut repo, &id).await?;
    apply(&mut repo, &current, &new, &headers).await
}

/// `PATCH /fhir/r4/{type}/{id}`.
pub async fn patch(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((type_name, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    resource_type(&type_name, |d| d.interactions.update)?;
    let change = body_json(&body)?;
    let mut repo = Repo::new(&state, &signed_in, &["Task"]);
    let current = current_task(&mut repo, &id).await?;
    let mut new = current.clone();
    match change {
        Value::Array(_) => {
            let operations: json_patch::Patch = serde_json::from_value(change).map_err(|_| {
                FhirError::invalid(
                    "JSON Patch (RFC 6902) invalide : chaque opération a op, path et value ou from / invalid JSON Patch: each operation has op, path and value or from",
                )
            })?;
            json_patch::patch(&mut new, &operations).map_err(|e| {
                FhirError::invalid(format!(
                    "patch : l'opération n° {} ne s'applique pas au Task (chemin absent ou test faux) / operation {} does not apply to the Task",
                    e.operation + 1,
                    e.operation + 1
                ))
            })?;
        }
        Value::Object(_) => json_patch::merge(&mut new, &change),
        _ => {
            return Err(FhirError::invalid(
                "PATCH : un tableau (JSON Patch) ou un objet (merge patch) / a JSON Patch array or a merge patch object",
            ));
        }
    }
    apply(&mut repo, &current, &new, &headers).await
}

/// The Task as the caller may read it now (404 otherwise).
async fn current_task(repo: &mut Repo<'_>, id: &str) -> Result<Value, FhirError> {
    repo.read("Task", id)
        .await?
        .ok_or_else(FhirError::not_found)
}

fn reference_of(task: &Value, field: &str) -> Option<String> {
    task[field]["reference"].as_str().map(str::to_owned)
}

/// The step a new Task asks for, from the current one (none when nothing
/// changes), and the question when it puts the Task on hold.
fn step_for(
    current: &Value,
    input: &TaskInput,
) -> Result<Option<(Step, Option<String>)>, FhirError> {
    let status = current["status"].as_str().unwrap_or_default();
    let owner = reference_of(current, "owner").and_then(|r| {
        r.strip_prefix("Practitioner/")
            .and_then(|id| Uuid::parse_str(id).ok())
    });
    if input.status == status && (input.owner.is_none() || input.owner == owner) {
        return Ok(None);
    }
    let not_allowed = || {
        FhirError(
            StatusCode::CONFLICT,
            "business-rule",
            format!(
                "passage de « {status} » à « {} » non permis / move not allowed",
                input.status
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
        "in-progress" if status == "accepted" => (Step::Start, None),
        "on-hold" => {
            let question = input.note.clone().ok_or_else(|| {
                FhirError::invalid("mettre en attente demande la question dans note[0].text / on-hold needs the question in note[0].text")
            })?;
            (Step::Ask, Some(question))
        }
        "completed" => (Step::Close, None),
        _ => return Err(not_allowed()),
    };
    Ok(Some(step))
}

async fn apply(
    repo: &mut Repo<'_>,
    current: &Value,
    new: &Value,
    headers: &HeaderMap,
) -> Result<Response, FhirError> {
    if new["resourceType"] != "Task" {
        return Err(FhirError::invalid(
            "resourceType doit être Task / must be Task",
        ));
    }
    // A Task cannot be moved to another request, patient or requester.
    for field in ["focus", "for", "requester"] {
        if let Some(given) = reference_of(new, field)
            && Some(&given) != reference_of(current, field).as_ref()
        {
            return Err(FhirError::invalid(format!(
                "Task.{field} ne peut pas changer / Task.{field} cannot change"
            )));
        }
    }
    let id = current["id"]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(FhirError::not_found)?;
    let version = version_of(current).unwrap_or_default().to_owned();
    let wanted = if_match(headers)?;
    let if_version = match &wanted {
        Some(w) => Some(w.parse::<i32>().map_err(|_| stale(w, &version))?),
        None => None,
    };
    let input = fx::parse_task(new).map_err(FhirError::invalid)?;
    let state = repo.state();
    let actor = &repo.signed_in().actor;
    let now = state.clock.now();
    match step_for(current, &input)? {
        None => {
            if let Some(w) = &wanted
                && *w != version
            {
                return Err(stale(w, &version));
            }
        }
        Some((Step::Ask, Some(question))) => {
            let message = NewMessage {
                body: question,
                asks_photos: false,
                attachments: vec![],
                idempotency_key: None,
            };
            state
                .store
                .send_message_if(actor, id, MessageKind::Question, &message, if_version, now)
                .await?;
        }
        Some((step, _)) => {
            state
                .store
                .move_request_if(actor, id, &step, if_version, now)
                .await?;
        }
    }
    let mut fresh = Repo::new(state, repo.signed_in(), &["Task"]);
    let task = fresh
        .read("Task", &id.to_string())
        .await?
        .ok_or_else(FhirError::not_found)?;
    Ok(Prefer::of(headers).respond(
        StatusCode::OK,
        fresh.base(),
        &task,
        "demande mise à jour / request updated",
    ))
}
