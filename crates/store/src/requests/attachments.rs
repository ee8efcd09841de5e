//! A draft's files: attached from the requester's own uploads, described
//! (view and body site, per photo), and removed — a blurred photo is taken
//! again rather than sent.

use consilium_blobs::BlobStore;
use consilium_domain::questionnaire::{AnswerError, Form};
use jiff::Timestamp;
use uuid::Uuid;

use super::{Attachment, Subject, not_found, own_draft};
use crate::{
    Store, StoreError,
    audit::{AuditEntry, Outcome},
    auth::Actor,
    expertise::FileEntry,
    uploads::UploadError,
};

/// The views a photo may be.
pub const PHOTO_KINDS: [&str; 3] = ["overview", "close_up", "dermoscopic"];

impl Store {
    /// Attaches one of the actor's completed uploads to their draft, as the
    /// answer to one of the file questions of its specialty's form (among
    /// `forms`); any other question is refused, so a draft always stays
    /// sendable.
    pub async fn attach_upload(
        &self,
        actor: &Actor,
        case_id: Uuid,
        attachment: &Attachment,
        forms: &[&Form],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend().begin().await?;
        let case = own_draft(tx.as_mut(), actor, case_id).await?;
        forms
            .iter()
            .find(|f| f.specialty.as_str() == case.specialty_code)
            .ok_or_else(|| not_found("questionnaire", &case.specialty_code))?
            .takes_files(&attachment.item)?;
        let upload = tx.upload(attachment.upload_id).await?;
        let usable = upload.is_some_and(|u| {
            u.owner_id == actor.caller.person_id && u.state == crate::uploads::UploadState::Complete
        });
        if !usable {
            return Err(not_found("fichier", attachment.upload_id));
        }
        if !tx.attach(case_id, attachment).await?
            && tx.case_of_upload(attachment.upload_id).await? != Some(case_id)
        {
            return Err(StoreError::Conflict {
                what: "fichier",
                key: attachment.upload_id.to_string(),
            });
        }
        self.audit_request(tx.as_mut(), actor, Subject::of(&case), "case.attach", now)
            .await?;
        tx.commit().await
    }

    /// A request's attachments, for whoever may read the request.
    pub async fn attachments(
        &self,
        actor: &Actor,
        case_id: Uuid,
        now: Timestamp,
    ) -> Result<Vec<Attachment>, StoreError> {
        self.case(actor, case_id, now).await?;
        self.backend().begin().await?.attachments(case_id).await
    }

    /// A request's files with what a page shows of them (media type,
    /// thumbnail, the quality check's hint), for whoever may read it.
    pub async fn attached_files(
        &self,
        actor: &Actor,
        case_id: Uuid,
        now: Timestamp,
    ) -> Result<Vec<FileEntry>, StoreError> {
        self.case(actor, case_id, now).await?;
        let mut tx = self.backend().begin().await?;
        crate::expertise::files_of(tx.as_mut(), case_id).await
    }

    /// Sets the view and body site of photos already attached to the
    /// actor's draft (what the page's per-photo fields say). Files of other
    /// requests are left alone; an unknown view is refused.
    pub async fn describe_attachments(
        &self,
        actor: &Actor,
        case_id: Uuid,
        described: &[Attachment],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if described.is_empty() {
            return Ok(());
        }
        if let Some(kind) = described
            .iter()
            .filter_map(|a| a.photo_kind.as_deref())
            .find(|k| !PHOTO_KINDS.contains(k))
        {
            return Err(AnswerError::Invalid(format!("vue {kind}")).into());
        }
        let mut tx = self.backend().begin().await?;
        let case = own_draft(tx.as_mut(), actor, case_id).await?;
        let mut changed = false;
        for attachment in described {
            changed |= tx.describe_attachment(case_id, attachment).await?;
        }
        if changed {
            self.audit_request(tx.as_mut(), actor, Subject::of(&case), "case.update", now)
                .await?;
        }
        tx.commit().await
    }

    /// Takes a file off the actor's draft and deletes it (nothing of a
    /// photo the requester chose not to send is kept).
    pub async fn remove_attachment(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        case_id: Uuid,
        upload_id: Uuid,
        now: Timestamp,
    ) -> Result<(), UploadError> {
        let mut tx = self.backend().begin().await?;
        let case = own_draft(tx.as_mut(), actor, case_id).await?;
        let keys = drop_file(tx.as_mut(), case_id, upload_id).await?;
        let entry = AuditEntry {
            object_id: Some(upload_id),
            ..audit_entry(actor, &case, "case.detach", now)
        };
        crate::audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        delete_blobs(blobs, keys).await
    }

    /// Deletes the actor's draft and its files: a request the GP will not
    /// send leaves no patient data behind (the audit trail says it existed).
    pub async fn delete_draft(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        case_id: Uuid,
        now: Timestamp,
    ) -> Result<(), UploadError> {
        let mut tx = self.backend().begin().await?;
        let case = own_draft(tx.as_mut(), actor, case_id).await?;
        let mut keys = Vec::new();
        for attachment in tx.attachments(case_id).await? {
            keys.extend(drop_file(tx.as_mut(), case_id, attachment.upload_id).await?);
        }
        if !tx.delete_draft(case_id).await? {
            return Err(not_found("brouillon", case_id).into());
        }
        let entry = audit_entry(actor, &case, "case.delete", now);
        crate::audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        delete_blobs(blobs, keys).await
    }
}

fn audit_entry(
    actor: &Actor,
    case: &crate::cases::CaseView,
    action: &'static str,
    now: Timestamp,
) -> AuditEntry {
    AuditEntry {
        organization_id: Some(case.parties.site_id),
        patient_id: Some(case.patient.id),
        case_id: Some(case.id),
        ..AuditEntry::by(actor, action, Outcome::Success, now)
    }
}

/// Takes one upload off a draft and deletes its rows; the keys of its
/// sealed bytes, to delete once the transaction is committed.
async fn drop_file(
    tx: &mut dyn crate::Tx,
    case_id: Uuid,
    upload_id: Uuid,
) -> Result<Vec<String>, StoreError> {
    if !tx.detach(case_id, upload_id).await? {
        return Err(not_found("fichier", upload_id));
    }
    let upload = tx.upload(upload_id).await?;
    let chunks = tx.chunks(upload_id).await?;
    tx.delete_upload(upload_id).await?;
    let file_keys = upload
        .and_then(|u| u.file)
        .into_iter()
        .flat_map(|f| std::iter::once(f.blob_key).chain(f.thumbnail_key));
    Ok(chunks
        .into_iter()
        .map(|c| c.blob_key)
        .chain(file_keys)
        .collect())
}

/// After the commit: a crash here leaves unreachable sealed bytes, never a
/// request pointing at a missing file.
async fn delete_blobs(blobs: &BlobStore, keys: Vec<String>) -> Result<(), UploadError> {
    for key in keys {
        blobs.delete(&key).await?;
    }
    Ok(())
}
