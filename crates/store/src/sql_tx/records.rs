//! Bulk reads of requests and patients for API clients. The queries are
//! built at run time (the scope's lists vary); every one filters by the
//! read column of the access policy first.

/// Implements [`RecordTx`](crate::records::RecordTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_record_tx {
    ($tx:ident, $db:ty) => {
        /// `AND <column> IN (…)` for a scope's list; an empty list matches nothing.
        fn push_in<T>(q: &mut sqlx::QueryBuilder<$db>, column: &str, values: &Option<Vec<T>>)
        where
            T: Clone + for<'e> sqlx::Encode<'e, $db> + sqlx::Type<$db>,
        {
            let Some(values) = values else { return };
            if values.is_empty() {
                q.push(" AND 1 = 0");
                return;
            }
            q.push(" AND ").push(column).push(" IN (");
            let mut list = q.separated(", ");
            for value in values {
                list.push_bind(value.clone());
            }
            list.push_unseparated(")");
        }

        /// The WHERE clause (over `cases c JOIN teams t`) choosing the
        /// requests of `scope` that `person` may read. It mirrors
        /// `CASE_POLICY`'s read column: the creator; once sent, a site
        /// colleague with sharing on, a team expert, a centre (or team)
        /// coordinator. Synthetic history is for dashboards only.
        fn push_case_scope(q: &mut sqlx::QueryBuilder<$db>, person: uuid::Uuid, scope: &$crate::records::CaseScope) {
            // Uncorrelated sub-queries: each runs once, and the teams and
            // sites they give use the indexes on cases.
            q.push(" WHERE NOT c.synthetic AND (c.requester_id = ").push_bind(person);
            q.push(" OR c.status <> 'draft' AND (c.team_id IN (SELECT m.team_id FROM memberships m WHERE m.person_id = ")
                .push_bind(person)
                .push(
                    " AND m.role = 'expert' AND m.team_id IS NOT NULL \
                     UNION SELECT tt.id FROM teams tt JOIN memberships m ON m.organization_id = tt.organization_id \
                       AND m.role = 'coordinator' AND (m.team_id IS NULL OR m.team_id = tt.id) WHERE m.person_id = ",
                )
                .push_bind(person)
                .push(
                    ") OR c.site_id IN (SELECT m.organization_id FROM memberships m JOIN organizations o \
                       ON o.id = m.organization_id WHERE m.role = 'requester' AND o.sharing_enabled AND m.person_id = ",
                )
                .push_bind(person)
                .push(")))");
            push_in(q, "c.id", &scope.case_ids);
            push_in(q, "c.patient_id", &scope.patient_ids);
            push_in(q, "c.status", &scope.statuses);
            push_in(q, "c.team_id", &scope.team_ids);
            push_in(q, "c.owner_id", &scope.owner_ids);
            push_in(q, "c.requester_id", &scope.requester_ids);
            if scope.unowned {
                q.push(" AND c.owner_id IS NULL");
            }
            if let Some(objects) = &scope.object_ids {
                if objects.is_empty() {
                    q.push(" AND 1 = 0");
                } else {
                    q.push(" AND (1 = 0");
                    for (table, column) in [
                        ("case_messages", "id"),
                        ("case_attachments", "upload_id"),
                        ("reports", "id"),
                        ("appointments", "id"),
                    ] {
                        q.push(" OR c.id IN (SELECT x.case_id FROM ")
                            .push(table)
                            .push(" x WHERE x.")
                            .push(column)
                            .push(" IN (");
                        let mut list = q.separated(", ");
                        for id in objects {
                            list.push_bind(*id);
                        }
                        list.push_unseparated("))");
                    }
                    q.push(")");
                }
            }
        }

        /// `<column> IN (the ids of the scope's readable requests)`.
        fn push_scoped_ids(
            q: &mut sqlx::QueryBuilder<$db>,
            column: &str,
            person: uuid::Uuid,
            scope: &$crate::records::CaseScope,
        ) {
            q.push(column).push(" IN (SELECT c.id FROM cases c JOIN teams t ON t.id = c.team_id");
            push_case_scope(q, person, scope);
            q.push(")");
        }

        #[async_trait::async_trait]
        impl $crate::records::RecordTx for $tx {
            async fn scoped_case_ids(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
                order: &[$crate::records::CaseSortKey],
            ) -> Result<Vec<uuid::Uuid>, $crate::StoreError> {
                use $crate::records::CaseSort;
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT c.id FROM cases c JOIN teams t ON t.id = c.team_id");
                push_case_scope(&mut q, person_id, scope);
                // Times compare as Julian days: text of varying precision on
                // SQLite (migration 0010 gives PostgreSQL the same function).
                let mut keys: Vec<String> = Vec::new();
                for key in order {
                    let direction = if key.descending { " DESC" } else { "" };
                    match key.by {
                        CaseSort::Id => keys.push(format!("c.id{direction}")),
                        CaseSort::Deadline => {
                            keys.push("c.deadline IS NULL".into());
                            keys.push(format!("julianday(c.deadline){direction}"));
                        }
                        CaseSort::LastUpdated => keys.push(format!(
                            "COALESCE((SELECT julianday(ev.at) FROM case_events ev WHERE ev.case_id = c.id \
                             ORDER BY ev.id DESC LIMIT 1), julianday(c.created_at)){direction}"
                        )),
                        CaseSort::Submitted => keys.push(format!(
                            "COALESCE(julianday(c.submitted_at), julianday(c.created_at)){direction}"
                        )),
                        CaseSort::Created => keys.push(format!("julianday(c.created_at){direction}")),
                    }
                }
                if !order.iter().any(|k| k.by == CaseSort::Id) {
                    keys.push("c.id".into());
                }
                q.push(" ORDER BY ").push(keys.join(", "));
                q.build_query_scalar()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn scoped_cases(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::cases::CaseView>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(case_select!());
                push_case_scope(&mut q, person_id, scope);
                q.push(" ORDER BY c.id DESC");
                let rows: Vec<$crate::rows::CaseRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn scoped_files(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<(uuid::Uuid, $crate::records::RecordFile)>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT a.case_id, a.upload_id, a.item, a.body_site, a.photo_kind, u.media_type, \
                            u.width, u.height, u.created_at \
                     FROM case_attachments a JOIN uploads u ON u.id = a.upload_id \
                     WHERE u.state = 'complete' AND ",
                );
                push_scoped_ids(&mut q, "a.case_id", person_id, scope);
                q.push(" ORDER BY a.case_id, a.upload_id");
                let rows: Vec<$crate::rows::RecordFileRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn scoped_messages(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::expertise::Message>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT m.id, m.case_id, m.author_id, p.given_names, p.family_name, m.kind, m.at, m.body, \
                            m.asks_photos \
                     FROM case_messages m JOIN people p ON p.id = m.author_id WHERE ",
                );
                push_scoped_ids(&mut q, "m.case_id", person_id, scope);
                q.push(" ORDER BY m.id");
                let rows: Vec<$crate::rows::MessageRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT a.message_id, a.upload_id FROM message_attachments a \
                     JOIN case_messages m ON m.id = a.message_id WHERE ",
                );
                push_scoped_ids(&mut q, "m.case_id", person_id, scope);
                q.push(" ORDER BY a.upload_id");
                let links: Vec<$crate::rows::MessageUploadRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                let mut messages: Vec<$crate::expertise::Message> = convert(rows)?;
                let index: std::collections::HashMap<uuid::Uuid, usize> =
                    messages.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
                for link in links {
                    if let Some(&i) = index.get(&link.message_id) {
                        messages[i].upload_ids.push(link.upload_id);
                    }
                }
                Ok(messages)
            }

            async fn scoped_advices(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::expertise::AdviceVersion>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT a.case_id, a.version, a.message_id, a.author_id, p.given_names, p.family_name, p.rpps, \
                            a.signed_at, a.hypothesis, a.icd10, a.management, a.visit, a.note \
                     FROM advices a JOIN people p ON p.id = a.author_id WHERE ",
                );
                push_scoped_ids(&mut q, "a.case_id", person_id, scope);
                q.push(" ORDER BY a.case_id, a.version");
                let rows: Vec<$crate::rows::AdviceRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn scoped_reports(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::expertise::ReportDoc>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT r.id, r.case_id, r.version, r.advice_version, r.blob_key, r.size, r.sha256, r.created_at \
                     FROM reports r WHERE ",
                );
                push_scoped_ids(&mut q, "r.case_id", person_id, scope);
                q.push(" ORDER BY r.case_id, r.version");
                let rows: Vec<$crate::rows::ReportRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn scoped_appointments(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::expertise::Appointment>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT a.id, a.case_id, a.proposed_by, p.given_names, p.family_name, a.proposed_at, \
                            a.starts_at, a.place, a.instructions \
                     FROM appointments a JOIN people p ON p.id = a.proposed_by WHERE ",
                );
                push_scoped_ids(&mut q, "a.case_id", person_id, scope);
                q.push(" ORDER BY a.id");
                let rows: Vec<$crate::rows::AppointmentRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn scoped_events(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::CaseScope,
            ) -> Result<Vec<$crate::expertise::StatusEvent>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT e.id, e.case_id, e.at, e.actor_id, p.given_names, p.family_name, e.step, \
                            e.from_status, e.to_status, e.detail, e.team_id, e.owner_id, e.deadline, \
                            e.answered, e.status_reason \
                     FROM case_events e LEFT JOIN people p ON p.id = e.actor_id WHERE ",
                );
                push_scoped_ids(&mut q, "e.case_id", person_id, scope);
                q.push(" ORDER BY e.id");
                let rows: Vec<$crate::rows::EventRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn scoped_patients(
                &mut self,
                person_id: uuid::Uuid,
                scope: &$crate::records::PatientScope,
            ) -> Result<Vec<$crate::cases::PatientView>, $crate::StoreError> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT p.id, p.ins, p.birth_family_name, p.first_names, p.birth_date, p.sex, \
                            p.identity_status, p.created_at \
                     FROM patients p WHERE (EXISTS (SELECT 1 FROM patient_sites ps JOIN memberships m \
                       ON m.organization_id = ps.organization_id \
                     WHERE ps.patient_id = p.id AND m.role = 'requester' AND m.person_id = ",
                );
                q.push_bind(person_id)
                    .push(") OR p.id IN (SELECT c.patient_id FROM cases c JOIN teams t ON t.id = c.team_id");
                push_case_scope(&mut q, person_id, &$crate::records::CaseScope::default());
                q.push("))");
                push_in(&mut q, "p.id", &scope.ids);
                push_in(&mut q, "p.ins", &scope.ins);
                q.push(" ORDER BY p.birth_family_name, p.first_names, p.id");
                let rows: Vec<$crate::rows::PatientRow> = q
                    .build_query_as()
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn patient_exists(&mut self, id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let found: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM patients WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(found.is_some())
            }
        }
    };
}
