//! Fresh PostgreSQL databases for tests. With `CI=true` the server must be
//! there and a missing one fails the test; elsewhere the PostgreSQL half of
//! the suite is skipped with a message.

use std::str::FromStr;

use consilium_store::Store;
use consilium_store_postgres::PostgresBackend;
use sqlx::{Connection, PgConnection, postgres::PgConnectOptions};
use uuid::Uuid;

/// The server the tests use (override with `CONSILIUM_TEST_DATABASE_URL`).
pub fn server_url() -> String {
    std::env::var("CONSILIUM_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

async fn admin_connection() -> Option<PgConnection> {
    match PgConnection::connect(&server_url()).await {
        Ok(conn) => Some(conn),
        Err(err) if required() => panic!(
            "CI=true but PostgreSQL is unreachable at {}: {err}",
            server_url()
        ),
        Err(err) => {
            eprintln!(
                "SKIPPED: PostgreSQL unreachable at {} ({err}); set CI=true to require it",
                server_url()
            );
            None
        }
    }
}

/// A store in a schema of its own, dropped by [`PgSchema::drop`].
pub struct PgSchema {
    pub store: Store,
    schema: String,
}

impl PgSchema {
    /// A fresh, migrated schema; `None` when PostgreSQL is absent outside CI.
    pub async fn fresh() -> Option<Self> {
        let mut admin = admin_connection().await?;
        let schema = format!("it_{}", Uuid::now_v7().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let options = PgConnectOptions::from_str(&server_url())
            .unwrap()
            .options([("search_path", schema.as_str())]);
        let store = PostgresBackend::open_with(options)
            .await
            .unwrap()
            .into_store(super::test_settings());
        Some(Self { store, schema })
    }

    /// Removes the schema and everything in it.
    pub async fn drop(self) {
        let mut admin = admin_connection().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.schema
        )))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}

/// A fresh database (for tests that start the binary with `--database-url`),
/// dropped by [`PgDatabase::drop`].
pub struct PgDatabase {
    pub url: String,
    name: String,
}

impl PgDatabase {
    /// A fresh, empty database; `None` when PostgreSQL is absent outside CI.
    pub async fn fresh() -> Option<Self> {
        let mut admin = admin_connection().await?;
        let name = format!("consilium_it_{}", Uuid::now_v7().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let base = server_url();
        let prefix = base
            .rsplit_once('/')
            .map_or(base.as_str(), |(prefix, _)| prefix);
        Some(Self {
            url: format!("{prefix}/{name}"),
            name,
        })
    }

    /// Drops the database (closing what still uses it).
    pub async fn drop(self) {
        let mut admin = admin_connection().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}
