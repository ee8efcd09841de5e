//! One module per feature, one handler per action.

mod account;
mod admin;
pub(crate) mod api;
mod assets;
mod audit;
pub(crate) mod cases;
pub(crate) use health::metrics_unguarded;
mod expertise;
mod fhir;
pub mod files;
mod health;
mod home;
mod not_found;
mod notifications;
mod requests;
mod session;
mod stats;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};

use crate::AppState;

/// Every route of the application.
pub fn routes(upload_body_limit: usize) -> Router<AppState> {
    // tus bodies are file chunks: their own, larger limit.
    let uploads = Router::new()
        .route(
            "/files/",
            axum::routing::options(files::options::show).post(files::create::submit),
        )
        .route(
            "/files/{id}",
            axum::routing::head(files::head::show)
                .patch(files::patch::submit)
                .delete(files::delete::submit),
        )
        .layer(DefaultBodyLimit::max(upload_body_limit));
    Router::new()
        .merge(uploads)
        .merge(fhir::routes(upload_body_limit))
        .route("/files/{id}/vignette", get(files::thumbnail::show))
        .route("/files/{id}/qualite", get(requests::photos::quality))
        .route("/", get(home::show))
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(health::metrics))
        .route("/static/app.css", get(assets::stylesheet))
        .route("/static/favicon.svg", get(assets::favicon))
        .route("/static/tus.min.js", get(assets::tus_client))
        .route("/static/upload.js", get(assets::upload_widget))
        .route("/demandes/{id}/pieces", post(requests::attach::submit))
        .route(
            "/demandes/{id}/suppression",
            post(requests::photos::delete_draft),
        )
        .route(
            "/demandes/{id}/pieces/{upload}/retrait",
            post(requests::photos::remove),
        )
        .route(
            "/connexion",
            get(session::sign_in::show).post(session::sign_in::submit),
        )
        .route(
            "/connexion/code",
            get(session::second_factor::show).post(session::second_factor::submit),
        )
        .route(
            "/connexion/enrolement",
            get(session::enrolment::show).post(session::enrolment::submit),
        )
        .route("/deconnexion", post(session::sign_out::submit))
        .route(
            "/compte/mot-de-passe",
            get(account::password::show).post(account::password::submit),
        )
        .route("/accueil", get(cases::list::show))
        .route("/demandes/nouvelle", get(requests::new::show))
        .route("/demandes", post(requests::new::submit))
        .route(
            "/demandes/{id}",
            get(requests::edit::show).post(requests::edit::submit),
        )
        .route("/dossiers/{id}", get(cases::show::show))
        .route("/file-attente", get(expertise::queue::show))
        .route("/stats", get(stats::show))
        .route("/stats/export.csv", get(stats::aggregates_csv))
        .route("/stats/facturation.csv", get(stats::billing_csv))
        .route("/notifications", get(notifications::list))
        .route("/notifications/lues", post(notifications::mark_read))
        .route(
            "/compte/notifications",
            get(account::notifications::show).post(account::notifications::submit),
        )
        .route("/notifications/flux", get(notifications::stream))
        .route("/static/notifications.js", get(assets::notifications))
        .route("/static/menu.js", get(assets::menu))
        .route("/dossiers/{id}/prise", post(expertise::steps::take))
        .route("/dossiers/{id}/refus", post(expertise::steps::decline))
        .route("/dossiers/{id}/attribution", post(expertise::steps::assign))
        .route("/dossiers/{id}/cloture", post(expertise::steps::close))
        .route("/dossiers/{id}/questions", post(expertise::messages::ask))
        .route("/dossiers/{id}/reponses", post(expertise::messages::reply))
        .route("/dossiers/{id}/avis", post(expertise::advice::submit))
        .route("/dossiers/{id}/rendez-vous", post(expertise::visit::submit))
        .route("/dossiers/{id}/convocation", get(expertise::visit::notice))
        .route(
            "/dossiers/{id}/compte-rendu/{report}",
            get(expertise::report::download),
        )
        .route("/static/viewer.js", get(assets::viewer))
        .route("/admin/utilisateurs", get(admin::users::list))
        .route(
            "/admin/utilisateurs/{id}/second-facteur",
            post(admin::users::reset_second_factor),
        )
        .route(
            "/admin/utilisateurs/{id}/desactivation",
            post(admin::users::deactivate),
        )
        .route("/journal", get(audit::list))
        .route("/api/me", get(api::me::show))
        .route("/api/openapi.json", get(api::openapi::show))
        .route("/api/cases", get(api::cases::list))
        .route("/api/cases/{id}", get(api::cases::show))
        .fallback(not_found::show)
}
