//! Bulk reads for API clients, versions of a request, and saved result
//! lists, on every backend.

use consilium_domain::{
    access::CaseAction,
    expertise::{Step, TaskStatus},
};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{
    access::access_seed,
    now,
    requests::{answers, derm_draft, form, signed_in},
};
use crate::{
    Store, StoreError,
    records::{CaseParts, CaseScope, PatientScope},
};

fn ids<T>(items: &[T], id: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = items.iter().map(id).collect();
    ids.sort();
    ids
}

pub async fn bulk_reads_follow_the_policy_table(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    // A draft: its creator's alone.
    let draft = derm_draft(&store, &requester).await;
    let all = store.all_cases_unaudited().await.unwrap();
    assert_eq!(all.len(), 3);
    let mut actors =
        std::collections::HashMap::from([("requester@demo.test".to_owned(), requester)]);
    for (step, user) in store.users().await.unwrap().into_iter().enumerate() {
        let email = user.person.email.to_string();
        if !actors.contains_key(&email) {
            let actor = signed_in(&store, &email, i64::try_from(step).unwrap() + 1).await;
            actors.insert(email.clone(), actor);
        }
        let actor = &actors[&email];
        let records = store
            .case_records(actor, &CaseScope::default(), CaseParts::ALL, now())
            .await
            .unwrap();
        let allowed: Vec<Uuid> = ids(
            &all.iter()
                .filter(|c| actor.caller.may(CaseAction::Read, &c.parties))
                .collect::<Vec<_>>(),
            |c| c.id,
        );
        assert_eq!(ids(&records, |r| r.case.id), allowed, "{email}");
        // Patients: those of the cases they read, and their site's.
        let patients = store
            .patients(actor, &PatientScope::default(), now())
            .await
            .unwrap();
        let mut expected: Vec<Uuid> = records.iter().map(|r| r.case.patient.id).collect();
        if actor
            .caller
            .roles
            .iter()
            .any(|r| r.role == consilium_domain::directory::Role::Requester)
        {
            expected.extend(
                store
                    .site_patients(actor, now())
                    .await
                    .unwrap()
                    .iter()
                    .map(|p| p.id),
            );
        }
        expected.sort();
        expected.dedup();
        assert_eq!(ids(&patients, |p| p.id), expected, "{email}");
    }

    // Scopes narrow; an unreadable id reads as nothing, audited as denied.
    let expert = &actors["expert@demo.test"];
    let sent: Vec<Uuid> = all
        .iter()
        .filter(|c| c.status != "draft")
        .map(|c| c.id)
        .collect();
    let by_patient = store
        .case_records(
            expert,
            &CaseScope {
                patient_ids: Some(vec![all[0].patient.id]),
                ..CaseScope::default()
            },
            CaseParts::default(),
            now(),
        )
        .await
        .unwrap();
    assert!(
        by_patient
            .iter()
            .all(|r| r.case.patient.id == all[0].patient.id && r.case.status != "draft")
    );
    let by_status = store
        .case_records(
            expert,
            &CaseScope {
                statuses: Some(vec!["requested".into()]),
                case_ids: Some(sent.clone()),
                ..CaseScope::default()
            },
            CaseParts::default(),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(ids(&by_status, |r| r.case.id), ids(&sent, |id| *id));
    let nothing = store
        .case_records(
            expert,
            &CaseScope {
                statuses: Some(vec![]),
                ..CaseScope::default()
            },
            CaseParts::default(),
            now(),
        )
        .await
        .unwrap();
    assert!(nothing.is_empty(), "an empty list matches nothing");
    let denied = store
        .case_records(
            expert,
            &CaseScope {
                case_ids: Some(vec![draft.id]),
                ..CaseScope::default()
            },
            CaseParts::ALL,
            now(),
        )
        .await
        .unwrap();
    assert!(denied.is_empty(), "a draft is its creator's alone");
    let trail = store.audit_trail_unfiltered().await;
    let last = trail.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.outcome.as_str()),
        ("case.read", "denied")
    );
    assert_eq!(last.patient_id, None, "a refusal names no patient");
    let other = &actors["other.requester@demo.test"];
    let theirs = store
        .patients(
            other,
            &PatientScope {
                ids: Some(vec![all[0].patient.id, draft.patient.id]),
                ..PatientScope::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert!(
        theirs.iter().all(|p| p.id != draft.patient.id),
        "another site's patient does not exist for them"
    );
}

pub async fn every_step_is_a_version_kept_in_the_history(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 1).await;
    let draft = derm_draft(&store, &requester).await;
    assert_eq!((draft.version, draft.updated_at), (1, now()));
    store
        .save_answers(&requester, draft.id, &answers(true), now())
        .await
        .unwrap();
    let later = now() + SignedDuration::from_mins(5);
    let sent = store
        .submit_request(&requester, draft.id, &form(), later)
        .await
        .unwrap();
    assert_eq!((sent.version, sent.updated_at), (2, later));
    let stale = store
        .move_request_if(&expert, draft.id, &Step::Take, Some(1), later)
        .await
        .unwrap_err();
    assert!(
        matches!(stale, crate::expertise::StepError::Stale { current: 2 }),
        "{stale}"
    );
    assert_eq!(
        store.case(&expert, draft.id, later).await.unwrap().status,
        "requested",
        "a stale move changes nothing"
    );
    let taken = store
        .move_request_if(&expert, draft.id, &Step::Take, Some(2), later)
        .await
        .unwrap();
    assert_eq!((taken.version, taken.status.as_str()), (3, "accepted"));
    let file = store.case_file(&expert, draft.id, later).await.unwrap();
    let states: Vec<(String, Option<Uuid>, Option<jiff::Timestamp>)> = file
        .history
        .iter()
        .map(|e| {
            let after = e.after.clone().unwrap();
            assert_eq!(after.team_id, taken.parties.team_id);
            (e.to_status.clone(), after.owner_id, after.deadline)
        })
        .collect();
    assert_eq!(
        states,
        vec![
            (TaskStatus::Requested.code().to_owned(), None, sent.deadline),
            (
                TaskStatus::Accepted.code().to_owned(),
                Some(expert.caller.person_id),
                taken.deadline
            ),
        ]
    );
}

pub async fn saved_searches_are_their_owners_and_expire(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let other = signed_in(&store, "coordination@demo.test", 1).await;
    let results: Vec<String> = (0..3).map(|_| Uuid::now_v7().to_string()).collect();
    let saved = store
        .save_search(
            &expert,
            "Task",
            "status=requested",
            7,
            results.clone(),
            now(),
        )
        .await
        .unwrap();
    let read = store.saved_search(&expert, saved.id).await.unwrap();
    assert_eq!(read, saved);
    assert_eq!((read.total, read.results), (7, results));
    assert!(matches!(
        store.saved_search(&other, saved.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let empty = store
        .save_search(&expert, "Task", "", 0, vec![], now())
        .await
        .unwrap();
    assert!(
        store
            .saved_search(&expert, empty.id)
            .await
            .unwrap()
            .results
            .is_empty()
    );
    // The next search after the first expired forgets it.
    store
        .save_search(
            &expert,
            "Task",
            "",
            0,
            vec![],
            saved.expires_at + SignedDuration::from_secs(1),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.saved_search(&expert, saved.id).await,
        Err(StoreError::NotFound { .. })
    ));
}

fn new_identity(nir: &str) -> crate::NewPatient {
    crate::NewPatient {
        ins: Some(consilium_domain::Ins::from_nir(nir).unwrap()),
        birth_family_name: super::name("Girardot"),
        first_names: super::name("Lucie"),
        birth_date: "1986-05-12".parse().unwrap(),
        sex: consilium_domain::patient::Sex::Female,
        identity_status: consilium_domain::patient::IdentityStatus::Provisoire,
    }
}

pub async fn concurrent_conditional_creates_make_one_patient(store: Store) {
    use crate::records::PatientCreation;
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let colleague = signed_in(&store, "colleague@demo.test", 1).await;
    let other = signed_in(&store, "other.requester@demo.test", 2).await;
    let identity = new_identity("2860575123456");
    let ins = identity.ins.clone().unwrap();
    let same_ins = move |p: &crate::cases::PatientView| p.identity.ins.as_ref() == Some(&ins);
    let before = store.counts().await.unwrap().patients;
    let (a, b) = tokio::join!(
        store.create_patient(&requester, &identity, Some(&same_ins), now()),
        store.create_patient(&colleague, &identity, Some(&same_ins), now()),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let ids: Vec<Uuid> = [&a, &b]
        .iter()
        .map(|c| match c {
            PatientCreation::Created(p) | PatientCreation::Existing(p) => p.id,
            PatientCreation::Ambiguous(n) => panic!("{n} matches"),
        })
        .collect();
    assert_eq!(ids[0], ids[1], "both get the same patient");
    let created = [&a, &b]
        .iter()
        .filter(|c| matches!(c, PatientCreation::Created(_)))
        .count();
    assert_eq!(created, 1, "{a:?} {b:?}");
    assert_eq!(store.counts().await.unwrap().patients, before + 1);

    // Another site recording the same INS gets that patient, now theirs too.
    let theirs = store
        .create_patient(&other, &identity, None, now())
        .await
        .unwrap();
    assert!(matches!(&theirs, PatientCreation::Created(p) if p.id == ids[0]));
    assert_eq!(store.counts().await.unwrap().patients, before + 1);

    // Several matches: nothing is done.
    let anyone = |_: &crate::cases::PatientView| true;
    let other_identity = new_identity("1580925462118");
    assert_eq!(
        store
            .create_patient(&other, &other_identity, Some(&anyone), now())
            .await
            .unwrap(),
        PatientCreation::Ambiguous(2)
    );
    assert_eq!(store.counts().await.unwrap().patients, before + 1);
    // Only requesters record patients.
    let expert = signed_in(&store, "expert@demo.test", 3).await;
    assert!(matches!(
        store.create_patient(&expert, &identity, None, now()).await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn the_audit_trail_is_searched_by_its_auditors_only(store: Store) {
    use crate::audit::AuditQuery;
    store.import_directory(&access_seed(), now()).await.unwrap();
    let coordinator = signed_in(&store, "coordination@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 1).await;
    let case = store.all_cases_unaudited().await.unwrap()[0].clone();
    let later = now() + SignedDuration::from_hours(2);
    store.case(&expert, case.id, later).await.unwrap();
    store.case(&coordinator, case.id, now()).await.unwrap();
    let reads = |from, to| AuditQuery {
        actions: Some(vec!["case.read".into()]),
        patient_ids: Some(vec![case.patient.id]),
        from,
        to,
        ..AuditQuery::default()
    };
    let all = store
        .audit_events(&coordinator, &reads(None, None), 100, now())
        .await
        .unwrap();
    assert!(all.complete);
    assert_eq!(all.records.len(), 2, "{:?}", all.records);
    assert!(all.records[0].seq > all.records[1].seq, "newest first");
    let recent = store
        .audit_events(
            &coordinator,
            &reads(Some(now() + SignedDuration::from_mins(1)), None),
            100,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(recent.records.len(), 1);
    assert_eq!(recent.records[0].actor_id, Some(expert.caller.person_id));
    let early = store
        .audit_events(&coordinator, &reads(None, Some(later)), 100, now())
        .await
        .unwrap();
    assert_eq!(early.records.len(), 1);
    assert_eq!(
        early.records[0].actor_id,
        Some(coordinator.caller.person_id)
    );
    let one = store
        .audit_events(&coordinator, &reads(None, None), 1, now())
        .await
        .unwrap();
    assert_eq!((one.records.len(), one.complete), (1, false));
    // An expert audits nothing; their search is recorded all the same.
    let none = store
        .audit_events(&expert, &AuditQuery::default(), 100, now())
        .await
        .unwrap();
    assert!(none.records.is_empty());
    let trail = store.audit_trail_unfiltered().await;
    assert_eq!(trail.last().unwrap().action, "audit.search");
}
