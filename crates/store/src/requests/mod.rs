//! Filing a tele-expertise request: a draft the requester fills in (patient,
//! consent, answers, photos), then one submission that routes it to a team
//! with a deadline. Retrying a submission never makes a second request.

use consilium_domain::{
    directory::{Role, SpecialtyCode},
    questionnaire::{Answer, Answers, Form},
};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

mod attachments;
mod tx;
pub use attachments::PHOTO_KINDS;
pub use tx::RequestTx;

use crate::{
    NewPatient, OrgKey, Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::{CaseView, NewCase},
    directory::{existing_org, existing_team},
    identity::resolve_patient,
};

/// Which patient a request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientChoice {
    /// One already known to the site.
    Known(Uuid),
    /// A new identity (an INS already known is that patient, if the traits match).
    New(NewPatient),
}

/// What starts a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    /// The patient.
    pub patient: PatientChoice,
    /// The specialty asked.
    pub specialty: SpecialtyCode,
    /// Another centre than the site's default one, if the requester chose.
    pub centre: Option<OrgKey>,
    /// A client-chosen key: the same key returns the same request.
    pub idempotency_key: Option<String>,
    /// The requester asks for an answer as soon as possible (shown in red
    /// in the queue; the deadline stays the team's).
    pub urgent: bool,
}

/// A file attached to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The upload.
    pub upload_id: Uuid,
    /// Which question it answers (`photos`, `ecg`, `documents`).
    pub item: String,
    /// Where on the body.
    pub body_site: Option<String>,
    /// `overview`, `close_up` or `dermoscopic`.
    pub photo_kind: Option<String>,
}

fn not_found(what: &'static str, key: impl ToString) -> StoreError {
    StoreError::NotFound {
        what,
        key: key.to_string(),
    }
}

/// Why a request cannot be submitted.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The answers are incomplete or invalid (names the field).
    #[error(transparent)]
    Answers(#[from] consilium_domain::questionnaire::AnswerError),
    /// Anything else.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// The patients known to the actor's requesting site (audited as a
    /// search naming each of them).
    pub async fn site_patients(
        &self,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Vec<crate::cases::PatientView>, StoreError> {
        let site = requesting_site(actor)?;
        let mut tx = self.backend().begin().await?;
        let patients = tx.site_patients(site).await?;
        let entry = AuditEntry {
            organization_id: Some(site),
            ..AuditEntry::by(actor, "patient.search", Outcome::Success, now)
        }
        .naming(patients.iter().map(|p| p.id));
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(patients)
    }

    /// Starts a draft request (or returns the one made with the same key).
    pub async fn start_request(
        &self,
        actor: &Actor,
        new: &NewRequest,
        now: Timestamp,
    ) -> Result<CaseView, StoreError> {
        let site_id = requesting_site(actor)?;
        let requester_id = actor.caller.person_id;
        let mut tx = self.backend().begin().await?;
        if let Some(key) = &new.idempotency_key
            && let Some(existing) = tx.case_by_key(requester_id, key).await?
        {
            return tx
                .case_view(existing)
                .await?
                .ok_or_else(|| not_found("dossier", existing));
        }
        let team = match &new.centre {
            Some(centre) => {
                let centre = existing_org(tx.as_mut(), centre).await?;
                existing_team(tx.as_mut(), &centre, &new.specialty).await?
            }
            None => tx
                .site_route(site_id, &new.specialty)
                .await?
                .ok_or_else(|| not_found("équipe", &new.specialty))?,
        };
        let patient_id = match resolve_patient(tx.as_mut(), actor, &new.patient, site_id, now).await
        {
            Ok(id) => id,
            Err(err) => {
                drop(tx);
                return Err(self.record_identity_refusal(actor, site_id, err, now).await);
            }
        };
        let id = Uuid::now_v7();
        let mut case = NewCase {
            reference: next_reference(tx.as_mut(), now).await?,
            patient_id,
            requester_id,
            site_id,
            team_id: team.id,
            status: "draft".to_owned(),
            priority: if new.urgent { "urgent" } else { "routine" }.to_owned(),
            created_at: now,
            idempotency_key: new.idempotency_key.clone(),
        };
        // References from before the sequence may hold a number: skip it.
        let mut tries = 0;
        while !tx.insert_case(id, &case).await? {
            // A concurrent request with the same key won the race: it is the answer.
            let winner = match &new.idempotency_key {
                Some(key) => tx.case_by_key(requester_id, key).await?,
                None => None,
            };
            if let Some(winner) = winner {
                drop(tx);
                return self.case(actor, winner, now).await;
            }
            tries += 1;
            if tries > 100 {
                return Err(StoreError::Conflict {
                    what: "dossier",
                    key: case.reference,
                });
            }
            case.reference = next_reference(tx.as_mut(), now).await?;
        }
        self.audit_request(
            tx.as_mut(),
            actor,
            Subject {
                site_id,
                patient_id,
                case_id: id,
            },
            "case.create",
            now,
        )
        .await?;
        tx.commit().await?;
        self.case(actor, id, now).await
    }

    /// Saves a draft's answers (complete or not); consent is recorded with
    /// who and when the moment it is given.
    pub async fn save_answers(
        &self,
        actor: &Actor,
        case_id: Uuid,
        answers: &Answers,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        let case = own_draft(tx.as_mut(), actor, case_id).await?;
        let consent = matches!(answers.get("consent"), Some(Answer::Boolean(true)))
            .then_some((actor.caller.person_id, now));
        let json = serde_json::to_value(answers).map_err(StoreError::internal)?;
        if !tx.save_answers(case_id, &json, consent).await? {
            return Err(not_found("brouillon", case_id));
        }
        self.audit_request(tx.as_mut(), actor, Subject::of(&case), "case.update", now)
            .await?;
        tx.commit().await
    }

    /// Submits a draft: the answers must be complete for `form`; the request
    /// goes to its team with status `requested` and a deadline. Submitting
    /// again (a double click, a retry, a concurrent request) returns the
    /// same request unchanged.
    pub async fn submit_request(
        &self,
        actor: &Actor,
        case_id: Uuid,
        form: &Form,
        now: Timestamp,
    ) -> Result<CaseView, SubmitError> {
        let mut tx = self.backend().begin().await?;
        let case = tx
            .case_view(case_id)
            .await?
            .filter(|c| c.parties.requester_id == actor.caller.person_id)
            .ok_or_else(|| not_found("dossier", case_id))?;
        if case.status != "draft" {
            drop(tx);
            return Ok(self.case(actor, case_id, now).await?);
        }
        let answers: Answers =
            serde_json::from_value(case.answers.clone()).map_err(StoreError::internal)?;
        let mut with_files = answers.clone();
        for mut attachment in tx.attachments(case_id).await? {
            // A photo with no body site was taken of the lesion the
            // questionnaire locates: say so, for the expert and the report.
            if let (None, "photos", Some(Answer::Text(site))) = (
                &attachment.body_site,
                attachment.item.as_str(),
                answers.get("body_site"),
            ) {
                attachment.body_site = Some(site.clone());
                tx.describe_attachment(case_id, &attachment).await?;
            }
            let entry = with_files
                .entry(attachment.item)
                .or_insert_with(|| Answer::Attachments(vec![]));
            if let Answer::Attachments(ids) = entry {
                ids.push(attachment.upload_id);
            }
        }
        form.validate(&with_files)?;
        let team = tx
            .team_by_id(case.parties.team_id)
            .await?
            .ok_or_else(|| not_found("équipe", case.parties.team_id))?;
        let target = SignedDuration::from_hours(i64::from(team.response_target.hours()));
        // Whole seconds: stored as text on SQLite, text order is time order.
        let deadline = now
            .saturating_add(target)
            .and_then(|d| d.round(jiff::Unit::Second))
            .map_err(StoreError::internal)?;
        if tx.submit_case(case_id, now, deadline).await? {
            tx.insert_event(&crate::expertise::StatusEvent {
                id: Uuid::now_v7(),
                case_id,
                at: now,
                actor_id: Some(actor.caller.person_id),
                actor_name: None,
                step: "submit".to_owned(),
                from_status: "draft".to_owned(),
                to_status: "requested".to_owned(),
                detail: None,
                after: Some(crate::expertise::TaskSnapshot {
                    team_id: case.parties.team_id,
                    owner_id: None,
                    deadline: Some(deadline),
                    answered: false,
                    status_reason: None,
                }),
            })
            .await?;
            self.audit_request(tx.as_mut(), actor, Subject::of(&case), "case.submit", now)
                .await?;
            crate::notifications::enqueue_notify(tx.as_mut(), actor, case_id, "submit", now)
                .await?;
            crate::notifications::schedule_reminders(tx.as_mut(), case_id, deadline, now).await?;
            crate::stats::refresh(tx.as_mut(), case_id).await?;
            tx.commit().await?;
        }
        Ok(self.case(actor, case_id, now).await?)
    }

    async fn audit_request(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        subject: Subject,
        action: &'static str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let Subject {
            site_id,
            patient_id,
            case_id,
        } = subject;
        let entry = AuditEntry {
            organization_id: Some(site_id),
            patient_id: Some(patient_id),
            case_id: Some(case_id),
            ..AuditEntry::by(actor, action, Outcome::Success, now)
        };
        audit::append(tx, self.audit_key(), entry).await
    }
}

/// What an audit record of a request names.
#[derive(Debug, Clone, Copy)]
struct Subject {
    site_id: Uuid,
    patient_id: Uuid,
    case_id: Uuid,
}

impl Subject {
    fn of(case: &CaseView) -> Self {
        Self {
            site_id: case.parties.site_id,
            patient_id: case.patient.id,
            case_id: case.id,
        }
    }
}

/// The site the actor files requests for (their first requester role).
pub(crate) fn requesting_site(actor: &Actor) -> Result<Uuid, StoreError> {
    actor
        .caller
        .roles
        .iter()
        .find(|r| r.role == Role::Requester)
        .map(|r| r.organization_id)
        .ok_or_else(|| not_found("site requérant", actor.person.email.as_str()))
}

async fn own_draft(tx: &mut dyn Tx, actor: &Actor, case_id: Uuid) -> Result<CaseView, StoreError> {
    tx.case_view(case_id)
        .await?
        .filter(|c| c.parties.requester_id == actor.caller.person_id && c.status == "draft")
        .ok_or_else(|| not_found("brouillon", case_id))
}

/// `TE-2026-0042`: the year in Paris and the next number of its sequence,
/// taken in the request's own transaction (unique by construction, and
/// easy to read over the phone).
async fn next_reference(tx: &mut dyn Tx, now: Timestamp) -> Result<String, StoreError> {
    let paris = jiff::tz::TimeZone::get("Europe/Paris").map_err(StoreError::internal)?;
    let year = now.to_zoned(paris).year();
    let number = tx.next_reference("TE", year).await?;
    Ok(format!("TE-{year}-{number:04}"))
}
