//! `consilium audit verify` and `consilium token …` against the real binary,
//! on SQLite and on PostgreSQL; tampering goes straight to the database.

use sqlx::{AssertSqlSafe, Connection};

use crate::helpers::{
    binary::{Server, http_get_with, postgres_flags, run},
    postgres::PgDatabase,
};

/// Storage flags and a way to run SQL behind Consilium's back.
struct Storage {
    flags: Vec<String>,
    sql: Sql,
    _dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
}

enum Sql {
    Sqlite(String),
    Postgres(String),
}

impl Storage {
    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("consilium.db").display());
        Self {
            flags: vec!["--data-dir".into(), dir.path().display().to_string()],
            sql: Sql::Sqlite(url),
            _dir: dir,
            pg: None,
        }
    }

    async fn postgres() -> Option<Self> {
        let db = PgDatabase::fresh().await?;
        let dir = tempfile::tempdir().unwrap();
        let flags = postgres_flags(&db.url, dir.path());
        Some(Self {
            flags,
            sql: Sql::Postgres(db.url.clone()),
            _dir: dir,
            pg: Some(db),
        })
    }

    fn flags(&self) -> Vec<&str> {
        self.flags.iter().map(String::as_str).collect()
    }

    /// Runs statements as someone with direct database access would.
    async fn tamper(&self, statements: &[&str]) {
        match &self.sql {
            Sql::Sqlite(url) => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
                for s in statements {
                    sqlx::query(AssertSqlSafe(*s))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
            }
            Sql::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                for s in statements {
                    sqlx::query(AssertSqlSafe(*s))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
            }
        }
    }

    fn drop_triggers(&self) -> &'static str {
        match self.sql {
            Sql::Sqlite(_) => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete",
            Sql::Postgres(_) => "DROP TRIGGER audit_log_no_change ON audit_log",
        }
    }

    async fn finish(self) {
        if let Some(db) = self.pg {
            db.drop().await;
        }
    }
}

async fn verify(storage: &Storage) -> (bool, String) {
    let output = run(&storage.flags(), &["audit", "verify"]).await;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// How many records `audit verify` found intact.
fn records_in(text: &str) -> u64 {
    text.split(": ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text}"))
}

/// A demo region (its requests audited as they were filed) and three more
/// audited events (token creations); returns how many records there are.
async fn demo_with_three_records(storage: &Storage) -> u64 {
    let server = Server::start(&storage.flags, &["--demo"]).await;
    assert!(server.stop().await.0);
    let (ok, text) = verify(storage).await;
    assert!(ok, "a fresh demo verifies: {text}");
    let seeded = records_in(&text);
    for _ in 0..3 {
        let out = run(
            &storage.flags(),
            &["token", "create", "--user", "claire.martin@demo.test"],
        )
        .await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (ok, text) = verify(storage).await;
    assert!(ok && records_in(&text) == seeded + 3, "{text}");
    seeded + 3
}

async fn edited_row_is_named(storage: Storage) {
    demo_with_three_records(&storage).await;
    let blocked = match &storage.sql {
        Sql::Sqlite(url) => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query("UPDATE audit_log SET action = 'x' WHERE seq = 2")
                .execute(&mut conn)
                .await
                .is_err()
        }
        Sql::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query("UPDATE audit_log SET action = 'x' WHERE seq = 2")
                .execute(&mut conn)
                .await
                .is_err()
        }
    };
    assert!(blocked, "the table itself refuses updates");
    for statement in storage.drop_triggers().split("; ") {
        storage.tamper(&[statement]).await;
    }
    storage
        .tamper(&["UPDATE audit_log SET action = 'token.revoke' WHERE seq = 2"])
        .await;
    let (ok, text) = verify(&storage).await;
    assert!(!ok, "{text}");
    assert!(
        text.contains("l'enregistrement 2"),
        "names the edited record: {text}"
    );
    storage.finish().await;
}

async fn truncated_tail_is_detected(storage: Storage) {
    let last = demo_with_three_records(&storage).await;
    for statement in storage.drop_triggers().split("; ") {
        storage.tamper(&[statement]).await;
    }
    let delete = format!("DELETE FROM audit_log WHERE seq = {last}");
    storage.tamper(&[delete.as_str()]).await;
    let (ok, text) = verify(&storage).await;
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("l'enregistrement {last}")) && text.contains("truncated"),
        "{text}"
    );
    storage.finish().await;
}

async fn tokens_work_until_revoked(storage: Storage) {
    let server = Server::start(&storage.flags, &["--demo"]).await;
    let out = run(
        &storage.flags(),
        &[
            "token",
            "create",
            "--user",
            "pierre.roche@demo.test",
            "--ttl",
            "1h",
        ],
    )
    .await;
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let auth = format!("Bearer {token}");
    let (status, me) = http_get_with(&server.addr, "/api/me", &[("authorization", &auth)]).await;
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("pierre.roche@demo.test") && me.contains("\"via\":\"token\""));
    let list = run(&storage.flags(), &["token", "list"]).await;
    let listed = String::from_utf8(list.stdout).unwrap();
    assert!(!listed.contains(&token), "secrets are never listed");
    let id =
        serde_json::from_str::<serde_json::Value>(listed.lines().next().unwrap()).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(
        run(&storage.flags(), &["token", "revoke", &id])
            .await
            .status
            .success()
    );
    assert_eq!(
        http_get_with(&server.addr, "/api/me", &[("authorization", &auth)])
            .await
            .0,
        401
    );
    let bad = run(
        &storage.flags(),
        &["token", "create", "--user", "nobody@demo.test"],
    )
    .await;
    assert!(!bad.status.success());
    assert!(server.stop().await.0);
    let (ok, text) = verify(&storage).await;
    assert!(ok, "{text}");
    storage.finish().await;
}

macro_rules! on_both_storages {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Storage::sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(storage) = super::Storage::postgres().await else { return };
                    super::$name(storage).await;
                }
            )+
        }
    };
}

on_both_storages!(
    edited_row_is_named,
    truncated_tail_is_detected,
    tokens_work_until_revoked
);
