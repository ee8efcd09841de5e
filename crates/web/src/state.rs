use std::{sync::Arc, time::Duration};

use consilium_domain::Clock;
use consilium_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

/// Settings of the HTTP layer, taken from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address users reach Consilium at; links in pages and mail start with it.
    pub public_url: String,
    /// A request taking longer is answered 503 and abandoned.
    pub request_timeout: Duration,
    /// The largest request body accepted outside uploads, in bytes.
    pub body_limit: usize,
    /// True when started with `--demo`: pages may say how to sign in to the demo.
    pub demo: bool,
    /// Size and pixel limits of uploads.
    pub upload_limits: consilium_blobs::image::Limits,
    /// SHA-256 of the bearer token `/metrics` asks for (the token itself is
    /// not kept); without one, `/metrics` is 404.
    pub metrics_token_sha256: Option<[u8; 32]>,
    /// What one person may have pending in uploads.
    pub upload_quota: consilium_store::uploads::UploadQuota,
}

impl AppState {
    /// The form of a specialty.
    pub fn form(&self, specialty: &str) -> Option<&consilium_domain::questionnaire::Form> {
        self.forms
            .iter()
            .map(|(_, f)| f)
            .find(|f| f.specialty.as_str() == specialty)
    }
}

impl AppState {
    /// The form of a specialty in the reader's language (the questionnaire's
    /// translations; French where it has none).
    pub fn form_in(
        &self,
        specialty: &str,
        lang: crate::Lang,
    ) -> Option<consilium_domain::questionnaire::Form> {
        let (questionnaire, form) = self
            .forms
            .iter()
            .find(|(_, f)| f.specialty.as_str() == specialty)?;
        if lang.is_fr() {
            return Some(form.clone());
        }
        Some(
            questionnaire
                .to_form_in("questionnaire", "en")
                .unwrap_or_else(|_| form.clone()),
        )
    }

    /// Every specialty's form.
    pub fn all_forms(&self) -> Vec<&consilium_domain::questionnaire::Form> {
        self.forms.iter().map(|(_, f)| f).collect()
    }
}

impl AppState {
    /// What the store needs to (re)make a report.
    pub fn report_kit(&self) -> consilium_store::expertise::ReportKit<'_> {
        consilium_store::expertise::ReportKit {
            blobs: &self.blobs,
            renderer: Arc::clone(&self.reports),
            forms: self.all_forms(),
        }
    }
}

impl WebConfig {
    /// True when users reach Consilium over TLS, so cookies are `Secure` and HSTS is sent.
    pub fn behind_tls(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Everything a request handler may use; cloned per request (all fields are
/// cheap handles).
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store: every use case, on SQLite or PostgreSQL.
    pub store: Store,
    /// Each specialty's questionnaire (FHIR resource and form), loaded at start.
    pub forms: Arc<
        Vec<(
            consilium_fhir::Questionnaire,
            consilium_domain::questionnaire::Form,
        )>,
    >,
    /// Encrypted files (uploads, thumbnails, reports).
    pub blobs: consilium_blobs::BlobStore,
    /// Renders reports (compte rendu) to PDF.
    pub reports: Arc<dyn consilium_domain::report::RenderReport>,
    /// The source of "now"; a fixed clock in tests.
    pub clock: Arc<dyn Clock>,
    /// Renders the Prometheus text for `/metrics`.
    pub metrics: PrometheusHandle,
    /// HTTP settings.
    pub config: Arc<WebConfig>,
}
