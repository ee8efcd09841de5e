//! Filing a dermatology request through the pages, on SQLite and PostgreSQL.

use axum::http::StatusCode;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
};

const CLAIRE: &str = "claire.martin@demo.test"; // GP at Saulieu, routes dermatology to CHU Dijon
const SOPHIE: &str = "sophie.lambert@demo.test"; // dermatologist at CHU Dijon

fn derm_answers(with_allergies: bool) -> Vec<(&'static str, &'static str)> {
    let mut fields = vec![
        ("consent", "true"),
        ("question", "Lésion pigmentée du dos, mélanome ?"),
        ("history", "none"),
        ("treatments__text", "Ramipril 5 mg"),
        ("body_site", "Dos, région scapulaire gauche"),
        ("duration", "6-12m"),
        ("evolution", "growing"),
        ("symptoms", "itch"),
        ("symptoms", "colour-change"),
        ("phototype", "II"),
        ("skin_cancer_history", "family"),
    ];
    if with_allergies {
        fields.push(("allergies", "none"));
    }
    fields
}

async fn a_gp_files_a_dermatology_request(app: TestApp) {
    let claire = app.sign_in(CLAIRE).await;
    let form = body_text(
        app.get_as("/demandes/nouvelle", Auth::Cookie(&claire))
            .await,
    )
    .await;
    assert!(
        form.contains("Nouvelle demande de télé-expertise") && form.contains("Moreau Jeanne Marie"),
        "{form}"
    );
    // No clinical choice is made for the GP (issue 15, item 12): no
    // specialty ticked, no sex chosen, plain words for the identity check.
    let specialties: Vec<&str> = form.split("name=\"specialty\"").skip(1).collect();
    assert!(specialties.len() >= 3);
    assert!(
        specialties
            .iter()
            .all(|s| !s.split('>').next().unwrap().contains("checked"))
    );
    let sex = form.split("<select id=\"sex\"").nth(1).unwrap();
    assert!(
        sex.trim_start_matches(" name=\"sex\">")
            .starts_with("<option value=\"\">"),
        "{sex}"
    );
    assert!(
        form.contains("Comment l&#39;identité a-t-elle été vérifiée ?")
            || form.contains("Comment l'identité a-t-elle été vérifiée ?")
    );
    let key = form
        .split("name=\"key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let patient = form
        .split("name=\"patient\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let step1 = [
        ("key", key.as_str()),
        ("specialty", "394582007"),
        ("patient", patient.as_str()),
    ];
    let started = app.post_form("/demandes", Some(&claire), &step1).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let draft_path = location(&started);
    let again = app.post_form("/demandes", Some(&claire), &step1).await;
    assert_eq!(
        location(&again),
        draft_path,
        "the same form sent twice makes one request"
    );

    let page = body_text(app.get_as(&draft_path, Auth::Cookie(&claire)).await).await;
    assert!(
        page.contains("Télé-expertise — dermatologie") && page.contains("Phototype"),
        "{page}"
    );

    // Three things missing (allergies, phototype, photos): all listed at
    // once, each linking to its field, in plain words (issue 15, item 5).
    let mut incomplete: Vec<_> = derm_answers(false)
        .into_iter()
        .filter(|(name, _)| *name != "phototype")
        .collect();
    incomplete.push(("action", "send"));
    // The post ends in a redirect, so a reload never posts it again (item 16).
    let refused = app.post_form(&draft_path, Some(&claire), &incomplete).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let again = location(&refused);
    assert!(
        again.starts_with(&format!("{draft_path}?a-completer")),
        "{again}"
    );
    let refused = app.get_as(&again, Auth::Cookie(&claire)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body_text(refused).await;
    let summary = html
        .split("tabindex=\"-1\" autofocus>")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    assert!(summary.contains("3 points à compléter"), "{summary}");
    for anchor in ["#field-allergies", "#field-phototype", "#attachments"] {
        assert!(
            summary.contains(&format!("href=\"{anchor}\"")),
            "{anchor} in {summary}"
        );
    }
    assert!(
        summary.contains("choisissez « Aucune connue »"),
        "the option as the box words it"
    );
    assert!(!summary.contains("(allergies)"), "no internal id");
    assert!(
        html.contains("class=\"field-error\""),
        "the fields are marked"
    );
    assert!(html.contains("autofocus"), "focus goes to the summary");
    assert!(html.contains("Ramipril 5 mg"), "what was typed is kept");

    let mut complete = derm_answers(true);
    complete.push(("action", "send"));
    // Every answer, but no photo: the expert could not answer.
    let no_photo = app.post_form(&draft_path, Some(&claire), &complete).await;
    let no_photo = app
        .get_as(&location(&no_photo), Auth::Cookie(&claire))
        .await;
    assert_eq!(no_photo.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body_text(no_photo)
            .await
            .contains("ajoutez au moins un fichier pour « Photos")
    );
    let token = app.bearer(CLAIRE).await;
    let upload = app.photo_upload(&token).await;
    let attached = app
        .post_form(
            &format!("{draft_path}/pieces"),
            Some(&claire),
            &[
                ("upload", &upload),
                ("item", "photos"),
                ("body_site", "Dos"),
                ("photo_kind", "overview"),
            ],
        )
        .await;
    assert_eq!(attached.status(), StatusCode::OK);
    let sent = app.post_form(&draft_path, Some(&claire), &complete).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let case_path = location(&sent);
    assert!(case_path.starts_with("/dossiers/"));
    let case = body_text(app.get_as(&case_path, Auth::Cookie(&claire)).await).await;
    // The GP is told it left, to whom, and by when an answer is due.
    assert!(
        case.contains("Demande envoyée à Dermatologie — CHU Dijon : réponse attendue avant le"),
        "{case}"
    );
    assert!(
        case.contains("Envoyée, en attente de prise en charge"),
        "{case}"
    );
    assert!(
        case.contains("Réponse attendue avant le"),
        "the deadline is shown"
    );
    let twice = app.post_form(&draft_path, Some(&claire), &complete).await;
    assert_eq!(location(&twice), case_path, "sending again changes nothing");

    let sophie = app.sign_in(SOPHIE).await;
    let id = case_path
        .trim_start_matches("/dossiers/")
        .trim_end_matches("?envoyee");
    let theirs = app
        .get_as(&format!("/api/cases/{id}"), Auth::Cookie(&sophie))
        .await;
    assert_eq!(
        theirs.status(),
        StatusCode::OK,
        "the dermatology team sees it"
    );
    let json = body_text(theirs).await;
    assert!(
        json.contains("\"status\":\"requested\"") && json.contains("Ramipril"),
        "{json}"
    );
    let list = body_text(app.get_as("/accueil", Auth::Cookie(&claire)).await).await;
    assert!(
        list.contains("réponse attendue avant le"),
        "the requester's list shows the deadline"
    );
    assert!(
        list.contains("envoyée à l&#39;instant"),
        "and the time since sending: {list}"
    );

    // Another centre than the usual one, if it offers the specialty.
    let besancon = centre_id(&app, "25990001").await;
    let fields = [
        ("key", "k-besancon"),
        ("specialty", "394582007"),
        ("patient", patient.as_str()),
        ("centre", besancon.as_str()),
    ];
    let elsewhere = app.post_form("/demandes", Some(&claire), &fields).await;
    let draft = body_text(
        app.get_as(&location(&elsewhere), Auth::Cookie(&claire))
            .await,
    )
    .await;
    assert!(draft.contains("Dermatologie — CHU Besançon"), "{draft}");
    let nevers = centre_id(&app, "58990001").await;
    let fields = [
        ("key", "k-nevers"),
        ("specialty", "394579002"),
        ("patient", patient.as_str()),
        ("centre", nevers.as_str()),
    ];
    let refused = app.post_form("/demandes", Some(&claire), &fields).await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "Nevers has no cardiology"
    );
    assert!(
        body_text(refused)
            .await
            .contains("équipe de cette spécialité au centre choisi")
    );
    app.finish().await;
}

async fn centre_id(app: &TestApp, finess_body: &str) -> String {
    let finess = consilium_domain::Finess::from_body(finess_body).unwrap();
    app.store
        .organization(&consilium_store::OrgKey::Finess(finess))
        .await
        .unwrap()
        .id
        .to_string()
}

on_both_backends!(a_gp_files_a_dermatology_request);
