//! Statistics statements: facts, monthly totals, dashboard reads, billing
//! acts and the bulk insert of synthetic history.

/// Implements [`StatsTx`](crate::stats::StatsTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_stats_tx {
    ($tx:ident, $db:ty) => {
        // A dashboard filter over a team column and a site column, with
        // parameters $3..$7 (specialty, centre, team, site kind, site).
        macro_rules! stats_filter {
            ($team:literal, $site:literal) => {
                concat!(
                    " AND ($3 IS NULL OR ", $team, " IN (SELECT st.id FROM teams st WHERE st.specialty_code = $3))",
                    " AND ($4 IS NULL OR ", $team, " IN (SELECT st.id FROM teams st WHERE st.organization_id = $4))",
                    " AND ($5 IS NULL OR ", $team, " = $5)",
                    " AND ($6 IS NULL OR ", $site, " IN (SELECT so.id FROM organizations so WHERE so.kind = $6))",
                    " AND ($7 IS NULL OR ", $site, " = $7)"
                )
            };
        }

        // Binds $1..$7 of a dashboard filter.
        macro_rules! bind_filter {
            ($query:expr, $f:expr) => {
                $query
                    .bind($f.period.from.to_string())
                    .bind($f.period.to.to_string())
                    .bind($f.specialty.as_deref())
                    .bind($f.centre_id)
                    .bind($f.team_id)
                    .bind($f.site_kind.map(|k| k.code()))
                    .bind($f.site_id)
            };
        }

        #[async_trait::async_trait]
        impl $crate::stats::StatsTx for $tx {
            async fn fact_inputs(
                &mut self,
                case_id: uuid::Uuid,
            ) -> Result<Option<$crate::stats::FactInputs>, $crate::StoreError> {
                let row: Option<$crate::rows::FactInputsRow> = sqlx::query_as(
                    "SELECT c.submitted_at, c.status, c.team_id, c.site_id, c.patient_id, c.requester_id, \
                            CAST(t.response_target_hours AS BIGINT) AS target_hours, c.synthetic \
                     FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.id = $1",
                )
                .bind(case_id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn fact(
                &mut self,
                case_id: uuid::Uuid,
            ) -> Result<Option<$crate::stats::FactRow>, $crate::StoreError> {
                let row: Option<$crate::rows::FactRowRow> = sqlx::query_as(
                    "SELECT case_id, month, team_id, site_id, status, patient_id, requester_id, expert_id, \
                            first_answer_at, response_secs, within_target, visit, synthetic \
                     FROM case_facts WHERE case_id = $1",
                )
                .bind(case_id)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(row.map(Into::into))
            }

            async fn upsert_fact(&mut self, f: &$crate::stats::FactRow) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO case_facts (case_id, month, team_id, site_id, status, patient_id, requester_id, \
                                             expert_id, first_answer_at, response_secs, within_target, visit, synthetic) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (case_id) DO UPDATE SET month = excluded.month, team_id = excluded.team_id, \
                        site_id = excluded.site_id, status = excluded.status, patient_id = excluded.patient_id, \
                        requester_id = excluded.requester_id, expert_id = excluded.expert_id, \
                        first_answer_at = excluded.first_answer_at, response_secs = excluded.response_secs, \
                        within_target = excluded.within_target, visit = excluded.visit, synthetic = excluded.synthetic",
                )
                .bind(f.case_id)
                .bind(&f.month)
                .bind(f.team_id)
                .bind(f.site_id)
                .bind(&f.status)
                .bind(f.patient_id)
                .bind(f.requester_id)
                .bind(f.expert_id)
                .bind(f.first_answer_at.map(jiff_sqlx::Timestamp::from))
                .bind(f.response_secs)
                .bind(f.within_target)
                .bind(f.visit)
                .bind(f.synthetic)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn add_monthly(
                &mut self,
                k: &$crate::stats::MonthlyKey,
                d: &$crate::stats::MonthlyDelta,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO stats_monthly (month, team_id, site_id, status, requests, answered, response_secs, \
                                                within_target, visits, synthetic) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (month, team_id, site_id, status) DO UPDATE SET \
                        requests = stats_monthly.requests + excluded.requests, \
                        answered = stats_monthly.answered + excluded.answered, \
                        response_secs = stats_monthly.response_secs + excluded.response_secs, \
                        within_target = stats_monthly.within_target + excluded.within_target, \
                        visits = stats_monthly.visits + excluded.visits, \
                        synthetic = stats_monthly.synthetic + excluded.synthetic",
                )
                .bind(&k.month)
                .bind(k.team_id)
                .bind(k.site_id)
                .bind(&k.status)
                .bind(d.requests)
                .bind(d.answered)
                .bind(d.response_secs)
                .bind(d.within_target)
                .bind(d.visits)
                .bind(d.synthetic)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn rebuild_monthly(&mut self) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM stats_monthly")
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                sqlx::query(
                    "INSERT INTO stats_monthly (month, team_id, site_id, status, requests, answered, response_secs, \
                                                within_target, visits, synthetic) \
                     SELECT month, team_id, site_id, status, COUNT(*), COUNT(response_secs), \
                            COALESCE(SUM(response_secs), 0), COALESCE(SUM(within_target), 0), \
                            COALESCE(SUM(visit), 0), SUM(synthetic) \
                     FROM case_facts GROUP BY month, team_id, site_id, status",
                )
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn insert_decline(
                &mut self,
                d: &$crate::stats::DeclineRecord,
                month: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO case_declines (id, case_id, at, month, team_id, expert_id, kind) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(d.id)
                .bind(d.case_id)
                .bind(jiff_sqlx::Timestamp::from(d.at))
                .bind(month)
                .bind(d.team_id)
                .bind(d.expert_id)
                .bind(&d.kind)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(())
            }

            async fn cases_without_facts(&mut self, limit: i64) -> Result<Vec<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar(
                    "SELECT c.id FROM cases c WHERE c.submitted_at IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM case_facts f WHERE f.case_id = c.id) ORDER BY c.id LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)
            }

            async fn monthly(
                &mut self,
                f: &$crate::stats::StatsFilter,
            ) -> Result<Vec<$crate::stats::MonthlyRow>, $crate::StoreError> {
                let rows: Vec<$crate::rows::MonthlyRowRow> = bind_filter!(
                    sqlx::query_as(concat!(
                        "SELECT month, team_id, site_id, status, requests, answered, response_secs, \
                                within_target, visits, synthetic \
                         FROM stats_monthly WHERE requests <> 0 AND month BETWEEN $1 AND $2",
                        stats_filter!("team_id", "site_id")
                    )),
                    f
                )
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn response_at(
                &mut self,
                f: &$crate::stats::StatsFilter,
                offset: i64,
            ) -> Result<Option<i64>, $crate::StoreError> {
                // Walks the response-time index in order and stops at the
                // wanted rank: no sort, whatever the number of requests.
                bind_filter!(
                    sqlx::query_scalar(concat!(
                        "SELECT response_secs FROM case_facts \
                         WHERE response_secs IS NOT NULL AND month BETWEEN $1 AND $2",
                        stats_filter!("team_id", "site_id"),
                        " ORDER BY response_secs LIMIT 1 OFFSET $8"
                    )),
                    f
                )
                .bind(offset)
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)
            }

            async fn decline_counts(
                &mut self,
                f: &$crate::stats::StatsFilter,
            ) -> Result<Vec<(String, i64)>, $crate::StoreError> {
                bind_filter!(
                    sqlx::query_as(concat!(
                        "SELECT d.kind, COUNT(*) FROM case_declines d JOIN case_facts fa ON fa.case_id = d.case_id \
                         WHERE d.month BETWEEN $1 AND $2",
                        stats_filter!("d.team_id", "fa.site_id"),
                        " GROUP BY d.kind ORDER BY d.kind"
                    )),
                    f
                )
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)
            }

            async fn load(
                &mut self,
                f: &$crate::stats::StatsFilter,
                now: jiff::Timestamp,
            ) -> Result<Vec<$crate::stats::LoadRow>, $crate::StoreError> {
                // Open and unanswered now, whatever month they were sent ($1
                // and $2 are bound but not used).
                let rows: Vec<$crate::rows::LoadRowRow> = bind_filter!(
                    sqlx::query_as(concat!(
                        "SELECT c.team_id, p.given_names, p.family_name, COUNT(*) AS open, \
                                SUM(CASE WHEN c.deadline IS NOT NULL AND c.deadline < $8 THEN 1 ELSE 0 END) AS overdue \
                         FROM cases c LEFT JOIN people p ON p.id = c.owner_id \
                         WHERE c.status IN ('requested', 'accepted', 'rejected', 'in-progress', 'on-hold') \
                           AND NOT c.answered AND ($1 IS NOT NULL OR $2 IS NOT NULL)",
                        stats_filter!("c.team_id", "c.site_id"),
                        " GROUP BY c.team_id, c.owner_id, p.given_names, p.family_name \
                          ORDER BY c.team_id, p.family_name"
                    )),
                    f
                )
                .bind(jiff_sqlx::Timestamp::from(now))
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn billable_acts(
                &mut self,
                side: $crate::stats::BillingSide,
                from: jiff::Timestamp,
                to: jiff::Timestamp,
            ) -> Result<Vec<consilium_domain::stats::BillableAct>, $crate::StoreError> {
                use $crate::stats::BillingSide;
                let (code, sql) = match side {
                    BillingSide::Site(_) => (
                        consilium_domain::stats::ActCode::Rqd,
                        "SELECT f.first_answer_at, c.reference, p.id AS practitioner_id, p.rpps, p.profession, \
                                f.patient_id, pt.ins \
                         FROM case_facts f JOIN cases c ON c.id = f.case_id \
                         JOIN people p ON p.id = f.requester_id JOIN patients pt ON pt.id = f.patient_id \
                         WHERE f.site_id = $1 AND f.first_answer_at >= $2 AND f.first_answer_at < $3",
                    ),
                    BillingSide::Centre(_) => (
                        consilium_domain::stats::ActCode::Te2,
                        "SELECT f.first_answer_at, c.reference, p.id AS practitioner_id, p.rpps, p.profession, \
                                f.patient_id, pt.ins \
                         FROM case_facts f JOIN cases c ON c.id = f.case_id \
                         JOIN people p ON p.id = f.expert_id JOIN patients pt ON pt.id = f.patient_id \
                         WHERE f.team_id IN (SELECT t.id FROM teams t WHERE t.organization_id = $1) \
                           AND f.first_answer_at >= $2 AND f.first_answer_at < $3",
                    ),
                };
                let (BillingSide::Site(id) | BillingSide::Centre(id)) = side;
                let rows: Vec<$crate::rows::ActRow> = sqlx::query_as(sql)
                    .bind(id)
                    .bind(jiff_sqlx::Timestamp::from(from))
                    .bind(jiff_sqlx::Timestamp::from(to))
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                rows.into_iter().map(|r| r.into_act(code)).collect()
            }

            async fn synthetic_count(&mut self) -> Result<i64, $crate::StoreError> {
                sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE synthetic")
                    .fetch_one(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn history_routes(
                &mut self,
            ) -> Result<Vec<consilium_domain::stats::synthetic::Route>, $crate::StoreError> {
                let rows: Vec<$crate::rows::RouteRow> = sqlx::query_as(
                    "SELECT r.site_id, r.team_id, t.specialty_code, CAST(t.response_target_hours AS BIGINT) AS target_hours, \
                            m.person_id, m.role \
                     FROM site_routes r JOIN teams t ON t.id = r.team_id \
                     JOIN memberships m ON (m.role = 'requester' AND m.organization_id = r.site_id) \
                                        OR (m.role = 'expert' AND m.team_id = r.team_id) \
                     JOIN people p ON p.id = m.person_id AND p.active \
                     ORDER BY r.site_id, r.team_id, m.role, m.person_id",
                )
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok($crate::rows::routes(rows))
            }

            async fn insert_history(
                &mut self,
                patients: &[$crate::stats::SyntheticPatient],
                cases: &[$crate::stats::HistoryRows],
            ) -> Result<(), $crate::StoreError> {
                $crate::insert_history_rows!(self, patients, cases);
                Ok(())
            }
        }
    };
}
