//! One resource of each type, as a client reads it, kept as insta
//! snapshots (ids, times and hashes redacted): a change of what we send
//! integrators shows in review. Both databases must give the same
//! resources, so they share the snapshots. Every one is also checked by
//! the third-party `fhir.resources` (R4B) models.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{
    TestApp,
    fhir::{CELINE, CLAIRE, SOPHIE, redacted, validate_with_fhir_resources},
};

async fn one_resource_of_each_type(app: TestApp) {
    let walked = app.walk_request().await;
    let (claire, sophie, celine) = (
        app.bearer(CLAIRE).await,
        app.bearer(SOPHIE).await,
        app.bearer(CELINE).await,
    );
    let case = &walked.case_id;
    let sophie_id = app.person_id(SOPHIE).await;
    let first = |bundle: &Value| bundle["entry"][0]["resource"].clone();
    let dijon = consilium_domain::Finess::from_body("21990001").unwrap();
    let mut read = Vec::new();
    for (token, path) in [
        (&claire, format!("/fhir/r4/ServiceRequest/{case}")),
        (&claire, format!("/fhir/r4/Task/{case}")),
        (&claire, format!("/fhir/r4/QuestionnaireResponse/{case}")),
        (&claire, format!("/fhir/r4/Media/{}", walked.binary)),
        (
            &claire,
            format!("/fhir/r4/Communication/{}", walked.advice_id),
        ),
        (
            &claire,
            format!("/fhir/r4/Communication/{}", walked.question_id),
        ),
        (
            &claire,
            format!("/fhir/r4/DocumentReference/{}", walked.report_id),
        ),
        (
            &claire,
            format!("/fhir/r4/Appointment/{}", walked.appointment_id),
        ),
        (&sophie, format!("/fhir/r4/Practitioner/{sophie_id}")),
        (&claire, "/fhir/r4/metadata".to_owned()),
    ] {
        let (status, _, resource) = app.fhir_with("GET", &path, token, &[], None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {resource}");
        read.push(resource);
    }
    let patient_path = format!(
        "/fhir/r4/{}",
        read[0]["subject"]["reference"].as_str().unwrap()
    );
    for (token, path) in [
        (&claire, format!("/fhir/r4/PractitionerRole?practitioner=Practitioner/{sophie_id}")),
        (&claire, format!("/fhir/r4/Organization?identifier=http://finess.sante.gouv.fr|{dijon}")),
        (&claire, "/fhir/r4/HealthcareService?specialty=http://snomed.info/sct|394582007&name=Dermatologie".to_owned()),
        (&claire, "/fhir/r4/Questionnaire?url=https://consilium.health/fhir/Questionnaire/dermatology".to_owned()),
        (&celine, format!("/fhir/r4/AuditEvent?entity=ServiceRequest/{case}&subtype=case.read&agent=Practitioner/{sophie_id}&_count=1")),
    ] {
        let (status, _, bundle) = app.fhir_with("GET", &path, token, &[], None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {bundle}");
        assert!(bundle["total"].as_u64().unwrap() >= 1, "{path}: {bundle}");
        read.push(first(&bundle));
    }
    let (_, _, patient) = app
        .fhir_with("GET", &patient_path, &claire, &[], None)
        .await;
    read.push(patient);
    let (status, _, binary) = app
        .fhir_with(
            "GET",
            &format!("/fhir/r4/Binary/{}", walked.binary),
            &claire,
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    read.push(binary);
    validate_with_fhir_resources(&read);

    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.set_sort_maps(true);
    settings.bind(|| {
        let mut names = std::collections::HashSet::new();
        for resource in &read {
            let kind = resource["resourceType"].as_str().unwrap();
            let mut name = kind.to_owned();
            let mut n = 2;
            while !names.insert(name.clone()) {
                name = format!("{kind}-{n}");
                n += 1;
            }
            let mut shown = redacted(resource);
            if kind == "DocumentReference" {
                // The PDF holds the request's reference and times.
                shown["content"][0]["attachment"]["size"] = "[size]".into();
            }
            insta::assert_json_snapshot!(name, shown);
        }
    });
    app.finish().await;
}

on_both_backends!(one_resource_of_each_type);
