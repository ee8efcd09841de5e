//! The expert's side through FHIR and pages, on SQLite and PostgreSQL: the
//! queue as a Task search, moves by PUT/PATCH, the thread as Communication,
//! the report as DocumentReference and Binary, the appointment; and the
//! same 404 for an expert of another team and a requester of another site,
//! on every path. Resources are checked by `fhir.resources`.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
    fhir::{
        CELINE, CLAIRE, KARIM, PIERRE, SOPHIE, json_of, status_of, task_put,
        validate_with_fhir_resources,
    },
};

async fn the_expert_side_through_fhir(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let sophie = app.bearer(SOPHIE).await;
    let (karim, pierre) = (app.bearer(KARIM).await, app.bearer(PIERRE).await);

    // Filed by transaction, as an integrator would.
    let (case_id, binary) = app.file_request(&claire).await;
    let task_path = format!("/fhir/r4/Task/{case_id}");

    // The queue: open Tasks of the team, soonest deadline first.
    let queue = json_of(
        app.fhir("GET", "/fhir/r4/Task?status=requested", &sophie, None, None)
            .await,
    )
    .await;
    let entries = queue["entry"].as_array().unwrap();
    assert!(
        entries.len() >= 3,
        "the demo's open requests and the new one: {queue}"
    );
    // Filed last, due last: after the demo's requests filed hours ago.
    assert_eq!(
        entries.last().unwrap()["resource"]["id"],
        json!(case_id),
        "{queue}"
    );
    let deadlines: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["resource"]["restriction"]["period"]["end"].as_str())
        .collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
    let (status, _) = status_of(
        app.fhir("GET", "/fhir/r4/Task?status=done", &sophie, None, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let none = json_of(
        app.fhir("GET", "/fhir/r4/Task?status=requested", &pierre, None, None)
            .await,
    )
    .await;
    assert_eq!(
        none["total"], 0,
        "a requester of another site serves no queue"
    );

    // Accept by PUT; strangers get 404 on the move.
    for stranger in [&karim, &pierre] {
        let put = app
            .fhir(
                "PUT",
                &task_path,
                stranger,
                None,
                Some(&task_put("accepted", json!({}))),
            )
            .await;
        assert_eq!(put.status(), StatusCode::NOT_FOUND);
    }
    let (status, accepted) = app.put_status(&task_path, &sophie, "accepted").await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let sophie_id = app.person_id(SOPHIE).await;
    assert_eq!(
        accepted["owner"]["reference"],
        json!(format!("Practitioner/{sophie_id}"))
    );
    let mine = json_of(
        app.fhir(
            "GET",
            &format!("/fhir/r4/Task?owner=Practitioner/{sophie_id}"),
            &sophie,
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(mine["total"], 1);

    // On hold by PATCH, with the question; the clock stops.
    let patch = json!([
        { "op": "replace", "path": "/status", "value": "on-hold" },
        { "op": "add", "path": "/note", "value": [{ "text": "Une photo en gros plan ?" }] }
    ]);
    let (status, held) = status_of(app.patch_json(&task_path, &sophie, &patch).await).await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held["status"], "on-hold");
    assert!(
        held["restriction"].is_null(),
        "no running deadline while on hold"
    );
    let (status, refused) = app.put_status(&task_path, &sophie, "completed").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "closing is the requester's: {refused}"
    );
    assert_eq!(refused["resourceType"], "OperationOutcome");

    // The requester's reply with a photo, then the advice (retried once).
    let more = app.photo_upload(&claire).await;
    let reply = json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "code": "reply" }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "payload": [{ "contentString": "Voici." }, { "contentAttachment": { "url": format!("Binary/{more}") } }]
    });
    let (status, sent) = status_of(
        app.fhir(
            "POST",
            "/fhir/r4/Communication",
            &claire,
            Some("r-1"),
            Some(&reply),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let advice = json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "system": "https://consilium.test/fhir/r4/CodeSystem/communication-kind", "code": "advice" }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/in-person-visit", "valueCode": "within_month" }],
        "reasonCode": [{ "coding": [{ "system": "http://hl7.org/fhir/sid/icd-10", "code": "D22.7" }] }],
        "payload": [
            { "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/advice-part", "valueCode": "hypothesis" }], "contentString": "Naevus atypique" },
            { "extension": [{ "url": "https://consilium.health/fhir/StructureDefinition/advice-part", "valueCode": "management" }], "contentString": "Exérèse en consultation" }
        ]
    });
    let first = json_of(
        app.fhir(
            "POST",
            "/fhir/r4/Communication",
            &sophie,
            Some("a-1"),
            Some(&advice),
        )
        .await,
    )
    .await;
    let again = json_of(
        app.fhir(
            "POST",
            "/fhir/r4/Communication",
            &sophie,
            Some("a-1"),
            Some(&advice),
        )
        .await,
    )
    .await;
    assert_eq!(
        first["id"], again["id"],
        "the same key gives the same advice"
    );
    let (status, _) = status_of(
        app.fhir(
            "POST",
            "/fhir/r4/Communication",
            &claire,
            None,
            Some(&advice),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "requesters do not advise");

    // The coordinator proposes the visit on the page.
    let celine = app.sign_in(CELINE).await;
    let proposed = app
        .post_form(
            &format!("/dossiers/{case_id}/rendez-vous"),
            Some(&celine),
            &[
                ("date", "2026-12-15"),
                ("time", "10:30"),
                ("place", "Porte 12"),
                ("instructions", ""),
            ],
        )
        .await;
    assert_eq!(
        location(&proposed),
        format!("/dossiers/{case_id}?fait=rendez-vous#rendez-vous")
    );

    // What the requester reads back.
    let by_case =
        |kind: &str, param: &str| format!("/fhir/r4/{kind}?{param}=ServiceRequest/{case_id}");
    let thread = json_of(
        app.fhir(
            "GET",
            &by_case("Communication", "based-on"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    let kinds: Vec<&str> = thread["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["resource"]["category"][0]["coding"][0]["code"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(kinds, ["question", "reply", "advice"]);
    let documents = json_of(
        app.fhir(
            "GET",
            &by_case("DocumentReference", "related"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    let docs = documents["entry"].as_array().unwrap();
    assert_eq!(
        docs.len(),
        2,
        "the advice's report, then the one with the appointment"
    );
    assert_eq!(docs[0]["resource"]["status"], "superseded");
    assert_eq!(docs[1]["resource"]["status"], "current");
    let report_id = docs[1]["resource"]["id"].as_str().unwrap().to_owned();
    let pdf = app
        .get_as(
            &format!("/fhir/r4/Binary/{report_id}"),
            Auth::Bearer(&claire),
        )
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()[header::CONTENT_TYPE], "application/pdf");
    let bytes = axum::body::to_bytes(pdf.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let appointments = json_of(
        app.fhir(
            "GET",
            &by_case("Appointment", "based-on"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(appointments["total"], 1);

    // An expert of another team and a requester of another site: 404 everywhere.
    let message_id = thread["entry"][0]["resource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paths = [
        format!("/fhir/r4/Task/{case_id}"),
        format!("/fhir/r4/ServiceRequest/{case_id}"),
        format!("/fhir/r4/Binary/{binary}"),
        format!("/fhir/r4/Binary/{more}"),
        format!("/fhir/r4/Binary/{report_id}"),
        format!("/fhir/r4/DocumentReference/{report_id}"),
        format!("/fhir/r4/Communication/{message_id}"),
        format!("/fhir/r4/Task/{case_id}/_history"),
        format!("/fhir/r4/Task/{case_id}/_history/2"),
    ];
    // Searches about it find what they find about a request that never was.
    let searches = |id: &str| {
        [
            ("Communication", "based-on"),
            ("DocumentReference", "related"),
            ("Appointment", "based-on"),
            ("Task", "focus"),
        ]
        .map(|(kind, param)| format!("/fhir/r4/{kind}?{param}=ServiceRequest/{id}"))
    };
    let never = Uuid::now_v7().to_string();
    for (email, token) in [(KARIM, &karim), (PIERRE, &pierre)] {
        for path in &paths {
            let response = app.fhir("GET", path, token, None, None).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{email} {path}");
        }
        for (theirs, nothing) in searches(&case_id).iter().zip(searches(&never)) {
            let found = json_of(app.fhir("GET", theirs, token, None, None).await).await;
            let empty = json_of(app.fhir("GET", &nothing, token, None, None).await).await;
            assert_eq!(
                (found["total"].clone(), found.get("entry")),
                (json!(0), None),
                "{email} {theirs}"
            );
            assert_eq!(found["total"], empty["total"]);
        }
        let cookie = app.sign_in(email).await;
        for path in [
            format!("/dossiers/{case_id}"),
            format!("/dossiers/{case_id}/compte-rendu/{report_id}"),
            format!("/dossiers/{case_id}/convocation"),
            format!("/files/{more}/vignette"),
        ] {
            let response = app.get_as(&path, Auth::Cookie(&cookie)).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{email} {path}");
        }
        let posted = app
            .post_form(
                &format!("/dossiers/{case_id}/questions"),
                Some(&cookie),
                &[("body", "?")],
            )
            .await;
        assert_eq!(
            posted.status(),
            StatusCode::NOT_FOUND,
            "{email} posts a question"
        );
    }

    // The requester closes.
    let (status, closed) = app.put_status(&task_path, &claire, "completed").await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "completed");
    assert_eq!(closed["businessStatus"]["coding"][0]["code"], "answered");

    validate_with_fhir_resources(&[queue, closed, thread, documents, appointments, first]);
    app.finish().await;
}

async fn a_corrected_advice_keeps_both_versions_and_reports(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let sophie = app.sign_in(SOPHIE).await;
    let case = format!("/dossiers/{case_id}");
    let taken = app
        .post_form(&format!("{case}/prise"), Some(&sophie), &[])
        .await;
    // Accepting says so and jumps to where the work is (issue 15, item 10).
    assert_eq!(location(&taken), format!("{case}?fait=prise#echanges"));
    let confirmed_path = location(&taken).replace("#echanges", "");
    let confirmed = body_text(app.get_as(&confirmed_path, Auth::Cookie(&sophie)).await).await;
    assert!(
        confirmed.contains("Demande acceptée : elle est à vous."),
        "{confirmed}"
    );
    assert!(confirmed.contains("id=\"echanges\""));
    let reference = app.reference_of(&case_id).await;
    let accepted = body_text(
        app.get_as("/file-attente?statut=accepted", Auth::Cookie(&sophie))
            .await,
    )
    .await;
    let requested = body_text(
        app.get_as("/file-attente?statut=requested", Auth::Cookie(&sophie))
            .await,
    )
    .await;
    assert!(
        accepted.contains(&reference) && !requested.contains(&reference),
        "the status filter"
    );
    let advise = |hypothesis: &'static str, key: &'static str| {
        let (app, sophie, case) = (&app, &sophie, &case);
        async move {
            app.post_form(
                &format!("{case}/avis"),
                Some(sophie),
                &[
                    ("key", key),
                    ("hypothesis", hypothesis),
                    ("icd10", ""),
                    ("management", "Dermocorticoïde 2 semaines"),
                    ("visit", "no"),
                    ("note", ""),
                ],
            )
            .await
        }
    };
    let refused = app
        .post_form(
            &format!("{case}/avis"),
            Some(&sophie),
            &[("hypothesis", "X"), ("management", ""), ("visit", "no")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("conduite à tenir"));
    assert_eq!(
        location(&advise("Eczéma de contact", "k1").await),
        format!("{case}?fait=avis#avis")
    );
    app.next_step();
    assert_eq!(
        location(&advise("Eczéma de contact", "k1").await),
        format!("{case}?fait=avis#avis"),
        "a double click"
    );
    assert_eq!(
        location(&advise("Dermatite séborrhéique", "k2").await),
        format!("{case}?fait=avis#avis")
    );
    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    assert!(
        page.contains("Version 2") && page.contains("Version 1 — remplacée"),
        "{page}"
    );
    assert!(page.contains("Eczéma de contact") && page.contains("Dermatite séborrhéique"));
    assert!(
        !page.contains("Version 3"),
        "the double click made no third version"
    );
    let reports = app
        .store
        .all_cases_unaudited()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id.to_string() == case_id)
        .unwrap();
    assert!(reports.answered);
    let claire_cookie = app.sign_in(CLAIRE).await;
    let documents = json_of(
        app.fhir(
            "GET",
            &format!("/fhir/r4/DocumentReference?related=ServiceRequest/{case_id}"),
            &claire,
            None,
            None,
        )
        .await,
    )
    .await;
    let ids: Vec<String> = documents["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    for id in &ids {
        let pdf = app
            .get_as(
                &format!("{case}/compte-rendu/{id}"),
                Auth::Cookie(&claire_cookie),
            )
            .await;
        assert_eq!(
            pdf.status(),
            StatusCode::OK,
            "the first report stays downloadable"
        );
        assert!(
            pdf.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains(".pdf")
        );
    }
    app.finish().await;
}

/// A Task carries its version (`meta.versionId`, `ETag`); a `PUT` with a
/// stale `If-Match` is refused with 412 and changes nothing.
async fn a_stale_if_match_is_refused(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let sophie = app.bearer(SOPHIE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let path = format!("/fhir/r4/Task/{case_id}");
    let read = app.fhir("GET", &path, &sophie, None, None).await;
    let etag = read.headers()[header::ETAG].to_str().unwrap().to_owned();
    let task = json_of(read).await;
    let version = task["meta"]["versionId"].as_str().unwrap().to_owned();
    assert_eq!(etag, format!("W/\"{version}\""));
    let put = |if_match: String| {
        let body = task_put("accepted", json!({}));
        Request::put(&path)
            .header(header::AUTHORIZATION, format!("Bearer {sophie}"))
            .header(header::CONTENT_TYPE, "application/fhir+json")
            .header(header::IF_MATCH, if_match)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let stale = format!("W/\"{}\"", version.parse::<i64>().unwrap() + 7);
    let (status, outcome) = status_of(app.request(put(stale)).await).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{outcome}");
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    let unchanged = json_of(app.fhir("GET", &path, &sophie, None, None).await).await;
    assert_eq!(unchanged["status"], "requested");
    let moved = app.request(put(etag.clone())).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_ne!(moved.headers()[header::ETAG].to_str().unwrap(), etag);
    assert_eq!(json_of(moved).await["status"], "accepted");
    app.finish().await;
}

on_both_backends!(
    the_expert_side_through_fhir,
    a_corrected_advice_keeps_both_versions_and_reports,
    a_stale_if_match_is_refused
);
