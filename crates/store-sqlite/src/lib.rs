//! The store on SQLite: one file under the data directory, in WAL mode with
//! `synchronous=FULL` so that a committed transaction survives a power cut.

use std::{path::Path, str::FromStr, sync::Arc, time::Duration};

use async_trait::async_trait;
use consilium_store::{Backend, Store, StoreError, StoreSettings, Tx, rows::db_error};
use sqlx::{
    Sqlite, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// The file name of the database inside the data directory.
pub const DATABASE_FILE: &str = "consilium.db";

/// A SQLite database, migrated.
#[derive(Debug, Clone)]
pub struct SqliteBackend {
    pool: SqlitePool,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database in `data_dir` and applies
    /// pending migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(db_error)?
            .filename(data_dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Several processes (a server and an operator's command) share the file.
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(db_error)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::internal(format!("SQLite migration failed: {e}")))?;
        Ok(Self { pool })
    }

    /// A [`Store`] over this database.
    pub fn into_store(self, settings: StoreSettings) -> Store {
        Store::new(Arc::new(self), settings)
    }
}

/// An open SQLite transaction.
struct SqliteTx(sqlx::Transaction<'static, Sqlite>);

// Every transaction begins IMMEDIATE, which already serialises writers of
// the audit chain: no extra lock is needed.
consilium_store::impl_sql_tx!(SqliteTx, Sqlite, audit_lock = "SELECT 1", skip_locked = "");

#[async_trait]
impl Backend for SqliteBackend {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        // Take the write lock up front: a deferred transaction that reads then
        // writes can fail with SQLITE_BUSY half-way, which busy_timeout cannot fix.
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_error)?;
        Ok(Box::new(SqliteTx(tx)))
    }
}
