//! Billing exports: the acts of a requesting site (RQD) or of a centre's
//! experts (TE2) over a period, with the yearly cap applied.

use consilium_domain::stats::{BillingLine, Month, Period, bill};
use jiff::Timestamp;

use super::BillingSide;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
};

impl Store {
    /// The billing lines of `side` whose act falls in `period`. Acts earlier
    /// in the same calendar years count towards the yearly cap. The caller
    /// checked that `actor` may export for `side`. Audited as one export.
    pub async fn billing(
        &self,
        actor: &Actor,
        side: BillingSide,
        period: Period,
        now: Timestamp,
    ) -> Result<Vec<BillingLine>, StoreError> {
        let year_start = Month::parse(&format!("{:04}-01", period.from.year()))
            .map_err(StoreError::internal)?
            .start();
        let mut tx = self.backend().begin().await?;
        let acts = tx.billable_acts(side, year_start, period.end()).await?;
        let entry = AuditEntry::by(actor, "stats.billing_export", Outcome::Success, now);
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        let start = period.start();
        Ok(bill(acts)
            .into_iter()
            .filter(|line| line.act.at >= start)
            .collect())
    }
}
