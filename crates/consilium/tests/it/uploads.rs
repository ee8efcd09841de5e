//! Resumable uploads (tus 1.0.0) and Binary reads through HTTP, on SQLite and
//! PostgreSQL: `uploads::sqlite::…`, `uploads::postgres::…`.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
    response::Response,
};
use base64::Engine;
use consilium_blobs::testdata;
use sha2::Digest;

use crate::helpers::{TestApp, body_text};

const CLAIRE: &str = "claire.martin@demo.test";
const PIERRE: &str = "pierre.roche@demo.test";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl TestApp {
    pub(crate) async fn tus(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Response {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("tus-resumable", "1.0.0");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        self.request(request.body(Body::from(body)).unwrap()).await
    }

    /// Creates an upload of `length` bytes; returns its path.
    pub(crate) async fn create_upload(&self, token: &str, length: usize) -> String {
        let metadata = format!(
            "filename {},body_site {}",
            b64(b"IMG_0042.jpg"),
            b64("avant-bras gauche".as_bytes())
        );
        let created = self
            .tus(
                "POST",
                "/files/",
                token,
                &[
                    ("upload-length", length.to_string()),
                    ("upload-metadata", metadata),
                ],
                vec![],
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        assert_eq!(created.headers()["upload-offset"], "0");
        assert!(created.headers().contains_key("upload-expires"));
        created.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned()
    }

    pub(crate) async fn patch(
        &self,
        token: &str,
        path: &str,
        offset: usize,
        chunk: &[u8],
    ) -> Response {
        let headers = [
            ("content-type", "application/offset+octet-stream".to_owned()),
            ("upload-offset", offset.to_string()),
            (
                "upload-checksum",
                format!("sha256 {}", b64(&sha2::Sha256::digest(chunk))),
            ),
        ];
        self.tus("PATCH", path, token, &headers, chunk.to_vec())
            .await
    }

    /// Uploads `file` in chunks of `chunk` bytes; returns the upload's path.
    pub(crate) async fn upload_file(&self, token: &str, file: &[u8], chunk: usize) -> String {
        let path = self.create_upload(token, file.len()).await;
        for (i, piece) in file.chunks(chunk).enumerate() {
            let patched = self.patch(token, &path, i * chunk, piece).await;
            assert_eq!(
                patched.status(),
                StatusCode::NO_CONTENT,
                "{}",
                body_text(patched).await
            );
        }
        path
    }

    fn files_on_disk(&self) -> Vec<Vec<u8>> {
        fn walk(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out)
                } else {
                    out.push(std::fs::read(path).unwrap())
                }
            }
        }
        let mut files = Vec::new();
        walk(self.blob_dir.path(), &mut files);
        files
    }
}

fn id_of(path: &str) -> &str {
    path.trim_start_matches("/files/")
}

async fn resumable_upload_strips_gps_and_seals_everything(app: TestApp) {
    let token = app.bearer(CLAIRE).await;
    let options = app.tus("OPTIONS", "/files/", &token, &[], vec![]).await;
    assert_eq!(options.status(), StatusCode::NO_CONTENT);
    assert!(
        options.headers()["tus-extension"]
            .to_str()
            .unwrap()
            .contains("creation-with-upload")
    );
    assert!(
        options.headers()["tus-checksum-algorithm"]
            .to_str()
            .unwrap()
            .contains("sha256")
    );

    let photo = testdata::jpeg_with_gps(1200, 900);
    assert!(photo.windows(4).any(|w| w == b"Exif"));
    let path = app.create_upload(&token, photo.len()).await;
    let half = photo.len() / 2;
    assert_eq!(
        app.patch(&token, &path, 0, &photo[..half]).await.status(),
        StatusCode::NO_CONTENT
    );
    // The connection drops; the client asks where to resume.
    let head = app.tus("HEAD", &path, &token, &[], vec![]).await;
    assert_eq!(head.headers()["upload-offset"], half.to_string().as_str());
    assert_eq!(head.headers()[header::CACHE_CONTROL], "no-store");
    let stale = app.patch(&token, &path, 0, &photo[..half]).await;
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "a stale offset is refused"
    );
    let done = app.patch(&token, &path, half, &photo[half..]).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        done.headers()["upload-offset"],
        photo.len().to_string().as_str()
    );

    let binary = app
        .tus(
            "GET",
            &format!("/fhir/r4/Binary/{}", id_of(&path)),
            &token,
            &[],
            vec![],
        )
        .await;
    assert_eq!(binary.status(), StatusCode::OK);
    assert_eq!(binary.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(binary.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = binary.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && !disposition.contains("IMG_0042"),
        "{disposition}"
    );
    let served = axum::body::to_bytes(binary.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(served.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(
        !served.windows(6).any(|w| w == b"Exif\0\0"),
        "no Exif at all"
    );
    assert!(!served.windows(10).any(|w| w == b"PhoneMaker"));
    let thumbnail = app
        .tus("GET", &format!("{path}/vignette"), &token, &[], vec![])
        .await;
    assert_eq!(thumbnail.status(), StatusCode::OK);

    // Signatures long enough that ciphertext cannot contain them by chance
    // (a 3-byte JPEG start would turn up in random bytes now and then).
    let signatures: [&[u8]; 4] = [b"JFIF\0", b"Exif\0\0", b"\x89PNG\r\n\x1a\n", b"%PDF-"];
    let on_disk = app.files_on_disk();
    assert!(!on_disk.is_empty());
    for file in &on_disk {
        assert!(file.starts_with(b"age-encryption.org/v1"));
        assert!(!file.starts_with(&[0xFF, 0xD8, 0xFF]));
        for signature in signatures {
            assert!(
                !file.windows(signature.len()).any(|w| w == signature),
                "plaintext signature on disk"
            );
        }
    }
    app.finish().await;
}

async fn others_cannot_see_or_touch_an_upload(app: TestApp) {
    let (claire, pierre) = (app.bearer(CLAIRE).await, app.bearer(PIERRE).await);
    let photo = testdata::jpeg_with_gps(320, 240);
    let path = app.upload_file(&claire, &photo, 4096).await;
    let binary = format!("/fhir/r4/Binary/{}", id_of(&path));
    assert_eq!(
        app.tus("HEAD", &path, &pierre, &[], vec![]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.tus("GET", &binary, &pierre, &[], vec![]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.tus("DELETE", &path, &pierre, &[], vec![])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch(&pierre, &path, 0, b"x").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.tus("GET", &binary, &claire, &[], vec![]).await.status(),
        StatusCode::OK
    );
    let unauthenticated = Request::head(path.as_str())
        .header("tus-resumable", "1.0.0")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.request(unauthenticated).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

async fn protocol_errors(app: TestApp) {
    let token = app.bearer(CLAIRE).await;
    let no_version = Request::post("/files/")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("upload-length", "10")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.request(no_version).await.status(),
        StatusCode::PRECONDITION_FAILED
    );
    let too_big = app
        .tus(
            "POST",
            "/files/",
            &token,
            &[("upload-length", (26 * 1024 * 1024).to_string())],
            vec![],
        )
        .await;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let path = app.create_upload(&token, 10).await;
    let wrong_sum = [
        ("content-type", "application/offset+octet-stream".to_owned()),
        ("upload-offset", "0".to_owned()),
        (
            "upload-checksum",
            format!("sha256 {}", b64(&sha2::Sha256::digest(b"something else"))),
        ),
    ];
    let mismatch = app
        .tus("PATCH", &path, &token, &wrong_sum, b"0123456789".to_vec())
        .await;
    assert_eq!(mismatch.status().as_u16(), 460);
    let head = app.tus("HEAD", &path, &token, &[], vec![]).await;
    assert_eq!(
        head.headers()["upload-offset"],
        "0",
        "a refused chunk changes nothing"
    );
    let plain = [
        ("content-type", "text/plain".to_owned()),
        ("upload-offset", "0".to_owned()),
    ];
    assert_eq!(
        app.tus("PATCH", &path, &token, &plain, b"x".to_vec())
            .await
            .status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(
        app.tus("DELETE", &path, &token, &[], vec![]).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.tus("HEAD", &path, &token, &[], vec![]).await.status(),
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

async fn bombs_heic_and_creation_with_upload(app: TestApp) {
    let token = app.bearer(CLAIRE).await;
    let bomb = testdata::png_header_only(20_000, 20_000);
    let path = app.create_upload(&token, bomb.len()).await;
    let refused = app.patch(&token, &path, 0, &bomb).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("20000 × 20000"));
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0\0\0\0\0".to_vec();
    let path = app.create_upload(&token, heic.len()).await;
    let refused = app.patch(&token, &path, 0, &heic).await;
    assert!(body_text(refused).await.contains("HEIC"));
    // creation-with-upload: the whole PDF in the POST.
    let pdf = testdata::pdf(&[]);
    let headers = [
        ("upload-length", pdf.len().to_string()),
        ("content-type", "application/offset+octet-stream".to_owned()),
    ];
    let created = app
        .tus("POST", "/files/", &token, &headers, pdf.clone())
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        created.headers()["upload-offset"],
        pdf.len().to_string().as_str()
    );
    let id = id_of(created.headers()[header::LOCATION].to_str().unwrap()).to_owned();
    let binary = app
        .tus("GET", &format!("/fhir/r4/Binary/{id}"), &token, &[], vec![])
        .await;
    assert_eq!(binary.headers()[header::CONTENT_TYPE], "application/pdf");
    app.finish().await;
}

async fn a_flipped_byte_fails_the_read(app: TestApp) {
    let token = app.bearer(CLAIRE).await;
    let path = app
        .upload_file(&token, &testdata::jpeg_with_gps(200, 150), 100_000)
        .await;
    fn flip_all(dir: &std::path::Path) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                flip_all(&path);
            } else {
                let mut bytes = std::fs::read(&path).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x01;
                std::fs::write(&path, bytes).unwrap();
            }
        }
    }
    flip_all(app.blob_dir.path());
    let read = app
        .tus(
            "GET",
            &format!("/fhir/r4/Binary/{}", id_of(&path)),
            &token,
            &[],
            vec![],
        )
        .await;
    assert!(read.status().is_server_error(), "{}", read.status());
    let body = body_text(read).await;
    assert!(!body.contains("JFIF"), "no wrong data");
    app.finish().await;
}

on_both_backends!(
    resumable_upload_strips_gps_and_seals_everything,
    others_cannot_see_or_touch_an_upload,
    protocol_errors,
    bombs_heic_and_creation_with_upload,
    a_flipped_byte_fails_the_read,
);
