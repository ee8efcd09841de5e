//! Bundles: search results, histories, batch and transaction responses,
//! and `OperationOutcome`s.

use serde_json::{Value, json};

use crate::meta::{key_of, last_updated_of, version_of};

/// The most entries a batch or transaction Bundle may hold: each is a
/// request of its own, audited, and a Bundle is answered in one response.
pub const MAX_ENTRIES: usize = 100;

/// How an entry came into a search result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// It matched.
    Match,
    /// An `_include` or `_revinclude` brought it.
    Include,
    /// A note about the search (an `OperationOutcome`).
    Outcome,
}

impl Mode {
    fn code(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::Include => "include",
            Self::Outcome => "outcome",
        }
    }
}

/// The absolute URL of a resource on this server.
pub fn full_url(base: &str, resource: &Value) -> Option<String> {
    key_of(resource).map(|(t, id)| format!("{base}/{t}/{id}"))
}

/// A `searchset` Bundle: the exact `total`, navigation links, and entries
/// with their search mode.
pub fn searchset(
    base: &str,
    total: u64,
    links: &[(&str, String)],
    entries: Vec<(Value, Mode)>,
) -> Value {
    let entry: Vec<Value> = entries
        .into_iter()
        .map(|(resource, mode)| {
            let mut e = json!({ "resource": resource, "search": { "mode": mode.code() } });
            if let Some(url) = full_url(base, &e["resource"]) {
                e["fullUrl"] = json!(url);
            }
            e
        })
        .collect();
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links.iter().map(|(relation, url)| json!({ "relation": relation, "url": url })).collect::<Vec<_>>(),
    });
    if !entry.is_empty() {
        bundle["entry"] = json!(entry);
    }
    bundle
}

/// The weak `ETag` of a version.
pub fn etag(version: &str) -> String {
    format!("W/\"{version}\"")
}

/// A `history` Bundle of one resource's versions, newest first.
pub fn history(base: &str, versions: &[Value]) -> Value {
    let entry: Vec<Value> = versions
        .iter()
        .map(|resource| {
            let (t, id) = key_of(resource).unwrap_or(("", ""));
            let version = version_of(resource).unwrap_or("");
            let mut e = json!({
                "fullUrl": format!("{base}/{t}/{id}"),
                "resource": resource,
                "request": { "method": if version == "1" { "POST" } else { "PUT" }, "url": if version == "1" { t.to_owned() } else { format!("{t}/{id}") } },
                "response": { "status": if version == "1" { "201 Created" } else { "200 OK" }, "etag": etag(version) },
            });
            if let Some(at) = last_updated_of(resource) {
                e["response"]["lastModified"] = json!(at.to_string());
            }
            e
        })
        .collect();
    json!({ "resourceType": "Bundle", "type": "history", "total": entry.len(), "entry": entry })
}

/// An `OperationOutcome` with one issue.
pub fn outcome(severity: &str, code: &str, text: &str) -> Value {
    json!({
        "resourceType": "OperationOutcome",
        "issue": [{ "severity": severity, "code": code, "diagnostics": text }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_carry_their_url_and_mode() {
        let bundle = searchset(
            "https://x.test/fhir/r4",
            1,
            &[("self", "https://x.test/fhir/r4/Task".into())],
            vec![(json!({ "resourceType": "Task", "id": "t" }), Mode::Match)],
        );
        assert_eq!(
            bundle["entry"][0]["fullUrl"],
            "https://x.test/fhir/r4/Task/t"
        );
        assert_eq!(bundle["entry"][0]["search"]["mode"], "match");
        let empty = searchset("b", 0, &[], vec![]);
        assert!(empty.get("entry").is_none(), "no empty arrays in FHIR JSON");
    }
}
