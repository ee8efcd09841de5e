//! What keeps uploads from being a way in or a way to fill the disk: only
//! requesters upload, each within a quota of pending files and bytes, and a
//! file attached to a request cannot be deleted from under it.

use axum::http::StatusCode;

use crate::helpers::{
    TestApp, body_text,
    fhir::{CELINE, CLAIRE, SOPHIE},
};

const HELENE: &str = "helene.garnier@demo.test";
const MIB: usize = 1024 * 1024;

impl TestApp {
    /// `POST /files/` announcing `length` bytes, as `token`.
    async fn announce(&self, token: &str, length: usize) -> axum::response::Response {
        self.tus(
            "POST",
            "/files/",
            token,
            &[("upload-length", length.to_string())],
            vec![],
        )
        .await
    }
}

async fn only_requesters_upload(app: TestApp) {
    for email in [HELENE, SOPHIE, CELINE] {
        let token = app.bearer(email).await;
        let refused = app.announce(&token, 1000).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{email}");
    }
    let denied = app
        .store
        .audit_trail_unfiltered()
        .await
        .iter()
        .filter(|r| r.action == "upload.create" && r.outcome == "denied")
        .count();
    assert_eq!(denied, 3, "each refusal is audited");
    let claire = app.bearer(CLAIRE).await;
    assert_eq!(
        app.announce(&claire, 1000).await.status(),
        StatusCode::CREATED
    );
    app.finish().await;
}

async fn pending_uploads_have_a_quota(app: TestApp) {
    let claire = app.bearer(CLAIRE).await;
    // Two photos sent with a request are no longer pending.
    let (_, sent) = app.file_request(&claire).await;
    // At most 100 pending files…
    let mut paths = Vec::new();
    for i in 0..100 {
        let created = app.announce(&claire, 10).await;
        assert_eq!(created.status(), StatusCode::CREATED, "upload {i}");
        paths.push(created.headers()["location"].to_str().unwrap().to_owned());
    }
    let over = app.announce(&claire, 10).await;
    assert_eq!(over.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body_text(over)
            .await
            .contains("trop de fichiers en attente")
    );
    // …and 256 MB: deleting frees room.
    for path in &paths {
        let deleted = app.tus("DELETE", path, &claire, &[], vec![]).await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    }
    for i in 0..12 {
        let created = app.announce(&claire, 20 * MIB).await;
        assert_eq!(created.status(), StatusCode::CREATED, "20 MB upload {i}");
    }
    assert_eq!(
        app.announce(&claire, 20 * MIB).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Another person's quota is their own.
    let pierre = app.bearer(crate::helpers::fhir::PIERRE).await;
    assert_eq!(
        app.announce(&pierre, 20 * MIB).await.status(),
        StatusCode::CREATED
    );
    // A sent photo stays readable and cannot be deleted from its request.
    let path = format!("/files/{sent}");
    let deleted = app.tus("DELETE", &path, &claire, &[], vec![]).await;
    assert_eq!(deleted.status(), StatusCode::CONFLICT);
    assert!(body_text(deleted).await.contains("joint à une demande"));
    let binary = format!("/fhir/r4/Binary/{sent}");
    assert_eq!(
        app.tus("GET", &binary, &claire, &[], vec![]).await.status(),
        StatusCode::OK
    );
    app.finish().await;
}

on_both_backends!(only_requesters_upload, pending_uploads_have_a_quota);
