use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::synthetic::{Plan, Route, generate};
use super::*;
use crate::directory::Profession;
use crate::expertise::{TaskStatus as S, Visit};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn step(when: &str, from: S, to: S) -> Transition {
    Transition {
        at: at(when),
        from,
        to,
    }
}

const EXPERT: Uuid = Uuid::from_u128(7);

#[test]
fn hold_time_is_not_waiting_time() {
    // Sent 10:00, question 12:00, reply 09:00 the next day, advice 11:00:
    // 25 h elapsed, 21 h on hold, so 4 h of waiting.
    let transitions = [
        step("2026-03-02T10:00:00Z", S::Draft, S::Requested),
        step("2026-03-02T10:30:00Z", S::Requested, S::Accepted),
        step("2026-03-02T12:00:00Z", S::Accepted, S::OnHold),
        step("2026-03-03T09:00:00Z", S::OnHold, S::InProgress),
        step("2026-03-03T11:00:00Z", S::InProgress, S::InProgress),
    ];
    let waited = waiting_time(
        at("2026-03-02T10:00:00Z"),
        at("2026-03-03T11:00:00Z"),
        &transitions,
    );
    assert_eq!(waited, SignedDuration::from_hours(4));
}

#[test]
fn an_advice_given_while_on_hold_ends_the_hold() {
    let transitions = [
        step("2026-03-02T10:00:00Z", S::Draft, S::Requested),
        step("2026-03-02T11:00:00Z", S::Accepted, S::OnHold),
        step("2026-03-02T15:00:00Z", S::OnHold, S::InProgress),
    ];
    let waited = waiting_time(
        at("2026-03-02T10:00:00Z"),
        at("2026-03-02T15:00:00Z"),
        &transitions,
    );
    assert_eq!(waited, SignedDuration::from_hours(1));
    // A hold after the first advice does not change it.
    let later = [
        transitions[0],
        step("2026-03-02T12:00:00Z", S::InProgress, S::InProgress),
        step("2026-03-02T13:00:00Z", S::InProgress, S::OnHold),
    ];
    let waited = waiting_time(
        at("2026-03-02T10:00:00Z"),
        at("2026-03-02T12:00:00Z"),
        &later,
    );
    assert_eq!(waited, SignedDuration::from_hours(2));
}

#[test]
fn facts_read_the_first_advice_and_the_latest_visit() {
    let sent = at("2026-03-31T22:30:00Z"); // 1 April 00:30 in Paris
    let first = SentAdvice {
        at: at("2026-04-02T22:30:00Z"),
        author_id: EXPERT,
        visit: Visit::No,
    };
    let correction = SentAdvice {
        at: at("2026-04-03T08:00:00Z"),
        author_id: Uuid::from_u128(8),
        visit: Visit::WithinMonth,
    };
    let facts = CaseFacts::of(
        sent,
        S::InProgress,
        &[],
        &[correction, first],
        SignedDuration::from_hours(48),
    );
    assert_eq!(facts.month.to_string(), "2026-04");
    assert_eq!(facts.response_secs, Some(48 * 3600));
    assert_eq!(facts.within_target, Some(true));
    assert_eq!(facts.expert_id, Some(EXPERT));
    assert_eq!(facts.visit, Some(true));
    let late = CaseFacts::of(
        sent,
        S::InProgress,
        &[],
        &[first],
        SignedDuration::from_hours(47),
    );
    assert_eq!(late.within_target, Some(false));
    let open = CaseFacts::of(sent, S::Requested, &[], &[], SignedDuration::from_hours(48));
    assert_eq!(
        (open.response_secs, open.visit, open.expert_id),
        (None, None, None)
    );
}

#[test]
fn nearest_rank_percentiles() {
    // 1, 2, 3, 4, 5: the median is 3 (index 2); p90 is 5 (index 4).
    assert_eq!(nearest_rank(5, 0.5), Some(2));
    assert_eq!(nearest_rank(5, 0.9), Some(4));
    // Ten values: p90 is the 9th.
    assert_eq!(nearest_rank(10, 0.9), Some(8));
    // Four values: the median is the 2nd.
    assert_eq!(nearest_rank(4, 0.5), Some(1));
    assert_eq!(nearest_rank(1, 0.9), Some(0));
    assert_eq!(nearest_rank(0, 0.5), None);
}

#[test]
fn small_counts_are_hidden() {
    assert_eq!(masked(0), Some(0));
    assert_eq!(masked(4), None);
    assert_eq!(masked(1), None);
    assert_eq!(masked(5), Some(5));
}

#[test]
fn months_in_paris_time() {
    assert_eq!(Month::of(at("2026-01-31T23:30:00Z")).to_string(), "2026-02");
    assert_eq!(Month::of(at("2026-07-31T21:59:59Z")).to_string(), "2026-07");
    assert_eq!(Month::of(at("2026-07-31T22:00:00Z")).to_string(), "2026-08");
    let m = Month::parse("2026-03").unwrap();
    assert_eq!(m.start(), at("2026-02-28T23:00:00Z"));
    assert_eq!(m.minus(3).to_string(), "2025-12");
    assert_eq!(m.label_fr(), "mars 2026");
    for bad in ["2026-13", "2026-3", "26-03", "x", "2026-00", ""] {
        assert!(Month::parse(bad).is_err(), "{bad}");
    }
    let year = Period::last_year(at("2026-11-23T10:00:00Z"));
    assert_eq!(year.months().len(), 12);
    assert_eq!(year.from.to_string(), "2025-12");
    // Summer time: October starts at 22:00 UTC, November at 23:00 UTC.
    let autumn = Period::new(
        Month::parse("2026-10").unwrap(),
        Month::parse("2026-10").unwrap(),
    )
    .unwrap();
    assert_eq!(autumn.start(), at("2026-09-30T22:00:00Z"));
    assert_eq!(autumn.end(), at("2026-10-31T23:00:00Z"));
    assert!(
        Period::new(
            Month::parse("2026-10").unwrap(),
            Month::parse("2026-09").unwrap()
        )
        .is_err()
    );
}

fn act(day: &str, code: ActCode, who: Uuid, profession: Profession, patient: u128) -> BillableAct {
    BillableAct {
        at: at(&format!("{day}T10:00:00Z")),
        code,
        reference: format!("TE-{day}"),
        practitioner_id: who,
        rpps: Some("10000000007".into()),
        profession: Some(profession),
        patient_id: Uuid::from_u128(patient),
        ins: None,
    }
}

#[test]
fn the_fifth_te2_of_the_year_for_one_patient_and_expert_is_not_billable() {
    let doctor = Profession::Doctor;
    let mut acts: Vec<BillableAct> = [
        "2026-01-10",
        "2026-03-10",
        "2026-05-10",
        "2026-07-10",
        "2026-09-10",
    ]
    .iter()
    .map(|d| act(d, ActCode::Te2, EXPERT, doctor, 1))
    .collect();
    // Another patient, another expert, the next year: each counted apart.
    acts.push(act("2026-10-10", ActCode::Te2, EXPERT, doctor, 2));
    acts.push(act(
        "2026-10-11",
        ActCode::Te2,
        Uuid::from_u128(8),
        doctor,
        1,
    ));
    acts.push(act("2027-01-05", ActCode::Te2, EXPERT, doctor, 1));
    let lines = bill(acts);
    let refused: Vec<&str> = lines
        .iter()
        .filter(|l| l.refusal.is_some())
        .map(|l| l.act.reference.as_str())
        .collect();
    assert_eq!(refused, ["TE-2026-09-10"]);
    let fifth = lines
        .iter()
        .find(|l| l.act.reference == "TE-2026-09-10")
        .unwrap();
    assert!(fifth.refusal.as_deref().unwrap().contains("4 actes TE2"));
    assert_eq!(fifth.amount_cents(), 0);
    assert_eq!(lines[0].amount_cents(), 2000);
}

#[test]
fn only_doctors_and_midwives_bill_te2() {
    let lines = bill(vec![
        act("2026-01-10", ActCode::Te2, EXPERT, Profession::Nurse, 1),
        act("2026-01-11", ActCode::Te2, EXPERT, Profession::Midwife, 1),
        act("2026-01-12", ActCode::Rqd, EXPERT, Profession::Nurse, 1),
    ]);
    assert!(lines[0].refusal.as_deref().unwrap().contains("profession"));
    assert_eq!(lines[1].refusal, None);
    assert_eq!(
        (lines[2].refusal.clone(), lines[2].amount_cents()),
        (None, 1000)
    );
}

fn routes() -> Vec<Route> {
    (0..3)
        .map(|i| Route {
            site_id: Uuid::from_u128(100 + i),
            requester_ids: vec![Uuid::from_u128(200 + i)],
            team_id: Uuid::from_u128(300 + i),
            target: SignedDuration::from_hours(48),
            expert_ids: vec![Uuid::from_u128(400 + i), Uuid::from_u128(500 + i)],
            weight: 1 + i as u32,
        })
        .collect()
}

#[test]
fn synthetic_history_is_deterministic_and_realistic() {
    let plan = Plan {
        seed: 42,
        requests: 3000,
        patients: 1000,
        until: at("2026-11-23T10:00:00Z"),
        days: 365,
    };
    let a = generate(&plan, &routes());
    let b = generate(&plan, &routes());
    assert_eq!(a.len(), 3000);
    let key = |c: &synthetic::SyntheticCase| (c.reference.clone(), c.sent_at, c.facts.clone());
    assert!(a.iter().map(key).eq(b.iter().map(key)));
    let share = |n: usize| n as f64 / a.len() as f64;
    let visits = share(a.iter().filter(|c| c.facts.visit == Some(true)).count());
    assert!((0.2..0.3).contains(&visits), "visits {visits}");
    let declines = share(a.iter().filter(|c| c.decline.is_some()).count());
    assert!((0.01..0.06).contains(&declines), "declines {declines}");
    let sundays = share(
        a.iter()
            .filter(|c| {
                c.sent_at
                    .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
                    .weekday()
                    == jiff::civil::Weekday::Sunday
            })
            .count(),
    );
    assert!(sundays < 0.02, "sundays {sundays}");
    let mut hours: Vec<i64> = a.iter().filter_map(|c| c.facts.response_secs).collect();
    hours.sort_unstable();
    let median = hours[nearest_rank(hours.len() as i64, 0.5).unwrap() as usize] / 3600;
    let p90 = hours[nearest_rank(hours.len() as i64, 0.9).unwrap() as usize] / 3600;
    assert!((15..=26).contains(&median), "median {median} h");
    assert!(p90 > 2 * median, "long tail: p90 {p90} h");
    // Every request is closed before the history ends, and nothing is late by more than 10 days.
    assert!(a.iter().all(|c| c.facts.status == S::Completed));
    assert!(
        a.iter()
            .all(|c| c.events.last().unwrap().transition.at < plan.until)
    );
}
