//! CSV exports: the dashboard's aggregates (`/stats/export.csv`) and the
//! billing of a site or centre (`/stats/facturation.csv`). Semicolons and
//! decimal commas, as French spreadsheets expect.

use axum::{
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use consilium_store::{
    StoreError,
    stats::{BillingSide, Dashboard, StatsScope},
};

use super::{Filters, dashboard, scope_of};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, PageError},
};

fn csv_response(name: String, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, StoreError> {
    w.into_inner().map_err(StoreError::internal)
}

fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

/// The aggregates as rows of `rubrique;periode;libelle;valeur`.
fn aggregates(board: &Dashboard) -> Result<Vec<u8>, StoreError> {
    let mut w = writer();
    let mut row = |section: &str, period: &str, label: &str, value: String| {
        w.write_record([section, period, label, value.as_str()])
            .map_err(StoreError::internal)
    };
    row("rubrique", "periode", "libelle", "valeur".into())?;
    for m in &board.months {
        row("activite", &m.month, "demandes", m.requests.to_string())?;
        for (status, n) in &m.by_status {
            row("activite_statut", &m.month, status, n.to_string())?;
        }
        let mean = m
            .mean_response_secs
            .map(|s| decimal(s as f64 / 3600.0))
            .unwrap_or_default();
        row("delai_moyen_heures", &m.month, "premier_avis", mean)?;
    }
    for c in &board.centre_lines {
        row("centre", "", &c.name, c.requests.to_string())?;
        row("centre_avis_rendus", "", &c.name, c.answered.to_string())?;
    }
    for (kind, n) in &board.kinds {
        row("type_site", "", kind.code(), n.to_string())?;
    }
    for site in &board.sites {
        let value = site
            .requests
            .map_or_else(|| "<5".to_owned(), |n| n.to_string());
        row("site", "", &site.name, value)?;
    }
    let r = &board.response;
    let hours = |s: Option<i64>| s.map(|s| decimal(s as f64 / 3600.0)).unwrap_or_default();
    row("reponse", "", "avis_rendus", r.answered.to_string())?;
    row("reponse", "", "delai_moyen_heures", hours(r.mean_secs))?;
    row("reponse", "", "delai_median_heures", hours(r.median_secs))?;
    row("reponse", "", "delai_p90_heures", hours(r.p90_secs))?;
    row("reponse", "", "dans_objectif", r.within_target.to_string())?;
    row("issue", "", "presentiel", r.visits.to_string())?;
    row(
        "issue",
        "",
        "traite_par_le_requerant",
        (r.answered - r.visits).to_string(),
    )?;
    for d in &board.declines {
        row("refus", "", d.kind.code(), d.count.to_string())?;
    }
    for l in &board.load {
        let label = match &l.expert {
            Some(expert) => format!("{} / {expert}", l.team),
            None => l.team.clone(),
        };
        row("charge_ouvertes", "", &label, l.open.to_string())?;
        row("charge_en_retard", "", &label, l.overdue.to_string())?;
    }
    finish(w)
}

/// `GET /stats/export.csv`: the dashboard's figures, same filters.
pub async fn aggregates_csv(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let Some((_, filter, board)) = dashboard(&state, &signed_in, &filters, lang).await? else {
        return Ok(page::not_found(lang));
    };
    let name = format!(
        "consilium-activite-{}_{}.csv",
        filter.period.from, filter.period.to
    );
    Ok(csv_response(name, aggregates(&board).in_lang(lang)?))
}

/// `GET /stats/facturation.csv`: the acts a requesting site (RQD) or a
/// centre (TE2) bills over the period, each with whether it may be billed
/// and why not. Not offered to the region: it carries patients' INS.
pub async fn billing_csv(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let side = match scope_of(&state, &signed_in, lang).await? {
        Some(StatsScope::Site(site)) => BillingSide::Site(site),
        Some(StatsScope::Centre(centre)) => BillingSide::Centre(centre),
        Some(StatsScope::Region) | None => return Ok(page::not_found(lang)),
    };
    let now = state.clock.now();
    let period = filters.parse(now, lang).in_lang(lang)?.period;
    let lines = state
        .store
        .billing(&signed_in.actor, side, period, now)
        .await
        .in_lang(lang)?;
    let mut w = writer();
    let header = [
        "date",
        "reference",
        "code_acte",
        "rpps",
        "ins",
        "montant_eur",
        "facturable",
        "motif",
    ];
    w.write_record(header)
        .map_err(StoreError::internal)
        .in_lang(lang)?;
    for line in &lines {
        let act = &line.act;
        let date = act
            .at
            .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC))
            .date()
            .to_string();
        let amount = format!(
            "{},{:02}",
            line.amount_cents() / 100,
            line.amount_cents() % 100
        );
        let record = [
            date.as_str(),
            act.reference.as_str(),
            act.code.code(),
            act.rpps.as_deref().unwrap_or(""),
            act.ins.as_deref().unwrap_or(""),
            amount.as_str(),
            if line.refusal.is_none() { "oui" } else { "non" },
            line.refusal.as_deref().unwrap_or(""),
        ];
        w.write_record(record)
            .map_err(StoreError::internal)
            .in_lang(lang)?;
    }
    let name = format!("consilium-facturation-{}_{}.csv", period.from, period.to);
    Ok(csv_response(name, finish(w).in_lang(lang)?))
}
