//! Authentication statements.

/// Implements [`AuthTx`](crate::auth::AuthTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_auth_tx {
    ($tx:ident, $db:ty) => {
        macro_rules! credentials_select {
            () => {
                "SELECT p.id AS person_id, p.active, c.password_hash, c.totp_secret, c.totp_last_step \
                 FROM people p JOIN credentials c ON c.person_id = p.id"
            };
        }
        macro_rules! token_select {
            () => {
                "SELECT id, person_id, label, created_at, expires_at, revoked_at FROM api_tokens"
            };
        }

        #[async_trait::async_trait]
        impl $crate::auth::AuthTx for $tx {
            async fn credentials_by_email(
                &mut self,
                email: &consilium_domain::Email,
            ) -> Result<Option<$crate::auth::Credentials>, $crate::StoreError> {
                let row: Option<$crate::rows::CredentialsRow> =
                    sqlx::query_as(concat!(credentials_select!(), " WHERE p.email = $1"))
                        .bind(email.as_str())
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn credentials(
                &mut self,
                person_id: uuid::Uuid,
            ) -> Result<Option<$crate::auth::Credentials>, $crate::StoreError> {
                let row: Option<$crate::rows::CredentialsRow> =
                    sqlx::query_as(concat!(credentials_select!(), " WHERE p.id = $1"))
                        .bind(person_id)
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn insert_credentials(
                &mut self,
                person_id: uuid::Uuid,
                password_hash: &str,
                totp_secret: Option<&str>,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO credentials (person_id, password_hash, totp_secret, totp_last_step, updated_at) \
                     VALUES ($1, $2, $3, NULL, $4) ON CONFLICT DO NOTHING",
                )
                .bind(person_id)
                .bind(password_hash)
                .bind(totp_secret)
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn set_password_hash(
                &mut self,
                person_id: uuid::Uuid,
                password_hash: &str,
                now: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE credentials SET password_hash = $2, updated_at = $3 WHERE person_id = $1")
                    .bind(person_id)
                    .bind(password_hash)
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn set_totp(
                &mut self,
                person_id: uuid::Uuid,
                secret: Option<&str>,
                last_step: Option<i64>,
                now: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "UPDATE credentials SET totp_secret = $2, totp_last_step = $3, updated_at = $4 WHERE person_id = $1",
                )
                .bind(person_id)
                .bind(secret)
                .bind(last_step)
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn sign_in_counter(
                &mut self,
                key: &str,
            ) -> Result<Option<consilium_domain::auth::SignInCounter>, $crate::StoreError> {
                let row: Option<$crate::rows::CounterRow> = sqlx::query_as(
                    "SELECT failures, window_started_at, locked_until FROM sign_in_counters WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn put_sign_in_counter(
                &mut self,
                key: &str,
                counter: &consilium_domain::auth::SignInCounter,
            ) -> Result<(), $crate::StoreError> {
                let failures = i32::try_from(counter.failures).unwrap_or(i32::MAX);
                sqlx::query(
                    "INSERT INTO sign_in_counters (key, failures, window_started_at, locked_until) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
                     window_started_at = excluded.window_started_at, locked_until = excluded.locked_until",
                )
                .bind(key)
                .bind(failures)
                .bind(jiff_sqlx::Timestamp::from(counter.window_started_at))
                .bind(counter.locked_until.map(jiff_sqlx::Timestamp::from))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn delete_sign_in_counter(&mut self, key: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM sign_in_counters WHERE key = $1")
                    .bind(key)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn insert_session(&mut self, s: &$crate::auth::SessionRecord) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO sessions (token_hash, person_id, stage, pending_totp_secret, created_at, last_seen_at, client_addr) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&s.token_hash)
                .bind(s.person_id)
                .bind(s.stage.code())
                .bind(s.pending_totp_secret.as_deref())
                .bind(jiff_sqlx::Timestamp::from(s.created_at))
                .bind(jiff_sqlx::Timestamp::from(s.last_seen_at))
                .bind(s.client_addr.as_deref())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn session(
                &mut self,
                token_hash: &str,
            ) -> Result<Option<$crate::auth::SessionRecord>, $crate::StoreError> {
                let row: Option<$crate::rows::SessionRow> = sqlx::query_as(
                    "SELECT token_hash, person_id, stage, pending_totp_secret, created_at, last_seen_at, client_addr \
                     FROM sessions WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn touch_session(&mut self, token_hash: &str, now: jiff::Timestamp) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                    .bind(token_hash)
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn delete_session(&mut self, token_hash: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn delete_sessions_of(
                &mut self,
                person_id: uuid::Uuid,
                except: Option<&str>,
            ) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> COALESCE($2, '')")
                    .bind(person_id)
                    .bind(except)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(done.rows_affected())
            }

            async fn insert_token(
                &mut self,
                t: &$crate::auth::ApiToken,
                token_hash: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO api_tokens (id, person_id, token_hash, label, created_at, expires_at, revoked_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL)",
                )
                .bind(t.id)
                .bind(t.person_id)
                .bind(token_hash)
                .bind(&t.label)
                .bind(jiff_sqlx::Timestamp::from(t.created_at))
                .bind(jiff_sqlx::Timestamp::from(t.expires_at))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn token_by_hash(
                &mut self,
                token_hash: &str,
            ) -> Result<Option<$crate::auth::ApiToken>, $crate::StoreError> {
                let row: Option<$crate::rows::TokenRow> =
                    sqlx::query_as(concat!(token_select!(), " WHERE token_hash = $1"))
                        .bind(token_hash)
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn tokens(&mut self) -> Result<Vec<$crate::auth::ApiToken>, $crate::StoreError> {
                let rows: Vec<$crate::rows::TokenRow> = sqlx::query_as(concat!(token_select!(), " ORDER BY id DESC"))
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn revoke_token(&mut self, id: uuid::Uuid, now: jiff::Timestamp) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                    .bind(id)
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn revoke_tokens_of(
                &mut self,
                person_id: uuid::Uuid,
                now: jiff::Timestamp,
            ) -> Result<u64, $crate::StoreError> {
                let done =
                    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL")
                        .bind(person_id)
                        .bind(jiff_sqlx::Timestamp::from(now))
                        .execute(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(done.rows_affected())
            }

            async fn person(&mut self, person_id: uuid::Uuid) -> Result<Option<$crate::Person>, $crate::StoreError> {
                let row: Option<$crate::rows::PersonRow> = sqlx::query_as(
                    "SELECT id, email, given_names, family_name, profession, rpps, active, created_at, updated_at FROM people WHERE id = $1",
                )
                .bind(person_id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn set_active(&mut self, person_id: uuid::Uuid, active: bool, at: jiff::Timestamp) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE people SET active = $2, updated_at = $3 WHERE id = $1")
                    .bind(person_id)
                    .bind(active)
                    .bind(jiff_sqlx::Timestamp::from(at))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn caller_roles(
                &mut self,
                person_id: uuid::Uuid,
            ) -> Result<Vec<consilium_domain::access::CallerRole>, $crate::StoreError> {
                let rows: Vec<$crate::rows::CallerRoleRow> = sqlx::query_as(
                    "SELECT m.role, m.organization_id, m.team_id, o.sharing_enabled \
                     FROM memberships m JOIN organizations o ON o.id = m.organization_id \
                     WHERE m.person_id = $1 ORDER BY m.role, o.name",
                )
                .bind(person_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn setting(&mut self, key: &str) -> Result<Option<String>, $crate::StoreError> {
                sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn put_setting(&mut self, key: &str, value: &str) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }
        }
    };
}
