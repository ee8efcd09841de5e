//! Correcting an advice, as a hurried expert does it: open "Corriger l'avis",
//! change one word, sign. Every field starts from the current version — the
//! in-person visit included — the page says what changed, and the GP is
//! told the advice was corrected (issue 15, item 1).

use std::sync::Arc;

use consilium::worker::Worker;
use consilium_domain::Clock;

use crate::helpers::{
    TestApp, body_text,
    browser_like::{Auth, location},
    fhir::{CLAIRE, SOPHIE},
};

/// The value a browser would send for `name` from the advice form of `page`:
/// an input's `value`, a textarea's text, the checked radio's value.
fn form_value(page: &str, name: &str) -> String {
    let form = page
        .split("action=\"/dossiers/")
        .find(|f| f.contains("/avis\""))
        .unwrap();
    let form = form.split("</form>").next().unwrap();
    let unescape = |s: &str| {
        s.replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    if let Some(rest) = form.split(&format!("<textarea id=\"{name}\"")).nth(1) {
        let text = rest
            .split_once('>')
            .unwrap()
            .1
            .split("</textarea>")
            .next()
            .unwrap();
        return unescape(text);
    }
    if let Some(rest) = form.split(&format!("<input id=\"{name}\"")).nth(1) {
        let tag = rest.split('>').next().unwrap();
        return unescape(
            tag.split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap(),
        );
    }
    form.split(&format!("name=\"{name}\" value=\""))
        .skip(1)
        .find(|radio| radio.split('>').next().unwrap().contains("checked"))
        .map(|radio| radio.split('"').next().unwrap().to_owned())
        .unwrap_or_default()
}

async fn a_correction_keeps_every_field_and_says_what_changed(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    let (case_id, _) = app.file_request(&claire).await;
    let sophie = app.sign_in(SOPHIE).await;
    let case = format!("/dossiers/{case_id}");
    assert_eq!(
        location(
            &app.post_form(&format!("{case}/prise"), Some(&sophie), &[])
                .await
        ),
        format!("{case}?fait=prise#echanges")
    );
    let first = [
        ("key", "v1"),
        ("hypothesis", "Naevus atypique du dos"),
        ("icd10", "D22.5"),
        ("management", "Exérèse à programmer."),
        ("visit", "within_week"),
        ("note", "Photo dermoscopique souhaitée."),
    ];
    let sent = app
        .post_form(&format!("{case}/avis"), Some(&sophie), &first)
        .await;
    assert_eq!(location(&sent), format!("{case}?fait=avis#avis"));

    // The correction form starts from version 1, visit and note included.
    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    for (name, value) in &first[1..] {
        assert_eq!(form_value(&page, name), *value, "{name} refilled");
    }
    // One word changed, everything else sent back as it stood.
    let mut fields: Vec<(String, String)> = first[1..]
        .iter()
        .map(|(name, _)| ((*name).to_owned(), form_value(&page, name)))
        .collect();
    fields[0].1 = "Naevus atypique du haut du dos".to_owned();
    fields.push(("key".into(), "v2".into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let corrected = app
        .post_form(&format!("{case}/avis"), Some(&sophie), &fields)
        .await;
    assert_eq!(location(&corrected), format!("{case}?fait=avis#avis"));

    let page = body_text(app.get_as(&case, Auth::Cookie(&sophie)).await).await;
    let current = page
        .split("Version 2")
        .nth(1)
        .unwrap()
        .split("</article>")
        .next()
        .unwrap();
    assert!(
        current.contains("Consultation en présentiel dans la semaine"),
        "{current}"
    );
    assert!(
        current.contains("Photo dermoscopique souhaitée."),
        "{current}"
    );
    assert!(
        current.contains("Corrigée : hypothèse diagnostique"),
        "{current}"
    );
    assert!(
        !current.contains("consultation en présentiel modifi"),
        "the visit did not change"
    );

    // The GP hears of a correction, not of one more advice.
    let clock: Arc<dyn Clock> = app.clock.clone();
    let worker = Worker::named(app.store.clone(), clock, "node-1".into());
    while worker.run_once().await.unwrap() > 0 {}
    let gp = app.sign_in(CLAIRE).await;
    // For the GP the advice comes first, before everything else on the page,
    // and the home list says it is there (issue 15, item 4).
    let page = body_text(app.get_as(&case, Auth::Cookie(&gp)).await).await;
    let first = page.find("id=\"avis-resume\"").expect("the advice on top");
    assert!(
        first < page.find("<h2>Patient</h2>").unwrap(),
        "before the patient"
    );
    let top = &page[first..];
    assert!(
        !page.contains("Réponse attendue avant le"),
        "no due date once answered (item 16)"
    );
    assert!(
        top.contains("version 2 (corrigée)")
            && top.contains("Consultation en présentiel dans la semaine")
    );
    assert!(
        top.contains("J&#39;ai lu l&#39;avis : clôturer")
            || top.contains("J'ai lu l'avis : clôturer")
    );
    let home = body_text(app.get_as("/accueil", Auth::Cookie(&gp)).await).await;
    let reference = app.reference_of(&case_id).await;
    let line = home
        .split(&reference)
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(line.contains("Avis disponible"), "{line}");
    let list = body_text(app.get_as("/notifications", Auth::Cookie(&gp)).await).await;
    assert!(
        list.contains("l&#39;expert a corrigé son avis")
            || list.contains("l'expert a corrigé son avis"),
        "{list}"
    );
    app.finish().await;
}

on_both_backends!(a_correction_keeps_every_field_and_says_what_changed);
