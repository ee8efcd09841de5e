//! Patients read in bulk, and recorded (conditionally) for a site.

use jiff::Timestamp;

use super::PatientScope;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::PatientView,
};

/// What a (conditional) patient creation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientCreation {
    /// Recorded for the actor's site (an INS already known in the region,
    /// with the same identity traits, is that patient, now known to the
    /// site too; other traits are refused, see [`crate::identity`]).
    Created(PatientView),
    /// One patient the actor may read already matched the condition.
    Existing(PatientView),
    /// Several matched: nothing was done.
    Ambiguous(usize),
}

/// A condition on the patients the actor may read (FHIR `If-None-Exist`).
pub type PatientCondition<'a> = &'a (dyn Fn(&PatientView) -> bool + Send + Sync);

impl Store {
    /// Records a patient for the actor's requesting site, unless one they
    /// may read meets `unless`. The check and the insert are one
    /// transaction that holds the audit chain's lock from the start, so two
    /// concurrent calls cannot both create. Audited as a creation, or as a
    /// read of the patient found.
    pub async fn create_patient(
        &self,
        actor: &Actor,
        identity: &crate::NewPatient,
        unless: Option<PatientCondition<'_>>,
        now: Timestamp,
    ) -> Result<PatientCreation, StoreError> {
        let site = crate::requests::requesting_site(actor)?;
        let person = actor.caller.person_id;
        let mut tx = self.backend().begin().await?;
        tx.lock_audit_head().await?;
        let audit = |action, patient_id| AuditEntry {
            organization_id: Some(site),
            patient_id: Some(patient_id),
            ..AuditEntry::by(actor, action, Outcome::Success, now)
        };
        if let Some(condition) = unless {
            let found: Vec<PatientView> = tx
                .scoped_patients(person, &PatientScope::default())
                .await?
                .into_iter()
                .filter(|p| condition(p))
                .collect();
            match found.as_slice() {
                [] => {}
                [patient] => {
                    let entry = audit("patient.read", patient.id);
                    audit::append(tx.as_mut(), self.audit_key(), entry).await?;
                    tx.commit().await?;
                    return Ok(PatientCreation::Existing(patient.clone()));
                }
                many => return Ok(PatientCreation::Ambiguous(many.len())),
            }
        }
        let choice = crate::requests::PatientChoice::New(identity.clone());
        let id =
            match crate::identity::resolve_patient(tx.as_mut(), actor, &choice, site, now).await {
                Ok(id) => id,
                Err(err) => {
                    drop(tx);
                    return Err(self.record_identity_refusal(actor, site, err, now).await);
                }
            };
        let patient = tx
            .scoped_patients(
                person,
                &PatientScope {
                    ids: Some(vec![id]),
                    ..PatientScope::default()
                },
            )
            .await?
            .pop()
            .ok_or_else(|| {
                StoreError::internal("a patient just linked to the site is unreadable")
            })?;
        audit::append(tx.as_mut(), self.audit_key(), audit("patient.create", id)).await?;
        tx.commit().await?;
        Ok(PatientCreation::Created(patient))
    }

    /// The patients of `scope` the actor may read, by name. One audit
    /// record: a read when the scope names one patient (not found or denied
    /// when it yields nothing), a search otherwise.
    pub async fn patients(
        &self,
        actor: &Actor,
        scope: &PatientScope,
        now: Timestamp,
    ) -> Result<Vec<PatientView>, StoreError> {
        let mut tx = self.backend().begin().await?;
        let patients = tx.scoped_patients(actor.caller.person_id, scope).await?;
        let entry = match scope.ids.as_deref() {
            Some([id]) if scope.ins.is_none() => {
                let outcome = match patients.first() {
                    Some(_) => Outcome::Success,
                    None if tx.patient_exists(*id).await? => Outcome::Denied,
                    None => Outcome::NotFound,
                };
                AuditEntry {
                    patient_id: patients.first().map(|p| p.id),
                    object_id: patients.is_empty().then_some(*id),
                    ..AuditEntry::by(actor, "patient.read", outcome, now)
                }
            }
            _ => AuditEntry::by(actor, "patient.search", Outcome::Success, now)
                .naming(patients.iter().map(|p| p.id)),
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        Ok(patients)
    }
}
