//! Resumable uploads (the tus protocol's state): who uploads what, how much
//! has arrived, and — once complete — the cleaned file, its thumbnail and
//! scores. The bytes themselves are age-sealed chunks in the blob store;
//! every node reads the same offset from the database, so any node can
//! resume an upload another began.

use async_trait::async_trait;
use consilium_blobs::{BlobStore, image};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use uuid::Uuid;

use consilium_domain::access::CaseAction;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
};

mod quota;
pub use quota::{Pending, UploadQuota};

/// How long an unfinished upload is kept.
pub const UPLOAD_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// Where an upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadState {
    /// Bytes still arriving.
    Receiving,
    /// Complete, checked and stored.
    Complete,
    /// Complete but refused (type, size, pixels).
    Refused,
}

impl UploadState {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Receiving => "receiving",
            Self::Complete => "complete",
            Self::Refused => "refused",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Receiving, Self::Complete, Self::Refused]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What a complete upload turned into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFile {
    /// The media type, from sniffing (never the client's).
    pub media_type: String,
    /// The cleaned file's object key.
    pub blob_key: String,
    /// The key it is sealed to.
    pub key_id: String,
    /// The thumbnail's object key (images).
    pub thumbnail_key: Option<String>,
    /// SHA-256 of the bytes as received, hex.
    pub sha256: String,
    /// Pixel size (images).
    pub dimensions: Option<(u32, u32)>,
    /// Sharpness score (images).
    pub sharpness: Option<f64>,
    /// Mean brightness (images).
    pub brightness: Option<f64>,
    /// The retake hint, if any: `blurred`, `too_dark`, `too_bright`.
    pub hint: Option<String>,
}

/// An upload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Upload {
    /// Its id (the tus URL's last segment, and the FHIR Binary id).
    pub id: Uuid,
    /// Who uploads it.
    pub owner_id: Uuid,
    /// Its announced size.
    pub length: u64,
    /// Bytes received so far.
    pub received: u64,
    /// The client's metadata (filename, body site, kind), as JSON.
    pub metadata: serde_json::Value,
    /// When it began.
    pub created_at: Timestamp,
    /// When an unfinished upload is thrown away.
    pub expires_at: Timestamp,
    /// Where it stands.
    pub state: UploadState,
    /// The stored file, once complete.
    pub file: Option<StoredFile>,
    /// Why it was refused.
    pub refusal: Option<String>,
}

/// A received chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Offset of its first byte.
    pub start: u64,
    /// Its length.
    pub length: u64,
    /// Its sealed object.
    pub blob_key: String,
}

/// The upload primitives.
#[async_trait]
pub trait UploadTx: Send {
    /// Stores a new upload.
    async fn insert_upload(&mut self, upload: &Upload) -> Result<(), StoreError>;
    /// An upload.
    async fn upload(&mut self, id: Uuid) -> Result<Option<Upload>, StoreError>;
    /// Records a chunk, if the upload is still at offset `chunk.start`;
    /// false otherwise (another request moved it).
    async fn append_chunk(&mut self, upload_id: Uuid, chunk: &Chunk) -> Result<bool, StoreError>;
    /// The chunks, in order.
    async fn chunks(&mut self, upload_id: Uuid) -> Result<Vec<Chunk>, StoreError>;
    /// Marks an upload complete with its stored file.
    async fn complete_upload(
        &mut self,
        upload_id: Uuid,
        file: &StoredFile,
    ) -> Result<(), StoreError>;
    /// Marks an upload refused.
    async fn refuse_upload(&mut self, upload_id: Uuid, reason: &str) -> Result<(), StoreError>;
    /// Deletes an upload and its chunk rows.
    async fn delete_upload(&mut self, upload_id: Uuid) -> Result<(), StoreError>;
    /// The owner's uploads still arriving (and not expired) or complete but
    /// not attached to a sent request.
    async fn pending_uploads(
        &mut self,
        owner_id: Uuid,
        now: Timestamp,
    ) -> Result<Pending, StoreError>;
    /// True when a request or a message holds the upload.
    async fn upload_in_use(&mut self, upload_id: Uuid) -> Result<bool, StoreError>;
}

/// Bytes arriving for an upload.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The upload.
    pub id: Uuid,
    /// Where the client says they go.
    pub offset: u64,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// Why an append is refused (the tus status codes follow from these).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The client's offset is not the server's (tus: 409).
    #[error(
        "décalage incorrect : le serveur a reçu {expected} octets / wrong offset: the server has {expected} bytes"
    )]
    OffsetMismatch {
        /// The server's offset.
        expected: u64,
    },
    /// More bytes than announced (tus: 413 or 400).
    #[error("plus d'octets que la taille annoncée / more bytes than the announced length")]
    TooLong,
    /// The upload is finished or expired.
    #[error("envoi terminé ou expiré / upload finished or expired")]
    Closed,
    /// The file was refused by the checks.
    #[error("{0}")]
    Refused(image::ImageError),
    /// The blob store failed.
    #[error("stockage indisponible / storage unavailable: {0}")]
    Blob(#[from] consilium_blobs::BlobError),
    /// The caller has too much pending already (tus: 413).
    #[error(
        "trop de fichiers en attente d'envoi ({files} fichiers, {mb} Mo) : envoyez ou supprimez vos brouillons, ou attendez 24 h / too many files waiting to be sent ({files} files, {mb} MB): send or delete your drafts, or wait 24 h"
    )]
    Quota {
        /// Pending files.
        files: u64,
        /// Pending megabytes.
        mb: u64,
    },
    /// Attached to a request or a message: it stays (tus termination: 409).
    #[error(
        "fichier joint à une demande : il ne peut plus être supprimé / attached to a request: it cannot be deleted"
    )]
    InUse,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Starts an upload of `length` bytes for the actor, if their roles
    /// attach files (anyone else: not found) and it fits their `quota`.
    /// The check and the insert hold the audit chain's lock, so concurrent
    /// creations cannot overshoot together. Refusals are audited.
    pub async fn create_upload(
        &self,
        actor: &Actor,
        length: u64,
        metadata: serde_json::Value,
        quota: UploadQuota,
        now: Timestamp,
    ) -> Result<Upload, UploadError> {
        let upload = Upload {
            id: Uuid::now_v7(),
            owner_id: actor.caller.person_id,
            length,
            received: 0,
            metadata,
            created_at: now,
            expires_at: now
                .saturating_add(UPLOAD_LIFETIME)
                .map_err(StoreError::internal)?,
            state: UploadState::Receiving,
            file: None,
            refusal: None,
        };
        let mut tx = self.backend().begin().await?;
        tx.lock_audit_head().await?;
        let refusal = if !actor.caller.may_upload() {
            Some(UploadError::Store(StoreError::NotFound {
                what: "envoi",
                key: "files".into(),
            }))
        } else {
            let pending = tx.pending_uploads(actor.caller.person_id, now).await?;
            (!quota.allows(pending, length)).then(|| UploadError::Quota {
                files: pending.files,
                mb: pending.bytes.div_ceil(1024 * 1024),
            })
        };
        if let Some(refusal) = refusal {
            self.audit_upload(
                tx.as_mut(),
                actor,
                upload.id,
                "upload.create",
                Outcome::Denied,
                now,
            )
            .await?;
            tx.commit().await?;
            return Err(refusal);
        }
        tx.insert_upload(&upload).await?;
        self.audit_upload(
            tx.as_mut(),
            actor,
            upload.id,
            "upload.create",
            Outcome::Success,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(upload)
    }

    /// The actor's own upload; anyone else's is not found (audited).
    pub async fn upload(
        &self,
        actor: &Actor,
        id: Uuid,
        now: Timestamp,
    ) -> Result<Upload, StoreError> {
        let mut tx = self.backend().begin().await?;
        let upload = tx.upload(id).await?;
        let mine = upload
            .as_ref()
            .is_some_and(|u| u.owner_id == actor.caller.person_id);
        match upload {
            Some(u) if mine && (u.state != UploadState::Receiving || now < u.expires_at) => Ok(u),
            found => {
                let outcome = if found.is_some() && !mine {
                    Outcome::Denied
                } else {
                    Outcome::NotFound
                };
                self.audit_upload(tx.as_mut(), actor, id, "upload.read", outcome, now)
                    .await?;
                tx.commit().await?;
                Err(StoreError::NotFound {
                    what: "envoi",
                    key: id.to_string(),
                })
            }
        }
    }

    /// Appends `bytes` at `offset`: sealed into the blob store first, then
    /// recorded (so an acknowledged offset is always backed by a durable
    /// chunk). When the last byte arrives, the file is assembled, checked,
    /// cleaned and stored.
    pub async fn append_upload(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        limits: image::Limits,
        incoming: Incoming<'_>,
        now: Timestamp,
    ) -> Result<Upload, UploadError> {
        let Incoming { id, offset, bytes } = incoming;
        let upload = self.upload(actor, id, now).await?;
        if upload.state != UploadState::Receiving {
            return Err(UploadError::Closed);
        }
        if offset != upload.received {
            return Err(UploadError::OffsetMismatch {
                expected: upload.received,
            });
        }
        if offset + bytes.len() as u64 > upload.length {
            return Err(UploadError::TooLong);
        }
        if !bytes.is_empty() {
            let sealed = blobs.put(bytes).await?;
            let chunk = Chunk {
                start: offset,
                length: bytes.len() as u64,
                blob_key: sealed.key.clone(),
            };
            let mut tx = self.backend().begin().await?;
            if !tx.append_chunk(id, &chunk).await? {
                drop(tx);
                blobs.delete(&sealed.key).await?;
                let current = self.upload(actor, id, now).await?;
                return Err(UploadError::OffsetMismatch {
                    expected: current.received,
                });
            }
            tx.commit().await?;
        }
        let upload = self.upload(actor, id, now).await?;
        if upload.received == upload.length {
            return self.finish_upload(actor, blobs, limits, upload, now).await;
        }
        Ok(upload)
    }

    async fn finish_upload(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        limits: image::Limits,
        upload: Upload,
        now: Timestamp,
    ) -> Result<Upload, UploadError> {
        let chunks = self.backend().begin().await?.chunks(upload.id).await?;
        let mut whole = Vec::with_capacity(usize::try_from(upload.length).unwrap_or(0));
        for chunk in &chunks {
            whole.extend_from_slice(&blobs.get(&chunk.blob_key).await?);
        }
        let sha256 = consilium_blobs::sha256_hex(&whole);
        let declared = upload.metadata["filetype"].as_str();
        let ingested =
            consilium_blobs::image::ingest_blocking(whole, declared, limits, blobs.decode_budget())
                .await;
        let mut tx = self.backend().begin().await?;
        let outcome = match ingested {
            Ok(ingested) => {
                let stored = blobs.put(&ingested.cleaned).await?;
                let thumbnail = match &ingested.thumbnail {
                    Some(t) => Some(blobs.put(t).await?.key),
                    None => None,
                };
                let hint = ingested.quality.map(|q| q.hint()).and_then(|h| match h {
                    image::QualityHint::Fine => None,
                    image::QualityHint::Blurred => Some("blurred".to_owned()),
                    image::QualityHint::TooDark => Some("too_dark".to_owned()),
                    image::QualityHint::TooBright => Some("too_bright".to_owned()),
                });
                let file = StoredFile {
                    media_type: ingested.kind.media_type().to_owned(),
                    blob_key: stored.key,
                    key_id: stored.key_id.to_string(),
                    thumbnail_key: thumbnail,
                    sha256,
                    dimensions: ingested.dimensions,
                    sharpness: ingested.quality.map(|q| q.sharpness),
                    brightness: ingested.quality.map(|q| q.brightness),
                    hint,
                };
                tx.complete_upload(upload.id, &file).await?;
                Ok(())
            }
            Err(refusal) => {
                tx.refuse_upload(upload.id, &refusal.to_string()).await?;
                Err(refusal)
            }
        };
        let result = if outcome.is_ok() {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        self.audit_upload(
            tx.as_mut(),
            actor,
            upload.id,
            "upload.complete",
            result,
            now,
        )
        .await?;
        tx.commit().await?;
        // The chunks served their purpose: the cleaned file is what stays.
        for chunk in chunks {
            blobs.delete(&chunk.blob_key).await?;
        }
        outcome.map_err(UploadError::Refused)?;
        Ok(self.upload(actor, upload.id, now).await?)
    }

    /// Cancels an upload (tus termination) and deletes what it stored.
    pub async fn delete_upload(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        id: Uuid,
        now: Timestamp,
    ) -> Result<(), UploadError> {
        let upload = self.upload(actor, id, now).await?;
        let mut tx = self.backend().begin().await?;
        if tx.upload_in_use(id).await? {
            return Err(UploadError::InUse);
        }
        let chunks = tx.chunks(id).await?;
        tx.delete_upload(id).await?;
        self.audit_upload(
            tx.as_mut(),
            actor,
            id,
            "upload.delete",
            Outcome::Success,
            now,
        )
        .await?;
        tx.commit().await?;
        let file_keys = upload
            .file
            .iter()
            .flat_map(|f| std::iter::once(f.blob_key.clone()).chain(f.thumbnail_key.clone()));
        for key in chunks.into_iter().map(|c| c.blob_key).chain(file_keys) {
            blobs.delete(&key).await?;
        }
        Ok(())
    }

    /// The stored file of a complete upload (or its thumbnail), decrypted,
    /// with its media type: for its uploader, and once attached to a
    /// request, for whoever may read that request. Anyone else: not found.
    pub async fn read_upload(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        id: Uuid,
        thumbnail: bool,
        now: Timestamp,
    ) -> Result<(Vec<u8>, String), UploadError> {
        let mut tx = self.backend().begin().await?;
        let upload = tx.upload(id).await?;
        let case = match tx.case_of_upload(id).await? {
            Some(case_id) => tx.case_view(case_id).await?,
            None => None,
        };
        let owner = upload
            .as_ref()
            .is_some_and(|u| u.owner_id == actor.caller.person_id);
        let via_case = case
            .as_ref()
            .filter(|c| actor.caller.may(CaseAction::Read, &c.parties));
        let file = upload
            .and_then(|u| u.file)
            .filter(|_| owner || via_case.is_some());
        let outcome = if file.is_some() {
            Outcome::Success
        } else {
            Outcome::Denied
        };
        let entry = AuditEntry {
            object_id: Some(id),
            ..AuditEntry::about_case(actor, via_case, "binary.read", outcome, now)
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        let missing = || StoreError::NotFound {
            what: "fichier",
            key: id.to_string(),
        };
        let file = file.ok_or_else(missing)?;
        let (key, media_type) = match (thumbnail, &file.thumbnail_key) {
            (true, Some(t)) => (t.clone(), "image/jpeg".to_owned()),
            (true, None) => return Err(missing().into()),
            (false, _) => (file.blob_key.clone(), file.media_type.clone()),
        };
        Ok((blobs.get(&key).await?, media_type))
    }

    async fn audit_upload(
        &self,
        tx: &mut dyn crate::Tx,
        actor: &Actor,
        upload_id: Uuid,
        action: &'static str,
        outcome: Outcome,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            object_id: Some(upload_id),
            ..AuditEntry::by(actor, action, outcome, now)
        };
        audit::append(tx, self.audit_key(), entry).await
    }
}
