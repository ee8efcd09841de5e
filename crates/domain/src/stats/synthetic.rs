//! The demo region's year of history: synthetic requests with realistic
//! shapes (more on Mondays, almost none on Sundays, answers after hours or
//! days with a long tail, one question in eight, about a quarter needing a
//! visit, a few declines). Deterministic for a given seed, so every demo
//! start shows the same figures. Clearly synthetic: references start with
//! `SYN-` and the rows are flagged.

use jiff::{SignedDuration, Timestamp, ToSpan, tz::TimeZone};
use rand::{Rng, SeedableRng, rngs::StdRng};
use uuid::Uuid;

use super::{CaseFacts, SentAdvice, Transition};
use crate::expertise::{DeclineKind, TaskStatus, Visit};

/// A requesting site's route to a team, with the people on both sides.
#[derive(Debug, Clone)]
pub struct Route {
    /// The requesting site.
    pub site_id: Uuid,
    /// Who requests there (at least one).
    pub requester_ids: Vec<Uuid>,
    /// The team that answers.
    pub team_id: Uuid,
    /// The team's response target.
    pub target: SignedDuration,
    /// Its experts (at least one).
    pub expert_ids: Vec<Uuid>,
    /// How often this route is used, relative to the others.
    pub weight: u32,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The seed: the same seed gives the same history.
    pub seed: u64,
    /// How many requests.
    pub requests: usize,
    /// How many distinct patients they concern.
    pub patients: usize,
    /// The history ends ten days before this instant (all closed by then).
    pub until: Timestamp,
    /// How many days it covers.
    pub days: i64,
}

/// One status change, with who made it and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticEvent {
    /// The change.
    pub transition: Transition,
    /// The step's name (`take`, `ask`, `advise`…).
    pub step: &'static str,
    /// Who made it (`None` for a coordinator's assignment).
    pub actor_id: Option<Uuid>,
}

/// One synthetic request, closed.
#[derive(Debug, Clone)]
pub struct SyntheticCase {
    /// `SYN-…`.
    pub reference: String,
    /// Which patient of the pool (0-based).
    pub patient: usize,
    /// The route it took.
    pub site_id: Uuid,
    /// Who sent it.
    pub requester_id: Uuid,
    /// The team that answered.
    pub team_id: Uuid,
    /// When it was sent.
    pub sent_at: Timestamp,
    /// Its history.
    pub events: Vec<SyntheticEvent>,
    /// The advice.
    pub advice: SentAdvice,
    /// A decline before someone took it.
    pub decline: Option<(Timestamp, Uuid, DeclineKind)>,
    /// What the dashboards read of it.
    pub facts: CaseFacts,
}

/// Share of requests by weekday, Monday first.
const WEEKDAY_WEIGHT: [f64; 7] = [1.35, 1.1, 1.0, 1.1, 0.95, 0.2, 0.05];

/// Generates `plan.requests` closed requests over `routes`.
pub fn generate(plan: &Plan, routes: &[Route]) -> Vec<SyntheticCase> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let paris = TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC);
    let last_day = plan.until.to_zoned(paris.clone()).date() - 10.days();
    let days: Vec<_> = (0..plan.days.max(1))
        .rev()
        .map(|back| last_day - back.days())
        .collect();
    let day_weights: Vec<f64> = days
        .iter()
        .map(|d| WEEKDAY_WEIGHT[d.weekday().to_monday_zero_offset() as usize])
        .collect();
    let route_weights: Vec<f64> = routes.iter().map(|r| f64::from(r.weight)).collect();
    if routes.is_empty() {
        return Vec::new();
    }
    let mut cases = Vec::with_capacity(plan.requests);
    for n in 0..plan.requests {
        let day = days[pick(&mut rng, &day_weights)];
        let route = &routes[pick(&mut rng, &route_weights)];
        let minute = rng.random_range(8 * 60..19 * 60);
        let sent_at = day
            .at(
                (minute / 60) as i8,
                (minute % 60) as i8,
                rng.random_range(0..60),
                0,
            )
            .to_zoned(paris.clone())
            .map(|z| z.timestamp())
            .unwrap_or(plan.until);
        cases.push(one_case(&mut rng, plan, route, n, sent_at));
    }
    cases.sort_by_key(|c| c.sent_at);
    cases
}

fn one_case(
    rng: &mut StdRng,
    plan: &Plan,
    route: &Route,
    n: usize,
    sent_at: Timestamp,
) -> SyntheticCase {
    use TaskStatus as S;
    let requester_id = route.requester_ids[rng.random_range(0..route.requester_ids.len())];
    let expert_id = route.expert_ids[rng.random_range(0..route.expert_ids.len())];
    // A quarter of requests concern a few frequent patients (chronic wounds,
    // follow-ups), so the yearly TE2 cap shows up in the billing export.
    let patient = if rng.random_bool(0.25) {
        rng.random_range(0..(plan.patients / 20).max(1))
    } else {
        rng.random_range(0..plan.patients.max(1))
    };
    // Active time to the first advice: log-normal, median 20 h, long tail.
    let active = hours(lognormal(rng, 20.0, 0.9).clamp(0.3, 190.0));
    let mut events = Vec::new();
    let mut push = |at: Timestamp, from: S, to: S, step: &'static str, actor: Option<Uuid>| {
        events.push(SyntheticEvent {
            transition: Transition {
                at: whole(at),
                from,
                to,
            },
            step,
            actor_id: actor,
        });
    };
    push(
        sent_at,
        S::Draft,
        S::Requested,
        "submit",
        Some(requester_id),
    );
    let mut now = sent_at;
    let mut decline = None;
    if rng.random_bool(0.03) {
        let decliner = route.expert_ids[rng.random_range(0..route.expert_ids.len())];
        let kind = DeclineKind::ALL[rng.random_range(0..DeclineKind::ALL.len())];
        now += active.mul_f64(0.1);
        push(now, S::Requested, S::Rejected, "decline", Some(decliner));
        decline = Some((now, decliner, kind));
        now += hours(1.0);
        push(now, S::Rejected, S::Requested, "assign", None);
    }
    let taken = sent_at + active.mul_f64(0.3);
    now = now.max(taken);
    push(now, S::Requested, S::Accepted, "take", Some(expert_id));
    push(
        now + SignedDuration::from_mins(2),
        S::Accepted,
        S::InProgress,
        "start",
        Some(expert_id),
    );
    let mut answer_at = sent_at + active;
    if rng.random_bool(0.125) {
        let asked = sent_at + active.mul_f64(0.6);
        let held = hours(lognormal(rng, 18.0, 0.8).clamp(0.5, 240.0));
        push(
            asked.max(now + SignedDuration::from_mins(3)),
            S::InProgress,
            S::OnHold,
            "ask",
            Some(expert_id),
        );
        push(
            asked + held,
            S::OnHold,
            S::InProgress,
            "reply",
            Some(requester_id),
        );
        answer_at += held;
    }
    let answer_at = answer_at.max(now + SignedDuration::from_mins(5));
    push(
        answer_at,
        S::InProgress,
        S::InProgress,
        "advise",
        Some(expert_id),
    );
    let closed_at = answer_at + hours(rng.random_range(0.5..72.0));
    push(
        closed_at,
        S::InProgress,
        S::Completed,
        "close",
        Some(requester_id),
    );
    let visit = if rng.random_bool(0.25) {
        [
            Visit::WithinWeek,
            Visit::WithinMonth,
            Visit::WithinThreeMonths,
        ][rng.random_range(0..3)]
    } else {
        Visit::No
    };
    let advice = SentAdvice {
        at: whole(answer_at),
        author_id: expert_id,
        visit,
    };
    let transitions: Vec<Transition> = events.iter().map(|e| e.transition).collect();
    let facts = CaseFacts::of(
        whole(sent_at),
        S::Completed,
        &transitions,
        &[advice],
        route.target,
    );
    SyntheticCase {
        reference: format!("SYN-{:07}", n + 1),
        patient,
        site_id: route.site_id,
        requester_id,
        team_id: route.team_id,
        sent_at: whole(sent_at),
        events,
        advice,
        decline,
        facts,
    }
}

/// Whole seconds, as the store keeps times.
fn whole(at: Timestamp) -> Timestamp {
    at.round(jiff::Unit::Second).unwrap_or(at)
}

fn hours(h: f64) -> SignedDuration {
    SignedDuration::from_secs_f64(h * 3600.0)
}

/// A log-normal draw with the given median and shape (Box–Muller).
fn lognormal(rng: &mut StdRng, median: f64, sigma: f64) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    median * (sigma * z).exp()
}

/// Picks an index with probability proportional to its weight.
fn pick(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}
