//! Whether a resource matches a query, and in which order results come:
//! the values a parameter's paths reach in the resource's JSON, compared
//! as FHIR says for the parameter's type.

use std::cmp::Ordering;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value as Json;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use super::{
    dates::{TimeSpan, parse_span},
    query::{Filter, Modifier, Prefix, SearchQuery, Value, parse_reference},
    registry::{ParamType, SearchParam},
};

/// The JSON values at a dotted path; arrays are walked at every step.
pub fn values_at<'a>(resource: &'a Json, path: &str) -> Vec<&'a Json> {
    let mut current: Vec<&Json> = vec![resource];
    for key in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            match value.get(key) {
                Some(Json::Array(items)) => next.extend(items.iter()),
                Some(Json::Null) | None => {}
                Some(other) => next.push(other),
            }
        }
        current = next;
    }
    current
}

fn param_values<'a>(resource: &'a Json, param: &SearchParam) -> Vec<&'a Json> {
    param
        .paths
        .iter()
        .flat_map(|path| values_at(resource, path))
        .collect()
}

/// Lower case without accents: how FHIR string search compares.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `(system, code)` pairs of a token value.
fn tokens(value: &Json) -> Vec<(Option<&str>, String)> {
    match value {
        Json::String(s) => vec![(None, s.clone())],
        Json::Bool(b) => vec![(None, b.to_string())],
        Json::Object(o) => {
            if let Some(codings) = o.get("coding").and_then(Json::as_array) {
                return codings.iter().flat_map(tokens).collect();
            }
            let system = o.get("system").and_then(Json::as_str);
            o.get("code")
                .or_else(|| o.get("value"))
                .and_then(Json::as_str)
                .map(|code| vec![(system, code.to_owned())])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn token_matches(value: &Json, system: Option<&str>, code: Option<&str>) -> bool {
    tokens(value).iter().any(|(s, c)| {
        let system_ok = match system {
            None => true,
            Some("") => s.is_none(),
            Some(wanted) => *s == Some(wanted),
        };
        system_ok && code.is_none_or(|wanted| wanted == c)
    })
}

/// The strings of a string value (a HumanName's or Address's parts).
fn strings(value: &Json) -> Vec<&str> {
    match value {
        Json::String(s) => vec![s.as_str()],
        Json::Object(o) => [
            "family",
            "given",
            "text",
            "prefix",
            "suffix",
            "line",
            "city",
            "postalCode",
            "country",
        ]
        .iter()
        .filter_map(|k| o.get(*k))
        .flat_map(|v| match v {
            Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
            other => other.as_str().into_iter().collect::<Vec<_>>(),
        })
        .collect(),
        _ => Vec::new(),
    }
}

/// The span of a date, dateTime, instant or Period value.
pub fn span_of(value: &Json) -> Option<TimeSpan> {
    match value {
        Json::String(s) => parse_span(s),
        Json::Object(o) if o.contains_key("start") || o.contains_key("end") => {
            let start = match o.get("start").and_then(Json::as_str) {
                Some(s) => parse_span(s)?.start,
                None => TimeSpan::ALL.start,
            };
            let end = match o.get("end").and_then(Json::as_str) {
                Some(s) => parse_span(s)?.end,
                None => TimeSpan::ALL.end,
            };
            Some(TimeSpan { start, end })
        }
        _ => None,
    }
}

fn date_matches(target: &TimeSpan, prefix: Prefix, search: &TimeSpan, now: Timestamp) -> bool {
    let within = target.start >= search.start && target.end <= search.end;
    match prefix {
        Prefix::Eq => within,
        Prefix::Ne => !within,
        Prefix::Gt => target.end > search.end,
        Prefix::Lt => target.start < search.start,
        Prefix::Ge => within || target.end > search.end,
        Prefix::Le => within || target.start < search.start,
        Prefix::Sa => target.start >= search.end,
        Prefix::Eb => target.end <= search.start,
        Prefix::Ap => {
            // 10% of the distance from now, either side (at least a day).
            let distance = search.start.duration_since(now).abs();
            let margin = (distance / 10).max(SignedDuration::from_hours(24));
            let widened = TimeSpan {
                start: search.start.checked_sub(margin).unwrap_or(Timestamp::MIN),
                end: search.end.checked_add(margin).unwrap_or(Timestamp::MAX),
            };
            target.overlaps(&widened)
        }
    }
}

/// `(type, id)` or a canonical URL of a reference value.
fn reference_of(value: &Json, base: &str) -> Option<(Option<String>, String)> {
    let raw = match value {
        Json::Object(o) => o.get("reference")?.as_str()?,
        Json::String(s) => s.as_str(),
        _ => return None,
    };
    match parse_reference(raw, base) {
        Value::Reference { resource_type, id } => Some((resource_type, id)),
        _ => None,
    }
}

/// The references a parameter reaches in a resource, as `(type, id)`.
pub fn references(resource: &Json, param: &SearchParam, base: &str) -> Vec<(String, String)> {
    param_values(resource, param)
        .into_iter()
        .filter_map(|v| reference_of(v, base))
        .filter_map(|(t, id)| t.map(|t| (t, id)))
        .collect()
}

fn value_matches(
    value: &Json,
    wanted: &Value,
    modifier: Modifier,
    base: &str,
    now: Timestamp,
) -> bool {
    match wanted {
        Value::Token { system, code } => token_matches(value, system.as_deref(), code.as_deref()),
        Value::Reference { resource_type, id } => {
            reference_of(value, base).is_some_and(|(t, i)| {
                let canonical = |s: &str| s.split('|').next().unwrap_or(s).to_owned();
                if id.contains("://") {
                    canonical(&i) == canonical(id)
                } else {
                    i == *id && (resource_type.is_none() || t.is_none() || t == *resource_type)
                }
            })
        }
        Value::Date(prefix, span) => {
            span_of(value).is_some_and(|t| date_matches(&t, *prefix, span, now))
        }
        Value::Text(text) => match value {
            Json::String(_) | Json::Object(_) => strings(value).iter().any(|s| match modifier {
                Modifier::Exact => s == text,
                Modifier::Contains => fold(s).contains(&fold(text)),
                _ if text.contains("://") => s == text,
                _ => fold(s).starts_with(&fold(text)),
            }),
            _ => false,
        },
    }
}

fn filter_matches(resource: &Json, filter: &Filter, base: &str, now: Timestamp) -> bool {
    let values = param_values(resource, filter.param);
    match filter.modifier {
        Modifier::Missing(missing) => values.is_empty() == missing,
        Modifier::Not => !filter.values.iter().any(|wanted| {
            values
                .iter()
                .any(|v| value_matches(v, wanted, Modifier::None, base, now))
        }),
        modifier => filter.values.iter().any(|wanted| {
            values
                .iter()
                .any(|v| value_matches(v, wanted, modifier, base, now))
        }),
    }
}

impl SearchQuery {
    /// True when `resource` meets every filter. `now` anchors `ap` dates.
    pub fn matches(&self, resource: &Json, base: &str, now: Timestamp) -> bool {
        self.filters
            .iter()
            .all(|f| filter_matches(resource, f, base, now))
    }

    /// Orders results by the query's sort keys (missing values last). Each
    /// resource's keys are read once, not at every comparison.
    pub fn sort(&self, resources: &mut Vec<Json>) {
        let mut keyed: Vec<(Vec<Option<SortValue>>, Json)> = resources
            .drain(..)
            .map(|r| {
                (
                    self.sort.iter().map(|k| sort_value(&r, k.param)).collect(),
                    r,
                )
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            self.sort
                .iter()
                .zip(a.iter().zip(b))
                .map(|(key, (x, y))| compare(x.as_ref(), y.as_ref(), key.descending))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
        resources.extend(keyed.into_iter().map(|(_, r)| r));
    }
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Time(Timestamp),
    Text(String),
}

fn sort_value(resource: &Json, param: &SearchParam) -> Option<SortValue> {
    let first = *param_values(resource, param).first()?;
    match param.kind {
        ParamType::Date => span_of(first).map(|s| SortValue::Time(s.start)),
        ParamType::Token => tokens(first)
            .into_iter()
            .next()
            .map(|(_, c)| SortValue::Text(c)),
        ParamType::String | ParamType::Uri => {
            strings(first).first().map(|s| SortValue::Text(fold(s)))
        }
        ParamType::Reference => None,
    }
}

fn compare(a: Option<&SortValue>, b: Option<&SortValue>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
