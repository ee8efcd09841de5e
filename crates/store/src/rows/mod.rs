//! Rows as the sqlx backends read them, and their conversion into the
//! store's values. The derives are generic over the database, so SQLite and
//! PostgreSQL share these types; a value the domain refuses means a
//! corrupted row and is an internal error.

mod audit;
mod auth;
mod cases;
mod expertise;
mod jobs;
mod stats;
mod uploads;

pub use audit::{AuditHeadRow, AuditRow};
pub use auth::{CallerRoleRow, CounterRow, CredentialsRow, SessionRow, TokenRow};
pub use cases::{CaseRow, PatientRow};
pub use expertise::{
    AdviceRow, AppointmentRow, ChoiceRow, CountRow, EventRow, MessageRow, MessageUploadRow,
    ReportRow,
};
pub use jobs::{JobRow, JobStatusRow, NotificationRow};
pub use stats::{ActRow, FactInputsRow, FactRowRow, LoadRowRow, MonthlyRowRow, RouteRow, routes};
pub use uploads::{ChunkRow, RecordFileRow, SavedSearchRow, UploadRow};

use consilium_domain::{
    Email, Finess, NamePart, Rpps,
    directory::{OrganizationKind, Profession, ResponseTarget, Role, SpecialtyCode},
};
use uuid::Uuid;

use crate::{
    DirectoryCounts, Membership, Organization, Person, Practitioner, Specialty, StoreError, Team,
};

/// Maps a database error: unreachable → [`StoreError::Unavailable`],
/// anything else → internal.
#[track_caller]
pub fn db_error(err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
        other => StoreError::internal(other),
    }
}

pub(crate) fn corrupt<E: std::fmt::Display>(column: &'static str) -> impl FnOnce(E) -> StoreError {
    move |err| StoreError::internal(format!("corrupt value in {column}: {err}"))
}

pub(crate) fn optional<T, E: std::fmt::Display>(
    value: Option<String>,
    column: &'static str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, StoreError> {
    value
        .map(|v| parse(&v).map_err(corrupt(column)))
        .transpose()
}

/// A row of `organizations`.
#[derive(Debug, sqlx::FromRow)]
pub struct OrganizationRow {
    id: Uuid,
    kind: String,
    name: String,
    finess: Option<String>,
    city: Option<String>,
    sharing_enabled: bool,
    created_at: jiff_sqlx::Timestamp,
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = StoreError;
    fn try_from(row: OrganizationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            kind: OrganizationKind::parse(&row.kind).map_err(corrupt("organizations.kind"))?,
            name: NamePart::parse(&row.name).map_err(corrupt("organizations.name"))?,
            finess: optional(row.finess, "organizations.finess", Finess::parse)?,
            city: optional(row.city, "organizations.city", NamePart::parse)?,
            sharing_enabled: row.sharing_enabled,
            created_at: row.created_at.to_jiff(),
        })
    }
}

/// A row of `specialties`.
#[derive(Debug, sqlx::FromRow)]
pub struct SpecialtyRow {
    code: String,
    name_fr: String,
    name_en: String,
}

impl TryFrom<SpecialtyRow> for Specialty {
    type Error = StoreError;
    fn try_from(row: SpecialtyRow) -> Result<Self, StoreError> {
        Ok(Self {
            code: SpecialtyCode::parse(&row.code).map_err(corrupt("specialties.code"))?,
            name_fr: row.name_fr,
            name_en: row.name_en,
        })
    }
}

/// A row of `teams`.
#[derive(Debug, sqlx::FromRow)]
pub struct TeamRow {
    id: Uuid,
    organization_id: Uuid,
    specialty_code: String,
    name: String,
    response_target_hours: i32,
}

impl TryFrom<TeamRow> for Team {
    type Error = StoreError;
    fn try_from(row: TeamRow) -> Result<Self, StoreError> {
        let hours = u32::try_from(row.response_target_hours)
            .map_err(corrupt("teams.response_target_hours"))?;
        Ok(Self {
            id: row.id,
            organization_id: row.organization_id,
            specialty: SpecialtyCode::parse(&row.specialty_code)
                .map_err(corrupt("teams.specialty_code"))?,
            name: NamePart::parse(&row.name).map_err(corrupt("teams.name"))?,
            response_target: ResponseTarget::from_hours(hours)
                .map_err(corrupt("teams.response_target_hours"))?,
        })
    }
}

/// A row of `people`.
#[derive(Debug, sqlx::FromRow)]
pub struct PersonRow {
    id: Uuid,
    email: String,
    given_names: String,
    family_name: String,
    profession: Option<String>,
    rpps: Option<String>,
    active: bool,
    created_at: jiff_sqlx::Timestamp,
    updated_at: Option<jiff_sqlx::Timestamp>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(row: PersonRow) -> Result<Self, StoreError> {
        let profession = optional(row.profession, "people.profession", Profession::parse)?;
        let rpps = optional(row.rpps, "people.rpps", Rpps::parse)?;
        let practitioner = match (profession, rpps) {
            (Some(profession), Some(rpps)) => Some(Practitioner { profession, rpps }),
            (None, None) => None,
            _ => {
                return Err(StoreError::internal(
                    "people row with only one of profession and rpps",
                ));
            }
        };
        Ok(Self {
            id: row.id,
            email: Email::parse(&row.email).map_err(corrupt("people.email"))?,
            given_names: NamePart::parse(&row.given_names)
                .map_err(corrupt("people.given_names"))?,
            family_name: NamePart::parse(&row.family_name)
                .map_err(corrupt("people.family_name"))?,
            practitioner,
            active: row.active,
            created_at: row.created_at.to_jiff(),
            updated_at: row.updated_at.map(|t| t.to_jiff()),
        })
    }
}

/// A row of `memberships` joined with its organisation and team.
#[derive(Debug, sqlx::FromRow)]
pub struct MembershipRow {
    id: Uuid,
    person_id: Uuid,
    organization_id: Uuid,
    organization_name: String,
    role: String,
    team_id: Option<Uuid>,
    specialty_code: Option<String>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(row: MembershipRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            person_id: row.person_id,
            organization_id: row.organization_id,
            organization_name: NamePart::parse(&row.organization_name)
                .map_err(corrupt("organizations.name"))?,
            role: Role::parse(&row.role).map_err(corrupt("memberships.role"))?,
            team_id: row.team_id,
            specialty: optional(
                row.specialty_code,
                "teams.specialty_code",
                SpecialtyCode::parse,
            )?,
        })
    }
}

/// The row of table sizes.
#[derive(Debug, sqlx::FromRow)]
pub struct CountsRow {
    specialties: i64,
    organizations: i64,
    teams: i64,
    routes: i64,
    people: i64,
    memberships: i64,
    patients: i64,
    patient_sites: i64,
    cases: i64,
}

impl From<CountsRow> for DirectoryCounts {
    fn from(row: CountsRow) -> Self {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Self {
            specialties: n(row.specialties),
            organizations: n(row.organizations),
            teams: n(row.teams),
            routes: n(row.routes),
            people: n(row.people),
            memberships: n(row.memberships),
            patients: n(row.patients),
            patient_sites: n(row.patient_sites),
            cases: n(row.cases),
        }
    }
}
