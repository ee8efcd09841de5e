//! Patients, the region's directory, questionnaires, the audit trail and
//! files.

use super::{
    Interactions,
    ParamType::{Date, String as Text, Token, Uri},
    READ_SEARCH, ResourceDef, coded, param, reference,
};

pub static PATIENT: ResourceDef = ResourceDef {
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
};

pub static PRACTITIONER: ResourceDef = ResourceDef {
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
};

pub static PRACTITIONER_ROLE: ResourceDef = ResourceDef {
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
};

pub static ORGANIZATION: ResourceDef = ResourceDef {
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
};

pub static HEALTHCARE_SERVICE: ResourceDef = ResourceDef {
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
};

pub static QUESTIONNAIRE: ResourceDef = ResourceDef {
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
};

pub static AUDIT_EVENT: ResourceDef = ResourceDef {
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
};

pub static BINARY: ResourceDef = ResourceDef {
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
};
