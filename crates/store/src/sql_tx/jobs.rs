//! Job statements. `$skip_locked` is PostgreSQL's `FOR UPDATE SKIP LOCKED`
//! (concurrent claimers take different rows); SQLite needs nothing, its
//! writers being one at a time.

/// Implements [`JobTx`](crate::jobs::JobTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_job_tx {
    ($tx:ident, $db:ty, $skip_locked:literal) => {
        #[async_trait::async_trait]
        impl $crate::jobs::JobTx for $tx {
            async fn insert_job(
                &mut self,
                id: uuid::Uuid,
                job: &$crate::jobs::NewJob,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO jobs (id, kind, payload, dedupe_key, due_at, max_attempts, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(&job.kind)
                .bind(job.payload.to_string())
                .bind(job.dedupe_key.as_deref())
                .bind(jiff_sqlx::Timestamp::from(job.due_at))
                .bind(job.max_attempts)
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn claim_jobs(
                &mut self,
                owner: &str,
                now: jiff::Timestamp,
                lease_until: jiff::Timestamp,
                limit: i64,
            ) -> Result<Vec<$crate::jobs::Job>, $crate::StoreError> {
                let rows: Vec<$crate::rows::JobRow> = sqlx::query_as(concat!(
                    "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $3 \
                                  AND (lease_until IS NULL OR lease_until <= $3) \
                                  ORDER BY due_at, id LIMIT $4 ",
                    $skip_locked,
                    ") RETURNING id, kind, payload, attempts, max_attempts"
                ))
                .bind(owner)
                .bind(jiff_sqlx::Timestamp::from(lease_until))
                .bind(jiff_sqlx::Timestamp::from(now))
                .bind(limit)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn finish_job(
                &mut self,
                id: uuid::Uuid,
                owner: &str,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE jobs SET state = 'done', finished_at = $3, lease_owner = NULL, lease_until = NULL \
                     WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
                )
                .bind(id)
                .bind(owner)
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn fail_job(
                &mut self,
                id: uuid::Uuid,
                owner: &str,
                error: &str,
                retry_at: Option<jiff::Timestamp>,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = match retry_at {
                    Some(at) => sqlx::query(
                        "UPDATE jobs SET due_at = $3, last_error = $4, lease_owner = NULL, lease_until = NULL \
                         WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
                    )
                    .bind(id)
                    .bind(owner)
                    .bind(jiff_sqlx::Timestamp::from(at))
                    .bind(error),
                    None => sqlx::query(
                        "UPDATE jobs SET state = 'failed', finished_at = $3, last_error = $4, \
                         lease_owner = NULL, lease_until = NULL \
                         WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
                    )
                    .bind(id)
                    .bind(owner)
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .bind(error),
                }
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn release_jobs(&mut self, owner: &str) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1 \
                     WHERE lease_owner = $1 AND state = 'pending'",
                )
                .bind(owner)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(done.rows_affected())
            }

            async fn job_status(
                &mut self,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::jobs::JobStatus>, $crate::StoreError> {
                let row: Option<$crate::rows::JobStatusRow> = sqlx::query_as(
                    "SELECT state, attempts, due_at, last_error FROM jobs WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }
        }
    };
}
