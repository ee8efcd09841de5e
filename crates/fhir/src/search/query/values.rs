//! Reading one parameter: its values (comma lists, prefixes, references),
//! its modifier, and `_include` / `_revinclude` targets.

use super::{Include, Modifier, Prefix, QueryError, Value, invalid};
use crate::search::{
    dates::parse_span,
    registry::{ParamType, ResourceDef, SearchParam, resource_def, revincludes},
};

/// Splits a value list on unescaped commas (`\,` is a comma).
pub(super) fn split_values(raw: &str) -> Vec<String> {
    let mut values = vec![String::new()];
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(',' | '\\' | '|' | '$')) => {
                if let (Some(next), Some(last)) = (chars.next(), values.last_mut()) {
                    last.push(next);
                }
            }
            ',' => values.push(String::new()),
            other => {
                if let Some(last) = values.last_mut() {
                    last.push(other);
                }
            }
        }
    }
    values
}

pub(super) fn prefix_of(raw: &str) -> (Prefix, &str) {
    const PREFIXES: [(&str, Prefix); 9] = [
        ("eq", Prefix::Eq),
        ("ne", Prefix::Ne),
        ("gt", Prefix::Gt),
        ("lt", Prefix::Lt),
        ("ge", Prefix::Ge),
        ("le", Prefix::Le),
        ("sa", Prefix::Sa),
        ("eb", Prefix::Eb),
        ("ap", Prefix::Ap),
    ];
    PREFIXES
        .iter()
        .find_map(|(p, prefix)| raw.strip_prefix(p).map(|rest| (*prefix, rest)))
        .unwrap_or((Prefix::Eq, raw))
}

/// Reads `Type/id`, `id`, or `https://…/Type/id` (a canonical stays a URL).
pub fn parse_reference(raw: &str, base: &str) -> Value {
    let local = raw
        .strip_prefix(base)
        .map(|rest| rest.trim_start_matches('/'))
        .unwrap_or(raw);
    // A reference to a version names the resource all the same.
    let local = local.split("/_history/").next().unwrap_or(local);
    if local.contains("://") {
        return Value::Reference {
            resource_type: None,
            id: local.to_owned(),
        };
    }
    match local.rsplit_once('/') {
        Some((path, id)) => Value::Reference {
            resource_type: Some(path.rsplit('/').next().unwrap_or(path).to_owned()),
            id: id.to_owned(),
        },
        None => Value::Reference {
            resource_type: None,
            id: local.to_owned(),
        },
    }
}

pub(super) fn parse_value(
    param: &'static SearchParam,
    type_modifier: Option<&str>,
    raw: &str,
    base: &str,
) -> Result<Value, QueryError> {
    let bad = |why: &str| {
        invalid(format!(
            "{} : valeur « {raw} » invalide ({why}) / invalid value",
            param.name
        ))
    };
    match param.kind {
        ParamType::Token => {
            let (system, code) = match raw.split_once('|') {
                Some((system, code)) => (
                    Some(system.to_owned()),
                    Some(code.to_owned()).filter(|c| !c.is_empty()),
                ),
                None => (None, Some(raw.to_owned())),
            };
            if let Some(code) = &code
                && !param.codes.is_empty()
                && !param.codes.contains(&code.as_str())
            {
                return Err(bad(&format!("attendu : {}", param.codes.join(", "))));
            }
            Ok(Value::Token { system, code })
        }
        ParamType::Reference => {
            let mut value = parse_reference(raw, base);
            if let Value::Reference { resource_type, id } = &mut value {
                if resource_type.is_none() && !id.contains("://") {
                    *resource_type =
                        type_modifier
                            .map(str::to_owned)
                            .or_else(|| match param.targets {
                                [only] => Some((*only).to_owned()),
                                _ => None,
                            });
                }
                if let Some(t) = resource_type
                    && !param.targets.contains(&t.as_str())
                {
                    return Err(bad(&format!("attendu : {}", param.targets.join(", "))));
                }
                if id.is_empty() {
                    return Err(bad("identifiant vide"));
                }
            }
            Ok(value)
        }
        ParamType::Date => {
            let (prefix, rest) = prefix_of(raw);
            let span = parse_span(rest).ok_or_else(|| bad("date FHIR attendue, ex. 2026-11-23"))?;
            Ok(Value::Date(prefix, span))
        }
        ParamType::String | ParamType::Uri => Ok(Value::Text(raw.to_owned())),
    }
}

pub(super) fn modifier_of(
    param: &'static SearchParam,
    modifier: Option<&str>,
) -> Result<(Modifier, Option<&'static str>), ()> {
    let Some(m) = modifier else {
        return Ok((Modifier::None, None));
    };
    match (param.kind, m) {
        (_, "missing") => Ok((Modifier::Missing(true), None)),
        (ParamType::Token, "not") => Ok((Modifier::Not, None)),
        (ParamType::String, "exact") => Ok((Modifier::Exact, None)),
        (ParamType::String, "contains") => Ok((Modifier::Contains, None)),
        (ParamType::Reference, t) => param
            .targets
            .iter()
            .find(|target| **target == t)
            .map(|target| (Modifier::None, Some(*target)))
            .ok_or(()),
        _ => Err(()),
    }
}

pub(super) fn parse_include(raw: &str, searched: &ResourceDef, reverse: bool) -> Option<Include> {
    let mut parts = raw.split(':');
    let source = resource_def(parts.next()?)?;
    let param = source.param(parts.next()?)?;
    let target = match parts.next() {
        Some(t) => Some(*param.targets.iter().find(|x| **x == t)?),
        None => None,
    };
    if parts.next().is_some() || param.kind != ParamType::Reference {
        return None;
    }
    let fits = if reverse {
        revincludes(searched.name).any(|(r, p)| r.name == source.name && p.name == param.name)
            && target.is_none_or(|t| t == searched.name)
    } else {
        source.name == searched.name
    };
    fits.then_some(Include {
        source,
        param,
        target,
    })
}
