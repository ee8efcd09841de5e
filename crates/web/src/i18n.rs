//! French first, English available: the language of a page is `?lang=`,
//! else the `lang` cookie, else the browser's first preference, else French.

use axum::{extract::FromRequestParts, http::request::Parts};

/// A language Consilium's pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Français (default).
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    /// True for French, the default (templates branch on it).
    pub fn is_fr(self) -> bool {
        self == Self::Fr
    }

    /// The French or the English text, for templates: `{{ lang.t("Oui", "Yes") }}`.
    pub fn t<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        if self.is_fr() { fr } else { en }
    }

    /// An instant as people read it: French local time (Europe/Paris, also
    /// for the overseas sites' hospitals, which are in mainland France).
    pub fn datetime(self, at: &jiff::Timestamp) -> String {
        let local = at
            .in_tz("Europe/Paris")
            .unwrap_or_else(|_| at.to_zoned(jiff::tz::TimeZone::UTC));
        if self.is_fr() {
            local.strftime("%d/%m/%Y à %H:%M").to_string()
        } else {
            local.strftime("%-d %b %Y, %H:%M (Paris)").to_string()
        }
    }

    /// How long ago `at` was, roughly, as people say it.
    pub fn since(self, at: &jiff::Timestamp, now: &jiff::Timestamp) -> String {
        let minutes = now.duration_since(*at).as_secs().max(0) / 60;
        if minutes == 0 {
            return self.t("à l'instant", "just now").to_owned();
        }
        let (n, fr, en) = match minutes {
            0..=59 => (minutes, "min", "min"),
            60..=2879 => (minutes / 60, "h", "h"),
            _ => (minutes / 1440, "j", "d"),
        };
        if self.is_fr() {
            format!("il y a {n} {fr}")
        } else {
            format!("{n} {en} ago")
        }
    }

    /// A calendar date (a birth date).
    pub fn date(self, date: &jiff::civil::Date) -> String {
        if self.is_fr() {
            date.strftime("%d/%m/%Y").to_string()
        } else {
            date.strftime("%-d %b %Y").to_string()
        }
    }

    /// The time left before a deadline, as a queue shows it: "47 h 12 min",
    /// "en retard de 3 h", or, on hold, "horloge arrêtée (23 h restantes)".
    pub fn time_left(self, left: Option<jiff::SignedDuration>, running: bool) -> String {
        let Some(left) = left else {
            return "—".to_owned();
        };
        let minutes = left.as_secs().abs() / 60;
        let amount = match minutes {
            0..=59 => format!("{minutes} min"),
            60..=2879 => format!("{} h {:02} min", minutes / 60, minutes % 60),
            _ => format!(
                "{} {} {} h",
                minutes / 1440,
                self.t("j", "d"),
                (minutes % 1440) / 60
            ),
        };
        match (running, left.is_negative(), self.is_fr()) {
            (false, _, true) => format!("horloge arrêtée ({amount} restantes)"),
            (false, _, false) => format!("clock stopped ({amount} left)"),
            (true, true, true) => format!("en retard de {amount}"),
            (true, true, false) => format!("{amount} overdue"),
            (true, false, true) => format!("reste {amount}"),
            (true, false, false) => format!("{amount} left"),
        }
    }

    /// A specialty (SNOMED CT code) in words.
    pub fn specialty(self, code: &str) -> &'static str {
        match code {
            "394582007" => self.t("Dermatologie", "Dermatology"),
            "394807007" => self.t("Infectiologie", "Infectious diseases"),
            "394579002" => self.t("Cardiologie", "Cardiology"),
            _ => self.t("Autre spécialité", "Other specialty"),
        }
    }

    /// "1 pièce", "3 pièces": a count with its noun, singular or plural.
    pub fn count(self, n: usize, fr: &(&str, &str), en: &(&str, &str)) -> String {
        let (&(fr_one, fr_many), &(en_one, en_many)) = (fr, en);
        let noun = match (self.is_fr(), n) {
            // French: 0 and 1 take the singular.
            (true, 0 | 1) => fr_one,
            (true, _) => fr_many,
            (false, 1) => en_one,
            (false, _) => en_many,
        };
        format!("{n} {noun}")
    }

    /// What the requester is told about a photo the quality check flagged
    /// (`blurred`, `too_dark`, `too_bright`), while it can still be replaced.
    pub fn photo_hint(self, hint: &str) -> &'static str {
        match hint {
            "blurred" => self.t(
                "Photo probablement floue : remplacez-la, ou retirez-la.",
                "Photo probably blurred: replace it, or remove it.",
            ),
            "too_dark" => self.t(
                "Photo trop sombre : remplacez-la par une photo prise avec plus de lumière.",
                "Photo too dark: replace it with one taken with more light.",
            ),
            _ => self.t(
                "Photo surexposée : remplacez-la par une photo prise sans flash.",
                "Photo overexposed: replace it with one taken without the flash.",
            ),
        }
    }

    /// What the expert sees on a photo the quality check flagged.
    pub fn photo_flag(self, hint: &str) -> &'static str {
        match hint {
            "blurred" => self.t("Signalée floue à l'envoi", "Flagged as blurred when sent"),
            "too_dark" => self.t(
                "Signalée trop sombre à l'envoi",
                "Flagged as too dark when sent",
            ),
            _ => self.t(
                "Signalée surexposée à l'envoi",
                "Flagged as overexposed when sent",
            ),
        }
    }

    /// A calendar month in words ("mars 2026", "March 2026").
    pub fn month(self, month: &consilium_domain::stats::Month) -> String {
        if self.is_fr() {
            month.label_fr()
        } else {
            month.label_en()
        }
    }

    /// Why a request was declined, in words.
    pub fn decline_kind(self, kind: &consilium_domain::expertise::DeclineKind) -> &'static str {
        if self.is_fr() {
            return kind.label_fr();
        }
        match kind.code() {
            "out_of_scope" => "Outside the team's scope",
            "needs_visit" => "Needs an in-person consultation",
            "missing_information" => "Not enough information or photos",
            "unavailable" => "Team unavailable in time",
            _ => "Other reason",
        }
    }

    /// A patient's sex in words.
    pub fn sex(self, sex: &consilium_domain::patient::Sex) -> &'static str {
        if self.is_fr() {
            return sex.label_fr();
        }
        match sex.code() {
            "female" => "Female",
            "male" => "Male",
            _ => "Undetermined",
        }
    }

    /// How far an identity was checked (INS rules), in words.
    pub fn identity_status(
        self,
        status: &consilium_domain::patient::IdentityStatus,
    ) -> &'static str {
        if self.is_fr() {
            return status.label_fr();
        }
        match status.code() {
            "provisoire" => "Provisional identity",
            "recuperee" => "Identity retrieved (INS service)",
            "validee" => "Identity validated (document seen)",
            _ => "Qualified identity",
        }
    }

    /// A photo's view in words.
    pub fn photo_kind(self, code: &str) -> &'static str {
        match code {
            "overview" => self.t("Vue d'ensemble (20 cm)", "Overview (20 cm)"),
            "close_up" => self.t("Gros plan", "Close-up"),
            "dermoscopic" => self.t("Dermoscopie", "Dermoscopy"),
            _ => self.t("Autre vue", "Other view"),
        }
    }

    /// A requesting site's kind in words.
    pub fn site_kind(self, code: &str) -> &'static str {
        match code {
            "practice" => self.t("Cabinet", "Practice"),
            "health_centre" => self.t("Centre de santé", "Health centre"),
            "nursing_home" => self.t("EHPAD", "Nursing home"),
            "disability_facility" => self.t("Établissement handicap", "Disability facility"),
            "resource_centre" => self.t("Centre de ressources", "Resource centre"),
            _ => self.t("Autre", "Other"),
        }
    }

    /// What a notification says happened (no health data: the reference is
    /// shown beside it).
    pub fn notification(self, event: &str) -> &'static str {
        match event {
            "submit" => self.t(
                "nouvelle demande pour votre équipe",
                "new request for your team",
            ),
            "take" => self.t(
                "votre demande a été acceptée par un expert",
                "your request was accepted by an expert",
            ),
            "decline" => self.t(
                "demande déclinée par l'expert",
                "request declined by the expert",
            ),
            "assign" => self.t(
                "une demande vous a été attribuée",
                "a request was assigned to you",
            ),
            "ask" => self.t(
                "l'expert vous pose une question",
                "the expert asks you a question",
            ),
            "reply" => self.t(
                "le requérant a répondu à votre question",
                "the requester answered your question",
            ),
            "advise" => self.t(
                "l'avis de l'expert est disponible",
                "the expert's advice is available",
            ),
            "advise-corrected" => self.t(
                "l'expert a corrigé son avis : relisez-le",
                "the expert corrected the advice: read it again",
            ),
            "propose-visit" => self.t("un rendez-vous est proposé", "an appointment is proposed"),
            "close" => self.t(
                "le requérant a clôturé la demande",
                "the requester closed the request",
            ),
            "deadline-soon" => self.t(
                "l'échéance de réponse approche (moins de 12 h)",
                "the answer is due in less than 12 h",
            ),
            "deadline-passed" => self.t(
                "l'échéance de réponse est dépassée",
                "the answer is overdue",
            ),
            _ => self.t("du nouveau sur une demande", "news on a request"),
        }
    }

    /// A history step in words.
    pub fn step(self, code: &str) -> &'static str {
        match code {
            "submit" => self.t("Envoyée", "Sent"),
            "assign" => self.t("Attribuée", "Assigned"),
            "take" => self.t("Acceptée par l'expert", "Accepted by the expert"),
            "decline" => self.t("Déclinée", "Declined"),
            "start" => self.t("Expertise commencée", "Work started"),
            "ask" => self.t("Question au requérant", "Question to the requester"),
            "reply" => self.t("Réponse du requérant", "Requester's reply"),
            "advise" => self.t("Avis envoyé", "Advice sent"),
            "propose-visit" => self.t("Rendez-vous proposé", "Appointment proposed"),
            "close" => self.t("Clôturée", "Closed"),
            _ => self.t("Étape", "Step"),
        }
    }

    /// A case's status in words.
    pub fn status(self, code: &str) -> &'static str {
        let (fr, en) = match code {
            "draft" => ("Brouillon", "Draft"),
            "requested" => (
                "Envoyée, en attente de prise en charge",
                "Sent, waiting to be taken",
            ),
            "accepted" => ("Acceptée", "Accepted"),
            "rejected" => ("Refusée", "Declined"),
            "in-progress" => ("En cours d'expertise", "Being answered"),
            "on-hold" => (
                "Question de l'expert en attente de réponse",
                "Expert's question waiting for an answer",
            ),
            "completed" => ("Terminée", "Completed"),
            "cancelled" => ("Annulée", "Cancelled"),
            _ => ("Statut inconnu", "Unknown status"),
        };
        if self.is_fr() { fr } else { en }
    }

    pub(crate) fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .trim()
            .split(['-', '_', ';'])
            .next()?
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Self::Fr),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// Picks the language of a request.
    pub fn negotiate(
        query: Option<&str>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
    ) -> Self {
        let from_query = query.and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.strip_prefix("lang="))
                .find_map(Self::from_tag)
        });
        let from_cookie = cookie.and_then(|c| {
            c.split(';')
                .filter_map(|pair| pair.trim().strip_prefix("lang="))
                .find_map(Self::from_tag)
        });
        let from_browser =
            accept_language.and_then(|a| a.split(',').next().and_then(Self::from_tag));
        from_query
            .or(from_cookie)
            .or(from_browser)
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        Ok(Self::negotiate(
            parts.uri.query(),
            header(axum::http::header::COOKIE),
            header(axum::http::header::ACCEPT_LANGUAGE),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_time_across_daylight_saving() {
        let summer: jiff::Timestamp = "2026-07-01T08:00:00Z".parse().unwrap();
        let winter: jiff::Timestamp = "2026-11-20T09:12:00Z".parse().unwrap();
        assert_eq!(Lang::Fr.datetime(&summer), "01/07/2026 à 10:00");
        assert_eq!(Lang::Fr.datetime(&winter), "20/11/2026 à 10:12");
        assert_eq!(Lang::En.datetime(&winter), "20 Nov 2026, 10:12 (Paris)");
        assert_eq!(
            Lang::Fr.status("on-hold"),
            "Question de l'expert en attente de réponse"
        );
        let now: jiff::Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let sent: jiff::Timestamp = "2026-11-23T07:00:00Z".parse().unwrap();
        assert_eq!(Lang::Fr.since(&sent, &now), "il y a 3 h");
        assert_eq!(Lang::En.since(&sent, &now), "3 h ago");
        assert_eq!(Lang::Fr.status("draft"), "Brouillon");
        assert_eq!(
            Lang::Fr.since(&now, &now),
            "à l'instant",
            "not 'il y a 0 min'"
        );
    }

    #[test]
    fn french_unless_asked_otherwise() {
        assert_eq!(Lang::negotiate(None, None, None), Lang::Fr);
        assert_eq!(
            Lang::negotiate(None, None, Some("de-DE,de;q=0.9")),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("en-GB,en;q=0.9")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, Some("a=b; lang=en"), Some("fr")),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(Some("x=1&lang=fr"), Some("lang=en"), None),
            Lang::Fr
        );
    }
}
