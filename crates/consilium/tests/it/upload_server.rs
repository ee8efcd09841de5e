//! Uploads against the real binary: a `kill -9` mid-upload loses nothing
//! acknowledged, and a pixel bomb costs no memory.

use sha2::Digest;

use crate::helpers::{
    binary::{Server, http, postgres_flags, sqlite_flags, token},
    postgres::PgDatabase,
};

/// 10 MB of a PDF-like file (kept byte for byte by the ingest, so its
/// SHA-256 can be compared end to end).
fn big_pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    while bytes.len() < 10 * 1024 * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

async fn survives_kill_9_mid_upload(flags: Vec<String>) {
    let server = Server::start(&flags, &["--demo"]).await;
    let auth = format!("Bearer {}", token(&flags, "claire.martin@demo.test").await);
    let tus = |extra: Vec<(&'static str, String)>| {
        let mut h = vec![
            ("authorization", auth.clone()),
            ("tus-resumable", "1.0.0".to_owned()),
        ];
        h.extend(extra);
        h
    };
    let file = big_pdf();
    let (status, headers, _) = http(
        &server.addr,
        "POST",
        "/files/",
        &tus(vec![("upload-length", file.len().to_string())]),
        b"",
    )
    .await;
    assert_eq!(status, 201);
    let location = header(&headers, "location").to_owned();
    let half = 5 * 1024 * 1024;
    let patch = |offset: usize| {
        tus(vec![
            ("content-type", "application/offset+octet-stream".to_owned()),
            ("upload-offset", offset.to_string()),
        ])
    };
    let (status, _, _) = http(&server.addr, "PATCH", &location, &patch(0), &file[..half]).await;
    assert_eq!(status, 204, "the first half is acknowledged");
    server.kill9().await;

    let server = Server::start(&flags, &[]).await;
    let (status, headers, _) = http(&server.addr, "HEAD", &location, &tus(vec![]), b"").await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "upload-offset"),
        half.to_string(),
        "the acknowledged half survived kill -9"
    );
    let (status, _, _) = http(
        &server.addr,
        "PATCH",
        &location,
        &patch(half),
        &file[half..],
    )
    .await;
    assert_eq!(status, 204);
    let binary = format!("/fhir/r4/Binary/{}", location.trim_start_matches("/files/"));
    let (status, _, body) = http(&server.addr, "GET", &binary, &tus(vec![]), b"").await;
    assert_eq!(status, 200);
    assert_eq!(
        sha2::Sha256::digest(&body),
        sha2::Sha256::digest(&file),
        "the final SHA-256 matches"
    );
    assert!(server.stop().await.0);
}

async fn a_pixel_bomb_costs_no_memory(flags: Vec<String>) {
    let server = Server::start(&flags, &["--demo"]).await;
    let auth = format!("Bearer {}", token(&flags, "claire.martin@demo.test").await);
    let bomb = consilium_blobs::testdata::png_header_only(20_000, 20_000);
    let headers = vec![
        ("authorization", auth),
        ("tus-resumable", "1.0.0".to_owned()),
        ("upload-length", bomb.len().to_string()),
        ("content-type", "application/offset+octet-stream".to_owned()),
    ];
    let before = server.rss_kb();
    let started = std::time::Instant::now();
    let (status, _, body) = http(&server.addr, "POST", "/files/", &headers, &bomb).await;
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    assert!(started.elapsed().as_secs() < 5, "refused quickly");
    let grown_mb = server.rss_kb().saturating_sub(before) / 1024;
    assert!(grown_mb < 200, "memory grew by {grown_mb} MB");
    assert!(server.stop().await.0);
}

#[tokio::test]
async fn sqlite_survives_kill_9_mid_upload() {
    let dir = tempfile::tempdir().unwrap();
    survives_kill_9_mid_upload(sqlite_flags(dir.path())).await;
}

#[tokio::test]
async fn postgres_survives_kill_9_mid_upload() {
    let Some(db) = PgDatabase::fresh().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let flags = postgres_flags(&db.url, dir.path());
    survives_kill_9_mid_upload(flags).await;
    db.drop().await;
}

#[tokio::test]
async fn sqlite_pixel_bomb_costs_no_memory() {
    let dir = tempfile::tempdir().unwrap();
    a_pixel_bomb_costs_no_memory(sqlite_flags(dir.path())).await;
}
