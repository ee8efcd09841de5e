//! The home page: what Consilium is, the region at a glance, the way in.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse},
};
use consilium_domain::directory::OrganizationKind;

use crate::{AppState, Lang, WebError};

/// The region's figures shown on the home page (no patient data).
#[derive(Debug, Default)]
struct RegionFigures {
    resource_centres: usize,
    requesting_sites: usize,
    specialties: Vec<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    lang: Lang,
    nav: Option<crate::page::Nav>,
    figures: RegionFigures,
    demo: bool,
}

/// `GET /`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
) -> Result<impl IntoResponse, WebError> {
    let organizations = state.store.organizations().await?;
    let count =
        |pred: fn(OrganizationKind) -> bool| organizations.iter().filter(|o| pred(o.kind)).count();
    let figures = RegionFigures {
        resource_centres: count(|k| k == OrganizationKind::ResourceCentre),
        requesting_sites: count(OrganizationKind::is_requesting_site),
        specialties: state
            .store
            .specialties()
            .await?
            .into_iter()
            .map(|s| {
                if lang == Lang::Fr {
                    s.name_fr
                } else {
                    s.name_en
                }
            })
            .collect(),
    };
    let page = HomePage {
        lang,
        nav: None,
        figures,
        demo: state.config.demo,
    }
    .render()?;
    Ok(Html(page))
}
