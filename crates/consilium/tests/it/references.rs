//! Request references are a per-year sequence, unique by construction: eight
//! clients filing at once through FHIR are never refused (the old short
//! random references collided about once in a thousand: issue 15, item 12).

use std::collections::BTreeSet;

use axum::http::StatusCode;

use crate::helpers::{
    TestApp,
    fhir::{CLAIRE, bundle, filed_case_id, json_of},
};

async fn eight_clients_filing_at_once_are_never_refused(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let app = std::sync::Arc::new(app);
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..8 {
        let (app, claire) = (app.clone(), claire.clone());
        clients.spawn(async move {
            let mut filed = Vec::new();
            for n in 0..25 {
                let binary = app.photo_upload(&claire).await;
                let body = bundle(true, &binary, &app.inline_photo());
                let key = format!("client-{client}-{n}");
                let response = app
                    .fhir("POST", "/fhir/r4", &claire, Some(&key), Some(&body))
                    .await;
                assert_eq!(
                    response.status(),
                    StatusCode::OK,
                    "client {client}, request {n}"
                );
                filed.push(filed_case_id(&json_of(response).await));
            }
            filed
        });
    }
    let mut ids = BTreeSet::new();
    while let Some(done) = clients.join_next().await {
        ids.extend(done.unwrap());
    }
    assert_eq!(ids.len(), 200);
    let mut references = BTreeSet::new();
    for id in &ids {
        references.insert(app.reference_of(id).await);
    }
    assert_eq!(references.len(), 200, "every reference distinct");
    // The year's sequence, after the demo's six: TE-2026-0007 to 0206.
    let expected: BTreeSet<String> = (7..207).map(|n| format!("TE-2026-{n:04}")).collect();
    assert_eq!(references, expected);
    std::sync::Arc::into_inner(app).unwrap().finish().await;
}

on_both_backends!(eight_clients_filing_at_once_are_never_refused);
