use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{Value as Json, json};

use super::{SearchQuery, resource_def};

const BASE: &str = "https://consilium.test/fhir/r4";

fn now() -> Timestamp {
    "2026-11-23T08:00:00Z".parse().unwrap()
}

fn query(resource: &str, text: &str, strict: bool) -> Result<SearchQuery, super::QueryError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    SearchQuery::parse(resource_def(resource).unwrap(), &pairs, strict, BASE)
}

fn hits(resource: &str, text: &str, candidates: &[Json]) -> Vec<String> {
    let q = query(resource, text, true).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    let mut found: Vec<Json> = candidates
        .iter()
        .filter(|r| q.matches(r, BASE, now()))
        .cloned()
        .collect();
    q.sort(&mut found);
    found
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn patients() -> Vec<Json> {
    vec![
        json!({ "resourceType": "Patient", "id": "a", "meta": { "lastUpdated": "2026-11-20T10:00:00Z",
            "tag": [{ "system": "https://consilium.health/fhir/CodeSystem/identity-status", "code": "qualifiee" }] },
            "identifier": [{ "system": "urn:oid:1.2.250.1.213.1.4.8", "value": "286057512345612" }],
            "name": [{ "family": "Durand", "given": ["Lucie", "Anne"] }], "gender": "female", "birthDate": "1986-05-12" }),
        json!({ "resourceType": "Patient", "id": "b", "meta": { "lastUpdated": "2026-11-22T10:00:00Z" },
            "name": [{ "family": "Lefèvre", "given": ["Émile"] }], "gender": "male", "birthDate": "1958-09-03" }),
        json!({ "resourceType": "Patient", "id": "c", "meta": { "lastUpdated": "2026-11-23T07:59:59Z" },
            "name": [{ "family": "Durandal", "given": ["Paul"] }], "gender": "male" }),
    ]
}

#[test]
fn tokens_match_by_system_and_code() {
    let p = patients();
    assert_eq!(
        hits(
            "Patient",
            "identifier=urn:oid:1.2.250.1.213.1.4.8|286057512345612",
            &p
        ),
        ["a"]
    );
    assert_eq!(hits("Patient", "identifier=286057512345612", &p), ["a"]);
    assert!(
        hits(
            "Patient",
            "identifier=urn:oid:1.2.250.1.71.4.2.1|286057512345612",
            &p
        )
        .is_empty()
    );
    assert_eq!(
        hits("Patient", "identifier=urn:oid:1.2.250.1.213.1.4.8|", &p),
        ["a"]
    );
    assert!(
        hits("Patient", "identifier=|286057512345612", &p).is_empty(),
        "|code means no system"
    );
    assert_eq!(
        hits("Patient", "gender=male", &p),
        ["c", "b"],
        "by family name"
    );
    assert_eq!(hits("Patient", "gender:not=male", &p), ["a"]);
    assert_eq!(hits("Patient", "_tag=qualifiee", &p), ["a"]);
    assert_eq!(hits("Patient", "_id=c,a", &p), ["a", "c"]);
    let bad = query("Patient", "gender=femme", true).unwrap_err();
    assert_eq!(bad.code, "invalid");
    assert!(bad.message.contains("female"), "{}", bad.message);
}

#[test]
fn strings_fold_case_and_accents_and_match_prefixes() {
    let p = patients();
    assert_eq!(hits("Patient", "family=durand", &p), ["a", "c"]);
    assert_eq!(hits("Patient", "family:exact=Durand", &p), ["a"]);
    assert_eq!(hits("Patient", "name=lefevre", &p), ["b"]);
    assert_eq!(hits("Patient", "given=emile", &p), ["b"]);
    assert_eq!(hits("Patient", "name:contains=ran", &p), ["a", "c"]);
    assert_eq!(
        hits("Patient", "family=durand&gender=male", &p),
        ["c"],
        "parameters are AND'ed"
    );
    assert_eq!(hits("Patient", "birthdate:missing=true", &p), ["c"]);
    assert_eq!(hits("Patient", "birthdate:missing=false", &p), ["a", "b"]);
}

#[test]
fn dates_compare_spans() {
    let p = patients();
    assert_eq!(hits("Patient", "birthdate=1986", &p), ["a"]);
    assert_eq!(hits("Patient", "birthdate=1986-05-12", &p), ["a"]);
    assert_eq!(hits("Patient", "birthdate=gt1960", &p), ["a"]);
    assert_eq!(hits("Patient", "birthdate=lt1960-01-01", &p), ["b"]);
    assert_eq!(hits("Patient", "birthdate=ne1986-05-12", &p), ["b"]);
    assert_eq!(hits("Patient", "birthdate=ge1986-05-12", &p), ["a"]);
    assert_eq!(hits("Patient", "birthdate=le1986-05-12", &p), ["a", "b"]);
    assert_eq!(hits("Patient", "birthdate=sa1986-05-11", &p), ["a"]);
    assert_eq!(hits("Patient", "birthdate=eb1986-05-12", &p), ["b"]);
    assert_eq!(
        hits("Patient", "birthdate=ap1986-05-10", &p),
        ["a"],
        "within 10% of 40 years"
    );
    // Instants: the same day in Paris; a boundary is exact.
    assert_eq!(hits("Patient", "_lastUpdated=2026-11-23", &p), ["c"]);
    assert_eq!(
        hits("Patient", "_lastUpdated=ge2026-11-22T10:00:00Z", &p),
        ["c", "b"]
    );
    assert_eq!(
        hits("Patient", "_lastUpdated=gt2026-11-22T10:00:00Z", &p),
        ["c"]
    );
    assert_eq!(
        hits(
            "Patient",
            "_lastUpdated=ge2026-11-21&_lastUpdated=lt2026-11-23",
            &p
        ),
        ["b"]
    );
    assert_eq!(
        query("Patient", "birthdate=hier", true).unwrap_err().code,
        "invalid"
    );
}

#[test]
fn references_read_every_form() {
    let tasks = [
        json!({ "resourceType": "Task", "id": "t1", "focus": { "reference": "ServiceRequest/s1" },
            "owner": { "reference": "HealthcareService/team" }, "for": { "reference": "Patient/a" },
            "restriction": { "period": { "end": "2026-11-25T08:00:00Z" } } }),
        json!({ "resourceType": "Task", "id": "t2", "focus": { "reference": "ServiceRequest/s2" },
            "owner": { "reference": "Practitioner/sophie" }, "for": { "reference": "Patient/b" },
            "restriction": { "period": { "end": "2026-11-24T08:00:00Z" } } }),
        json!({ "resourceType": "Task", "id": "t3", "focus": { "reference": "ServiceRequest/s3" },
            "owner": { "reference": "Practitioner/sophie" }, "for": { "reference": "Patient/a" } }),
    ];
    assert_eq!(hits("Task", "focus=ServiceRequest/s1", &tasks), ["t1"]);
    assert_eq!(hits("Task", "focus=s2", &tasks), ["t2"]);
    assert_eq!(
        hits("Task", &format!("focus={BASE}/ServiceRequest/s3"), &tasks),
        ["t3"]
    );
    assert_eq!(
        hits("Task", "owner=Practitioner/sophie", &tasks),
        ["t2", "t3"],
        "soonest deadline first, none last"
    );
    assert_eq!(hits("Task", "owner:HealthcareService=team", &tasks), ["t1"]);
    assert_eq!(
        hits("Task", "patient=a&_sort=-deadline", &tasks),
        ["t1", "t3"]
    );
    let wrong = query("Task", "focus=Patient/a", true).unwrap_err();
    assert_eq!(wrong.code, "invalid");
    assert!(
        query("Task", "owner=sophie", true).is_ok(),
        "an id alone for a reference to two types"
    );
}

#[test]
fn unknown_parameters_are_refused_when_strict_and_reported_otherwise() {
    let strict = query("Task", "colour=blue", true).unwrap_err();
    assert_eq!(strict.code, "not-supported");
    let lenient = query(
        "Task",
        "colour=blue&status=requested&focus.subject=x",
        false,
    )
    .unwrap();
    assert_eq!(lenient.ignored, ["colour", "focus.subject"]);
    assert_eq!(lenient.filters.len(), 1);
    assert_eq!(lenient.to_query_string(), "status=requested");
    assert!(
        query("Task", "status:text=x", true).is_err(),
        "unknown modifier"
    );
    assert!(query("Task", "_elements=id", true).is_err());
    assert!(
        query("Task", "_format=xml", false).is_err(),
        "only JSON, whatever the handling"
    );
}

#[test]
fn paging_sorting_and_includes_read() {
    let q = query(
        "ServiceRequest",
        "_count=900&_sort=-authored,status&_include=ServiceRequest:subject&_revinclude=Task:focus",
        true,
    )
    .unwrap();
    assert_eq!(q.count, super::query::MAX_COUNT);
    let sort: Vec<(&str, bool)> = q
        .sort
        .iter()
        .map(|k| (k.param.name, k.descending))
        .collect();
    assert_eq!(
        sort,
        [("authored", true), ("status", false), ("_id", false)]
    );
    assert_eq!(q.includes[0].to_query_value(), "ServiceRequest:subject");
    assert_eq!(q.revincludes[0].to_query_value(), "Task:focus");
    assert!(
        query("ServiceRequest", "_include=Task:focus", true).is_err(),
        "not a reference of the searched type"
    );
    assert!(query("ServiceRequest", "_revinclude=Patient:link", true).is_err());
    assert!(
        query("Task", "_sort=focus", true).is_err(),
        "references do not sort"
    );
    let default = query("Task", "", true).unwrap();
    assert_eq!(default.sort[0].param.name, "deadline");
    assert!(query("Task", "_summary=count", true).unwrap().summary_count);
}

proptest! {
    #[test]
    fn a_coding_matches_its_own_token(system in "[a-z]{1,8}:[a-z0-9.]{1,12}", code in "[A-Za-z0-9-]{1,10}") {
        let resource = json!({ "resourceType": "ServiceRequest", "id": "x",
            "code": { "coding": [{ "system": system, "code": code }] } });
        let encoded: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &format!("{system}|{code}"))
            .finish();
        prop_assert_eq!(hits("ServiceRequest", &encoded, std::slice::from_ref(&resource)), vec!["x".to_owned()]);
        let other: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &format!("{system}|{code}x"))
            .finish();
        prop_assert!(hits("ServiceRequest", &other, &[resource]).is_empty());
    }

    #[test]
    fn an_instant_is_in_its_own_day_and_not_after_it(secs in 0_i64..4_000_000_000) {
        let instant = Timestamp::from_second(secs).unwrap();
        let resource = json!({ "resourceType": "Patient", "id": "p", "meta": { "lastUpdated": instant.to_string() } });
        let day = instant.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).date();
        let found = |prefix: &str| !hits("Patient", &format!("_lastUpdated={prefix}{day}"), std::slice::from_ref(&resource)).is_empty();
        for (prefix, expected) in [("", true), ("ge", true), ("le", true), ("gt", false), ("lt", false), ("ne", false)] {
            prop_assert_eq!(found(prefix), expected, "{}{}", prefix, day);
        }
    }

    #[test]
    fn sorting_is_a_total_order(dates in proptest::collection::vec(proptest::option::of(0_i64..2_000_000_000), 0..20)) {
        let mut resources: Vec<Json> = dates.iter().enumerate().map(|(i, d)| {
            let mut r = json!({ "resourceType": "Task", "id": format!("t{i:02}") });
            if let Some(d) = d {
                r["restriction"] = json!({ "period": { "end": Timestamp::from_second(*d).unwrap().to_string() } });
            }
            r
        }).collect();
        let q = query("Task", "", true).unwrap();
        q.sort(&mut resources);
        let keys: Vec<(bool, i64, String)> = resources.iter().map(|r| {
            let end = r["restriction"]["period"]["end"].as_str().map(|s| s.parse::<Timestamp>().unwrap().as_second());
            (end.is_none(), end.unwrap_or(0), r["id"].as_str().unwrap().to_owned())
        }).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
    }
}
