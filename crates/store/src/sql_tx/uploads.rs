//! Upload statements.

/// Implements [`UploadTx`](crate::uploads::UploadTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_upload_tx {
    ($tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::uploads::UploadTx for $tx {
            async fn insert_upload(&mut self, u: &$crate::uploads::Upload) -> Result<(), $crate::StoreError> {
                let signed = |v: u64| i64::try_from(v).map_err($crate::StoreError::internal);
                sqlx::query(
                    "INSERT INTO uploads (id, owner_id, length, received, metadata, created_at, expires_at, state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(u.id)
                .bind(u.owner_id)
                .bind(signed(u.length)?)
                .bind(signed(u.received)?)
                .bind(u.metadata.to_string())
                .bind(jiff_sqlx::Timestamp::from(u.created_at))
                .bind(jiff_sqlx::Timestamp::from(u.expires_at))
                .bind(u.state.code())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn upload(&mut self, id: uuid::Uuid) -> Result<Option<$crate::uploads::Upload>, $crate::StoreError> {
                let row: Option<$crate::rows::UploadRow> = sqlx::query_as(
                    "SELECT id, owner_id, length, received, metadata, created_at, expires_at, state, media_type, \
                     blob_key, key_id, thumbnail_key, sha256, width, height, sharpness, brightness, hint, refusal \
                     FROM uploads WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn append_chunk(
                &mut self,
                upload_id: uuid::Uuid,
                chunk: &$crate::uploads::Chunk,
            ) -> Result<bool, $crate::StoreError> {
                let signed = |v: u64| i64::try_from(v).map_err($crate::StoreError::internal);
                let (start, length) = (signed(chunk.start)?, signed(chunk.length)?);
                // Only from the offset the client saw: a concurrent PATCH loses.
                let moved = sqlx::query(
                    "UPDATE uploads SET received = received + $3 \
                     WHERE id = $1 AND received = $2 AND state = 'receiving'",
                )
                .bind(upload_id)
                .bind(start)
                .bind(length)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                if !one_row(moved) {
                    return Ok(false);
                }
                sqlx::query("INSERT INTO upload_chunks (upload_id, start, length, blob_key) VALUES ($1, $2, $3, $4)")
                    .bind(upload_id)
                    .bind(start)
                    .bind(length)
                    .bind(&chunk.blob_key)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(true)
            }

            async fn chunks(&mut self, upload_id: uuid::Uuid) -> Result<Vec<$crate::uploads::Chunk>, $crate::StoreError> {
                let rows: Vec<$crate::rows::ChunkRow> =
                    sqlx::query_as("SELECT start, length, blob_key FROM upload_chunks WHERE upload_id = $1 ORDER BY start")
                        .bind(upload_id)
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn complete_upload(
                &mut self,
                upload_id: uuid::Uuid,
                f: &$crate::uploads::StoredFile,
            ) -> Result<(), $crate::StoreError> {
                let dimension = |v: Option<u32>| v.and_then(|v| i32::try_from(v).ok());
                sqlx::query(
                    "UPDATE uploads SET state = 'complete', media_type = $2, blob_key = $3, key_id = $4, \
                     thumbnail_key = $5, sha256 = $6, width = $7, height = $8, sharpness = $9, brightness = $10, \
                     hint = $11 WHERE id = $1",
                )
                .bind(upload_id)
                .bind(&f.media_type)
                .bind(&f.blob_key)
                .bind(&f.key_id)
                .bind(f.thumbnail_key.as_deref())
                .bind(&f.sha256)
                .bind(dimension(f.dimensions.map(|d| d.0)))
                .bind(dimension(f.dimensions.map(|d| d.1)))
                .bind(f.sharpness)
                .bind(f.brightness)
                .bind(f.hint.as_deref())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn refuse_upload(&mut self, upload_id: uuid::Uuid, reason: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE uploads SET state = 'refused', refusal = $2 WHERE id = $1")
                    .bind(upload_id)
                    .bind(reason)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn pending_uploads(
                &mut self,
                owner_id: uuid::Uuid,
                now: jiff::Timestamp,
            ) -> Result<$crate::uploads::Pending, $crate::StoreError> {
                let (files, bytes): (i64, i64) = sqlx::query_as(
                    "SELECT COUNT(*), CAST(COALESCE(SUM(u.length), 0) AS BIGINT) FROM uploads u \
                     WHERE u.owner_id = $1 \
                       AND ((u.state = 'receiving' AND u.expires_at > $2) OR u.state = 'complete') \
                       AND NOT EXISTS (SELECT 1 FROM case_attachments ca JOIN cases c ON c.id = ca.case_id \
                                       WHERE ca.upload_id = u.id AND c.status <> 'draft') \
                       AND NOT EXISTS (SELECT 1 FROM message_attachments ma WHERE ma.upload_id = u.id)",
                )
                .bind(owner_id)
                .bind(jiff_sqlx::Timestamp::from(now))
                .fetch_one(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                let unsigned = |v: i64| u64::try_from(v).map_err($crate::StoreError::internal);
                Ok($crate::uploads::Pending {
                    files: unsigned(files)?,
                    bytes: unsigned(bytes)?,
                })
            }

            async fn upload_in_use(&mut self, upload_id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let used: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM case_attachments WHERE upload_id = $1) \
                         OR EXISTS (SELECT 1 FROM message_attachments WHERE upload_id = $1)",
                )
                .bind(upload_id)
                .fetch_one(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(used)
            }

            async fn delete_upload(&mut self, upload_id: uuid::Uuid) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM upload_chunks WHERE upload_id = $1")
                    .bind(upload_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                sqlx::query("DELETE FROM uploads WHERE id = $1")
                    .bind(upload_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }
        }
    };
}
