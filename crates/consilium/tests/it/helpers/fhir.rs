//! What the FHIR tests share: requests as a client sends them, a request
//! filed by transaction, Task moves, and the check of every resource by
//! the third-party `fhir.resources` (R4B) models.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
    response::Response,
};
use base64::Engine;
use consilium_blobs::testdata;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{TestApp, body_text};

pub const CLAIRE: &str = "claire.martin@demo.test";
pub const PIERRE: &str = "pierre.roche@demo.test";
pub const SOPHIE: &str = "sophie.lambert@demo.test";
pub const KARIM: &str = "karim.benali@demo.test";
pub const CELINE: &str = "celine.fournier@demo.test";

impl TestApp {
    pub(crate) async fn fhir(
        &self,
        method: &str,
        path: &str,
        token: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/fhir+json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/fhir+json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.request(request.body(body).unwrap()).await
    }
}

pub(crate) fn bundle(with_allergies: bool, binary_id: &str, inline: &str) -> Value {
    let mut items = vec![
        json!({ "linkId": "consent", "answer": [{ "valueBoolean": true }] }),
        json!({ "linkId": "question", "answer": [{ "valueString": "Nævus atypique ?" }] }),
        json!({ "linkId": "history", "answer": [{ "valueCoding": { "code": "none" } }] }),
        json!({ "linkId": "treatments", "answer": [{ "valueString": "Lévothyroxine" }] }),
        json!({ "linkId": "body_site", "answer": [{ "valueString": "Jambe droite" }] }),
        json!({ "linkId": "duration", "answer": [{ "valueCoding": { "code": "1-6m" } }] }),
        json!({ "linkId": "evolution", "answer": [{ "valueCoding": { "code": "changing" } }] }),
        json!({ "linkId": "symptoms", "answer": [{ "valueCoding": { "code": "bleeding" } }, { "valueCoding": { "code": "itch" } }] }),
        json!({ "linkId": "phototype", "answer": [{ "valueCoding": { "code": "III" } }] }),
        json!({ "linkId": "skin_cancer_history", "answer": [{ "valueCoding": { "code": "none" } }] }),
    ];
    if with_allergies {
        items.push(
            json!({ "linkId": "allergies", "answer": [{ "valueCoding": { "code": "none" } }] }),
        );
    }
    let ins = consilium_domain::Ins::from_nir("2860575123456")
        .unwrap()
        .to_string();
    json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            { "fullUrl": "urn:uuid:patient", "resource": {
                "resourceType": "Patient",
                "identifier": [{ "system": "urn:oid:1.2.250.1.213.1.4.8", "value": ins }],
                "name": [{ "family": "Durand", "given": ["Lucie", "Anne"] }],
                "gender": "female", "birthDate": "1986-05-12",
                "meta": { "tag": [{ "system": "https://consilium.health/fhir/CodeSystem/identity-status", "code": "qualifiee" }] }
            }, "request": { "method": "POST", "url": "Patient" } },
            { "fullUrl": "urn:uuid:qr", "resource": {
                "resourceType": "QuestionnaireResponse", "status": "completed", "item": items
            }, "request": { "method": "POST", "url": "QuestionnaireResponse" } },
            { "fullUrl": "urn:uuid:media-1", "resource": {
                "resourceType": "Media", "status": "completed", "content": { "url": format!("Binary/{binary_id}") },
                "bodySite": { "text": "Jambe droite" }
            }, "request": { "method": "POST", "url": "Media" } },
            { "fullUrl": "urn:uuid:media-2", "resource": {
                "resourceType": "Media", "status": "completed", "content": { "contentType": "image/jpeg", "data": inline }
            }, "request": { "method": "POST", "url": "Media" } },
            { "fullUrl": "urn:uuid:sr", "resource": {
                "resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": "urgent",
                "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "394582007" }] },
                "subject": { "reference": "urn:uuid:patient" }
            }, "request": { "method": "POST", "url": "ServiceRequest" } }
        ]
    })
}

impl TestApp {
    /// A completed tus upload of a small photo, as `token`.
    pub(crate) async fn photo_upload(&self, token: &str) -> String {
        self.upload_bytes(token, testdata::jpeg_with_gps(640, 480))
            .await
    }

    /// Uploads `photo` in one request (tus creation-with-upload); its id.
    pub(crate) async fn upload_bytes(&self, token: &str, photo: Vec<u8>) -> String {
        let created = self
            .request(
                Request::post("/files/")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header("tus-resumable", "1.0.0")
                    .header("upload-length", photo.len().to_string())
                    .header(header::CONTENT_TYPE, "application/offset+octet-stream")
                    .body(Body::from(photo))
                    .unwrap(),
            )
            .await;
        created.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .trim_start_matches("/files/")
            .to_owned()
    }

    /// A small photo in base64, as a `Media` carries it inline.
    pub(crate) fn inline_photo(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(testdata::jpeg_with_gps(320, 240))
    }

    /// A dermatology request filed through FHIR with two photos; its id and
    /// the first photo's.
    pub(crate) async fn file_request(&self, token: &str) -> (String, String) {
        let binary = self.photo_upload(token).await;
        let body = bundle(true, &binary, &self.inline_photo());
        let filed = json_of(
            self.fhir("POST", "/fhir/r4", token, None, Some(&body))
                .await,
        )
        .await;
        let case_id = filed_case_id(&filed);
        (case_id, binary)
    }

    /// `PUT` of the Task with a new status.
    pub(crate) async fn put_status(
        &self,
        path: &str,
        token: &str,
        status: &str,
    ) -> (StatusCode, Value) {
        let task = task_put(status, json!({}));
        status_of(self.fhir("PUT", path, token, None, Some(&task)).await).await
    }

    pub(crate) async fn patch_json(&self, path: &str, token: &str, patch: &Value) -> Response {
        self.request(
            Request::patch(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json-patch+json")
                .body(Body::from(patch.to_string()))
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn person_id(&self, email: &str) -> Uuid {
        let email = consilium_domain::Email::parse(email).unwrap();
        self.store
            .users()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.person.email == email)
            .unwrap()
            .person
            .id
    }
}

/// The id of the request a filing transaction's answer made.
pub(crate) fn filed_case_id(answer: &Value) -> String {
    answer["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| {
            e["response"]["location"]
                .as_str()?
                .strip_prefix("ServiceRequest/")?
                .split("/_history/")
                .next()
        })
        .unwrap()
        .to_owned()
}

pub(crate) async fn status_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = body_text(response).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub(crate) fn task_put(status: &str, extra: Value) -> Value {
    let mut task = json!({ "resourceType": "Task", "status": status, "intent": "order" });
    if let (Some(task), Some(extra)) = (task.as_object_mut(), extra.as_object()) {
        task.extend(extra.clone());
    }
    task
}

pub(crate) async fn json_of(response: Response) -> Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}

/// Checks resources with `tests/fhir/validate.py` (PyPI fhir.resources,
/// R4B). Required under `CI=true`; skipped with a message elsewhere.
pub(crate) fn validate_with_fhir_resources(resources: &[Value]) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let path = dir
                .path()
                .join(format!("{i}-{}.json", r["resourceType"].as_str().unwrap()));
            std::fs::write(&path, r.to_string()).unwrap();
            path.display().to_string()
        })
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fhir/validate.py");
    let required = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let probe = std::process::Command::new("python3")
        .args(["-c", "import fhir.resources.R4B"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            !required,
            "CI=true but python3 with fhir.resources is missing (pip install fhir.resources)"
        );
        eprintln!("SKIPPED: fhir.resources validation (pip install fhir.resources)");
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(script)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Everything one request went through.
#[derive(Debug, Clone)]
pub(crate) struct Walked {
    pub case_id: String,
    pub binary: String,
    pub question_id: String,
    pub advice_id: String,
    pub report_id: String,
    pub appointment_id: String,
}

/// A Communication of `kind` about `case_id`.
pub(crate) fn message(kind: &str, case_id: &str, text: &str, upload: Option<&str>) -> Value {
    let mut payload = vec![json!({ "contentString": text })];
    if let Some(id) = upload {
        payload.push(json!({ "contentAttachment": { "url": format!("Binary/{id}") } }));
    }
    json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "code": kind }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "payload": payload,
    })
}

/// An advice about `case_id`.
pub(crate) fn advice(case_id: &str) -> Value {
    json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "code": "advice" }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/in-person-visit", "valueCode": "within_month" }],
        "reasonCode": [{ "coding": [{ "system": "http://hl7.org/fhir/sid/icd-10", "code": "D22.7" }] }],
        "payload": [
            { "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/advice-part", "valueCode": "hypothesis" }], "contentString": "Naevus atypique" },
            { "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/advice-part", "valueCode": "management" }], "contentString": "Exérèse en consultation" }
        ]
    })
}

impl TestApp {
    /// A FHIR request with extra headers: status, headers and JSON body.
    pub(crate) async fn fhir_with(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/fhir+json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/fhir+json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let response = self.request(request.body(body).unwrap()).await;
        let (status, headers) = (response.status(), response.headers().clone());
        let text = body_text(response).await;
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A request filed by Claire, taken by Sophie, asked about, answered
    /// with a photo, advised on, and given an appointment by Céline.
    pub(crate) async fn walk_request(&self) -> Walked {
        let (claire, sophie) = (self.bearer(CLAIRE).await, self.bearer(SOPHIE).await);
        let (case_id, binary) = self.file_request(&claire).await;
        let task = format!("/fhir/r4/Task/{case_id}");
        let (status, taken) = self.put_status(&task, &sophie, "accepted").await;
        assert_eq!(status, StatusCode::OK, "{taken}");
        let post = |token: &str, body: Value| {
            let token = token.to_owned();
            async move {
                let (status, _, created) = self
                    .fhir_with("POST", "/fhir/r4/Communication", &token, &[], Some(&body))
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{created}");
                created["id"].as_str().unwrap().to_owned()
            }
        };
        let question_id = post(
            &sophie,
            message("question", &case_id, "Une photo en gros plan ?", None),
        )
        .await;
        let more = self.photo_upload(&claire).await;
        post(&claire, message("reply", &case_id, "Voici.", Some(&more))).await;
        let advice_id = post(&sophie, advice(&case_id)).await;
        let celine = self.sign_in(CELINE).await;
        let proposed = self
            .post_form(
                &format!("/dossiers/{case_id}/rendez-vous"),
                Some(&celine),
                &[
                    ("date", "2026-12-15"),
                    ("time", "10:30"),
                    ("place", "Porte 12"),
                    ("instructions", "Venir à jeun"),
                ],
            )
            .await;
        assert!(proposed.status().is_redirection(), "{}", proposed.status());
        let (_, _, documents) = self
            .fhir_with(
                "GET",
                &format!(
                    "/fhir/r4/DocumentReference?related=ServiceRequest/{case_id}&status=current"
                ),
                &claire,
                &[],
                None,
            )
            .await;
        let (_, _, appointments) = self
            .fhir_with(
                "GET",
                &format!("/fhir/r4/Appointment?based-on=ServiceRequest/{case_id}"),
                &claire,
                &[],
                None,
            )
            .await;
        Walked {
            case_id,
            binary,
            question_id,
            advice_id,
            report_id: documents["entry"][0]["resource"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
            appointment_id: appointments["entry"][0]["resource"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        }
    }
}

/// A resource with what changes from run to run replaced: ids (numbered in
/// order of appearance, so references still show what points where),
/// times, case references, content hashes, file contents.
pub(crate) fn redacted(value: &Value) -> Value {
    fn uuid_at(text: &str, at: usize) -> bool {
        let bytes = text.as_bytes();
        at + 36 <= bytes.len()
            && bytes[at..at + 36].iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    }
    fn text(s: &str, key: &str, ids: &mut Vec<String>) -> String {
        if key == "data" {
            return "[data]".into();
        }
        if s.parse::<jiff::Timestamp>().is_ok() {
            return "[time]".into();
        }
        if key == "versionId" && !s.bytes().all(|b| b.is_ascii_digit()) {
            return "[hash]".into();
        }
        let mut out = String::new();
        let mut at = 0;
        while at < s.len() {
            if s.is_char_boundary(at) && uuid_at(s, at) {
                let id = s[at..at + 36].to_owned();
                let n = ids.iter().position(|x| *x == id).unwrap_or_else(|| {
                    ids.push(id);
                    ids.len() - 1
                });
                out.push_str(&format!("[id-{n}]"));
                at += 36;
            } else if s[at..].starts_with("TE-20") && s.len() >= at + 8 {
                // TE-2026-0042: the prefix, the year, then the number.
                let number = s[at + 8..]
                    .bytes()
                    .take_while(u8::is_ascii_alphanumeric)
                    .count();
                out.push_str("[reference]");
                at += 8 + number;
            } else {
                let c = s[at..].chars().next().unwrap();
                out.push(c);
                at += c.len_utf8();
            }
        }
        out
    }
    fn walk(v: &Value, key: &str, ids: &mut Vec<String>) -> Value {
        match v {
            Value::String(s) => Value::String(text(s, key, ids)),
            Value::Array(items) => Value::Array(items.iter().map(|i| walk(i, key, ids)).collect()),
            Value::Object(map) => {
                let audit = map.get("resourceType") == Some(&json!("AuditEvent"));
                Value::Object(
                    map.iter()
                        .map(|(k, v)| {
                            let value = if audit && k == "id" {
                                json!("[seq]")
                            } else {
                                walk(v, k, ids)
                            };
                            (k.clone(), value)
                        })
                        .collect(),
                )
            }
            other => other.clone(),
        }
    }
    walk(value, "", &mut Vec::new())
}
