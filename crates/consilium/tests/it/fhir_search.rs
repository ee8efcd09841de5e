//! FHIR search on both databases: what a caller may not read never shows
//! in results, totals or includes; pages replay the list as it was; unknown
//! parameters are refused or reported; the directory and the audit trail.

use std::collections::HashSet;

use axum::http::StatusCode;
use jiff::SignedDuration;
use serde_json::Value;

use crate::helpers::{
    TestApp, body_text,
    browser_like::Auth,
    fhir::{CELINE, CLAIRE, PIERRE, SOPHIE, json_of},
};

fn ids_of(bundle: &Value, resource_type: &str, mode: &str) -> Vec<String> {
    bundle["entry"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| {
                    e["resource"]["resourceType"] == resource_type && e["search"]["mode"] == mode
                })
                .map(|e| e["resource"]["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ids of the requests `token` may read, by the JSON API.
async fn readable(app: &TestApp, token: &str) -> HashSet<String> {
    let listed: Value =
        serde_json::from_str(&body_text(app.get_as("/api/cases", Auth::Bearer(token)).await).await)
            .unwrap();
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn includes_and_totals_show_only_what_the_caller_may_read(app: TestApp) {
    let (claire, pierre) = (app.bearer(CLAIRE).await, app.bearer(PIERRE).await);
    // One more request each.
    let (mine, _) = app.file_request(&claire).await;
    let (theirs, _) = app.file_request(&pierre).await;
    let query = "/fhir/r4/ServiceRequest?_include=ServiceRequest:subject&_revinclude=Task:focus";
    for (token, own, other) in [(&claire, &mine, &theirs), (&pierre, &theirs, &mine)] {
        let allowed = readable(&app, token).await;
        let (status, _, bundle) = app.fhir_with("GET", query, token, &[], None).await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        let requests: HashSet<String> = ids_of(&bundle, "ServiceRequest", "match")
            .into_iter()
            .collect();
        assert_eq!(requests, allowed, "exactly the requests they may read");
        assert_eq!(
            bundle["total"],
            allowed.len(),
            "the total counts only those"
        );
        assert!(requests.contains(own.as_str()) && !requests.contains(other.as_str()));
        let tasks: HashSet<String> = ids_of(&bundle, "Task", "include").into_iter().collect();
        assert_eq!(tasks, allowed, "each request's Task, and no other");
        let patients: HashSet<String> = ids_of(&bundle, "Patient", "include").into_iter().collect();
        let subjects: HashSet<String> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["resource"]["resourceType"] == "ServiceRequest")
            .map(|e| {
                e["resource"]["subject"]["reference"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("Patient/")
                    .to_owned()
            })
            .collect();
        assert_eq!(patients, subjects, "their patients, no one else's");
        // A page of one keeps the same total and includes for that page only.
        let (_, _, one) = app
            .fhir_with("GET", &format!("{query}&_count=1"), token, &[], None)
            .await;
        assert_eq!(one["total"], allowed.len());
        assert_eq!(
            ids_of(&one, "Task", "include"),
            ids_of(&one, "ServiceRequest", "match")
        );
        // Asking by the other's id finds nothing, exactly as a made-up id.
        let (_, _, none) = app
            .fhir_with(
                "GET",
                &format!("/fhir/r4/ServiceRequest?_id={other}&_revinclude=Task:focus"),
                token,
                &[],
                None,
            )
            .await;
        assert_eq!((none["total"].as_u64(), none.get("entry")), (Some(0), None));
    }
    // POST _search reads the same as GET.
    let (status, _, posted) = app
        .request_form(
            "/fhir/r4/ServiceRequest/_search",
            &claire,
            "_include=ServiceRequest:subject&_revinclude=Task:focus",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    let (_, _, got) = app.fhir_with("GET", query, &claire, &[], None).await;
    assert_eq!(posted["total"], got["total"]);
    app.finish().await;
}

async fn pages_replay_the_list_as_it_was(app: TestApp) {
    let (claire, sophie, pierre) = (
        app.bearer(CLAIRE).await,
        app.bearer(SOPHIE).await,
        app.bearer(PIERRE).await,
    );
    for _ in 0..3 {
        app.file_request(&claire).await;
    }
    let first_url = "/fhir/r4/Task?_count=2&_sort=-_lastUpdated";
    let (_, _, first) = app.fhir_with("GET", first_url, &claire, &[], None).await;
    let total = first["total"].as_u64().unwrap();
    assert!(total >= 3, "{first}");
    let mut seen = ids_of(&first, "Task", "match");
    assert_eq!(seen.len(), 2);
    // Meanwhile: a new request, and the expert moves the oldest listed one.
    app.file_request(&claire).await;
    app.clock.advance(SignedDuration::from_mins(5));
    let moved = seen[1].clone();
    let (status, taken) = app
        .put_status(&format!("/fhir/r4/Task/{moved}"), &sophie, "accepted")
        .await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    // A search run now sees another list: one more request, the moved one first.
    let (_, _, fresh) = app.fhir_with("GET", first_url, &claire, &[], None).await;
    assert_eq!(fresh["total"].as_u64(), Some(total + 1));
    assert_eq!(ids_of(&fresh, "Task", "match")[0], moved);
    let link = |bundle: &Value, relation: &str| {
        bundle["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == relation)
            .map(|l| {
                l["url"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("https://consilium.test")
                    .to_owned()
            })
    };
    let mut next = link(&first, "next");
    let mut pages = 1;
    while let Some(url) = next {
        let (status, _, page) = app.fhir_with("GET", &url, &claire, &[], None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(
            page["total"].as_u64(),
            Some(total),
            "the total of the search as it ran"
        );
        seen.extend(ids_of(&page, "Task", "match"));
        assert!(link(&page, "previous").is_some());
        next = link(&page, "next");
        pages += 1;
        // Someone else's list does not exist for Pierre.
        let (status, _, _) = app.fhir_with("GET", &url, &pierre, &[], None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        seen.len() as u64,
        total,
        "every match once, and nothing added"
    );
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        seen.len(),
        "no duplicate"
    );
    assert_eq!(pages, total.div_ceil(2));
    // A list an hour old is gone: search again.
    let again = link(&first, "next").unwrap();
    app.clock.advance(SignedDuration::from_mins(61));
    let claire = app.bearer(CLAIRE).await;
    let (status, _, gone) = app.fhir_with("GET", &again, &claire, &[], None).await;
    assert_eq!(status, StatusCode::GONE, "{gone}");
    app.finish().await;
}

async fn unknown_parameters_are_refused_when_strict_and_reported_otherwise(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let url = "/fhir/r4/Task?colour=blue&status=requested";
    let (status, _, refused) = app
        .fhir_with("GET", url, &claire, &[("prefer", "handling=strict")], None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["issue"][0]["code"], "not-supported");
    assert!(
        refused["issue"][0]["diagnostics"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    let (status, _, lenient) = app
        .fhir_with("GET", url, &claire, &[("prefer", "handling=lenient")], None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let note = lenient["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["search"]["mode"] == "outcome")
        .unwrap();
    assert!(
        note["resource"]["issue"][0]["diagnostics"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    assert!(
        lenient["link"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("Task?status=requested"),
        "the self link says what was used"
    );
    let (status, _, bad) = app
        .fhir_with(
            "GET",
            "/fhir/r4/Task?authored-on=yesterday",
            &claire,
            &[],
            None,
        )
        .await;
    assert_eq!(
        (status, bad["issue"][0]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
    let (status, _, _) = app
        .fhir_with("GET", "/fhir/r4/Spaceship?name=x", &claire, &[], None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .fhir_with("GET", "/fhir/r4/Binary?_id=x", &claire, &[], None)
        .await;
    assert_eq!(
        status,
        StatusCode::METHOD_NOT_ALLOWED,
        "Binary is read only"
    );
    app.finish().await;
}

async fn the_directory_and_the_audit_trail(app: TestApp) {
    let (claire, celine) = (app.bearer(CLAIRE).await, app.bearer(CELINE).await);
    let sophie_id = app.person_id(SOPHIE).await;
    let (_, _, experts) = app
        .fhir_with("GET", "/fhir/r4/PractitionerRole?role=expert&specialty=394582007&_include=PractitionerRole:practitioner", &claire, &[], None)
        .await;
    let people = ids_of(&experts, "Practitioner", "include");
    assert!(people.contains(&sophie_id.to_string()), "{experts}");
    let (_, _, sophie) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/Practitioner/{sophie_id}"),
            &claire,
            &[],
            None,
        )
        .await;
    let idnps = sophie["identifier"][0]["value"].as_str().unwrap();
    let (_, _, found) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|{idnps}"),
            &claire,
            &[],
            None,
        )
        .await;
    assert_eq!(
        ids_of(&found, "Practitioner", "match"),
        [sophie_id.to_string()]
    );
    let (_, _, accents) = app
        .fhir_with(
            "GET",
            "/fhir/r4/Practitioner?family=thiebaut",
            &claire,
            &[],
            None,
        )
        .await;
    assert_eq!(accents["total"], 1, "Thiébaut, without the accent");

    // The trail: the coordinator's centre only; a requester audits nothing.
    let (case_id, _) = app.file_request(&claire).await;
    let sophie_token = app.bearer(SOPHIE).await;
    let (status, _, _) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/ServiceRequest/{case_id}"),
            &sophie_token,
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let trail = format!(
        "/fhir/r4/AuditEvent?entity=ServiceRequest/{case_id}&agent=Practitioner/{sophie_id}&subtype=case.read"
    );
    let (status, _, reads) = app.fhir_with("GET", &trail, &celine, &[], None).await;
    assert_eq!(status, StatusCode::OK, "{reads}");
    assert!(reads["total"].as_u64().unwrap() >= 1, "{reads}");
    let (_, _, nothing) = app.fhir_with("GET", &trail, &claire, &[], None).await;
    assert_eq!(nothing["total"], 0, "a requester does not audit the centre");
    let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let today = consilium_domain::Clock::now(app.clock.as_ref())
        .to_zoned(paris)
        .date();
    let (_, _, dated) = app
        .fhir_with(
            "GET",
            &format!(
                "{trail}&date=ge{today}&date=lt{}",
                today.tomorrow().unwrap()
            ),
            &celine,
            &[],
            None,
        )
        .await;
    assert_eq!(dated["total"], reads["total"]);
    let (_, _, later) = app
        .fhir_with(
            "GET",
            &format!("{trail}&date=gt{today}"),
            &celine,
            &[],
            None,
        )
        .await;
    assert_eq!(later["total"], 0);
    app.finish().await;
}

/// Searches the database answers alone give what the engine gives when it
/// reads every candidate (a filter that keeps everything forces that path).
async fn the_database_and_the_engine_agree(app: TestApp) {
    let (claire, sophie, celine) = (
        app.bearer(CLAIRE).await,
        app.bearer(SOPHIE).await,
        app.bearer(CELINE).await,
    );
    let mut filed = Vec::new();
    for step in 0..4 {
        let (id, _) = app.file_request(&claire).await;
        app.clock.advance(SignedDuration::from_mins(7));
        let task = format!("/fhir/r4/Task/{id}");
        if step > 0 {
            let (status, _) = app.put_status(&task, &sophie, "accepted").await;
            assert_eq!(status, StatusCode::OK);
        }
        if step > 1 {
            let hold = serde_json::json!({ "status": "on-hold", "note": [{ "text": "?" }] });
            let (status, _, _) = app
                .fhir_with("PATCH", &task, &sophie, &[], Some(&hold))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        filed.push(id);
    }
    let (_, _, request) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/ServiceRequest/{}", filed[0]),
            &claire,
            &[],
            None,
        )
        .await;
    let team = request["performer"][0]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let patient = request["subject"]["reference"].as_str().unwrap().to_owned();
    let (sophie_id, claire_id) = (app.person_id(SOPHIE).await, app.person_id(CLAIRE).await);
    let queries = [
        "Task?".to_owned(),
        "Task?status=requested".to_owned(),
        "Task?status=requested,on-hold&_sort=-deadline".to_owned(),
        format!("Task?owner=Practitioner/{sophie_id}"),
        format!("Task?owner={team}"),
        format!("Task?focus=ServiceRequest/{}", filed[1]),
        format!("Task?patient={patient}&_sort=-_lastUpdated"),
        "Task?_sort=authored-on,-_id".to_owned(),
        "ServiceRequest?".to_owned(),
        "ServiceRequest?status=active".to_owned(),
        "ServiceRequest?status=completed,revoked,draft".to_owned(),
        format!("ServiceRequest?performer={team}&_sort=authored"),
        format!("ServiceRequest?requester=Practitioner/{claire_id}&_sort=_lastUpdated"),
        format!("ServiceRequest?_id={},{}", filed[2], filed[3]),
    ];
    for token in [&claire, &sophie, &celine] {
        for query in &queries {
            let ids = |bundle: &Value| ids_of(bundle, query.split('?').next().unwrap(), "match");
            let (_, _, fast) = app
                .fhir_with(
                    "GET",
                    &format!("/fhir/r4/{query}&_count=500"),
                    token,
                    &[],
                    None,
                )
                .await;
            let (_, _, slow) = app
                .fhir_with(
                    "GET",
                    &format!("/fhir/r4/{query}&_count=500&_lastUpdated=ge2000-01-01"),
                    token,
                    &[],
                    None,
                )
                .await;
            assert_eq!(fast["total"], slow["total"], "{query}");
            assert_eq!(ids(&fast), ids(&slow), "{query}");
        }
    }
    app.finish().await;
}

on_both_backends!(
    the_database_and_the_engine_agree,
    includes_and_totals_show_only_what_the_caller_may_read,
    pages_replay_the_list_as_it_was,
    unknown_parameters_are_refused_when_strict_and_reported_otherwise,
    the_directory_and_the_audit_trail,
);

impl TestApp {
    /// `POST` of a form body (FHIR `_search`).
    async fn request_form(
        &self,
        path: &str,
        token: &str,
        form: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let request = axum::http::Request::post(path)
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
            .header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(axum::body::Body::from(form.to_owned()))
            .unwrap();
        let response = self.request(request).await;
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, json_of(response).await)
    }
}
