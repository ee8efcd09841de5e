//! The store on PostgreSQL, for several stateless Consilium nodes sharing
//! one database.

use std::{str::FromStr, sync::Arc, time::Duration};

use async_trait::async_trait;
use consilium_store::{Backend, Store, StoreError, StoreSettings, Tx, rows::db_error};
use sqlx::{
    PgPool, Postgres,
    postgres::{PgConnectOptions, PgPoolOptions},
};

/// A PostgreSQL database, migrated.
#[derive(Debug, Clone)]
pub struct PostgresBackend {
    pool: PgPool,
}

impl PostgresBackend {
    /// Connects to `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("invalid PostgreSQL URL: {e}")))?;
        Self::open_with(options).await
    }

    /// Connects with `options` (tests use them to pick a schema) and applies
    /// pending migrations.
    pub async fn open_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // Fail fast while the database is down: the request gets a 503 and
            // the pool reconnects by itself once it is back.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.application_name("consilium"))
            .await
            .map_err(db_error)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::internal(format!("PostgreSQL migration failed: {e}")))?;
        Ok(Self { pool })
    }

    /// A [`Store`] over this database.
    pub fn into_store(self, settings: StoreSettings) -> Store {
        Store::new(Arc::new(self), settings)
    }
}

/// An open PostgreSQL transaction.
struct PostgresTx(sqlx::Transaction<'static, Postgres>);

// Writers of the audit chain take turns: the lock is held until commit, and
// works even before the head row exists. Job claimers skip each other's rows.
consilium_store::impl_sql_tx!(
    PostgresTx,
    Postgres,
    audit_lock = "LOCK TABLE audit_head IN EXCLUSIVE MODE",
    skip_locked = "FOR UPDATE SKIP LOCKED"
);

#[async_trait]
impl Backend for PostgresBackend {
    fn name(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        let tx = self.pool.begin().await.map_err(db_error)?;
        Ok(Box::new(PostgresTx(tx)))
    }
}
