//! Request statements.

/// Implements [`RequestTx`](crate::requests::RequestTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_request_tx {
    ($tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::requests::RequestTx for $tx {
            async fn site_route(
                &mut self,
                site_id: uuid::Uuid,
                specialty: &consilium_domain::directory::SpecialtyCode,
            ) -> Result<Option<$crate::Team>, $crate::StoreError> {
                let row: Option<$crate::rows::TeamRow> = sqlx::query_as(
                    "SELECT t.id, t.organization_id, t.specialty_code, t.name, t.response_target_hours \
                     FROM site_routes r JOIN teams t ON t.id = r.team_id \
                     WHERE r.site_id = $1 AND t.specialty_code = $2 ORDER BY t.name LIMIT 1",
                )
                .bind(site_id)
                .bind(specialty.as_str())
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn team_by_id(&mut self, id: uuid::Uuid) -> Result<Option<$crate::Team>, $crate::StoreError> {
                let row: Option<$crate::rows::TeamRow> = sqlx::query_as(
                    "SELECT id, organization_id, specialty_code, name, response_target_hours FROM teams WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn patient_at_site(&mut self, patient_id: uuid::Uuid, site_id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let found: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM patient_sites WHERE patient_id = $1 AND organization_id = $2")
                        .bind(patient_id)
                        .bind(site_id)
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                Ok(found.is_some())
            }

            async fn site_patients(
                &mut self,
                site_id: uuid::Uuid,
            ) -> Result<Vec<$crate::cases::PatientView>, $crate::StoreError> {
                let rows: Vec<$crate::rows::PatientRow> = sqlx::query_as(
                    "SELECT p.id, p.ins, p.birth_family_name, p.first_names, p.birth_date, p.sex, p.identity_status, p.created_at \
                     FROM patients p JOIN patient_sites s ON s.patient_id = p.id \
                     WHERE s.organization_id = $1 ORDER BY p.birth_family_name, p.first_names, p.id",
                )
                .bind(site_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn case_by_key(&mut self, requester_id: uuid::Uuid, key: &str) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar("SELECT id FROM cases WHERE requester_id = $1 AND idempotency_key = $2")
                    .bind(requester_id)
                    .bind(key)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn save_answers(
                &mut self,
                case_id: uuid::Uuid,
                answers: &serde_json::Value,
                consent: Option<(uuid::Uuid, jiff::Timestamp)>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE cases SET answers = $2, consent_by = $3, consent_at = $4 WHERE id = $1 AND status = 'draft'",
                )
                .bind(case_id)
                .bind(answers.to_string())
                .bind(consent.map(|c| c.0))
                .bind(consent.map(|c| jiff_sqlx::Timestamp::from(c.1)))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn submit_case(
                &mut self,
                case_id: uuid::Uuid,
                at: jiff::Timestamp,
                deadline: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE cases SET status = 'requested', submitted_at = $2, deadline = $3 \
                     WHERE id = $1 AND status = 'draft'",
                )
                .bind(case_id)
                .bind(jiff_sqlx::Timestamp::from(at))
                .bind(jiff_sqlx::Timestamp::from(deadline))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn attach(
                &mut self,
                case_id: uuid::Uuid,
                a: &$crate::requests::Attachment,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO case_attachments (case_id, upload_id, item, body_site, photo_kind) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(case_id)
                .bind(a.upload_id)
                .bind(&a.item)
                .bind(a.body_site.as_deref())
                .bind(a.photo_kind.as_deref())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn detach(&mut self, case_id: uuid::Uuid, upload_id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query("DELETE FROM case_attachments WHERE case_id = $1 AND upload_id = $2")
                    .bind(case_id)
                    .bind(upload_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn delete_draft(&mut self, case_id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query("DELETE FROM cases WHERE id = $1 AND status = 'draft'")
                    .bind(case_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn describe_attachment(
                &mut self,
                case_id: uuid::Uuid,
                a: &$crate::requests::Attachment,
            ) -> Result<bool, $crate::StoreError> {
                // Only a real change counts (and is audited).
                let done = sqlx::query(
                    "UPDATE case_attachments SET body_site = $3, photo_kind = $4 \
                     WHERE case_id = $1 AND upload_id = $2 \
                       AND (body_site IS DISTINCT FROM $3 OR photo_kind IS DISTINCT FROM $4)",
                )
                .bind(case_id)
                .bind(a.upload_id)
                .bind(a.body_site.as_deref())
                .bind(a.photo_kind.as_deref())
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn case_of_upload(&mut self, upload_id: uuid::Uuid) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar("SELECT case_id FROM case_attachments WHERE upload_id = $1")
                    .bind(upload_id)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn attachments(&mut self, case_id: uuid::Uuid) -> Result<Vec<$crate::requests::Attachment>, $crate::StoreError> {
                let rows: Vec<(uuid::Uuid, String, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT upload_id, item, body_site, photo_kind FROM case_attachments WHERE case_id = $1 ORDER BY upload_id",
                )
                .bind(case_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(upload_id, item, body_site, photo_kind)| $crate::requests::Attachment {
                        upload_id,
                        item,
                        body_site,
                        photo_kind,
                    })
                    .collect())
            }

            async fn next_reference(&mut self, prefix: &str, year: i16) -> Result<i64, $crate::StoreError> {
                // One statement: the row lock serialises concurrent requests.
                sqlx::query_scalar(
                    "INSERT INTO reference_counters (prefix, year, last) VALUES ($1, $2, 1) \
                     ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counters.last + 1 \
                     RETURNING last",
                )
                .bind(prefix)
                .bind(i32::from(year))
                .fetch_one(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)
            }
        }
    };
}
