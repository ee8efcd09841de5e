//! The CapabilityStatement, built from the same table the server runs on
//! ([`crate::search::registry`]), so it states exactly what is implemented.

use serde_json::{Value, json};

use crate::{
    bundle::MAX_ENTRIES,
    search::registry::{RESOURCES, ResourceDef, revincludes},
};

const SECURITY_SERVICE: &str = "http://terminology.hl7.org/CodeSystem/restful-security-service";

fn interactions(r: &ResourceDef) -> Vec<Value> {
    let i = r.interactions;
    let mut codes = Vec::new();
    if i.read {
        codes.push("read");
    }
    // A Binary is its bytes: no versions to read.
    if i.read && r.name != "Binary" {
        codes.push("vread");
    }
    if i.update {
        codes.extend(["update", "patch"]);
    }
    if i.read && r.name != "Binary" {
        codes.push("history-instance");
    }
    if i.create {
        codes.push("create");
    }
    if i.search {
        codes.push("search-type");
    }
    codes
        .into_iter()
        .map(|code| json!({ "code": code }))
        .collect()
}

fn resource(r: &ResourceDef) -> Value {
    let mut entry = json!({
        "type": r.name,
        "documentation": r.documentation,
        "interaction": interactions(r),
        "versioning": if r.interactions.update { "versioned-update" } else { "versioned" },
        "readHistory": r.interactions.history,
        "updateCreate": false,
        "conditionalCreate": r.interactions.conditional_create,
        "conditionalRead": "not-supported",
        "conditionalUpdate": false,
        "conditionalDelete": "not-supported",
    });
    if r.interactions.search {
        entry["searchParam"] = json!(
            r.all_params()
                .map(|p| json!({
                    "name": p.name,
                    "type": p.kind.code(),
                    "documentation": p.documentation,
                }))
                .collect::<Vec<_>>()
        );
        let includes: Vec<String> = r
            .includes()
            .map(|p| format!("{}:{}", r.name, p.name))
            .collect();
        if !includes.is_empty() {
            entry["searchInclude"] = json!(includes);
        }
        let revs: Vec<String> = revincludes(r.name)
            .map(|(source, p)| format!("{}:{}", source.name, p.name))
            .collect();
        if !revs.is_empty() {
            entry["searchRevInclude"] = json!(revs);
        }
    }
    entry
}

/// The CapabilityStatement of the server at `base` (its FHIR base URL).
pub fn capability_statement(base: &str, software_version: &str) -> Value {
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-30",
        "publisher": "Consilium",
        "kind": "instance",
        "software": { "name": "Consilium", "version": software_version },
        "implementation": { "description": "Consilium — télé-expertise régionale / regional tele-expertise", "url": base },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "patchFormat": ["application/json-patch+json", "application/merge-patch+json"],
        "rest": [{
            "mode": "server",
            "documentation": "Every interaction goes through the same access policy and audit trail as the pages: what the caller may not read does not exist (404), and never counts in a total, an include or a history. Searches: parameters of one name are AND'ed, values separated by commas OR'ed; Prefer: handling=strict refuses unknown parameters (400), lenient (the default) ignores them and says so in an OperationOutcome entry. Pages (next/previous) replay the result list as it was when the search ran, for an hour. Creates accept Idempotency-Key; Patient accepts If-None-Exist. Responses carry ETag and Last-Modified; Prefer: return=minimal|representation|OperationOutcome.",
            "security": {
                "cors": false,
                "service": [{ "coding": [{ "system": SECURITY_SERVICE, "code": "OAuth", "display": "OAuth" }],
                    "text": "Bearer tokens (RFC 6750)" }],
                "description": "Authorization: Bearer <token>. Tokens act as one person, are issued by an operator (consilium token create --user EMAIL --ttl 30d), stored hashed, revocable and audited. A signed-in browser session (password and TOTP) works too.",
            },
            "resource": RESOURCES.iter().map(|r| resource(r)).collect::<Vec<_>>(),
            "interaction": [
                { "code": "transaction", "documentation": format!("Files a request: Patient (or a reference to a known one), QuestionnaireResponse, Media (Binary/{{id}} of a tus upload, or inline data) and ServiceRequest, all or nothing. A transaction of reads only is answered like a batch; other writes go one per batch entry. At most {MAX_ENTRIES} entries (more: 413 too-costly).") },
                { "code": "batch", "documentation": format!("Each entry (GET, POST, PUT, PATCH) is processed on its own, with the caller's rights. At most {MAX_ENTRIES} entries, and no larger than an ordinary request body (more: 413 too-costly).") },
            ],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_lists_every_resource_and_what_may_be_done() {
        let statement = capability_statement("https://x.test/fhir/r4", "0.1.0");
        let resources = statement["rest"][0]["resource"].as_array().unwrap();
        assert_eq!(resources.len(), RESOURCES.len());
        let task = resources.iter().find(|r| r["type"] == "Task").unwrap();
        let codes: Vec<&str> = task["interaction"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "read",
                "vread",
                "update",
                "patch",
                "history-instance",
                "search-type"
            ]
        );
        assert_eq!(task["versioning"], "versioned-update");
        let request = resources
            .iter()
            .find(|r| r["type"] == "ServiceRequest")
            .unwrap();
        assert!(
            request["searchRevInclude"]
                .as_array()
                .unwrap()
                .contains(&json!("Task:focus"))
        );
        assert!(
            request["searchInclude"]
                .as_array()
                .unwrap()
                .contains(&json!("ServiceRequest:subject"))
        );
        let binary = resources.iter().find(|r| r["type"] == "Binary").unwrap();
        assert!(binary.get("searchParam").is_none());
    }
}
