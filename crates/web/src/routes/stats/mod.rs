//! `/stats`: activity dashboards (French first), their CSV export and the
//! billing export. A regional admin sees the region, a coordinator or a
//! centre's admin their centre, a requesting site's admin their site;
//! anyone else finds nothing there (404).

mod charts;
mod export;
mod page;

pub use export::{aggregates_csv, billing_csv};
pub use page::show;

use consilium_domain::{
    directory::OrganizationKind,
    stats::{Month, Period},
};
use consilium_store::{
    expertise::StepError,
    stats::{StatsFilter, StatsScope},
};
use jiff::Timestamp;
use serde::Deserialize;
use uuid::Uuid;

use crate::{AppState, Lang, SignedIn, page::PageError};

/// The filters as the form sends them (French names in the address).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Filters {
    /// First month, `AAAA-MM`.
    #[serde(default)]
    pub du: String,
    /// Last month, `AAAA-MM`.
    #[serde(default)]
    pub au: String,
    /// Specialty (SNOMED CT).
    #[serde(default)]
    pub specialite: String,
    /// Centre id.
    #[serde(default)]
    pub centre: String,
    /// Team id.
    #[serde(default)]
    pub equipe: String,
    /// Kind of requesting site.
    #[serde(default)]
    pub type_site: String,
}

impl Filters {
    /// The store's filter; a clear error for a value that is not one.
    pub fn parse(&self, now: Timestamp, lang: Lang) -> Result<StatsFilter, StepError> {
        let invalid = |fr: &str, en: &str| StepError::Invalid(lang.t(fr, en).to_owned());
        let default = Period::last_year(now);
        let month = |text: &str, or: Month| match text.trim() {
            "" => Ok(or),
            t => Month::parse(t).map_err(|_| {
                invalid(
                    "Mois invalide : écrivez AAAA-MM.",
                    "Invalid month: write YYYY-MM.",
                )
            }),
        };
        let period = Period::new(month(&self.du, default.from)?, month(&self.au, default.to)?)
            .map_err(|_| {
                invalid(
                    "Période invalide : le début doit précéder la fin, sur dix ans au plus.",
                    "Invalid period: the start must come before the end, ten years at most.",
                )
            })?;
        let id = |text: &str| match text.trim() {
            "" => Ok(None),
            t => Uuid::parse_str(t)
                .map(Some)
                .map_err(|_| invalid("Centre ou équipe inconnu.", "Unknown centre or team.")),
        };
        let specialty = Some(self.specialite.trim().to_owned()).filter(|s| !s.is_empty());
        if specialty
            .as_ref()
            .is_some_and(|s| !s.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(invalid("Spécialité inconnue.", "Unknown specialty."));
        }
        let site_kind = match self.type_site.trim() {
            "" => None,
            t => Some(
                OrganizationKind::parse(t)
                    .ok()
                    .filter(|k| k.is_requesting_site())
                    .ok_or_else(|| invalid("Type de site inconnu.", "Unknown kind of site."))?,
            ),
        };
        Ok(StatsFilter {
            period,
            specialty,
            centre_id: id(&self.centre)?,
            team_id: id(&self.equipe)?,
            site_kind,
            site_id: None,
        })
    }

    /// The same filters as a query string, for export links.
    pub fn query(&self, filter: &StatsFilter) -> String {
        let mut query = format!("du={}&au={}", filter.period.from, filter.period.to);
        for (name, value) in [
            ("specialite", &self.specialite),
            ("centre", &self.centre),
            ("equipe", &self.equipe),
            ("type_site", &self.type_site),
        ] {
            if !value.trim().is_empty() {
                query.push_str(&format!("&{name}={}", value.trim()));
            }
        }
        query
    }
}

/// The dashboard `filters` select within the widest view `signed_in` may
/// have, or `None` when they have none.
async fn dashboard(
    state: &AppState,
    signed_in: &SignedIn,
    filters: &Filters,
    lang: Lang,
) -> Result<Option<(StatsScope, StatsFilter, consilium_store::stats::Dashboard)>, PageError> {
    use crate::page::InLang;
    let Some(scope) = scope_of(state, signed_in, lang).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let filter = filters.parse(now, lang).in_lang(lang)?;
    let board = state
        .store
        .dashboard(&signed_in.actor, scope, filter.clone(), now)
        .await
        .in_lang(lang)?;
    Ok(Some((scope, filter, board)))
}

/// The widest view `signed_in` may have, or `None` (the page then does not
/// exist for them).
async fn scope_of(
    state: &AppState,
    signed_in: &SignedIn,
    lang: Lang,
) -> Result<Option<StatsScope>, PageError> {
    use crate::page::InLang;
    let scopes = state
        .store
        .stats_scopes(&signed_in.actor)
        .await
        .in_lang(lang)?;
    Ok(scopes.first().copied())
}
