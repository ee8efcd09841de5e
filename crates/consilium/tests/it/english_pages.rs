//! English chosen once stays English through the whole flow (issue 15,
//! item 13), on SQLite and PostgreSQL: the GP files a request, sends it
//! incomplete, adds a blurred photo, sends it; the expert reads it and
//! sends an empty question. No page of the flow shows a French word of the
//! interface — questionnaire, values, hints, errors included.

use axum::http::{StatusCode, header};
use consilium_blobs::image::synthetic;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
};

const CLAIRE: &str = "claire.martin@demo.test"; // GP at Saulieu, routes dermatology to CHU Dijon
const SOPHIE: &str = "sophie.lambert@demo.test"; // dermatologist at CHU Dijon

/// Words of the French interface; none is a name, a place or a demo text.
const FRENCH: [&str; 24] = [
    "Antécédents",
    "Traitements",
    "Localisation",
    "Depuis quand",
    "Évolution",
    "Symptômes",
    "Aucun",
    "Oui",
    "Envoyer",
    "obligatoire",
    "Photo probablement",
    "Féminin",
    "Identité",
    "Vue d&#39;ensemble",
    "Gros plan",
    "Réponse",
    "écrivez",
    "Demande",
    "Dossier",
    "choisissez",
    "Brouillon",
    "Retirer",
    "Remplacer",
    "Augmente",
];

/// The page's text, tags and their attributes left out.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn assert_english(page: &str, what: &str) {
    let text = visible_text(page);
    let french: Vec<&&str> = FRENCH.iter().filter(|w| text.contains(**w)).collect();
    assert!(french.is_empty(), "{what} shows {french:?}:\n{text}");
}

async fn get_en(app: &TestApp, path: &str, cookie: &str) -> (StatusCode, String) {
    let cookie = format!("{cookie}; lang=en");
    let response = app.get_as(path, Auth::Cookie(&cookie)).await;
    (response.status(), body_text(response).await)
}

async fn english_stays_english_through_the_flow(app: TestApp) {
    let claire = app.sign_in(CLAIRE).await;
    // Choosing English once sets the cookie the other pages read.
    let chosen = app.get_as("/accueil?lang=en", Auth::Cookie(&claire)).await;
    let set = chosen.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.starts_with("lang=en"), "{set}");
    let claire_en = format!("{claire}; lang=en");

    let (_, form) = get_en(&app, "/demandes/nouvelle", &claire).await;
    assert_english(&form, "the new request page");
    let value = |marker: &str| {
        form.split(marker)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    let (key, patient) = (
        value("name=\"key\" value=\""),
        value("name=\"patient\" value=\""),
    );
    let step1 = [
        ("key", key.as_str()),
        ("specialty", "394582007"),
        ("patient", patient.as_str()),
    ];
    let draft = location(&app.post_form("/demandes", Some(&claire_en), &step1).await);
    let (_, page) = get_en(&app, &draft, &claire).await;
    assert!(page.contains("Tele-expertise — dermatology"), "{page}");
    assert!(page.contains("Since when?") && page.contains("Itching"));
    assert_english(&page, "the draft");

    // Sent with most answers missing: the summary and fields in English.
    let incomplete = [
        ("consent", "true"),
        ("question", "Growing mole on the back: melanoma?"),
        ("action", "send"),
    ];
    let sent = app.post_form(&draft, Some(&claire_en), &incomplete).await;
    let (status, page) = get_en(&app, &location(&sent), &claire).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("things to complete before sending"), "{page}");
    assert!(
        page.contains("&#39;Medical history&#39;: required"),
        "{page}"
    );
    assert_english(&page, "the draft's problems");

    // A blurred photo: its hint in English, after a reload too.
    let token = app.bearer(CLAIRE).await;
    let soft = app
        .upload_bytes(&token, synthetic::blurred_lesion(3).unwrap())
        .await;
    let cookie = claire_en.clone();
    let attached = app
        .post_form(
            &format!("{draft}/pieces"),
            Some(&cookie),
            &[
                ("upload", soft.as_str()),
                ("item", "photos"),
                ("photo_kind", "overview"),
            ],
        )
        .await;
    assert!(body_text(attached).await.contains("Photo probably blurred"));
    let (_, page) = get_en(&app, &draft, &claire).await;
    assert!(page.contains("Photo probably blurred: replace it, or remove it."));
    assert_english(&page, "the draft with a photo");

    let complete = [
        ("consent", "true"),
        ("question", "Growing mole on the back: melanoma?"),
        ("history", "none"),
        ("treatments", "none"),
        ("allergies", "none"),
        ("body_site", "Back, left shoulder blade"),
        ("duration", "6-12m"),
        ("evolution", "growing"),
        ("symptoms", "itch"),
        ("phototype", "II"),
        ("skin_cancer_history", "family"),
        ("action", "send"),
    ];
    let sent = app.post_form(&draft, Some(&claire_en), &complete).await;
    let case = location(&sent);
    assert!(case.starts_with("/dossiers/"), "{case}");
    let (_, page) = get_en(&app, &case, &claire).await;
    assert!(page.contains("Request sent to"), "{page}");
    assert!(page.contains("6 to 12 months") && page.contains("Female"));
    assert_english(&page, "the GP's request");
    let (_, home) = get_en(&app, "/accueil", &claire).await;
    assert_english(&home, "the GP's home");

    // The expert, in English too: the request, the flag, an empty question.
    let sophie = app.sign_in(SOPHIE).await;
    let case = case.trim_end_matches("?envoyee").to_owned();
    let (_, page) = get_en(&app, &case, &sophie).await;
    assert!(page.contains("Flagged as blurred when sent"), "{page}");
    assert!(page.contains("Photo 1 · Back, left shoulder blade — Overview (20 cm)"));
    assert_english(&page, "the expert's request");
    let sophie_en = format!("{sophie}; lang=en");
    app.post_form(&format!("{case}/prise"), Some(&sophie_en), &[])
        .await;
    let empty = app
        .post_form(
            &format!("{case}/questions"),
            Some(&sophie_en),
            &[("key", "q-en"), ("body", " ")],
        )
        .await;
    let page = body_text(empty).await;
    assert!(page.contains("write your message"), "{page}");
    assert_english(&page, "a refused question");
    let (_, queue) = get_en(&app, "/file-attente", &sophie).await;
    assert_english(&queue, "the queue");
    app.finish().await;
}

on_both_backends!(english_stays_english_through_the_flow);
