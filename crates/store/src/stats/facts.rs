//! Keeping a request's facts and the monthly totals right, in the
//! transaction that changes the request.

use consilium_domain::{
    expertise::TaskStatus,
    stats::{CaseFacts, SentAdvice, Transition},
};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{FactRow, MonthlyDelta, MonthlyKey};
use crate::{StoreError, Tx};

/// Recomputes the facts of `case_id` from its row, history and advice, and
/// moves the monthly totals by the difference. A draft has no facts.
pub(crate) async fn refresh(tx: &mut dyn Tx, case_id: Uuid) -> Result<(), StoreError> {
    let Some(inputs) = tx.fact_inputs(case_id).await? else {
        return Ok(());
    };
    let Some(sent_at) = inputs.submitted_at else {
        return Ok(());
    };
    let status = TaskStatus::parse(&inputs.status)
        .ok_or_else(|| StoreError::internal(format!("corrupt status {}", inputs.status)))?;
    let transitions = tx
        .case_events(case_id)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(Transition {
                at: e.at,
                from: TaskStatus::parse(&e.from_status)?,
                to: TaskStatus::parse(&e.to_status)?,
            })
        })
        .collect::<Vec<_>>();
    let advices = tx
        .case_advices(case_id)
        .await?
        .into_iter()
        .map(|a| SentAdvice {
            at: a.signed_at,
            author_id: a.author_id,
            visit: a.advice.visit,
        })
        .collect::<Vec<_>>();
    let target = SignedDuration::from_hours(inputs.target_hours);
    let facts = CaseFacts::of(sent_at, status, &transitions, &advices, target);
    let new = FactRow {
        case_id,
        month: facts.month.to_string(),
        team_id: inputs.team_id,
        site_id: inputs.site_id,
        status: inputs.status,
        patient_id: inputs.patient_id,
        requester_id: inputs.requester_id,
        expert_id: facts.expert_id,
        first_answer_at: facts.first_answer_at,
        response_secs: facts.response_secs,
        within_target: facts.within_target.map(i64::from),
        visit: facts.visit.map(i64::from),
        synthetic: i64::from(inputs.synthetic),
    };
    let old = tx.fact(case_id).await?;
    if old.as_ref() == Some(&new) {
        return Ok(());
    }
    tx.upsert_fact(&new).await?;
    for (key, delta) in deltas(old.as_ref(), &new) {
        tx.add_monthly(&key, &delta).await?;
    }
    Ok(())
}

/// What one request adds to its row of monthly totals.
pub(crate) fn contribution(fact: &FactRow) -> (MonthlyKey, MonthlyDelta) {
    let key = MonthlyKey {
        month: fact.month.clone(),
        team_id: fact.team_id,
        site_id: fact.site_id,
        status: fact.status.clone(),
    };
    let delta = MonthlyDelta {
        requests: 1,
        answered: i64::from(fact.response_secs.is_some()),
        response_secs: fact.response_secs.unwrap_or(0),
        within_target: fact.within_target.unwrap_or(0),
        visits: fact.visit.unwrap_or(0),
        synthetic: fact.synthetic,
    };
    (key, delta)
}

/// The changes to the totals when a request's facts go from `old` to
/// `new`, in key order so that concurrent transactions lock rows in the
/// same order (no deadlock on PostgreSQL).
fn deltas(old: Option<&FactRow>, new: &FactRow) -> Vec<(MonthlyKey, MonthlyDelta)> {
    let (new_key, added) = contribution(new);
    let mut changes = vec![(new_key, added)];
    if let Some(old) = old {
        let (old_key, removed) = contribution(old);
        if changes[0].0 == old_key {
            changes[0].1 += -removed;
        } else {
            changes.push((old_key, -removed));
        }
    }
    changes.retain(|(_, d)| *d != MonthlyDelta::default());
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    changes
}
