//! One request stays one request's worth of work: a batch holds at most
//! 100 entries and, unless it files a request, no more than an ordinary
//! body; what is refused reads nothing and writes no audit record.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body_text, fhir::CLAIRE};

fn batch(entries: Vec<Value>) -> Value {
    json!({ "resourceType": "Bundle", "type": "batch", "entry": entries })
}

async fn a_bundle_cannot_amplify_a_request(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let read =
        json!({ "request": { "method": "GET", "url": format!("ServiceRequest/{case_id}") } });
    let audited = || async { app.store.audit_trail_unfiltered().await.len() };

    let before = audited().await;
    let (status, _, refused) = app
        .fhir_with(
            "POST",
            "/fhir/r4",
            &claire,
            &[],
            Some(&batch(vec![read.clone(); 101])),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused["issue"][0]["code"], "too-costly", "{refused}");
    assert_eq!(audited().await, before, "nothing read, nothing audited");

    let (status, _, answered) = app
        .fhir_with(
            "POST",
            "/fhir/r4",
            &claire,
            &[],
            Some(&batch(vec![read.clone(); 100])),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answered["entry"].as_array().unwrap().len(), 100);
    assert_eq!(audited().await, before + 100, "one record per read sent");

    // A batch larger than an ordinary request body (1 MB here).
    let padded = json!({
        "request": { "method": "GET", "url": format!("ServiceRequest/{case_id}") },
        "resource": { "resourceType": "Basic", "text": { "div": "x".repeat(1_200_000) } }
    });
    let (status, _, refused) = app
        .fhir_with("POST", "/fhir/r4", &claire, &[], Some(&batch(vec![padded])))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused["issue"][0]["code"], "too-costly");
    assert_eq!(audited().await, before + 100);

    let metadata = body_text(app.get("/fhir/r4/metadata").await).await;
    assert!(
        metadata.contains("At most 100 entries"),
        "stated in the CapabilityStatement"
    );
    app.finish().await;
}

on_both_backends!(a_bundle_cannot_amplify_a_request);
