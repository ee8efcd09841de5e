//! Case statements.

/// Implements [`CaseTx`](crate::cases::CaseTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_case_tx {
    ($tx:ident, $db:ty) => {
        macro_rules! case_select {
            () => {
                "SELECT c.id, c.reference, c.status, c.created_at, c.submitted_at, c.deadline, c.consent_at, \
                        c.answers, c.requester_id, c.site_id, c.team_id, \
                        t.organization_id AS centre_id, p.id AS patient_id, p.ins, p.birth_family_name, \
                        p.first_names, p.birth_date, p.sex, p.identity_status, \
                        p.created_at AS patient_created_at, s.name AS site_name, \
                        t.name AS team_name, r.given_names AS requester_given_names, \
                        r.family_name AS requester_family_name, c.owner_id, \
                        ow.given_names AS owner_given_names, ow.family_name AS owner_family_name, \
                        c.hold_remaining_secs, c.answered, c.status_reason, c.priority, c.revision, \
                        s.kind AS site_kind, s.finess AS site_finess, t.specialty_code, \
                        ce.name AS centre_name, ce.finess AS centre_finess, \
                        (SELECT COUNT(*) FROM case_attachments a WHERE a.case_id = c.id) AS attachment_count, \
                        (SELECT COUNT(*) FROM case_events ev WHERE ev.case_id = c.id) AS event_count, \
                        (SELECT ev.at FROM case_events ev WHERE ev.case_id = c.id ORDER BY ev.id DESC LIMIT 1) \
                            AS last_event_at \
                 FROM cases c \
                 JOIN teams t ON t.id = c.team_id \
                 JOIN organizations ce ON ce.id = t.organization_id \
                 JOIN patients p ON p.id = c.patient_id \
                 JOIN organizations s ON s.id = c.site_id \
                 JOIN people r ON r.id = c.requester_id \
                 LEFT JOIN people ow ON ow.id = c.owner_id"
            };
        }

        #[async_trait::async_trait]
        impl $crate::cases::CaseTx for $tx {
            async fn insert_case(&mut self, id: uuid::Uuid, c: &$crate::cases::NewCase) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO cases (id, reference, patient_id, requester_id, site_id, team_id, status, created_at, \
                     idempotency_key, priority) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(&c.reference)
                .bind(c.patient_id)
                .bind(c.requester_id)
                .bind(c.site_id)
                .bind(c.team_id)
                .bind(&c.status)
                .bind(jiff_sqlx::Timestamp::from(c.created_at))
                .bind(c.idempotency_key.as_deref())
                .bind(&c.priority)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn case_view(&mut self, id: uuid::Uuid) -> Result<Option<$crate::cases::CaseView>, $crate::StoreError> {
                let row: Option<$crate::rows::CaseRow> = sqlx::query_as(concat!(case_select!(), " WHERE c.id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn readable_cases(
                &mut self,
                person_id: uuid::Uuid,
            ) -> Result<Vec<$crate::cases::CaseView>, $crate::StoreError> {
                // The read column of CASE_POLICY: creator, and once sent, site
                // colleague with sharing on, team expert, centre (or team) coordinator.
                let rows: Vec<$crate::rows::CaseRow> = sqlx::query_as(concat!(
                    case_select!(),
                    " WHERE NOT c.synthetic AND (c.requester_id = $1 \
                       OR c.status <> 'draft' AND (EXISTS (SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id \
                                  WHERE m.person_id = $1 AND m.role = 'requester' \
                                    AND m.organization_id = c.site_id AND o.sharing_enabled) \
                       OR EXISTS (SELECT 1 FROM memberships m \
                                  WHERE m.person_id = $1 AND m.role = 'expert' AND m.team_id = c.team_id) \
                       OR EXISTS (SELECT 1 FROM memberships m \
                                  WHERE m.person_id = $1 AND m.role = 'coordinator' \
                                    AND m.organization_id = t.organization_id \
                                    AND (m.team_id IS NULL OR m.team_id = c.team_id)))) \
                     ORDER BY c.id DESC"
                ))
                .bind(person_id)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn all_cases(&mut self) -> Result<Vec<$crate::cases::CaseView>, $crate::StoreError> {
                let rows: Vec<$crate::rows::CaseRow> = sqlx::query_as(concat!(case_select!(), " ORDER BY c.id DESC"))
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }
        }
    };
}
