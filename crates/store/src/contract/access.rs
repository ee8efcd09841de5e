//! The access policy and the audit trail, on every backend.

use consilium_domain::{
    Ins,
    access::CaseAction,
    directory::{OrganizationKind, Role},
    patient::{IdentityStatus, Sex},
};
use uuid::Uuid;

use super::{
    AGENCY, CENTRE, OTHER_SITE, SITE,
    auth::{actor, credentials, sign_in_at},
    dermatology, finess, membership, name, now, person, small_seed,
};
use crate::{
    DirectorySeed, NewPatient, NewUser, SeedCase, SeedOrganization, SeedPatient, Store, StoreError,
    audit::AuditVerification, auth::Actor,
};

const CASE_A: &str = "TE-TEST-A";
const CASE_B: &str = "TE-TEST-B";

/// The small seed, plus a second site with its own requester and case, a
/// colleague at the first site, and the regional agency with its admin.
pub fn access_seed() -> DirectorySeed {
    let mut seed = small_seed();
    seed.organizations.push(SeedOrganization {
        kind: OrganizationKind::Practice,
        name: name("Cabinet médical des Docteurs Roche"),
        finess: finess(OTHER_SITE),
        city: name("Pontarlier"),
        teams: vec![],
    });
    seed.organizations.push(SeedOrganization {
        kind: OrganizationKind::RegionalAgency,
        name: name("ARS"),
        finess: finess(AGENCY),
        city: name("Dijon"),
        teams: vec![],
    });
    for (address, rpps, org, role) in [
        (
            "other.requester@demo.test",
            Some("1099000010"),
            OTHER_SITE,
            Role::Requester,
        ),
        (
            "colleague@demo.test",
            Some("1099000011"),
            SITE,
            Role::Requester,
        ),
        ("ars@demo.test", None, AGENCY, Role::RegionalAdmin),
    ] {
        seed.users.push(NewUser {
            person: person(address, rpps),
            memberships: vec![membership(org, role, None)],
        });
    }
    seed.patients.push(SeedPatient {
        patient: NewPatient {
            ins: Some(Ins::from_nir("1580925462118").unwrap()),
            birth_family_name: name("Vuillemin"),
            first_names: name("Bernard"),
            birth_date: "1958-09-03".parse().unwrap(),
            sex: Sex::Male,
            identity_status: IdentityStatus::Qualifiee,
        },
        sites: vec![finess(OTHER_SITE)],
    });
    let case = |reference: &str, nir: &str, requester: &str, site: &str| SeedCase {
        reference: reference.into(),
        patient: Ins::from_nir(nir).unwrap(),
        requester: super::auth::email(requester),
        site: finess(site),
        centre: finess(CENTRE),
        specialty: dermatology(),
        status: "requested".into(),
        created_at: now(),
    };
    seed.cases = vec![
        case(CASE_A, "2350121425009", "requester@demo.test", SITE),
        case(
            CASE_B,
            "1580925462118",
            "other.requester@demo.test",
            OTHER_SITE,
        ),
    ];
    seed
}

async fn signed_in(store: &Store, address: &str) -> Actor {
    let secret = credentials(store, address, true).await.unwrap();
    let token = sign_in_at(store, address, &secret, now()).await;
    actor(store, &token, now()).await
}

async fn case_id(store: &Store, reference: &str) -> Uuid {
    store
        .all_cases_unaudited()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.reference == reference)
        .unwrap()
        .id
}

fn not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::NotFound { .. }))
}

pub async fn requesters_of_different_sites_cannot_see_each_other(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let a = signed_in(&store, "requester@demo.test").await;
    let b = signed_in(&store, "other.requester@demo.test").await;
    let (case_a, case_b) = (case_id(&store, CASE_A).await, case_id(&store, CASE_B).await);
    assert_eq!(
        store.case(&a, case_a, now()).await.unwrap().reference,
        CASE_A
    );
    assert_eq!(
        store.case(&b, case_b, now()).await.unwrap().reference,
        CASE_B
    );
    assert!(not_found(store.case(&a, case_b, now()).await));
    assert!(not_found(store.case(&b, case_a, now()).await));
    assert!(
        not_found(store.case(&a, Uuid::now_v7(), now()).await),
        "a missing case looks the same"
    );
    let listed: Vec<String> = store
        .cases(&a, now())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reference)
        .collect();
    assert_eq!(listed, vec![CASE_A.to_owned()]);
    let colleague = signed_in(&store, "colleague@demo.test").await;
    assert!(
        not_found(store.case(&colleague, case_a, now()).await),
        "no sharing: the colleague does not see it"
    );
    let expert = signed_in(&store, "expert@demo.test").await;
    assert_eq!(
        store.cases(&expert, now()).await.unwrap().len(),
        2,
        "the team's expert sees both"
    );
}

pub async fn regional_admin_sees_no_case(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let ars = signed_in(&store, "ars@demo.test").await;
    assert!(ars.caller.is_regional_admin());
    for reference in [CASE_A, CASE_B] {
        assert!(not_found(
            store
                .case(&ars, case_id(&store, reference).await, now())
                .await
        ));
    }
    assert!(store.cases(&ars, now()).await.unwrap().is_empty());
    assert!(
        not_found(store.audit_trail(&ars, 10).await),
        "and no organisation's audit trail"
    );
}

pub async fn listed_cases_match_the_policy_table(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let all = store.all_cases_unaudited().await.unwrap();
    for user in store.users().await.unwrap() {
        let actor = signed_in(&store, user.person.email.as_str()).await;
        let mut listed: Vec<Uuid> = store
            .cases(&actor, now())
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut allowed: Vec<Uuid> = all
            .iter()
            .filter(|c| actor.caller.may(CaseAction::Read, &c.parties))
            .map(|c| c.id)
            .collect();
        listed.sort();
        allowed.sort();
        assert_eq!(listed, allowed, "{}", user.person.email);
    }
}

pub async fn admins_manage_their_organisation_only(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let admin = signed_in(&store, "requester@demo.test").await; // org admin of SITE
    let colleague = signed_in(&store, "colleague@demo.test").await;
    let outsider = signed_in(&store, "expert@demo.test").await;
    assert!(not_found(
        store
            .reset_second_factor(&admin, outsider.person.id, now())
            .await
    ));
    assert!(not_found(
        store.deactivate(&admin, outsider.person.id, now()).await
    ));
    assert!(not_found(
        store
            .deactivate(&outsider, colleague.person.id, now())
            .await
    ));
    let managed: Vec<String> = store
        .managed_users(&admin)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.person.email.to_string())
        .collect();
    assert!(managed.contains(&"colleague@demo.test".to_owned()));
    assert!(!managed.contains(&"expert@demo.test".to_owned()));
    store
        .deactivate(&admin, colleague.person.id, now())
        .await
        .unwrap();
    let err = store
        .sign_in(
            "colleague@demo.test",
            super::auth::PASSWORD,
            &super::auth::client("10.0.0.1"),
            None,
            now(),
        )
        .await;
    assert!(err.is_err(), "a deactivated person cannot sign in");
}

pub async fn every_access_is_audited_and_the_chain_verifies(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap(),
        AuditVerification::Intact { records: 0 }
    );
    let a = signed_in(&store, "requester@demo.test").await;
    let coordinator = signed_in(&store, "coordination@demo.test").await;
    let case_b = case_id(&store, CASE_B).await;
    assert!(not_found(store.case(&a, case_b, now()).await));
    store.case(&coordinator, case_b, now()).await.unwrap();
    let verification = store.verify_audit().await.unwrap();
    let AuditVerification::Intact { records } = verification else {
        panic!("{verification:?}")
    };
    assert!(records >= 6, "sign-ins and reads are recorded ({records})");
    let trail = store.audit_trail(&coordinator, 50).await.unwrap();
    let read = trail
        .iter()
        .find(|r| r.action == "case.read" && r.case_id == Some(case_b))
        .unwrap();
    assert_eq!(read.outcome, "success");
    assert_eq!(read.client_addr.as_deref(), Some("10.0.0.1"));
    let requester_trail = store.audit_trail(&a, 50).await.unwrap(); // org admin of SITE
    let denied = requester_trail
        .iter()
        .find(|r| r.action == "case.read")
        .unwrap();
    assert_eq!(denied.outcome, "denied");
    assert_eq!(
        denied.patient_id, None,
        "a refused read does not say whose case it was"
    );
}
