//! Off-the-shelf clients against the real binary, on SQLite and on
//! PostgreSQL: the whole tele-expertise flow through PyPI `fhirpy` (every
//! resource parsed by `fhir.resources`), and `schemathesis` against
//! `/api/openapi.json`. With `CI=true` the Python packages must be there;
//! elsewhere a missing one is reported as skipped.

use crate::helpers::binary::{Server, token};

/// Runs each named `async fn(flags)` against the binary on SQLite and on
/// PostgreSQL, as `clients::sqlite::…` and `clients::postgres::…`.
macro_rules! on_both_storages {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    super::$name(crate::helpers::binary::sqlite_flags(dir.path())).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = crate::helpers::postgres::PgDatabase::fresh().await else { return };
                    let dir = tempfile::tempdir().unwrap();
                    super::$name(crate::helpers::binary::postgres_flags(&db.url, dir.path())).await;
                    db.drop().await;
                }
            )+
        }
    };
}

on_both_storages!(fhirpy_runs_the_whole_flow, schemathesis_finds_nothing);

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// True when `python3` can import every module; a clear failure under CI.
pub(crate) fn python_has(modules: &[&str]) -> bool {
    let probe = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output();
    let present = probe.is_ok_and(|o| o.status.success());
    assert!(
        present || !required(),
        "CI=true but python3 cannot import {modules:?} (pip install fhirpy fhir.resources schemathesis)"
    );
    if !present {
        eprintln!("SKIPPED: python3 cannot import {modules:?}");
    }
    present
}

/// The output of a command that must have succeeded (shown either way).
fn succeeded(out: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn fhirpy_runs_the_whole_flow(flags: Vec<String>) {
    if !python_has(&["fhirpy", "fhir.resources.R4B"]) {
        return;
    }
    let server = Server::start(&flags, &["--demo"]).await;
    let requester = token(&flags, "claire.martin@demo.test").await;
    let expert = token(&flags, "sophie.lambert@demo.test").await;
    let photo = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        photo.path(),
        consilium_blobs::testdata::jpeg_with_gps(640, 480),
    )
    .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fhir/flow.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg(format!("http://{}/fhir/r4", server.addr))
        .arg(&requester)
        .arg(&expert)
        .arg(photo.path())
        .output()
        .await
        .unwrap();
    let stdout = succeeded(&out);
    assert!(stdout.contains("resources parsed by fhir.resources"));
    let (clean, _) = server.stop().await;
    assert!(clean);
}

/// Schemathesis against `/api/openapi.json`: no server error, no response
/// outside the document (schema, content type, status, headers). Bounded:
/// 100 examples an operation, one worker, a fixed seed.
async fn schemathesis_finds_nothing(flags: Vec<String>) {
    if !python_has(&["schemathesis"]) {
        return;
    }
    let server = Server::start(&flags, &["--demo"]).await;
    let requester = token(&flags, "claire.martin@demo.test").await;
    let hooks = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/api");
    let out = tokio::process::Command::new("schemathesis")
        .current_dir(hooks)
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .args(["run", &format!("http://{}/api/openapi.json", server.addr)])
        .args(["--header", &format!("Authorization: Bearer {requester}")])
        .args([
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance,response_headers_conformance",
        ])
        .args(["--max-examples", "100", "--seed", "1", "--workers", "1", "--request-timeout", "20"])
        .output()
        .await
        .unwrap();
    let stdout = succeeded(&out);
    assert!(
        stdout.contains("Tested: 12"),
        "every operation was exercised"
    );
    let (clean, _) = server.stop().await;
    assert!(clean);
}

/// The document lists every route a program calls outside FHIR.
#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let app = crate::helpers::TestApp::with_demo().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    let document: serde_json::Value =
        serde_json::from_str(&crate::helpers::body_text(response).await).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut operations: Vec<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    operations.sort();
    assert_eq!(
        operations,
        [
            "DELETE /files/{id}",
            "GET /api/cases",
            "GET /api/cases/{id}",
            "GET /api/me",
            "GET /api/openapi.json",
            "GET /files/{id}/vignette",
            "GET /healthz",
            "GET /metrics",
            "GET /readyz",
            "HEAD /files/{id}",
            "OPTIONS /files/",
            "PATCH /files/{id}",
            "POST /files/",
        ]
    );
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    app.finish().await;
}
