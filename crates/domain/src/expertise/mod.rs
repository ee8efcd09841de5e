//! The life of a tele-expertise request once sent: the FHIR `Task` status,
//! who owns it, and the deadline clock that stops while the expert waits
//! for the requester. Who may take a step is [`crate::access`]'s business;
//! *when* a step is possible is decided here.
//!
//! ```text
//! requested ──take──▶ accepted ──start──▶ in-progress ◀──reply── on-hold
//!    ▲  │                 │                    │  └──ask──────────▲
//!    │  └──decline──▶ rejected ──assign──▶ requested               │
//!    │                    ◀───decline──── accepted ──ask────────────┘
//!    └──assign (any open status but on-hold)
//! advice: accepted | in-progress | on-hold → in-progress, answered
//! close (requester, once answered): → completed
//! ```

mod advice;

pub use advice::{Advice, AdviceError, Icd10, Visit};

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::access::CaseAction;

/// A FHIR `Task.status` value we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Being filled by the requester; nobody else knows of it.
    Draft,
    /// Sent, waiting for an expert.
    Requested,
    /// An expert took it.
    Accepted,
    /// An expert declined it; back with the coordinator.
    Rejected,
    /// Being answered.
    InProgress,
    /// Waiting for the requester's reply to a question.
    OnHold,
    /// The requester closed it after reading the advice.
    Completed,
    /// Withdrawn.
    Cancelled,
}

impl TaskStatus {
    /// Every status, in FHIR's order.
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Requested,
        Self::Accepted,
        Self::Rejected,
        Self::InProgress,
        Self::OnHold,
        Self::Completed,
        Self::Cancelled,
    ];

    /// The FHIR code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Requested => "requested",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::InProgress => "in-progress",
            Self::OnHold => "on-hold",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a FHIR code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// True while the request waits for someone at the centre or the site.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Draft | Self::Completed | Self::Cancelled)
    }
}

/// Where a sent request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// The status.
    pub status: TaskStatus,
    /// The team it is addressed to.
    pub team_id: Uuid,
    /// The expert who owns it, once assigned or taken.
    pub owner_id: Option<Uuid>,
    /// When the answer is due; `None` while the clock is stopped.
    pub deadline: Option<Timestamp>,
    /// While on hold: the time that was left (negative when already late).
    pub hold_remaining: Option<SignedDuration>,
    /// True once an advice was sent (`businessStatus` answered).
    pub answered: bool,
    /// Why it was declined, while it is.
    pub status_reason: Option<String>,
}

crate::directory::coded_enum!(
    /// Why an expert declines a request. The dashboards count these codes;
    /// the words the expert adds stay on the request, since free text could
    /// name a patient.
    DeclineKind {
        /// Outside what the team handles.
        OutOfScope = "out_of_scope", "Hors du champ de l'équipe";
        /// Needs an in-person consultation rather than an advice.
        NeedsVisit = "needs_visit", "Relève d'une consultation en présentiel";
        /// The request lacks information or usable photos.
        MissingInformation = "missing_information", "Informations ou photos insuffisantes";
        /// Nobody available in time.
        Unavailable = "unavailable", "Équipe indisponible dans le délai";
        /// Anything else.
        Other = "other", "Autre motif";
    }
);

/// Something that moves a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A coordinator gives it to an expert of the team.
    Assign {
        /// The expert.
        expert_id: Uuid,
    },
    /// An expert takes it (HAS: records that they accept it).
    Take,
    /// An expert declines it, with a reason; it goes back to the
    /// coordinator, or to another team of the region offering the specialty.
    Decline {
        /// Which kind of reason (counted on the dashboards).
        kind: DeclineKind,
        /// Why, in words (required; stays on the request).
        reason: String,
        /// Another team, if the expert chose one.
        transfer_to: Option<Uuid>,
    },
    /// The owner starts working on it.
    Start,
    /// An expert asks the requester a question: the clock stops.
    Ask,
    /// The requester answers: the clock restarts with the time that was left.
    Reply,
    /// An expert sends (or corrects) the advice.
    Advise,
    /// A coordinator proposes an in-person appointment.
    ProposeVisit,
    /// The requester closes the request after reading the advice.
    Close,
}

impl Step {
    /// The access-policy action this step needs.
    pub fn action(&self) -> CaseAction {
        match self {
            Self::Assign { .. } => CaseAction::Assign,
            Self::Take | Self::Decline { .. } | Self::Start => CaseAction::Take,
            Self::Ask => CaseAction::Ask,
            Self::Reply => CaseAction::Reply,
            Self::Advise => CaseAction::Answer,
            Self::ProposeVisit => CaseAction::ProposeVisit,
            Self::Close => CaseAction::Close,
        }
    }

    /// A stable name, for the status history and the audit trail.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Assign { .. } => "assign",
            Self::Take => "take",
            Self::Decline { .. } => "decline",
            Self::Start => "start",
            Self::Ask => "ask",
            Self::Reply => "reply",
            Self::Advise => "advise",
            Self::ProposeVisit => "propose-visit",
            Self::Close => "close",
        }
    }
}

/// Why a step is not possible now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The status does not allow it.
    #[error(
        "« {step} » n'est pas possible quand la demande est « {status} » / this step is not possible in the request's current status"
    )]
    NotNow {
        /// The step.
        step: &'static str,
        /// The status it was tried in.
        status: &'static str,
    },
    /// Declining needs a reason.
    #[error("indiquez pourquoi vous déclinez la demande / say why you decline the request")]
    ReasonMissing,
    /// Another expert owns it.
    #[error("la demande est prise par un autre expert / another expert has taken the request")]
    OwnedByAnother,
    /// The advice does not ask for an in-person visit.
    #[error(
        "l'avis ne demande pas de consultation en présentiel / the advice does not ask for an in-person visit"
    )]
    NoVisitAsked,
}

/// What a step needs to know besides the state.
#[derive(Debug, Clone, Copy)]
pub struct StepContext {
    /// Who takes it.
    pub actor_id: Uuid,
    /// When.
    pub now: Timestamp,
    /// Whether the latest advice asks for an in-person visit.
    pub visit_asked: bool,
}

impl TaskState {
    /// The state after `step`, or why it cannot be taken now.
    pub fn after(&self, step: &Step, ctx: StepContext) -> Result<Self, FlowError> {
        use TaskStatus as S;
        let not_now = || FlowError::NotNow {
            step: step.name(),
            status: self.status.code(),
        };
        let mut next = self.clone();
        match step {
            Step::Assign { expert_id } => {
                if !self.status.is_open() || self.status == S::OnHold || self.answered {
                    return Err(not_now());
                }
                next.owner_id = Some(*expert_id);
                next.status = S::Requested;
                next.status_reason = None;
            }
            Step::Take => {
                if self.status != S::Requested || self.answered {
                    return Err(not_now());
                }
                self.owned_by_other(ctx.actor_id)?;
                next.owner_id = Some(ctx.actor_id);
                next.status = S::Accepted;
            }
            Step::Decline {
                reason,
                transfer_to,
                ..
            } => {
                if !matches!(self.status, S::Requested | S::Accepted) || self.answered {
                    return Err(not_now());
                }
                self.owned_by_other(ctx.actor_id)?;
                if reason.trim().is_empty() {
                    return Err(FlowError::ReasonMissing);
                }
                next.owner_id = None;
                next.status_reason = Some(reason.trim().to_owned());
                match transfer_to {
                    Some(team) => {
                        next.team_id = *team;
                        next.status = S::Requested;
                    }
                    None => next.status = S::Rejected,
                }
            }
            Step::Start => {
                if self.status != S::Accepted {
                    return Err(not_now());
                }
                self.owned_by_other(ctx.actor_id)?;
                next.status = S::InProgress;
            }
            Step::Ask => {
                if !matches!(self.status, S::Accepted | S::InProgress) || self.answered {
                    return Err(not_now());
                }
                self.owned_by_other(ctx.actor_id)?;
                next.owner_id = Some(ctx.actor_id);
                next.status = S::OnHold;
                next.hold_remaining = self.deadline.map(|due| due.duration_since(ctx.now));
                next.deadline = None;
            }
            Step::Reply => {
                if self.status != S::OnHold {
                    return Err(not_now());
                }
                next.status = S::InProgress;
                next.deadline = self.resumed_deadline(ctx.now);
                next.hold_remaining = None;
            }
            Step::Advise => {
                let first = matches!(self.status, S::Accepted | S::InProgress | S::OnHold);
                let correction =
                    self.answered && matches!(self.status, S::InProgress | S::Completed);
                if !(first && !self.answered || correction) {
                    return Err(not_now());
                }
                self.owned_by_other(ctx.actor_id)?;
                next.owner_id = Some(ctx.actor_id);
                if self.status == S::OnHold {
                    next.deadline = self.resumed_deadline(ctx.now);
                    next.hold_remaining = None;
                }
                if self.status != S::Completed {
                    next.status = S::InProgress;
                }
                next.answered = true;
            }
            Step::ProposeVisit => {
                if !self.answered || self.status == S::Cancelled {
                    return Err(not_now());
                }
                if !ctx.visit_asked {
                    return Err(FlowError::NoVisitAsked);
                }
            }
            Step::Close => {
                if !self.answered || self.status != S::InProgress {
                    return Err(not_now());
                }
                next.status = S::Completed;
            }
        }
        Ok(next)
    }

    fn owned_by_other(&self, actor_id: Uuid) -> Result<(), FlowError> {
        match self.owner_id {
            Some(owner) if owner != actor_id && self.status != TaskStatus::Requested => {
                Err(FlowError::OwnedByAnother)
            }
            _ => Ok(()),
        }
    }

    /// The deadline once the clock restarts at `now` with what was left.
    fn resumed_deadline(&self, now: Timestamp) -> Option<Timestamp> {
        self.hold_remaining
            .and_then(|left| now.checked_add(left).ok())
    }

    /// The time left before the deadline at `now` (negative when late), or
    /// the frozen time left while on hold.
    pub fn time_left(&self, now: Timestamp) -> Option<SignedDuration> {
        self.deadline
            .map(|due| due.duration_since(now))
            .or(self.hold_remaining)
    }
}

/// How urgent the time left makes a request in a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Past its deadline (red).
    Overdue,
    /// Under 12 hours left (amber).
    Soon,
    /// More time than that, or the clock is stopped.
    Calm,
}

impl Urgency {
    /// The urgency of `time_left`; a stopped clock is never urgent.
    pub fn of(time_left: Option<SignedDuration>, clock_running: bool) -> Self {
        match time_left {
            Some(left) if clock_running && left.is_negative() => Self::Overdue,
            Some(left) if clock_running && left < SignedDuration::from_hours(12) => Self::Soon,
            _ => Self::Calm,
        }
    }

    /// A CSS class name.
    pub fn class(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::Soon => "soon",
            Self::Calm => "calm",
        }
    }
}

#[cfg(test)]
mod tests;
