//! Uploads against the real binary: a `kill -9` mid-upload loses nothing
//! acknowledged, a pixel bomb costs no memory, and eight large PNGs at once
//! do not multiply it.

use sha2::Digest;

use crate::helpers::{
    binary::{Server, http, postgres_flags, sqlite_flags, token},
    postgres::PgDatabase,
};

/// A 10 MB PDF (kept byte for byte by the ingest, so its SHA-256 can be
/// compared end to end).
fn big_pdf() -> Vec<u8> {
    consilium_blobs::testdata::pdf_padded(&[], 10 * 1024 * 1024)
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

/// Eight 7000 × 7000 PNGs (143 KB each, 147 MB decoded) sent at once: the
/// server's peak memory grows by less than 600 MB (it grew by 2.3 GB when
/// each decode held the whole image, twice).
#[tokio::test]
async fn sqlite_eight_large_pngs_at_once_stay_within_memory() {
    let dir = tempfile::tempdir().unwrap();
    let flags = sqlite_flags(dir.path());
    let server = Server::start(&flags, &["--demo"]).await;
    let auth = format!("Bearer {}", token(&flags, "claire.martin@demo.test").await);
    let png = std::sync::Arc::new(consilium_blobs::testdata::black_png(7000, 7000));
    let before = server.reset_peak_rss_kb();
    let uploads: Vec<_> = (0..8)
        .map(|_| {
            let (addr, auth, png) = (server.addr.clone(), auth.clone(), png.clone());
            tokio::spawn(async move {
                let headers = vec![
                    ("authorization", auth),
                    ("tus-resumable", "1.0.0".to_owned()),
                    ("upload-length", png.len().to_string()),
                    ("content-type", "application/offset+octet-stream".to_owned()),
                ];
                http(&addr, "POST", "/files/", &headers, &png).await.0
            })
        })
        .collect();
    for upload in uploads {
        assert_eq!(upload.await.unwrap(), 201);
    }
    let grown_mb = server.peak_rss_kb().saturating_sub(before) / 1024;
    println!("eight 7000 x 7000 PNGs at once: peak RSS grew by {grown_mb} MB");
    assert!(grown_mb < 600, "peak memory grew by {grown_mb} MB");
    assert!(server.stop().await.0);
}
