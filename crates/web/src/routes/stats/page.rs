//! `GET /stats`: the dashboard page.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};
use consilium_domain::directory::OrganizationKind;
use consilium_store::{
    StoreError,
    stats::{Dashboard, StatsFilter, StatsScope},
};

use super::{Filters, charts, dashboard};
use crate::{
    AppState, Lang, SignedIn,
    page::{self, InLang, Nav, PageError},
};

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    lang: Lang,
    nav: Option<Nav>,
    title: String,
    board: Dashboard,
    filters: Filters,
    filter: StatsFilter,
    query: String,
    region: bool,
    billing: bool,
    activity_chart: String,
    response_chart: String,
    /// The centres side by side (a region's dashboard), or empty.
    centre_chart: String,
}

impl StatsPage {
    /// "20,5 h", or "—".
    fn hours(&self, secs: &Option<i64>) -> String {
        match secs {
            Some(s) => format!("{:.1} h", *s as f64 / 3600.0).replace('.', self.decimal()),
            None => "—".into(),
        }
    }

    /// True when the period reaches a month not over yet.
    fn has_partial_month(&self) -> bool {
        self.board.months.iter().any(|m| m.partial)
    }

    /// The share `part` is of `whole`, as "75 %", or "—".
    fn share(&self, part: &i64, whole: &i64) -> String {
        self.percent((*whole > 0).then(|| *part as f64 / *whole as f64))
    }

    /// "75 %", or "—".
    fn percent(&self, share: Option<f64>) -> String {
        share.map_or_else(|| "—".into(), |s| format!("{:.0} %", s * 100.0))
    }

    fn decimal(&self) -> &'static str {
        self.lang.t(",", ".")
    }

    /// Share of advice the requester handles alone.
    fn treated_by_requester(&self) -> Option<f64> {
        self.board.response.visit_share().map(|v| 1.0 - v)
    }

    fn kinds(&self) -> &'static [OrganizationKind] {
        &[
            OrganizationKind::Practice,
            OrganizationKind::HealthCentre,
            OrganizationKind::NursingHome,
            OrganizationKind::DisabilityFacility,
        ]
    }
}

/// `GET /stats`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let Some((scope, filter, board)) = dashboard(&state, &signed_in, &filters, lang).await? else {
        return Ok(page::not_found(lang));
    };
    let months: Vec<charts::Bar> = board
        .months
        .iter()
        .map(|m| charts::Bar {
            label: m.short.clone(),
            value: m.requests,
            partial: m.partial,
        })
        .collect();
    // A month not over has only its quickest answers yet: left off the line.
    let means: Vec<(String, Option<f64>)> = board
        .months
        .iter()
        .map(|m| {
            (
                m.short.clone(),
                m.mean_response_secs
                    .filter(|_| !m.partial)
                    .map(|s| s as f64 / 3600.0),
            )
        })
        .collect();
    let activity_chart = charts::bars(&months, lang.t("Demandes par mois", "Requests per month"))
        .map_err(StoreError::internal)
        .in_lang(lang)?;
    let response_chart = charts::line(
        &means,
        lang.t(
            "Délai moyen de premier avis (hors attente)",
            "Mean time to first advice (hold excluded)",
        ),
        "h",
    )
    .map_err(StoreError::internal)
    .in_lang(lang)?;
    let centre_means: Vec<(String, f64)> = board
        .centre_lines
        .iter()
        .filter_map(|c| Some((c.name.clone(), c.mean_response_secs? as f64 / 3600.0)))
        .collect();
    let centre_chart = if centre_means.len() > 1 {
        charts::hbars(
            &centre_means,
            lang.t(
                "Délai moyen de premier avis, par centre",
                "Mean time to first advice, by centre",
            ),
            "h",
        )
        .map_err(StoreError::internal)
        .in_lang(lang)?
    } else {
        String::new()
    };
    let title = match scope {
        StatsScope::Region => lang
            .t("Tableau de bord régional", "Regional dashboard")
            .to_owned(),
        StatsScope::Centre(_) => lang
            .t("Tableau de bord du centre", "Centre dashboard")
            .to_owned(),
        StatsScope::Site(_) => lang.t("Activité du site", "Site activity").to_owned(),
    };
    let html = StatsPage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        title,
        query: filters.query(&filter),
        region: scope == StatsScope::Region,
        billing: scope != StatsScope::Region,
        board,
        filters,
        filter,
        activity_chart,
        response_chart,
        centre_chart,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}
