//! Saved search statements.

/// Implements [`SavedSearchTx`](crate::saved_searches::SavedSearchTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_saved_search_tx {
    ($tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::saved_searches::SavedSearchTx for $tx {
            async fn insert_saved_search(
                &mut self,
                s: &$crate::saved_searches::SavedSearch,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO saved_searches (id, person_id, created_at, expires_at, kind, query, total, results) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(s.id)
                .bind(s.person_id)
                .bind(jiff_sqlx::Timestamp::from(s.created_at))
                .bind(jiff_sqlx::Timestamp::from(s.expires_at))
                .bind(&s.kind)
                .bind(&s.query)
                .bind(i64::try_from(s.total).map_err($crate::StoreError::internal)?)
                .bind(s.results.join(","))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn saved_search(
                &mut self,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::saved_searches::SavedSearch>, $crate::StoreError> {
                let row: Option<$crate::rows::SavedSearchRow> = sqlx::query_as(
                    "SELECT id, person_id, created_at, expires_at, kind, query, total, results \
                     FROM saved_searches WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn delete_expired_searches(&mut self, now: jiff::Timestamp) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query("DELETE FROM saved_searches WHERE expires_at <= $1")
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(done.rows_affected())
            }
        }
    };
}
