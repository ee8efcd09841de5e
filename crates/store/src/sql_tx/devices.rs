//! Known-device statements.

/// Implements [`DeviceTx`](crate::auth::DeviceTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_device_tx {
    ($tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::auth::DeviceTx for $tx {
            async fn known_device(
                &mut self,
                token_hash: &str,
            ) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar("SELECT person_id FROM known_devices WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn remember_device(
                &mut self,
                token_hash: &str,
                person_id: uuid::Uuid,
                now: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO known_devices (token_hash, person_id, created_at, last_used_at) \
                     VALUES ($1, $2, $3, $3) ON CONFLICT (token_hash) DO UPDATE SET last_used_at = $3",
                )
                .bind(token_hash)
                .bind(person_id)
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn forget_devices_of(&mut self, person_id: uuid::Uuid) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM known_devices WHERE person_id = $1")
                    .bind(person_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }
        }
    };
}
