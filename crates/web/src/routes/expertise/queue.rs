//! `GET /file-attente`: the team queue of an expert or a coordinator —
//! open requests, soonest deadline first, time left in Paris time (red
//! when late, amber under 12 h), with filters and counts per status.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};
use consilium_store::{
    cases::CaseView,
    expertise::{Queue, QueueFilter},
};
use jiff::Timestamp;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState, Lang, SignedIn,
    page::{InLang, Nav, PageError},
};

/// The filters, as the form sends them (French names in the address).
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    statut: String,
    #[serde(default)]
    specialite: String,
    #[serde(default)]
    site: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    lang: Lang,
    nav: Option<Nav>,
    queue: Queue,
    now: Timestamp,
    filters: Filters,
    sites: Vec<(Uuid, String)>,
    specialties: Vec<String>,
}

impl QueuePage {
    fn running(&self, case: &CaseView) -> bool {
        case.deadline.is_some()
    }
}

/// The most a queue page lists; the counts cover the whole queue.
const PAGE: i64 = 200;

/// `GET /file-attente`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let filter = QueueFilter {
        status: Some(filters.statut.clone()).filter(|s| !s.is_empty()),
        specialty: Some(filters.specialite.clone()).filter(|s| !s.is_empty()),
        site_id: Uuid::parse_str(&filters.site).ok(),
        limit: PAGE,
        ..QueueFilter::default()
    };
    let now = state.clock.now();
    let queue = state
        .store
        .queue(&signed_in.actor, &filter, now)
        .await
        .in_lang(lang)?;
    let mut sites: Vec<(Uuid, String)> = queue
        .entries
        .iter()
        .map(|c| (c.parties.site_id, c.site_name.clone()))
        .collect();
    sites.sort_by(|a, b| a.1.cmp(&b.1));
    sites.dedup();
    let mut specialties: Vec<String> = queue
        .entries
        .iter()
        .map(|c| c.specialty_code.clone())
        .collect();
    specialties.sort();
    specialties.dedup();
    let html = QueuePage {
        lang,
        nav: Nav::for_actor(&signed_in.actor),
        queue,
        now,
        filters,
        sites,
        specialties,
    }
    .render()
    .in_lang(lang)?;
    Ok(Html(html).into_response())
}
