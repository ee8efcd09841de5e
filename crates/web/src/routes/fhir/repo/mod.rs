//! The per-request FHIR repository (as Medplum has one): it carries the
//! caller, reads what they may read through the store (which applies the
//! access policy and writes the audit record), turns it into resources,
//! and lets the search engine decide what matches. A search narrows the
//! database query with the filters it can (ids, patient, status…); the
//! engine then applies every filter, so narrowing only saves work.

mod audit;
mod cases;
mod directory;
mod patients;
mod plan;
mod questionnaires;

pub use patients::resource as patient_resource;

use std::{collections::HashMap, sync::Arc};

use consilium_fhir::search::SearchQuery;
use consilium_store::records::{CaseParts, CaseRecord, CaseScope};
use jiff::Timestamp;
use serde_json::Value;
use uuid::Uuid;

use super::{FhirError, base_url};
use crate::{AppState, SignedIn};

/// Where resources of a type come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A request and its parts (thread, files, reports, appointments).
    Cases,
    /// Patients.
    Patients,
    /// The region's directory.
    Directory,
    /// The specialty questionnaires shipped with the binary.
    Questionnaires,
    /// The audit trail.
    Audit,
}

fn source_of(resource_type: &str) -> Option<Source> {
    match resource_type {
        "ServiceRequest"
        | "Task"
        | "QuestionnaireResponse"
        | "Media"
        | "Communication"
        | "DocumentReference"
        | "Appointment" => Some(Source::Cases),
        "Patient" => Some(Source::Patients),
        "Practitioner" | "PractitionerRole" | "Organization" | "HealthcareService" => {
            Some(Source::Directory)
        }
        "Questionnaire" => Some(Source::Questionnaires),
        "AuditEvent" => Some(Source::Audit),
        _ => None,
    }
}

/// What a search found: how many, the ids kept for paging (in order), and
/// the first page.
#[derive(Debug)]
pub struct Found {
    /// How many matched.
    pub total: usize,
    /// The ids of the first matches, in order.
    pub ids: Vec<String>,
    /// The first page.
    pub page: Vec<Value>,
}

/// Reads resources for one request of one caller.
#[derive(Debug)]
pub struct Repo<'a> {
    state: &'a AppState,
    signed_in: &'a SignedIn,
    base: String,
    now: Timestamp,
    /// The parts of requests this request's resource types need.
    parts: CaseParts,
    /// Requests read so far (all readable by the caller), by id.
    records: HashMap<Uuid, Arc<CaseRecord>>,
    directory: Option<directory::Directory>,
}

impl<'a> Repo<'a> {
    /// A repository for resources of `types` (the searched type and what
    /// its includes may bring).
    pub fn new(state: &'a AppState, signed_in: &'a SignedIn, types: &[&str]) -> Self {
        let mut parts = CaseParts::default();
        for t in types {
            let p = cases::parts_for(t);
            parts.files |= p.files;
            parts.thread |= p.thread;
            parts.reports |= p.reports;
            parts.appointments |= p.appointments;
            parts.history |= p.history;
        }
        Self {
            state,
            signed_in,
            base: base_url(state),
            now: state.clock.now(),
            parts,
            records: HashMap::new(),
            directory: None,
        }
    }

    /// Reads requests with their status history (for versions).
    pub fn with_history(mut self) -> Self {
        self.parts.history = true;
        self
    }

    /// A repository for everything a search may touch.
    pub fn for_search(state: &'a AppState, signed_in: &'a SignedIn, query: &SearchQuery) -> Self {
        let mut types = vec![query.resource.name];
        types.extend(
            query
                .includes
                .iter()
                .flat_map(|i| i.param.targets.iter().copied()),
        );
        types.extend(query.revincludes.iter().map(|i| i.source.name));
        Self::new(state, signed_in, &types)
    }

    /// The server's FHIR base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The caller.
    pub fn signed_in(&self) -> &'a SignedIn {
        self.signed_in
    }

    /// The application.
    pub fn state(&self) -> &'a AppState {
        self.state
    }

    /// A search's total, the ids of its first `keep` matches and its first
    /// page. The database answers it alone when it can ([`plan`]).
    pub async fn search_page(
        &mut self,
        query: &SearchQuery,
        keep: usize,
    ) -> Result<Found, FhirError> {
        let count = if query.summary_count { 0 } else { query.count };
        if let Some(plan) = plan::plan(query) {
            let page = self
                .state
                .store
                .case_page(
                    &self.signed_in.actor,
                    &plan.scope,
                    &plan.order,
                    keep,
                    count,
                    self.parts,
                    self.now,
                )
                .await?;
            let resources = page
                .records
                .iter()
                .flat_map(|r| cases::resources(self.state, query.resource.name, r))
                .collect();
            for r in page.records {
                self.records.insert(r.case.id, Arc::new(r));
            }
            return Ok(Found {
                total: usize::try_from(page.total).unwrap_or(usize::MAX),
                ids: page.ids.iter().map(ToString::to_string).collect(),
                page: resources,
            });
        }
        let found = self.search(query).await?;
        Ok(Found {
            total: found.len(),
            ids: found
                .iter()
                .take(keep)
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect(),
            page: found.into_iter().take(count).collect(),
        })
    }

    /// Every resource matching `query` that the caller may read, in the
    /// query's order.
    pub async fn search(&mut self, query: &SearchQuery) -> Result<Vec<Value>, FhirError> {
        let name = query.resource.name;
        let candidates = match source_of(name).ok_or_else(FhirError::not_found)? {
            Source::Cases => {
                let scope = cases::scope_for(query);
                let records = self.load(&scope).await?;
                records
                    .iter()
                    .flat_map(|r| cases::resources(self.state, name, r))
                    .collect()
            }
            Source::Patients => patients::search(self, query).await?,
            Source::Directory => self.directory().await?.of_type(name),
            Source::Questionnaires => questionnaires::all(self.state),
            Source::Audit => audit::search(self, query).await?,
        };
        let mut found: Vec<Value> = candidates
            .into_iter()
            .filter(|r| query.matches(r, &self.base, self.now))
            .collect();
        query.sort(&mut found);
        Ok(found)
    }

    /// One resource, if the caller may read it.
    pub async fn read(
        &mut self,
        resource_type: &str,
        id: &str,
    ) -> Result<Option<Value>, FhirError> {
        Ok(self
            .read_many(resource_type, &[id.to_owned()])
            .await?
            .into_iter()
            .next())
    }

    /// The resources of these ids the caller may read, in the order given
    /// (the others are left out).
    pub async fn read_many(
        &mut self,
        resource_type: &str,
        ids: &[String],
    ) -> Result<Vec<Value>, FhirError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let found: Vec<Value> = match source_of(resource_type) {
            None => return Ok(Vec::new()),
            Some(Source::Cases) => {
                let uuids = uuids(ids);
                let scope = cases::read_scope(resource_type, uuids);
                let records = self.load(&scope).await?;
                records
                    .iter()
                    .flat_map(|r| cases::resources(self.state, resource_type, r))
                    .collect()
            }
            Some(Source::Patients) => patients::read_many(self, ids).await?,
            Some(Source::Directory) => self.directory().await?.of_type(resource_type),
            Some(Source::Questionnaires) => questionnaires::all(self.state),
            Some(Source::Audit) => audit::read_many(self, ids).await?,
        };
        let mut by_id: HashMap<String, Value> = found
            .into_iter()
            .filter_map(|r| Some((r["id"].as_str()?.to_owned(), r)))
            .collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Every version of a resource the caller may read, newest first.
    pub async fn history(
        &mut self,
        resource_type: &str,
        id: &str,
    ) -> Result<Option<Vec<Value>>, FhirError> {
        if source_of(resource_type) != Some(Source::Cases) {
            return Ok(self.read(resource_type, id).await?.map(|r| vec![r]));
        }
        let scope = cases::read_scope(resource_type, uuids(&[id.to_owned()]));
        let records = self.load(&scope).await?;
        let me = self.signed_in.actor.caller.person_id;
        Ok(records
            .iter()
            .map(|r| cases::versions(self.state, resource_type, r, id, me))
            .find(|v| !v.is_empty()))
    }

    /// The requests of `scope` the caller may read, kept for the rest of
    /// this request. A scope of requests read already is not read again.
    async fn load(&mut self, scope: &CaseScope) -> Result<Vec<Arc<CaseRecord>>, FhirError> {
        if let Some(ids) = cases::only_case_ids(scope)
            && ids.iter().all(|id| self.records.contains_key(id))
        {
            return Ok(ids
                .iter()
                .filter_map(|id| self.records.get(id).cloned())
                .collect());
        }
        let records = self
            .state
            .store
            .case_records(&self.signed_in.actor, scope, self.parts, self.now)
            .await?;
        let records: Vec<Arc<CaseRecord>> = records.into_iter().map(Arc::new).collect();
        for r in &records {
            self.records.insert(r.case.id, Arc::clone(r));
        }
        Ok(records)
    }

    /// The requests read so far.
    fn loaded(&self) -> impl Iterator<Item = &CaseRecord> {
        self.records.values().map(AsRef::as_ref)
    }

    async fn directory(&mut self) -> Result<&directory::Directory, FhirError> {
        if self.directory.is_none() {
            self.directory = Some(directory::Directory::load(self.state).await?);
        }
        self.directory.as_ref().ok_or_else(FhirError::not_found)
    }
}

/// The ids that are UUIDs (no other id can exist in the database).
fn uuids(ids: &[String]) -> Vec<Uuid> {
    ids.iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect()
}
