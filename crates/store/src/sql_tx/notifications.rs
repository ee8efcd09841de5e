//! Notification statements.

/// Implements [`NotificationTx`](crate::notifications::NotificationTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_notification_tx {
    ($tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::notifications::NotificationTx for $tx {
            async fn audience(
                &mut self,
                case_id: uuid::Uuid,
                audience: $crate::notifications::Audience,
            ) -> Result<Vec<uuid::Uuid>, $crate::StoreError> {
                use $crate::notifications::Audience as A;
                let sql = match audience {
                    A::Requester => "SELECT c.requester_id FROM cases c WHERE c.id = $1",
                    A::Owner => "SELECT c.owner_id FROM cases c WHERE c.id = $1 AND c.owner_id IS NOT NULL",
                    A::Team => {
                        "SELECT m.person_id FROM cases c JOIN teams t ON t.id = c.team_id \
                         JOIN memberships m ON (m.role = 'expert' AND m.team_id = c.team_id) \
                           OR (m.role = 'coordinator' AND m.organization_id = t.organization_id \
                               AND (m.team_id IS NULL OR m.team_id = c.team_id)) \
                         JOIN people p ON p.id = m.person_id AND p.active WHERE c.id = $1"
                    }
                    A::OwnerOrTeam => {
                        "SELECT c.owner_id FROM cases c WHERE c.id = $1 AND c.owner_id IS NOT NULL \
                         UNION SELECT m.person_id FROM cases c \
                         JOIN memberships m ON m.role = 'expert' AND m.team_id = c.team_id \
                         JOIN people p ON p.id = m.person_id AND p.active \
                         WHERE c.id = $1 AND c.owner_id IS NULL"
                    }
                    A::Coordinators => {
                        "SELECT m.person_id FROM cases c JOIN teams t ON t.id = c.team_id \
                         JOIN memberships m ON m.role = 'coordinator' AND m.organization_id = t.organization_id \
                           AND (m.team_id IS NULL OR m.team_id = c.team_id) \
                         JOIN people p ON p.id = m.person_id AND p.active WHERE c.id = $1"
                    }
                };
                sqlx::query_scalar(sql)
                    .bind(case_id)
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn insert_notification(
                &mut self,
                person_id: uuid::Uuid,
                n: &$crate::notifications::Notification,
                source_job: uuid::Uuid,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO notifications (id, person_id, case_id, event, reference, created_at, source_job) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                )
                .bind(n.id)
                .bind(person_id)
                .bind(n.case_id)
                .bind(&n.event)
                .bind(&n.reference)
                .bind(jiff_sqlx::Timestamp::from(n.created_at))
                .bind(source_job)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn notifications_of(
                &mut self,
                person_id: uuid::Uuid,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::Notification>, $crate::StoreError> {
                let rows: Vec<$crate::rows::NotificationRow> = sqlx::query_as(
                    "SELECT id, case_id, reference, event, created_at, read_at FROM notifications \
                     WHERE person_id = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(person_id)
                .bind(limit)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn unread_count(&mut self, person_id: uuid::Uuid) -> Result<i64, $crate::StoreError> {
                sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL")
                    .bind(person_id)
                    .fetch_one(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn preferences(
                &mut self,
                person_id: uuid::Uuid,
            ) -> Result<$crate::notifications::Preferences, $crate::StoreError> {
                let row: Option<(String, bool)> = sqlx::query_as(
                    "SELECT muted_events, daily_digest FROM notification_preferences WHERE person_id = $1",
                )
                .bind(person_id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(row
                    .map(|(muted, daily_digest)| $crate::notifications::Preferences {
                        muted: muted.split(',').filter(|e| !e.is_empty()).map(str::to_owned).collect(),
                        daily_digest,
                    })
                    .unwrap_or_default())
            }

            async fn put_preferences(
                &mut self,
                person_id: uuid::Uuid,
                p: &$crate::notifications::Preferences,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO notification_preferences (person_id, muted_events, daily_digest) VALUES ($1, $2, $3) \
                     ON CONFLICT (person_id) DO UPDATE SET muted_events = excluded.muted_events, \
                     daily_digest = excluded.daily_digest",
                )
                .bind(person_id)
                .bind(p.muted.join(","))
                .bind(p.daily_digest)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn mark_read(&mut self, person_id: uuid::Uuid, now: jiff::Timestamp) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query("UPDATE notifications SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL")
                    .bind(person_id)
                    .bind(jiff_sqlx::Timestamp::from(now))
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(done.rows_affected())
            }
        }
    };
}
