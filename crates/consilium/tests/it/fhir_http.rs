//! The request filed through FHIR, on SQLite and PostgreSQL; every resource
//! returned is checked by the third-party `fhir.resources` R4B models.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
    response::Response,
};
use base64::Engine;
use consilium_blobs::testdata;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body_text};

const CLAIRE: &str = "claire.martin@demo.test";
const PIERRE: &str = "pierre.roche@demo.test";

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

async fn case_count(app: &TestApp, token: &str) -> usize {
    let list = body_text(
        app.get_as(
            "/api/cases",
            crate::helpers::browser_like::Auth::Bearer(token),
        )
        .await,
    )
    .await;
    serde_json::from_str::<Value>(&list)
        .unwrap()
        .as_array()
        .unwrap()
        .len()
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

async fn a_request_filed_through_fhir(app: TestApp) {
    let (claire, pierre) = (app.bearer(CLAIRE).await, app.bearer(PIERRE).await);
    let metadata = app
        .fhir("GET", "/fhir/r4/metadata", &claire, None, None)
        .await;
    assert_eq!(
        metadata.headers()[header::CONTENT_TYPE],
        "application/fhir+json"
    );
    let capability = json_of(metadata).await;

    // A photo by tus, referenced as Binary; another inline.
    let binary_id = app.photo_upload(&claire).await;
    let inline =
        base64::engine::general_purpose::STANDARD.encode(testdata::jpeg_with_gps(320, 240));

    let before = case_count(&app, &claire).await;
    let refused = app
        .fhir(
            "POST",
            "/fhir/r4",
            &claire,
            Some("k-missing"),
            Some(&bundle(false, &binary_id, &inline)),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let outcome = json_of(refused).await;
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    assert!(
        outcome["issue"][0]["diagnostics"]
            .as_str()
            .unwrap()
            .contains("allergies"),
        "{outcome}"
    );
    assert_eq!(
        case_count(&app, &claire).await,
        before,
        "a refused transaction changes nothing"
    );

    let body = bundle(true, &binary_id, &inline);
    let response = app
        .fhir("POST", "/fhir/r4", &claire, Some("k-1"), Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let result = json_of(response).await;
    assert_eq!(result["type"], "transaction-response");
    let locations: Vec<String> = result["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["response"]["location"].as_str().unwrap().to_owned())
        .collect();
    let service_request = locations
        .iter()
        .find(|l| l.starts_with("ServiceRequest/"))
        .and_then(|l| l.split("/_history/").next())
        .unwrap()
        .to_owned();
    let again = json_of(
        app.fhir("POST", "/fhir/r4", &claire, Some("k-1"), Some(&body))
            .await,
    )
    .await;
    assert!(
        again.to_string().contains(&service_request),
        "the same key gives the same request"
    );

    let mut resources = vec![capability, result];
    for location in &locations {
        let read = app
            .fhir("GET", &format!("/fhir/r4/{location}"), &claire, None, None)
            .await;
        assert_eq!(read.status(), StatusCode::OK, "{location}");
        resources.push(json_of(read).await);
        let theirs = app
            .fhir("GET", &format!("/fhir/r4/{location}"), &pierre, None, None)
            .await;
        assert_eq!(
            theirs.status(),
            StatusCode::NOT_FOUND,
            "{location} is not Pierre's"
        );
    }
    let search = json_of(
        app.fhir(
            "GET",
            &format!("/fhir/r4/Task?focus={service_request}"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(search["total"], 1);
    let task = &search["entry"][0]["resource"];
    assert_eq!(task["status"], "requested");
    assert!(
        task["restriction"]["period"]["end"].is_string(),
        "the deadline"
    );
    resources.push(search);
    let sr = resources
        .iter()
        .find(|r| r["resourceType"] == "ServiceRequest")
        .unwrap();
    assert_eq!(sr["priority"], "urgent", "the priority asked is kept");
    assert_eq!(
        sr["supportingInfo"].as_array().unwrap().len(),
        3,
        "the answers and two photos"
    );
    let patient = resources
        .iter()
        .find(|r| r["resourceType"] == "Patient")
        .unwrap();
    assert_eq!(
        patient["identifier"][0]["system"],
        "urn:oid:1.2.250.1.213.1.4.8"
    );

    let listed = body_text(
        app.get_as(
            "/api/cases",
            crate::helpers::browser_like::Auth::Bearer(&claire),
        )
        .await,
    )
    .await;
    assert!(
        listed.contains(service_request.trim_start_matches("ServiceRequest/")),
        "in the requester's list"
    );
    validate_with_fhir_resources(&resources);
    app.finish().await;
}

on_both_backends!(a_request_filed_through_fhir);
