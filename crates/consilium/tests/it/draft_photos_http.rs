//! A draft's photos through the pages (issue 15, items 6–8), on SQLite and
//! PostgreSQL: a blurred photo is flagged and stays flagged after a reload,
//! can be removed (by its requester only) and replaced; each photo's view
//! and site are set from the form, the questionnaire's location fills the
//! ones left empty; the expert sees the flag, and reply photos are checked.

use axum::http::{StatusCode, header};
use axum::{body::Body, http::Request};
use consilium_blobs::image::synthetic;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
};

const CLAIRE: &str = "claire.martin@demo.test"; // GP at Saulieu, routes dermatology to CHU Dijon
const PIERRE: &str = "pierre.roche@demo.test"; // GP at Pontarlier
const SOPHIE: &str = "sophie.lambert@demo.test"; // dermatologist at CHU Dijon

const ANSWERS: [(&str, &str); 12] = [
    ("consent", "true"),
    ("question", "Lésion pigmentée du dos, mélanome ?"),
    ("history", "none"),
    ("treatments__text", "Aucun"),
    ("body_site", "Dos, région scapulaire gauche"),
    ("duration", "6-12m"),
    ("evolution", "growing"),
    ("symptoms", "itch"),
    ("phototype", "II"),
    ("skin_cancer_history", "family"),
    ("allergies", "none"),
    ("action", "save"),
];

fn value_after<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split(marker)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
}

async fn attach(app: &TestApp, cookie: &str, draft: &str, upload: &str, kind: &str) -> String {
    let attached = app
        .post_form(
            &format!("{draft}/pieces"),
            Some(cookie),
            &[("upload", upload), ("item", "photos"), ("photo_kind", kind)],
        )
        .await;
    assert_eq!(attached.status(), StatusCode::OK);
    body_text(attached).await
}

/// A dermatology draft for Jeanne Moreau, started from the page; its path.
async fn new_draft(app: &TestApp, cookie: &str) -> String {
    let form = body_text(app.get_as("/demandes/nouvelle", Auth::Cookie(cookie)).await).await;
    let step1 = [
        ("key", value_after(&form, "name=\"key\" value=\"")),
        ("specialty", "394582007"),
        ("patient", value_after(&form, "name=\"patient\" value=\"")),
    ];
    location(&app.post_form("/demandes", Some(cookie), &step1).await)
}

async fn a_blurred_photo_is_flagged_removed_and_replaced(app: TestApp) {
    let claire = app.sign_in(CLAIRE).await;
    let draft = new_draft(&app, &claire).await;
    let saved = app.post_form(&draft, Some(&claire), &ANSWERS).await;
    assert_eq!(
        location(&saved),
        format!("{draft}?enregistre"),
        "saving ends in a redirect"
    );

    let token = app.bearer(CLAIRE).await;
    let sharp = app.photo_upload(&token).await;
    let soft = app
        .upload_bytes(&token, synthetic::blurred_lesion(1).unwrap())
        .await;
    assert!(
        !attach(&app, &claire, &draft, &sharp, "overview")
            .await
            .contains("floue")
    );
    let answer = attach(&app, &claire, &draft, &soft, "close_up").await;
    assert!(answer.contains("\"hint\":\"blurred\""), "{answer}");

    // After a reload the flag is still there, on the photo, with what to do.
    let page = body_text(app.get_as(&draft, Auth::Cookie(&claire)).await).await;
    let row = page
        .split(&format!("data-upload=\"{soft}\""))
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(
        row.contains("Photo probablement floue : remplacez-la, ou retirez-la."),
        "{row}"
    );
    assert!(row.contains(&format!("/pieces/{soft}/retrait")), "{row}");
    assert!(row.contains("data-replace"), "a replace button");
    assert!(
        row.contains("placeholder=\"Dos, région scapulaire gauche\""),
        "the questionnaire's location shows where the photo's own is empty"
    );

    // Another site's GP, and an anonymous client, cannot remove it.
    let pierre = app.sign_in(PIERRE).await;
    let removal = format!("{draft}/pieces/{soft}/retrait");
    let theirs = app.post_form(&removal, Some(&pierre), &[]).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let anonymous = app.post_form(&removal, None, &[]).await;
    assert!(
        location(&anonymous).starts_with("/connexion"),
        "sign in first"
    );
    assert!(
        body_text(app.get_as(&draft, Auth::Cookie(&claire)).await)
            .await
            .contains(&format!("data-upload=\"{soft}\"")),
        "still there"
    );

    // Its requester removes it (as the page's script asks: JSON), and it
    // is gone: from the draft and from the uploads.
    let removed = app
        .request(
            Request::post(&removal)
                .header(header::COOKIE, &claire)
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    let page = body_text(app.get_as(&draft, Auth::Cookie(&claire)).await).await;
    assert!(!page.contains(&soft), "removed");
    let thumbnail = app
        .get_as(&format!("/files/{soft}/vignette"), Auth::Cookie(&claire))
        .await;
    assert_eq!(thumbnail.status(), StatusCode::NOT_FOUND, "deleted");
    let twice = app.post_form(&removal, Some(&claire), &[]).await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);

    // The replacement; each photo's view is set on the form, the site left
    // empty takes the questionnaire's location when sent.
    let retaken = app.photo_upload(&token).await;
    attach(&app, &claire, &draft, &retaken, "close_up").await;
    let kind_field = format!("photo_kind__{retaken}");
    let site_field = format!("photo_site__{sharp}");
    let mut send: Vec<(&str, &str)> = ANSWERS[..11].to_vec();
    send.extend([
        (kind_field.as_str(), "dermoscopic"),
        (site_field.as_str(), "Dos, vue large"),
        ("action", "send"),
    ]);
    let sent = app.post_form(&draft, Some(&claire), &send).await;
    let case = location(&sent);
    assert!(case.starts_with("/dossiers/"), "{case}");
    let case = case.trim_end_matches("?envoyee").to_owned();

    let sophie = app.sign_in(SOPHIE).await;
    let expert_page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    assert!(
        expert_page.contains("Photo 1 · Dos, vue large — Vue d&#39;ensemble (20 cm)"),
        "{expert_page}"
    );
    assert!(
        expert_page.contains("Photo 2 · Dos, région scapulaire gauche — Dermoscopie"),
        "{expert_page}"
    );
    assert!(
        !expert_page.contains("Signalée floue"),
        "the blurred one was replaced"
    );
    app.finish().await;
}

async fn reply_photos_are_checked_and_the_expert_sees_the_flag(app: TestApp) {
    // The demo's request for Jeanne Moreau came with a blurred third photo.
    let sophie = app.sign_in(SOPHIE).await;
    let queue = body_text(app.get_as("/file-attente", Auth::Cookie(&sophie)).await).await;
    let entry = queue
        .split("<li class=\"queue-entry")
        .find(|e| e.contains("Moreau"))
        .unwrap();
    let case = value_after(entry, "<a href=\"").to_owned();
    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    assert_eq!(
        page.matches("Signalée floue à l&#39;envoi").count(),
        1,
        "{page}"
    );
    assert!(!page.contains("Avec la réponse"), "one group: no heading");

    // A photo sent with a reply is checked as the upload ends.
    let token = app.bearer(CLAIRE).await;
    let soft = app
        .upload_bytes(&token, synthetic::blurred_lesion(2).unwrap())
        .await;
    let claire = app.sign_in(CLAIRE).await;
    let quality = app
        .get_as(&format!("/files/{soft}/qualite"), Auth::Cookie(&claire))
        .await;
    assert_eq!(quality.status(), StatusCode::OK);
    let quality = body_text(quality).await;
    assert!(quality.contains("\"hint\":\"blurred\""), "{quality}");
    assert!(quality.contains("Photo probablement floue"), "{quality}");
    let theirs = app
        .get_as(&format!("/files/{soft}/qualite"), Auth::Cookie(&sophie))
        .await;
    assert_eq!(
        theirs.status(),
        StatusCode::NOT_FOUND,
        "the uploader's only"
    );

    // The expert asks, the GP answers with the photo; the expert sees it
    // under the reply, flagged, with the questionnaire's location.
    app.post_form(&format!("{case}/prise"), Some(&sophie), &[])
        .await;
    let asked = app
        .post_form(
            &format!("{case}/questions"),
            Some(&sophie),
            &[
                ("key", "q-1"),
                ("body", "Une photo de plus ?"),
                ("asks_photos", "yes"),
            ],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let kind_field = format!("photo_kind__{soft}");
    let replied = app
        .post_form(
            &format!("{case}/reponses"),
            Some(&claire),
            &[
                ("key", "r-1"),
                ("body", "Voici"),
                ("photo", &soft),
                (&kind_field, "close_up"),
            ],
        )
        .await;
    assert_eq!(replied.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    let reply_group = page
        .split("Avec la réponse 1")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        reply_group.contains("Signalée floue à l&#39;envoi"),
        "{reply_group}"
    );
    assert!(
        reply_group.contains("Photo 4 · Dos, région scapulaire gauche — Gros plan"),
        "{reply_group}"
    );
    app.finish().await;
}

async fn a_gp_deletes_a_draft_she_will_not_send(app: TestApp) {
    let claire = app.sign_in(CLAIRE).await;
    let draft = new_draft(&app, &claire).await;
    let token = app.bearer(CLAIRE).await;
    let upload = app.photo_upload(&token).await;
    attach(&app, &claire, &draft, &upload, "overview").await;
    let page = body_text(app.get_as(&draft, Auth::Cookie(&claire)).await).await;
    assert!(
        page.contains(&format!("action=\"{draft}/suppression\"")),
        "a delete button"
    );

    // Another site's GP cannot; nor can anyone signed out.
    let pierre = app.sign_in(PIERRE).await;
    let deletion = format!("{draft}/suppression");
    let theirs = app.post_form(&deletion, Some(&pierre), &[]).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let anonymous = app.post_form(&deletion, None, &[]).await;
    assert!(location(&anonymous).starts_with("/connexion"));

    let deleted = app.post_form(&deletion, Some(&claire), &[]).await;
    assert_eq!(location(&deleted), "/accueil?brouillon-supprime");
    let home = body_text(app.get_as(&location(&deleted), Auth::Cookie(&claire)).await).await;
    assert!(home.contains("Brouillon supprimé, avec ses photos."));
    assert!(
        !home.contains(draft.trim_start_matches("/demandes/")),
        "gone from the list"
    );
    let gone = app.get_as(&draft, Auth::Cookie(&claire)).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let photo = app
        .get_as(&format!("/files/{upload}/vignette"), Auth::Cookie(&claire))
        .await;
    assert_eq!(photo.status(), StatusCode::NOT_FOUND, "its photo with it");
    let twice = app.post_form(&deletion, Some(&claire), &[]).await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);
    app.finish().await;
}

on_both_backends!(
    a_gp_deletes_a_draft_she_will_not_send,
    a_blurred_photo_is_flagged_removed_and_replaced,
    reply_photos_are_checked_and_the_expert_sees_the_flag,
);
