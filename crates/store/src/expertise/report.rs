//! The advice and the appointment, which both (re)make the report: the PDF
//! is rendered and sealed in the blob store *before* the transaction that
//! records it, so a row never points at a missing blob; if that transaction
//! fails, the blob is deleted (or left to the sweeper after a crash).

use std::sync::Arc;

use consilium_blobs::BlobStore;
use consilium_domain::{
    access::CaseAction,
    expertise::{Advice, Step, StepContext},
    questionnaire::{Answer, Answers, Form},
    report::{
        RenderError, RenderReport, Report, ReportAnswer, ReportAppointment, ReportConsent,
        ReportMessage, ReportPatient, ReportPhoto, Signatory,
    },
};
use jiff::Timestamp;
use uuid::Uuid;

use super::{AdviceVersion, Appointment, NewAppointment, ReportDoc, StepError};
use crate::{
    Store, StoreError, Tx,
    audit::{self, AuditEntry, Outcome},
    auth::Actor,
    cases::CaseView,
};

/// What making a report needs besides the store.
#[derive(Debug, Clone)]
pub struct ReportKit<'a> {
    /// Where the photos are and the PDF goes.
    pub blobs: &'a BlobStore,
    /// Turns the content into a PDF.
    pub renderer: Arc<dyn RenderReport>,
    /// The questionnaires, to word the answers.
    pub forms: Vec<&'a Form>,
}

impl Store {
    /// Sends (or corrects) the advice, signed by the expert, and makes the
    /// report's next version. Sent advice never changes: a correction is a
    /// new version and both stay.
    pub async fn advise(
        &self,
        actor: &Actor,
        kit: &ReportKit<'_>,
        case_id: Uuid,
        advice: &Advice,
        key: Option<&str>,
        now: Timestamp,
    ) -> Result<AdviceVersion, StepError> {
        let tx = self.backend().begin().await?;
        let (mut tx, case) = self
            .case_for(tx, actor, case_id, CaseAction::Answer, now)
            .await?;
        if let Some(key) = key
            && let Some(message) = tx.message_by_key(actor.caller.person_id, key).await?
        {
            // A retry: the advice first sent with this key.
            return tx
                .case_advices(case_id)
                .await?
                .into_iter()
                .find(|a| a.message_id == message)
                .ok_or_else(|| {
                    StoreError::Conflict {
                        what: "clé d'idempotence",
                        key: key.to_owned(),
                    }
                    .into()
                });
        }
        let ctx = StepContext {
            actor_id: actor.caller.person_id,
            now,
            visit_asked: false,
        };
        case.task_state()?.after(&Step::Advise, ctx)?;
        let version = next_version(tx.case_advices(case_id).await?.len())?;
        let signed = AdviceVersion::signed_by(actor, case_id, version, Uuid::nil(), advice, now);
        let appointment = tx
            .case_appointments(case_id)
            .await?
            .pop()
            .map(|a| NewAppointment {
                starts_at: a.starts_at,
                place: a.place,
                instructions: a.instructions,
            });
        let content = self
            .report_content(tx.as_mut(), kit, &case, &signed, appointment.as_ref(), now)
            .await?;
        drop(tx);
        let pdf = self.seal_report(kit, content).await?;
        let written = async {
            let tx = self.backend().begin().await?;
            let (mut tx, current) = self
                .case_for(tx, actor, case_id, CaseAction::Answer, now)
                .await?;
            unchanged(&case, &current)?;
            let signed = self
                .insert_advice(tx.as_mut(), actor, &current, advice, key, now)
                .await?;
            self.record_report(tx.as_mut(), actor, &current, &pdf, signed.version, now)
                .await?;
            crate::stats::refresh(tx.as_mut(), case_id).await?;
            tx.commit().await?;
            Ok::<_, StepError>(signed)
        }
        .await;
        self.keep_or_drop(kit.blobs, &pdf, written).await
    }

    /// Proposes an in-person appointment (the advice must ask for one) and
    /// makes the report's next version, which states it.
    pub async fn propose_visit(
        &self,
        actor: &Actor,
        kit: &ReportKit<'_>,
        case_id: Uuid,
        new: &NewAppointment,
        now: Timestamp,
    ) -> Result<Appointment, StepError> {
        let tx = self.backend().begin().await?;
        let (mut tx, case) = self
            .case_for(tx, actor, case_id, CaseAction::ProposeVisit, now)
            .await?;
        let advice = tx
            .case_advices(case_id)
            .await?
            .pop()
            .ok_or(consilium_domain::expertise::FlowError::NoVisitAsked)?;
        let content = self
            .report_content(tx.as_mut(), kit, &case, &advice, Some(new), now)
            .await?;
        drop(tx);
        let pdf = self.seal_report(kit, content).await?;
        let written = async {
            let tx = self.backend().begin().await?;
            let (mut tx, current) = self
                .case_for(tx, actor, case_id, CaseAction::ProposeVisit, now)
                .await?;
            unchanged(&case, &current)?;
            let appointment = self
                .insert_visit(tx.as_mut(), actor, &current, new, now)
                .await?;
            self.record_report(tx.as_mut(), actor, &current, &pdf, advice.version, now)
                .await?;
            tx.commit().await?;
            Ok::<_, StepError>(appointment)
        }
        .await;
        self.keep_or_drop(kit.blobs, &pdf, written).await
    }

    /// A report's PDF, decrypted, for whoever may read its request;
    /// anyone else gets not found. Audited either way.
    pub async fn read_report(
        &self,
        actor: &Actor,
        blobs: &BlobStore,
        report_id: Uuid,
        now: Timestamp,
    ) -> Result<(ReportDoc, CaseView, Vec<u8>), StepError> {
        let mut tx = self.backend().begin().await?;
        let report = tx.report(report_id).await?;
        let case = match &report {
            Some(r) => tx.case_view(r.case_id).await?,
            None => None,
        };
        let readable = case.filter(|c| actor.caller.may(CaseAction::Read, &c.parties));
        let outcome = if readable.is_some() {
            Outcome::Success
        } else {
            Outcome::Denied
        };
        let entry = AuditEntry {
            object_id: Some(report_id),
            ..AuditEntry::about_case(actor, readable.as_ref(), "report.read", outcome, now)
        };
        audit::append(tx.as_mut(), self.audit_key(), entry).await?;
        tx.commit().await?;
        match (report, readable) {
            (Some(report), Some(case)) => {
                let pdf = blobs.get(&report.blob_key).await?;
                Ok((report, case, pdf))
            }
            _ => Err(StoreError::NotFound {
                what: "compte rendu",
                key: report_id.to_string(),
            }
            .into()),
        }
    }

    async fn report_content(
        &self,
        tx: &mut dyn Tx,
        kit: &ReportKit<'_>,
        case: &CaseView,
        advice: &AdviceVersion,
        appointment: Option<&NewAppointment>,
        now: Timestamp,
    ) -> Result<Report, StepError> {
        let requester = tx.person(case.parties.requester_id).await?;
        let specialty = tx
            .specialties()
            .await?
            .into_iter()
            .find(|s| s.code.as_str() == case.specialty_code)
            .map_or_else(|| case.specialty_code.clone(), |s| s.name_fr);
        let answers: Answers =
            serde_json::from_value(case.answers.clone()).map_err(StoreError::internal)?;
        let question = match answers.get("question") {
            Some(Answer::Text(text)) => text.clone(),
            _ => String::new(),
        };
        let lines = kit
            .forms
            .iter()
            .find(|f| f.specialty.as_str() == case.specialty_code)
            .map(|f| f.answer_lines(&answers))
            .unwrap_or_default();
        let mut photos = Vec::new();
        for attachment in tx.attachments(case.id).await? {
            let thumbnail = tx
                .upload(attachment.upload_id)
                .await?
                .and_then(|u| u.file)
                .and_then(|f| f.thumbnail_key);
            if let Some(key) = thumbnail {
                photos.push(ReportPhoto {
                    jpeg: kit.blobs.get(&key).await?,
                    caption: photo_caption(
                        attachment.body_site.as_deref(),
                        attachment.photo_kind.as_deref(),
                    ),
                });
            }
        }
        let exchanges = tx
            .case_messages(case.id)
            .await?
            .into_iter()
            .filter(|m| m.kind == "question" || m.kind == "reply")
            .map(|m| ReportMessage {
                author: m.author_name,
                from_expert: m.kind == "question",
                at: m.at,
                text: m.body,
                photos: m.upload_ids.len(),
            })
            .collect();
        let version = next_version(tx.case_reports(case.id).await?.len())?;
        let patient = &case.patient.identity;
        Ok(Report {
            reference: case.reference.clone(),
            version: u32::try_from(version).map_err(StoreError::internal)?,
            generated_at: now,
            specialty,
            requester: Signatory {
                name: case.requester_name.clone(),
                rpps: requester
                    .and_then(|p| p.practitioner)
                    .map(|p| p.rpps.to_string()),
                organization: case.site_name.clone(),
                finess: case.site_finess.clone(),
            },
            expert: Signatory {
                name: advice.author_name.clone(),
                rpps: advice.author_rpps.clone(),
                organization: case.centre_name.clone(),
                finess: case.centre_finess.clone(),
            },
            patient: ReportPatient {
                birth_family_name: patient.birth_family_name.to_string(),
                first_names: patient.first_names.to_string(),
                birth_date: patient.birth_date,
                sex: patient.sex.label_fr().to_owned(),
                ins: patient.ins.as_ref().map(ToString::to_string),
                identity_status: patient.identity_status.label_fr().to_owned(),
            },
            submitted_at: case.submitted_at.unwrap_or(case.created_at),
            question,
            // Only the requester who filed it records consent (on their draft).
            consent: case.consent_at.map(|at| ReportConsent {
                recorded_by: case.requester_name.clone(),
                at,
            }),
            exchanges,
            answers: lines
                .into_iter()
                .filter(|(q, _)| !q.is_empty())
                .filter(|(q, _)| {
                    kit.forms
                        .iter()
                        .flat_map(|f| f.item("question"))
                        .all(|item| &item.text != q)
                })
                .map(|(question, answer)| ReportAnswer { question, answer })
                .collect(),
            photos,
            advice: advice.advice.clone(),
            advice_version: u32::try_from(advice.version).map_err(StoreError::internal)?,
            signed_at: advice.signed_at,
            appointment: appointment.map(|a| ReportAppointment {
                starts_at: a.starts_at,
                place: a.place.trim().to_owned(),
                instructions: a.instructions.trim().to_owned(),
            }),
        })
    }

    /// Renders off the async executor, then seals the PDF.
    async fn seal_report(
        &self,
        kit: &ReportKit<'_>,
        content: Report,
    ) -> Result<SealedReport, StepError> {
        let renderer = Arc::clone(&kit.renderer);
        let version = content.version;
        let pdf = tokio::task::spawn_blocking(move || renderer.render(&content))
            .await
            .map_err(|e| RenderError(e.to_string()))??;
        let stored = kit.blobs.put(&pdf).await?;
        Ok(SealedReport {
            version: i32::try_from(version).map_err(StoreError::internal)?,
            blob_key: stored.key,
            size: i64::try_from(pdf.len()).map_err(StoreError::internal)?,
            sha256: consilium_blobs::sha256_hex(&pdf),
        })
    }

    async fn record_report(
        &self,
        tx: &mut dyn Tx,
        actor: &Actor,
        case: &CaseView,
        pdf: &SealedReport,
        advice_version: i32,
        now: Timestamp,
    ) -> Result<(), StepError> {
        let doc = ReportDoc {
            id: Uuid::now_v7(),
            case_id: case.id,
            version: pdf.version,
            advice_version,
            blob_key: pdf.blob_key.clone(),
            size: pdf.size,
            sha256: pdf.sha256.clone(),
            created_at: now,
        };
        if !tx.insert_report(&doc).await? {
            return Err(StoreError::Conflict {
                what: "compte rendu",
                key: format!("{} v{}", case.reference, pdf.version),
            }
            .into());
        }
        let entry = AuditEntry {
            object_id: Some(doc.id),
            ..AuditEntry::about_case(actor, Some(case), "report.create", Outcome::Success, now)
        };
        audit::append(tx, self.audit_key(), entry).await?;
        Ok(())
    }

    async fn keep_or_drop<T>(
        &self,
        blobs: &BlobStore,
        pdf: &SealedReport,
        written: Result<T, StepError>,
    ) -> Result<T, StepError> {
        if written.is_err() {
            // Nothing references it: remove it now rather than wait for the sweeper.
            if let Err(e) = blobs.delete(&pdf.blob_key).await {
                tracing::warn!(error = %e, key = %pdf.blob_key, "unreferenced report left to the sweeper");
            }
        }
        written
    }
}

/// A rendered, sealed PDF waiting for its row.
#[derive(Debug)]
struct SealedReport {
    version: i32,
    blob_key: String,
    size: i64,
    sha256: String,
}

fn next_version(existing: usize) -> Result<i32, StoreError> {
    i32::try_from(existing)
        .map(|n| n + 1)
        .map_err(StoreError::internal)
}

/// Someone moved the request while the report was being made.
fn unchanged(before: &CaseView, now: &CaseView) -> Result<(), StepError> {
    if before.revision == now.revision {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            what: "demande (modifiée entre-temps, rechargez la page)",
            key: now.reference.clone(),
        }
        .into())
    }
}

/// "Avant-bras gauche — gros plan".
pub fn photo_caption(body_site: Option<&str>, kind: Option<&str>) -> String {
    let kind = match kind {
        Some("overview") => Some("vue d'ensemble"),
        Some("close_up") => Some("gros plan"),
        Some("dermoscopic") => Some("dermoscopie"),
        _ => None,
    };
    match (body_site.map(str::trim).filter(|s| !s.is_empty()), kind) {
        (Some(site), Some(kind)) => format!("{site} — {kind}"),
        (Some(site), None) => site.to_owned(),
        (None, Some(kind)) => kind.to_owned(),
        (None, None) => "Photo".to_owned(),
    }
}
