//! The request filed through FHIR, on SQLite and PostgreSQL; every resource
//! returned is checked by the third-party `fhir.resources` R4B models.

use axum::http::{StatusCode, header};
use base64::Engine;
use consilium_blobs::testdata;
use serde_json::Value;

use crate::helpers::{
    TestApp, body_text,
    fhir::{CLAIRE, PIERRE, bundle, json_of, validate_with_fhir_resources},
};

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
