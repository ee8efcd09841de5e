use consilium_domain::{
    Ins, NamePart,
    access::CaseParties,
    patient::{IdentityStatus, Sex},
};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{corrupt, optional};
use crate::{
    NewPatient, StoreError,
    cases::{CaseView, PatientView},
};

/// A case joined with its patient, site, team and requester.
#[derive(Debug, sqlx::FromRow)]
pub struct CaseRow {
    id: Uuid,
    reference: String,
    status: String,
    created_at: jiff_sqlx::Timestamp,
    submitted_at: Option<jiff_sqlx::Timestamp>,
    deadline: Option<jiff_sqlx::Timestamp>,
    consent_at: Option<jiff_sqlx::Timestamp>,
    answers: String,
    requester_id: Uuid,
    site_id: Uuid,
    team_id: Uuid,
    centre_id: Uuid,
    patient_id: Uuid,
    ins: Option<String>,
    birth_family_name: String,
    first_names: String,
    birth_date: jiff_sqlx::Date,
    sex: String,
    identity_status: String,
    patient_created_at: jiff_sqlx::Timestamp,
    site_name: String,
    team_name: String,
    requester_given_names: String,
    requester_family_name: String,
    owner_id: Option<Uuid>,
    owner_given_names: Option<String>,
    owner_family_name: Option<String>,
    hold_remaining_secs: Option<i64>,
    answered: bool,
    status_reason: Option<String>,
    priority: String,
    revision: i32,
    site_kind: String,
    site_finess: Option<String>,
    specialty_code: String,
    centre_name: String,
    centre_finess: Option<String>,
    attachment_count: i64,
    event_count: i64,
    last_event_at: Option<jiff_sqlx::Timestamp>,
}

impl TryFrom<CaseRow> for CaseView {
    type Error = StoreError;
    fn try_from(row: CaseRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            reference: row.reference,
            parties: CaseParties {
                requester_id: row.requester_id,
                site_id: row.site_id,
                team_id: row.team_id,
                centre_id: row.centre_id,
                submitted: row.status != "draft",
            },
            status: row.status,
            created_at: row.created_at.to_jiff(),
            submitted_at: row.submitted_at.map(|t| t.to_jiff()),
            deadline: row.deadline.map(|t| t.to_jiff()),
            consent_at: row.consent_at.map(|t| t.to_jiff()),
            answers: serde_json::from_str(&row.answers).map_err(StoreError::internal)?,
            patient: PatientRow {
                id: row.patient_id,
                ins: row.ins,
                birth_family_name: row.birth_family_name,
                first_names: row.first_names,
                birth_date: row.birth_date,
                sex: row.sex,
                identity_status: row.identity_status,
                created_at: row.patient_created_at,
            }
            .try_into()?,
            site_name: row.site_name,
            team_name: row.team_name,
            requester_name: format!(
                "{} {}",
                row.requester_given_names, row.requester_family_name
            ),
            owner_id: row.owner_id,
            owner_name: row
                .owner_given_names
                .zip(row.owner_family_name)
                .map(|(given, family)| format!("{given} {family}")),
            hold_remaining: row.hold_remaining_secs.map(SignedDuration::from_secs),
            answered: row.answered,
            status_reason: row.status_reason,
            priority: row.priority,
            revision: row.revision,
            version: i32::try_from(row.event_count + 1).map_err(StoreError::internal)?,
            updated_at: row
                .last_event_at
                .map_or(row.created_at.to_jiff(), |t| t.to_jiff()),
            site_kind: row.site_kind,
            site_finess: row.site_finess,
            specialty_code: row.specialty_code,
            centre_name: row.centre_name,
            centre_finess: row.centre_finess,
            attachment_count: row.attachment_count,
        })
    }
}

/// A row of `patients`.
#[derive(Debug, sqlx::FromRow)]
pub struct PatientRow {
    id: Uuid,
    ins: Option<String>,
    birth_family_name: String,
    first_names: String,
    birth_date: jiff_sqlx::Date,
    sex: String,
    identity_status: String,
    created_at: jiff_sqlx::Timestamp,
}

impl TryFrom<PatientRow> for PatientView {
    type Error = StoreError;
    fn try_from(row: PatientRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.id,
            identity: NewPatient {
                ins: optional(row.ins, "patients.ins", Ins::parse)?,
                birth_family_name: NamePart::parse(&row.birth_family_name)
                    .map_err(corrupt("patients.birth_family_name"))?,
                first_names: NamePart::parse(&row.first_names)
                    .map_err(corrupt("patients.first_names"))?,
                birth_date: row.birth_date.to_jiff(),
                sex: Sex::parse(&row.sex).map_err(corrupt("patients.sex"))?,
                identity_status: IdentityStatus::parse(&row.identity_status)
                    .map_err(corrupt("patients.identity_status"))?,
            },
            created_at: row.created_at.to_jiff(),
        })
    }
}
