//! Dashboards and billing exports. The figures come from `case_facts` (one
//! row per sent request) and `stats_monthly` (their totals per month, team,
//! site and status), both rewritten by [`refresh`](facts::refresh) in the
//! transaction of every change of a request. No patient identity reaches a
//! dashboard; only billing exports carry the INS, and only for the site or
//! centre that bills.

mod billing;
mod dashboard;
mod facts;
mod history;

pub use dashboard::{
    CentreLine, Dashboard, DeclineCount, LoadLine, MonthLine, ResponseFigures, SiteLine, TeamName,
};
pub(crate) use facts::refresh;
#[doc(hidden)]
pub use history::uuid_at;
pub use history::{HistoryRows, SyntheticPatient};

use async_trait::async_trait;
use consilium_domain::{
    directory::{OrganizationKind, Role},
    stats::{BillableAct, Period},
};
use jiff::Timestamp;
use uuid::Uuid;

use crate::{Store, StoreError, auth::Actor};

/// Whose figures a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsScope {
    /// The whole region (regional admin).
    Region,
    /// One resource centre (its coordinators and admins).
    Centre(Uuid),
    /// One requesting site (its admin).
    Site(Uuid),
}

impl StatsScope {
    /// Whether single sites' small counts must be hidden.
    pub fn hides_small_counts(self) -> bool {
        self == Self::Region
    }
}

/// What a dashboard covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsFilter {
    /// The months.
    pub period: Period,
    /// One specialty (SNOMED CT code).
    pub specialty: Option<String>,
    /// One resource centre.
    pub centre_id: Option<Uuid>,
    /// One team.
    pub team_id: Option<Uuid>,
    /// One kind of requesting site.
    pub site_kind: Option<OrganizationKind>,
    /// One requesting site (set by the scope).
    pub site_id: Option<Uuid>,
}

impl StatsFilter {
    /// The whole period, nothing else chosen.
    pub fn all(period: Period) -> Self {
        Self {
            period,
            specialty: None,
            centre_id: None,
            team_id: None,
            site_kind: None,
            site_id: None,
        }
    }

    /// The filter narrowed to what `scope` may see.
    pub fn within(mut self, scope: StatsScope) -> Self {
        match scope {
            StatsScope::Region => {}
            StatsScope::Centre(centre) => self.centre_id = Some(centre),
            StatsScope::Site(site) => self.site_id = Some(site),
        }
        self
    }
}

/// One stored row of facts (see the migration `0009_stats`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRow {
    /// The request.
    pub case_id: Uuid,
    /// `YYYY-MM`, the month it was sent (Paris).
    pub month: String,
    /// Its team.
    pub team_id: Uuid,
    /// Its site.
    pub site_id: Uuid,
    /// Its status code.
    pub status: String,
    /// The patient.
    pub patient_id: Uuid,
    /// The requester.
    pub requester_id: Uuid,
    /// The expert of the first advice.
    pub expert_id: Option<Uuid>,
    /// When the first advice was signed.
    pub first_answer_at: Option<Timestamp>,
    /// Response time without hold time.
    pub response_secs: Option<i64>,
    /// 1 when within the team target.
    pub within_target: Option<i64>,
    /// 1 when the latest advice asks for a visit.
    pub visit: Option<i64>,
    /// 1 for synthetic demo history.
    pub synthetic: i64,
}

/// What the facts of a request are computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactInputs {
    /// When it was sent (`None` for a draft).
    pub submitted_at: Option<Timestamp>,
    /// Status code.
    pub status: String,
    /// Team.
    pub team_id: Uuid,
    /// Site.
    pub site_id: Uuid,
    /// Patient.
    pub patient_id: Uuid,
    /// Requester.
    pub requester_id: Uuid,
    /// The team's target, hours.
    pub target_hours: i64,
    /// Synthetic demo history.
    pub synthetic: bool,
}

/// A change to one row of monthly totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthlyDelta {
    /// Requests.
    pub requests: i64,
    /// Requests answered.
    pub answered: i64,
    /// Sum of response times.
    pub response_secs: i64,
    /// Answered within target.
    pub within_target: i64,
    /// Advice asking for a visit.
    pub visits: i64,
    /// Synthetic requests.
    pub synthetic: i64,
}

impl std::ops::AddAssign for MonthlyDelta {
    fn add_assign(&mut self, other: Self) {
        self.requests += other.requests;
        self.answered += other.answered;
        self.response_secs += other.response_secs;
        self.within_target += other.within_target;
        self.visits += other.visits;
        self.synthetic += other.synthetic;
    }
}

impl std::ops::Neg for MonthlyDelta {
    type Output = Self;
    fn neg(self) -> Self {
        Self {
            requests: -self.requests,
            answered: -self.answered,
            response_secs: -self.response_secs,
            within_target: -self.within_target,
            visits: -self.visits,
            synthetic: -self.synthetic,
        }
    }
}

/// The key of a row of monthly totals.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthlyKey {
    /// `YYYY-MM`.
    pub month: String,
    /// Team.
    pub team_id: Uuid,
    /// Site.
    pub site_id: Uuid,
    /// Status code.
    pub status: String,
}

/// A row of monthly totals read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyRow {
    /// Its key.
    pub key: MonthlyKey,
    /// Its totals.
    pub totals: MonthlyDelta,
}

/// A decline, counted on the dashboards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineRecord {
    /// Its id (the history line's).
    pub id: Uuid,
    /// The request.
    pub case_id: Uuid,
    /// When.
    pub at: Timestamp,
    /// The team that declined.
    pub team_id: Uuid,
    /// The expert who declined.
    pub expert_id: Option<Uuid>,
    /// The reason's code.
    pub kind: String,
}

/// Open requests of one team and owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRow {
    /// Team.
    pub team_id: Uuid,
    /// Owner, if someone took it.
    pub owner: Option<String>,
    /// Open and not yet answered.
    pub open: i64,
    /// Of which past their deadline.
    pub overdue: i64,
}

/// Which acts a billing export lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingSide {
    /// RQD acts of a requesting site's requesters.
    Site(Uuid),
    /// TE2 acts of a centre's experts.
    Centre(Uuid),
}

/// The statistics primitives.
#[async_trait]
pub trait StatsTx: Send {
    /// What a request's facts are computed from.
    async fn fact_inputs(&mut self, case_id: Uuid) -> Result<Option<FactInputs>, StoreError>;
    /// A request's stored facts.
    async fn fact(&mut self, case_id: Uuid) -> Result<Option<FactRow>, StoreError>;
    /// Writes a request's facts.
    async fn upsert_fact(&mut self, fact: &FactRow) -> Result<(), StoreError>;
    /// Adds `delta` (possibly negative) to one row of monthly totals.
    async fn add_monthly(
        &mut self,
        key: &MonthlyKey,
        delta: &MonthlyDelta,
    ) -> Result<(), StoreError>;
    /// Recomputes every monthly total from the facts.
    async fn rebuild_monthly(&mut self) -> Result<(), StoreError>;
    /// Records a decline.
    async fn insert_decline(
        &mut self,
        decline: &DeclineRecord,
        month: &str,
    ) -> Result<(), StoreError>;
    /// Sent requests that have no facts yet (made before migration 0009).
    async fn cases_without_facts(&mut self, limit: i64) -> Result<Vec<Uuid>, StoreError>;
    /// The monthly totals a filter selects.
    async fn monthly(&mut self, filter: &StatsFilter) -> Result<Vec<MonthlyRow>, StoreError>;
    /// The response time at 0-based position `offset` in increasing order.
    async fn response_at(
        &mut self,
        filter: &StatsFilter,
        offset: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// Declines by reason code.
    async fn decline_counts(
        &mut self,
        filter: &StatsFilter,
    ) -> Result<Vec<(String, i64)>, StoreError>;
    /// Open, unanswered requests by team and owner.
    async fn load(
        &mut self,
        filter: &StatsFilter,
        now: Timestamp,
    ) -> Result<Vec<LoadRow>, StoreError>;
    /// Answered requests of one side, first advice in `[from, to)`.
    async fn billable_acts(
        &mut self,
        side: BillingSide,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<BillableAct>, StoreError>;
    /// How many synthetic requests there are.
    async fn synthetic_count(&mut self) -> Result<i64, StoreError>;
    /// Every requesting site's routes to teams, with requesters and experts
    /// (routes lacking either are left out).
    async fn history_routes(
        &mut self,
    ) -> Result<Vec<consilium_domain::stats::synthetic::Route>, StoreError>;
    /// Writes synthetic demo history.
    async fn insert_history(
        &mut self,
        patients: &[SyntheticPatient],
        cases: &[HistoryRows],
    ) -> Result<(), StoreError>;
}

impl Store {
    /// The dashboards `actor` may see, widest first: the region for a
    /// regional admin, their centre for a coordinator or a centre's admin,
    /// their site for a site's admin. Empty for anyone else.
    pub async fn stats_scopes(&self, actor: &Actor) -> Result<Vec<StatsScope>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let mut scopes = Vec::new();
        for role in &actor.caller.roles {
            let scope = match role.role {
                Role::RegionalAdmin => Some(StatsScope::Region),
                Role::Coordinator => Some(StatsScope::Centre(role.organization_id)),
                Role::OrgAdmin => {
                    let org = tx
                        .organization(&crate::OrgKey::Id(role.organization_id))
                        .await?;
                    org.map(|o| match o.kind {
                        OrganizationKind::ResourceCentre => StatsScope::Centre(o.id),
                        OrganizationKind::RegionalAgency => StatsScope::Region,
                        _ => StatsScope::Site(o.id),
                    })
                }
                Role::Requester | Role::Expert => None,
            };
            if let Some(scope) = scope.filter(|s| !scopes.contains(s)) {
                scopes.push(scope);
            }
        }
        tx.commit().await?;
        scopes.sort_by_key(|s| match s {
            StatsScope::Region => 0,
            StatsScope::Centre(_) => 1,
            StatsScope::Site(_) => 2,
        });
        Ok(scopes)
    }

    /// Writes facts for sent requests that have none (made before the
    /// dashboards existed). Returns how many.
    pub async fn backfill_facts(&self) -> Result<usize, StoreError> {
        let mut done = 0;
        loop {
            let mut tx = self.backend().begin().await?;
            let ids = tx.cases_without_facts(500).await?;
            for id in &ids {
                refresh(tx.as_mut(), *id).await?;
            }
            tx.commit().await?;
            done += ids.len();
            if ids.len() < 500 {
                return Ok(done);
            }
        }
    }
}
