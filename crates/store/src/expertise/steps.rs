//! The steps that move a request, each one transaction: check who may
//! (access policy), check when (state machine), write the new state, the
//! status-history line and the audit record together.

use consilium_domain::{
    access::CaseAction,
    expertise::{Advice, FlowError, Step, StepContext, TaskState},
};
use jiff::{Timestamp, Unit};
use uuid::Uuid;

use super::{Appointment, Message, StatusEvent};
use crate::{
    Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::CaseView,
};

/// Why a step was refused.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The request does not exist for the actor (404), or a database error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The actor may read the request but not take this step (403).
    #[error(
        "vous ne pouvez pas faire cela sur cette demande / you may not do this on this request"
    )]
    Forbidden,
    /// Not possible in the request's current status (409).
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// Bad input (400), in French.
    #[error("{0}")]
    Invalid(String),
    /// The request is no longer at the version the client read (HTTP 412
    /// for an `If-Match`): nothing was changed.
    #[error(
        "la demande a changé depuis votre lecture (version {current}) / the request changed since you read it (version {current})"
    )]
    Stale {
        /// Its version now.
        current: i32,
    },
    /// The report could not be made or stored.
    #[error(transparent)]
    Report(#[from] consilium_domain::report::RenderError),
    /// The blob store failed.
    #[error(transparent)]
    Blob(#[from] consilium_blobs::BlobError),
}

/// An in-person appointment, as the coordinator types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    /// When.
    pub starts_at: Timestamp,
    /// Where.
    pub place: String,
    /// What to bring or do.
    pub instructions: String,
}

impl Store {
    /// The request, if the actor may take `action` on it. A refusal is
    /// audited and committed before the error returns: not found for those
    /// who may not read it, forbidden for those who may read but not act.
    pub(super) async fn case_for(
        &self,
        mut tx: Box<dyn Tx>,
        actor: &Actor,
        case_id: Uuid,
        action: CaseAction,
        now: Timestamp,
    ) -> Result<(Box<dyn Tx>, CaseView), StepError> {
        let case = tx.case_view(case_id).await?;
        let outcome = match &case {
            None => Outcome::NotFound,
            Some(c) if !actor.caller.may(CaseAction::Read, &c.parties) => Outcome::NotFound,
            Some(c) if !actor.caller.may(action, &c.parties) => Outcome::Denied,
            Some(_) => return Ok((tx, case.ok_or_else(|| StoreError::internal("case"))?)),
        };
        let readable = case
            .as_ref()
            .filter(|c| actor.caller.may(CaseAction::Read, &c.parties));
        let entry = AuditEntry {
            case_id: Some(case_id),
            ..AuditEntry::about_case(actor, readable, "case.step", Outcome::Denied, now)
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        match (outcome, readable) {
            (Outcome::Denied, Some(_)) => Err(StepError::Forbidden),
            _ => Err(StoreError::NotFound {
                what: "dossier",
                key: case_id.to_string(),
            }
            .into()),
        }
    }

    /// Applies `step` to `case` inside `tx`: new state (if it changed),
    /// history line, audit record, notification. Returns the new state.
    pub(super) async fn apply_step(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        case: &CaseView,
        step: &Step,
        ctx: StepContext,
    ) -> Result<TaskState, StepError> {
        self.apply_step_as(tx, actor, case, step, ctx, step.name())
            .await
    }

    /// [`Self::apply_step`], notifying `event` (a correction of the advice
    /// is told as such, not as one more advice).
    pub(super) async fn apply_step_as(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        case: &CaseView,
        step: &Step,
        ctx: StepContext,
        event: &str,
    ) -> Result<TaskState, StepError> {
        let state = case.task_state()?;
        let mut next = state.after(step, ctx)?;
        // Whole seconds: stored as text on SQLite, text order is time order.
        next.deadline = next
            .deadline
            .map(|d| d.round(Unit::Second))
            .transpose()
            .map_err(StoreError::internal)?;
        if next != state && !tx.update_task(case.id, case.revision, &next).await? {
            return Err(StoreError::Conflict {
                what: "demande (modifiée entre-temps, rechargez la page)",
                key: case.reference.clone(),
            }
            .into());
        }
        let detail = match step {
            Step::Decline { reason, .. } => Some(reason.trim().to_owned()),
            _ => None,
        };
        let event_id = Uuid::now_v7();
        if let Step::Decline { kind, .. } = step {
            let decline = crate::stats::DeclineRecord {
                id: event_id,
                case_id: case.id,
                at: ctx.now,
                team_id: case.parties.team_id,
                expert_id: Some(actor.caller.person_id),
                kind: kind.code().to_owned(),
            };
            let month = consilium_domain::stats::Month::of(ctx.now).to_string();
            tx.insert_decline(&decline, &month).await?;
        }
        tx.insert_event(&StatusEvent {
            id: event_id,
            case_id: case.id,
            at: ctx.now,
            actor_id: Some(actor.caller.person_id),
            actor_name: None,
            step: step.name().to_owned(),
            from_status: state.status.code().to_owned(),
            to_status: next.status.code().to_owned(),
            detail,
            after: Some(super::TaskSnapshot::of(&next)),
        })
        .await?;
        let entry = AuditEntry::about_case(
            actor,
            Some(case),
            step_action(step),
            Outcome::Success,
            ctx.now,
        );
        audit::append(tx, self.audit_key(), entry).await?;
        crate::notifications::enqueue_notify(tx, actor, case.id, event, ctx.now).await?;
        if let Some(deadline) = next.deadline.filter(|d| Some(*d) != state.deadline) {
            crate::notifications::schedule_reminders(tx, case.id, deadline, ctx.now).await?;
        }
        Ok(next)
    }

    /// Assigns, takes, declines, starts or closes a request.
    pub async fn move_request(
        &self,
        actor: &Actor,
        case_id: Uuid,
        step: &Step,
        now: Timestamp,
    ) -> Result<CaseView, StepError> {
        self.move_request_if(actor, case_id, step, None, now).await
    }

    /// [`Store::move_request`], only if the request is still at version
    /// `if_version` (when given), checked in the same transaction.
    pub async fn move_request_if(
        &self,
        actor: &Actor,
        case_id: Uuid,
        step: &Step,
        if_version: Option<i32>,
        now: Timestamp,
    ) -> Result<CaseView, StepError> {
        let tx = self.backend().begin().await?;
        let (mut tx, case) = self
            .case_for(tx, actor, case_id, step.action(), now)
            .await?;
        still_at(&case, if_version)?;
        match step {
            Step::Assign { expert_id } => {
                let experts = tx.team_experts(case.parties.team_id).await?;
                if !experts.iter().any(|e| e.id == *expert_id) {
                    return Err(StepError::Invalid(
                        "cette personne n'est pas experte de l'équipe / this person is not one of the team's experts".into(),
                    ));
                }
            }
            Step::Decline {
                transfer_to: Some(team),
                ..
            } => {
                let teams = tx.specialty_teams(&case.specialty_code).await?;
                if *team == case.parties.team_id || !teams.iter().any(|t| t.id == *team) {
                    return Err(StepError::Invalid(
                        "choisissez une autre équipe de la région qui offre cette spécialité / choose another team of the region that offers this specialty"
                            .into(),
                    ));
                }
            }
            Step::Decline { .. } | Step::Take | Step::Start | Step::Close => {}
            Step::Ask | Step::Reply | Step::Advise | Step::ProposeVisit => {
                return Err(StepError::Invalid(format!(
                    "« {} » se fait par un message / '{}' is done with a message",
                    step.name(),
                    step.name()
                )));
            }
        }
        self.apply_step(tx.as_mut(), actor, &case, step, context(actor, now))
            .await?;
        crate::stats::refresh(tx.as_mut(), case_id).await?;
        tx.commit().await?;
        Ok(self.case(actor, case_id, now).await?)
    }

    /// Records an in-person appointment proposal (no report here: see
    /// [`Store::propose_visit`], which also regenerates the report).
    pub(super) async fn insert_visit(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        case: &CaseView,
        new: &NewAppointment,
        now: Timestamp,
    ) -> Result<Appointment, StepError> {
        let place = new.place.trim();
        if place.is_empty() {
            return Err(StepError::Invalid(
                "indiquez le lieu du rendez-vous / give the appointment's place".into(),
            ));
        }
        if new.starts_at <= now {
            return Err(StepError::Invalid(
                "le rendez-vous doit être dans le futur / the appointment must be in the future"
                    .into(),
            ));
        }
        let advices = tx.case_advices(case.id).await?;
        let visit_asked = advices.last().is_some_and(|a| a.advice.visit.is_needed());
        let ctx = StepContext {
            visit_asked,
            ..context(actor, now)
        };
        self.apply_step(tx, actor, case, &Step::ProposeVisit, ctx)
            .await?;
        let appointment = Appointment {
            id: Uuid::now_v7(),
            case_id: case.id,
            proposed_by: actor.caller.person_id,
            proposed_by_name: actor.person.display_name(),
            proposed_at: now,
            starts_at: new.starts_at,
            place: place.to_owned(),
            instructions: new.instructions.trim().to_owned(),
        };
        tx.insert_appointment(&appointment).await?;
        Ok(appointment)
    }

    /// Checks an advice can be given now, inside `tx`, and records it.
    pub(super) async fn insert_advice(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        case: &CaseView,
        advice: &Advice,
        key: Option<&str>,
        now: Timestamp,
    ) -> Result<super::AdviceVersion, StepError> {
        let earlier = tx.case_advices(case.id).await?.len();
        let event = if earlier == 0 {
            "advise"
        } else {
            "advise-corrected"
        };
        self.apply_step_as(tx, actor, case, &Step::Advise, context(actor, now), event)
            .await?;
        let version = i32::try_from(earlier).map_err(StoreError::internal)? + 1;
        let message = Message {
            id: Uuid::now_v7(),
            case_id: case.id,
            author_id: actor.caller.person_id,
            author_name: actor.person.display_name(),
            kind: "advice".to_owned(),
            at: now,
            body: advice_summary(advice),
            asks_photos: false,
            upload_ids: Vec::new(),
        };
        if !tx.insert_message(&message, key).await? {
            return Err(StoreError::Conflict {
                what: "clé d'idempotence",
                key: key.unwrap_or_default().to_owned(),
            }
            .into());
        }
        let signed =
            super::AdviceVersion::signed_by(actor, case.id, version, message.id, advice, now);
        if !tx.insert_advice(&signed).await? {
            return Err(StoreError::Conflict {
                what: "avis",
                key: format!("{} v{version}", case.reference),
            }
            .into());
        }
        Ok(signed)
    }
}

pub(super) fn context(actor: &Actor, now: Timestamp) -> StepContext {
    StepContext {
        actor_id: actor.caller.person_id,
        now,
        visit_asked: false,
    }
}

fn step_action(step: &Step) -> &'static str {
    match step {
        Step::Assign { .. } => "case.assign",
        Step::Take => "case.take",
        Step::Decline { .. } => "case.decline",
        Step::Start => "case.start",
        Step::Ask => "case.ask",
        Step::Reply => "case.reply",
        Step::Advise => "case.advise",
        Step::ProposeVisit => "case.propose_visit",
        Step::Close => "case.close",
    }
}

/// The advice as the thread's text (the structured version is in `advices`).
fn advice_summary(advice: &Advice) -> String {
    let code = advice
        .icd10
        .as_ref()
        .map(|c| format!(" ({})", c.as_str()))
        .unwrap_or_default();
    let mut text = format!(
        "Hypothèse diagnostique : {}{code}\nConduite à tenir : {}\n{}",
        advice.hypothesis,
        advice.management,
        advice.visit.label_fr()
    );
    if !advice.note.is_empty() {
        text.push_str("\nNote : ");
        text.push_str(&advice.note);
    }
    text
}

/// Refuses when the client's version of the request is not the current one.
pub(super) fn still_at(case: &CaseView, if_version: Option<i32>) -> Result<(), StepError> {
    match if_version {
        Some(version) if version != case.version => Err(StepError::Stale {
            current: case.version,
        }),
        _ => Ok(()),
    }
}
