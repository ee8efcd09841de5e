//! Dashboards and billing on every backend, against figures computed by hand.

use consilium_domain::{
    expertise::{Advice, DeclineKind, Step, Visit},
    stats::{Month, Period, synthetic::Plan},
};
use jiff::{SignedDuration, Timestamp};

use super::{
    access::access_seed,
    now,
    requests::{answers, derm, form, known_patient, signed_in},
};
use crate::{
    Store,
    auth::Actor,
    cases::CaseView,
    stats::{BillingSide, StatsFilter, StatsScope},
};

/// Hours after Monday 2 March 2026, 08:00 UTC.
fn t(hours: i64) -> Timestamp {
    "2026-03-02T08:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_hours(hours)
}

async fn sent(store: &Store, requester: &Actor) -> CaseView {
    let patient = known_patient(store, requester).await;
    let draft = store
        .start_request(requester, &derm(patient, None), t(0))
        .await
        .unwrap();
    store
        .save_answers(requester, draft.id, &answers(true), t(0))
        .await
        .unwrap();
    store
        .submit_request(requester, draft.id, &form(), t(0))
        .await
        .unwrap()
}

async fn answered(store: &Store, expert: &Actor, case: &CaseView, hours: i64, visit: Visit) {
    let dir = tempfile::tempdir().unwrap();
    let blobs = consilium_blobs::BlobStore::local(dir.path(), consilium_blobs::Keyring::generate())
        .unwrap();
    let kit = crate::expertise::ReportKit {
        blobs: &blobs,
        renderer: std::sync::Arc::new(super::expertise::TextReports),
        forms: vec![],
    };
    let advice = Advice::new("Kératose", "L82", "Surveillance", visit, "").unwrap();
    store
        .advise(expert, &kit, case.id, &advice, None, t(hours))
        .await
        .unwrap();
}

fn march() -> Period {
    let m = Month::parse("2026-03").unwrap();
    Period::new(m, m).unwrap()
}

const HOUR: i64 = 3600;

pub async fn dashboards_and_billing_match_a_hand_computed_year(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let coordinator = signed_in(&store, "coordination@demo.test", 0).await;
    let ars = signed_in(&store, "ars@demo.test", 0).await;
    let take = |case: &CaseView, h: i64| {
        let (store, expert, id) = (store.clone(), expert.clone(), case.id);
        async move {
            store
                .move_request(&expert, id, &Step::Take, t(h))
                .await
                .unwrap()
        }
    };

    // Five requests for the same patient, all sent at t(0), team target 72 h.
    let a = sent(&store, &requester).await;
    let b = sent(&store, &requester).await;
    let c = sent(&store, &requester).await;
    let d = sent(&store, &requester).await;
    let e = sent(&store, &requester).await;
    let f = sent(&store, &requester).await;
    let g = sent(&store, &requester).await;
    // A: answered after 5 h, then closed.
    take(&a, 1).await;
    answered(&store, &expert, &a, 5, Visit::No).await;
    store
        .move_request(&requester, a.id, &Step::Close, t(6))
        .await
        .unwrap();
    // B: a question at 3 h, the reply 20 h later, the advice at 30 h:
    // 30 h elapsed, 20 h on hold, so 10 h. It asks for a visit.
    take(&b, 2).await;
    let question = crate::expertise::NewMessage {
        body: "Une photo de plus ?".into(),
        asks_photos: false,
        attachments: vec![],
        idempotency_key: None,
    };
    store
        .send_message(
            &expert,
            b.id,
            crate::expertise::MessageKind::Question,
            &question,
            t(3),
        )
        .await
        .unwrap();
    store
        .send_message(
            &requester,
            b.id,
            crate::expertise::MessageKind::Reply,
            &question,
            t(23),
        )
        .await
        .unwrap();
    answered(&store, &expert, &b, 30, Visit::WithinMonth).await;
    // C, F, G: 60 h, 70 h, 80 h (G misses the 72 h target).
    for (case, hours) in [(&c, 60), (&f, 70), (&g, 80)] {
        take(case, 1).await;
        answered(&store, &expert, case, hours, Visit::No).await;
    }
    // D: declined for missing information; E: taken, not answered.
    store
        .move_request(
            &expert,
            d.id,
            &Step::Decline {
                kind: DeclineKind::MissingInformation,
                reason: "Photo floue".into(),
                transfer_to: None,
            },
            t(1),
        )
        .await
        .unwrap();
    take(&e, 1).await;

    let scopes = store.stats_scopes(&coordinator).await.unwrap();
    let [StatsScope::Centre(centre)] = scopes[..] else {
        panic!("a coordinator sees their centre: {scopes:?}")
    };
    assert_eq!(
        store.stats_scopes(&ars).await.unwrap(),
        [StatsScope::Region]
    );
    assert!(store.stats_scopes(&expert).await.unwrap().is_empty());
    let board = store
        .dashboard(
            &coordinator,
            StatsScope::Centre(centre),
            StatsFilter::all(march()),
            t(100),
        )
        .await
        .unwrap();
    assert_eq!(board.requests, 7);
    let r = board.response;
    // Answered: 5, 10, 60, 70, 80 h. Mean 45 h; nearest rank: the median
    // is the 3rd (60 h), the 90th percentile the 5th (80 h); 4 within 72 h.
    assert_eq!(r.answered, 5);
    assert_eq!(r.mean_secs, Some(45 * HOUR));
    assert_eq!(r.median_secs, Some(60 * HOUR));
    assert_eq!(r.p90_secs, Some(80 * HOUR));
    assert_eq!(r.within_target, 4);
    assert_eq!(r.visits, 1);
    let statuses: Vec<(&str, i64)> = board
        .statuses
        .iter()
        .map(|(s, n)| (s.as_str(), *n))
        .collect();
    assert_eq!(
        statuses,
        [
            ("accepted", 1),
            ("completed", 1),
            ("in-progress", 4),
            ("rejected", 1)
        ]
    );
    assert_eq!(board.declines.len(), 1);
    assert_eq!(
        (board.declines[0].kind, board.declines[0].count),
        (DeclineKind::MissingInformation, 1)
    );
    // Open and unanswered now, whenever sent: D (nobody's) and E (the
    // expert's), both late at t(100), and the seed's two requests (no deadline).
    let team_line = board.load.iter().find(|l| l.expert.is_none()).unwrap();
    assert_eq!((team_line.open, team_line.overdue), (4, 2));
    let mine = board
        .load
        .iter()
        .find(|l| l.expert.is_some() && l.open == 1)
        .unwrap();
    assert_eq!(mine.overdue, 1);
    assert_eq!(board.months.len(), 1);
    assert_eq!(board.months[0].requests, 7);

    // The region sees the same figures; another period sees nothing.
    let region = store
        .dashboard(&ars, StatsScope::Region, StatsFilter::all(march()), t(100))
        .await
        .unwrap();
    assert_eq!(region.response, board.response);
    let april = Period::new(
        Month::parse("2026-04").unwrap(),
        Month::parse("2026-04").unwrap(),
    )
    .unwrap();
    let empty = store
        .dashboard(&ars, StatsScope::Region, StatsFilter::all(april), t(100))
        .await
        .unwrap();
    assert_eq!((empty.requests, empty.response.median_secs), (0, None));

    // Totals kept step by step equal totals recomputed from the facts.
    let nothing = Plan {
        seed: 1,
        requests: 0,
        patients: 0,
        until: t(100),
        days: 1,
    };
    store.insert_synthetic_history(&nothing).await.unwrap();
    let rebuilt = store
        .dashboard(
            &coordinator,
            StatsScope::Centre(centre),
            StatsFilter::all(march()),
            t(100),
        )
        .await
        .unwrap();
    assert_eq!(rebuilt.statuses, board.statuses);
    assert_eq!(rebuilt.response, board.response);

    // Billing: the same patient and expert five times in 2026: the 5th TE2
    // (G, answered last) is not billable; every RQD is.
    let year = Period::new(
        Month::parse("2026-01").unwrap(),
        Month::parse("2026-12").unwrap(),
    )
    .unwrap();
    let te2 = store
        .billing(&coordinator, BillingSide::Centre(centre), year, t(100))
        .await
        .unwrap();
    let refused: Vec<&str> = te2
        .iter()
        .filter(|l| l.refusal.is_some())
        .map(|l| l.act.reference.as_str())
        .collect();
    assert_eq!(te2.len(), 5);
    assert_eq!(refused, [g.reference.as_str()]);
    assert!(
        te2.iter()
            .all(|l| l.act.code.code() == "TE2" && l.act.ins.is_some())
    );
    let site = requester.caller.roles[0].organization_id;
    let rqd = store
        .billing(&requester, BillingSide::Site(site), year, t(100))
        .await
        .unwrap();
    assert_eq!(rqd.len(), 5);
    assert!(
        rqd.iter()
            .all(|l| l.refusal.is_none() && l.amount_cents() == 1000)
    );
}

pub async fn synthetic_history_fills_a_year(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let ars = signed_in(&store, "ars@demo.test", 0).await;
    let plan = Plan {
        seed: 7,
        requests: 400,
        patients: 100,
        until: now(),
        days: 365,
    };
    assert!(!store.has_synthetic_history().await.unwrap());
    assert_eq!(store.insert_synthetic_history(&plan).await.unwrap(), 400);
    assert!(store.has_synthetic_history().await.unwrap());
    // 365 days ending ten days ago: from November 2025 to November 2026.
    let months = Period::new(Month::parse("2025-11").unwrap(), Month::of(now())).unwrap();
    let board = store
        .dashboard(&ars, StatsScope::Region, StatsFilter::all(months), now())
        .await
        .unwrap();
    assert_eq!((board.requests, board.synthetic), (400, 400));
    assert_eq!(board.months.len(), 13);
    assert!(board.months.iter().filter(|m| m.requests > 0).count() >= 12);
    assert!(board.response.median_secs.unwrap() > 5 * HOUR);
    // Synthetic requests stay out of people's lists.
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let listed = store.cases(&requester, now()).await.unwrap();
    assert!(listed.iter().all(|c| !c.reference.starts_with("SYN-")));
}
