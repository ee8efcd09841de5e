//! An audit record as a FHIR `AuditEvent`, shaped like IHE Basic Audit Log
//! Patterns (BALP): who (agent, with the client address), what (subtype:
//! our action code; action C/R/U/E), about which patient and request
//! (entity), when, and the outcome. No clinical content: the record holds
//! none.

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::meta::stamp;

const AUDIT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const DICOM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const ACTION: &str = "https://consilium.health/fhir/CodeSystem/audit-action";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";
const AGENT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

/// One audit record.
#[derive(Debug, Clone)]
pub struct AuditFacts {
    /// Position in the chain (the id).
    pub seq: i64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// `session`, `token`, `command`, `anonymous`.
    pub via: String,
    /// For which organisation.
    pub organization_id: Option<Uuid>,
    /// About which patient.
    pub patient_id: Option<Uuid>,
    /// Every other patient the access returned (a search's results).
    pub patients: Vec<Uuid>,
    /// About which request.
    pub case_id: Option<Uuid>,
    /// About which other object.
    pub object_id: Option<Uuid>,
    /// What (`case.read`…).
    pub action: String,
    /// `success`, `denied`, `not_found`, `failure`.
    pub outcome: String,
    /// Client address.
    pub client_addr: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
}

/// The FHIR action of one of our action codes.
fn action_code(action: &str) -> &'static str {
    let verb = action.rsplit('.').next().unwrap_or(action);
    match verb {
        "read" => "R",
        "create" => "C",
        "delete" => "D",
        "search" => "E",
        _ if action.starts_with("auth.") || action.starts_with("token.") => "E",
        _ => "U",
    }
}

fn outcome_code(outcome: &str) -> &'static str {
    match outcome {
        "success" => "0",
        "denied" | "not_found" => "4",
        _ => "8",
    }
}

/// `AuditEvent` (version 1: an audit record never changes).
pub fn audit_event(a: &AuditFacts) -> Value {
    let security = a.action.starts_with("auth.");
    let kind = if security {
        json!({ "system": DICOM, "code": "110114", "display": "User Authentication" })
    } else {
        json!({ "system": AUDIT_TYPE, "code": "rest", "display": "RESTful Operation" })
    };
    let mut agent = json!({
        "type": { "coding": [{ "system": AGENT_TYPE, "code": "humanuser", "display": "human user" }] },
        "who": match a.actor_id {
            Some(id) => json!({ "reference": format!("Practitioner/{id}") }),
            None => json!({ "display": "anonyme / anonymous" }),
        },
        "requestor": true,
    });
    if let Some(addr) = &a.client_addr {
        agent["network"] = json!({ "address": addr, "type": "2" });
    }
    if let Some(org) = a.organization_id {
        agent["extension"] = json!([{
            "url": "https://consilium.health/fhir/StructureDefinition/acting-for",
            "valueReference": { "reference": format!("Organization/{org}") },
        }]);
    }
    let mut entity = Vec::new();
    for patient in a.patient_id.iter().chain(&a.patients) {
        entity.push(
            json!({ "what": { "reference": format!("Patient/{patient}") },
            "role": { "system": OBJECT_ROLE, "code": "1", "display": "Patient" } }),
        );
    }
    if let Some(case) = a.case_id {
        entity.push(
            json!({ "what": { "reference": format!("ServiceRequest/{case}") },
            "role": { "system": OBJECT_ROLE, "code": "4", "display": "Domain Resource" } }),
        );
    }
    if let Some(object) = a.object_id {
        entity.push(
            json!({ "what": { "identifier": { "value": object.to_string() } },
            "role": { "system": OBJECT_ROLE, "code": "4", "display": "Domain Resource" } }),
        );
    }
    if let Some(request) = &a.request_id {
        entity.push(json!({ "what": { "identifier": { "system": "https://consilium.health/fhir/NamingSystem/x-request-id", "value": request } },
            "type": { "system": "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType", "code": "XrequestId" } }));
    }
    let mut resource = json!({
        "resourceType": "AuditEvent",
        "id": a.seq.to_string(),
        "type": kind,
        "subtype": [{ "system": ACTION, "code": a.action }],
        "action": action_code(&a.action),
        "recorded": a.at.to_string(),
        "outcome": outcome_code(&a.outcome),
        "outcomeDesc": format!("{} ({})", a.outcome, a.via),
        "agent": [agent],
        "source": { "observer": { "display": "Consilium" },
            "type": [{ "system": SOURCE_TYPE, "code": "4", "display": "Application Server" }] },
    });
    if !entity.is_empty() {
        resource["entity"] = json!(entity);
    }
    stamp(&mut resource, "1", a.at);
    resource
}
