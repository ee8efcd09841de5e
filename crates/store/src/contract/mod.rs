//! The contract every backend passes: each function takes a fresh, empty
//! store and panics on a violation. The integration tests run all of them
//! on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod access;
mod auth;
mod drafts;
mod expertise;
mod jobs;
mod records;
mod requests;
mod stats;

pub use access::*;
pub use auth::*;
pub use drafts::*;
pub use expertise::*;
pub use jobs::*;
pub use records::*;
pub use requests::*;
pub use stats::*;

use consilium_domain::{
    Email, Finess, Ins, NamePart, Rpps,
    directory::{
        DirectoryError, OrganizationKind, Profession, ResponseTarget, Role, SpecialtyCode,
    },
    patient::{IdentityStatus, Sex},
};
use jiff::Timestamp;

use crate::{
    DirectoryCounts, DirectorySeed, NewMembership, NewOrganization, NewPatient, NewPerson, NewUser,
    OrgKey, Practitioner, SeedOrganization, SeedPatient, SeedRoute, SeedTeam, Specialty, Store,
    StoreError,
};

/// Every contract test, by name, for the backends' test harnesses.
#[macro_export]
macro_rules! for_each_contract_test {
    ($callback:ident) => {
        $callback!(
            import_twice_adds_nothing,
            values_round_trip,
            failed_import_writes_nothing,
            create_user_resolves_roles,
            unknown_organization_is_refused_and_nothing_written,
            taken_rpps_is_a_conflict_and_nothing_written,
            membership_rules_are_enforced,
            duplicate_finess_is_a_conflict,
            password_then_totp_signs_in,
            a_totp_code_works_once,
            sign_in_throttling_slows_guessers_not_the_owner,
            unknown_accounts_get_the_same_answer,
            first_sign_in_enrols_a_second_factor,
            sessions_end_when_idle_or_too_old,
            password_change_ends_other_sessions_and_tokens,
            tokens_act_as_their_user_until_revoked_or_expired,
            admins_manage_their_organisation_only,
            requesters_of_different_sites_cannot_see_each_other,
            regional_admin_sees_no_case,
            listed_cases_match_the_policy_table,
            every_access_is_audited_and_the_chain_verifies,
            a_request_is_drafted_then_submitted_once,
            the_same_key_makes_one_request,
            patients_are_the_sites_or_new,
            photos_are_attached_from_ones_own_uploads,
            draft_photos_are_described_and_removed_by_their_requester_only,
            a_draft_is_deleted_with_its_photos_by_its_requester_only,
            the_expert_path_with_a_stopped_clock_and_versioned_reports,
            concurrent_takes_make_one_owner,
            a_job_is_leased_to_one_node_at_a_time,
            a_failing_job_backs_off_then_gives_up,
            concurrent_claimers_never_share_a_job,
            deadline_reminders_follow_the_clock_across_dst_and_wait_on_hold,
            dashboards_and_billing_match_a_hand_computed_year,
            synthetic_history_fills_a_year,
            bulk_reads_follow_the_policy_table,
            every_step_is_a_version_kept_in_the_history,
            saved_searches_are_their_owners_and_expire,
            concurrent_conditional_creates_make_one_patient,
            the_audit_trail_is_searched_by_its_auditors_only,
        );
    };
}

pub(crate) fn now() -> Timestamp {
    "2026-11-23T08:30:00Z".parse().unwrap()
}

pub(crate) fn name(s: &str) -> NamePart {
    NamePart::parse(s).unwrap()
}

pub(crate) const CENTRE: &str = "21990001";
pub(crate) const SITE: &str = "21990101";
pub(crate) const OTHER_SITE: &str = "25990101";
pub(crate) const AGENCY: &str = "21990099";

pub(crate) fn finess(body: &str) -> Finess {
    Finess::from_body(body).unwrap()
}

pub(crate) fn dermatology() -> SpecialtyCode {
    SpecialtyCode::parse(SpecialtyCode::DERMATOLOGY).unwrap()
}

pub(crate) fn person(email: &str, rpps_body: Option<&str>) -> NewPerson {
    NewPerson {
        email: Email::parse(email).unwrap(),
        given_names: name("Anaïs"),
        family_name: name("Lefèvre-Dupont"),
        practitioner: rpps_body.map(|body| Practitioner {
            profession: Profession::Doctor,
            rpps: Rpps::from_body(body).unwrap(),
        }),
    }
}

pub(crate) fn membership(org: &str, role: Role, specialty: Option<SpecialtyCode>) -> NewMembership {
    NewMembership {
        organization: OrgKey::Finess(finess(org)),
        role,
        specialty,
    }
}

/// A small region: one centre with a dermatology team, one practice, a route,
/// an expert, a requester, a coordinator and a patient.
pub fn small_seed() -> DirectorySeed {
    DirectorySeed {
        specialties: vec![Specialty {
            code: dermatology(),
            name_fr: "Dermatologie".into(),
            name_en: "Dermatology".into(),
        }],
        organizations: vec![
            SeedOrganization {
                kind: OrganizationKind::ResourceCentre,
                name: name("CHU Dijon Bourgogne"),
                finess: finess(CENTRE),
                city: name("Dijon"),
                teams: vec![SeedTeam {
                    specialty: dermatology(),
                    name: name("Dermatologie — CHU Dijon"),
                    response_target: ResponseTarget::from_hours(72).unwrap(),
                }],
            },
            SeedOrganization {
                kind: OrganizationKind::NursingHome,
                name: name("EHPAD Les Tilleuls"),
                finess: finess(SITE),
                city: name("Montbard"),
                teams: vec![],
            },
        ],
        routes: vec![SeedRoute {
            site: finess(SITE),
            centre: finess(CENTRE),
            specialty: dermatology(),
        }],
        users: vec![
            NewUser {
                person: person("expert@demo.test", Some("1099000001")),
                memberships: vec![membership(CENTRE, Role::Expert, Some(dermatology()))],
            },
            NewUser {
                person: person("requester@demo.test", Some("1099000002")),
                memberships: vec![
                    membership(SITE, Role::Requester, None),
                    membership(SITE, Role::OrgAdmin, None),
                ],
            },
            NewUser {
                person: person("coordination@demo.test", None),
                memberships: vec![membership(CENTRE, Role::Coordinator, None)],
            },
        ],
        patients: vec![SeedPatient {
            patient: NewPatient {
                ins: Some(Ins::from_nir("2350121425009").unwrap()),
                birth_family_name: name("Bailly"),
                first_names: name("Odette Émilienne"),
                birth_date: "1935-01-17".parse().unwrap(),
                sex: Sex::Female,
                identity_status: IdentityStatus::Qualifiee,
            },
            sites: vec![finess(SITE)],
        }],
        cases: vec![],
    }
}

const SMALL_SEED_COUNTS: DirectoryCounts = DirectoryCounts {
    specialties: 1,
    organizations: 2,
    teams: 1,
    routes: 1,
    people: 3,
    memberships: 4,
    patients: 1,
    patient_sites: 1,
    cases: 0,
};

pub async fn import_twice_adds_nothing(store: Store) {
    let first = store.import_directory(&small_seed(), now()).await.unwrap();
    assert_eq!(
        (
            first.organizations,
            first.teams,
            first.people,
            first.memberships
        ),
        (2, 1, 3, 4)
    );
    assert_eq!(store.counts().await.unwrap(), SMALL_SEED_COUNTS);
    let users_before = store.users().await.unwrap();
    let second = store.import_directory(&small_seed(), now()).await.unwrap();
    assert!(second.is_empty(), "second import added {second:?}");
    assert_eq!(store.counts().await.unwrap(), SMALL_SEED_COUNTS);
    assert_eq!(store.users().await.unwrap(), users_before);
}

pub async fn values_round_trip(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let centre = store
        .organization(&OrgKey::Finess(finess(CENTRE)))
        .await
        .unwrap();
    assert_eq!(centre.kind, OrganizationKind::ResourceCentre);
    assert_eq!(centre.city.as_ref().map(NamePart::as_str), Some("Dijon"));
    assert_eq!(centre.created_at, now());
    assert!(!centre.sharing_enabled);
    assert_eq!(
        store.organization(&OrgKey::Id(centre.id)).await.unwrap(),
        centre
    );
    let teams = store.teams().await.unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].organization_id, centre.id);
    assert_eq!(teams[0].response_target.hours(), 72);
    let users = store.users().await.unwrap();
    let expert = users
        .iter()
        .find(|u| u.person.email.as_str() == "expert@demo.test")
        .unwrap();
    assert_eq!(expert.person.family_name.as_str(), "Lefèvre-Dupont");
    assert_eq!(
        expert.person.practitioner.as_ref().unwrap().rpps,
        Rpps::from_body("1099000001").unwrap()
    );
    assert_eq!(expert.memberships.len(), 1);
    assert_eq!(expert.memberships[0].team_id, Some(teams[0].id));
    assert_eq!(expert.memberships[0].specialty, Some(dermatology()));
    assert_eq!(
        expert.memberships[0].organization_name.as_str(),
        "CHU Dijon Bourgogne"
    );
    let coordinator = users
        .iter()
        .find(|u| u.person.email.as_str() == "coordination@demo.test")
        .unwrap();
    assert_eq!(coordinator.person.practitioner, None);
    let specialties = store.specialties().await.unwrap();
    assert_eq!(specialties[0].name_fr, "Dermatologie");
}

pub async fn failed_import_writes_nothing(store: Store) {
    let mut seed = small_seed();
    seed.routes.push(SeedRoute {
        site: finess(SITE),
        centre: finess("25990001"),
        specialty: dermatology(),
    });
    let err = store.import_directory(&seed, now()).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                what: "organisation",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), DirectoryCounts::default());
}

pub async fn create_user_resolves_roles(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let new = NewUser {
        person: person("second.expert@demo.test", Some("1099000003")),
        memberships: vec![
            membership(CENTRE, Role::Expert, Some(dermatology())),
            membership(CENTRE, Role::Coordinator, None),
        ],
    };
    let created = store.create_user(&new, None, now()).await.unwrap();
    let roles: Vec<Role> = created.memberships.iter().map(|m| m.role).collect();
    assert_eq!(roles.len(), 2);
    assert!(roles.contains(&Role::Expert) && roles.contains(&Role::Coordinator));
    assert_eq!(store.users().await.unwrap().len(), 4);
    let again = store.create_user(&new, None, now()).await.unwrap_err();
    assert!(
        matches!(
            again,
            StoreError::Conflict {
                what: "utilisateur",
                ..
            }
        ),
        "{again}"
    );
}

pub async fn unknown_organization_is_refused_and_nothing_written(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let before = store.counts().await.unwrap();
    let new = NewUser {
        person: person("nobody@demo.test", Some("1099000004")),
        memberships: vec![membership("58990001", Role::Requester, None)],
    };
    let err = store.create_user(&new, None, now()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(err.is_client_error());
    assert_eq!(store.counts().await.unwrap(), before);
}

pub async fn taken_rpps_is_a_conflict_and_nothing_written(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let before = store.counts().await.unwrap();
    let new = NewUser {
        person: person("same.rpps@demo.test", Some("1099000001")),
        memberships: vec![membership(SITE, Role::Requester, None)],
    };
    let err = store.create_user(&new, None, now()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { what: "RPPS", .. }),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

pub async fn membership_rules_are_enforced(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let before = store.counts().await.unwrap();
    let cases = [
        // An expert at a nursing home.
        (
            membership(SITE, Role::Expert, Some(dermatology())),
            Some("1099000005"),
        ),
        // An expert without a team.
        (membership(CENTRE, Role::Expert, None), Some("1099000006")),
        // A requester without RPPS.
        (membership(SITE, Role::Requester, None), None),
    ];
    for (index, (m, rpps)) in cases.into_iter().enumerate() {
        let new = NewUser {
            person: person(&format!("rule{index}@demo.test"), rpps),
            memberships: vec![m],
        };
        let err = store.create_user(&new, None, now()).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Rule(_) | StoreError::NotFound { .. }),
            "case {index}: {err}"
        );
    }
    let no_role = NewUser {
        person: person("norole@demo.test", None),
        memberships: vec![],
    };
    let err = store.create_user(&no_role, None, now()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Rule(DirectoryError::NoRole)),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}

pub async fn duplicate_finess_is_a_conflict(store: Store) {
    let new = NewOrganization {
        kind: OrganizationKind::Practice,
        name: name("Cabinet médical du Morvan"),
        finess: Some(finess(SITE)),
        city: Some(name("Saulieu")),
    };
    let created = store.create_organization(&new, now()).await.unwrap();
    assert_eq!(created.name.as_str(), "Cabinet médical du Morvan");
    let err = store.create_organization(&new, now()).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                what: "organisation",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(store.organizations().await.unwrap().len(), 1);
}
