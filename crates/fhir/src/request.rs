//! The tele-expertise request in FHIR R4: a `ServiceRequest` with its `Task`,
//! the `QuestionnaireResponse`, the `Patient` and the photos as `Media`
//! (DESIGN.md, "Tele-expertise in FHIR R4"), and the transaction `Bundle`
//! an integrator posts to file one.

use consilium_domain::{
    Ins, NamePart,
    directory::SpecialtyCode,
    patient::{IdentityStatus, Sex},
    questionnaire::{Answer, Answers},
};
use jiff::{Timestamp, civil::Date};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::meta::stamp;

/// INS-NIR (FR Core).
pub const INS_SYSTEM: &str = "urn:oid:1.2.250.1.213.1.4.8";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
const STATUS_SYSTEM: &str = "https://consilium.health/fhir/CodeSystem/identity-status";
const VIEW_SYSTEM: &str = "https://consilium.health/fhir/CodeSystem/photo-view";

/// A patient's identity as FHIR carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientIdentity {
    /// INS.
    pub ins: Option<Ins>,
    /// Birth family name.
    pub family: NamePart,
    /// First names.
    pub given: NamePart,
    /// Birth date.
    pub birth_date: Date,
    /// Sex.
    pub sex: Sex,
    /// Identity status.
    pub status: IdentityStatus,
}

/// A file of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFacts {
    /// The upload (also the Binary and Media id).
    pub upload_id: Uuid,
    /// Body site, as text.
    pub body_site: Option<String>,
    /// `overview`, `close_up`, `dermoscopic`.
    pub view: Option<String>,
    /// Stored media type.
    pub content_type: String,
    /// Pixel size, for an image.
    pub dimensions: Option<(i32, i32)>,
    /// When it was uploaded.
    pub created_at: Timestamp,
}

/// What the resources of a request are built from.
#[derive(Debug, Clone)]
pub struct RequestFacts {
    /// The case id (ServiceRequest, Task and QuestionnaireResponse ids).
    pub id: Uuid,
    /// Short reference, as an identifier.
    pub reference: String,
    /// Task status (`draft` while a draft).
    pub status: String,
    /// Started.
    pub created_at: Timestamp,
    /// Sent.
    pub submitted_at: Option<Timestamp>,
    /// Due.
    pub deadline: Option<Timestamp>,
    /// Consent recorded.
    pub consent_at: Option<Timestamp>,
    /// The patient.
    pub patient_id: Uuid,
    /// The requester.
    pub requester_id: Uuid,
    /// The team (a HealthcareService).
    pub team_id: Uuid,
    /// The team's name.
    pub team_name: String,
    /// The specialty (SNOMED CT code).
    pub specialty: String,
    /// The questionnaire's canonical URL.
    pub questionnaire: String,
    /// Answers.
    pub answers: Answers,
    /// Files.
    pub media: Vec<MediaFacts>,
    /// The expert who owns the Task, once assigned or taken.
    pub owner_id: Option<Uuid>,
    /// Why it was declined, while it is.
    pub status_reason: Option<String>,
    /// True once an advice was sent (`businessStatus` answered).
    pub answered: bool,
    /// Its version: 1 as a draft, one more per step (`ServiceRequest` and
    /// `Task` share it).
    pub version: i32,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// `urgent` rather than `routine`.
    pub urgent: bool,
}

fn gender(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Other => "other",
    }
}

/// `Patient` (an identity never changes: version 1).
pub fn patient(id: Uuid, p: &PatientIdentity, created_at: Timestamp) -> Value {
    let mut resource = json!({
        "resourceType": "Patient",
        "id": id,
        "meta": { "tag": [{ "system": STATUS_SYSTEM, "code": p.status.code(), "display": p.status.label_fr() }] },
        "name": [{ "use": "official", "family": p.family, "given": p.given.as_str().split(' ').collect::<Vec<_>>() }],
        "gender": gender(p.sex),
        "birthDate": p.birth_date.to_string(),
    });
    if let Some(ins) = &p.ins {
        resource["identifier"] = json!([{ "system": INS_SYSTEM, "value": ins }]);
    }
    stamp(&mut resource, "1", created_at);
    resource
}

/// The team a request is addressed to (named when its name is known).
fn team(r: &RequestFacts) -> Value {
    let mut reference = json!({ "reference": format!("HealthcareService/{}", r.team_id) });
    if !r.team_name.is_empty() {
        reference["display"] = json!(r.team_name);
    }
    reference
}

/// `ServiceRequest.status` for a Task status.
fn request_status(task_status: &str) -> &'static str {
    match task_status {
        "draft" => "draft",
        "completed" => "completed",
        "cancelled" => "revoked",
        _ => "active",
    }
}

/// `ServiceRequest`.
pub fn service_request(r: &RequestFacts) -> Value {
    let mut supporting = vec![json!({ "reference": format!("QuestionnaireResponse/{}", r.id) })];
    supporting.extend(
        r.media
            .iter()
            .map(|m| json!({ "reference": format!("Media/{}", m.upload_id) })),
    );
    let mut resource = json!({
        "resourceType": "ServiceRequest",
        "id": r.id,
        "identifier": [{ "system": "https://consilium.health/fhir/NamingSystem/case-reference", "value": r.reference }],
        "status": request_status(&r.status),
        "intent": "order",
        "category": [{ "coding": [{ "system": "https://consilium.health/fhir/CodeSystem/request-category", "code": "tele-expertise", "display": "Télé-expertise" }] }],
        "code": { "coding": [{ "system": SNOMED, "code": r.specialty.as_str() }] },
        "subject": { "reference": format!("Patient/{}", r.patient_id) },
        "requester": { "reference": format!("Practitioner/{}", r.requester_id) },
        "performer": [team(r)],
        "authoredOn": r.submitted_at.unwrap_or(r.created_at).to_string(),
        "priority": if r.urgent { "urgent" } else { "routine" },
        "supportingInfo": supporting,
    });
    stamp(&mut resource, &r.version.to_string(), r.updated_at);
    resource
}

/// `Task` (its status is the request's progress).
pub fn task(r: &RequestFacts) -> Value {
    let mut resource = json!({
        "resourceType": "Task",
        "id": r.id,
        "status": r.status,
        "intent": "order",
        "focus": { "reference": format!("ServiceRequest/{}", r.id) },
        "for": { "reference": format!("Patient/{}", r.patient_id) },
        "requester": { "reference": format!("Practitioner/{}", r.requester_id) },
        "owner": team(r),
        "authoredOn": r.created_at.to_string(),
        "lastModified": r.updated_at.to_string(),
        "priority": if r.urgent { "urgent" } else { "routine" },
    });
    if let Some(owner) = r.owner_id {
        resource["owner"] = json!({ "reference": format!("Practitioner/{owner}") });
    }
    if let Some(reason) = &r.status_reason {
        resource["statusReason"] = json!({ "text": reason });
    }
    if r.answered {
        resource["businessStatus"] = json!({ "coding": [{ "system": crate::expertise::BUSINESS_STATUS, "code": "answered" }], "text": "Avis rendu" });
    }
    if let Some(deadline) = r.deadline {
        resource["restriction"] = json!({ "period": { "end": deadline.to_string() } });
    }
    stamp(&mut resource, &r.version.to_string(), r.updated_at);
    resource
}

/// `QuestionnaireResponse`.
pub fn questionnaire_response(r: &RequestFacts) -> Value {
    let items: Vec<Value> = r
        .answers
        .iter()
        .filter_map(|(link_id, answer)| {
            let answers: Vec<Value> = match answer {
                Answer::Boolean(b) => vec![json!({ "valueBoolean": b })],
                Answer::Text(t) => vec![json!({ "valueString": t })],
                Answer::Codes(codes) => codes
                    .iter()
                    .map(|c| json!({ "valueCoding": { "code": c } }))
                    .collect(),
                Answer::Attachments(_) => return None,
            };
            Some(json!({ "linkId": link_id, "answer": answers }))
        })
        .collect();
    let mut resource = json!({
        "resourceType": "QuestionnaireResponse",
        "id": r.id,
        "questionnaire": r.questionnaire,
        "status": if r.status == "draft" { "in-progress" } else { "completed" },
        "basedOn": [{ "reference": format!("ServiceRequest/{}", r.id) }],
        "subject": { "reference": format!("Patient/{}", r.patient_id) },
        "author": { "reference": format!("Practitioner/{}", r.requester_id) },
        "item": items,
    });
    if let Some(at) = r.consent_at {
        resource["authored"] = json!(at.to_string());
    }
    // Answers are frozen once sent: one version.
    stamp(&mut resource, "1", r.submitted_at.unwrap_or(r.created_at));
    resource
}

/// `Media` of a photo or document.
pub fn media(case_id: Uuid, patient_id: Uuid, m: &MediaFacts) -> Value {
    let mut resource = json!({
        "resourceType": "Media",
        "id": m.upload_id,
        "status": "completed",
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "subject": { "reference": format!("Patient/{patient_id}") },
        "createdDateTime": m.created_at.to_string(),
        "content": { "contentType": m.content_type, "url": format!("Binary/{}", m.upload_id) },
    });
    if let Some((width, height)) = m.dimensions {
        resource["width"] = json!(width);
        resource["height"] = json!(height);
    }
    if let Some(site) = &m.body_site {
        resource["bodySite"] = json!({ "text": site });
    }
    if let Some(view) = &m.view {
        resource["view"] = json!({ "coding": [{ "system": VIEW_SYSTEM, "code": view }] });
    }
    stamp(&mut resource, "1", m.created_at);
    resource
}

/// An `OperationOutcome` with one error.
pub fn operation_outcome(code: &str, text: &str) -> Value {
    crate::bundle::outcome("error", code, text)
}

/// The patient of a posted transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientInput {
    /// `Patient/{id}`, already known to the site.
    Known(Uuid),
    /// A new identity.
    New(PatientIdentity),
}

/// A file of a posted transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaContent {
    /// `Binary/{id}`: a completed tus upload.
    Upload(Uuid),
    /// Inline base64 data, with the media type the client declared.
    Inline {
        /// The base64 text.
        data: String,
        /// `Media.content.contentType`.
        content_type: Option<String>,
    },
}

/// A posted `Media`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInput {
    /// Its content.
    pub content: MediaContent,
    /// Body site text.
    pub body_site: Option<String>,
    /// View code.
    pub view: Option<String>,
}

/// What a transaction `Bundle` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInput {
    /// The patient.
    pub patient: PatientInput,
    /// The specialty (`ServiceRequest.code`).
    pub specialty: SpecialtyCode,
    /// The answers (`QuestionnaireResponse.item`).
    pub answers: Answers,
    /// The files.
    pub media: Vec<MediaInput>,
    /// `ServiceRequest.priority` other than `routine`.
    pub urgent: bool,
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// Reads a posted `Patient`; the error says what is wrong, in French.
pub fn parse_patient(resource: &Value) -> Result<PatientIdentity, String> {
    let name = resource["name"].get(0).ok_or("Patient.name est requis")?;
    let given: Vec<String> = name["given"]
        .as_array()
        .map(|g| g.iter().filter_map(text).collect())
        .unwrap_or_default();
    let ins = resource["identifier"]
        .as_array()
        .and_then(|ids| ids.iter().find(|i| i["system"] == INS_SYSTEM))
        .and_then(|i| i["value"].as_str())
        .map(Ins::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
    let sex = match resource["gender"].as_str() {
        Some("female") => Sex::Female,
        Some("male") => Sex::Male,
        _ => Sex::Other,
    };
    let status = resource["meta"]["tag"]
        .as_array()
        .and_then(|tags| tags.iter().find(|t| t["system"] == STATUS_SYSTEM))
        .and_then(|t| t["code"].as_str())
        .map_or(Ok(IdentityStatus::Provisoire), IdentityStatus::parse)
        .map_err(|e| e.to_string())?;
    Ok(PatientIdentity {
        ins,
        family: NamePart::parse(name["family"].as_str().unwrap_or(""))
            .map_err(|e| format!("Patient.name.family: {e}"))?,
        given: NamePart::parse(&given.join(" ")).map_err(|e| format!("Patient.name.given: {e}"))?,
        birth_date: resource["birthDate"]
            .as_str()
            .unwrap_or("")
            .parse()
            .map_err(|_| "Patient.birthDate invalide")?,
        sex,
        status,
    })
}

fn parse_answers(resource: &Value) -> Result<Answers, String> {
    let mut answers = Answers::new();
    for item in resource["item"].as_array().into_iter().flatten() {
        let link_id = item["linkId"]
            .as_str()
            .ok_or("QuestionnaireResponse.item.linkId est requis")?;
        let values: Vec<&Value> = item["answer"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let answer = if let Some(b) = values.first().and_then(|v| v["valueBoolean"].as_bool()) {
            Answer::Boolean(b)
        } else if let Some(s) = values.first().and_then(|v| v["valueString"].as_str()) {
            Answer::Text(s.to_owned())
        } else {
            Answer::Codes(
                values
                    .iter()
                    .filter_map(|v| v["valueCoding"]["code"].as_str().map(str::to_owned))
                    .collect(),
            )
        };
        answers.insert(link_id.to_owned(), answer);
    }
    Ok(answers)
}

fn parse_media(resource: &Value) -> Result<MediaInput, String> {
    let content = &resource["content"];
    let content = if let Some(url) = content["url"].as_str() {
        let id = url.trim_start_matches("Binary/");
        MediaContent::Upload(
            Uuid::parse_str(id).map_err(|_| format!("Media.content.url invalide : {url}"))?,
        )
    } else if let Some(data) = content["data"].as_str() {
        MediaContent::Inline {
            data: data.to_owned(),
            content_type: text(&content["contentType"]),
        }
    } else {
        return Err("Media.content.url (Binary/{id}) ou Media.content.data est requis".into());
    };
    Ok(MediaInput {
        content,
        body_site: text(&resource["bodySite"]["text"]),
        view: resource["view"]["coding"]
            .get(0)
            .and_then(|c| text(&c["code"])),
    })
}

/// Reads a transaction `Bundle` filing one request.
pub fn parse_transaction(bundle: &Value) -> Result<RequestInput, String> {
    if bundle["resourceType"] != "Bundle" || bundle["type"] != "transaction" {
        return Err(
            "un Bundle de type transaction est attendu / a transaction Bundle is expected".into(),
        );
    }
    let entries = bundle["entry"]
        .as_array()
        .ok_or("Bundle.entry est requis")?;
    let of_type = |t: &'static str| {
        entries
            .iter()
            .map(|e| &e["resource"])
            .filter(move |r| r["resourceType"] == t)
    };
    let request = of_type("ServiceRequest")
        .next()
        .ok_or("un ServiceRequest est requis / a ServiceRequest is required")?;
    let code = request["code"]["coding"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["system"] == SNOMED))
        .and_then(|c| c["code"].as_str())
        .ok_or("ServiceRequest.code (SNOMED CT) est requis")?;
    let specialty = SpecialtyCode::parse(code).map_err(|e| e.to_string())?;
    let urgent = match request["priority"].as_str() {
        None | Some("routine") => false,
        Some("urgent" | "asap" | "stat") => true,
        Some(other) => return Err(format!("ServiceRequest.priority inconnue : {other}")),
    };
    let subject = request["subject"]["reference"].as_str().unwrap_or("");
    let patient = match subject
        .strip_prefix("Patient/")
        .and_then(|id| Uuid::parse_str(id).ok())
    {
        Some(id) => PatientInput::Known(id),
        None => PatientInput::New(parse_patient(
            of_type("Patient").next().ok_or("un Patient est requis")?,
        )?),
    };
    let answers = match of_type("QuestionnaireResponse").next() {
        Some(response) => parse_answers(response)?,
        None => {
            return Err(
                "une QuestionnaireResponse est requise / a QuestionnaireResponse is required"
                    .into(),
            );
        }
    };
    let media = of_type("Media")
        .map(parse_media)
        .collect::<Result<_, _>>()?;
    Ok(RequestInput {
        patient,
        specialty,
        answers,
        media,
        urgent,
    })
}
