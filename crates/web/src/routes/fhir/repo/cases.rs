//! A request and its parts as FHIR resources: `ServiceRequest`, `Task`
//! and `QuestionnaireResponse` (the request's id), `Media` (its files),
//! `Communication` (its thread), `DocumentReference` (its reports) and
//! `Appointment`; and which requests a search needs read.

use consilium_fhir::{
    expertise::{self as fx, AppointmentFacts, MessageFacts, ReportFacts},
    request::{self as fhir, MediaFacts, RequestFacts},
    search::SearchQuery,
};
use consilium_store::{
    expertise::StatusEvent,
    records::{CaseParts, CaseRecord, CaseScope},
};
use serde_json::Value;
use uuid::Uuid;

use super::base_url;
use crate::AppState;

/// True for the types whose id is the request's.
fn is_request_type(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "ServiceRequest" | "Task" | "QuestionnaireResponse"
    )
}

/// The parts of a request a type is made from.
pub(super) fn parts_for(resource_type: &str) -> CaseParts {
    let none = CaseParts::default();
    match resource_type {
        "ServiceRequest" | "Media" => CaseParts {
            files: true,
            ..none
        },
        "Communication" => CaseParts {
            thread: true,
            ..none
        },
        "DocumentReference" => CaseParts {
            reports: true,
            thread: true,
            ..none
        },
        "Appointment" => CaseParts {
            appointments: true,
            ..none
        },
        _ => none,
    }
}

fn ids(values: Vec<String>) -> Vec<Uuid> {
    values
        .iter()
        .filter_map(|v| Uuid::parse_str(v).ok())
        .collect()
}

/// Narrows both lists to their common ids when both are given.
fn and(a: Option<Vec<Uuid>>, b: Option<Vec<Uuid>>) -> Option<Vec<Uuid>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.into_iter().filter(|id| b.contains(id)).collect()),
        (a, b) => a.or(b),
    }
}

/// The requests a search of a request-bound type needs: every filter the
/// database can apply (a superset of the matches; the engine decides).
pub(super) fn scope_for(query: &SearchQuery) -> CaseScope {
    let name = query.resource.name;
    let reference = |param: &str, t: &str| query.reference_ids(param, t).map(ids);
    let own_ids = query.token_codes("_id").map(ids);
    let mut scope = CaseScope {
        patient_ids: and(
            reference("subject", "Patient"),
            reference("patient", "Patient"),
        ),
        ..CaseScope::default()
    };
    let via_request = match name {
        "Task" => reference("focus", "ServiceRequest"),
        "Media" | "Communication" | "QuestionnaireResponse" | "Appointment" => {
            reference("based-on", "ServiceRequest")
        }
        "DocumentReference" => reference("related", "ServiceRequest"),
        _ => None,
    };
    if is_request_type(name) {
        scope.case_ids = and(own_ids, via_request);
    } else {
        scope.case_ids = via_request;
        scope.object_ids = own_ids;
    }
    if name == "Task" {
        scope.statuses = query.token_codes("status");
        // The owner is an expert, or the team while nobody has it.
        scope.owner_ids = reference("owner", "Practitioner");
        scope.team_ids = reference("owner", "HealthcareService");
        if scope.owner_ids.is_some() && scope.team_ids.is_some() {
            scope.owner_ids = None;
            scope.team_ids = None;
        } else if scope.team_ids.is_some() {
            // An expert's task shows them as owner, not the team.
            scope.owner_ids = None;
        }
    }
    if name == "ServiceRequest" {
        scope.team_ids = reference("performer", "HealthcareService");
    }
    if matches!(name, "ServiceRequest" | "Task") {
        scope.requester_ids = reference("requester", "Practitioner");
    }
    scope
}

/// The request (or the one holding the object) of each id.
pub(super) fn read_scope(resource_type: &str, ids: Vec<Uuid>) -> CaseScope {
    if is_request_type(resource_type) {
        CaseScope {
            case_ids: Some(ids),
            ..CaseScope::default()
        }
    } else {
        CaseScope {
            object_ids: Some(ids),
            ..CaseScope::default()
        }
    }
}

/// The ids of a scope that names requests only.
pub(super) fn only_case_ids(scope: &CaseScope) -> Option<&[Uuid]> {
    let CaseScope {
        case_ids: Some(ids),
        object_ids: None,
        patient_ids: None,
        statuses: None,
        team_ids: None,
        owner_ids: None,
        requester_ids: None,
        unowned: false,
    } = scope
    else {
        return None;
    };
    Some(ids)
}

/// What of a request a resource shows besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// The state only (`Task`).
    State,
    /// Its files too (`ServiceRequest.supportingInfo`).
    Files,
    /// Its answers too (`QuestionnaireResponse`).
    Answers,
}

/// The request's facts at its current version; answers and files are read
/// only for the resources that show them.
fn request_facts(state: &AppState, r: &CaseRecord, detail: Detail) -> RequestFacts {
    let case = &r.case;
    RequestFacts {
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
        specialty: case.specialty_code.clone(),
        questionnaire: state
            .form(&case.specialty_code)
            .map(|f| f.url.clone())
            .unwrap_or_default(),
        answers: match detail {
            Detail::Answers => serde_json::from_value(case.answers.clone()).unwrap_or_default(),
            _ => Default::default(),
        },
        owner_id: case.owner_id,
        status_reason: case.status_reason.clone(),
        answered: case.answered,
        version: case.version,
        updated_at: case.updated_at,
        urgent: case.priority == "urgent",
        media: match detail {
            Detail::Files => r.files.iter().map(media_facts).collect(),
            _ => Vec::new(),
        },
    }
}

fn media_facts(f: &consilium_store::records::RecordFile) -> MediaFacts {
    MediaFacts {
        upload_id: f.attachment.upload_id,
        body_site: f.attachment.body_site.clone(),
        view: f.attachment.photo_kind.clone(),
        content_type: f.media_type.clone(),
        dimensions: f.dimensions,
        created_at: f.created_at,
    }
}

/// The request's patient.
pub(super) fn patient(r: &CaseRecord) -> Value {
    super::patients::resource(&r.case.patient)
}

fn messages(state: &AppState, r: &CaseRecord) -> Vec<Value> {
    let base = base_url(state);
    r.messages
        .iter()
        .map(|m| {
            let advice = r
                .advices
                .iter()
                .find(|a| a.message_id == m.id)
                .map(|a| (a.version, a.advice.clone()));
            fx::communication(
                &base,
                &MessageFacts {
                    id: m.id,
                    case_id: r.case.id,
                    patient_id: r.case.patient.id,
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

/// Each report version, and (when a correction replaced it) its second
/// version, superseded.
fn report_facts(r: &CaseRecord) -> Vec<ReportFacts> {
    r.reports
        .iter()
        .enumerate()
        .map(|(i, report)| ReportFacts {
            id: report.id,
            case_id: r.case.id,
            patient_id: r.case.patient.id,
            author_id: r
                .advices
                .iter()
                .find(|a| a.version == report.advice_version)
                .map(|a| a.author_id),
            version: report.version,
            size: report.size,
            sha256_hex: report.sha256.clone(),
            created_at: report.created_at,
            title: format!("Compte rendu {}", r.case.reference),
            superseded_at: r.reports.get(i + 1).map(|next| next.created_at),
        })
        .collect()
}

fn appointments(r: &CaseRecord) -> Vec<Value> {
    r.appointments
        .iter()
        .map(|a| {
            fx::appointment(&AppointmentFacts {
                id: a.id,
                case_id: r.case.id,
                patient_id: r.case.patient.id,
                starts_at: a.starts_at,
                place: a.place.clone(),
                instructions: a.instructions.clone(),
                proposed_at: a.proposed_at,
            })
        })
        .collect()
}

/// The resources of one type a request makes.
pub(super) fn resources(state: &AppState, resource_type: &str, r: &CaseRecord) -> Vec<Value> {
    match resource_type {
        "ServiceRequest" => vec![fhir::service_request(&request_facts(
            state,
            r,
            Detail::Files,
        ))],
        "Task" => vec![fhir::task(&request_facts(state, r, Detail::State))],
        "QuestionnaireResponse" => vec![fhir::questionnaire_response(&request_facts(
            state,
            r,
            Detail::Answers,
        ))],
        "Media" => r
            .files
            .iter()
            .map(|f| fhir::media(r.case.id, r.case.patient.id, &media_facts(f)))
            .collect(),
        "Communication" => messages(state, r),
        "DocumentReference" => report_facts(r).iter().map(fx::document_reference).collect(),
        "Appointment" => appointments(r),
        "Patient" => vec![patient(r)],
        _ => Vec::new(),
    }
}

/// The request as a status-history line left it (or as the draft it was).
fn facts_at(current: &RequestFacts, version: i32, event: Option<&StatusEvent>) -> RequestFacts {
    let mut facts = current.clone();
    facts.version = version;
    match event {
        None => {
            facts.status = "draft".into();
            facts.updated_at = current.created_at;
            facts.owner_id = None;
            facts.deadline = None;
            facts.answered = false;
            facts.status_reason = None;
            facts.submitted_at = None;
        }
        Some(e) => {
            facts.status = e.to_status.clone();
            facts.updated_at = e.at;
            if let Some(after) = &e.after {
                if after.team_id != facts.team_id {
                    // Transferred since: that team's name is not at hand.
                    facts.team_name = String::new();
                }
                facts.team_id = after.team_id;
                facts.owner_id = after.owner_id;
                facts.deadline = after.deadline;
                facts.answered = after.answered;
                facts.status_reason = after.status_reason.clone();
            }
        }
    }
    facts
}

/// Every version of the resource `id` a request makes, newest first. A
/// draft version shows to its creator only, as the draft did.
pub(super) fn versions(
    state: &AppState,
    resource_type: &str,
    r: &CaseRecord,
    id: &str,
    reader: Uuid,
) -> Vec<Value> {
    let current = request_facts(state, r, Detail::Files);
    let mut versions: Vec<Value> = match resource_type {
        "ServiceRequest" | "Task" if r.case.id.to_string() == id => {
            let make = if resource_type == "Task" {
                fhir::task
            } else {
                fhir::service_request
            };
            let mut all = Vec::new();
            if reader == r.case.parties.requester_id {
                all.push(make(&facts_at(&current, 1, None)));
            }
            for (i, event) in r.history.iter().enumerate() {
                let version = i32::try_from(i + 2).unwrap_or(i32::MAX);
                all.push(make(&facts_at(&current, version, Some(event))));
            }
            all
        }
        "DocumentReference" => report_facts(r)
            .into_iter()
            .filter(|f| f.id.to_string() == id)
            .flat_map(|f| {
                let first = ReportFacts {
                    superseded_at: None,
                    ..f.clone()
                };
                let mut both = vec![fx::document_reference(&first)];
                if f.superseded_at.is_some() {
                    both.push(fx::document_reference(&f));
                }
                both
            })
            .collect(),
        other => resources(state, other, r)
            .into_iter()
            .filter(|v| v["id"].as_str() == Some(id))
            .collect(),
    };
    versions.reverse();
    versions
}
