//! The photos of a draft (or of a reply being written), one row each: its
//! thumbnail, the quality check's hint, its view and body site, and the
//! buttons that replace or remove it. The same row is rendered by the server
//! for files already attached and cloned by `upload.js` for new ones.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Json, Redirect, Response},
};
use consilium_store::{
    StoreError, expertise::FileEntry, requests::PHOTO_KINDS, uploads::UploadError,
};
use serde_json::json;
use uuid::Uuid;

use crate::{AppState, Lang, SignedIn, WebError, page::localized};

/// One file row.
#[derive(Debug, Clone)]
pub struct PhotoRow {
    /// The upload id (`__ID__` in the row `upload.js` clones).
    pub id: String,
    /// Its number on the page, from 1 (`__N__` in the clone).
    pub number: String,
    /// A photo (view, site, thumbnail), not a document.
    pub photo: bool,
    /// Its view code.
    pub kind: String,
    /// Its body site, as typed.
    pub site: String,
    /// What the quality check said, in words.
    pub hint: Option<&'static str>,
}

impl PhotoRow {
    /// The row `upload.js` clones for a new photo.
    pub fn blank() -> Self {
        Self {
            id: "__ID__".into(),
            number: "__N__".into(),
            photo: true,
            kind: String::new(),
            site: String::new(),
            hint: None,
        }
    }

    /// The rows of files already attached, numbered in order.
    pub fn rows(lang: Lang, files: &[FileEntry]) -> Vec<Self> {
        files
            .iter()
            .enumerate()
            .map(|(i, f)| Self {
                id: f.attachment.upload_id.to_string(),
                number: (i + 1).to_string(),
                photo: f.has_thumbnail,
                kind: f.attachment.photo_kind.clone().unwrap_or_default(),
                site: f.attachment.body_site.clone().unwrap_or_default(),
                hint: f.hint.as_deref().map(|h| lang.photo_hint(h)),
            })
            .collect()
    }

    /// The views a photo may be, for its select.
    pub fn kinds(&self) -> [&'static str; 3] {
        PHOTO_KINDS
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /demandes/{id}/pieces/{upload}/retrait`: takes a file off the
/// requester's draft and deletes it. The page's script asks for JSON; a
/// browser without it comes back to the draft's photos.
pub async fn remove(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, upload)): Path<(String, String)>,
    headers: HeaderMap,
    _body: Bytes,
) -> Response {
    let json = wants_json(&headers);
    let (Ok(case_id), Ok(upload_id)) = (Uuid::parse_str(&id), Uuid::parse_str(&upload)) else {
        return crate::page::not_found(lang);
    };
    let result = state
        .store
        .remove_attachment(
            &signed_in.actor,
            &state.blobs,
            case_id,
            upload_id,
            state.clock.now(),
        )
        .await
        .map_err(|err| match err {
            UploadError::Store(err) => err,
            other => StoreError::internal(other),
        });
    match (result, json) {
        (Ok(()), true) => Json(json!({ "ok": true })).into_response(),
        (Ok(()), false) => {
            Redirect::to(&format!("/demandes/{case_id}#field-photos")).into_response()
        }
        (Err(err), true) => {
            let web = WebError::from(err);
            let code = if web.status() == StatusCode::NOT_FOUND {
                "not_found"
            } else {
                "refused"
            };
            let message = localized(&web.to_string(), lang);
            (
                web.status(),
                Json(json!({ "code": code, "message": message })),
            )
                .into_response()
        }
        (Err(err), false) => crate::page::PageError {
            error: WebError::from(err),
            lang,
        }
        .into_response(),
    }
}

/// `POST /demandes/{id}/suppression`: deletes the requester's draft and its
/// files, then back home, which says so.
pub async fn delete_draft(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(case_id) = Uuid::parse_str(&id) else {
        return crate::page::not_found(lang);
    };
    let result = state
        .store
        .delete_draft(&signed_in.actor, &state.blobs, case_id, state.clock.now())
        .await;
    match result {
        Ok(()) => Redirect::to("/accueil?brouillon-supprime").into_response(),
        Err(UploadError::Store(StoreError::NotFound { .. })) => crate::page::not_found(lang),
        Err(err) => crate::page::PageError {
            error: WebError::from(StoreError::internal(err)),
            lang,
        }
        .into_response(),
    }
}

/// `GET /files/{id}/qualite`: what the quality check said of one of the
/// caller's uploads, for the reply form (a draft's photos get it when
/// attached).
pub async fn quality(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(upload) = state
        .store
        .upload(&signed_in.actor, id, state.clock.now())
        .await
    else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "code": "not_found", "message": lang.t("Introuvable", "Not found") })),
        )
            .into_response();
    };
    let file = upload.file;
    let hint = file.as_ref().and_then(|f| f.hint.clone());
    let thumbnail = file
        .as_ref()
        .filter(|f| f.thumbnail_key.is_some())
        .map(|_| format!("/files/{id}/vignette"));
    Json(json!({
        "hint": hint,
        "hint_text": hint.as_deref().map(|h| lang.photo_hint(h)),
        "thumbnail": thumbnail,
    }))
    .into_response()
}
