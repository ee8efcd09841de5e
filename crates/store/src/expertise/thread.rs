//! The thread of a request: an expert's question stops the clock, the
//! requester's reply (with photos, located by the questionnaire when the
//! requester did not say) restarts it. One transaction per message, with
//! its step, audit record, notification and figures.

use consilium_domain::{
    expertise::Step,
    questionnaire::{Answer, Answers},
};
use jiff::Timestamp;
use uuid::Uuid;

use super::{
    Message,
    steps::{StepError, context, still_at},
};
use crate::{Store, StoreError, Tx, auth::Actor, requests::Attachment, uploads::UploadState};

/// A question (expert) or a reply (requester).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The text.
    pub body: String,
    /// A question asking for more photos.
    pub asks_photos: bool,
    /// Files sent with a reply (the requester's completed uploads).
    pub attachments: Vec<Attachment>,
    /// The same key from the same person returns the first message.
    pub idempotency_key: Option<String>,
}

const LONGEST_MESSAGE: usize = 10_000;

/// A question or a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// From the expert; puts the request on hold.
    Question,
    /// From the requester; resumes it.
    Reply,
}

impl MessageKind {
    /// The `Communication.category` code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Reply => "reply",
        }
    }
}

impl Store {
    /// An expert's question (the clock stops) or the requester's reply
    /// (the clock restarts), with files for a reply. The same idempotency
    /// key returns the first message.
    pub async fn send_message(
        &self,
        actor: &Actor,
        case_id: Uuid,
        kind: MessageKind,
        new: &NewMessage,
        now: Timestamp,
    ) -> Result<Message, StepError> {
        self.send_message_if(actor, case_id, kind, new, None, now)
            .await
    }

    /// [`Store::send_message`], only if the request is still at version
    /// `if_version` (when given), checked in the same transaction.
    pub async fn send_message_if(
        &self,
        actor: &Actor,
        case_id: Uuid,
        kind: MessageKind,
        new: &NewMessage,
        if_version: Option<i32>,
        now: Timestamp,
    ) -> Result<Message, StepError> {
        let body = new.body.trim();
        if body.is_empty() && new.attachments.is_empty() {
            return Err(StepError::Invalid(
                "écrivez votre message / write your message".into(),
            ));
        }
        if body.chars().count() > LONGEST_MESSAGE {
            return Err(StepError::Invalid(format!(
                "le message dépasse {LONGEST_MESSAGE} caractères / the message is over {LONGEST_MESSAGE} characters"
            )));
        }
        let step = match kind {
            MessageKind::Question => Step::Ask,
            MessageKind::Reply => Step::Reply,
        };
        let tx = self.backend().begin().await?;
        let (mut tx, case) = self
            .case_for(tx, actor, case_id, step.action(), now)
            .await?;
        let person = actor.caller.person_id;
        if let Some(key) = &new.idempotency_key
            && let Some(id) = tx.message_by_key(person, key).await?
        {
            return existing_message(tx.as_mut(), case_id, id).await;
        }
        still_at(&case, if_version)?;
        for attachment in &new.attachments {
            let upload = tx.upload(attachment.upload_id).await?;
            let usable =
                upload.is_some_and(|u| u.owner_id == person && u.state == UploadState::Complete);
            let free = tx.case_of_upload(attachment.upload_id).await?.is_none();
            if !usable || !free {
                return Err(StoreError::NotFound {
                    what: "fichier",
                    key: attachment.upload_id.to_string(),
                }
                .into());
            }
        }
        self.apply_step(tx.as_mut(), actor, &case, &step, context(actor, now))
            .await?;
        let message = Message {
            id: Uuid::now_v7(),
            case_id,
            author_id: person,
            author_name: actor.person.display_name(),
            kind: kind.code().to_owned(),
            at: now,
            body: body.to_owned(),
            asks_photos: new.asks_photos && kind == MessageKind::Question,
            upload_ids: new.attachments.iter().map(|a| a.upload_id).collect(),
        };
        if !tx
            .insert_message(&message, new.idempotency_key.as_deref())
            .await?
        {
            return Err(StoreError::Conflict {
                what: "message",
                key: new.idempotency_key.clone().unwrap_or_default(),
            }
            .into());
        }
        let location = match serde_json::from_value::<Answers>(case.answers.clone()) {
            Ok(answers) => match answers.get("body_site") {
                Some(Answer::Text(site)) => Some(site.clone()),
                _ => None,
            },
            Err(_) => None,
        };
        for attachment in &new.attachments {
            // A reply's photo with no body site shows the lesion the
            // questionnaire locates, as a draft's photo does.
            let mut attachment = attachment.clone();
            if attachment.body_site.is_none() && attachment.item == "photos" {
                attachment.body_site.clone_from(&location);
            }
            let attachment = &attachment;
            tx.attach(case_id, attachment).await?;
            tx.link_message_upload(message.id, attachment.upload_id)
                .await?;
        }
        crate::stats::refresh(tx.as_mut(), case_id).await?;
        tx.commit().await?;
        Ok(message)
    }
}

async fn existing_message(tx: &mut dyn Tx, case_id: Uuid, id: Uuid) -> Result<Message, StepError> {
    tx.case_messages(case_id)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| {
            StoreError::Conflict {
                what: "clé d'idempotence",
                key: id.to_string(),
            }
            .into()
        })
}
