//! The region's directory: `Practitioner`, `PractitionerRole`,
//! `Organization`, `HealthcareService`, for every signed-in professional.
//! It holds no patient data (reads are not audited) and no contact details.

use consilium_fhir::{
    directory::{
        OrganizationFacts, PersonFacts, RoleFacts, TeamFacts, healthcare_service, organization,
        practitioner, practitioner_role,
    },
    meta::{content_version, stamp},
};
use jiff::Timestamp;
use serde_json::Value;

use crate::{AppState, routes::fhir::FhirError};

/// The directory, read once per request.
#[derive(Debug)]
pub(super) struct Directory {
    resources: Vec<Value>,
}

fn stamped(mut resource: Value, updated: Timestamp) -> Value {
    let version = content_version(&resource);
    stamp(&mut resource, &version, updated);
    resource
}

impl Directory {
    pub(super) async fn load(state: &AppState) -> Result<Self, FhirError> {
        let users = state.store.users().await?;
        let organizations = state.store.organizations().await?;
        let teams = state.store.teams().await?;
        let created = |org: uuid::Uuid| {
            organizations
                .iter()
                .find(|o| o.id == org)
                .map_or(Timestamp::UNIX_EPOCH, |o| o.created_at)
        };
        let mut resources = Vec::new();
        for user in &users {
            let p = &user.person;
            let changed = p.updated_at.unwrap_or(p.created_at);
            resources.push(stamped(
                practitioner(&PersonFacts {
                    id: p.id,
                    given: p.given_names.to_string(),
                    family: p.family_name.to_string(),
                    practitioner: p
                        .practitioner
                        .as_ref()
                        .map(|x| (x.profession, x.rpps.to_string())),
                    active: p.active,
                }),
                changed,
            ));
            for m in &user.memberships {
                resources.push(stamped(
                    practitioner_role(&RoleFacts {
                        id: m.id,
                        person_id: p.id,
                        active: p.active,
                        organization_id: m.organization_id,
                        organization_name: m.organization_name.to_string(),
                        role: m.role,
                        team_id: m.team_id,
                        specialty: m.specialty.clone(),
                    }),
                    changed.max(created(m.organization_id)),
                ));
            }
        }
        for o in &organizations {
            resources.push(stamped(
                organization(&OrganizationFacts {
                    id: o.id,
                    kind: o.kind,
                    name: o.name.to_string(),
                    finess: o.finess.as_ref().map(ToString::to_string),
                    city: o.city.as_ref().map(ToString::to_string),
                }),
                o.created_at,
            ));
        }
        for t in &teams {
            resources.push(stamped(
                healthcare_service(&TeamFacts {
                    id: t.id,
                    organization_id: t.organization_id,
                    name: t.name.to_string(),
                    specialty: t.specialty.clone(),
                    response_target_hours: t.response_target.hours(),
                }),
                created(t.organization_id),
            ));
        }
        Ok(Self { resources })
    }

    /// The resources of one type.
    pub(super) fn of_type(&self, resource_type: &str) -> Vec<Value> {
        self.resources
            .iter()
            .filter(|r| r["resourceType"] == resource_type)
            .cloned()
            .collect()
    }
}
