//! What the server implements, as data: each resource type, its
//! interactions and its search parameters (name, type, where the values are
//! in the resource). The search engine, the CapabilityStatement and the
//! routes read this one table, so the statement says exactly what is
//! implemented.

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

const fn param(
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

const fn reference(
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

const fn coded(
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

use ParamType::{Date, String as Text, Token, Uri};

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

const READ_SEARCH: Interactions = Interactions {
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

const TASK_STATUS: &[&str] = &[
    "draft",
    "requested",
    "received",
    "accepted",
    "rejected",
    "ready",
    "cancelled",
    "in-progress",
    "on-hold",
    "failed",
    "completed",
    "entered-in-error",
];
const REQUEST_STATUS: &[&str] = &[
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
];

/// Every resource type, in the CapabilityStatement's order.
pub static RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        name: "Patient",
        interactions: Interactions {
            create: true,
            conditional_create: true,
            ..READ_SEARCH
        },
        params: &[
            param(
                "identifier",
                Token,
                &["identifier"],
                "INS (urn:oid:1.2.250.1.213.1.4.8|…)",
            ),
            param("family", Text, &["name.family"], "Birth family name"),
            param("given", Text, &["name.given"], "First names"),
            param("name", Text, &["name"], "Any part of the name"),
            param("birthdate", Date, &["birthDate"], "Birth date"),
            coded(
                "gender",
                &["gender"],
                &["male", "female", "other", "unknown"],
                "Administrative sex",
            ),
        ],
        default_sort: &["family", "given", "_id"],
        documentation: "The patients of the caller's requesting site and of the requests they may read. Identity status (provisoire, récupérée, validée, qualifiée) is a meta.tag.",
    },
    ResourceDef {
        name: "Practitioner",
        interactions: READ_SEARCH,
        params: &[
            param(
                "identifier",
                Token,
                &["identifier"],
                "RPPS (urn:oid:1.2.250.1.71.4.2.1|…)",
            ),
            param("family", Text, &["name.family"], "Family name"),
            param("given", Text, &["name.given"], "Given names"),
            param("name", Text, &["name"], "Any part of the name"),
            coded("active", &["active"], &["true", "false"], "Still active"),
        ],
        default_sort: &["family", "given", "_id"],
        documentation: "The region's professionals (directory; no contact details).",
    },
    ResourceDef {
        name: "PractitionerRole",
        interactions: READ_SEARCH,
        params: &[
            reference("practitioner", &["practitioner"], &["Practitioner"], "Who"),
            reference(
                "organization",
                &["organization"],
                &["Organization"],
                "Where",
            ),
            reference(
                "service",
                &["healthcareService"],
                &["HealthcareService"],
                "In which team",
            ),
            param(
                "role",
                Token,
                &["code"],
                "requester, expert, coordinator, org_admin, regional_admin",
            ),
            param(
                "specialty",
                Token,
                &["specialty"],
                "The team's specialty (SNOMED CT)",
            ),
            coded(
                "active",
                &["active"],
                &["true", "false"],
                "The person is active",
            ),
        ],
        default_sort: &["_id"],
        documentation: "A person's role in an organisation (and team).",
    },
    ResourceDef {
        name: "Organization",
        interactions: READ_SEARCH,
        params: &[
            param(
                "identifier",
                Token,
                &["identifier"],
                "FINESS (urn:oid:1.2.250.1.71.4.2.2|…)",
            ),
            param("name", Text, &["name"], "Name"),
            param(
                "type",
                Token,
                &["type"],
                "Kind of site (resource_centre, practice…)",
            ),
            param("address-city", Text, &["address.city"], "Town"),
            coded("active", &["active"], &["true", "false"], "Active"),
        ],
        default_sort: &["name", "_id"],
        documentation: "Resource centres, requesting sites and the regional agency.",
    },
    ResourceDef {
        name: "HealthcareService",
        interactions: READ_SEARCH,
        params: &[
            reference(
                "organization",
                &["providedBy"],
                &["Organization"],
                "The resource centre",
            ),
            param("specialty", Token, &["specialty"], "Specialty (SNOMED CT)"),
            param("name", Text, &["name"], "Name"),
            coded("active", &["active"], &["true", "false"], "Active"),
        ],
        default_sort: &["name", "_id"],
        documentation: "A specialty team of a resource centre: where requests are addressed.",
    },
    ResourceDef {
        name: "Questionnaire",
        interactions: READ_SEARCH,
        params: &[
            param("url", Uri, &["url"], "Canonical URL"),
            param("name", Text, &["name"], "Computer-friendly name"),
            param("title", Text, &["title"], "Title"),
            coded(
                "status",
                &["status"],
                &["draft", "active", "retired", "unknown"],
                "Status",
            ),
            param(
                "context",
                Token,
                &["useContext.valueCodeableConcept"],
                "Specialty (SNOMED CT)",
            ),
            param("version", Token, &["version"], "Business version"),
        ],
        default_sort: &["name", "_id"],
        documentation: "One questionnaire per specialty; consent, history, treatments and allergies are required.",
    },
    ResourceDef {
        name: "QuestionnaireResponse",
        interactions: READ_SEARCH,
        params: &[
            reference("subject", &["subject"], &["Patient"], "The patient"),
            reference("patient", &["subject"], &["Patient"], "The patient"),
            reference("author", &["author"], &["Practitioner"], "The requester"),
            reference("based-on", &["basedOn"], &["ServiceRequest"], "The request"),
            reference(
                "questionnaire",
                &["questionnaire"],
                &["Questionnaire"],
                "The questionnaire (canonical URL)",
            ),
            coded(
                "status",
                &["status"],
                &[
                    "in-progress",
                    "completed",
                    "amended",
                    "entered-in-error",
                    "stopped",
                ],
                "Status",
            ),
            param(
                "authored",
                Date,
                &["authored"],
                "When consent and answers were recorded",
            ),
        ],
        default_sort: &["-_lastUpdated", "_id"],
        documentation: "A request's answers. Created inside the transaction that files the request.",
    },
    ResourceDef {
        name: "ServiceRequest",
        interactions: Interactions {
            history: true,
            ..READ_SEARCH
        },
        params: &[
            reference("subject", &["subject"], &["Patient"], "The patient"),
            reference("patient", &["subject"], &["Patient"], "The patient"),
            reference(
                "requester",
                &["requester"],
                &["Practitioner"],
                "The requester",
            ),
            reference(
                "performer",
                &["performer"],
                &["HealthcareService"],
                "The team asked",
            ),
            coded("status", &["status"], REQUEST_STATUS, "Status"),
            coded(
                "intent",
                &["intent"],
                &[
                    "proposal",
                    "plan",
                    "directive",
                    "order",
                    "original-order",
                    "reflex-order",
                    "filler-order",
                    "instance-order",
                    "option",
                ],
                "Intent",
            ),
            coded(
                "priority",
                &["priority"],
                &["routine", "urgent", "asap", "stat"],
                "Priority",
            ),
            param("code", Token, &["code"], "Specialty (SNOMED CT)"),
            param("category", Token, &["category"], "tele-expertise"),
            param("authored", Date, &["authoredOn"], "When it was sent"),
            param(
                "identifier",
                Token,
                &["identifier"],
                "The short reference (TE-…)",
            ),
        ],
        default_sort: &["-_lastUpdated", "_id"],
        documentation: "A tele-expertise request. Filed by a transaction Bundle (Patient, QuestionnaireResponse, Media, ServiceRequest); every step is a version.",
    },
    ResourceDef {
        name: "Task",
        interactions: Interactions {
            update: true,
            history: true,
            ..READ_SEARCH
        },
        params: &[
            reference("focus", &["focus"], &["ServiceRequest"], "The request"),
            reference("subject", &["for"], &["Patient"], "The patient"),
            reference("patient", &["for"], &["Patient"], "The patient"),
            reference(
                "owner",
                &["owner"],
                &["Practitioner", "HealthcareService"],
                "The expert, or the team before one takes it",
            ),
            reference(
                "requester",
                &["requester"],
                &["Practitioner"],
                "The requester",
            ),
            coded("status", &["status"], TASK_STATUS, "Status"),
            param(
                "business-status",
                Token,
                &["businessStatus"],
                "answered once the advice is sent",
            ),
            coded(
                "intent",
                &["intent"],
                &[
                    "unknown",
                    "proposal",
                    "plan",
                    "order",
                    "original-order",
                    "reflex-order",
                    "filler-order",
                    "instance-order",
                    "option",
                ],
                "Intent",
            ),
            coded(
                "priority",
                &["priority"],
                &["routine", "urgent", "asap", "stat"],
                "Priority",
            ),
            param(
                "authored-on",
                Date,
                &["authoredOn"],
                "When the request was started",
            ),
            param("modified", Date, &["lastModified"], "When it last moved"),
            param(
                "deadline",
                Date,
                &["restriction.period.end"],
                "When the answer is due (none while on hold)",
            ),
        ],
        default_sort: &["deadline", "_id"],
        documentation: "A request's progress: requested → accepted/rejected → in-progress ⇄ on-hold → completed. PUT or PATCH moves it as the rules allow (409 otherwise); If-Match with a stale version is 412. A search without _sort is a queue: soonest deadline first.",
    },
    ResourceDef {
        name: "Communication",
        interactions: Interactions {
            create: true,
            ..READ_SEARCH
        },
        params: &[
            reference("based-on", &["basedOn"], &["ServiceRequest"], "The request"),
            reference("subject", &["subject"], &["Patient"], "The patient"),
            reference("patient", &["subject"], &["Patient"], "The patient"),
            reference("sender", &["sender"], &["Practitioner"], "Who wrote it"),
            reference(
                "recipient",
                &["recipient"],
                &["Practitioner"],
                "Who it is for",
            ),
            param(
                "category",
                Token,
                &["category"],
                "question, reply or advice",
            ),
            param("sent", Date, &["sent"], "When it was sent"),
            coded(
                "status",
                &["status"],
                &[
                    "preparation",
                    "in-progress",
                    "not-done",
                    "on-hold",
                    "stopped",
                    "completed",
                    "entered-in-error",
                    "unknown",
                ],
                "Status",
            ),
            param("identifier", Token, &["identifier"], "An advice's version"),
        ],
        default_sort: &["sent", "_id"],
        documentation: "The thread of a request: an expert's question (puts the Task on hold), the requester's reply (with Binary photos), the advice (makes the report). Immutable once sent.",
    },
    ResourceDef {
        name: "Media",
        interactions: READ_SEARCH,
        params: &[
            reference("based-on", &["basedOn"], &["ServiceRequest"], "The request"),
            reference("subject", &["subject"], &["Patient"], "The patient"),
            reference("patient", &["subject"], &["Patient"], "The patient"),
            coded(
                "status",
                &["status"],
                &[
                    "preparation",
                    "in-progress",
                    "not-done",
                    "on-hold",
                    "stopped",
                    "completed",
                    "entered-in-error",
                    "unknown",
                ],
                "Status",
            ),
            param(
                "view",
                Token,
                &["view"],
                "overview, close_up or dermoscopic",
            ),
            param(
                "created",
                Date,
                &["createdDateTime"],
                "When it was uploaded",
            ),
        ],
        default_sort: &["created", "_id"],
        documentation: "A photo or document of a request; its content is Binary/{id}, stripped of metadata.",
    },
    ResourceDef {
        name: "DocumentReference",
        interactions: Interactions {
            history: true,
            ..READ_SEARCH
        },
        params: &[
            reference(
                "related",
                &["context.related"],
                &["ServiceRequest"],
                "The request",
            ),
            reference("subject", &["subject"], &["Patient"], "The patient"),
            reference("patient", &["subject"], &["Patient"], "The patient"),
            reference("author", &["author"], &["Practitioner"], "The expert"),
            coded(
                "status",
                &["status"],
                &["current", "superseded", "entered-in-error"],
                "current, or superseded by a corrected version",
            ),
            param("type", Token, &["type"], "LOINC 11488-4"),
            param("date", Date, &["date"], "When it was made"),
        ],
        default_sort: &["date", "_id"],
        documentation: "The report (compte rendu) of each advice version; the PDF is Binary/{id}.",
    },
    ResourceDef {
        name: "Appointment",
        interactions: READ_SEARCH,
        params: &[
            reference("based-on", &["basedOn"], &["ServiceRequest"], "The request"),
            reference(
                "patient",
                &["participant.actor"],
                &["Patient"],
                "The patient",
            ),
            reference(
                "actor",
                &["participant.actor"],
                &["Patient", "Practitioner"],
                "A participant",
            ),
            coded(
                "status",
                &["status"],
                &[
                    "proposed",
                    "pending",
                    "booked",
                    "arrived",
                    "fulfilled",
                    "cancelled",
                    "noshow",
                    "entered-in-error",
                    "checked-in",
                    "waitlist",
                ],
                "Status",
            ),
            param("date", Date, &["start"], "When"),
        ],
        default_sort: &["date", "_id"],
        documentation: "An in-person visit organised by the resource centre.",
    },
    ResourceDef {
        name: "AuditEvent",
        interactions: READ_SEARCH,
        params: &[
            param("date", Date, &["recorded"], "When"),
            reference("agent", &["agent.who"], &["Practitioner"], "Who acted"),
            reference(
                "patient",
                &["entity.what"],
                &["Patient"],
                "About which patient",
            ),
            reference(
                "entity",
                &["entity.what"],
                &["ServiceRequest", "Patient"],
                "About what",
            ),
            param(
                "subtype",
                Token,
                &["subtype"],
                "What was done (case.read, case.search…)",
            ),
            coded(
                "action",
                &["action"],
                &["C", "R", "U", "D", "E"],
                "Create, read, update, delete, execute",
            ),
            coded(
                "outcome",
                &["outcome"],
                &["0", "4", "8", "12"],
                "0 success, 4 refused or not found, 8 failure",
            ),
            param("type", Token, &["type"], "rest or security"),
        ],
        default_sort: &["-date"],
        documentation: "The access trail of the caller's organisation (coordinators and organisation admins), shaped like IHE Basic Audit Log Patterns. Read and search only; reading it is itself recorded.",
    },
    ResourceDef {
        name: "Binary",
        interactions: Interactions {
            read: true,
            search: false,
            create: false,
            conditional_create: false,
            update: false,
            history: false,
        },
        params: &[],
        default_sort: &[],
        documentation: "A photo, document or report PDF, decrypted for whoever may read its request. Raw bytes by default, the Binary resource with Accept: application/fhir+json. Uploads come by tus at /files/.",
    },
];

/// The definition of a resource type.
pub fn resource_def(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().find(|r| r.name == name)
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
    RESOURCES.iter().flat_map(move |r| {
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
