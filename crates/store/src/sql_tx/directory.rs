//! The directory's statements.

/// Implements [`DirectoryTx`](crate::DirectoryTx) for `$tx`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_directory_tx {
    ($tx:ident, $db:ty) => {
        macro_rules! organization_select {
            () => {
                "SELECT id, kind, name, finess, city, sharing_enabled, created_at FROM organizations"
            };
        }
        macro_rules! team_select {
            () => {
                "SELECT id, organization_id, specialty_code, name, response_target_hours FROM teams"
            };
        }
        macro_rules! person_select {
            () => {
                "SELECT id, email, given_names, family_name, profession, rpps, active, created_at, updated_at FROM people"
            };
        }


        #[async_trait::async_trait]
        impl $crate::DirectoryTx for $tx {
            async fn insert_specialty(&mut self, s: &$crate::Specialty) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO specialties (code, name_fr, name_en) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(s.code.as_str())
                .bind(&s.name_fr)
                .bind(&s.name_en)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn specialties(&mut self) -> Result<Vec<$crate::Specialty>, $crate::StoreError> {
                let rows: Vec<$crate::rows::SpecialtyRow> =
                    sqlx::query_as("SELECT code, name_fr, name_en FROM specialties ORDER BY name_fr")
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_organization(
                &mut self,
                id: uuid::Uuid,
                org: &$crate::NewOrganization,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO organizations (id, kind, name, finess, city, sharing_enabled, created_at) \
                     VALUES ($1, $2, $3, $4, $5, FALSE, $6) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(org.kind.code())
                .bind(org.name.as_str())
                .bind(org.finess.as_ref().map(|f| f.as_str()))
                .bind(org.city.as_ref().map(|c| c.as_str()))
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn organization(
                &mut self,
                key: &$crate::OrgKey,
            ) -> Result<Option<$crate::Organization>, $crate::StoreError> {
                let query = match key {
                    $crate::OrgKey::Id(id) => {
                        sqlx::query_as(concat!(organization_select!(), " WHERE id = $1")).bind(*id)
                    }
                    $crate::OrgKey::Finess(finess) => {
                        sqlx::query_as(concat!(organization_select!(), " WHERE finess = $1")).bind(finess.as_str())
                    }
                };
                let row: Option<$crate::rows::OrganizationRow> =
                    query.fetch_optional(&mut *self.0).await.map_err($crate::rows::db_error)?;
                row.map($crate::Organization::try_from).transpose()
            }

            async fn organizations(&mut self) -> Result<Vec<$crate::Organization>, $crate::StoreError> {
                let rows: Vec<$crate::rows::OrganizationRow> =
                    sqlx::query_as(concat!(organization_select!(), " ORDER BY name, id"))
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_team(
                &mut self,
                id: uuid::Uuid,
                organization_id: uuid::Uuid,
                team: &$crate::SeedTeam,
            ) -> Result<bool, $crate::StoreError> {
                let hours = i32::try_from(team.response_target.hours()).map_err($crate::StoreError::internal)?;
                let done = sqlx::query(
                    "INSERT INTO teams (id, organization_id, specialty_code, name, response_target_hours) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(organization_id)
                .bind(team.specialty.as_str())
                .bind(team.name.as_str())
                .bind(hours)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn team(
                &mut self,
                organization_id: uuid::Uuid,
                specialty: &consilium_domain::directory::SpecialtyCode,
            ) -> Result<Option<$crate::Team>, $crate::StoreError> {
                let row: Option<$crate::rows::TeamRow> = sqlx::query_as(concat!(team_select!(), " WHERE organization_id = $1 AND specialty_code = $2"))
                .bind(organization_id)
                .bind(specialty.as_str())
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map($crate::Team::try_from).transpose()
            }

            async fn teams(&mut self) -> Result<Vec<$crate::Team>, $crate::StoreError> {
                let rows: Vec<$crate::rows::TeamRow> = sqlx::query_as(concat!(team_select!(), " ORDER BY name, id"))
                    .fetch_all(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_route(&mut self, site_id: uuid::Uuid, team_id: uuid::Uuid) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query("INSERT INTO site_routes (site_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(site_id)
                    .bind(team_id)
                    .execute(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn insert_person(
                &mut self,
                id: uuid::Uuid,
                person: &$crate::NewPerson,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let practitioner = person.practitioner.as_ref();
                let done = sqlx::query(
                    "INSERT INTO people (id, email, given_names, family_name, profession, rpps, active, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(person.email.as_str())
                .bind(person.given_names.as_str())
                .bind(person.family_name.as_str())
                .bind(practitioner.map(|p| p.profession.code()))
                .bind(practitioner.map(|p| p.rpps.as_str()))
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn person_by_email(
                &mut self,
                email: &consilium_domain::Email,
            ) -> Result<Option<$crate::Person>, $crate::StoreError> {
                let row: Option<$crate::rows::PersonRow> =
                    sqlx::query_as(concat!(person_select!(), " WHERE email = $1"))
                        .bind(email.as_str())
                        .fetch_optional(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                row.map($crate::Person::try_from).transpose()
            }

            async fn people(&mut self) -> Result<Vec<$crate::Person>, $crate::StoreError> {
                let rows: Vec<$crate::rows::PersonRow> =
                    sqlx::query_as(concat!(person_select!(), " ORDER BY family_name, given_names, id"))
                        .fetch_all(&mut *self.0)
                        .await
                        .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_membership(
                &mut self,
                person_id: uuid::Uuid,
                organization_id: uuid::Uuid,
                role: consilium_domain::directory::Role,
                team_id: Option<uuid::Uuid>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO memberships (id, person_id, organization_id, role, team_id) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(uuid::Uuid::now_v7())
                .bind(person_id)
                .bind(organization_id)
                .bind(role.code())
                .bind(team_id)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn memberships(&mut self) -> Result<Vec<$crate::Membership>, $crate::StoreError> {
                let rows: Vec<$crate::rows::MembershipRow> = sqlx::query_as(
                    "SELECT m.id, m.person_id, m.organization_id, o.name AS organization_name, m.role, m.team_id, \
                            t.specialty_code \
                     FROM memberships m \
                     JOIN organizations o ON o.id = m.organization_id \
                     LEFT JOIN teams t ON t.id = m.team_id \
                     ORDER BY o.name, m.role, t.specialty_code",
                )
                .fetch_all(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                convert(rows)
            }

            async fn insert_patient(
                &mut self,
                id: uuid::Uuid,
                patient: &$crate::NewPatient,
                now: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO patients (id, ins, birth_family_name, first_names, birth_date, sex, identity_status, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(patient.ins.as_ref().map(|i| i.as_str()))
                .bind(patient.birth_family_name.as_str())
                .bind(patient.first_names.as_str())
                .bind(jiff_sqlx::Date::from(patient.birth_date))
                .bind(patient.sex.code())
                .bind(patient.identity_status.code())
                .bind(jiff_sqlx::Timestamp::from(now))
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn patient_by_ins(
                &mut self,
                ins: &consilium_domain::Ins,
            ) -> Result<Option<uuid::Uuid>, $crate::StoreError> {
                sqlx::query_scalar("SELECT id FROM patients WHERE ins = $1")
                    .bind(ins.as_str())
                    .fetch_optional(&mut *self.0)
                    .await
                    .map_err($crate::rows::db_error)
            }

            async fn patient_with_ins(
                &mut self,
                ins: &consilium_domain::Ins,
            ) -> Result<Option<$crate::cases::PatientView>, $crate::StoreError> {
                let row: Option<$crate::rows::PatientRow> = sqlx::query_as(
                    "SELECT id, ins, birth_family_name, first_names, birth_date, sex, identity_status, created_at \
                     FROM patients WHERE ins = $1",
                )
                .bind(ins.as_str())
                .fetch_optional(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                row.map(TryInto::try_into).transpose()
            }

            async fn link_patient_site(
                &mut self,
                patient_id: uuid::Uuid,
                organization_id: uuid::Uuid,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO patient_sites (patient_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(patient_id)
                .bind(organization_id)
                .execute(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(one_row(done))
            }

            async fn counts(&mut self) -> Result<$crate::DirectoryCounts, $crate::StoreError> {
                let row: $crate::rows::CountsRow = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM specialties) AS specialties, \
                            (SELECT COUNT(*) FROM organizations) AS organizations, \
                            (SELECT COUNT(*) FROM teams) AS teams, \
                            (SELECT COUNT(*) FROM site_routes) AS routes, \
                            (SELECT COUNT(*) FROM people) AS people, \
                            (SELECT COUNT(*) FROM memberships) AS memberships, \
                            (SELECT COUNT(*) FROM patients) AS patients, \
                            (SELECT COUNT(*) FROM patient_sites) AS patient_sites, \
                            (SELECT COUNT(*) FROM cases) AS cases",
                )
                .fetch_one(&mut *self.0)
                .await
                .map_err($crate::rows::db_error)?;
                Ok(row.into())
            }
        }
    };
}
