//! The real binary: `serve --demo` on both databases, and the operators'
//! commands with good and bad input.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::{
    binary::{Server, run, sqlite_flags},
    postgres::PgDatabase,
};

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}")))
        .collect()
}

/// A user's JSON without the TOTP secret, which is random per installation.
fn without_secret(user: &Value) -> String {
    let mut user = user.clone();
    let secret = user.as_object_mut().and_then(|u| u.remove("totp_secret"));
    assert!(
        secret.is_some_and(|s| s.as_str().is_some_and(|s| s.len() == 32)),
        "demo accounts show their secret"
    );
    user.to_string()
}

async fn user_list(storage: &[String]) -> Vec<Value> {
    let storage: Vec<&str> = storage.iter().map(String::as_str).collect();
    let output = run(&storage, &["user", "list", "--json"]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json_lines(&output.stdout)
}

/// Starts the demo, checks the probes and the home page, stops it cleanly.
async fn serve_demo_once(storage: &[String]) -> Vec<String> {
    let server = Server::start(storage, &["--demo"]).await;
    assert_eq!(server.get("/healthz").await.0, 200);
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    let (status, home) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains(r#"<html lang="fr">"#));
    let banner = server.banner.clone();
    let (clean, _) = server.stop().await;
    assert!(
        clean,
        "SIGTERM should end the server gracefully with status 0"
    );
    banner
}

#[tokio::test]
async fn demo_twice_on_sqlite_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let storage = sqlite_flags(dir.path());
    let first_banner = serve_demo_once(&storage).await.join("\n");
    assert!(
        first_banner.contains("Région de démonstration créée"),
        "{first_banner}"
    );
    assert!(
        first_banner.contains("@demo.test"),
        "the banner says how to sign in"
    );
    let users = user_list(&storage).await;
    assert_eq!(users.len(), 29);
    let orgs = run(&[&storage[0], &storage[1]], &["org", "list", "--json"]).await;
    let orgs = json_lines(&orgs.stdout);
    assert_eq!(orgs.len(), 16);

    let second_banner = serve_demo_once(&storage).await.join("\n");
    assert!(second_banner.contains("rien d'ajouté"), "{second_banner}");
    assert_eq!(user_list(&storage).await, users);
    let orgs_again = run(&[&storage[0], &storage[1]], &["org", "list", "--json"]).await;
    assert_eq!(json_lines(&orgs_again.stdout), orgs);

    let contract_fields = ["email", "name", "roles", "organization"];
    for user in &users {
        for field in contract_fields {
            assert!(
                user.get(field).is_some_and(|v| !v.is_null()),
                "{field} missing in {user}"
            );
        }
    }
    let claire = users
        .iter()
        .find(|u| u["email"] == "claire.martin@demo.test")
        .unwrap();
    assert_eq!(claire["name"], "Claire Martin");
    assert_eq!(
        claire["roles"],
        serde_json::json!(["org_admin", "requester"])
    );
    assert_eq!(claire["organization"], "Cabinet médical du Morvan");
}

#[tokio::test]
async fn postgres_serves_the_same_demo_region() {
    let Some(db) = PgDatabase::fresh().await else {
        return;
    };
    let pg_storage = vec!["--database-url".to_owned(), db.url.clone()];
    let server = Server::start(&pg_storage, &["--demo"]).await;
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200);
    assert!(ready.contains("postgres"), "{ready}");
    assert!(
        server
            .get("/")
            .await
            .1
            .contains("5</span> centres de ressources")
    );
    assert!(server.stop().await.0);
    let pg_users: BTreeSet<String> = user_list(&pg_storage)
        .await
        .iter()
        .map(without_secret)
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let sqlite_storage = sqlite_flags(dir.path());
    serve_demo_once(&sqlite_storage).await;
    let sqlite_users: BTreeSet<String> = user_list(&sqlite_storage)
        .await
        .iter()
        .map(without_secret)
        .collect();
    assert_eq!(pg_users.len(), 29);
    assert_eq!(pg_users, sqlite_users);
    db.drop().await;
}

/// The FINESS of the demo CHU Dijon.
fn centre_finess() -> String {
    consilium_domain::Finess::from_body("21990001")
        .unwrap()
        .to_string()
}

fn user_create_args<'a>(rpps: &'a str, organization: &'a str) -> Vec<&'a str> {
    vec![
        "user",
        "create",
        "--email",
        "nouveau.medecin@demo.test",
        "--given-names",
        "Jeanne",
        "--family-name",
        "Nouvelle",
        "--profession",
        "doctor",
        "--rpps",
        rpps,
        "--organization",
        organization,
        "--role",
        "expert",
        "--specialty",
        "394582007",
    ]
}

#[tokio::test]
async fn user_create_refuses_bad_input_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let storage = sqlite_flags(dir.path());
    let flags: Vec<&str> = storage.iter().map(String::as_str).collect();
    serve_demo_once(&storage).await;
    let before = user_list(&storage).await;

    let valid_rpps = consilium_domain::Rpps::from_body("1099000099")
        .unwrap()
        .to_string();
    let mut wrong_rpps = valid_rpps.clone();
    let last = wrong_rpps.pop().unwrap().to_digit(10).unwrap();
    wrong_rpps.push(char::from_digit((last + 1) % 10, 10).unwrap());

    let refused = run(&flags, &user_create_args(&wrong_rpps, &centre_finess())).await;
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(&wrong_rpps),
        "the message names the RPPS: {message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    assert_eq!(user_list(&storage).await, before);

    let unknown_org = consilium_domain::Finess::from_body("58990077")
        .unwrap()
        .to_string();
    let refused = run(&flags, &user_create_args(&valid_rpps, &unknown_org)).await;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains(&unknown_org));
    assert_eq!(user_list(&storage).await, before);

    let created = run(&flags, &user_create_args(&valid_rpps, &centre_finess())).await;
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let after = user_list(&storage).await;
    assert_eq!(after.len(), before.len() + 1);
    let new = after
        .iter()
        .find(|u| u["email"] == "nouveau.medecin@demo.test")
        .unwrap();
    assert_eq!(new["roles"], serde_json::json!(["expert"]));
    assert_eq!(new["rpps"], valid_rpps.as_str());
}

#[tokio::test]
async fn refused_input_does_not_even_create_the_data_directory() {
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("never-created");
    let flags = ["--data-dir", data_dir.to_str().unwrap()];
    let refused = run(&flags, &user_create_args("12345678901", &centre_finess())).await;
    assert!(!refused.status.success());
    assert!(!data_dir.exists());
    let refused = run(
        &flags,
        &["org", "create", "--name", "X", "--kind", "castle"],
    )
    .await;
    assert!(String::from_utf8_lossy(&refused.stderr).contains("castle"));
    assert!(!data_dir.exists());
}

#[tokio::test]
async fn org_create_then_user_create_at_the_new_site() {
    let dir = tempfile::tempdir().unwrap();
    let flags_owned = sqlite_flags(dir.path());
    let flags: Vec<&str> = flags_owned.iter().map(String::as_str).collect();
    let finess = consilium_domain::Finess::from_body("21990555")
        .unwrap()
        .to_string();
    let created = run(
        &flags,
        &[
            "org",
            "create",
            "--name",
            "Cabinet du Lac",
            "--kind",
            "practice",
            "--finess",
            &finess,
            "--city",
            "Dijon",
        ],
    )
    .await;
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let again = run(
        &flags,
        &[
            "org",
            "create",
            "--name",
            "Cabinet du Lac",
            "--kind",
            "practice",
            "--finess",
            &finess,
        ],
    )
    .await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("existe déjà"));
    let rpps = consilium_domain::Rpps::from_body("1099000098")
        .unwrap()
        .to_string();
    let user = run(
        &flags,
        &[
            "user",
            "create",
            "--email",
            "lac@demo.test",
            "--given-names",
            "Ana",
            "--family-name",
            "Lac",
            "--profession",
            "nurse",
            "--rpps",
            &rpps,
            "--organization",
            &finess,
            "--role",
            "requester",
        ],
    )
    .await;
    assert!(
        user.status.success(),
        "{}",
        String::from_utf8_lossy(&user.stderr)
    );
    let users = user_list(&flags_owned).await;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["organization"], "Cabinet du Lac");
    assert_eq!(users[0]["profession"], "nurse");
    assert!(
        users[0].get("password").is_none() && users[0].get("totp_secret").is_none(),
        "secrets only on a demo"
    );
    let printed = String::from_utf8_lossy(&user.stdout);
    assert!(printed.contains("mot de passe initial"), "{printed}");
}

#[tokio::test]
async fn bad_configuration_is_refused_with_a_clear_message() {
    let output = run(&["--database-url", "mysql://localhost/x"], &["migrate"]).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("postgres://"));
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        &["--data-dir", dir.path().to_str().unwrap()],
        &["serve", "--listen", "nowhere"],
    )
    .await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nowhere"));
}

#[tokio::test]
async fn migrate_applies_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--data-dir", dir.path().to_str().unwrap()];
    for _ in 0..2 {
        let output = run(&flags, &["migrate"]).await;
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(dir.path().join("consilium.db").exists());
}
