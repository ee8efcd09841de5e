//! Dashboards and exports over HTTP, on SQLite and PostgreSQL: who sees
//! what, no patient identity anywhere a regional viewer looks, clear errors
//! for bad filters, and billing lines for a centre.

use consilium_domain::Clock;
use consilium_store::stats::SyntheticPatient;

use crate::helpers::{TestApp, body_text, browser_like::Auth};

const HELENE: &str = "helene.garnier@demo.test";
const CELINE: &str = "celine.fournier@demo.test";
const CLAIRE: &str = "claire.martin@demo.test";
const SOPHIE: &str = "sophie.lambert@demo.test";
const PIERRE: &str = "pierre.roche@demo.test";

/// Every identity a dashboard must not show: the demo patients' names and
/// INS, and the synthetic patients' INS and first names.
fn identities() -> Vec<String> {
    let mut out = Vec::new();
    for p in consilium::demo::seed().unwrap().patients {
        out.push(p.patient.birth_family_name.to_string());
        out.push(p.patient.first_names.to_string());
        if let Some(ins) = &p.patient.ins {
            out.push(ins.as_str().to_owned());
            out.push(ins.nir().to_owned());
        }
    }
    for n in 0..consilium::demo::HISTORY_PATIENTS {
        let p = SyntheticPatient::nth(n);
        out.push(p.ins.clone());
        out.push(p.first_names.clone());
    }
    out.push("SYNTHETIQUE".into());
    out
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let response = app.get_as(path, Auth::Cookie(cookie)).await;
    let status = response.status().as_u16();
    (status, body_text(response).await)
}

async fn the_region_sees_figures_and_no_patient(app: TestApp) {
    let written = consilium::demo::install_history(&app.store, app.clock.now())
        .await
        .unwrap();
    assert_eq!(written, consilium::demo::HISTORY);
    // A real request too, for a demo patient.
    let claire_token = app.bearer(CLAIRE).await;
    app.file_request(&claire_token).await;

    let helene = app.sign_in(HELENE).await;
    let (status, board) = page(&app, "/stats", &helene).await;
    assert_eq!(status, 200, "{board}");
    assert!(board.contains("Tableau de bord régional"));
    assert_eq!(
        board.matches("<div class=\"chart\"><svg").count(),
        3,
        "requests by month, time by month, time by centre"
    );
    // The month not over yet is marked, drawn pale and left off the line
    // (issue 15, item 14); the others carry what the table adds.
    let current = consilium_domain::stats::Month::of(app.clock.now()).to_string();
    let last_row = board
        .split("<table id=\"months\">")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap()
        .rsplit("<tr")
        .next()
        .unwrap();
    assert!(
        last_row.contains(&format!("{current} <span class=\"hint\">(en cours)</span>")),
        "{last_row}"
    );
    assert!(board.contains("fill=\"#A9C4E0\""), "a pale bar");
    assert!(board.contains("Avis dans le délai cible") && board.contains("Consultation demandée"));
    assert!(board.contains("suffisent pour 9 avis sur 10"));
    assert!(board.contains("Délai moyen de premier avis, par centre"));
    assert!(board.contains("synthétiques"));
    let paths = [
        "/stats",
        "/stats?specialite=394582007",
        "/stats?type_site=nursing_home",
        "/stats?du=2025-01&au=2026-11",
        "/stats/export.csv",
        "/stats/export.csv?type_site=practice&specialite=394582007",
    ];
    let secrets = identities();
    for path in paths {
        let (status, body) = page(&app, path, &helene).await;
        assert_eq!(status, 200, "{path}");
        for secret in &secrets {
            assert!(
                !body.contains(secret.as_str()),
                "{secret} appears in {path}"
            );
        }
    }
    let (_, csv) = page(&app, "/stats/export.csv", &helene).await;
    assert!(csv.starts_with("rubrique;periode;libelle;valeur"), "{csv}");
    assert!(csv.contains("reponse;;delai_median_heures;"));
    // A regional viewer does not see a single site's count under 5: in one
    // month of cardiology, some sites sent fewer.
    let (_, small) = page(
        &app,
        "/stats?specialite=394579002&du=2026-11&au=2026-11",
        &helene,
    )
    .await;
    let table = small
        .split("<table id=\"sites\">")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert!(table.contains("&lt; 5"), "a small count is hidden: {table}");
    for cell in table.split("<td>").filter_map(|c| c.split("</td>").next()) {
        if let Ok(n) = cell.parse::<i64>() {
            assert!(n >= 5, "{n} shown for one site");
        }
    }
    // No billing export for the region: it carries INS.
    let (status, _) = page(&app, "/stats/facturation.csv", &helene).await;
    assert_eq!(status, 404);
    // A bad filter is a clear error.
    let (status, body) = page(&app, "/stats?du=2026-13", &helene).await;
    assert_eq!(status, 422);
    assert!(body.contains("Mois invalide"), "{body}");
    let (status, body) = page(&app, "/stats?du=2026-10&au=2026-01", &helene).await;
    assert_eq!((status, body.contains("Période invalide")), (422, true));
    app.finish().await;
}

async fn each_viewer_sees_their_own_scope(app: TestApp) {
    consilium::demo::install_history(&app.store, app.clock.now())
        .await
        .unwrap();
    for email in [SOPHIE, PIERRE] {
        let cookie = app.sign_in(email).await;
        for path in ["/stats", "/stats/export.csv", "/stats/facturation.csv"] {
            let (status, _) = page(&app, path, &cookie).await;
            assert_eq!(status, 404, "{email} {path}");
        }
    }
    let celine = app.sign_in(CELINE).await;
    let (status, board) = page(&app, "/stats", &celine).await;
    assert_eq!(status, 200);
    assert!(board.contains("Tableau de bord du centre"));
    assert!(
        !board.contains("HNFC"),
        "another centre's teams are not listed"
    );
    let (status, billing) = page(
        &app,
        "/stats/facturation.csv?du=2025-11&au=2026-11",
        &celine,
    )
    .await;
    assert_eq!(status, 200);
    let mut lines = billing.lines();
    assert_eq!(
        lines.next(),
        Some("date;reference;code_acte;rpps;ins;montant_eur;facturable;motif")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    assert!(rows.len() > 100, "a year of acts: {}", rows.len());
    assert!(rows.iter().all(|r| r[2] == "TE2" && r[4].len() == 15));
    assert!(
        rows.iter()
            .all(|r| (r[5], r[6]) == ("20,00", "oui") || (r[5], r[6]) == ("0,00", "non"))
    );
    let claire = app.sign_in(CLAIRE).await;
    let (status, board) = page(&app, "/stats", &claire).await;
    assert_eq!(status, 200);
    assert!(board.contains("Activité du site"));
    let (_, billing) = page(
        &app,
        "/stats/facturation.csv?du=2025-11&au=2026-11",
        &claire,
    )
    .await;
    assert!(
        billing
            .lines()
            .skip(1)
            .all(|l| l.contains(";RQD;") && l.contains(";10,00;oui;"))
    );
    assert!(billing.lines().count() > 10);
    app.finish().await;
}

on_both_backends!(
    the_region_sees_figures_and_no_patient,
    each_viewer_sees_their_own_scope
);
