//! Which patient a new identity is (identity vigilance). An INS is unique in
//! the region, so typing one that is already known names that patient —
//! possibly one of another site the caller may not read. The typed traits
//! must then match the recorded ones, or nothing happens: the existing
//! patient is never shown, never overwritten, never linked to the caller's
//! site, and the attempt is audited. Repeated mismatches lock the caller out
//! of known INS for a while, so traits cannot be guessed one by one.

use consilium_domain::{
    auth::ThrottleRule,
    patient::{Traits, check_birth_date},
};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::{
    NewPatient, Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    requests::PatientChoice,
};

/// Why a new identity was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityRefusal {
    /// The INS is known with other traits. The patient's id is for the
    /// audit record only: nothing about that patient reaches the caller.
    #[error(
        "Cet INS est déjà enregistré avec d'autres traits d'identité (nom de naissance, prénoms, date de naissance ou sexe). Vérifiez-les sur la pièce d'identité ; rien n'a été enregistré. / This INS is already recorded with other identity traits (birth name, first names, birth date or sex). Check them against the identity document; nothing was recorded."
    )]
    Mismatch {
        /// The patient who holds the INS.
        patient_id: Uuid,
    },
    /// Too many mismatches lately.
    #[error(
        "Trop de traits d'identité ne correspondant pas à un INS connu : réessayez dans une heure ou contactez la cellule d'identitovigilance. / Too many identity traits that do not match a known INS: try again in an hour or contact the identity-vigilance team."
    )]
    TooManyMismatches,
}

/// Five mismatches in an hour close known INS to the caller for an hour.
pub const MISMATCH_THROTTLE: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window: SignedDuration::from_hours(1),
    lock: SignedDuration::from_hours(1),
};

fn throttle_key(actor: &Actor) -> String {
    format!("identity:{}", actor.caller.person_id)
}

fn traits(p: &NewPatient) -> Traits<'_> {
    Traits {
        birth_family_name: &p.birth_family_name,
        first_names: &p.first_names,
        birth_date: p.birth_date,
        sex: p.sex,
    }
}

/// The patient `choice` names, known to `site_id` from now on: one of the
/// site's, a patient already holding the INS whose traits match, or a new
/// one. Birth dates in the future or long past are refused.
pub(crate) async fn resolve_patient(
    tx: &mut dyn Tx,
    actor: &Actor,
    choice: &PatientChoice,
    site_id: Uuid,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    let identity = match choice {
        PatientChoice::Known(id) => {
            return if tx.patient_at_site(*id, site_id).await? {
                Ok(*id)
            } else {
                Err(StoreError::NotFound {
                    what: "patient",
                    key: id.to_string(),
                })
            };
        }
        PatientChoice::New(identity) => identity,
    };
    let today = now
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").map_err(StoreError::internal)?)
        .date();
    check_birth_date(identity.birth_date, today)?;
    let mut holder = match &identity.ins {
        Some(ins) => tx.patient_with_ins(ins).await?,
        None => None,
    };
    if holder.is_none() {
        let id = Uuid::now_v7();
        if tx.insert_patient(id, identity, now).await? {
            tx.link_patient_site(id, site_id).await?;
            return Ok(id);
        }
        // A concurrent request added the same INS first: that patient holds it.
        let ins = identity
            .ins
            .as_ref()
            .ok_or_else(|| StoreError::internal("patient insert conflicted without an INS"))?;
        holder = tx.patient_with_ins(ins).await?;
    }
    let holder = holder.ok_or_else(|| StoreError::internal("an INS holder vanished"))?;
    let counter = tx.sign_in_counter(&throttle_key(actor)).await?;
    if MISMATCH_THROTTLE.is_locked(counter.as_ref(), now) {
        return Err(IdentityRefusal::TooManyMismatches.into());
    }
    if !traits(identity).same_person_as(&traits(&holder.identity)) {
        return Err(IdentityRefusal::Mismatch {
            patient_id: holder.id,
        }
        .into());
    }
    tx.link_patient_site(holder.id, site_id).await?;
    Ok(holder.id)
}

impl Store {
    /// After a use case failed with `err` (its transaction dropped): an
    /// identity refusal is counted against the caller and audited, in a
    /// transaction of its own, and returned as it was.
    pub(crate) async fn record_identity_refusal(
        &self,
        actor: &Actor,
        site_id: Uuid,
        err: StoreError,
        now: Timestamp,
    ) -> StoreError {
        let StoreError::Identity(refusal) = &err else {
            return err;
        };
        let recorded = async {
            let mut tx = self.backend().begin().await?;
            let key = throttle_key(actor);
            if let IdentityRefusal::Mismatch { .. } = refusal {
                let counter = tx.sign_in_counter(&key).await?;
                let counter = MISMATCH_THROTTLE.after_failure(counter.as_ref(), now);
                tx.put_sign_in_counter(&key, &counter).await?;
            }
            let patient_id = match refusal {
                IdentityRefusal::Mismatch { patient_id } => Some(*patient_id),
                IdentityRefusal::TooManyMismatches => None,
            };
            let entry = AuditEntry {
                organization_id: Some(site_id),
                patient_id,
                ..AuditEntry::by(actor, "patient.identity_refused", Outcome::Denied, now)
            };
            audit::append(tx.as_mut(), self.audit_key(), entry).await?;
            tx.commit().await
        };
        match recorded.await {
            Ok(()) => err,
            Err(failure) => failure,
        }
    }
}
