//! Files the demo requests ([`super::cases::REQUESTS`]) through the same
//! use cases a GP and an expert go through — draft, answers, photos,
//! sending, taking, questions, advice, closing — each at its own time, so a
//! demo request's history, audit trail, notifications and report are those
//! of a real one. Seeding again files nothing twice.

use anyhow::Context;
use consilium_blobs::image::{Limits, synthetic as photos};
use consilium_domain::{
    Email, Ins,
    directory::SpecialtyCode,
    expertise::{Advice, Step},
    questionnaire::{Answer, Answers, Form},
};
use consilium_store::{
    OrgKey, Store,
    auth::Actor,
    expertise::{MessageKind, NewMessage, ReportKit},
    requests::{Attachment, NewRequest, PatientChoice},
    uploads::{Incoming, UploadQuota},
};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::{
    DEMO_DOMAIN,
    cases::{DemoAnswer, DemoFile, DemoRequest, DemoStep, REQUESTS},
    finess,
};

/// Files every demo request not filed yet; returns how many it filed.
pub async fn install_requests(
    store: &Store,
    kit: &ReportKit<'_>,
    now: Timestamp,
) -> anyhow::Result<usize> {
    let mut filed = 0;
    for (n, request) in REQUESTS.iter().enumerate() {
        let seed = u64::try_from(n).unwrap_or(0);
        if file(store, kit, request, seed, now).await? {
            filed += 1;
        }
    }
    Ok(filed)
}

async fn actor(store: &Store, local_part: &str) -> anyhow::Result<Actor> {
    let email = Email::parse(&format!("{local_part}{DEMO_DOMAIN}"))?;
    Ok(store.command_actor(&email).await?)
}

fn form<'k>(kit: &'k ReportKit<'_>, specialty: &str) -> anyhow::Result<&'k Form> {
    kit.forms
        .iter()
        .copied()
        .find(|f| f.specialty.as_str() == specialty)
        .with_context(|| format!("no questionnaire for {specialty}"))
}

/// Files one request and what happened to it; false if it was filed before.
async fn file(
    store: &Store,
    kit: &ReportKit<'_>,
    request: &DemoRequest,
    seed: u64,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let filed_at = now - SignedDuration::from_hours(request.filed_hours_ago);
    let at = |hours: i64| filed_at + SignedDuration::from_hours(hours);
    let requester = actor(store, request.requester).await?;
    let ins = Ins::from_nir(request.nir)?;
    let patient = store
        .site_patients(&requester, filed_at)
        .await?
        .into_iter()
        .find(|p| p.identity.ins.as_ref() == Some(&ins))
        .with_context(|| format!("demo patient {ins} is not at the requester's site"))?;
    let new = NewRequest {
        patient: PatientChoice::Known(patient.id),
        specialty: SpecialtyCode::parse(request.specialty)?,
        centre: Some(OrgKey::Finess(finess(request.centre)?)),
        idempotency_key: Some(format!("demo:{}", request.label)),
        urgent: request.urgent,
    };
    let draft = store.start_request(&requester, &new, filed_at).await?;
    if draft.status != "draft" {
        return Ok(false);
    }
    let form = form(kit, request.specialty)?;
    store
        .save_answers(&requester, draft.id, &answers(request), filed_at)
        .await?;
    let item = form
        .items
        .iter()
        .find(|i| i.item_type == consilium_domain::questionnaire::ItemType::Attachment)
        .map(|i| i.link_id.clone())
        .unwrap_or_default();
    for (file, body_site) in request.files {
        let upload = upload(store, kit, &requester, *file, seed, filed_at).await?;
        let attachment = Attachment {
            upload_id: upload,
            item: item.clone(),
            body_site: Some((*body_site).to_owned()).filter(|s| !s.is_empty()),
            photo_kind: match file {
                DemoFile::CloseUp => Some("close_up".to_owned()),
                DemoFile::Ecg => None,
                DemoFile::Overview | DemoFile::Blurred => Some("overview".to_owned()),
            },
        };
        store
            .attach_upload(&requester, draft.id, &attachment, &kit.forms, filed_at)
            .await?;
    }
    let sent_at = filed_at + SignedDuration::from_mins(4);
    store
        .submit_request(&requester, draft.id, form, sent_at)
        .await?;
    for step in request.steps {
        play(store, kit, &requester, draft.id, step, &at).await?;
    }
    Ok(true)
}

fn answers(request: &DemoRequest) -> Answers {
    let mut answers = Answers::from([("consent".to_owned(), Answer::Boolean(true))]);
    for (question, answer) in request.answers {
        let answer = match answer {
            DemoAnswer::Text(text) => Answer::Text((*text).to_owned()),
            DemoAnswer::Codes(codes) => {
                Answer::Codes(codes.iter().map(|c| (*c).to_owned()).collect())
            }
        };
        answers.insert((*question).to_owned(), answer);
    }
    answers
}

/// Uploads one picture as the requester's phone would; returns the upload.
async fn upload(
    store: &Store,
    kit: &ReportKit<'_>,
    requester: &Actor,
    file: DemoFile,
    seed: u64,
    at: Timestamp,
) -> anyhow::Result<Uuid> {
    let (bytes, name) = match file {
        DemoFile::Overview => (photos::lesion(seed, 1.0)?, "IMG_0101.jpg"),
        DemoFile::CloseUp => (photos::lesion(seed, 2.5)?, "IMG_0102.jpg"),
        DemoFile::Blurred => (photos::blurred_lesion(seed)?, "IMG_0103.jpg"),
        DemoFile::Ecg => (photos::ecg()?, "ECG.jpg"),
    };
    let metadata = serde_json::json!({ "filename": name, "filetype": "image/jpeg" });
    let length = u64::try_from(bytes.len())?;
    let created = store
        .create_upload(requester, length, metadata, UploadQuota::default(), at)
        .await?;
    let incoming = Incoming {
        id: created.id,
        offset: 0,
        bytes: &bytes,
    };
    store
        .append_upload(requester, kit.blobs, Limits::default(), incoming, at)
        .await?;
    Ok(created.id)
}

async fn play(
    store: &Store,
    kit: &ReportKit<'_>,
    requester: &Actor,
    case_id: Uuid,
    step: &DemoStep,
    at: &impl Fn(i64) -> Timestamp,
) -> anyhow::Result<()> {
    match *step {
        DemoStep::Take(expert, hours) => {
            let expert = actor(store, expert).await?;
            store
                .move_request(&expert, case_id, &Step::Take, at(hours))
                .await?;
        }
        DemoStep::Start(expert, hours) => {
            let expert = actor(store, expert).await?;
            store
                .move_request(&expert, case_id, &Step::Start, at(hours))
                .await?;
        }
        DemoStep::Ask(expert, hours, question) => {
            let expert = actor(store, expert).await?;
            let message = NewMessage {
                body: question.to_owned(),
                asks_photos: true,
                attachments: vec![],
                idempotency_key: None,
            };
            store
                .send_message(&expert, case_id, MessageKind::Question, &message, at(hours))
                .await?;
        }
        DemoStep::Advise {
            expert,
            hours,
            hypothesis,
            icd10,
            management,
            visit,
        } => {
            let expert = actor(store, expert).await?;
            let advice = Advice::new(hypothesis, icd10, management, visit, "")?;
            store
                .advise(&expert, kit, case_id, &advice, None, at(hours))
                .await?;
        }
        DemoStep::Close(hours) => {
            store
                .move_request(requester, case_id, &Step::Close, at(hours))
                .await?;
        }
    }
    Ok(())
}
