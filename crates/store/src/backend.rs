//! What a database backend provides: transactions, and inside them the
//! primitive statements the use cases in this crate are built from.

use async_trait::async_trait;
use consilium_domain::{
    Email, Ins,
    directory::{Role, SpecialtyCode},
};
use jiff::Timestamp;
use uuid::Uuid;

use crate::{
    DirectoryCounts, Membership, NewOrganization, NewPatient, NewPerson, OrgKey, Organization,
    Person, SeedTeam, Specialty, StoreError, Team,
};
pub use crate::{
    audit::AuditTx, auth::AuthTx, cases::CaseTx, expertise::ExpertiseTx, jobs::JobTx,
    notifications::NotificationTx, records::RecordTx, requests::RequestTx,
    saved_searches::SavedSearchTx, stats::StatsTx, uploads::UploadTx,
};

/// A database the store can run on (SQLite, PostgreSQL).
#[async_trait]
pub trait Backend: Send + Sync + std::fmt::Debug + 'static {
    /// "sqlite" or "postgres", for logs and `/readyz`.
    fn name(&self) -> &'static str;

    /// Checks the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Opens a transaction that may write. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`) so that it never fails half-way on a busy lock.
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError>;
}

/// One open transaction. Dropped without [`Tx::commit`], it rolls back.
///
/// The `insert_*` primitives insert unless a row with the same key exists
/// (`ON CONFLICT DO NOTHING`) and say whether they inserted.
#[async_trait]
pub trait Tx:
    DirectoryTx
    + AuthTx
    + crate::auth::DeviceTx
    + AuditTx
    + CaseTx
    + UploadTx
    + RequestTx
    + ExpertiseTx
    + JobTx
    + NotificationTx
    + StatsTx
    + RecordTx
    + SavedSearchTx
{
    /// Makes every change of the transaction durable.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// The directory's primitives.
#[async_trait]
pub trait DirectoryTx: Send {
    /// Adds a specialty.
    async fn insert_specialty(&mut self, specialty: &Specialty) -> Result<bool, StoreError>;
    /// The specialties, by French name.
    async fn specialties(&mut self) -> Result<Vec<Specialty>, StoreError>;

    /// Adds an organisation.
    async fn insert_organization(
        &mut self,
        id: Uuid,
        org: &NewOrganization,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Finds an organisation by id or FINESS.
    async fn organization(&mut self, key: &OrgKey) -> Result<Option<Organization>, StoreError>;
    /// The organisations, by name.
    async fn organizations(&mut self) -> Result<Vec<Organization>, StoreError>;

    /// Adds a team to a resource centre.
    async fn insert_team(
        &mut self,
        id: Uuid,
        organization_id: Uuid,
        team: &SeedTeam,
    ) -> Result<bool, StoreError>;
    /// The team of an organisation for a specialty.
    async fn team(
        &mut self,
        organization_id: Uuid,
        specialty: &SpecialtyCode,
    ) -> Result<Option<Team>, StoreError>;
    /// All teams, by name.
    async fn teams(&mut self) -> Result<Vec<Team>, StoreError>;
    /// Adds a default route from a requesting site to a team.
    async fn insert_route(&mut self, site_id: Uuid, team_id: Uuid) -> Result<bool, StoreError>;

    /// Adds a person; false when the e-mail address or the RPPS is taken.
    async fn insert_person(
        &mut self,
        id: Uuid,
        person: &NewPerson,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Finds a person by e-mail address.
    async fn person_by_email(&mut self, email: &Email) -> Result<Option<Person>, StoreError>;
    /// All people, by family then given names.
    async fn people(&mut self) -> Result<Vec<Person>, StoreError>;
    /// Gives a person a role.
    async fn insert_membership(
        &mut self,
        person_id: Uuid,
        organization_id: Uuid,
        role: Role,
        team_id: Option<Uuid>,
    ) -> Result<bool, StoreError>;
    /// All memberships, with their organisation's name and team's specialty.
    async fn memberships(&mut self) -> Result<Vec<Membership>, StoreError>;

    /// Adds a patient; false when the INS is known already.
    async fn insert_patient(
        &mut self,
        id: Uuid,
        patient: &NewPatient,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// The id of the patient with this INS.
    async fn patient_by_ins(&mut self, ins: &Ins) -> Result<Option<Uuid>, StoreError>;
    /// The patient with this INS, whoever may read them (identity checks only).
    async fn patient_with_ins(
        &mut self,
        ins: &Ins,
    ) -> Result<Option<crate::cases::PatientView>, StoreError>;
    /// Records that a site knows a patient.
    async fn link_patient_site(
        &mut self,
        patient_id: Uuid,
        organization_id: Uuid,
    ) -> Result<bool, StoreError>;

    /// How many rows each directory table holds.
    async fn counts(&mut self) -> Result<DirectoryCounts, StoreError>;
}
