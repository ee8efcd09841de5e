//! The region's directory in FHIR: `Practitioner` (RPPS as IDNPS),
//! `PractitionerRole`, `Organization` (FINESS as IDNST) and
//! `HealthcareService` (a specialty team). No contact details: the
//! directory says who is who, not how to reach them outside Consilium.

use consilium_domain::directory::{OrganizationKind, Profession, Role, SpecialtyCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::request::SNOMED;

/// IDNPS (FR Core): `8` followed by the RPPS number.
pub const IDNPS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.1";
/// IDNST (FR Core): `1` followed by the FINESS number.
pub const IDNST_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.2";
/// The FINESS number itself.
pub const FINESS_SYSTEM: &str = "http://finess.sante.gouv.fr";
const IDENTIFIER_TYPE: &str = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203";
const PROFESSION: &str = "https://consilium.health/fhir/CodeSystem/profession";
const ROLE: &str = "https://consilium.health/fhir/CodeSystem/role";
const ORGANIZATION_KIND: &str = "https://consilium.health/fhir/CodeSystem/organization-kind";

/// A person of the directory.
#[derive(Debug, Clone)]
pub struct PersonFacts {
    /// Id.
    pub id: Uuid,
    /// Given names.
    pub given: String,
    /// Family name.
    pub family: String,
    /// Profession and RPPS, for a practitioner.
    pub practitioner: Option<(Profession, String)>,
    /// Still active.
    pub active: bool,
}

/// `Practitioner`.
pub fn practitioner(p: &PersonFacts) -> Value {
    let mut resource = json!({
        "resourceType": "Practitioner",
        "id": p.id,
        "active": p.active,
        "name": [{ "use": "official", "family": p.family, "given": p.given.split(' ').collect::<Vec<_>>() }],
    });
    if let Some((profession, rpps)) = &p.practitioner {
        resource["identifier"] = json!([{
            "type": { "coding": [{ "system": IDENTIFIER_TYPE, "code": "IDNPS" }] },
            "system": IDNPS_SYSTEM,
            "value": format!("8{rpps}"),
        }]);
        resource["qualification"] = json!([{ "code": {
            "coding": [{ "system": PROFESSION, "code": profession.code(), "display": profession.label_fr() }],
            "text": profession.label_fr(),
        } }]);
    }
    resource
}

/// A role of a person.
#[derive(Debug, Clone)]
pub struct RoleFacts {
    /// The membership's id.
    pub id: Uuid,
    /// Who.
    pub person_id: Uuid,
    /// Still active.
    pub active: bool,
    /// Where.
    pub organization_id: Uuid,
    /// Its name.
    pub organization_name: String,
    /// What.
    pub role: Role,
    /// In which team.
    pub team_id: Option<Uuid>,
    /// The team's specialty.
    pub specialty: Option<SpecialtyCode>,
}

/// `PractitionerRole`.
pub fn practitioner_role(r: &RoleFacts) -> Value {
    let mut resource = json!({
        "resourceType": "PractitionerRole",
        "id": r.id,
        "active": r.active,
        "practitioner": { "reference": format!("Practitioner/{}", r.person_id) },
        "organization": { "reference": format!("Organization/{}", r.organization_id), "display": r.organization_name },
        "code": [{ "coding": [{ "system": ROLE, "code": r.role.code(), "display": r.role.label_fr() }] }],
    });
    if let Some(team) = r.team_id {
        resource["healthcareService"] =
            json!([{ "reference": format!("HealthcareService/{team}") }]);
    }
    if let Some(specialty) = &r.specialty {
        resource["specialty"] =
            json!([{ "coding": [{ "system": SNOMED, "code": specialty.as_str() }] }]);
    }
    resource
}

/// An organisation.
#[derive(Debug, Clone)]
pub struct OrganizationFacts {
    /// Id.
    pub id: Uuid,
    /// What it is.
    pub kind: OrganizationKind,
    /// Name.
    pub name: String,
    /// FINESS.
    pub finess: Option<String>,
    /// Town.
    pub city: Option<String>,
}

/// `Organization`.
pub fn organization(o: &OrganizationFacts) -> Value {
    let mut resource = json!({
        "resourceType": "Organization",
        "id": o.id,
        "active": true,
        "type": [{ "coding": [{ "system": ORGANIZATION_KIND, "code": o.kind.code(), "display": o.kind.label_fr() }] }],
        "name": o.name,
    });
    if let Some(finess) = &o.finess {
        resource["identifier"] = json!([
            { "type": { "coding": [{ "system": IDENTIFIER_TYPE, "code": "IDNST" }] }, "system": IDNST_SYSTEM, "value": format!("1{finess}") },
            { "system": FINESS_SYSTEM, "value": finess },
        ]);
    }
    if let Some(city) = &o.city {
        resource["address"] = json!([{ "city": city, "country": "FR" }]);
    }
    resource
}

/// A specialty team.
#[derive(Debug, Clone)]
pub struct TeamFacts {
    /// Id.
    pub id: Uuid,
    /// Its resource centre.
    pub organization_id: Uuid,
    /// Name.
    pub name: String,
    /// Specialty.
    pub specialty: SpecialtyCode,
    /// Its answer target, in hours.
    pub response_target_hours: u32,
}

/// `HealthcareService`.
pub fn healthcare_service(t: &TeamFacts) -> Value {
    json!({
        "resourceType": "HealthcareService",
        "id": t.id,
        "active": true,
        "providedBy": { "reference": format!("Organization/{}", t.organization_id) },
        "specialty": [{ "coding": [{ "system": SNOMED, "code": t.specialty.as_str() }] }],
        "name": t.name,
        "comment": format!("Réponse visée sous {} h / answer within {} h", t.response_target_hours, t.response_target_hours),
    })
}
