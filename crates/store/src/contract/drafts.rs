//! A draft's photos: described per photo, removed before sending, and
//! located by the questionnaire when the requester did not say otherwise.

use consilium_blobs::{BlobStore, Keyring};
use consilium_domain::questionnaire::{Answer, AnswerError, Item, ItemType};

use super::{
    access::access_seed,
    expertise::uploaded_photo,
    now,
    requests::{answers, derm_draft, form, signed_in},
};
use crate::{Store, StoreError, requests::Attachment, uploads::UploadError};

fn photo(upload_id: uuid::Uuid, site: Option<&str>, kind: &str) -> Attachment {
    Attachment {
        upload_id,
        item: "photos".into(),
        body_site: site.map(str::to_owned),
        photo_kind: Some(kind.into()),
    }
}

pub async fn draft_photos_are_described_and_removed_by_their_requester_only(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let other = signed_in(&store, "other.requester@demo.test", 0).await;
    let mut form = form();
    form.items.insert(
        3,
        Item {
            link_id: "body_site".into(),
            text: "Localisation".into(),
            item_type: ItemType::String,
            required: false,
            repeats: false,
            options: vec![],
        },
    );
    let draft = derm_draft(&store, &requester).await;
    let blurred = uploaded_photo(&store, &blobs, &requester).await;
    let kept = uploaded_photo(&store, &blobs, &requester).await;
    let located = uploaded_photo(&store, &blobs, &requester).await;
    for (id, site) in [(blurred, None), (kept, None), (located, Some("dos"))] {
        store
            .attach_upload(
                &requester,
                draft.id,
                &photo(id, site, "overview"),
                &[&form],
                now(),
            )
            .await
            .unwrap();
    }
    let described = [photo(kept, None, "dermoscopic")];

    // Another requester can neither describe nor remove them.
    assert!(matches!(
        store
            .describe_attachments(&other, draft.id, &described, now())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store
            .remove_attachment(&other, &blobs, draft.id, blurred, now())
            .await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));
    // A view that does not exist is refused, and changes nothing.
    let unknown = [photo(kept, None, "panoramic")];
    assert!(matches!(
        store
            .describe_attachments(&requester, draft.id, &unknown, now())
            .await,
        Err(StoreError::Answer(AnswerError::Invalid(_)))
    ));
    let before = store
        .attachments(&requester, draft.id, now())
        .await
        .unwrap();
    assert!(
        before
            .iter()
            .all(|a| a.photo_kind.as_deref() == Some("overview"))
    );

    store
        .describe_attachments(&requester, draft.id, &described, now())
        .await
        .unwrap();
    store
        .remove_attachment(&requester, &blobs, draft.id, blurred, now())
        .await
        .unwrap();
    // Gone from the draft, and its bytes with it.
    assert!(matches!(
        store.upload(&requester, blurred, now()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store
            .remove_attachment(&requester, &blobs, draft.id, blurred, now())
            .await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));

    // Sent: a photo with no site takes the questionnaire's location.
    let mut complete = answers(true);
    complete.insert("body_site".into(), Answer::Text("avant-bras gauche".into()));
    store
        .save_answers(&requester, draft.id, &complete, now())
        .await
        .unwrap();
    store
        .submit_request(&requester, draft.id, &form, now())
        .await
        .unwrap();
    let sent = store
        .attachments(&requester, draft.id, now())
        .await
        .unwrap();
    assert_eq!(
        sent,
        vec![
            photo(kept, Some("avant-bras gauche"), "dermoscopic"),
            photo(located, Some("dos"), "overview"),
        ]
    );
    // And once sent, the files are the expert's to see, no longer to change.
    assert!(matches!(
        store
            .remove_attachment(&requester, &blobs, draft.id, kept, now())
            .await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));
    assert!(matches!(
        store
            .describe_attachments(&requester, draft.id, &described, now())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    // Nor can the sent request be deleted as a draft.
    assert!(matches!(
        store
            .delete_draft(&requester, &blobs, draft.id, now())
            .await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));
}

pub async fn a_draft_is_deleted_with_its_photos_by_its_requester_only(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let other = signed_in(&store, "other.requester@demo.test", 0).await;
    let form = form();
    let draft = derm_draft(&store, &requester).await;
    let upload = uploaded_photo(&store, &blobs, &requester).await;
    store
        .attach_upload(
            &requester,
            draft.id,
            &photo(upload, None, "overview"),
            &[&form],
            now(),
        )
        .await
        .unwrap();
    assert!(walk(dir.path()) > 0, "sealed bytes on disk");

    assert!(matches!(
        store.delete_draft(&other, &blobs, draft.id, now()).await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));
    assert!(
        store.case(&requester, draft.id, now()).await.is_ok(),
        "still there"
    );

    store
        .delete_draft(&requester, &blobs, draft.id, now())
        .await
        .unwrap();
    assert!(matches!(
        store.case(&requester, draft.id, now()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.upload(&requester, upload, now()).await,
        Err(StoreError::NotFound { .. })
    ));
    let left: usize = walk(dir.path());
    assert_eq!(left, 0, "no sealed bytes left");
    assert!(matches!(
        store
            .delete_draft(&requester, &blobs, draft.id, now())
            .await,
        Err(UploadError::Store(StoreError::NotFound { .. }))
    ));
    let deletions = store
        .audit_trail_unfiltered()
        .await
        .into_iter()
        .filter(|r| r.action == "case.delete" && r.case_id == Some(draft.id))
        .count();
    assert_eq!(deletions, 1, "the trail says it existed and was deleted");
}

/// Files under `dir`, at any depth.
fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| {
                let path = e.path();
                if path.is_dir() { walk(&path) } else { 1 }
            })
            .sum()
    })
}
