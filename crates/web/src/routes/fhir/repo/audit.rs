//! The audit trail as `AuditEvent`s, for the organisations the caller
//! audits. The database applies every filter it can; a search that would
//! look through more than [`LOOK_LIMIT`] records is refused as too costly
//! (narrow it by date), so totals stay exact.

use axum::http::StatusCode;
use consilium_fhir::{
    audit_event::{AuditFacts, audit_event},
    search::{
        SearchQuery, Value as Wanted,
        dates::TimeSpan,
        query::{Modifier, Prefix},
    },
};
use consilium_store::audit::{AuditQuery, AuditRecord};
use jiff::Timestamp;
use serde_json::Value;

use super::{Repo, uuids};
use crate::routes::fhir::FhirError;

/// The most records one search looks through.
pub const LOOK_LIMIT: usize = 10_000;

fn resource(r: &AuditRecord) -> Value {
    audit_event(&AuditFacts {
        seq: r.seq,
        at: r.at,
        actor_id: r.actor_id,
        via: r.via.clone(),
        organization_id: r.organization_id,
        patient_id: r.patient_id,
        patients: r.patients.clone(),
        case_id: r.case_id,
        object_id: r.object_id,
        action: r.action.clone(),
        outcome: r.outcome.clone(),
        client_addr: r.client_addr.clone(),
        request_id: r.request_id.clone(),
    })
}

/// `[from, to)` holding every instant a date filter can match.
fn bounds(prefix: Prefix, span: &TimeSpan) -> Option<(Option<Timestamp>, Option<Timestamp>)> {
    match prefix {
        Prefix::Eq => Some((Some(span.start), Some(span.end))),
        Prefix::Ge => Some((Some(span.start), None)),
        Prefix::Gt | Prefix::Sa => Some((Some(span.end), None)),
        Prefix::Le => Some((None, Some(span.end))),
        Prefix::Lt | Prefix::Eb => Some((None, Some(span.start))),
        Prefix::Ne | Prefix::Ap => None,
    }
}

/// Narrows `query` by the date filters (each filter's values OR'ed: their hull).
fn narrow_dates(query: &SearchQuery, audit: &mut AuditQuery) {
    for filter in &query.filters {
        if !matches!(filter.param.name, "date" | "_lastUpdated")
            || filter.modifier != Modifier::None
        {
            continue;
        }
        let spans: Option<Vec<(Option<Timestamp>, Option<Timestamp>)>> = filter
            .values
            .iter()
            .map(|v| match v {
                Wanted::Date(prefix, span) => bounds(*prefix, span),
                _ => None,
            })
            .collect();
        let Some(spans) = spans.filter(|s| !s.is_empty()) else {
            continue;
        };
        let from = spans.iter().map(|s| s.0).min().flatten();
        let to = if spans.iter().any(|s| s.1.is_none()) {
            None
        } else {
            spans.iter().filter_map(|s| s.1).max()
        };
        audit.from = audit.from.max(from);
        audit.to = match (audit.to, to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

fn outcomes(codes: Vec<String>) -> Vec<String> {
    codes
        .iter()
        .flat_map(|code| match code.as_str() {
            "0" => vec!["success"],
            "4" => vec!["denied", "not_found"],
            _ => vec!["failure"],
        })
        .map(str::to_owned)
        .collect()
}

pub(super) async fn search(
    repo: &mut Repo<'_>,
    query: &SearchQuery,
) -> Result<Vec<Value>, FhirError> {
    let reference = |param: &str, t: &str| query.reference_ids(param, t).map(|ids| uuids(&ids));
    let mut audit = AuditQuery {
        seqs: query
            .token_codes("_id")
            .map(|ids| ids.iter().filter_map(|id| id.parse().ok()).collect()),
        actor_ids: reference("agent", "Practitioner"),
        patient_ids: reference("patient", "Patient"),
        case_ids: reference("entity", "ServiceRequest"),
        actions: query.token_codes("subtype"),
        outcomes: query.token_codes("outcome").map(outcomes),
        ..AuditQuery::default()
    };
    narrow_dates(query, &mut audit);
    find(repo, &audit).await
}

pub(super) async fn read_many(
    repo: &mut Repo<'_>,
    ids: &[String],
) -> Result<Vec<Value>, FhirError> {
    let audit = AuditQuery {
        seqs: Some(ids.iter().filter_map(|id| id.parse().ok()).collect()),
        ..AuditQuery::default()
    };
    find(repo, &audit).await
}

async fn find(repo: &mut Repo<'_>, audit: &AuditQuery) -> Result<Vec<Value>, FhirError> {
    let found = repo
        .state
        .store
        .audit_events(&repo.signed_in.actor, audit, LOOK_LIMIT, repo.now)
        .await?;
    if !found.complete {
        return Err(FhirError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too-costly",
            format!(
                "plus de {LOOK_LIMIT} enregistrements : précisez la recherche (date=ge…&date=lt…) / more than {LOOK_LIMIT} records: narrow the search by date"
            ),
        ));
    }
    Ok(found.records.iter().map(resource).collect())
}
