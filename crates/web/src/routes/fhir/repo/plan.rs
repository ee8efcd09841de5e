//! When the database can answer a search of requests by itself: every
//! filter maps exactly onto a column and every sort key onto an
//! expression, so it counts, orders and returns the ids, and only the
//! first page is read in full. Other searches read the caller's matching
//! requests and let the engine decide. Both give the same answer (a test
//! runs searches both ways).

use consilium_fhir::search::{Modifier, SearchQuery, Value};
use consilium_store::records::{CaseScope, CaseSort, CaseSortKey};
use uuid::Uuid;

/// What the database is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    /// Which requests.
    pub scope: CaseScope,
    /// In which order.
    pub order: Vec<CaseSortKey>,
}

fn uuids(values: Vec<String>) -> Vec<Uuid> {
    values
        .iter()
        .filter_map(|v| Uuid::parse_str(v).ok())
        .collect()
}

/// Both lists' common ids (an id named twice must be in both).
fn and(a: Option<Vec<Uuid>>, b: Vec<Uuid>) -> Option<Vec<Uuid>> {
    Some(match a {
        Some(a) => a.into_iter().filter(|id| b.contains(id)).collect(),
        None => b,
    })
}

/// The Task statuses a `ServiceRequest.status` stands for.
fn task_statuses(request_statuses: &[String]) -> Vec<String> {
    request_statuses
        .iter()
        .flat_map(|s| match s.as_str() {
            "draft" => vec!["draft"],
            "completed" => vec!["completed"],
            "revoked" => vec!["cancelled"],
            "active" => vec![
                "requested",
                "accepted",
                "rejected",
                "in-progress",
                "on-hold",
            ],
            _ => vec![],
        })
        .map(str::to_owned)
        .collect()
}

/// The plan of a `ServiceRequest` or `Task` search, if the database can
/// answer it exactly.
pub(super) fn plan(query: &SearchQuery) -> Option<Plan> {
    let task = match query.resource.name {
        "Task" => true,
        "ServiceRequest" => false,
        _ => return None,
    };
    let mut scope = CaseScope::default();
    let mut seen: Vec<&str> = Vec::new();
    for filter in &query.filters {
        let name = filter.param.name;
        // One filter per parameter, without modifier: anything else is the engine's.
        if filter.modifier != Modifier::None || seen.contains(&name) {
            return None;
        }
        seen.push(name);
        let references = |t: &str| query.reference_ids(name, t).map(uuids);
        match (name, task) {
            ("_id", _) => scope.case_ids = and(scope.case_ids, uuids(query.token_codes(name)?)),
            ("focus", true) => scope.case_ids = and(scope.case_ids, references("ServiceRequest")?),
            ("patient" | "subject", _) => {
                let ids = references("Patient")?;
                scope.patient_ids = Some(match scope.patient_ids {
                    Some(known) => known.into_iter().filter(|id| ids.contains(id)).collect(),
                    None => ids,
                });
            }
            ("requester", _) => scope.requester_ids = Some(references("Practitioner")?),
            ("status", true) => scope.statuses = Some(query.token_codes(name)?),
            ("status", false) => scope.statuses = Some(task_statuses(&query.token_codes(name)?)),
            ("performer", false) => scope.team_ids = Some(references("HealthcareService")?),
            ("owner", true) => {
                // An expert owns it, or the team while nobody does: the
                // values must all say which.
                let typed = |t: &str| {
                    filter.values.iter().all(
                        |v| matches!(v, Value::Reference { resource_type: Some(x), .. } if x == t),
                    )
                };
                if typed("Practitioner") {
                    scope.owner_ids = Some(references("Practitioner")?);
                } else if typed("HealthcareService") {
                    scope.team_ids = Some(references("HealthcareService")?);
                    scope.unowned = true;
                } else {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let mut order = Vec::new();
    for key in &query.sort {
        let by = match (key.param.name, task) {
            ("_id", _) => CaseSort::Id,
            ("_lastUpdated", _) => CaseSort::LastUpdated,
            ("deadline", true) => CaseSort::Deadline,
            ("authored-on", true) => CaseSort::Created,
            ("authored", false) => CaseSort::Submitted,
            _ => return None,
        };
        order.push(CaseSortKey {
            by,
            descending: key.descending,
        });
    }
    Some(Plan { scope, order })
}
