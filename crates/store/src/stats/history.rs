//! Writing the demo region's synthetic history in bulk: patients, requests
//! with their status history and advice, facts, declines, then the monthly
//! totals recomputed from the facts.

use consilium_domain::stats::synthetic::{Plan, SyntheticCase, generate};
use jiff::civil::Date;
use uuid::Uuid;

use crate::{Store, StoreError};

/// A synthetic patient: "SYNTHETIQUE Patient 0042", with a valid, invented INS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticPatient {
    /// Id.
    pub id: Uuid,
    /// INS (NIR and key), born in commune 999 so it matches no real person.
    pub ins: String,
    /// "Patient 0042".
    pub first_names: String,
    /// Birth date.
    pub birth_date: Date,
    /// "female" or "male".
    pub sex: &'static str,
}

impl SyntheticPatient {
    /// The `n`-th synthetic patient.
    pub fn nth(n: usize) -> Self {
        let sex = 1 + n % 2;
        let order = 1 + (n / 2) % 999;
        let month = 1 + (n / 1998) % 12;
        let year = 30 + (n / 23976) % 70;
        let nir = format!("{sex}{year:02}{month:02}21999{order:03}");
        let value: u64 = nir.parse().unwrap_or(0);
        let key = 97 - value % 97;
        Self {
            id: Uuid::now_v7(),
            ins: format!("{nir}{key:02}"),
            first_names: format!("Patient {:04}", n + 1),
            birth_date: Date::new(1900 + year as i16, month as i8, 15).unwrap_or_default(),
            sex: if sex == 1 { "male" } else { "female" },
        }
    }
}

/// One synthetic request with the ids of its rows.
#[derive(Debug, Clone)]
pub struct HistoryRows {
    /// The generated request.
    pub case: SyntheticCase,
    /// Its id.
    pub case_id: Uuid,
    /// Its patient's id.
    pub patient_id: Uuid,
    /// Its advice message's id.
    pub message_id: Uuid,
}

/// How many requests one transaction writes.
const BATCH: usize = 1000;

impl Store {
    /// Whether synthetic history was already written.
    pub async fn has_synthetic_history(&self) -> Result<bool, StoreError> {
        let mut tx = self.backend().begin().await?;
        let count = tx.synthetic_count().await?;
        tx.commit().await?;
        Ok(count > 0)
    }

    /// Generates and writes `plan`'s synthetic history over the region's
    /// routes (each requesting site to the teams it sends to, with their
    /// requesters and experts). Returns how many requests were written.
    pub async fn insert_synthetic_history(&self, plan: &Plan) -> Result<usize, StoreError> {
        let mut tx = self.backend().begin().await?;
        let routes = tx.history_routes().await?;
        tx.commit().await?;
        let patients: Vec<SyntheticPatient> =
            (0..plan.patients).map(SyntheticPatient::nth).collect();
        for chunk in patients.chunks(BATCH) {
            let mut tx = self.backend().begin().await?;
            tx.insert_history(chunk, &[]).await?;
            tx.commit().await?;
        }
        let cases = generate(plan, &routes);
        let written = cases.len();
        let mut rows = Vec::with_capacity(BATCH);
        for case in cases {
            rows.push(HistoryRows {
                case_id: uuid_at(case.sent_at),
                patient_id: patients[case.patient].id,
                message_id: uuid_at(case.advice.at),
                case,
            });
            if rows.len() == BATCH {
                self.write_history(&rows).await?;
                rows.clear();
            }
        }
        self.write_history(&rows).await?;
        let mut tx = self.backend().begin().await?;
        tx.rebuild_monthly().await?;
        tx.commit().await?;
        Ok(written)
    }

    async fn write_history(&self, rows: &[HistoryRows]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.backend().begin().await?;
        tx.insert_history(&[], rows).await?;
        tx.commit().await
    }
}

/// A UUIDv7 for an instant of the past, so ids sort in time order.
pub fn uuid_at(at: jiff::Timestamp) -> Uuid {
    let secs = u64::try_from(at.as_second()).unwrap_or(0);
    let nanos = u32::try_from(at.subsec_nanosecond()).unwrap_or(0);
    Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos))
}
