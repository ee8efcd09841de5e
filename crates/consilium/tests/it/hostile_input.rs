//! Input an attacker or a copy-paste would send: control characters and
//! bidirectional overrides in every free-text field are stripped at the
//! boundary (pages and FHIR), so "(CIM-10 L30.9)" never reads backwards;
//! files for a question the form does not have are refused when attached.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
    fhir::{CELINE, CLAIRE, SOPHIE, bundle},
};

/// Right-to-left override, ESC, NUL, a zero-width space.
const HOSTILE: [char; 4] = ['\u{202E}', '\u{1b}', '\u{0}', '\u{200B}'];

fn poisoned(text: &str) -> String {
    format!("{}{text}{}", HOSTILE[0], HOSTILE.iter().collect::<String>())
}

fn is_clean(text: &str) -> bool {
    !text.chars().any(|c| HOSTILE.contains(&c))
}

async fn control_and_bidi_characters_never_reach_a_page_or_a_record(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let binary = app.photo_upload(&claire).await;
    let mut filing = bundle(true, &binary, &app.inline_photo());
    filing["entry"][1]["resource"]["item"][1]["answer"][0]["valueString"] =
        json!(poisoned("Nævus atypique ?"));
    filing["entry"][2]["resource"]["bodySite"]["text"] = json!(poisoned("Jambe droite"));
    let filed = app
        .fhir("POST", "/fhir/r4", &claire, None, Some(&filing))
        .await;
    assert_eq!(filed.status(), StatusCode::OK);
    let filed: Value = serde_json::from_str(&body_text(filed).await).unwrap();
    let case_id = crate::helpers::fhir::filed_case_id(&filed);

    let sophie = app.sign_in(SOPHIE).await;
    let case = format!("/dossiers/{case_id}");
    assert_eq!(
        location(
            &app.post_form(&format!("{case}/prise"), Some(&sophie), &[])
                .await
        ),
        format!("{case}?fait=prise#echanges")
    );
    // A question through FHIR, with the override in it.
    let sophie_token = app.bearer(SOPHIE).await;
    let question = json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "code": "question" }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "payload": [{ "contentString": poisoned("Photo de près ?") }]
    });
    let asked = app
        .fhir(
            "POST",
            "/fhir/r4/Communication",
            &sophie_token,
            None,
            Some(&question),
        )
        .await;
    assert_eq!(
        asked.status(),
        StatusCode::CREATED,
        "{}",
        body_text(asked).await
    );
    let reply = json!({
        "resourceType": "Communication", "status": "completed",
        "category": [{ "coding": [{ "code": "reply" }] }],
        "basedOn": [{ "reference": format!("ServiceRequest/{case_id}") }],
        "payload": [{ "contentString": poisoned("Voici la photo") }]
    });
    let replied = app
        .fhir(
            "POST",
            "/fhir/r4/Communication",
            &claire,
            None,
            Some(&reply),
        )
        .await;
    assert_eq!(
        replied.status(),
        StatusCode::CREATED,
        "{}",
        body_text(replied).await
    );

    let hypothesis = poisoned("Eczéma (CIM-10 L30.9)");
    let management = poisoned("Dermocorticoïde\r\n2 semaines");
    let advised = app
        .post_form(
            &format!("{case}/avis"),
            Some(&sophie),
            &[
                ("key", "a1"),
                ("hypothesis", &hypothesis),
                ("icd10", "L30.9"),
                ("management", &management),
                ("visit", "within_week"),
                ("note", &poisoned("note")),
            ],
        )
        .await;
    assert_eq!(location(&advised), format!("{case}?fait=avis#avis"));
    let celine = app.sign_in(CELINE).await;
    let place = poisoned("Porte 12");
    let proposed = app
        .post_form(
            &format!("{case}/rendez-vous"),
            Some(&celine),
            &[
                ("date", "2026-12-15"),
                ("time", "10:30"),
                ("place", &place),
                ("instructions", ""),
            ],
        )
        .await;
    assert_eq!(
        location(&proposed),
        format!("{case}?fait=rendez-vous#rendez-vous")
    );
    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    assert!(is_clean(&page), "the case page holds a hostile character");
    assert!(page.contains("Eczéma (CIM-10 L30.9)") && page.contains("Porte 12"));
    assert!(page.contains("Nævus atypique ?") && page.contains("Jambe droite"));
    assert!(page.contains("Photo de près ?") && page.contains("Voici la photo"));
    for path in [
        format!("/fhir/r4/QuestionnaireResponse?based-on=ServiceRequest/{case_id}"),
        format!("/fhir/r4/Communication?based-on=ServiceRequest/{case_id}"),
        format!("/fhir/r4/Media?based-on=ServiceRequest/{case_id}"),
        format!("/fhir/r4/Appointment?based-on=ServiceRequest/{case_id}"),
    ] {
        let text = body_text(app.fhir("GET", &path, &claire, None, None).await).await;
        let decoded: Value = serde_json::from_str(&text).unwrap();
        assert!(is_clean(&decoded.to_string()), "{path}: {text}");
        assert!(decoded["total"].as_u64().unwrap() >= 1, "{path}");
    }
    app.finish().await;
}

async fn a_file_for_a_question_the_form_lacks_is_refused(app: TestApp) {
    let cookie = app.sign_in(CLAIRE).await;
    let claire = app.bearer(CLAIRE).await;
    let started = app
        .post_form(
            "/demandes",
            Some(&cookie),
            &[
                ("key", "k"),
                ("specialty", "394582007"),
                ("patient", "new"),
                ("birth_family_name", "Essai"),
                ("first_names", "Anne"),
                ("birth_date", "1970-01-01"),
                ("sex", "female"),
                ("identity_status", "provisoire"),
            ],
        )
        .await;
    let draft = location(&started);
    let upload = app.photo_upload(&claire).await;
    let attach = |item: &'static str| {
        let (app, cookie, draft, upload) = (&app, &cookie, &draft, &upload);
        async move {
            app.post_form(
                &format!("{draft}/pieces"),
                Some(cookie),
                &[
                    ("upload", upload),
                    ("item", item),
                    ("body_site", ""),
                    ("photo_kind", ""),
                ],
            )
            .await
        }
    };
    // Dermatology takes photos, not an ECG: refused, nothing attached.
    let refused = attach("ecg").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("ecg"));
    assert_eq!(attach("photos").await.status(), StatusCode::OK);
    app.finish().await;
}

async fn files_that_lie_about_their_type_or_can_act_are_refused(app: TestApp) {
    use base64::Engine;
    let claire = app.bearer(CLAIRE).await;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let photo = consilium_blobs::testdata::jpeg_with_gps(320, 240);
    let active = consilium_blobs::testdata::pdf(&[(
        "OpenAction",
        "<< /S /JavaScript /JS (app.launchURL('https://evil.example')) >>",
    )]);
    let tus = |file: &[u8], declared: &str| {
        let (app, claire, file) = (&app, &claire, file.to_vec());
        let headers = vec![
            ("upload-length", file.len().to_string()),
            (
                "upload-metadata",
                format!("filetype {}", b64(declared.as_bytes())),
            ),
            ("content-type", "application/offset+octet-stream".to_owned()),
        ];
        async move { app.tus("POST", "/files/", claire, &headers, file).await }
    };
    let lying = tus(&photo, "text/html").await;
    assert_eq!(lying.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(lying).await.contains("text/html"));
    let scripted = tus(&active, "application/pdf").await;
    assert_eq!(scripted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(scripted).await.contains("contenu actif"));
    assert_eq!(
        tus(&photo, "image/jpeg").await.status(),
        StatusCode::CREATED
    );
    let plain = consilium_blobs::testdata::pdf(&[]);
    assert_eq!(
        tus(&plain, "application/pdf").await.status(),
        StatusCode::CREATED
    );

    // Inline in a filing transaction: refused whole, nothing filed.
    let sent = |cases: Vec<consilium_store::cases::CaseView>| {
        cases.iter().filter(|c| c.status != "draft").count()
    };
    let before = sent(app.store.all_cases_unaudited().await.unwrap());
    let binary = app.photo_upload(&claire).await;
    let mut filing = bundle(true, &binary, &b64(&photo));
    filing["entry"][3]["resource"]["content"]["contentType"] = json!("text/html");
    let refused = app
        .fhir("POST", "/fhir/r4", &claire, None, Some(&filing))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("text/html"));
    let after = sent(app.store.all_cases_unaudited().await.unwrap());
    assert_eq!(after, before, "no request was sent");
    app.finish().await;
}

/// Errors say what to do, never what a library said inside.
async fn internal_error_texts_are_not_echoed(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    // A PNG whose pixels are missing: the decoder fails.
    let damaged = consilium_blobs::testdata::png_header_only(300, 200);
    let headers = vec![
        ("upload-length", damaged.len().to_string()),
        ("content-type", "application/offset+octet-stream".to_owned()),
    ];
    let refused = app.tus("POST", "/files/", &claire, &headers, damaged).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = body_text(refused).await;
    assert!(text.contains("renvoyez-le depuis l'appareil"), "{text}");
    for internal in ["buffer", "decoder", "Format", "Huffman", "EOF", "marker"] {
        assert!(!text.contains(internal), "{internal} in {text}");
    }
    let (case_id, _) = app.file_request(&claire).await;
    let sophie = app.bearer(crate::helpers::fhir::SOPHIE).await;
    let bad = json!([{ "op": "test", "path": "/status", "value": "nonsense" }]);
    let response = app
        .patch_json(&format!("/fhir/r4/Task/{case_id}"), &sophie, &bad)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let text = body_text(response).await;
    assert!(text.contains("l'opération n° 1"), "{text}");
    assert!(
        !text.contains("TestFailed") && !text.contains("failed at path"),
        "{text}"
    );
    app.finish().await;
}

/// A demo request reads like one filed today: versions, deadline, history.
async fn demo_requests_have_a_real_requests_history(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let (new_id, _) = app.file_request(&claire).await;
    let demo_id = app.case_id("TE-2026-0001").await;
    let shape = |id: String| {
        let (app, claire) = (&app, &claire);
        async move {
            let history = crate::helpers::fhir::json_of(
                app.fhir(
                    "GET",
                    &format!("/fhir/r4/ServiceRequest/{id}/_history"),
                    claire,
                    None,
                    None,
                )
                .await,
            )
            .await;
            let task = crate::helpers::fhir::json_of(
                app.fhir("GET", &format!("/fhir/r4/Task/{id}"), claire, None, None)
                    .await,
            )
            .await;
            let versions = history["total"].as_u64().unwrap();
            let due = task["restriction"]["period"]["end"].is_string();
            (versions, due, task["status"].clone())
        }
    };
    assert_eq!(shape(demo_id.to_string()).await, shape(new_id).await);
    app.finish().await;
}

on_both_backends!(
    internal_error_texts_are_not_echoed,
    demo_requests_have_a_real_requests_history,
    control_and_bidi_characters_never_reach_a_page_or_a_record,
    a_file_for_a_question_the_form_lacks_is_refused,
    files_that_lie_about_their_type_or_can_act_are_refused,
);
