//! FHIR interactions on both databases: conditional create under
//! concurrency, `If-Match`, versions (vread, history, 304), `Prefer`, and
//! batch and transaction Bundles.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp,
    fhir::{CLAIRE, KARIM, PIERRE, SOPHIE, message, task_put},
};

fn new_patient(family: &str) -> Value {
    let ins = consilium_domain::Ins::from_nir("1690321087045")
        .unwrap()
        .to_string();
    json!({
        "resourceType": "Patient",
        "identifier": [{ "system": "urn:oid:1.2.250.1.213.1.4.8", "value": ins }],
        "name": [{ "family": family, "given": ["Gaston"] }],
        "gender": "male", "birthDate": "1969-03-21",
    })
}

async fn two_clients_creating_the_same_patient_make_one(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let patient = new_patient("Bonnot");
    let ins = patient["identifier"][0]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let condition = format!("identifier=urn:oid:1.2.250.1.213.1.4.8|{ins}");
    let headers = [("if-none-exist", condition.as_str())];
    // Six clients at once (each its own token), all asking for the same patient.
    let mut tokens = Vec::new();
    for _ in 0..6 {
        tokens.push(app.bearer(CLAIRE).await);
    }
    let answers = futures_util::future::join_all(
        tokens
            .iter()
            .map(|t| app.fhir_with("POST", "/fhir/r4/Patient", t, &headers, Some(&patient))),
    )
    .await;
    let created: Vec<_> = answers
        .iter()
        .filter(|a| a.0 == StatusCode::CREATED)
        .collect();
    assert_eq!(
        created.len(),
        1,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert!(
        answers
            .iter()
            .all(|a| a.0.is_success() && a.2["id"] == created[0].2["id"]),
        "all get the one patient"
    );
    let location = created[0].1[header::LOCATION].to_str().unwrap();
    let id = created[0].2["id"].as_str().unwrap().to_owned();
    assert!(
        location.ends_with(&format!("/Patient/{id}/_history/1")),
        "{location}"
    );
    let (_, _, found) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/Patient?{condition}"),
            &claire,
            &[],
            None,
        )
        .await;
    assert_eq!(found["total"], 1, "exactly one resource");

    // Conditional create as fhirpy sends it: the criteria as a query string.
    let (status, _, same) = app
        .fhir_with(
            "POST",
            &format!("/fhir/r4/Patient?{condition}"),
            &claire,
            &[],
            Some(&patient),
        )
        .await;
    assert_eq!(
        (status, same["id"].as_str()),
        (StatusCode::OK, Some(id.as_str()))
    );
    // Criteria matching two patients: 412, nothing written.
    let (status, _, _) = app
        .fhir_with(
            "POST",
            "/fhir/r4/Patient",
            &claire,
            &[("if-none-exist", "gender=male,female")],
            Some(&new_patient("Autre")),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    // Bad input: a clear OperationOutcome, nothing written.
    let mut bad = new_patient("Bonnot");
    bad["birthDate"] = json!("21/03/1969");
    let (status, _, outcome) = app
        .fhir_with("POST", "/fhir/r4/Patient", &claire, &[], Some(&bad))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        outcome["issue"][0]["diagnostics"]
            .as_str()
            .unwrap()
            .contains("birthDate")
    );
    // Experts do not record patients; requests are filed by transaction.
    let sophie = app.bearer(SOPHIE).await;
    let (status, _, _) = app
        .fhir_with("POST", "/fhir/r4/Patient", &sophie, &[], Some(&patient))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .fhir_with(
            "POST",
            "/fhir/r4/ServiceRequest",
            &claire,
            &[],
            Some(&json!({ "resourceType": "ServiceRequest" })),
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    app.finish().await;
}

async fn versions_read_back_and_stale_writes_are_refused(app: TestApp) {
    let (claire, sophie, karim) = (
        app.bearer(CLAIRE).await,
        app.bearer(SOPHIE).await,
        app.bearer(KARIM).await,
    );
    let (case_id, _) = app.file_request(&claire).await;
    let task = format!("/fhir/r4/Task/{case_id}");
    let (status, headers, read) = app.fhir_with("GET", &task, &sophie, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["meta"]["versionId"], "2", "drafted, then sent");
    assert_eq!(headers[header::ETAG], "W/\"2\"");
    assert!(headers.contains_key(header::LAST_MODIFIED));
    let (status, _, _) = app
        .fhir_with("GET", &task, &sophie, &[("if-none-match", "W/\"2\"")], None)
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // PATCH with a stale version: 412, nothing changes; with the current one it moves.
    let take = json!([{ "op": "replace", "path": "/status", "value": "accepted" }]);
    let (status, _, stale) = app
        .fhir_with(
            "PATCH",
            &task,
            &sophie,
            &[("if-match", "W/\"1\"")],
            Some(&take),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{stale}");
    let (status, _, taken) = app
        .fhir_with(
            "PATCH",
            &task,
            &sophie,
            &[("if-match", "W/\"2\""), ("prefer", "return=representation")],
            Some(&take),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(
        (
            taken["status"].as_str(),
            taken["meta"]["versionId"].as_str()
        ),
        (Some("accepted"), Some("3"))
    );
    // A merge patch asks on hold, with the question; minimal return: headers only.
    let hold = json!({ "status": "on-hold", "note": [{ "text": "Une photo de plus près ?" }] });
    let (status, headers, body) = app
        .fhir_with(
            "PATCH",
            &task,
            &sophie,
            &[("prefer", "return=minimal")],
            Some(&hold),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (headers[header::ETAG].to_str().unwrap(), body),
        ("W/\"4\"", Value::String(String::new()))
    );
    // A Task cannot be moved to another patient.
    let (status, _, _) = app
        .fhir_with(
            "PUT",
            &task,
            &sophie,
            &[],
            Some(&task_put(
                "on-hold",
                json!({ "for": { "reference": "Patient/0190c8a0-0000-7000-8000-000000000000" } }),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Every version reads back; the draft only for its creator.
    let history = format!("{task}/_history");
    let (_, _, mine) = app.fhir_with("GET", &history, &claire, &[], None).await;
    let versions = |bundle: &Value| -> Vec<String> {
        bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e["resource"]["meta"]["versionId"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(versions(&mine), ["4", "3", "2", "1"]);
    let (_, _, theirs) = app.fhir_with("GET", &history, &sophie, &[], None).await;
    assert_eq!(versions(&theirs), ["4", "3", "2"]);
    let statuses: Vec<&str> = theirs["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["on-hold", "accepted", "requested"]);
    let (status, _, v2) = app
        .fhir_with("GET", &format!("{history}/2"), &sophie, &[], None)
        .await;
    assert_eq!(
        (
            status,
            v2["status"].as_str(),
            v2.get("owner").map(|o| o["reference"]
                .as_str()
                .unwrap()
                .starts_with("HealthcareService/"))
        ),
        (StatusCode::OK, Some("requested"), Some(true))
    );
    let (status, _, _) = app
        .fhir_with("GET", &format!("{history}/9"), &sophie, &[], None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, request_history) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/ServiceRequest/{case_id}/_history"),
            &sophie,
            &[],
            None,
        )
        .await;
    assert_eq!(
        versions(&request_history),
        ["4", "3", "2"],
        "the request and its Task move together"
    );
    // Another team's expert: nothing, as for what does not exist.
    for path in [history.clone(), format!("{history}/2"), task.clone()] {
        let (status, _, _) = app.fhir_with("GET", &path, &karim, &[], None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    app.finish().await;
}

async fn batch_entries_run_on_their_own_and_transactions_all_or_nothing(app: TestApp) {
    let (claire, pierre) = (app.bearer(CLAIRE).await, app.bearer(PIERRE).await);
    let (mine, _) = app.file_request(&claire).await;
    let (theirs, _) = app.file_request(&pierre).await;
    let patient = new_patient("Bonnot");
    let condition = format!(
        "identifier=urn:oid:1.2.250.1.213.1.4.8|{}",
        patient["identifier"][0]["value"].as_str().unwrap()
    );
    let batch = json!({
        "resourceType": "Bundle", "type": "batch",
        "entry": [
            { "request": { "method": "GET", "url": format!("ServiceRequest/{mine}") } },
            { "request": { "method": "GET", "url": format!("ServiceRequest/{theirs}") } },
            { "request": { "method": "GET", "url": format!("Task?focus=ServiceRequest/{mine}") } },
            { "request": { "method": "POST", "url": "Patient", "ifNoneExist": condition }, "resource": patient },
            { "request": { "method": "POST", "url": "Communication" }, "resource": message("question", &mine, "?", None) },
            { "request": { "method": "DELETE", "url": format!("Task/{mine}") } },
        ]
    });
    let (status, _, answer) = app
        .fhir_with("POST", "/fhir/r4", &claire, &[], Some(&batch))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["type"], "batch-response");
    let statuses: Vec<&str> = answer["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["response"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "200 OK",
            "404 Not Found",
            "200 OK",
            "201 Created",
            "403 Forbidden",
            "400 Bad Request"
        ],
        "{answer}"
    );
    assert_eq!(answer["entry"][0]["resource"]["id"], json!(mine));
    assert_eq!(answer["entry"][0]["response"]["etag"], "W/\"2\"");
    assert_eq!(
        answer["entry"][1]["response"]["outcome"]["resourceType"],
        "OperationOutcome"
    );
    assert_eq!(answer["entry"][2]["resource"]["total"], 1);

    // A transaction of reads fails whole when one fails.
    let reads = |id: &str| {
        json!({ "resourceType": "Bundle", "type": "transaction", "entry": [
        { "request": { "method": "GET", "url": format!("ServiceRequest/{mine}") } },
        { "request": { "method": "GET", "url": format!("ServiceRequest/{id}") } },
    ] })
    };
    let (status, _, whole) = app
        .fhir_with("POST", "/fhir/r4", &claire, &[], Some(&reads(&mine)))
        .await;
    assert_eq!(
        (status, whole["type"].as_str()),
        (StatusCode::OK, Some("transaction-response"))
    );
    let (status, _, failed) = app
        .fhir_with("POST", "/fhir/r4", &claire, &[], Some(&reads(&theirs)))
        .await;
    assert_eq!(
        (status, failed["resourceType"].as_str()),
        (StatusCode::NOT_FOUND, Some("OperationOutcome"))
    );
    // Several writes cannot be one transaction here: refused, nothing written.
    let writes = json!({ "resourceType": "Bundle", "type": "transaction", "entry": [
        { "request": { "method": "POST", "url": "Patient" }, "resource": new_patient("Un") },
        { "request": { "method": "POST", "url": "Communication" }, "resource": message("reply", &mine, "!", None) },
    ] });
    let (status, _, refused) = app
        .fhir_with("POST", "/fhir/r4", &claire, &[], Some(&writes))
        .await;
    assert_eq!(
        (status, refused["issue"][0]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("not-supported"))
    );
    let (status, _, _) = app
        .fhir_with(
            "POST",
            "/fhir/r4",
            &claire,
            &[],
            Some(&json!({ "resourceType": "Patient" })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.finish().await;
}

on_both_backends!(
    two_clients_creating_the_same_patient_make_one,
    versions_read_back_and_stale_writes_are_refused,
    batch_entries_run_on_their_own_and_transactions_all_or_nothing,
);
