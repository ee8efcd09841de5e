use jiff::{SignedDuration, Timestamp, civil::date, tz::TimeZone};
use uuid::Uuid;

use super::*;

const TEAM: Uuid = Uuid::from_u128(21);
const OTHER_TEAM: Uuid = Uuid::from_u128(22);
const EXPERT: Uuid = Uuid::from_u128(4);
const COLLEAGUE: Uuid = Uuid::from_u128(5);
const REQUESTER: Uuid = Uuid::from_u128(1);

fn paris(y: i16, m: i8, d: i8, h: i8) -> Timestamp {
    date(y, m, d)
        .at(h, 0, 0, 0)
        .to_zoned(TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC))
        .map(|z| z.timestamp())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn sent(at: Timestamp) -> TaskState {
    TaskState {
        status: TaskStatus::Requested,
        team_id: TEAM,
        owner_id: None,
        deadline: Some(at + SignedDuration::from_hours(48)),
        hold_remaining: None,
        answered: false,
        status_reason: None,
    }
}

fn by(actor_id: Uuid, now: Timestamp) -> StepContext {
    StepContext {
        actor_id,
        now,
        visit_asked: false,
    }
}

fn step(state: &TaskState, step: Step, actor: Uuid, now: Timestamp) -> TaskState {
    state
        .after(&step, by(actor, now))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_whole_path() {
    let t0 = paris(2026, 3, 2, 9);
    let taken = step(&sent(t0), Step::Take, EXPERT, t0);
    assert_eq!(
        (taken.status, taken.owner_id),
        (TaskStatus::Accepted, Some(EXPERT))
    );
    let asked = step(
        &taken,
        Step::Ask,
        EXPERT,
        t0 + SignedDuration::from_hours(2),
    );
    assert_eq!(asked.status, TaskStatus::OnHold);
    let replied = step(
        &asked,
        Step::Reply,
        REQUESTER,
        t0 + SignedDuration::from_hours(30),
    );
    assert_eq!(replied.status, TaskStatus::InProgress);
    let answered = step(
        &replied,
        Step::Advise,
        EXPERT,
        t0 + SignedDuration::from_hours(31),
    );
    assert!(answered.answered && answered.status == TaskStatus::InProgress);
    let corrected = step(
        &answered,
        Step::Advise,
        EXPERT,
        t0 + SignedDuration::from_hours(32),
    );
    assert!(corrected.answered);
    let closed = step(
        &corrected,
        Step::Close,
        REQUESTER,
        t0 + SignedDuration::from_hours(40),
    );
    assert_eq!(closed.status, TaskStatus::Completed);
}

#[test]
fn on_hold_the_deadline_does_not_move_across_the_october_change() {
    // Sent Friday 23 October 2026 at noon in Paris (UTC+2): due Sunday at
    // 11:00 (UTC+1, clocks went back at 03:00 that night), 48 real hours.
    let sent_at = paris(2026, 10, 23, 12);
    let state = step(&sent(sent_at), Step::Take, EXPERT, sent_at);
    assert_eq!(state.deadline, Some(paris(2026, 10, 25, 11)));

    // Asked Saturday at noon: 24 real hours were left (23 on the wall clock).
    let asked = step(&state, Step::Ask, EXPERT, paris(2026, 10, 24, 12));
    assert_eq!(asked.deadline, None, "the clock is stopped");
    assert_eq!(asked.hold_remaining, Some(SignedDuration::from_hours(24)));
    // Whatever the time, the time left stays the same while on hold.
    for later in [
        paris(2026, 10, 25, 2),
        paris(2026, 10, 25, 4),
        paris(2026, 10, 28, 9),
    ] {
        assert_eq!(asked.time_left(later), Some(SignedDuration::from_hours(24)));
    }

    // Answered Monday 26 at 9:00 (UTC+1): due 24 real hours later.
    let replied = step(&asked, Step::Reply, REQUESTER, paris(2026, 10, 26, 9));
    assert_eq!(replied.deadline, Some(paris(2026, 10, 27, 9)));
    assert_eq!(replied.hold_remaining, None);
}

#[test]
fn a_question_asked_while_late_keeps_the_lateness() {
    let t0 = paris(2026, 3, 2, 9);
    let taken = step(&sent(t0), Step::Take, EXPERT, t0);
    let asked = step(
        &taken,
        Step::Ask,
        EXPERT,
        t0 + SignedDuration::from_hours(50),
    );
    assert_eq!(asked.hold_remaining, Some(SignedDuration::from_hours(-2)));
    let replied = step(
        &asked,
        Step::Reply,
        REQUESTER,
        t0 + SignedDuration::from_hours(70),
    );
    assert_eq!(replied.deadline, Some(t0 + SignedDuration::from_hours(68)));
    assert_eq!(
        Urgency::of(replied.time_left(t0 + SignedDuration::from_hours(70)), true),
        Urgency::Overdue
    );
}

#[test]
fn declining_needs_a_reason_and_goes_back_or_elsewhere() {
    let t0 = paris(2026, 3, 2, 9);
    let taken = step(&sent(t0), Step::Take, EXPERT, t0);
    let blank = Step::Decline {
        kind: crate::expertise::DeclineKind::Other,
        reason: "  ".into(),
        transfer_to: None,
    };
    assert_eq!(
        taken.after(&blank, by(EXPERT, t0)),
        Err(FlowError::ReasonMissing)
    );
    let back = step(
        &taken,
        Step::Decline {
            kind: crate::expertise::DeclineKind::Other,
            reason: "Hors de mon domaine".into(),
            transfer_to: None,
        },
        EXPERT,
        t0,
    );
    assert_eq!((back.status, back.owner_id), (TaskStatus::Rejected, None));
    assert_eq!(back.status_reason.as_deref(), Some("Hors de mon domaine"));
    let reassigned = step(
        &back,
        Step::Assign {
            expert_id: COLLEAGUE,
        },
        Uuid::nil(),
        t0,
    );
    assert_eq!(
        (
            reassigned.status,
            reassigned.owner_id,
            reassigned.status_reason
        ),
        (TaskStatus::Requested, Some(COLLEAGUE), None)
    );
    let moved = step(
        &taken,
        Step::Decline {
            kind: crate::expertise::DeclineKind::Other,
            reason: "Pas de dermatoscope".into(),
            transfer_to: Some(OTHER_TEAM),
        },
        EXPERT,
        t0,
    );
    assert_eq!(
        (moved.status, moved.team_id),
        (TaskStatus::Requested, OTHER_TEAM)
    );
    assert_eq!(moved.deadline, taken.deadline, "the patient still waits");
}

#[test]
fn steps_out_of_turn_are_refused() {
    let t0 = paris(2026, 3, 2, 9);
    let requested = sent(t0);
    for s in [
        Step::Ask,
        Step::Advise,
        Step::Reply,
        Step::Close,
        Step::Start,
    ] {
        assert!(
            matches!(
                requested.after(&s, by(EXPERT, t0)),
                Err(FlowError::NotNow { .. })
            ),
            "{s:?} on a request nobody took"
        );
    }
    let taken = step(&requested, Step::Take, EXPERT, t0);
    assert_eq!(
        taken.after(&Step::Ask, by(COLLEAGUE, t0)),
        Err(FlowError::OwnedByAnother)
    );
    assert!(taken.after(&Step::Close, by(REQUESTER, t0)).is_err());
    let answered = step(&taken, Step::Advise, EXPERT, t0);
    assert_eq!(
        answered.after(&Step::ProposeVisit, by(Uuid::nil(), t0)),
        Err(FlowError::NoVisitAsked)
    );
    let with_visit = StepContext {
        visit_asked: true,
        ..by(Uuid::nil(), t0)
    };
    assert!(answered.after(&Step::ProposeVisit, with_visit).is_ok());
    assert!(answered.after(&Step::Ask, by(EXPERT, t0)).is_err());
    let closed = step(&answered, Step::Close, REQUESTER, t0);
    assert!(closed.after(&Step::Close, by(REQUESTER, t0)).is_err());
    assert!(
        closed
            .after(&Step::Assign { expert_id: EXPERT }, by(Uuid::nil(), t0))
            .is_err()
    );
}

#[test]
fn urgency_colours() {
    let h = SignedDuration::from_hours;
    assert_eq!(Urgency::of(Some(h(-1)), true), Urgency::Overdue);
    assert_eq!(Urgency::of(Some(h(11)), true), Urgency::Soon);
    assert_eq!(Urgency::of(Some(h(12)), true), Urgency::Calm);
    assert_eq!(Urgency::of(Some(h(-1)), false), Urgency::Calm);
    assert_eq!(Urgency::of(None, true), Urgency::Calm);
}

#[test]
fn status_codes_round_trip() {
    for s in TaskStatus::ALL {
        assert_eq!(TaskStatus::parse(s.code()), Some(s));
    }
    assert_eq!(TaskStatus::parse("done"), None);
}
