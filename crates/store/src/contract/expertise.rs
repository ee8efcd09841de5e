//! The expert's side, on every backend: queue, steps, clock, thread,
//! advice versions, appointment, reports, and who gets nothing.

use std::sync::Arc;

use consilium_blobs::{BlobStore, Keyring, image::Limits, testdata};
use consilium_domain::{
    expertise::{Advice, FlowError, Step, Visit},
    report::{RenderError, RenderReport, Report},
};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::{
    access::access_seed,
    now,
    requests::{answers, derm, form, known_patient, signed_in},
};
use crate::{
    Store, StoreError,
    auth::Actor,
    cases::CaseView,
    expertise::{MessageKind, NewAppointment, NewMessage, QueueFilter, ReportKit, StepError},
    requests::{Attachment, NewRequest},
    uploads::Incoming,
};

/// A stand-in for the typst renderer (tested in its own crate): the PDF's
/// "text" is what the report states, so the store's part can be checked.
#[derive(Debug)]
pub(super) struct TextReports;

impl RenderReport for TextReports {
    fn render(&self, r: &Report) -> Result<Vec<u8>, RenderError> {
        let place = r.appointment.as_ref().map_or("", |a| a.place.as_str());
        Ok(format!(
            "%PDF {} v{} advice v{} {} RPPS {} {} {} photos:{} {place}",
            r.reference,
            r.version,
            r.advice_version,
            r.patient.birth_family_name,
            r.expert.rpps.clone().unwrap_or_default(),
            r.advice.hypothesis,
            r.advice.visit.label_fr(),
            r.photos.len(),
        )
        .into_bytes())
    }
}

/// Hours after Saturday 24 October 2026, 00:00 UTC: the request waits on
/// hold across the night the clocks go back (25 October, 01:00 UTC).
fn at(hours: i64) -> Timestamp {
    "2026-10-24T00:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_hours(hours)
}

async fn sent_request(store: &Store, requester: &Actor, when: Timestamp, urgent: bool) -> CaseView {
    let patient = known_patient(store, requester).await;
    let new = NewRequest {
        urgent,
        ..derm(patient, None)
    };
    let draft = store.start_request(requester, &new, when).await.unwrap();
    store
        .save_answers(requester, draft.id, &answers(true), when)
        .await
        .unwrap();
    store
        .submit_request(requester, draft.id, &form(), when)
        .await
        .unwrap()
}

fn whole_queue() -> QueueFilter {
    QueueFilter {
        limit: 50,
        ..QueueFilter::default()
    }
}

/// A completed upload of a small photo by `owner`.
pub(super) async fn uploaded_photo(store: &Store, blobs: &BlobStore, owner: &Actor) -> Uuid {
    let photo = testdata::jpeg_with_gps(300, 200);
    let upload = store
        .create_upload(
            owner,
            photo.len() as u64,
            serde_json::json!({}),
            crate::uploads::UploadQuota::default(),
            now(),
        )
        .await
        .unwrap();
    let incoming = Incoming {
        id: upload.id,
        offset: 0,
        bytes: &photo,
    };
    store
        .append_upload(owner, blobs, Limits::default(), incoming, now())
        .await
        .unwrap();
    upload.id
}

fn message(body: &str, attachments: Vec<Attachment>) -> NewMessage {
    NewMessage {
        body: body.into(),
        asks_photos: true,
        attachments,
        idempotency_key: None,
    }
}

fn advice(hypothesis: &str, visit: Visit) -> Advice {
    Advice::new(hypothesis, "L82", "Surveillance simple", visit, "").unwrap()
}

fn not_found<T: std::fmt::Debug>(result: Result<T, StepError>) -> bool {
    matches!(result, Err(StepError::Store(StoreError::NotFound { .. })))
}

pub async fn the_expert_path_with_a_stopped_clock_and_versioned_reports(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::local(dir.path(), Keyring::generate()).unwrap();
    let kit = ReportKit {
        blobs: &blobs,
        renderer: Arc::new(TextReports),
        forms: vec![],
    };
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let coordinator = signed_in(&store, "coordination@demo.test", 0).await;
    let stranger = signed_in(&store, "other.requester@demo.test", 0).await;

    let later = sent_request(&store, &requester, at(1), true).await;
    let case = sent_request(&store, &requester, at(0), false).await;
    let queue = store.queue(&expert, &whole_queue(), at(2)).await.unwrap();
    let order: Vec<Uuid> = queue.entries.iter().map(|c| c.id).collect();
    let (first, second) = (
        order.iter().position(|id| *id == case.id).unwrap(),
        order.iter().position(|id| *id == later.id).unwrap(),
    );
    assert!(first < second, "soonest deadline first, urgent or not");
    assert_eq!(
        (
            queue.entries[second].priority.as_str(),
            queue.entries[first].priority.as_str()
        ),
        ("urgent", "routine")
    );
    let requested = i64::try_from(queue.entries.len()).unwrap();
    assert_eq!(queue.counts, vec![("requested".to_owned(), requested)]);
    assert!(requested >= 2);
    let none = store.queue(&stranger, &whole_queue(), at(2)).await.unwrap();
    assert!(none.entries.is_empty(), "a requester serves no queue");

    let taken = store
        .move_request(&expert, case.id, &Step::Take, at(2))
        .await
        .unwrap();
    assert_eq!(
        (taken.status.as_str(), taken.owner_id),
        ("accepted", Some(expert.caller.person_id))
    );
    let due = case.deadline.unwrap();

    // The question stops the clock with the time that was left.
    store
        .send_message(
            &expert,
            case.id,
            MessageKind::Question,
            &message("Une photo de plus ?", vec![]),
            at(10),
        )
        .await
        .unwrap();
    let on_hold = store.case(&requester, case.id, at(11)).await.unwrap();
    assert_eq!(
        (on_hold.status.as_str(), on_hold.deadline),
        ("on-hold", None)
    );
    assert_eq!(on_hold.hold_remaining, Some(due.duration_since(at(10))));
    // A day later the requester answers with a photo: the clock resumes.
    let photo = uploaded_photo(&store, &blobs, &requester).await;
    let attachment = Attachment {
        upload_id: photo,
        item: "photos".into(),
        body_site: Some("Dos".into()),
        photo_kind: Some("overview".into()),
    };
    store
        .send_message(
            &requester,
            case.id,
            MessageKind::Reply,
            &message("Voici", vec![attachment]),
            at(34),
        )
        .await
        .unwrap();
    let resumed = store.case(&expert, case.id, at(34)).await.unwrap();
    assert_eq!(resumed.status, "in-progress");
    assert_eq!(
        resumed.deadline,
        Some(due + SignedDuration::from_hours(24)),
        "24 real hours on hold added, across the change to winter time"
    );

    // Strangers and wrong steps.
    assert!(not_found(
        store
            .case_file(&stranger, case.id, at(35))
            .await
            .map_err(StepError::from)
    ));
    assert!(not_found(
        store
            .send_message(
                &stranger,
                case.id,
                MessageKind::Reply,
                &message("?", vec![]),
                at(35)
            )
            .await
    ));
    assert!(matches!(
        store
            .move_request(&expert, case.id, &Step::Close, at(35))
            .await,
        Err(StepError::Forbidden)
    ));
    assert!(matches!(
        store
            .propose_visit(&coordinator, &kit, case.id, &visit_at(at(200)), at(35))
            .await,
        Err(StepError::Flow(FlowError::NoVisitAsked))
    ));

    // The advice, then the visit, then a correction: three report versions.
    let v1 = store
        .advise(
            &expert,
            &kit,
            case.id,
            &advice("Kératose séborrhéique", Visit::WithinMonth),
            None,
            at(36),
        )
        .await
        .unwrap();
    assert_eq!(
        (v1.version, v1.author_rpps.as_deref()),
        (1, Some("10990000019"))
    );
    store
        .propose_visit(&coordinator, &kit, case.id, &visit_at(at(200)), at(37))
        .await
        .unwrap();
    let v2 = store
        .advise(
            &expert,
            &kit,
            case.id,
            &advice("Mélanome à exclure", Visit::WithinWeek),
            Some("fix-1"),
            at(38),
        )
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    let retried = store
        .advise(
            &expert,
            &kit,
            case.id,
            &advice("Mélanome à exclure", Visit::WithinWeek),
            Some("fix-1"),
            at(38),
        )
        .await
        .unwrap();
    assert_eq!(
        retried, v2,
        "a retry with the same key makes no third version"
    );
    let file = store.case_file(&requester, case.id, at(39)).await.unwrap();
    assert_eq!(file.advices.len(), 2, "both versions stay");
    assert_eq!(file.advices[0].advice.hypothesis, "Kératose séborrhéique");
    assert_eq!(
        file.reports.iter().map(|r| r.version).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(file.appointments.len(), 1);
    assert_eq!(file.files.len(), 1, "the reply's photo is in the file");
    assert_eq!(
        file.messages
            .iter()
            .map(|m| m.kind.as_str())
            .collect::<Vec<_>>(),
        vec!["question", "reply", "advice", "advice"]
    );
    assert_eq!(file.messages[1].upload_ids, vec![photo]);

    let (_, _, first_pdf) = store
        .read_report(&requester, &blobs, file.reports[0].id, at(39))
        .await
        .unwrap();
    let first_pdf = String::from_utf8(first_pdf).unwrap();
    assert!(
        first_pdf.contains("advice v1") && first_pdf.contains("Kératose"),
        "{first_pdf}"
    );
    assert!(
        first_pdf.contains("RPPS 10990000019") && first_pdf.contains("photos:1"),
        "{first_pdf}"
    );
    let (_, _, last_pdf) = store
        .read_report(&expert, &blobs, file.reports[2].id, at(39))
        .await
        .unwrap();
    let last_pdf = String::from_utf8(last_pdf).unwrap();
    assert!(
        last_pdf.contains("advice v2") && last_pdf.contains("Salle 12"),
        "{last_pdf}"
    );
    assert!(not_found(
        store
            .read_report(&stranger, &blobs, file.reports[0].id, at(39))
            .await
    ));

    let closed = store
        .move_request(&requester, case.id, &Step::Close, at(40))
        .await
        .unwrap();
    assert_eq!(closed.status, "completed");
    let history = store
        .case_file(&expert, case.id, at(41))
        .await
        .unwrap()
        .history;
    let steps: Vec<&str> = history.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "submit",
            "take",
            "ask",
            "reply",
            "advise",
            "propose-visit",
            "advise",
            "close"
        ]
    );
    assert!(history.iter().all(|e| e.actor_name.is_some()));
}

fn visit_at(when: Timestamp) -> NewAppointment {
    NewAppointment {
        starts_at: when,
        place: "CHU, dermatologie, Salle 12".into(),
        instructions: "Venir à jeun".into(),
    }
}

pub async fn concurrent_takes_make_one_owner(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let case = sent_request(&store, &requester, now(), false).await;
    let (a, b) = tokio::join!(
        store.move_request(&expert, case.id, &Step::Take, at(1)),
        store.move_request(&expert, case.id, &Step::Take, at(1)),
    );
    assert_eq!(
        usize::from(a.is_ok()) + usize::from(b.is_ok()),
        1,
        "{a:?} {b:?}"
    );
    let takes = store
        .audit_trail_unfiltered()
        .await
        .into_iter()
        .filter(|r| r.action == "case.take")
        .count();
    assert_eq!(takes, 1);
    // Declining needs a reason and changes nothing without one.
    let blank = Step::Decline {
        kind: consilium_domain::expertise::DeclineKind::Other,
        reason: " ".into(),
        transfer_to: None,
    };
    assert!(matches!(
        store.move_request(&expert, case.id, &blank, at(2)).await,
        Err(StepError::Flow(FlowError::ReasonMissing))
    ));
    let declined = store
        .move_request(
            &expert,
            case.id,
            &Step::Decline {
                kind: consilium_domain::expertise::DeclineKind::Other,
                reason: "Hors de mon champ".into(),
                transfer_to: None,
            },
            at(2),
        )
        .await
        .unwrap();
    assert_eq!(
        (declined.status.as_str(), declined.owner_id),
        ("rejected", None)
    );
    assert_eq!(declined.status_reason.as_deref(), Some("Hors de mon champ"));
}

/// Runs every due job of `kind` at `at` with the store's handlers (as the
/// worker would); returns how many notifications they made.
async fn run_due(store: &Store, at: Timestamp) -> Vec<(String, usize)> {
    let mut ran = Vec::new();
    for job in store
        .claim_jobs("contract", at, SignedDuration::from_secs(60), 100)
        .await
        .unwrap()
    {
        let made = match job.kind.as_str() {
            crate::notifications::NOTIFY => store.run_notify(&job, false, at).await.unwrap(),
            crate::notifications::REMINDER => store.run_reminder(&job, false, at).await.unwrap(),
            other => panic!("unexpected job {other}"),
        };
        assert!(store.complete_job(&job, "contract", at).await.unwrap());
        let event = job.payload["event"].as_str().unwrap_or_default().to_owned();
        ran.push((event, made));
    }
    ran
}

fn paris(y: i16, m: i8, d: i8, h: i8) -> Timestamp {
    jiff::civil::date(y, m, d)
        .at(h, 0, 0, 0)
        .in_tz("Europe/Paris")
        .unwrap()
        .timestamp()
}

pub async fn deadline_reminders_follow_the_clock_across_dst_and_wait_on_hold(store: Store) {
    store.import_directory(&access_seed(), now()).await.unwrap();
    let requester = signed_in(&store, "requester@demo.test", 0).await;
    let expert = signed_in(&store, "expert@demo.test", 0).await;
    let coordinator = signed_in(&store, "coordination@demo.test", 0).await;
    // Friday 23 October 2026, 20:00 in Paris (summer time); the team's target
    // is 72 h: due Monday 26 at 19:00 Paris (winter time), reminded at 07:00.
    let sent = paris(2026, 10, 23, 20);
    let case = sent_request(&store, &requester, sent, false).await;
    assert_eq!(case.deadline, Some(paris(2026, 10, 26, 19)));
    let held = sent_request(&store, &requester, sent, false).await;
    assert_eq!(run_due(&store, sent).await.len(), 2, "the two submissions");
    store
        .move_request(&expert, held.id, &Step::Take, sent)
        .await
        .unwrap();
    let message = message("Photo ?", vec![]);
    store
        .send_message(
            &expert,
            held.id,
            MessageKind::Question,
            &message,
            paris(2026, 10, 24, 9),
        )
        .await
        .unwrap();
    run_due(&store, paris(2026, 10, 24, 9)).await;

    let before = paris(2026, 10, 26, 7) - SignedDuration::from_secs(1);
    assert!(
        run_due(&store, before).await.is_empty(),
        "not before 07:00 Paris"
    );
    let at_seven = run_due(&store, paris(2026, 10, 26, 7)).await;
    assert_eq!(
        at_seven,
        vec![
            ("deadline-soon".to_owned(), 1),
            ("deadline-soon".to_owned(), 0)
        ],
        "the team's expert for the open one (nobody owns it); nobody for the one on hold"
    );
    let told = store.notifications(&expert, 10).await.unwrap();
    assert!(
        told.iter()
            .any(|n| n.event == "deadline-soon" && n.case_id == case.id)
    );
    assert!(
        !told
            .iter()
            .any(|n| n.event == "deadline-soon" && n.case_id == held.id)
    );

    // The requester answers on Tuesday: the clock restarts, new reminders.
    let reply = NewMessage {
        asks_photos: false,
        ..message
    };
    store
        .send_message(
            &requester,
            held.id,
            MessageKind::Reply,
            &reply,
            paris(2026, 10, 27, 9),
        )
        .await
        .unwrap();
    let resumed = store
        .case(&expert, held.id, paris(2026, 10, 27, 9))
        .await
        .unwrap();
    let passed = run_due(&store, paris(2026, 10, 26, 19)).await;
    assert_eq!(
        passed,
        vec![
            ("deadline-passed".to_owned(), 1),
            ("deadline-passed".to_owned(), 0)
        ],
        "the coordinator hears of the late one; the other's deadline moved"
    );
    assert!(
        store
            .notifications(&coordinator, 10)
            .await
            .unwrap()
            .iter()
            .any(|n| n.event == "deadline-passed" && n.case_id == case.id)
    );
    assert_eq!(
        run_due(&store, paris(2026, 10, 27, 9)).await,
        vec![("reply".to_owned(), 1)],
        "the owner hears of the reply"
    );
    let due = resumed.deadline.unwrap();
    let next = run_due(&store, due - REMIND).await;
    assert_eq!(
        next,
        vec![("deadline-soon".to_owned(), 1)],
        "the owner, reminded of the new deadline"
    );
}

const REMIND: SignedDuration = crate::notifications::REMIND_BEFORE;
