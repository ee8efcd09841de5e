//! The case file: everything the case page shows, read in one audited go.

use consilium_domain::{access::CaseAction, directory::Role};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use super::{AdviceVersion, Appointment, Choice, Message, ReportDoc, StatusEvent};
use crate::{
    Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::CaseView,
    requests::Attachment,
};

/// A file attached to a request, with what the page needs to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// The attachment.
    #[serde(flatten)]
    pub attachment: Attachment,
    /// Its sniffed media type.
    pub media_type: String,
    /// True for photos, which have a thumbnail.
    pub has_thumbnail: bool,
    /// The retake hint given at upload, if any.
    pub hint: Option<String>,
}

/// An earlier request of the same patient at the same centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierCase {
    /// The request.
    pub case: CaseView,
    /// Its files.
    pub files: Vec<FileEntry>,
}

/// Everything about one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFile {
    /// The request.
    pub case: CaseView,
    /// Its files, those sent with replies included.
    pub files: Vec<FileEntry>,
    /// The thread, oldest first.
    pub messages: Vec<Message>,
    /// The advice versions, oldest first.
    pub advices: Vec<AdviceVersion>,
    /// The appointments proposed, oldest first.
    pub appointments: Vec<Appointment>,
    /// The report versions, oldest first.
    pub reports: Vec<ReportDoc>,
    /// The status history, oldest first.
    pub history: Vec<StatusEvent>,
    /// Earlier requests of the patient at this centre the actor may read.
    pub earlier: Vec<EarlierCase>,
    /// The team's experts (for a coordinator assigning).
    pub experts: Vec<Choice>,
    /// Other teams of the region for the specialty (for an expert declining).
    pub other_teams: Vec<Choice>,
}

impl Store {
    /// The file of the request a message, report or appointment belongs
    /// to, if the actor may read it (audited as a read of that request).
    pub async fn case_file_of_object(
        &self,
        actor: &Actor,
        object_id: Uuid,
        now: Timestamp,
    ) -> Result<CaseFile, StoreError> {
        let case_id = self
            .backend()
            .begin()
            .await?
            .case_of_object(object_id)
            .await?;
        // A missing object reads like a missing request: same audit, same 404.
        self.case_file(actor, case_id.unwrap_or(object_id), now)
            .await
    }

    /// True when `id` is a report (the read that follows is audited).
    pub async fn is_report(&self, id: Uuid) -> Result<bool, StoreError> {
        Ok(self.backend().begin().await?.report(id).await?.is_some())
    }

    /// The whole file of a request the actor may read (audited as one read,
    /// like [`Store::case`]); anyone else gets not found.
    pub async fn case_file(
        &self,
        actor: &Actor,
        case_id: Uuid,
        now: Timestamp,
    ) -> Result<CaseFile, StoreError> {
        let case = self.case(actor, case_id, now).await?;
        let mut tx = self.backend().begin().await?;
        let files = files_of(tx.as_mut(), case_id).await?;
        let mut earlier = Vec::new();
        for other in tx
            .patient_cases_at_centre(case.patient.id, case.parties.centre_id)
            .await?
        {
            if other.id != case_id && actor.caller.may(CaseAction::Read, &other.parties) {
                // Shown beside this one, so read: audited like any read.
                let entry =
                    AuditEntry::about_case(actor, Some(&other), "case.read", Outcome::Success, now);
                audit::append(tx.as_mut(), self.audit_key(), entry).await?;
                let files = files_of(tx.as_mut(), other.id).await?;
                earlier.push(EarlierCase { case: other, files });
            }
        }
        let coordinator = actor.caller.may(CaseAction::Assign, &case.parties);
        let expert = actor.caller.roles.iter().any(|r| r.role == Role::Expert)
            && actor.caller.may(CaseAction::Take, &case.parties);
        let experts = if coordinator {
            tx.team_experts(case.parties.team_id).await?
        } else {
            Vec::new()
        };
        let other_teams = if expert || coordinator {
            tx.specialty_teams(&case.specialty_code)
                .await?
                .into_iter()
                .filter(|t| t.id != case.parties.team_id)
                .collect()
        } else {
            Vec::new()
        };
        let file = CaseFile {
            files,
            messages: tx.case_messages(case_id).await?,
            advices: tx.case_advices(case_id).await?,
            appointments: tx.case_appointments(case_id).await?,
            reports: tx.case_reports(case_id).await?,
            history: tx.case_events(case_id).await?,
            earlier,
            experts,
            other_teams,
            case,
        };
        tx.commit().await?;
        Ok(file)
    }
}

pub(crate) async fn files_of(tx: &mut dyn Tx, case_id: Uuid) -> Result<Vec<FileEntry>, StoreError> {
    let mut files = Vec::new();
    for attachment in tx.attachments(case_id).await? {
        if let Some(file) = tx.upload(attachment.upload_id).await?.and_then(|u| u.file) {
            files.push(FileEntry {
                attachment,
                media_type: file.media_type,
                has_thumbnail: file.thumbnail_key.is_some(),
                hint: file.hint,
            });
        }
    }
    Ok(files)
}
