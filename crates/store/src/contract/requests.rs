//! Filing requests, on every backend.

use consilium_blobs::{BlobStore, Keyring};
use consilium_domain::{
    directory::SpecialtyCode,
    questionnaire::{Answer, AnswerError, Answers, Form, Item, ItemType},
};
use jiff::SignedDuration;

use super::{
    access::access_seed,
    auth::{actor, credentials, sign_in_at},
    now,
};
use crate::{
    Store, StoreError,
    auth::Actor,
    requests::{Attachment, NewRequest, PatientChoice, SubmitError},
};

pub(super) fn form() -> Form {
    let item = |id: &str, item_type, required| Item {
        link_id: id.into(),
        text: id.to_uppercase(),
        item_type,
        required,
        repeats: id == "photos",
        options: if item_type == ItemType::OpenChoice {
            vec![("none".into(), "Aucune".into())]
        } else {
            vec![]
        },
    };
    Form {
        id: "dermatology".into(),
        url: "u".into(),
        title: "t".into(),
        specialty: SpecialtyCode::parse(SpecialtyCode::DERMATOLOGY).unwrap(),
        items: vec![
            item("consent", ItemType::Boolean, true),
            item("question", ItemType::Text, true),
            item("allergies", ItemType::OpenChoice, true),
            item("photos", ItemType::Attachment, false),
        ],
    }
}

pub(super) fn answers(with_allergies: bool) -> Answers {
    let mut answers = Answers::from([
        ("consent".to_owned(), Answer::Boolean(true)),
        ("question".to_owned(), Answer::Text("Mélanome ?".into())),
    ]);
    if with_allergies {
        answers.insert("allergies".into(), Answer::Codes(vec!["none".into()]));
    }
    answers
}

pub(super) async fn signed_in(store: &Store, address: &str, step: i64) -> Actor {
    let secret = credentials(store, address, true).await.unwrap();
    let at = now() + SignedDuration::from_secs(30 * step);
    let token = sign_in_at(store, address, &secret, at).await;
    actor(store, &token, at).await
}

pub(super) async fn known_patient(store: &Store, requester: &Actor) -> PatientChoice {
    let patients = store.site_patients(requester, now()).await.unwrap();
    PatientChoice::Known(patients[0].id)
}

/// A dermatology draft of `requester`'s, for a patient of their site.
pub(super) async fn derm_draft(store: &Store, requester: &Actor) -> crate::cases::CaseView {
    store
        .start_request(
            requester,
            &derm(known_patient(store, requester).await, None),
            now(),
        )
        .await
        .unwrap()
}

pub(super) fn derm(patient: PatientChoice, key: Option<&str>) -> NewRequest {
    NewRequest {
        patient,
        specialty: SpecialtyCode::parse(SpecialtyCode::DERMATOLOGY).unwrap(),
        centre: None,
        idempotency_key: key.map(str::to_owned),
        urgent: false,
    }
}

pub async fn a_request_is_drafted_then_submitted_once(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let draft = derm_draft(&store, &requester).await;
    assert_eq!(draft.status, "draft");
    assert!(draft.reference.starts_with("TE-2026-"));
    assert!(
        matches!(
            store.case(&expert, draft.id, now()).await,
            Err(StoreError::NotFound { .. })
        ),
        "drafts are private"
    );

    store
        .save_answers(&requester, draft.id, &answers(false), now())
        .await
        .unwrap();
    let refused = store
        .submit_request(&requester, draft.id, &form(), now())
        .await
        .unwrap_err();
    let SubmitError::Answers(AnswerError::Missing { link_id, .. }) = &refused else {
        panic!("{refused}")
    };
    assert_eq!(link_id, "allergies");
    assert_eq!(
        store
            .case(&requester, draft.id, now())
            .await
            .unwrap()
            .status,
        "draft",
        "a refusal changes nothing"
    );

    store
        .save_answers(&requester, draft.id, &answers(true), now())
        .await
        .unwrap();
    let sent = store
        .submit_request(&requester, draft.id, &form(), now())
        .await
        .unwrap();
    assert_eq!(sent.status, "requested");
    assert_eq!(sent.submitted_at, Some(now()));
    assert_eq!(
        sent.deadline,
        Some(now() + SignedDuration::from_hours(72)),
        "the team's 72 h target"
    );
    assert!(sent.consent_at.is_some());
    assert_eq!(
        store
            .case(&expert, draft.id, now())
            .await
            .unwrap()
            .reference,
        sent.reference
    );
    let later = now() + SignedDuration::from_mins(5);
    let again = store
        .submit_request(&requester, draft.id, &form(), later)
        .await
        .unwrap();
    assert_eq!(
        again.deadline, sent.deadline,
        "submitting again changes nothing"
    );
    assert!(
        store
            .save_answers(&requester, draft.id, &answers(true), later)
            .await
            .is_err(),
        "sent is immutable"
    );
}

pub async fn the_same_key_makes_one_request(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let patient = known_patient(&store, &requester).await;
    let first = store
        .start_request(&requester, &derm(patient.clone(), Some("k-1")), now())
        .await
        .unwrap();
    let again = store
        .start_request(&requester, &derm(patient.clone(), Some("k-1")), now())
        .await
        .unwrap();
    assert_eq!(first.id, again.id);
    let keyed = derm(patient.clone(), Some("k-2"));
    let (a, b) = tokio::join!(
        store.start_request(&requester, &keyed, now()),
        store.start_request(&requester, &keyed, now()),
    );
    assert_eq!(
        a.unwrap().id,
        b.unwrap().id,
        "concurrent starts with one key: one request"
    );
    let mine = store.cases(&requester, now()).await.unwrap();
    assert_eq!(
        mine.iter().filter(|c| c.status == "draft").count(),
        2,
        "one per key"
    );
    store
        .save_answers(&requester, first.id, &answers(true), now())
        .await
        .unwrap();
    let form = form();
    let (x, y) = tokio::join!(
        store.submit_request(&requester, first.id, &form, now()),
        store.submit_request(&requester, first.id, &form, now()),
    );
    assert_eq!(x.unwrap().deadline, y.unwrap().deadline);
    let submits = store
        .audit_trail_unfiltered()
        .await
        .into_iter()
        .filter(|r| r.action == "case.submit")
        .count();
    assert_eq!(submits, 1, "two concurrent submissions, one request sent");
}

pub async fn patients_are_the_sites_or_new(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let other = signed_in(&store, "other.requester@demo.test", 0).await;
    let PatientChoice::Known(theirs) = known_patient(&store, &other).await else {
        unreachable!()
    };
    let refused = store
        .start_request(&requester, &derm(PatientChoice::Known(theirs), None), now())
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound { .. })),
        "another site's patient does not exist here"
    );
    // The same INS entered again is the same patient, now known here too.
    let identity = store
        .case(
            &other,
            store.cases(&other, now()).await.unwrap()[0].id,
            now(),
        )
        .await
        .unwrap()
        .patient
        .identity;
    let draft = store
        .start_request(&requester, &derm(PatientChoice::New(identity), None), now())
        .await
        .unwrap();
    assert_eq!(draft.patient.id, theirs);
    assert_eq!(
        store.site_patients(&requester, now()).await.unwrap().len(),
        2
    );
    let expert = signed_in(&store, "expert@demo.test", 1).await;
    assert!(
        store
            .start_request(&expert, &derm(PatientChoice::Known(theirs), None), now())
            .await
            .is_err(),
        "experts do not file"
    );
}

pub async fn photos_are_attached_from_ones_own_uploads(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let other = signed_in(&store, "other.requester@demo.test", 0).await;
    let mut ids = Vec::new();
    for owner in [&requester, &other] {
        ids.push(super::expertise::uploaded_photo(&store, &blobs, owner).await);
    }
    let draft = derm_draft(&store, &requester).await;
    let attachment = |id| Attachment {
        upload_id: id,
        item: "photos".into(),
        body_site: Some("avant-bras gauche".into()),
        photo_kind: Some("close_up".into()),
    };
    let form = form();
    let forms = [&form];
    // A question the form does not have would make the draft unsendable.
    let ecg = Attachment {
        item: "ecg".into(),
        ..attachment(ids[0])
    };
    assert!(matches!(
        store
            .attach_upload(&requester, draft.id, &ecg, &forms, now())
            .await,
        Err(StoreError::Answer(AnswerError::NoSuchAttachment(_)))
    ));
    store
        .attach_upload(&requester, draft.id, &attachment(ids[0]), &forms, now())
        .await
        .unwrap();
    assert!(matches!(
        store
            .attach_upload(&requester, draft.id, &attachment(ids[1]), &forms, now())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    let attached = store
        .attachments(&requester, draft.id, now())
        .await
        .unwrap();
    assert_eq!(attached, vec![attachment(ids[0])]);
}
