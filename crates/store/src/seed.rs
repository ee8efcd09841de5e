//! A description of a directory to load at once (the demo region, or a
//! region's initial import). Loading it twice adds nothing the second time.

use crate::{NewPatient, NewUser, Specialty};
use consilium_domain::{
    Email, Finess, Ins, NamePart,
    directory::{OrganizationKind, ResponseTarget, SpecialtyCode},
};

/// A whole directory, keyed by natural identifiers (FINESS, e-mail, INS).
#[derive(Debug, Clone, Default)]
pub struct DirectorySeed {
    /// Specialties.
    pub specialties: Vec<Specialty>,
    /// Organisations with their teams.
    pub organizations: Vec<SeedOrganization>,
    /// Default routes from requesting sites to teams.
    pub routes: Vec<SeedRoute>,
    /// People and their roles (organisations named by FINESS).
    pub users: Vec<NewUser>,
    /// Patients and the sites that know them.
    pub patients: Vec<SeedPatient>,
    /// Cases (keyed by reference).
    pub cases: Vec<SeedCase>,
}

/// A case of a seed.
#[derive(Debug, Clone)]
pub struct SeedCase {
    /// Its reference (the key).
    pub reference: String,
    /// The patient's INS.
    pub patient: Ins,
    /// The requester's e-mail address.
    pub requester: Email,
    /// The requesting site.
    pub site: Finess,
    /// The resource centre addressed.
    pub centre: Finess,
    /// The specialty of the centre's team.
    pub specialty: SpecialtyCode,
    /// Status (FHIR Task status).
    pub status: String,
    /// When it was filed.
    pub created_at: jiff::Timestamp,
}

/// An organisation of a seed; its FINESS is its key.
#[derive(Debug, Clone)]
pub struct SeedOrganization {
    /// What it is.
    pub kind: OrganizationKind,
    /// Its name.
    pub name: NamePart,
    /// Its FINESS number.
    pub finess: Finess,
    /// Its town.
    pub city: NamePart,
    /// Its specialty teams (resource centres only).
    pub teams: Vec<SeedTeam>,
}

/// A team of a seed organisation.
#[derive(Debug, Clone)]
pub struct SeedTeam {
    /// Its specialty.
    pub specialty: SpecialtyCode,
    /// Its name.
    pub name: NamePart,
    /// Its response target.
    pub response_target: ResponseTarget,
}

/// A requesting site's default route to a centre's team.
#[derive(Debug, Clone)]
pub struct SeedRoute {
    /// The requesting site.
    pub site: Finess,
    /// The resource centre.
    pub centre: Finess,
    /// The specialty of the centre's team.
    pub specialty: SpecialtyCode,
}

/// A patient of a seed and the sites that know them.
#[derive(Debug, Clone)]
pub struct SeedPatient {
    /// Identity.
    pub patient: NewPatient,
    /// Sites where the patient is known.
    pub sites: Vec<Finess>,
}

/// What a seed import added, per table (zero everywhere when it had been
/// loaded before).
pub type ImportReport = crate::DirectoryCounts;
