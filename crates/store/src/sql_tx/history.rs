//! The bulk insert of synthetic history: multi-row `INSERT`s, each under
//! SQLite's limit of 32 766 parameters.

/// Writes `$patients` and `$cases` (see
/// [`StatsTx::insert_history`](crate::stats::StatsTx::insert_history)).
#[doc(hidden)]
#[macro_export]
macro_rules! insert_history_rows {
    ($self:ident, $patients:ident, $cases:ident) => {{
        use consilium_domain::stats::synthetic::SyntheticEvent;
        let ts = |t: jiff::Timestamp| jiff_sqlx::Timestamp::from(t);
        for chunk in $patients.chunks(2000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO patients (id, ins, birth_family_name, first_names, birth_date, sex, identity_status, created_at) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.id)
                    .push_bind(p.ins.clone())
                    .push_bind("SYNTHETIQUE")
                    .push_bind(p.first_names.clone())
                    .push_bind(jiff_sqlx::Date::from(p.birth_date))
                    .push_bind(p.sex)
                    .push_bind("provisoire")
                    .push_bind(ts(jiff::Timestamp::UNIX_EPOCH));
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
        for chunk in $cases.chunks(1000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO cases (id, reference, patient_id, requester_id, site_id, team_id, status, created_at, \
                 consent_by, consent_at, submitted_at, owner_id, answered, synthetic) ",
            );
            q.push_values(chunk, |mut b, r| {
                let c = &r.case;
                b.push_bind(r.case_id)
                    .push_bind(c.reference.clone())
                    .push_bind(r.patient_id)
                    .push_bind(c.requester_id)
                    .push_bind(c.site_id)
                    .push_bind(c.team_id)
                    .push_bind(c.facts.status.code())
                    .push_bind(ts(c.sent_at))
                    .push_bind(c.requester_id)
                    .push_bind(ts(c.sent_at))
                    .push_bind(ts(c.sent_at))
                    .push_bind(c.advice.author_id)
                    .push_bind(true)
                    .push_bind(true);
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
        let events: Vec<(uuid::Uuid, &SyntheticEvent, Option<&'static str>)> = $cases
            .iter()
            .flat_map(|r| {
                let reason = r.case.decline.map(|(_, _, kind)| kind.label_fr());
                r.case
                    .events
                    .iter()
                    .map(move |e| (r.case_id, e, (e.step == "decline").then_some(reason).flatten()))
            })
            .collect();
        for chunk in events.chunks(3000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO case_events (id, case_id, at, actor_id, step, from_status, to_status, detail) ",
            );
            q.push_values(chunk, |mut b, (case_id, e, detail)| {
                b.push_bind($crate::stats::uuid_at(e.transition.at))
                    .push_bind(*case_id)
                    .push_bind(ts(e.transition.at))
                    .push_bind(e.actor_id)
                    .push_bind(e.step)
                    .push_bind(e.transition.from.code())
                    .push_bind(e.transition.to.code())
                    .push_bind(*detail);
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
        for chunk in $cases.chunks(3000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO case_messages (id, case_id, author_id, kind, at, body, asks_photos) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.message_id)
                    .push_bind(r.case_id)
                    .push_bind(r.case.advice.author_id)
                    .push_bind("advice")
                    .push_bind(ts(r.case.advice.at))
                    .push_bind("Avis de démonstration (données synthétiques).")
                    .push_bind(false);
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO advices (case_id, version, message_id, author_id, signed_at, hypothesis, management, visit, note) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.case_id)
                    .push_bind(1_i32)
                    .push_bind(r.message_id)
                    .push_bind(r.case.advice.author_id)
                    .push_bind(ts(r.case.advice.at))
                    .push_bind("Hypothèse de démonstration (données synthétiques)")
                    .push_bind("Conduite à tenir de démonstration")
                    .push_bind(r.case.advice.visit.code())
                    .push_bind("");
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
        for chunk in $cases.chunks(2000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO case_facts (case_id, month, team_id, site_id, status, patient_id, requester_id, \
                 expert_id, first_answer_at, response_secs, within_target, visit, synthetic) ",
            );
            q.push_values(chunk, |mut b, r| {
                let f = &r.case.facts;
                b.push_bind(r.case_id)
                    .push_bind(f.month.to_string())
                    .push_bind(r.case.team_id)
                    .push_bind(r.case.site_id)
                    .push_bind(f.status.code())
                    .push_bind(r.patient_id)
                    .push_bind(r.case.requester_id)
                    .push_bind(f.expert_id)
                    .push_bind(f.first_answer_at.map(ts))
                    .push_bind(f.response_secs)
                    .push_bind(f.within_target.map(i64::from))
                    .push_bind(f.visit.map(i64::from))
                    .push_bind(1_i64);
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
        let declines: Vec<_> = $cases
            .iter()
            .filter_map(|r| r.case.decline.map(|d| (r, d)))
            .collect();
        for chunk in declines.chunks(3000) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO case_declines (id, case_id, at, month, team_id, expert_id, kind) ",
            );
            q.push_values(chunk, |mut b, (r, (at, expert, kind))| {
                b.push_bind($crate::stats::uuid_at(*at))
                    .push_bind(r.case_id)
                    .push_bind(ts(*at))
                    .push_bind(consilium_domain::stats::Month::of(*at).to_string())
                    .push_bind(r.case.team_id)
                    .push_bind(*expert)
                    .push_bind(kind.code());
            });
            q.build().execute(&mut *$self.0).await.map_err($crate::rows::db_error)?;
        }
    }};
}
