//! Every step refused in English reads in English (issue 16, item 7), on
//! SQLite and PostgreSQL: an expert and a GP who chose English try each step
//! of a request the wrong way, and each refusal is an English sentence with
//! no French in it.

use axum::http::StatusCode;

use crate::helpers::{TestApp, body_text, browser_like::location, fhir::CLAIRE};

const SOPHIE: &str = "sophie.lambert@demo.test"; // dermatologist at CHU Dijon

/// French words any step error would carry if it leaked.
const FRENCH: [&str; 10] = [
    "demande",
    "vous ",
    "indiquez",
    "écrivez",
    "n&#39;est pas",
    "obligatoire",
    "choisissez",
    "rendez-vous doit",
    "Motif",
    "Date ou heure",
];

/// The error banner of a refused step's page.
async fn refusal(
    app: &TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = app.post_form(path, Some(cookie), fields).await;
    let status = response.status();
    let page = body_text(response).await;
    let banner = page
        .split("<p class=\"error\" role=\"alert\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no error banner for {path}: {status} {page}"))
        .split("</p>")
        .next()
        .unwrap()
        .to_owned();
    (status, banner)
}

fn assert_english(banner: &str, expected: &str, step: &str) {
    assert!(banner.contains(expected), "{step}: {banner}");
    for word in FRENCH {
        assert!(
            !banner.contains(word),
            "{step} shows French ({word}): {banner}"
        );
    }
}

async fn each_refused_step_reads_in_english(app: TestApp) {
    let token = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&token).await;
    let case = format!("/dossiers/{case_id}");
    let sophie = format!("{}; lang=en", app.sign_in(SOPHIE).await);
    let claire = format!("{}; lang=en", app.sign_in(CLAIRE).await);

    let (status, banner) = refusal(&app, &format!("{case}/cloture"), &sophie, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_english(
        &banner,
        "you may not do this on this request",
        "closing as the expert",
    );

    let decline = [("reason_kind", "other"), ("reason", " ")];
    let (_, banner) = refusal(&app, &format!("{case}/refus"), &sophie, &decline).await;
    assert_english(
        &banner,
        "say why you decline the request",
        "declining without a reason",
    );
    let unknown = [("reason_kind", "bored"), ("reason", "no")];
    let (_, banner) = refusal(&app, &format!("{case}/refus"), &sophie, &unknown).await;
    assert_english(&banner, "Unknown reason", "declining for an unknown reason");

    let taken = app
        .post_form(&format!("{case}/prise"), Some(&sophie), &[])
        .await;
    assert!(location(&taken).starts_with(&case));
    let (status, banner) = refusal(&app, &format!("{case}/prise"), &sophie, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_english(
        &banner,
        "this step is not possible in the request&#39;s current status",
        "taking twice",
    );

    let (_, banner) = refusal(
        &app,
        &format!("{case}/questions"),
        &sophie,
        &[("key", "q"), ("body", " ")],
    )
    .await;
    assert_english(&banner, "write your message", "an empty question");

    let no_visit = [
        ("key", "a1"),
        ("hypothesis", "Naevus"),
        ("management", "Surveillance"),
    ];
    let (_, banner) = refusal(&app, &format!("{case}/avis"), &sophie, &no_visit).await;
    assert_english(
        &banner,
        "Say whether an in-person visit is needed",
        "an advice without the visit",
    );
    let empty = [
        ("key", "a2"),
        ("hypothesis", " "),
        ("management", "x"),
        ("visit", "no"),
    ];
    let (_, banner) = refusal(&app, &format!("{case}/avis"), &sophie, &empty).await;
    assert_english(
        &banner,
        "the diagnostic hypothesis is required",
        "an advice without a hypothesis",
    );
    let code = [
        ("key", "a3"),
        ("hypothesis", "Naevus"),
        ("icd10", "XYZ"),
        ("management", "x"),
        ("visit", "no"),
    ];
    let (_, banner) = refusal(&app, &format!("{case}/avis"), &sophie, &code).await;
    assert_english(
        &banner,
        "is not an ICD-10 code",
        "an advice with a wrong code",
    );

    let visit = [("date", "2026-13-01"), ("time", "10:00"), ("place", "CHU")];
    let (_, banner) = refusal(&app, &format!("{case}/rendez-vous"), &sophie, &visit).await;
    assert_english(&banner, "Invalid date or time", "a visit on no date");

    let (_, banner) = refusal(
        &app,
        &format!("{case}/reponses"),
        &claire,
        &[("key", "r"), ("body", "Voici")],
    )
    .await;
    assert!(
        banner.contains("this step is not possible") || banner.contains("you may not do this"),
        "replying with no question pending: {banner}"
    );
    assert_english(&banner, "", "replying with no question pending");
    app.finish().await;
}

on_both_backends!(each_refused_step_reads_in_english);
