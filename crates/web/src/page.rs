//! What every HTML page shares: the navigation for a signed-in person, and
//! errors rendered as pages (a 404 page, never JSON, for a browser).

use askama::Template;
use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use consilium_store::{StoreError, auth::Actor};

use crate::{Lang, WebError};

/// The links in the header for a signed-in person.
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    /// Shows the team queue (experts and coordinators).
    pub queue: bool,
    /// Unread notifications (the bell's count).
    pub unread: i64,
    /// Shows the users page (organisation admins).
    pub manages_people: bool,
    /// Shows the audit page (coordinators and organisation admins).
    pub audits: bool,
    /// Shows the dashboards (coordinators, organisation and regional admins).
    pub stats: bool,
}

impl Nav {
    /// The navigation for `actor`.
    pub fn for_actor(actor: &Actor) -> Option<Self> {
        Some(Self {
            unread: actor.unread_notifications,
            queue: actor.caller.roles.iter().any(|r| {
                matches!(
                    r.role,
                    consilium_domain::directory::Role::Expert
                        | consilium_domain::directory::Role::Coordinator
                )
            }),
            manages_people: !actor.caller.administered_organizations().is_empty(),
            audits: !actor.caller.audited_organizations().is_empty(),
            stats: actor.caller.roles.iter().any(|r| {
                matches!(
                    r.role,
                    consilium_domain::directory::Role::Coordinator
                        | consilium_domain::directory::Role::OrgAdmin
                        | consilium_domain::directory::Role::RegionalAdmin
                )
            }),
        })
    }
}

/// Where a person's work is, for the page they land on once signed in: a
/// requester's requests, an expert's or coordinator's queue, an
/// administrator's dashboards (issue 15: nobody lands on an empty page).
pub fn landing(actor: &Actor) -> &'static str {
    use consilium_domain::directory::Role;
    let has = |role: Role| actor.caller.roles.iter().any(|r| r.role == role);
    if has(Role::Requester) {
        "/accueil"
    } else if has(Role::Expert) || has(Role::Coordinator) {
        "/file-attente"
    } else if has(Role::RegionalAdmin) || has(Role::OrgAdmin) {
        "/stats"
    } else {
        "/accueil"
    }
}

/// Keeps the half of a "français / English" message in the page's language.
pub fn localized(message: &str, lang: Lang) -> String {
    match message.split_once(" / ") {
        Some((fr, en)) => if lang.is_fr() { fr } else { en }.to_owned(),
        None => message.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    lang: Lang,
    nav: Option<Nav>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: Lang,
    nav: Option<Nav>,
    message: String,
}

/// The 404 page.
pub fn not_found(lang: Lang) -> Response {
    match (NotFoundPage { lang, nav: None }).render() {
        Ok(html) => (StatusCode::NOT_FOUND, Html(html)).into_response(),
        Err(err) => WebError::from(err).into_response(),
    }
}

/// An error from a page handler, shown as a page.
#[derive(Debug)]
pub struct PageError {
    /// What went wrong.
    pub error: WebError,
    /// In which language to say it.
    pub lang: Lang,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.error, WebError::Store(StoreError::NotFound { .. })) {
            return not_found(self.lang);
        }
        let status = self.error.status();
        let message = if status.is_server_error() {
            tracing::error!(error = %self.error, "page failed");
            self.lang
                .t(
                    "Erreur interne : l'incident est enregistré.",
                    "Internal error: the incident is logged.",
                )
                .to_owned()
        } else {
            localized(&self.error.to_string(), self.lang)
        };
        match (ErrorPage {
            lang: self.lang,
            nav: None,
            message,
        })
        .render()
        {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => WebError::from(err).into_response(),
        }
    }
}

/// Attaches the page's language to an error.
pub trait InLang<T> {
    /// Converts the error into a [`PageError`] in `lang`.
    fn in_lang(self, lang: Lang) -> Result<T, PageError>;
}

impl<T, E: Into<WebError>> InLang<T> for Result<T, E> {
    fn in_lang(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError {
            error: e.into(),
            lang,
        })
    }
}
