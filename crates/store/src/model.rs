//! The values the store hands out and takes in.

use consilium_domain::{
    Email, Finess, Ins, NamePart, Rpps,
    directory::{OrganizationKind, Profession, ResponseTarget, Role, SpecialtyCode},
    patient::{IdentityStatus, Sex},
};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use uuid::Uuid;

/// An organisation of the region: resource centre, requesting site or agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    /// Its id.
    pub id: Uuid,
    /// What it is.
    pub kind: OrganizationKind,
    /// Its name.
    pub name: NamePart,
    /// Its FINESS number, when it has one (a liberal practice may not).
    pub finess: Option<Finess>,
    /// Its town.
    pub city: Option<NamePart>,
    /// Whether requesters of this site see each other's cases.
    pub sharing_enabled: bool,
    /// When it was added.
    pub created_at: Timestamp,
}

/// An organisation to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganization {
    /// What it is.
    pub kind: OrganizationKind,
    /// Its name.
    pub name: NamePart,
    /// Its FINESS number, if any.
    pub finess: Option<Finess>,
    /// Its town.
    pub city: Option<NamePart>,
}

/// How an organisation is named on the command line or in seed data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgKey {
    /// By id.
    Id(Uuid),
    /// By FINESS number.
    Finess(Finess),
}

impl OrgKey {
    /// Reads an id or a FINESS number.
    pub fn parse(input: &str) -> Result<Self, consilium_domain::IdError> {
        match Uuid::parse_str(input.trim()) {
            Ok(id) => Ok(Self::Id(id)),
            Err(_) => Finess::parse(input).map(Self::Finess),
        }
    }
}

impl std::fmt::Display for OrgKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Finess(finess) => write!(f, "FINESS {finess}"),
        }
    }
}

/// A specialty offered in the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Specialty {
    /// Its SNOMED CT code.
    pub code: SpecialtyCode,
    /// Its French name.
    pub name_fr: String,
    /// Its English name.
    pub name_en: String,
}

/// A specialty team at a resource centre: where requests are addressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    /// Its id.
    pub id: Uuid,
    /// The resource centre it belongs to.
    pub organization_id: Uuid,
    /// Its specialty.
    pub specialty: SpecialtyCode,
    /// Its name, e.g. "Dermatologie — CHU Dijon".
    pub name: NamePart,
    /// How long it promises to take to answer.
    pub response_target: ResponseTarget,
}

/// The health-professional identity of a practitioner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Practitioner {
    /// Their profession.
    pub profession: Profession,
    /// Their RPPS number.
    pub rpps: Rpps,
}

/// A person who uses Consilium: a practitioner (with RPPS) or other staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Their id.
    pub id: Uuid,
    /// Their e-mail address, which is also their login.
    pub email: Email,
    /// Given names.
    pub given_names: NamePart,
    /// Family name.
    pub family_name: NamePart,
    /// Profession and RPPS, for a practitioner; `None` for other staff.
    pub practitioner: Option<Practitioner>,
    /// False once deactivated.
    pub active: bool,
    /// When they were added.
    pub created_at: Timestamp,
    /// When they last changed (deactivation), if ever.
    pub updated_at: Option<Timestamp>,
}

impl Person {
    /// "Given Family", as shown.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_names, self.family_name)
    }
}

/// A person to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    /// E-mail address (login).
    pub email: Email,
    /// Given names.
    pub given_names: NamePart,
    /// Family name.
    pub family_name: NamePart,
    /// Profession and RPPS, for a practitioner.
    pub practitioner: Option<Practitioner>,
}

/// A person's role in an organisation (and, for experts, in a team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    /// Its id (a FHIR `PractitionerRole`).
    pub id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The organisation.
    pub organization_id: Uuid,
    /// The organisation's name.
    pub organization_name: NamePart,
    /// The role.
    pub role: Role,
    /// The team, for experts and team coordinators.
    pub team_id: Option<Uuid>,
    /// The team's specialty.
    pub specialty: Option<SpecialtyCode>,
}

/// A role to give: in which organisation and, for experts, which specialty team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMembership {
    /// The organisation.
    pub organization: OrgKey,
    /// The role.
    pub role: Role,
    /// The specialty of the organisation's team, for an expert (or a team coordinator).
    pub specialty: Option<SpecialtyCode>,
}

/// A user to add: the person and their roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Who.
    pub person: NewPerson,
    /// Their roles (at least one).
    pub memberships: Vec<NewMembership>,
}

/// A person and all their roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    /// The person.
    pub person: Person,
    /// Their roles.
    pub memberships: Vec<Membership>,
}

/// A patient's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPatient {
    /// The INS, when known.
    pub ins: Option<Ins>,
    /// Birth family name (nom de naissance).
    pub birth_family_name: NamePart,
    /// First names, as on the identity document (prénoms).
    pub first_names: NamePart,
    /// Birth date.
    pub birth_date: Date,
    /// Administrative sex.
    pub sex: Sex,
    /// Identity-vigilance status.
    pub identity_status: IdentityStatus,
}

/// How many rows of each kind the directory holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryCounts {
    /// Specialties.
    pub specialties: u64,
    /// Organisations.
    pub organizations: u64,
    /// Teams.
    pub teams: u64,
    /// Routes from requesting sites to teams.
    pub routes: u64,
    /// People.
    pub people: u64,
    /// Memberships.
    pub memberships: u64,
    /// Patients.
    pub patients: u64,
    /// Links between patients and the sites that know them.
    pub patient_sites: u64,
    /// Cases.
    pub cases: u64,
}

impl DirectoryCounts {
    /// True when every count is zero.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
