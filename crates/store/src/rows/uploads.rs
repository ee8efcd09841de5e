use uuid::Uuid;

use crate::{
    StoreError,
    uploads::{Chunk, StoredFile, Upload, UploadState},
};

/// A row of `uploads`.
#[derive(Debug, sqlx::FromRow)]
pub struct UploadRow {
    id: Uuid,
    owner_id: Uuid,
    length: i64,
    received: i64,
    metadata: String,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
    state: String,
    media_type: Option<String>,
    blob_key: Option<String>,
    key_id: Option<String>,
    thumbnail_key: Option<String>,
    sha256: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    sharpness: Option<f64>,
    brightness: Option<f64>,
    hint: Option<String>,
    refusal: Option<String>,
}

impl TryFrom<UploadRow> for Upload {
    type Error = StoreError;
    fn try_from(row: UploadRow) -> Result<Self, StoreError> {
        let unsigned = |v: i64| u64::try_from(v).map_err(StoreError::internal);
        let file = match (row.media_type, row.blob_key, row.key_id, row.sha256) {
            (Some(media_type), Some(blob_key), Some(key_id), Some(sha256)) => Some(StoredFile {
                media_type,
                blob_key,
                key_id,
                thumbnail_key: row.thumbnail_key,
                sha256,
                dimensions: row
                    .width
                    .zip(row.height)
                    .and_then(|(w, h)| Some((u32::try_from(w).ok()?, u32::try_from(h).ok()?))),
                sharpness: row.sharpness,
                brightness: row.brightness,
                hint: row.hint,
            }),
            _ => None,
        };
        Ok(Self {
            id: row.id,
            owner_id: row.owner_id,
            length: unsigned(row.length)?,
            received: unsigned(row.received)?,
            metadata: serde_json::from_str(&row.metadata).map_err(StoreError::internal)?,
            created_at: row.created_at.to_jiff(),
            expires_at: row.expires_at.to_jiff(),
            state: UploadState::parse(&row.state)
                .ok_or_else(|| StoreError::internal("corrupt uploads.state"))?,
            file,
            refusal: row.refusal,
        })
    }
}

/// A row of `upload_chunks`.
#[derive(Debug, sqlx::FromRow)]
pub struct ChunkRow {
    start: i64,
    length: i64,
    blob_key: String,
}

impl TryFrom<ChunkRow> for Chunk {
    type Error = StoreError;
    fn try_from(row: ChunkRow) -> Result<Self, StoreError> {
        Ok(Self {
            start: u64::try_from(row.start).map_err(StoreError::internal)?,
            length: u64::try_from(row.length).map_err(StoreError::internal)?,
            blob_key: row.blob_key,
        })
    }
}

/// A completed file attached to a request, with its upload's facts.
#[derive(Debug, sqlx::FromRow)]
pub struct RecordFileRow {
    case_id: Uuid,
    upload_id: Uuid,
    item: String,
    body_site: Option<String>,
    photo_kind: Option<String>,
    media_type: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    created_at: jiff_sqlx::Timestamp,
}

impl TryFrom<RecordFileRow> for (Uuid, crate::records::RecordFile) {
    type Error = StoreError;
    fn try_from(row: RecordFileRow) -> Result<Self, StoreError> {
        let file = crate::records::RecordFile {
            attachment: crate::requests::Attachment {
                upload_id: row.upload_id,
                item: row.item,
                body_site: row.body_site,
                photo_kind: row.photo_kind,
            },
            media_type: row
                .media_type
                .ok_or_else(|| StoreError::internal("a complete upload without media type"))?,
            dimensions: row.width.zip(row.height),
            created_at: row.created_at.to_jiff(),
        };
        Ok((row.case_id, file))
    }
}

/// A row of `saved_searches`.
#[derive(Debug, sqlx::FromRow)]
pub struct SavedSearchRow {
    id: Uuid,
    person_id: Uuid,
    created_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
    kind: String,
    query: String,
    total: i64,
    results: String,
}

impl TryFrom<SavedSearchRow> for crate::saved_searches::SavedSearch {
    type Error = StoreError;
    fn try_from(row: SavedSearchRow) -> Result<Self, StoreError> {
        let results = if row.results.is_empty() {
            Vec::new()
        } else {
            row.results.split(',').map(str::to_owned).collect()
        };
        Ok(Self {
            id: row.id,
            person_id: row.person_id,
            created_at: row.created_at.to_jiff(),
            expires_at: row.expires_at.to_jiff(),
            kind: row.kind,
            query: row.query,
            total: u64::try_from(row.total).map_err(StoreError::internal)?,
            results,
        })
    }
}
