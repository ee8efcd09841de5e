//! The directory's use cases, written once for every backend.

use std::collections::BTreeMap;

use consilium_domain::directory::{DirectoryError, OrganizationKind, TeamChoice, check_membership};
use jiff::Timestamp;
use uuid::Uuid;

use crate::{
    DirectoryCounts, DirectorySeed, ImportReport, NewOrganization, NewUser, OrgKey, Organization,
    Specialty, Store, StoreError, Team, Tx, UserSummary,
};

impl Store {
    /// "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        self.backend().name()
    }

    /// Checks the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.backend().ping().await
    }

    /// Loads a whole directory; what exists already (same FINESS, e-mail,
    /// INS…) is left as it is, so loading twice adds nothing.
    pub async fn import_directory(
        &self,
        seed: &DirectorySeed,
        now: Timestamp,
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.backend().begin().await?;
        let mut report = ImportReport::default();
        for specialty in &seed.specialties {
            report.specialties += u64::from(tx.insert_specialty(specialty).await?);
        }
        for org in &seed.organizations {
            let new = NewOrganization {
                kind: org.kind,
                name: org.name.clone(),
                finess: Some(org.finess.clone()),
                city: Some(org.city.clone()),
            };
            report.organizations +=
                u64::from(tx.insert_organization(Uuid::now_v7(), &new, now).await?);
            let stored = existing_org(tx.as_mut(), &OrgKey::Finess(org.finess.clone())).await?;
            for team in &org.teams {
                if stored.kind != OrganizationKind::ResourceCentre {
                    return Err(DirectoryError::TeamOutsideCentre.into());
                }
                report.teams += u64::from(tx.insert_team(Uuid::now_v7(), stored.id, team).await?);
            }
        }
        for route in &seed.routes {
            let site = existing_org(tx.as_mut(), &OrgKey::Finess(route.site.clone())).await?;
            let centre = existing_org(tx.as_mut(), &OrgKey::Finess(route.centre.clone())).await?;
            if !site.kind.is_requesting_site() {
                return Err(DirectoryError::InvalidRoute.into());
            }
            let team = existing_team(tx.as_mut(), &centre, &route.specialty).await?;
            report.routes += u64::from(tx.insert_route(site.id, team.id).await?);
        }
        for user in &seed.users {
            let (person_added, memberships_added) =
                add_user(tx.as_mut(), user, now, IfExists::AddRoles).await?;
            report.people += u64::from(person_added);
            report.memberships += memberships_added;
        }
        for seeded in &seed.patients {
            let ins =
                seeded.patient.ins.as_ref().ok_or_else(|| {
                    StoreError::internal("a seed patient needs an INS to be its key")
                })?;
            report.patients += u64::from(
                tx.insert_patient(Uuid::now_v7(), &seeded.patient, now)
                    .await?,
            );
            let patient_id = tx
                .patient_by_ins(ins)
                .await?
                .ok_or_else(|| StoreError::internal("patient missing right after insert"))?;
            for site in &seeded.sites {
                let site = existing_org(tx.as_mut(), &OrgKey::Finess(site.clone())).await?;
                report.patient_sites += u64::from(tx.link_patient_site(patient_id, site.id).await?);
            }
        }
        for case in &seed.cases {
            report.cases += u64::from(import_case(tx.as_mut(), case).await?);
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Adds an organisation; refused if its FINESS is already known.
    pub async fn create_organization(
        &self,
        new: &NewOrganization,
        now: Timestamp,
    ) -> Result<Organization, StoreError> {
        let mut tx = self.backend().begin().await?;
        let id = Uuid::now_v7();
        if !tx.insert_organization(id, new, now).await? {
            return Err(StoreError::Conflict {
                what: "organisation",
                key: new
                    .finess
                    .as_ref()
                    .map_or_else(|| new.name.to_string(), |f| format!("FINESS {f}")),
            });
        }
        let org = existing_org(tx.as_mut(), &OrgKey::Id(id)).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Finds an organisation by id or FINESS.
    pub async fn organization(&self, key: &OrgKey) -> Result<Organization, StoreError> {
        let mut tx = self.backend().begin().await?;
        existing_org(tx.as_mut(), key).await
    }

    /// Every organisation, by name.
    pub async fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        self.backend().begin().await?.organizations().await
    }

    /// Every specialty, by French name.
    pub async fn specialties(&self) -> Result<Vec<Specialty>, StoreError> {
        self.backend().begin().await?.specialties().await
    }

    /// Every team, by name.
    pub async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.backend().begin().await?.teams().await
    }

    /// Adds a user with their roles. Refused, with nothing written, when the
    /// e-mail address or RPPS is taken, an organisation or team is unknown,
    /// or a role does not fit (see [`check_membership`]).
    ///
    /// With `password_hash` (argon2id), the user can sign in with it and
    /// enrols a second factor at first sign-in; both are written together.
    pub async fn create_user(
        &self,
        user: &NewUser,
        password_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<UserSummary, StoreError> {
        let mut tx = self.backend().begin().await?;
        add_user(tx.as_mut(), user, now, IfExists::Refuse).await?;
        if let Some(hash) = password_hash {
            let person = tx
                .person_by_email(&user.person.email)
                .await?
                .ok_or_else(|| StoreError::internal("user missing right after insert"))?;
            tx.insert_credentials(person.id, hash, None, now).await?;
        }
        let created = users_in(tx.as_mut())
            .await?
            .into_iter()
            .find(|u| u.person.email == user.person.email)
            .ok_or_else(|| StoreError::internal("user missing right after insert"))?;
        tx.commit().await?;
        Ok(created)
    }

    /// Every user with their roles, by family name.
    pub async fn users(&self) -> Result<Vec<UserSummary>, StoreError> {
        let mut tx = self.backend().begin().await?;
        users_in(tx.as_mut()).await
    }

    /// How many rows each directory table holds.
    pub async fn counts(&self) -> Result<DirectoryCounts, StoreError> {
        self.backend().begin().await?.counts().await
    }
}

/// What to do when a user's e-mail address is known already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IfExists {
    /// Refuse (creating a user by hand).
    Refuse,
    /// Keep the person, add the roles they lack (loading a seed).
    AddRoles,
}

/// Adds a user and their roles; says whether the person was new and how
/// many roles were added. Every check runs before the first write.
async fn add_user(
    tx: &mut dyn Tx,
    user: &NewUser,
    now: Timestamp,
    if_exists: IfExists,
) -> Result<(bool, u64), StoreError> {
    if user.memberships.is_empty() {
        return Err(DirectoryError::NoRole.into());
    }
    let profession = user.person.practitioner.as_ref().map(|p| p.profession);
    let mut resolved = Vec::with_capacity(user.memberships.len());
    for membership in &user.memberships {
        let org = existing_org(tx, &membership.organization).await?;
        let team = match &membership.specialty {
            Some(specialty) => Some(existing_team(tx, &org, specialty).await?),
            None => None,
        };
        let choice = if team.is_some() {
            TeamChoice::OfThisOrganization
        } else {
            TeamChoice::None
        };
        check_membership(org.kind, membership.role, profession, choice)?;
        resolved.push((org.id, membership.role, team.map(|t| t.id)));
    }
    let (person_id, person_added) = match tx.person_by_email(&user.person.email).await? {
        Some(_) if if_exists == IfExists::Refuse => {
            return Err(StoreError::Conflict {
                what: "utilisateur",
                key: user.person.email.to_string(),
            });
        }
        Some(existing) => (existing.id, false),
        None => {
            let id = Uuid::now_v7();
            if !tx.insert_person(id, &user.person, now).await? {
                // The e-mail address is free, so the RPPS is the clash.
                let rpps = user
                    .person
                    .practitioner
                    .as_ref()
                    .map(|p| p.rpps.to_string());
                return Err(StoreError::Conflict {
                    what: "RPPS",
                    key: rpps.unwrap_or_default(),
                });
            }
            (id, true)
        }
    };
    let mut added = 0;
    for (org_id, role, team_id) in resolved {
        added += u64::from(
            tx.insert_membership(person_id, org_id, role, team_id)
                .await?,
        );
    }
    Ok((person_added, added))
}

async fn import_case(tx: &mut dyn Tx, case: &crate::SeedCase) -> Result<bool, StoreError> {
    let missing = |what: &'static str, key: String| StoreError::NotFound { what, key };
    let patient_id = tx
        .patient_by_ins(&case.patient)
        .await?
        .ok_or_else(|| missing("patient", case.patient.to_string()))?;
    let requester = tx
        .person_by_email(&case.requester)
        .await?
        .ok_or_else(|| missing("utilisateur", case.requester.to_string()))?;
    let site = existing_org(tx, &OrgKey::Finess(case.site.clone())).await?;
    let centre = existing_org(tx, &OrgKey::Finess(case.centre.clone())).await?;
    let team = existing_team(tx, &centre, &case.specialty).await?;
    let new = crate::cases::NewCase {
        reference: case.reference.clone(),
        patient_id,
        requester_id: requester.id,
        site_id: site.id,
        team_id: team.id,
        status: case.status.clone(),
        priority: "routine".to_owned(),
        created_at: case.created_at,
        idempotency_key: None,
    };
    tx.insert_case(Uuid::now_v7(), &new).await
}

pub(crate) async fn users_in(tx: &mut dyn Tx) -> Result<Vec<UserSummary>, StoreError> {
    let mut by_person: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
    for membership in tx.memberships().await? {
        by_person
            .entry(membership.person_id)
            .or_default()
            .push(membership);
    }
    Ok(tx
        .people()
        .await?
        .into_iter()
        .map(|person| UserSummary {
            memberships: by_person.remove(&person.id).unwrap_or_default(),
            person,
        })
        .collect())
}

pub(crate) async fn existing_person(
    tx: &mut dyn Tx,
    email: &consilium_domain::Email,
) -> Result<crate::Person, StoreError> {
    tx.person_by_email(email)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "utilisateur",
            key: email.to_string(),
        })
}

pub(crate) async fn existing_org(
    tx: &mut dyn Tx,
    key: &OrgKey,
) -> Result<Organization, StoreError> {
    tx.organization(key)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "organisation",
            key: key.to_string(),
        })
}

pub(crate) async fn existing_team(
    tx: &mut dyn Tx,
    org: &Organization,
    specialty: &consilium_domain::directory::SpecialtyCode,
) -> Result<Team, StoreError> {
    tx.team(org.id, specialty)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "équipe",
            key: format!("{specialty} @ {}", org.name),
        })
}
