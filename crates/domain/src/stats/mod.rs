//! Activity figures: what one request contributes to the dashboards (its
//! "facts"), the months a dashboard covers, percentiles, the small-count
//! rule, billing rules and the demo region's synthetic history.
//!
//! Response time is measured from sending to the first advice, minus the
//! time spent on hold (waiting for the requester's reply to a question),
//! like the deadline clock that stops while on hold.

mod billing;
mod month;
pub mod synthetic;
#[cfg(test)]
mod tests;

pub use billing::{ActCode, BillableAct, BillingLine, bill};
pub use month::{Month, MonthError, Period};

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::expertise::{TaskStatus, Visit};

/// Below this, a count about a single requesting site is not shown to a
/// regional viewer (it could point at one practice's patients).
pub const SMALL_COUNT: i64 = 5;

/// Hides a single site's small counts: `None` means "fewer than 5, not shown".
pub fn masked(count: i64) -> Option<i64> {
    (count == 0 || count >= SMALL_COUNT).then_some(count)
}

/// One status change in a request's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// When it happened.
    pub at: Timestamp,
    /// The status it left.
    pub from: TaskStatus,
    /// The status it entered.
    pub to: TaskStatus,
}

/// One sent advice (a version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentAdvice {
    /// When it was signed.
    pub at: Timestamp,
    /// Who signed it.
    pub author_id: Uuid,
    /// Whether it asks for an in-person visit.
    pub visit: Visit,
}

/// What the dashboards need to know of one sent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// The month it was sent, in Europe/Paris.
    pub month: Month,
    /// Its status now.
    pub status: TaskStatus,
    /// When the first advice was signed.
    pub first_answer_at: Option<Timestamp>,
    /// Who signed the first advice (the expert who bills TE2).
    pub expert_id: Option<Uuid>,
    /// Seconds from sending to the first advice, hold time excluded.
    pub response_secs: Option<i64>,
    /// Whether that was within the team's target.
    pub within_target: Option<bool>,
    /// Whether the latest advice asks for an in-person visit.
    pub visit: Option<bool>,
}

impl CaseFacts {
    /// The facts of a request sent at `sent_at`, given its status changes
    /// (in time order), its advice versions and its team's target.
    pub fn of(
        sent_at: Timestamp,
        status: TaskStatus,
        transitions: &[Transition],
        advices: &[SentAdvice],
        target: SignedDuration,
    ) -> Self {
        let first = advices.iter().min_by_key(|a| a.at);
        let latest = advices.iter().max_by_key(|a| a.at);
        let response = first.map(|a| waiting_time(sent_at, a.at, transitions));
        Self {
            month: Month::of(sent_at),
            status,
            first_answer_at: first.map(|a| a.at),
            expert_id: first.map(|a| a.author_id),
            response_secs: response.map(|d| d.as_secs()),
            within_target: response.map(|d| d <= target),
            visit: latest.map(|a| a.visit != Visit::No),
        }
    }
}

/// Time from `from` to `until`, minus the stretches spent on hold.
pub fn waiting_time(
    from: Timestamp,
    until: Timestamp,
    transitions: &[Transition],
) -> SignedDuration {
    let mut held = SignedDuration::ZERO;
    let mut hold_started: Option<Timestamp> = None;
    for t in transitions.iter().filter(|t| t.at <= until) {
        if t.to == TaskStatus::OnHold && hold_started.is_none() {
            hold_started = Some(t.at);
        } else if t.from == TaskStatus::OnHold
            && t.to != TaskStatus::OnHold
            && let Some(start) = hold_started.take()
        {
            held += t.at.duration_since(start);
        }
    }
    if let Some(start) = hold_started {
        held += until.duration_since(start);
    }
    until.duration_since(from) - held
}

/// The 0-based position of the `p` percentile (0 < p ≤ 1) among `n` sorted
/// values, by the nearest-rank method: the smallest value such that at least
/// `p` of the values are at or below it. `None` when there is no value.
pub fn nearest_rank(n: i64, p: f64) -> Option<i64> {
    if n <= 0 {
        return None;
    }
    let rank = (p * n as f64).ceil() as i64;
    Some(rank.clamp(1, n) - 1)
}
