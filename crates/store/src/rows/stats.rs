//! Rows of the statistics tables.

use consilium_domain::{
    directory::{Profession, SpecialtyCode},
    stats::{ActCode, BillableAct, synthetic::Route},
};
use jiff::SignedDuration;
use uuid::Uuid;

use super::optional;
use crate::{
    StoreError,
    stats::{FactInputs, FactRow, LoadRow, MonthlyDelta, MonthlyKey, MonthlyRow},
};

/// What a request's facts are computed from.
#[derive(Debug, sqlx::FromRow)]
pub struct FactInputsRow {
    submitted_at: Option<jiff_sqlx::Timestamp>,
    status: String,
    team_id: Uuid,
    site_id: Uuid,
    patient_id: Uuid,
    requester_id: Uuid,
    target_hours: i64,
    synthetic: bool,
}

impl From<FactInputsRow> for FactInputs {
    fn from(r: FactInputsRow) -> Self {
        Self {
            submitted_at: r.submitted_at.map(|t| t.to_jiff()),
            status: r.status,
            team_id: r.team_id,
            site_id: r.site_id,
            patient_id: r.patient_id,
            requester_id: r.requester_id,
            target_hours: r.target_hours,
            synthetic: r.synthetic,
        }
    }
}

/// A row of `case_facts`.
#[derive(Debug, sqlx::FromRow)]
pub struct FactRowRow {
    case_id: Uuid,
    month: String,
    team_id: Uuid,
    site_id: Uuid,
    status: String,
    patient_id: Uuid,
    requester_id: Uuid,
    expert_id: Option<Uuid>,
    first_answer_at: Option<jiff_sqlx::Timestamp>,
    response_secs: Option<i64>,
    within_target: Option<i64>,
    visit: Option<i64>,
    synthetic: i64,
}

impl From<FactRowRow> for FactRow {
    fn from(r: FactRowRow) -> Self {
        Self {
            case_id: r.case_id,
            month: r.month,
            team_id: r.team_id,
            site_id: r.site_id,
            status: r.status,
            patient_id: r.patient_id,
            requester_id: r.requester_id,
            expert_id: r.expert_id,
            first_answer_at: r.first_answer_at.map(|t| t.to_jiff()),
            response_secs: r.response_secs,
            within_target: r.within_target,
            visit: r.visit,
            synthetic: r.synthetic,
        }
    }
}

/// A row of `stats_monthly`.
#[derive(Debug, sqlx::FromRow)]
pub struct MonthlyRowRow {
    month: String,
    team_id: Uuid,
    site_id: Uuid,
    status: String,
    requests: i64,
    answered: i64,
    response_secs: i64,
    within_target: i64,
    visits: i64,
    synthetic: i64,
}

impl From<MonthlyRowRow> for MonthlyRow {
    fn from(r: MonthlyRowRow) -> Self {
        Self {
            key: MonthlyKey {
                month: r.month,
                team_id: r.team_id,
                site_id: r.site_id,
                status: r.status,
            },
            totals: MonthlyDelta {
                requests: r.requests,
                answered: r.answered,
                response_secs: r.response_secs,
                within_target: r.within_target,
                visits: r.visits,
                synthetic: r.synthetic,
            },
        }
    }
}

/// Open requests of one team and owner.
#[derive(Debug, sqlx::FromRow)]
pub struct LoadRowRow {
    team_id: Uuid,
    given_names: Option<String>,
    family_name: Option<String>,
    open: i64,
    overdue: i64,
}

impl From<LoadRowRow> for LoadRow {
    fn from(r: LoadRowRow) -> Self {
        Self {
            team_id: r.team_id,
            owner: r
                .given_names
                .zip(r.family_name)
                .map(|(g, f)| format!("{g} {f}")),
            open: r.open,
            overdue: r.overdue,
        }
    }
}

/// An answered request seen as an act to bill.
#[derive(Debug, sqlx::FromRow)]
pub struct ActRow {
    first_answer_at: jiff_sqlx::Timestamp,
    reference: String,
    practitioner_id: Uuid,
    rpps: Option<String>,
    profession: Option<String>,
    patient_id: Uuid,
    ins: Option<String>,
}

impl ActRow {
    /// The act, billed under `code`.
    pub fn into_act(self, code: ActCode) -> Result<BillableAct, StoreError> {
        Ok(BillableAct {
            at: self.first_answer_at.to_jiff(),
            code,
            reference: self.reference,
            practitioner_id: self.practitioner_id,
            rpps: self.rpps,
            profession: optional(self.profession, "people.profession", Profession::parse)?,
            patient_id: self.patient_id,
            ins: self.ins,
        })
    }
}

/// A site's route to a team with one person on either side.
#[derive(Debug, sqlx::FromRow)]
pub struct RouteRow {
    site_id: Uuid,
    team_id: Uuid,
    specialty_code: String,
    target_hours: i64,
    person_id: Uuid,
    role: String,
}

/// Groups route rows (sorted by site and team) into routes; dermatology is
/// asked three times as often as the other specialties.
pub fn routes(rows: Vec<RouteRow>) -> Vec<Route> {
    let mut routes: Vec<Route> = Vec::new();
    for row in rows {
        let same = routes
            .last()
            .is_some_and(|r| r.site_id == row.site_id && r.team_id == row.team_id);
        if !same {
            routes.push(Route {
                site_id: row.site_id,
                requester_ids: Vec::new(),
                team_id: row.team_id,
                target: SignedDuration::from_hours(row.target_hours),
                expert_ids: Vec::new(),
                weight: if row.specialty_code == SpecialtyCode::DERMATOLOGY {
                    3
                } else {
                    1
                },
            });
        }
        if let Some(route) = routes.last_mut() {
            match row.role.as_str() {
                "requester" => route.requester_ids.push(row.person_id),
                _ => route.expert_ids.push(row.person_id),
            }
        }
    }
    routes.retain(|r| !r.requester_ids.is_empty() && !r.expert_ids.is_empty());
    routes
}
