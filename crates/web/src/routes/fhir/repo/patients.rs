//! Patients: those of the caller's requesting site, and those of the
//! requests they may read.

use consilium_fhir::{
    request::{INS_SYSTEM, PatientIdentity, patient},
    search::{SearchQuery, Value as Wanted},
};
use consilium_store::{cases::PatientView, records::PatientScope};
use serde_json::Value;

use super::{Repo, uuids};
use crate::routes::fhir::FhirError;

/// A patient as FHIR shows it.
pub fn resource(p: &PatientView) -> Value {
    let identity = PatientIdentity {
        ins: p.identity.ins.clone(),
        family: p.identity.birth_family_name.clone(),
        given: p.identity.first_names.clone(),
        birth_date: p.identity.birth_date,
        sex: p.identity.sex,
        status: p.identity.identity_status,
    };
    patient(p.id, &identity, p.created_at)
}

/// The INS a query names (with the INS system or none), if it only names INS.
fn ins_of(query: &SearchQuery) -> Option<Vec<String>> {
    let filter = query.filters.iter().find(|f| {
        f.param.name == "identifier" && f.modifier == consilium_fhir::search::Modifier::None
    })?;
    filter
        .values
        .iter()
        .map(|v| match v {
            Wanted::Token {
                system,
                code: Some(code),
            } if system.as_deref().is_none_or(|s| s == INS_SYSTEM) => Some(code.clone()),
            _ => None,
        })
        .collect()
}

pub(super) async fn search(
    repo: &mut Repo<'_>,
    query: &SearchQuery,
) -> Result<Vec<Value>, FhirError> {
    let scope = PatientScope {
        ids: query.token_codes("_id").map(|ids| uuids(&ids)),
        ins: ins_of(query),
    };
    let found = repo
        .state
        .store
        .patients(&repo.signed_in.actor, &scope, repo.now)
        .await?;
    Ok(found.iter().map(resource).collect())
}

/// Patients by id: those of requests read already come from them, the
/// others from the store (one audited read).
pub(super) async fn read_many(
    repo: &mut Repo<'_>,
    ids: &[String],
) -> Result<Vec<Value>, FhirError> {
    let mut found: Vec<Value> = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match repo.loaded().find(|r| r.case.patient.id.to_string() == *id) {
            Some(r) => found.push(super::cases::patient(r)),
            None => missing.push(id.clone()),
        }
    }
    let missing = uuids(&missing);
    if !missing.is_empty() {
        let scope = PatientScope {
            ids: Some(missing),
            ins: None,
        };
        let read = repo
            .state
            .store
            .patients(&repo.signed_in.actor, &scope, repo.now)
            .await?;
        found.extend(read.iter().map(resource));
    }
    Ok(found)
}
