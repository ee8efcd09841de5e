//! Notification mail over SMTP (lettre, rustls). A mail says only that
//! something awaits on a request, by its short reference, with a link that
//! needs signing in: never a patient's name, identity or clinical content.

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use uuid::Uuid;

use crate::config::Config;

/// Sends notification mail.
#[derive(Debug, Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

/// One mail, as the worker asks for it.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    /// To.
    pub to: &'a str,
    /// The recipient's name.
    pub name: &'a str,
    /// The request's short reference.
    pub reference: &'a str,
    /// The request, for the link.
    pub case_id: Uuid,
    /// What happened (`submit`, `ask`…).
    pub event: &'a str,
}

impl Mailer {
    /// The mailer `config` describes, or `None` when no SMTP server is set.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(url) = &config.smtp_url else {
            return Ok(None);
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .with_context(|| format!("--smtp-url invalide / invalid --smtp-url: {url}"))?;
        if let Some(file) = &config.smtp_password_file {
            let password = std::fs::read_to_string(file).with_context(|| {
                format!(
                    "--smtp-password-file illisible / unreadable: {}",
                    file.display()
                )
            })?;
            // smtp://user@host:port — the user name before the `@`, if any.
            let user = url
                .split_once("://")
                .and_then(|(_, rest)| rest.split_once('@'))
                .map(|(user, _)| user.split(':').next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user, password.trim().to_owned()));
        }
        Ok(Some(Self {
            transport: builder.build(),
            from: config.smtp_from.parse().context("--smtp-from")?,
            public_url: config.public_url(),
        }))
    }

    /// Sends one notice.
    pub async fn send(&self, notice: &Notice<'_>) -> anyhow::Result<()> {
        let to = Mailbox::new(Some(notice.name.to_owned()), notice.to.parse()?);
        let what = what_happened(notice.event);
        let link = format!("{}/dossiers/{}", self.public_url, notice.case_id);
        let body = format!(
            "Bonjour,\n\n\
             Demande de télé-expertise {reference} : {what}.\n\
             Connectez-vous à Consilium pour la consulter :\n{link}\n\n\
             Ce message ne contient aucune donnée de santé ; les informations sont sur la plateforme.\n\
             Vous pouvez choisir les notifications reçues par e-mail dans votre compte.\n\n\
             — Consilium, plateforme régionale de télémédecine\n",
            reference = notice.reference,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("[Consilium] {} : {what}", notice.reference))
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.transport.send(message).await?;
        Ok(())
    }
}

impl Mailer {
    /// Sends a person's daily summary: one line per notification, the
    /// reference, what happened and a link.
    pub async fn send_digest(
        &self,
        to: &str,
        name: &str,
        items: &[(String, String, Uuid)],
    ) -> anyhow::Result<()> {
        let to = Mailbox::new(Some(name.to_owned()), to.parse()?);
        let lines: String = items
            .iter()
            .map(|(reference, event, case_id)| {
                format!(
                    "- {reference} : {} — {}/dossiers/{case_id}\n",
                    what_happened(event),
                    self.public_url
                )
            })
            .collect();
        let body = format!(
            "Bonjour,\n\nVotre résumé du jour sur Consilium :\n\n{lines}\n{}\n\n{}\n",
            "Connectez-vous pour consulter ces demandes. Ce message ne contient aucune donnée de santé.",
            "— Consilium, plateforme régionale de télémédecine"
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!(
                "[Consilium] Résumé du jour : {} notification(s)",
                items.len()
            ))
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.transport.send(message).await?;
        Ok(())
    }
}

/// The event in words, in French (the mail's language).
fn what_happened(event: &str) -> &'static str {
    match event {
        "submit" => "nouvelle demande pour votre équipe",
        "take" => "votre demande a été acceptée par un expert",
        "decline" => "la demande a été déclinée",
        "assign" => "une demande vous a été attribuée",
        "ask" => "l'expert vous pose une question",
        "reply" => "le requérant a répondu à votre question",
        "advise" => "l'avis de l'expert est disponible",
        "advise-corrected" => "l'expert a corrigé son avis : relisez-le",
        "propose-visit" => "un rendez-vous est proposé",
        "close" => "le requérant a clôturé la demande",
        "deadline-soon" => "l'échéance de réponse approche (moins de 12 h)",
        "deadline-passed" => "l'échéance de réponse est dépassée",
        _ => "du nouveau",
    }
}
