//! What the operators' listings give other tools: a reader that stops early
//! (`| head -1`) ends the command quietly, `user list` names the key
//! `user create --organization` takes, and `token list` says whose token
//! each is (issue 15, item 15).

use std::process::Stdio;

use serde_json::Value;

use crate::helpers::binary::{Server, consilium, run, sqlite_flags, token};

#[tokio::test]
async fn listings_feed_other_commands_and_stop_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let flags = sqlite_flags(dir.path());
    let server = Server::start(&flags, &["--demo"]).await;
    assert!(server.stop().await.0);
    let storage: Vec<&str> = flags.iter().map(String::as_str).collect();

    // `consilium user list --json | head -1`: the reader leaves at once.
    for listing in [
        &["user", "list", "--json"][..],
        &["org", "list"],
        &["token", "list"],
    ] {
        let mut child = consilium()
            .args(&storage)
            .args(listing)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{listing:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{listing:?}: {stderr}");
    }

    // The FINESS `user list` shows is what `user create --organization` takes.
    let listed = run(&storage, &["user", "list", "--json"]).await;
    let claire: Value = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|u| u["email"] == "claire.martin@demo.test")
        .unwrap();
    let finess = claire["organization_finess"].as_str().unwrap().to_owned();
    let rpps = consilium_domain::Rpps::from_body("1099000123")
        .unwrap()
        .to_string();
    let created = run(
        &storage,
        &[
            "user",
            "create",
            "--email",
            "nouvelle.collegue@demo.test",
            "--given-names",
            "Inès",
            "--family-name",
            "Vallet",
            "--organization",
            &finess,
            "--role",
            "requester",
            "--profession",
            "nurse",
            "--rpps",
            &rpps,
        ],
    )
    .await;
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    // Whose token is it?
    token(&flags, "claire.martin@demo.test").await;
    let tokens = run(&storage, &["token", "list"]).await;
    let text = String::from_utf8_lossy(&tokens.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("\"owner\":\"claire.martin@demo.test\"")),
        "{text}"
    );
}
