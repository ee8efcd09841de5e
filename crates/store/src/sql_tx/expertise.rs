//! Expertise statements: moves, history, thread, advice, appointments,
//! reports, the team queue.

/// Implements [`ExpertiseTx`](crate::expertise::ExpertiseTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_expertise_tx {
    ($tx:ident, $db:ty) => {
        macro_rules! queue_scope {
            () => {
                // The teams the person serves: as expert, or as coordinator of
                // the centre (or of that team). Open statuses only.
                " WHERE c.status IN ('requested', 'accepted', 'rejected', 'in-progress', 'on-hold') \
                    AND c.team_id IN (SELECT m.team_id FROM memberships m \
                                      WHERE m.person_id = $1 AND m.role = 'expert' AND m.team_id IS NOT NULL \
                                      UNION SELECT tt.id FROM teams tt JOIN memberships m \
                                            ON m.organization_id = tt.organization_id AND m.role = 'coordinator' \
                                           AND (m.team_id IS NULL OR m.team_id = tt.id) \
                                      WHERE m.person_id = $1)"
            };
        }

        #[async_trait::async_trait]
        impl $crate::expertise::ExpertiseTx for $tx {
            async fn update_task(
                &mut self,
                case_id: uuid::Uuid,
                revision: i32,
                state: &consilium_domain::expertise::TaskState,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE cases SET status = $3, team_id = $4, owner_id = $5, deadline = $6, \
                     hold_remaining_secs = $7, answered = $8, status_reason = $9, revision = revision + 1 \
                     WHERE id = $1 AND revision = $2",
                )
                .bind(case_id)
                .bind(revision)
                .bind(state.status.code())
                .bind(state.team_id)
                .bind(state.owner_id)
                .bind(state.deadline.map(jiff_sqlx::Timestamp::from))
                .bind(state.hold_remaining.map(|d| d.as_secs()))
                .bind(state.answered)
                .bind(state.status_reason.as_deref())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn insert_event(&mut self, e: &$crate::expertise::StatusEvent) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO case_events (id, case_id, at, actor_id, step, from_status, to_status, detail, \
                     team_id, owner_id, deadline, answered, status_reason) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(e.id)
                .bind(e.case_id)
                .bind(jiff_sqlx::Timestamp::from(e.at))
                .bind(e.actor_id)
                .bind(&e.step)
                .bind(&e.from_status)
                .bind(&e.to_status)
                .bind(e.detail.as_deref())
                .bind(e.after.as_ref().map(|a| a.team_id))
                .bind(e.after.as_ref().and_then(|a| a.owner_id))
                .bind(e.after.as_ref().and_then(|a| a.deadline).map(jiff_sqlx::Timestamp::from))
                .bind(e.after.as_ref().map(|a| a.answered))
                .bind(e.after.as_ref().and_then(|a| a.status_reason.as_deref()))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn case_events(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::expertise::StatusEvent>, $crate::StoreError> {
                let rows: Vec<$crate::rows::EventRow> = sqlx::query_as(
                    "SELECT e.id, e.case_id, e.at, e.actor_id, p.given_names, p.family_name, e.step, \
                            e.from_status, e.to_status, e.detail, e.team_id, e.owner_id, e.deadline, \
                            e.answered, e.status_reason \
                     FROM case_events e LEFT JOIN people p ON p.id = e.actor_id \
                     WHERE e.case_id = $1 ORDER BY e.id",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_message(
                &mut self,
                m: &$crate::expertise::Message,
                key: Option<&str>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO case_messages (id, case_id, author_id, kind, at, body, asks_photos, idempotency_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                )
                .bind(m.id)
                .bind(m.case_id)
                .bind(m.author_id)
                .bind(&m.kind)
                .bind(jiff_sqlx::Timestamp::from(m.at))
                .bind(&m.body)
                .bind(m.asks_photos)
                .bind(key)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn message_by_key(&mut self, author_id: uuid::Uuid, key: &str) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar("SELECT id FROM case_messages WHERE author_id = $1 AND idempotency_key = $2")
                    .bind(author_id)
                    .bind(key)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn link_message_upload(&mut self, message_id: uuid::Uuid, upload_id: uuid::Uuid) -> Result<(), $crate::StoreError> {
                sqlx::query("INSERT INTO message_attachments (message_id, upload_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(message_id)
                    .bind(upload_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn case_messages(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::expertise::Message>, $crate::StoreError> {
                let rows: Vec<$crate::rows::MessageRow> = sqlx::query_as(
                    "SELECT m.id, m.case_id, m.author_id, p.given_names, p.family_name, m.kind, m.at, m.body, \
                            m.asks_photos \
                     FROM case_messages m JOIN people p ON p.id = m.author_id \
                     WHERE m.case_id = $1 ORDER BY m.id",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                let links: Vec<$crate::rows::MessageUploadRow> = sqlx::query_as(
                    "SELECT a.message_id, a.upload_id FROM message_attachments a \
                     JOIN case_messages m ON m.id = a.message_id WHERE m.case_id = $1 ORDER BY a.upload_id",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                let mut messages: Vec<$crate::expertise::Message> = convert(rows)?;
                for link in links {
                    if let Some(m) = messages.iter_mut().find(|m| m.id == link.message_id) {
                        m.upload_ids.push(link.upload_id);
                    }
                }
                Ok(messages)
            }

            async fn insert_advice(&mut self, a: &$crate::expertise::AdviceVersion) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO advices (case_id, version, message_id, author_id, signed_at, hypothesis, icd10, \
                     management, visit, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                )
                .bind(a.case_id)
                .bind(a.version)
                .bind(a.message_id)
                .bind(a.author_id)
                .bind(jiff_sqlx::Timestamp::from(a.signed_at))
                .bind(&a.advice.hypothesis)
                .bind(a.advice.icd10.as_ref().map(|c| c.as_str()))
                .bind(&a.advice.management)
                .bind(a.advice.visit.code())
                .bind(&a.advice.note)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn case_advices(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::expertise::AdviceVersion>, $crate::StoreError> {
                let rows: Vec<$crate::rows::AdviceRow> = sqlx::query_as(
                    "SELECT a.case_id, a.version, a.message_id, a.author_id, p.given_names, p.family_name, p.rpps, \
                            a.signed_at, a.hypothesis, a.icd10, a.management, a.visit, a.note \
                     FROM advices a JOIN people p ON p.id = a.author_id \
                     WHERE a.case_id = $1 ORDER BY a.version",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_appointment(&mut self, a: &$crate::expertise::Appointment) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO appointments (id, case_id, proposed_by, proposed_at, starts_at, place, instructions) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(a.id)
                .bind(a.case_id)
                .bind(a.proposed_by)
                .bind(jiff_sqlx::Timestamp::from(a.proposed_at))
                .bind(jiff_sqlx::Timestamp::from(a.starts_at))
                .bind(&a.place)
                .bind(&a.instructions)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn case_appointments(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::expertise::Appointment>, $crate::StoreError> {
                let rows: Vec<$crate::rows::AppointmentRow> = sqlx::query_as(
                    "SELECT a.id, a.case_id, a.proposed_by, p.given_names, p.family_name, a.proposed_at, \
                            a.starts_at, a.place, a.instructions \
                     FROM appointments a JOIN people p ON p.id = a.proposed_by \
                     WHERE a.case_id = $1 ORDER BY a.id",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_report(&mut self, r: &$crate::expertise::ReportDoc) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO reports (id, case_id, version, advice_version, blob_key, size, sha256, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                )
                .bind(r.id)
                .bind(r.case_id)
                .bind(r.version)
                .bind(r.advice_version)
                .bind(&r.blob_key)
                .bind(r.size)
                .bind(&r.sha256)
                .bind(jiff_sqlx::Timestamp::from(r.created_at))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn case_reports(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::expertise::ReportDoc>, $crate::StoreError> {
                let rows: Vec<$crate::rows::ReportRow> = sqlx::query_as(
                    "SELECT id, case_id, version, advice_version, blob_key, size, sha256, created_at \
                     FROM reports WHERE case_id = $1 ORDER BY version",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn report(&mut self, id: uuid::Uuid) -> Result<Option<$crate::expertise::ReportDoc>, $crate::StoreError> {
                let row: Option<$crate::rows::ReportRow> = sqlx::query_as(
                    "SELECT id, case_id, version, advice_version, blob_key, size, sha256, created_at \
                     FROM reports WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn queue(
                &mut self,
                person_id: uuid::Uuid,
                f: &$crate::expertise::QueueFilter,
            ) -> Result<Vec<$crate::cases::CaseView>, $crate::StoreError> {
                // The page's ids first, on `cases` alone (index on team and
                // deadline), then the joins and counts for those rows only.
                let rows: Vec<$crate::rows::CaseRow> = sqlx::query_as(concat!(
                    case_select!(),
                    " WHERE c.id IN (SELECT c.id FROM cases c",
                    queue_scope!(),
                    " AND ($2 IS NULL OR c.status = $2) \
                      AND ($3 IS NULL OR c.team_id IN (SELECT st.id FROM teams st WHERE st.specialty_code = $3)) \
                      AND ($4 IS NULL OR c.site_id = $4) AND ($5 IS NULL OR c.owner_id = $5) \
                      AND ($6 IS NULL OR c.team_id = $6) \
                     ORDER BY c.answered, c.deadline IS NULL, c.deadline, c.id LIMIT $7) \
                     ORDER BY c.answered, c.deadline IS NULL, c.deadline, c.id"
                ))
                .bind(person_id)
                .bind(f.status.as_deref())
                .bind(f.specialty.as_deref())
                .bind(f.site_id)
                .bind(f.owner_id)
                .bind(f.team_id)
                .bind(f.limit)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn queue_counts(&mut self, person_id: uuid::Uuid) -> Result<Vec<(String, i64)>, $crate::StoreError> {
                let rows: Vec<$crate::rows::CountRow> = sqlx::query_as(concat!(
                    "SELECT c.status, COUNT(*) AS n FROM cases c",
                    queue_scope!(),
                    " GROUP BY c.status ORDER BY c.status"
                ))
                .bind(person_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
            }

            async fn patient_cases_at_centre(
                &mut self,
                patient_id: uuid::Uuid,
                centre_id: uuid::Uuid,
            ) -> Result<Vec<$crate::cases::CaseView>, $crate::StoreError> {
                let rows: Vec<$crate::rows::CaseRow> = sqlx::query_as(concat!(
                    case_select!(),
                    " WHERE c.patient_id = $1 AND t.organization_id = $2 AND c.status <> 'draft' AND NOT c.synthetic ORDER BY c.id DESC"
                ))
                .bind(patient_id)
                .bind(centre_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn team_experts(&mut self, team_id: uuid::Uuid) -> Result<Vec<$crate::expertise::Choice>, $crate::StoreError> {
                let rows: Vec<$crate::rows::ChoiceRow> = sqlx::query_as(
                    "SELECT p.id, p.given_names || ' ' || p.family_name AS label \
                     FROM memberships m JOIN people p ON p.id = m.person_id \
                     WHERE m.team_id = $1 AND m.role = 'expert' AND p.active ORDER BY p.family_name, p.given_names",
                )
                .bind(team_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn case_of_object(&mut self, id: uuid::Uuid) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar(
                    "SELECT case_id FROM case_messages WHERE id = $1 \
                     UNION SELECT case_id FROM reports WHERE id = $1 \
                     UNION SELECT case_id FROM appointments WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)
            }

            async fn specialty_teams(&mut self, specialty_code: &str) -> Result<Vec<$crate::expertise::Choice>, $crate::StoreError> {
                let rows: Vec<$crate::rows::ChoiceRow> = sqlx::query_as(
                    "SELECT t.id, o.name || ' — ' || t.name AS label \
                     FROM teams t JOIN organizations o ON o.id = t.organization_id \
                     WHERE t.specialty_code = $1 ORDER BY o.name",
                )
                .bind(specialty_code)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }
        }
    };
}
