//! The figures a dashboard shows, read from the monthly totals, the facts'
//! response-time index, the declines and the open requests.

use std::collections::BTreeMap;

use consilium_domain::{
    directory::OrganizationKind,
    expertise::DeclineKind,
    stats::{Month, masked, nearest_rank},
};
use jiff::{Timestamp, Unit};
use serde::Serialize;
use uuid::Uuid;

use super::{MonthlyDelta, StatsFilter, StatsScope};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
};

/// One month of activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthLine {
    /// The month.
    pub month: String,
    /// Its short label for a chart ("03/26").
    pub short: String,
    /// Requests sent that month, by their status now.
    pub by_status: BTreeMap<String, i64>,
    /// All of them.
    pub requests: i64,
    /// How many have been answered.
    pub answered: i64,
    /// Of those, answered within their team's target time.
    pub within_target: i64,
    /// Of those, whose advice asked for an in-person visit.
    pub visits: i64,
    /// Mean response time of those, seconds.
    pub mean_response_secs: Option<i64>,
    /// The month is not over: its figures will still grow, so a chart
    /// must not show it as a month like the others.
    pub partial: bool,
}

/// One requesting site's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteLine {
    /// The site.
    pub site_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrganizationKind,
    /// Requests sent; `None` when fewer than 5 and hidden from the viewer.
    pub requests: Option<i64>,
}

/// One resource centre's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CentreLine {
    /// Its name.
    pub name: String,
    /// Requests sent to its teams.
    pub requests: i64,
    /// Of which answered.
    pub answered: i64,
    /// Answered within the team's target.
    pub within_target: i64,
    /// Mean response time, seconds.
    pub mean_response_secs: Option<i64>,
}

/// Time to the first advice, hold time excluded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ResponseFigures {
    /// Requests answered.
    pub answered: i64,
    /// Mean, seconds.
    pub mean_secs: Option<i64>,
    /// Median (nearest rank), seconds.
    pub median_secs: Option<i64>,
    /// 90th percentile (nearest rank), seconds.
    pub p90_secs: Option<i64>,
    /// Answered within the team's target.
    pub within_target: i64,
    /// Advice asking for an in-person visit (latest version).
    pub visits: i64,
}

impl ResponseFigures {
    /// Share answered within target, 0–1.
    pub fn within_target_share(&self) -> Option<f64> {
        share(self.within_target, self.answered)
    }

    /// Share of advice needing a visit, 0–1.
    pub fn visit_share(&self) -> Option<f64> {
        share(self.visits, self.answered)
    }
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Declines for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclineCount {
    /// The reason.
    pub kind: DeclineKind,
    /// How many.
    pub count: i64,
}

/// The open requests of one team, or of one expert in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadLine {
    /// The team.
    pub team: String,
    /// The expert (empty: nobody took them yet); `None` for the team's
    /// line (all its open requests).
    pub expert: Option<String>,
    /// Open and not yet answered.
    pub open: i64,
    /// Of which late.
    pub overdue: i64,
}

/// A team, for filters and tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamName {
    /// Its id.
    pub id: Uuid,
    /// "Dermatologie — CHU Dijon".
    pub name: String,
    /// Its centre.
    pub centre_id: Uuid,
    /// Its specialty (SNOMED CT).
    pub specialty: String,
}

/// Everything one dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// Requests in the view.
    pub requests: i64,
    /// Of which synthetic demo history.
    pub synthetic: i64,
    /// Activity by month.
    pub months: Vec<MonthLine>,
    /// Requests by their status now.
    pub statuses: BTreeMap<String, i64>,
    /// Requests by kind of requesting site.
    pub kinds: Vec<(OrganizationKind, i64)>,
    /// Requests by site, busiest first.
    pub sites: Vec<SiteLine>,
    /// Requests by resource centre, by name.
    pub centre_lines: Vec<CentreLine>,
    /// Response times and outcome.
    pub response: ResponseFigures,
    /// Declines by reason.
    pub declines: Vec<DeclineCount>,
    /// Open requests per team, then per expert.
    pub load: Vec<LoadLine>,
    /// The centres the viewer may filter on.
    pub centres: Vec<(Uuid, String)>,
    /// The teams the viewer may filter on.
    pub teams: Vec<TeamName>,
}

impl Store {
    /// The dashboard of `filter` within `scope` (which the caller got from
    /// [`Store::stats_scopes`]). Audited as one statistics view.
    pub async fn dashboard(
        &self,
        actor: &Actor,
        scope: StatsScope,
        filter: StatsFilter,
        now: Timestamp,
    ) -> Result<Dashboard, StoreError> {
        let filter = filter.within(scope);
        let mut tx = self.backend().begin().await?;
        let organizations = tx.organizations().await?;
        let all_teams = tx.teams().await?;
        let rows = tx.monthly(&filter).await?;
        let mut total = MonthlyDelta::default();
        let mut months: BTreeMap<String, MonthLine> = filter
            .period
            .months()
            .into_iter()
            .map(|m| (m.to_string(), month_line(m, now)))
            .collect();
        let mut statuses = BTreeMap::new();
        let mut by_site: BTreeMap<Uuid, i64> = BTreeMap::new();
        let mut by_team: BTreeMap<Uuid, MonthlyDelta> = BTreeMap::new();
        for row in &rows {
            let t = row.totals;
            total += t;
            if let Some(line) = months.get_mut(&row.key.month) {
                *line.by_status.entry(row.key.status.clone()).or_default() += t.requests;
                line.requests += t.requests;
                line.answered += t.answered;
                line.within_target += t.within_target;
                line.visits += t.visits;
                line.mean_response_secs =
                    Some(line.mean_response_secs.unwrap_or(0) + t.response_secs);
            }
            *statuses.entry(row.key.status.clone()).or_default() += t.requests;
            *by_site.entry(row.key.site_id).or_default() += t.requests;
            *by_team.entry(row.key.team_id).or_default() += t;
        }
        for line in months.values_mut() {
            line.mean_response_secs = line
                .mean_response_secs
                .filter(|_| line.answered > 0)
                .map(|sum| sum / line.answered);
        }
        let response = ResponseFigures {
            answered: total.answered,
            mean_secs: (total.answered > 0).then(|| total.response_secs / total.answered),
            median_secs: self
                .percentile(tx.as_mut(), &filter, total.answered, 0.5)
                .await?,
            p90_secs: self
                .percentile(tx.as_mut(), &filter, total.answered, 0.9)
                .await?,
            within_target: total.within_target,
            visits: total.visits,
        };
        let centre_lines = centre_lines(&organizations, &all_teams, &by_team);
        let mut kinds: BTreeMap<OrganizationKind, i64> = BTreeMap::new();
        let mut sites = Vec::new();
        for org in &organizations {
            let Some(count) = by_site.get(&org.id) else {
                continue;
            };
            *kinds.entry(org.kind).or_default() += count;
            sites.push(SiteLine {
                site_id: org.id,
                name: org.name.to_string(),
                kind: org.kind,
                requests: if scope.hides_small_counts() {
                    masked(*count)
                } else {
                    Some(*count)
                },
            });
        }
        sites.sort_by(|a, b| {
            b.requests
                .cmp(&a.requests)
                .then_with(|| a.name.cmp(&b.name))
        });
        let declines = tx
            .decline_counts(&filter)
            .await?
            .into_iter()
            .filter_map(|(code, count)| {
                Some(DeclineCount {
                    kind: DeclineKind::parse(&code).ok()?,
                    count,
                })
            })
            .collect();
        let teams: Vec<TeamName> = all_teams
            .iter()
            .filter(|t| filter.centre_id.is_none_or(|c| c == t.organization_id))
            .map(|t| TeamName {
                id: t.id,
                name: t.name.to_string(),
                centre_id: t.organization_id,
                specialty: t.specialty.to_string(),
            })
            .collect();
        let load = load_lines(
            tx.load(&filter, now.round(Unit::Second).unwrap_or(now))
                .await?,
            &teams,
        );
        let centres = organizations
            .iter()
            .filter(|o| o.kind == OrganizationKind::ResourceCentre)
            .filter(|o| filter.centre_id.is_none_or(|c| c == o.id))
            .map(|o| (o.id, o.name.to_string()))
            .collect();
        let entry = AuditEntry::by(actor, "stats.view", Outcome::Success, now);
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(Dashboard {
            requests: total.requests,
            synthetic: total.synthetic,
            months: months.into_values().collect(),
            statuses,
            kinds: kinds.into_iter().collect(),
            sites,
            centre_lines,
            response,
            declines,
            load,
            centres,
            teams,
        })
    }

    async fn percentile(
        &self,
        tx: &mut dyn crate::Tx,
        filter: &StatsFilter,
        answered: i64,
        p: f64,
    ) -> Result<Option<i64>, StoreError> {
        match nearest_rank(answered, p) {
            Some(offset) => tx.response_at(filter, offset).await,
            None => Ok(None),
        }
    }
}

/// Totals per centre, from totals per team.
fn centre_lines(
    organizations: &[crate::Organization],
    teams: &[crate::Team],
    by_team: &BTreeMap<Uuid, MonthlyDelta>,
) -> Vec<CentreLine> {
    let mut lines = Vec::new();
    for org in organizations
        .iter()
        .filter(|o| o.kind == OrganizationKind::ResourceCentre)
    {
        let mut total = MonthlyDelta::default();
        for team in teams.iter().filter(|t| t.organization_id == org.id) {
            if let Some(t) = by_team.get(&team.id) {
                total += *t;
            }
        }
        if total.requests == 0 {
            continue;
        }
        lines.push(CentreLine {
            name: org.name.to_string(),
            requests: total.requests,
            answered: total.answered,
            within_target: total.within_target,
            mean_response_secs: (total.answered > 0).then(|| total.response_secs / total.answered),
        });
    }
    lines
}

fn month_line(m: Month, now: Timestamp) -> MonthLine {
    MonthLine {
        month: m.to_string(),
        short: m.short(),
        by_status: BTreeMap::new(),
        requests: 0,
        answered: 0,
        within_target: 0,
        visits: 0,
        mean_response_secs: None,
        partial: m.next().start() > now,
    }
}

/// One line per team (its total), followed by one per expert of that team
/// who owns open requests (and one for requests nobody took yet).
fn load_lines(rows: Vec<super::LoadRow>, teams: &[TeamName]) -> Vec<LoadLine> {
    let mut lines = Vec::new();
    for team in teams {
        let mine: Vec<_> = rows.iter().filter(|r| r.team_id == team.id).collect();
        if mine.is_empty() {
            continue;
        }
        lines.push(LoadLine {
            team: team.name.clone(),
            expert: None,
            open: mine.iter().map(|r| r.open).sum(),
            overdue: mine.iter().map(|r| r.overdue).sum(),
        });
        for r in mine {
            lines.push(LoadLine {
                team: team.name.clone(),
                expert: Some(r.owner.clone().unwrap_or_default()),
                open: r.open,
                overdue: r.overdue,
            });
        }
    }
    lines
}
