//! What the server implements, as data: each resource type, its
//! interactions and its search parameters (name, type, where the values are
//! in the resource). The search engine, the CapabilityStatement and the
//! routes read this one table, so the statement says exactly what is
//! implemented.

mod directory;
mod requests;

/// A search parameter's type (FHIR R4 `SearchParamType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A code, a Coding, a CodeableConcept, an Identifier or a boolean.
    Token,
    /// A Reference (or a canonical URL).
    Reference,
    /// A date, dateTime, instant or Period.
    Date,
    /// A string or the strings of a HumanName / Address.
    String,
    /// A URI, matched exactly.
    Uri,
}

impl ParamType {
    /// The FHIR code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Reference => "reference",
            Self::Date => "date",
            Self::String => "string",
            Self::Uri => "uri",
        }
    }
}

/// One search parameter of a resource type.
#[derive(Debug, PartialEq, Eq)]
pub struct SearchParam {
    /// Its name in the query.
    pub name: &'static str,
    /// Its type.
    pub kind: ParamType,
    /// Dotted paths to the values in the resource; arrays are walked.
    pub paths: &'static [&'static str],
    /// For a reference: the resource types it may point to.
    pub targets: &'static [&'static str],
    /// For a token with a required binding: the only codes it can have
    /// (anything else is refused as bad input rather than matching nothing).
    pub codes: &'static [&'static str],
    /// What it searches, for the CapabilityStatement.
    pub documentation: &'static str,
}

pub(super) const fn param(
    name: &'static str,
    kind: ParamType,
    paths: &'static [&'static str],
    documentation: &'static str,
) -> SearchParam {
    SearchParam {
        name,
        kind,
        paths,
        targets: &[],
        codes: &[],
        documentation,
    }
}

pub(super) const fn reference(
    name: &'static str,
    paths: &'static [&'static str],
    targets: &'static [&'static str],
    documentation: &'static str,
) -> SearchParam {
    SearchParam {
        name,
        kind: ParamType::Reference,
        paths,
        targets,
        codes: &[],
        documentation,
    }
}

pub(super) const fn coded(
    name: &'static str,
    paths: &'static [&'static str],
    codes: &'static [&'static str],
    documentation: &'static str,
) -> SearchParam {
    SearchParam {
        name,
        kind: ParamType::Token,
        paths,
        targets: &[],
        codes,
        documentation,
    }
}

use ParamType::{Date, Token};

/// The parameters every resource type has.
pub static COMMON_PARAMS: &[SearchParam] = &[
    param("_id", Token, &["id"], "The logical id"),
    param(
        "_lastUpdated",
        Date,
        &["meta.lastUpdated"],
        "When it last changed",
    ),
    param(
        "_tag",
        Token,
        &["meta.tag"],
        "A tag (a patient's identity status)",
    ),
];

/// What a client may do with a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interactions {
    /// `GET [type]/[id]` and `_history/[vid]` of the current version.
    pub read: bool,
    /// `GET [type]?…` and `POST [type]/_search`.
    pub search: bool,
    /// `POST [type]` (with `If-None-Exist` when `conditional_create`).
    pub create: bool,
    /// Conditional create.
    pub conditional_create: bool,
    /// `PUT` and `PATCH` (JSON Patch or merge patch) with `If-Match`.
    pub update: bool,
    /// Every version is kept: `_history` lists them all, vread reads each.
    pub history: bool,
}

pub(super) const READ_SEARCH: Interactions = Interactions {
    read: true,
    search: true,
    create: false,
    conditional_create: false,
    update: false,
    history: false,
};

/// A resource type the server knows.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceDef {
    /// Its name.
    pub name: &'static str,
    /// What may be done with it.
    pub interactions: Interactions,
    /// Its own search parameters (besides [`COMMON_PARAMS`]).
    pub params: &'static [SearchParam],
    /// The order of a search without `_sort`.
    pub default_sort: &'static [&'static str],
    /// What it is for here, for the CapabilityStatement.
    pub documentation: &'static str,
}

/// Every resource type, in the CapabilityStatement's order.
pub static RESOURCES: &[&ResourceDef] = &[
    &directory::PATIENT,
    &directory::PRACTITIONER,
    &directory::PRACTITIONER_ROLE,
    &directory::ORGANIZATION,
    &directory::HEALTHCARE_SERVICE,
    &directory::QUESTIONNAIRE,
    &requests::QUESTIONNAIRE_RESPONSE,
    &requests::SERVICE_REQUEST,
    &requests::TASK,
    &requests::COMMUNICATION,
    &requests::MEDIA,
    &requests::DOCUMENT_REFERENCE,
    &requests::APPOINTMENT,
    &directory::AUDIT_EVENT,
    &directory::BINARY,
];

/// The definition of a resource type.
pub fn resource_def(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().copied().find(|r| r.name == name)
}

impl ResourceDef {
    /// A search parameter of this type (its own or a common one).
    pub fn param(&self, name: &str) -> Option<&'static SearchParam> {
        // Statics: the iterator over a 'static slice yields 'static items.
        let own: &'static [SearchParam] = self.params;
        own.iter()
            .chain(COMMON_PARAMS.iter())
            .find(|p| p.name == name)
    }

    /// Every search parameter of this type, common ones last.
    pub fn all_params(&self) -> impl Iterator<Item = &'static SearchParam> {
        let own: &'static [SearchParam] = self.params;
        own.iter().chain(COMMON_PARAMS.iter())
    }

    /// Its reference parameters: what `_include` may follow.
    pub fn includes(&self) -> impl Iterator<Item = &'static SearchParam> {
        self.all_params().filter(|p| p.kind == ParamType::Reference)
    }
}

/// The `Type:param` pairs whose references point at `target`: what
/// `_revinclude` may follow into a search of `target`.
pub fn revincludes(
    target: &str,
) -> impl Iterator<Item = (&'static ResourceDef, &'static SearchParam)> {
    RESOURCES.iter().copied().flat_map(move |r| {
        r.includes()
            .filter(move |p| p.targets.contains(&target))
            .map(move |p| (r, p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        for r in RESOURCES {
            let mut names: Vec<&str> = r.all_params().map(|p| p.name).collect();
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{}: a parameter named twice", r.name);
            for p in r.all_params() {
                assert!(!p.paths.is_empty(), "{}.{}", r.name, p.name);
                assert_eq!(
                    p.kind == ParamType::Reference,
                    !p.targets.is_empty(),
                    "{}.{}: references and only they have targets",
                    r.name,
                    p.name
                );
                for target in p.targets {
                    assert!(
                        resource_def(target).is_some(),
                        "{}.{} → {target}",
                        r.name,
                        p.name
                    );
                }
            }
            for key in r.default_sort {
                assert!(
                    r.param(key.trim_start_matches('-')).is_some(),
                    "{} sorts by an unknown {key}",
                    r.name
                );
            }
        }
    }

    #[test]
    fn includes_that_matter_exist() {
        let include =
            |t: &str, p: &str| resource_def(t).and_then(|r| r.param(p)).map(|p| p.targets);
        assert_eq!(include("Task", "focus"), Some(&["ServiceRequest"][..]));
        assert_eq!(include("ServiceRequest", "subject"), Some(&["Patient"][..]));
        assert_eq!(include("Media", "based-on"), Some(&["ServiceRequest"][..]));
        assert_eq!(
            include("Communication", "based-on"),
            Some(&["ServiceRequest"][..])
        );
        let into_requests: Vec<String> = revincludes("ServiceRequest")
            .map(|(r, p)| format!("{}:{}", r.name, p.name))
            .collect();
        for wanted in [
            "Task:focus",
            "Media:based-on",
            "Communication:based-on",
            "DocumentReference:related",
        ] {
            assert!(into_requests.iter().any(|x| x == wanted), "{wanted}");
        }
    }
}
