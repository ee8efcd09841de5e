//! A search's audit record names every patient whose data it returned —
//! its matches and what `_include` pulled in — so "who saw this patient?"
//! has a complete answer; the chain still verifies.

use std::collections::BTreeSet;

use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{
    TestApp, body_text,
    browser_like::Auth,
    fhir::{CLAIRE, json_of},
};

fn named(record: &consilium_store::audit::AuditRecord) -> BTreeSet<Uuid> {
    record
        .patient_id
        .iter()
        .chain(&record.patients)
        .copied()
        .collect()
}

async fn searches_name_every_patient_they_return(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    app.file_request(&claire).await;
    let before = app.store.audit_trail_unfiltered().await.len();
    let bundle: Value = json_of(
        app.fhir(
            "GET",
            "/fhir/r4/ServiceRequest?_include=ServiceRequest:subject&_count=50",
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    let returned: BTreeSet<Uuid> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Patient")
        .map(|e| Uuid::parse_str(e["resource"]["id"].as_str().unwrap()).unwrap())
        .collect();
    assert!(
        returned.len() >= 2,
        "Claire's requests concern several patients"
    );
    let trail = app.store.audit_trail_unfiltered().await;
    let written = &trail[before..];
    // One search, one record: it names every patient the response holds.
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0].action, "case.search");
    assert_eq!(named(&written[0]), returned);

    // The new-request page lists the site's patients: a search naming them.
    let cookie = app.sign_in(CLAIRE).await;
    let page = body_text(
        app.get_as("/demandes/nouvelle", Auth::Cookie(&cookie))
            .await,
    )
    .await;
    let trail = app.store.audit_trail_unfiltered().await;
    let listed = trail
        .iter()
        .rev()
        .find(|r| r.action == "patient.search")
        .unwrap();
    assert!(named(listed).len() >= 2 && page.contains("Moreau"));

    // The site's auditor (Claire is its admin too) finds the search by any
    // of its patients, and the chain verifies.
    let last = returned.iter().last().unwrap();
    let events = json_of(
        app.fhir(
            "GET",
            &format!("/fhir/r4/AuditEvent?patient=Patient/{last}&_count=100"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    let found: Vec<&Value> = events["entry"].as_array().unwrap().iter().collect();
    assert!(
        found.iter().any(|e| e["resource"]["entity"]
            .as_array()
            .is_some_and(|entities| entities.len() > 2)),
        "a search naming several patients: {events}"
    );
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        consilium_store::audit::AuditVerification::Intact { .. }
    ));
    app.finish().await;
}

on_both_backends!(searches_name_every_patient_they_return);
