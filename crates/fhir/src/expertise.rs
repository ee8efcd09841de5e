//! The expert's side in FHIR R4: the thread as `Communication` (category
//! `question`, `reply` or `advice`), the report as `DocumentReference`, the
//! visit as `Appointment`, and what a client may post or put to move a
//! request (DESIGN.md, "Fixed names in the FHIR flow").

use consilium_domain::expertise::{Advice, DeclineKind, Visit};
use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::meta::stamp;

/// `Communication.category` codes, relative to the deployment's canonical base.
pub const COMMUNICATION_KIND: &str = "/CodeSystem/communication-kind";
/// `Task.businessStatus` codes.
pub const BUSINESS_STATUS: &str = "https://consilium.health/fhir/CodeSystem/task-business-status";
/// Which part of the advice a payload is.
pub const ADVICE_PART: &str = "https://consilium.health/fhir/StructureDefinition/advice-part";
/// Whether and when the patient must be seen in person.
pub const VISIT: &str = "https://consilium.health/fhir/StructureDefinition/in-person-visit";
/// ICD-10 (CIM-10).
pub const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";

/// A message as FHIR shows it.
#[derive(Debug, Clone)]
pub struct MessageFacts {
    pub id: Uuid,
    pub case_id: Uuid,
    pub patient_id: Uuid,
    pub author_id: Uuid,
    pub recipient_id: Option<Uuid>,
    pub kind: String,
    pub at: Timestamp,
    pub body: String,
    pub upload_ids: Vec<Uuid>,
    /// For an advice: the structured version.
    pub advice: Option<(i32, Advice)>,
}

/// `Communication`.
pub fn communication(base: &str, m: &MessageFacts) -> Value {
    let mut payload: Vec<Value> = Vec::new();
    match &m.advice {
        Some((_, advice)) => {
            let mut part = |name: &str, text: &str| {
                if !text.is_empty() {
                    payload.push(json!({ "extension": [{ "url": ADVICE_PART, "valueCode": name }], "contentString": text }));
                }
            };
            part("hypothesis", &advice.hypothesis);
            part("management", &advice.management);
            part("note", &advice.note);
        }
        None if !m.body.is_empty() => payload.push(json!({ "contentString": m.body })),
        None => {}
    }
    payload.extend(
        m.upload_ids
            .iter()
            .map(|id| json!({ "contentAttachment": { "url": format!("Binary/{id}") } })),
    );
    let mut resource = json!({
        "resourceType": "Communication",
        "id": m.id,
        "status": "completed",
        "category": [{ "coding": [{ "system": format!("{base}{COMMUNICATION_KIND}"), "code": m.kind }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{}", m.case_id) }],
        "subject": { "reference": format!("Patient/{}", m.patient_id) },
        "sender": { "reference": format!("Practitioner/{}", m.author_id) },
        "sent": m.at.to_string(),
        "payload": payload,
    });
    if let Some(recipient) = m.recipient_id {
        resource["recipient"] = json!([{ "reference": format!("Practitioner/{recipient}") }]);
    }
    if let Some((version, advice)) = &m.advice {
        resource["extension"] = json!([{ "url": VISIT, "valueCode": advice.visit.code() }]);
        resource["identifier"] = json!([{ "system": "https://consilium.health/fhir/NamingSystem/advice-version", "value": version.to_string() }]);
        if let Some(code) = &advice.icd10 {
            resource["reasonCode"] =
                json!([{ "coding": [{ "system": ICD10, "code": code.as_str() }] }]);
        }
    }
    // Sent is sent: a message never changes (a corrected advice is another).
    stamp(&mut resource, "1", m.at);
    resource
}

/// A report version as FHIR shows it.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    pub id: Uuid,
    pub case_id: Uuid,
    pub patient_id: Uuid,
    pub author_id: Option<Uuid>,
    pub version: i32,
    pub size: i64,
    pub sha256_hex: String,
    pub created_at: Timestamp,
    pub title: String,
    /// When a corrected version replaced it (its second and last version).
    pub superseded_at: Option<Timestamp>,
}

/// `DocumentReference` (the PDF is `Binary/{id}`).
pub fn document_reference(r: &ReportFacts) -> Value {
    let mut resource = json!({
        "resourceType": "DocumentReference",
        "id": r.id,
        "status": if r.superseded_at.is_none() { "current" } else { "superseded" },
        "type": { "coding": [{ "system": "http://loinc.org", "code": "11488-4", "display": "Consult note" }], "text": "Compte rendu de télé-expertise" },
        "subject": { "reference": format!("Patient/{}", r.patient_id) },
        "date": r.created_at.to_string(),
        "description": format!("{} — version {}", r.title, r.version),
        "content": [{ "attachment": { "contentType": "application/pdf", "url": format!("Binary/{}", r.id), "size": r.size, "title": r.title, "creation": r.created_at.to_string() } }],
        "context": { "related": [{ "reference": format!("ServiceRequest/{}", r.case_id) }] },
    });
    if let Some(author) = r.author_id {
        resource["author"] = json!([{ "reference": format!("Practitioner/{author}") }]);
    }
    match r.superseded_at {
        Some(at) => stamp(&mut resource, "2", at),
        None => stamp(&mut resource, "1", r.created_at),
    }
    resource
}

/// An appointment as FHIR shows it.
#[derive(Debug, Clone)]
pub struct AppointmentFacts {
    pub id: Uuid,
    pub case_id: Uuid,
    pub patient_id: Uuid,
    pub starts_at: Timestamp,
    pub place: String,
    pub instructions: String,
    pub proposed_at: Timestamp,
}

/// `Appointment` (proposed by the centre).
pub fn appointment(a: &AppointmentFacts) -> Value {
    let mut resource = json!({
        "resourceType": "Appointment",
        "id": a.id,
        "status": "proposed",
        "basedOn": [{ "reference": format!("ServiceRequest/{}", a.case_id) }],
        "start": a.starts_at.to_string(),
        "created": a.proposed_at.to_string(),
        "description": a.place,
        "participant": [{ "actor": { "reference": format!("Patient/{}", a.patient_id) }, "status": "needs-action" }],
    });
    // FHIR strings are never empty: an absent instruction is no element.
    if !a.instructions.is_empty() {
        resource["patientInstruction"] = json!(a.instructions);
    }
    stamp(&mut resource, "1", a.proposed_at);
    resource
}

/// What a posted `Communication` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunicationInput {
    /// An expert's question (`asks_photos` when it asks for photos).
    Question { case_id: Uuid, text: String },
    /// A requester's reply, with `Binary/{id}` uploads.
    Reply {
        case_id: Uuid,
        text: String,
        uploads: Vec<Uuid>,
    },
    /// An expert's advice.
    Advice { case_id: Uuid, advice: Advice },
}

fn kind_of(value: &Value) -> Option<String> {
    let coding = value["category"]
        .as_array()?
        .iter()
        .flat_map(|c| c["coding"].as_array().into_iter().flatten());
    coding
        .filter(|c| {
            c["system"]
                .as_str()
                .is_none_or(|s| s.ends_with(COMMUNICATION_KIND))
        })
        .find_map(|c| c["code"].as_str().map(str::to_owned))
}

/// Reads a posted `Communication`; the error says what is wrong, in French.
pub fn parse_communication(value: &Value) -> Result<CommunicationInput, String> {
    if value["resourceType"] != "Communication" {
        return Err("resourceType doit être Communication".into());
    }
    let case_id = value["basedOn"]
        .as_array()
        .and_then(|refs| {
            refs.iter()
                .find_map(|r| r["reference"].as_str()?.strip_prefix("ServiceRequest/"))
        })
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or("basedOn doit désigner ServiceRequest/{id}")?;
    let payload = value["payload"].as_array().cloned().unwrap_or_default();
    let text_of = |part: Option<&str>| -> String {
        payload
            .iter()
            .filter(|p| {
                let code = p["extension"].as_array().and_then(|e| {
                    e.iter()
                        .find(|x| x["url"] == ADVICE_PART)
                        .and_then(|x| x["valueCode"].as_str())
                });
                code == part
            })
            .filter_map(|p| p["contentString"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let kind = kind_of(value).ok_or("category doit porter le code question, reply ou advice")?;
    match kind.as_str() {
        "question" => Ok(CommunicationInput::Question {
            case_id,
            text: text_of(None),
        }),
        "reply" => {
            let uploads = payload
                .iter()
                .filter_map(|p| p["contentAttachment"]["url"].as_str())
                .map(|url| {
                    url.rsplit_once("Binary/")
                        .and_then(|(_, id)| Uuid::parse_str(id).ok())
                        .ok_or_else(|| format!("pièce jointe {url} : attendu Binary/{{id}}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(CommunicationInput::Reply {
                case_id,
                text: text_of(None),
                uploads,
            })
        }
        "advice" => {
            let visit = value["extension"]
                .as_array()
                .and_then(|e| e.iter().find(|x| x["url"] == VISIT))
                .and_then(|x| x["valueCode"].as_str())
                .and_then(Visit::parse)
                .ok_or("l'avis doit dire s'il faut une consultation en présentiel (extension in-person-visit)")?;
            let icd10 = value["reasonCode"]
                .as_array()
                .and_then(|codes| {
                    codes
                        .iter()
                        .flat_map(|c| c["coding"].as_array().into_iter().flatten())
                        .find(|c| c["system"] == ICD10)
                })
                .and_then(|c| c["code"].as_str())
                .unwrap_or_default();
            let advice = Advice::new(
                &text_of(Some("hypothesis")),
                icd10,
                &text_of(Some("management")),
                visit,
                &text_of(Some("note")),
            )
            .map_err(|e| e.to_string())?;
            Ok(CommunicationInput::Advice { case_id, advice })
        }
        other => Err(format!(
            "catégorie « {other} » inconnue : question, reply ou advice"
        )),
    }
}

/// What a `PUT` (or patched) `Task` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInput {
    /// The status asked.
    pub status: String,
    /// `statusReason.text` (required to reject).
    pub reason: Option<String>,
    /// `statusReason.coding[0].code`: which kind of reason ("other" when absent).
    pub reason_kind: DeclineKind,
    /// `owner` when it is `Practitioner/{id}`.
    pub owner: Option<Uuid>,
    /// `note[0].text`: the question when putting it on hold.
    pub note: Option<String>,
}

/// Reads a `Task` a client puts.
pub fn parse_task(value: &Value) -> Result<TaskInput, String> {
    if value["resourceType"] != "Task" {
        return Err("resourceType doit être Task".into());
    }
    let status = value["status"]
        .as_str()
        .ok_or("status est requis")?
        .to_owned();
    let owner = match value["owner"]["reference"].as_str() {
        Some(r) => r
            .strip_prefix("Practitioner/")
            .and_then(|id| Uuid::parse_str(id).ok()),
        None => None,
    };
    let text = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let reason_kind = match value["statusReason"]["coding"][0]["code"].as_str() {
        Some(code) => DeclineKind::parse(code).map_err(|e| e.to_string())?,
        None => DeclineKind::Other,
    };
    Ok(TaskInput {
        status,
        reason: text(&value["statusReason"]["text"]),
        reason_kind,
        owner,
        note: value["note"]
            .as_array()
            .and_then(|n| n.first())
            .and_then(|n| text(&n["text"])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advice_round_trips() {
        let advice = Advice::new("Kératose", "L82", "Surveiller", Visit::WithinMonth, "")
            .unwrap_or_else(|e| panic!("{e}"));
        let facts = MessageFacts {
            id: Uuid::nil(),
            case_id: Uuid::from_u128(7),
            patient_id: Uuid::nil(),
            author_id: Uuid::nil(),
            recipient_id: None,
            kind: "advice".into(),
            at: Timestamp::UNIX_EPOCH,
            body: String::new(),
            upload_ids: vec![],
            advice: Some((1, advice.clone())),
        };
        let value = communication("https://x.test/fhir/r4", &facts);
        assert_eq!(
            parse_communication(&value),
            Ok(CommunicationInput::Advice {
                case_id: Uuid::from_u128(7),
                advice
            })
        );
    }

    #[test]
    fn bad_communications_say_why() {
        let bare = json!({ "resourceType": "Communication", "basedOn": [{ "reference": "ServiceRequest/x" }] });
        assert!(parse_communication(&bare).unwrap_err().contains("basedOn"));
        let id = Uuid::from_u128(3);
        let no_kind = json!({ "resourceType": "Communication", "basedOn": [{ "reference": format!("ServiceRequest/{id}") }] });
        assert!(
            parse_communication(&no_kind)
                .unwrap_err()
                .contains("category")
        );
        let advice = json!({ "resourceType": "Communication", "category": [{ "coding": [{ "code": "advice" }] }],
            "basedOn": [{ "reference": format!("ServiceRequest/{id}") }], "payload": [] });
        assert!(
            parse_communication(&advice)
                .unwrap_err()
                .contains("in-person-visit")
        );
        let question = json!({ "resourceType": "Communication", "category": [{ "coding": [{ "code": "question" }] }],
            "basedOn": [{ "reference": format!("ServiceRequest/{id}") }], "payload": [{ "contentString": "Photo ?" }] });
        assert_eq!(
            parse_communication(&question),
            Ok(CommunicationInput::Question {
                case_id: id,
                text: "Photo ?".into()
            })
        );
    }
}
