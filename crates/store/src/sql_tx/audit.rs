//! Audit statements.

/// Implements [`AuditTx`](crate::audit::AuditTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_audit_tx {
    ($tx:ident, $db:ty, $lock:literal) => {
        macro_rules! audit_select {
            () => {
                "SELECT seq, at, actor_id, via, organization_id, patient_id, case_id, object_id, patients, action, \
                 outcome, client_addr, request_id, prev_hash, hash FROM audit_log"
            };
        }

        #[async_trait::async_trait]
        impl $crate::audit::AuditTx for $tx {
            async fn lock_audit_head(&mut self) -> Result<Option<$crate::audit::AuditHead>, $crate::StoreError> {
                sqlx::query($lock).execute(&mut *self.0).await.map_err($crate::rows::db_error)?;
                let row: Option<$crate::rows::AuditHeadRow> =
                    sqlx::query_as("SELECT seq, hash, mac FROM audit_head WHERE id = 1")
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn insert_audit(&mut self, r: &$crate::audit::AuditRecord) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor_id, via, organization_id, patient_id, case_id, object_id, \
                     action, outcome, client_addr, request_id, prev_hash, hash, patients) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(r.seq)
                .bind(jiff_sqlx::Timestamp::from(r.at))
                .bind(r.actor_id)
                .bind(&r.via)
                .bind(r.organization_id)
                .bind(r.patient_id)
                .bind(r.case_id)
                .bind(r.object_id)
                .bind(&r.action)
                .bind(&r.outcome)
                .bind(r.client_addr.as_deref())
                .bind(r.request_id.as_deref())
                .bind(&r.prev_hash)
                .bind(&r.hash)
                .bind((!r.patients.is_empty()).then(|| {
                    r.patients.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
                }))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn put_audit_head(&mut self, head: &$crate::audit::AuditHead) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, $1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
                )
                .bind(head.seq)
                .bind(&head.hash)
                .bind(&head.mac)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn audit_records(
                &mut self,
                after: i64,
                limit: i64,
            ) -> Result<Vec<$crate::audit::AuditRecord>, $crate::StoreError> {
                let rows: Vec<$crate::rows::AuditRow> =
                    sqlx::query_as(concat!(audit_select!(), " WHERE seq > $1 ORDER BY seq LIMIT $2"))
                        .bind(after)
                        .bind(limit)
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audit_records_of(
                &mut self,
                organization_id: uuid::Uuid,
                limit: i64,
            ) -> Result<Vec<$crate::audit::AuditRecord>, $crate::StoreError> {
                let rows: Vec<$crate::rows::AuditRow> =
                    sqlx::query_as(concat!(audit_select!(), " WHERE organization_id = $1 ORDER BY seq DESC LIMIT $2"))
                        .bind(organization_id)
                        .bind(limit)
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audit_search(
                &mut self,
                organization_ids: &[uuid::Uuid],
                query: &$crate::audit::AuditQuery,
                limit: i64,
            ) -> Result<Vec<$crate::audit::AuditRecord>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(concat!(audit_select!(), " WHERE 1 = 1"));
                push_in(&mut q, "organization_id", &Some(organization_ids.to_vec()));
                push_in(&mut q, "seq", &query.seqs);
                push_in(&mut q, "actor_id", &query.actor_ids);
                // A patient is named in `patient_id`, or among a search's `patients`.
                if let Some(patients) = &query.patient_ids {
                    q.push(" AND (1 = 0");
                    for patient in patients {
                        q.push(" OR patient_id = ").push_bind(*patient);
                        q.push(" OR patients LIKE ").push_bind(format!("%{patient}%"));
                    }
                    q.push(")");
                }
                push_in(&mut q, "case_id", &query.case_ids);
                push_in(&mut q, "action", &query.actions);
                push_in(&mut q, "outcome", &query.outcomes);
                // Times are text of varying precision on SQLite: compare them
                // as Julian days (PostgreSQL has the same function, migration 0010).
                if let Some(from) = query.from {
                    q.push(" AND julianday(at) >= julianday(").push_bind(from.to_string()).push(")");
                }
                if let Some(to) = query.to {
                    q.push(" AND julianday(at) < julianday(").push_bind(to.to_string()).push(")");
                }
                q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
                let rows: Vec<$crate::rows::AuditRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
        }
    };
}
