//! `/metrics` counts sign-in failures and uploads per route: for the
//! operators only, on a private address (`--metrics-listen`) or with the
//! metrics token (`--metrics-token-file`); anyone else finds nothing.

use crate::helpers::binary::{Server, http_get, http_get_with, sqlite_flags};

#[tokio::test]
async fn metrics_are_for_operators_only() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("metrics.token");
    std::fs::write(&token_file, "a-long-metrics-token-0123\n").unwrap();
    let flags = sqlite_flags(&dir.path().join("data"));
    let token_path = token_file.display().to_string();
    let server = Server::start(
        &flags,
        &[
            "--metrics-listen",
            "127.0.0.1:0",
            "--metrics-token-file",
            &token_path,
        ],
    )
    .await;
    let private = server
        .banner
        .iter()
        .find_map(|line| line.split("http://").nth(1)?.strip_suffix("/metrics"))
        .expect("the metrics address is printed")
        .to_owned();
    assert_eq!(http_get(&server.addr, "/healthz").await.0, 200);
    let (status, body) = http_get(&private, "/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"route="/healthz""#), "{body}");
    let (status, _) = http_get(&private, "/healthz").await;
    assert_eq!(status, 404, "the private address serves metrics alone");
    assert_eq!(http_get(&server.addr, "/metrics").await.0, 404);
    let wrong = [("authorization", "Bearer not-the-token-at-all")];
    assert_eq!(http_get_with(&server.addr, "/metrics", &wrong).await.0, 404);
    let right = [("authorization", "Bearer a-long-metrics-token-0123")];
    assert_eq!(http_get_with(&server.addr, "/metrics", &right).await.0, 200);
    assert!(server.stop().await.0);
}
