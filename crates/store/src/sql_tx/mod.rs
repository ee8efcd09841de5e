//! The statements both sqlx backends share. SQLite and PostgreSQL accept the
//! same text for almost every statement (`$n` parameters, `ON CONFLICT`,
//! scalar sub-queries), so it is written once here and expanded for each
//! backend's transaction type; what differs (schema, connection settings,
//! locking) stays in the backend crates or comes in as a parameter.

mod audit;
mod auth;
mod cases;
mod devices;
mod directory;
mod expertise;
mod history;
mod jobs;
mod notifications;
mod records;
mod requests;
mod saved_searches;
mod stats;
mod uploads;

/// Implements [`Tx`](crate::Tx) and its parts for `$tx`, a newtype over
/// `sqlx::Transaction<'static, $db>`. `skip_locked` ends the sub-query that
/// picks jobs to claim. `audit_lock` is the statement that
/// serialises writers of the audit chain for the rest of the transaction.
/// The calling crate depends on `sqlx`, `async-trait`, `jiff`, `jiff-sqlx`
/// and `uuid`.
#[macro_export]
macro_rules! impl_sql_tx {
    ($tx:ident, $db:ty, audit_lock = $lock:literal, skip_locked = $skip:literal) => {
        /// Converts rows into store values.
        fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, $crate::StoreError>
        where
            T: TryFrom<R, Error = $crate::StoreError>,
        {
            rows.into_iter().map(T::try_from).collect()
        }

        /// Binds-and-runs helper: says whether exactly one row changed.
        fn one_row(done: <$db as sqlx::Database>::QueryResult) -> bool {
            done.rows_affected() == 1
        }

        #[async_trait::async_trait]
        impl $crate::Tx for $tx {
            async fn commit(self: Box<Self>) -> Result<(), $crate::StoreError> {
                self.0.commit().await.map_err($crate::rows::db_error)
            }
        }

        $crate::impl_directory_tx!($tx, $db);
        $crate::impl_auth_tx!($tx, $db);
        $crate::impl_device_tx!($tx, $db);
        $crate::impl_audit_tx!($tx, $db, $lock);
        $crate::impl_case_tx!($tx, $db);
        $crate::impl_upload_tx!($tx, $db);
        $crate::impl_request_tx!($tx, $db);
        $crate::impl_expertise_tx!($tx, $db);
        $crate::impl_job_tx!($tx, $db, $skip);
        $crate::impl_notification_tx!($tx, $db);
        $crate::impl_stats_tx!($tx, $db);
        $crate::impl_record_tx!($tx, $db);
        $crate::impl_saved_search_tx!($tx, $db);
    };
}
