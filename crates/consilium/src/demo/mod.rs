//! The demo region: a fictional Bourgogne-Franche-Comté with five resource
//! centres, ten requesting sites of the four kinds, their staff and a few
//! patients. Every identifier is valid (RPPS, INS, FINESS check digits) and
//! invented; every e-mail address is under the reserved `.test` domain so
//! that no mail can ever leave for a real person.

mod cases;
mod filing;
mod patients;
mod people;
mod region;

use consilium_domain::{
    Finess, NamePart,
    auth::{Password, TotpSecret, hash_password},
};
use consilium_store::{DirectorySeed, Store};
use jiff::Timestamp;

pub use filing::install_requests;
pub use people::DEMO_DOMAIN;

/// Every demo account's password (printed at start; demo storage only).
pub const DEMO_PASSWORD: &str = "consilium-demo";

/// The whole demo directory.
pub fn seed() -> anyhow::Result<DirectorySeed> {
    Ok(DirectorySeed {
        specialties: region::specialties()?,
        organizations: region::organizations()?,
        routes: region::routes()?,
        users: people::users()?,
        patients: patients::patients()?,
        // The demo's requests are filed like any other (`install_requests`).
        cases: Vec::new(),
    })
}

/// Loads the demo region, gives every demo account the demo password and an
/// enrolled TOTP secret (kept if they had them), and marks the storage as a
/// demo so that `user list --json` may show those secrets. The demo's
/// requests come next, with [`install_requests`] (it needs the blob store
/// and the report renderer).
pub async fn install(
    store: &Store,
    now: Timestamp,
) -> anyhow::Result<consilium_store::ImportReport> {
    let seed = seed()?;
    let report = store.import_directory(&seed, now).await?;
    // One hash for all: the demo password is the same everywhere anyway.
    let hash = hash_password(&Password::parse(DEMO_PASSWORD)?, &mut rand::rng())?;
    for user in &seed.users {
        let secret = TotpSecret::generate(&mut rand::rng());
        store
            .set_initial_credentials(&user.person.email, &hash, Some(&secret), now)
            .await?;
    }
    store.set_demo_mode().await?;
    Ok(report)
}

/// How much synthetic history the demo region carries: a year of requests
/// at about the pace of a small region (12 a working day).
pub const HISTORY: usize = 3000;
/// How many synthetic patients that history concerns.
pub const HISTORY_PATIENTS: usize = 1200;

/// Writes a year of synthetic history (ending ten days before `now`) the
/// first time, so that the dashboards are meaningful on first start; the
/// same seed gives the same history. Returns how many requests it wrote.
pub async fn install_history(store: &Store, now: Timestamp) -> anyhow::Result<usize> {
    if store.has_synthetic_history().await? {
        return Ok(0);
    }
    let plan = consilium_domain::stats::synthetic::Plan {
        seed: 2026,
        requests: HISTORY,
        patients: HISTORY_PATIENTS,
        until: now,
        days: 365,
    };
    Ok(store.insert_synthetic_history(&plan).await?)
}

/// The demo FINESS number built from an 8-digit body.
fn finess(body: &str) -> anyhow::Result<Finess> {
    Ok(Finess::from_body(body)?)
}

fn name(text: &str) -> anyhow::Result<NamePart> {
    Ok(NamePart::parse(text)?)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use consilium_domain::directory::{OrganizationKind, Role};

    use super::*;

    #[test]
    fn the_demo_region_has_what_the_issue_asks_for() {
        let seed = seed().unwrap();
        let kinds: Vec<_> = seed.organizations.iter().map(|o| o.kind).collect();
        let count = |k| kinds.iter().filter(|&&x| x == k).count();
        assert_eq!(count(OrganizationKind::ResourceCentre), 5);
        let sites = kinds.iter().filter(|k| k.is_requesting_site()).count();
        assert!((8..=12).contains(&sites), "{sites} requesting sites");
        for kind in [
            OrganizationKind::Practice,
            OrganizationKind::HealthCentre,
            OrganizationKind::NursingHome,
            OrganizationKind::DisabilityFacility,
        ] {
            assert!(count(kind) >= 1, "{kind:?}");
        }
        let dermatology_teams = seed
            .organizations
            .iter()
            .filter(|o| o.teams.iter().any(|t| t.specialty.as_str() == "394582007"))
            .count();
        assert_eq!(dermatology_teams, 5);
        let emails: HashSet<_> = seed.users.iter().map(|u| u.person.email.clone()).collect();
        assert_eq!(
            emails.len(),
            seed.users.len(),
            "e-mail addresses are unique"
        );
        assert!(emails.iter().all(|e| e.as_str().ends_with(DEMO_DOMAIN)));
        let coordinators: HashSet<_> = seed
            .users
            .iter()
            .flat_map(|u| &u.memberships)
            .filter(|m| m.role == Role::Coordinator)
            .map(|m| format!("{:?}", m.organization))
            .collect();
        assert_eq!(coordinators.len(), 5, "a coordinator per centre");
        assert!(seed.patients.len() >= 6);
    }
}
