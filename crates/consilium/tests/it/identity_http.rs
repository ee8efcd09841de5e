//! Identity vigilance on every path that records a patient (FHIR create,
//! the transaction that files a request, the new-request form): a known INS
//! with other traits is refused, reveals nothing, changes nothing and is
//! audited; the right traits typed at another site link that patient and
//! show nothing the caller did not type. Birth dates that cannot be are
//! refused.

use axum::http::StatusCode;
use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, body_text,
    fhir::{CLAIRE, PIERRE, bundle},
};

/// Jeanne Marie Moreau is a demo patient of Claire's site only.
fn moreau_ins() -> String {
    consilium_domain::Ins::from_nir("2460721231045")
        .unwrap()
        .to_string()
}

const SECRETS: [&str; 3] = ["Moreau", "Jeanne", "1946"];

fn patient(ins: &str, family: &str, given: &[&str], birth: &str, gender: &str) -> Value {
    json!({
        "resourceType": "Patient",
        "identifier": [{ "system": "urn:oid:1.2.250.1.213.1.4.8", "value": ins }],
        "name": [{ "family": family, "given": given }],
        "gender": gender, "birthDate": birth
    })
}

/// A filing transaction for `patient` (the demo bundle, with a photo).
async fn filing(app: &TestApp, token: &str, patient: Value) -> Value {
    let binary = app.photo_upload(token).await;
    let mut bundle = bundle(true, &binary, &app.inline_photo());
    bundle["entry"][0]["resource"] = patient;
    bundle
}

fn form<'a>(
    ins: &'a str,
    family: &'a str,
    first: &'a str,
    birth: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("key", "identity-form"),
        ("specialty", "394582007"),
        ("patient", "new"),
        ("ins", ins),
        ("birth_family_name", family),
        ("first_names", first),
        ("birth_date", birth),
        ("sex", "female"),
        ("identity_status", "provisoire"),
    ]
}

async fn refusals(app: &TestApp) -> usize {
    app.store
        .audit_trail_unfiltered()
        .await
        .iter()
        .filter(|r| r.action == "patient.identity_refused" && r.outcome == "denied")
        .count()
}

async fn another_sites_ins_with_other_traits_is_refused_everywhere(app: TestApp) {
    let pierre = app.bearer(PIERRE).await;
    let ins = moreau_ins();
    let before = app.store.counts().await.unwrap();
    let cases_before = app.store.all_cases_unaudited().await.unwrap().len();
    let made_up = patient(&ins, "Intrus", &["Paul"], "1980-01-01", "male");

    // 1. FHIR create, plain and conditional.
    let created = app
        .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&made_up))
        .await;
    assert_eq!(created.status(), StatusCode::CONFLICT);
    let text = body_text(created).await;
    assert!(
        text.contains("OperationOutcome") && text.contains("business-rule"),
        "{text}"
    );
    assert!(SECRETS.iter().all(|s| !text.contains(s)), "{text}");
    let conditional = app
        .fhir(
            "POST",
            &format!("/fhir/r4/Patient?identifier={ins}"),
            &pierre,
            None,
            Some(&made_up),
        )
        .await;
    assert_eq!(conditional.status(), StatusCode::CONFLICT);
    let text = body_text(conditional).await;
    assert!(SECRETS.iter().all(|s| !text.contains(s)), "{text}");

    // 2. The transaction that files a request.
    let bundle = filing(&app, &pierre, made_up.clone()).await;
    let filed = app
        .fhir("POST", "/fhir/r4", &pierre, None, Some(&bundle))
        .await;
    assert_eq!(filed.status(), StatusCode::CONFLICT);
    let text = body_text(filed).await;
    assert!(SECRETS.iter().all(|s| !text.contains(s)), "{text}");

    // 3. The new-request form: back as typed, with why, nothing about Moreau.
    let cookie = app.sign_in(PIERRE).await;
    let page = app
        .post_form(
            "/demandes",
            Some(&cookie),
            &form(&ins, "Intrus", "Paula", "1980-01-01"),
        )
        .await;
    assert_eq!(page.status(), StatusCode::CONFLICT);
    let html = body_text(page).await;
    assert!(html.contains("Cet INS est déjà enregistré"), "{html}");
    assert!(html.contains(r#"value="Intrus""#) && html.contains(r#"value="1980-01-01""#));
    let leaked: Vec<_> = SECRETS.iter().filter(|s| html.contains(*s)).collect();
    assert!(leaked.is_empty(), "{leaked:?} in {html}");

    // Nothing changed; each attempt is on the record.
    assert_eq!(app.store.counts().await.unwrap(), before);
    assert_eq!(
        app.store.all_cases_unaudited().await.unwrap().len(),
        cases_before
    );
    assert_eq!(refusals(&app).await, 4);
    let search = app
        .fhir(
            "GET",
            &format!("/fhir/r4/Patient?identifier={ins}"),
            &pierre,
            None,
            None,
        )
        .await;
    let found: Value = serde_json::from_str(&body_text(search).await).unwrap();
    assert_eq!(found["total"], 0, "Pierre still cannot see Moreau");

    // A fifth mismatch closes known INS to Pierre for an hour, right traits included.
    let again = app
        .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&made_up))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let right = patient(&ins, "Moreau", &["Jeanne", "Marie"], "1946-07-12", "female");
    let locked = app
        .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&right))
        .await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refusals(&app).await, 6);
    app.clock.advance(SignedDuration::from_mins(61));
    let pierre = app.bearer(PIERRE).await;
    let later = app
        .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&right))
        .await;
    assert_eq!(later.status(), StatusCode::CREATED);
    app.finish().await;
}

async fn the_right_traits_typed_at_another_site_reveal_nothing_more(app: TestApp) {
    let pierre = app.bearer(PIERRE).await;
    let ins = moreau_ins();
    // Typed from the identity document: other case, no accents, a hyphen.
    let typed = patient(&ins, "MOREAU", &["JEANNE-MARIE"], "1946-07-12", "female");
    let created = app
        .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&typed))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = serde_json::from_str(&body_text(created).await).unwrap();
    // What comes back is what was typed, as recorded: no other trait.
    assert_eq!(body["birthDate"], "1946-07-12");
    assert_eq!(body["gender"], "female");
    assert_eq!(body["identifier"][0]["value"], ins.as_str());
    let names = body["name"].as_array().unwrap();
    assert_eq!(names.len(), 1);
    assert!(body.get("telecom").is_none() && body.get("address").is_none());

    // The transaction and the form go through as well, on the same patient.
    let claire = app.bearer(CLAIRE).await;
    let bundle = filing(&app, &pierre, typed.clone()).await;
    let filed = app
        .fhir("POST", "/fhir/r4", &pierre, None, Some(&bundle))
        .await;
    assert_eq!(filed.status(), StatusCode::OK, "{}", body_text(filed).await);
    let cookie = app.sign_in(PIERRE).await;
    let page = app
        .post_form(
            "/demandes",
            Some(&cookie),
            &form(&ins, "Moreau", "Jeanne Marie", "1946-07-12"),
        )
        .await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);

    // The recorded traits were not overwritten: Claire sees them as before.
    let read = app
        .fhir(
            "GET",
            &format!("/fhir/r4/Patient?identifier={ins}"),
            &claire,
            None,
            None,
        )
        .await;
    let found: Value = serde_json::from_str(&body_text(read).await).unwrap();
    assert_eq!(found["total"], 1);
    let recorded = &found["entry"][0]["resource"];
    assert_eq!(recorded["name"][0]["family"], "Moreau");
    assert_eq!(recorded["name"][0]["given"], json!(["Jeanne", "Marie"]));
    assert_eq!(refusals(&app).await, 0);
    app.finish().await;
}

async fn birth_dates_that_cannot_be_are_refused(app: TestApp) {
    let pierre = app.bearer(PIERRE).await;
    let cookie = app.sign_in(PIERRE).await;
    let before = app.store.counts().await.unwrap();
    let ins = consilium_domain::Ins::from_nir("1990175123456")
        .unwrap()
        .to_string();
    for birth in ["2990-01-01", "0001-01-01"] {
        let resource = patient(&ins, "Futur", &["Jean"], birth, "male");
        let created = app
            .fhir("POST", "/fhir/r4/Patient", &pierre, None, Some(&resource))
            .await;
        assert_eq!(
            created.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{birth}"
        );
        let text = body_text(created).await;
        assert!(text.contains("date de naissance"), "{text}");
        let page = app
            .post_form(
                "/demandes",
                Some(&cookie),
                &form(&ins, "Futur", "Jean", birth),
            )
            .await;
        assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY, "{birth}");
        assert!(body_text(page).await.contains("date de naissance"));
    }
    assert_eq!(app.store.counts().await.unwrap(), before);
    app.finish().await;
}

on_both_backends!(
    another_sites_ins_with_other_traits_is_refused_everywhere,
    the_right_traits_typed_at_another_site_reveal_nothing_more,
    birth_dates_that_cannot_be_are_refused,
);
