//! Billing of tele-expertise acts (NGAP, since 1 April 2022): the expert
//! bills TE2 (€20), the requester RQD (€10); at most four TE2 acts a
//! calendar year for one patient and one expert; only doctors and midwives
//! bill TE2.

use std::collections::HashMap;

use jiff::Timestamp;
use uuid::Uuid;

use super::Month;
use crate::directory::Profession;

/// The most TE2 acts one expert may bill for one patient in a calendar year.
pub const TE2_PER_PATIENT_PER_YEAR: usize = 4;

/// A billing code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActCode {
    /// The requester's act (demande de téléexpertise).
    Rqd,
    /// The expert's act (téléexpertise).
    Te2,
}

impl ActCode {
    /// The code as billed.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rqd => "RQD",
            Self::Te2 => "TE2",
        }
    }

    /// The fee, in euro cents.
    pub fn amount_cents(self) -> i64 {
        match self {
            Self::Rqd => 1000,
            Self::Te2 => 2000,
        }
    }

    /// Whether a professional of `profession` may bill this code: any
    /// profession that may request bills RQD; only doctors and midwives
    /// bill TE2.
    pub fn billable_by(self, profession: Option<Profession>) -> bool {
        match (self, profession) {
            (_, None) => false,
            (Self::Rqd, Some(_)) => true,
            (Self::Te2, Some(p)) => p.may_answer(),
        }
    }
}

/// One act to bill: a request answered, seen from one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillableAct {
    /// When the advice was first given.
    pub at: Timestamp,
    /// RQD or TE2.
    pub code: ActCode,
    /// The request's reference.
    pub reference: String,
    /// Who bills (the requester or the expert).
    pub practitioner_id: Uuid,
    /// Their RPPS number.
    pub rpps: Option<String>,
    /// Their profession.
    pub profession: Option<Profession>,
    /// The patient.
    pub patient_id: Uuid,
    /// The patient's INS, when known.
    pub ins: Option<String>,
}

/// One line of a billing export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingLine {
    /// The act.
    pub act: BillableAct,
    /// Why it may not be billed; `None` when it may.
    pub refusal: Option<String>,
}

impl BillingLine {
    /// The amount billed, in euro cents (0 when not billable).
    pub fn amount_cents(&self) -> i64 {
        if self.refusal.is_some() {
            0
        } else {
            self.act.code.amount_cents()
        }
    }
}

/// Applies the rules to `acts`, in time order. Give every act of the
/// calendar years concerned, so that the yearly cap counts acts before the
/// period being exported.
pub fn bill(mut acts: Vec<BillableAct>) -> Vec<BillingLine> {
    acts.sort_by(|a, b| (a.at, &a.reference).cmp(&(b.at, &b.reference)));
    let mut billed: HashMap<(Uuid, Uuid, i16), usize> = HashMap::new();
    acts.into_iter()
        .map(|act| {
            let refusal = if !act.code.billable_by(act.profession) {
                Some(format!(
                    "profession non autorisée à facturer {}",
                    act.code.code()
                ))
            } else if act.code == ActCode::Te2 {
                let year = Month::of(act.at).year();
                let count = billed
                    .entry((act.patient_id, act.practitioner_id, year))
                    .or_default();
                if *count >= TE2_PER_PATIENT_PER_YEAR {
                    Some(format!(
                        "plafond atteint : {TE2_PER_PATIENT_PER_YEAR} actes TE2 par an pour ce patient et cet expert ({year})"
                    ))
                } else {
                    *count += 1;
                    None
                }
            } else {
                None
            };
            BillingLine { act, refusal }
        })
        .collect()
}
