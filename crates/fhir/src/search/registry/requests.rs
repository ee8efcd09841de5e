//! The request and what hangs on it: answers, the request and its Task,
//! the thread, photos, reports and the visit.

use super::{
    Interactions,
    ParamType::{Date, Token},
    READ_SEARCH, ResourceDef, coded, param, reference,
};

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

pub static QUESTIONNAIRE_RESPONSE: ResourceDef = ResourceDef {
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
};

pub static SERVICE_REQUEST: ResourceDef = ResourceDef {
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
};

pub static TASK: ResourceDef = ResourceDef {
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
};

pub static COMMUNICATION: ResourceDef = ResourceDef {
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
};

pub static MEDIA: ResourceDef = ResourceDef {
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
};

pub static DOCUMENT_REFERENCE: ResourceDef = ResourceDef {
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
};

pub static APPOINTMENT: ResourceDef = ResourceDef {
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
};
