//! A search's query string, read into typed filters, sort keys, paging and
//! includes. Unknown parameters are refused under `Prefer: handling=strict`
//! and ignored (and said so) otherwise; bad values are always refused.

mod values;

pub use values::parse_reference;

use values::{modifier_of, parse_include, parse_value, split_values};

use super::{
    dates::TimeSpan,
    registry::{ParamType, ResourceDef, SearchParam},
};

/// The most results one page holds.
pub const MAX_COUNT: usize = 500;
/// A page's size when the client does not say.
pub const DEFAULT_COUNT: usize = 100;

/// Why a query is refused: an `OperationOutcome` issue code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// `invalid` (bad value) or `not-supported` (unknown parameter, strict).
    pub code: &'static str,
    /// What is wrong, French then English.
    pub message: String,
}

fn invalid(message: String) -> QueryError {
    QueryError {
        code: "invalid",
        message,
    }
}

/// A date comparator (FHIR search prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// Within the span.
    Eq,
    /// Not within the span.
    Ne,
    /// Something after the span.
    Gt,
    /// Something before the span.
    Lt,
    /// Within, or something after.
    Ge,
    /// Within, or something before.
    Le,
    /// Starts after the span.
    Sa,
    /// Ends before the span.
    Eb,
    /// Roughly at the span (10% of its distance from now either side).
    Ap,
}

/// One value of a parameter (values of one parameter are OR'ed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `[system]|[code]`, `code`, `|code` (no system), `system|`.
    Token {
        /// The system, when a `|` was given (`Some("")` for "no system").
        system: Option<String>,
        /// The code, unless only a system was given.
        code: Option<String>,
    },
    /// `Type/id`, `id`, or an absolute URL.
    Reference {
        /// The type, when known.
        resource_type: Option<String>,
        /// The id, or the URL of a canonical.
        id: String,
    },
    /// A date comparison.
    Date(Prefix, TimeSpan),
    /// Text (string or uri).
    Text(String),
}

/// How a parameter's values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// The default for its type.
    None,
    /// `:missing=true|false`.
    Missing(bool),
    /// `:not` (token).
    Not,
    /// `:exact` (string).
    Exact,
    /// `:contains` (string).
    Contains,
}

/// One parameter of the query: resources match when one value matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The parameter.
    pub param: &'static SearchParam,
    /// Its modifier.
    pub modifier: Modifier,
    /// Its values.
    pub values: Vec<Value>,
}

/// A sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// The parameter sorted by.
    pub param: &'static SearchParam,
    /// Newest / last first.
    pub descending: bool,
}

/// An `_include` or `_revinclude`: follow `param` of `source` resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The type holding the reference.
    pub source: &'static ResourceDef,
    /// The reference parameter.
    pub param: &'static SearchParam,
    /// Only references to this type (`Type:param:Target`).
    pub target: Option<&'static str>,
}

impl Include {
    /// `Source:param[:Target]`, as written in the query.
    pub fn to_query_value(&self) -> String {
        match self.target {
            Some(t) => format!("{}:{}:{t}", self.source.name, self.param.name),
            None => format!("{}:{}", self.source.name, self.param.name),
        }
    }
}

/// A parsed search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The resource type searched.
    pub resource: &'static ResourceDef,
    /// Every filter must match.
    pub filters: Vec<Filter>,
    /// Order (the type's default when the client gives none), `_id` last.
    pub sort: Vec<SortKey>,
    /// Page size.
    pub count: usize,
    /// `_summary=count`: the total only.
    pub summary_count: bool,
    /// `_include`s.
    pub includes: Vec<Include>,
    /// `_revinclude`s.
    pub revincludes: Vec<Include>,
    /// Parameters ignored (lenient handling), as written.
    pub ignored: Vec<String>,
    /// The query as understood, in a canonical form, for links.
    pub canonical: Vec<(String, String)>,
}

impl SearchQuery {
    /// Reads the query of a search of `resource` (`pairs` as decoded from
    /// the URL or the form body). `base` is the server's FHIR base URL, so
    /// absolute references to this server are understood.
    pub fn parse(
        resource: &'static ResourceDef,
        pairs: &[(String, String)],
        strict: bool,
        base: &str,
    ) -> Result<Self, QueryError> {
        let mut query = Self {
            resource,
            filters: Vec::new(),
            sort: Vec::new(),
            count: DEFAULT_COUNT,
            summary_count: false,
            includes: Vec::new(),
            revincludes: Vec::new(),
            ignored: Vec::new(),
            canonical: Vec::new(),
        };
        let mut explicit_sort = false;
        for (name, raw) in pairs {
            let kept = query.read_one(name, raw, strict, base, &mut explicit_sort)?;
            if kept {
                query.canonical.push((name.clone(), raw.clone()));
            }
        }
        if !explicit_sort {
            for key in resource.default_sort {
                let descending = key.starts_with('-');
                if let Some(param) = resource.param(key.trim_start_matches('-')) {
                    query.sort.push(SortKey { param, descending });
                }
            }
        }
        if let Some(id) = resource.param("_id")
            && !query.sort.iter().any(|k| k.param.name == "_id")
        {
            query.sort.push(SortKey {
                param: id,
                descending: false,
            });
        }
        Ok(query)
    }

    fn unknown(&mut self, name: &str, strict: bool, why: &str) -> Result<bool, QueryError> {
        if strict {
            return Err(QueryError {
                code: "not-supported",
                message: format!(
                    "paramètre « {name} » non pris en charge pour {} ({why}) / unsupported parameter",
                    self.resource.name
                ),
            });
        }
        self.ignored.push(name.to_owned());
        Ok(false)
    }

    /// Reads one parameter; false when it was ignored.
    fn read_one(
        &mut self,
        name: &str,
        raw: &str,
        strict: bool,
        base: &str,
        explicit_sort: &mut bool,
    ) -> Result<bool, QueryError> {
        match name {
            "_count" => {
                let count: usize = raw
                    .parse()
                    .map_err(|_| invalid(format!("_count : nombre attendu, pas « {raw} »")))?;
                self.count = count.min(MAX_COUNT);
                return Ok(true);
            }
            "_sort" => {
                *explicit_sort = true;
                for key in raw.split(',').filter(|k| !k.is_empty()) {
                    let descending = key.starts_with('-');
                    let param = self
                        .resource
                        .param(key.trim_start_matches('-'))
                        .filter(|p| p.kind != ParamType::Reference)
                        .ok_or_else(|| {
                            invalid(format!(
                                "_sort : « {key} » n'est pas un critère de tri de {}",
                                self.resource.name
                            ))
                        })?;
                    self.sort.push(SortKey { param, descending });
                }
                return Ok(true);
            }
            "_include" | "_revinclude" => {
                let reverse = name == "_revinclude";
                return match parse_include(raw, self.resource, reverse) {
                    Some(include) if reverse => {
                        self.revincludes.push(include);
                        Ok(true)
                    }
                    Some(include) => {
                        self.includes.push(include);
                        Ok(true)
                    }
                    None => self.unknown(&format!("{name}={raw}"), strict, "lien inconnu"),
                };
            }
            "_summary" => {
                return match raw {
                    "count" => {
                        self.summary_count = true;
                        Ok(true)
                    }
                    "false" => Ok(true),
                    _ => self.unknown(&format!("_summary={raw}"), strict, "seuls count et false"),
                };
            }
            // Totals are always exact; the output is always JSON.
            "_total" | "_pretty" => return Ok(false),
            "_format" => {
                return if raw.contains("json") {
                    Ok(false)
                } else {
                    Err(QueryError {
                        code: "not-supported",
                        message: format!(
                            "_format={raw} : seul JSON est servi / only JSON is served"
                        ),
                    })
                };
            }
            _ => {}
        }
        let (param_name, modifier_text) = match name.split_once(':') {
            Some((p, m)) => (p, Some(m)),
            None => (name, None),
        };
        let Some(param) = self.resource.param(param_name) else {
            return self.unknown(name, strict, "inconnu");
        };
        let Ok((modifier, type_modifier)) = modifier_of(param, modifier_text) else {
            return self.unknown(name, strict, "modificateur inconnu");
        };
        if raw.is_empty() {
            // FHIR: a parameter without a value is ignored.
            return Ok(false);
        }
        let modifier = match modifier {
            Modifier::Missing(_) => match raw {
                "true" => Modifier::Missing(true),
                "false" => Modifier::Missing(false),
                _ => return Err(invalid(format!("{name} : true ou false attendu"))),
            },
            other => other,
        };
        let values = if matches!(modifier, Modifier::Missing(_)) {
            Vec::new()
        } else {
            split_values(raw)
                .iter()
                .filter(|v| !v.is_empty())
                .map(|v| parse_value(param, type_modifier, v, base))
                .collect::<Result<_, _>>()?
        };
        self.filters.push(Filter {
            param,
            modifier,
            values,
        });
        Ok(true)
    }

    /// The filter on `name`, when it has no modifier.
    fn plain_filter(&self, name: &str) -> Option<&Filter> {
        self.filters
            .iter()
            .find(|f| f.param.name == name && f.modifier == Modifier::None)
    }

    /// The values of a reference filter on `name` (for narrowing a search
    /// in the database): ids of the given type, or `None` when the filter
    /// is absent or cannot be read that way.
    pub fn reference_ids(&self, name: &str, resource_type: &str) -> Option<Vec<String>> {
        self.plain_filter(name)?
            .values
            .iter()
            .map(|v| match v {
                Value::Reference {
                    resource_type: Some(t),
                    id,
                } if t == resource_type => Some(id.clone()),
                Value::Reference {
                    resource_type: None,
                    id,
                } if !id.contains("://") => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    /// The codes of a token filter on `name` without system or modifier,
    /// or `None`.
    pub fn token_codes(&self, name: &str) -> Option<Vec<String>> {
        self.plain_filter(name)?
            .values
            .iter()
            .map(|v| match v {
                Value::Token {
                    system: None,
                    code: Some(code),
                } => Some(code.clone()),
                _ => None,
            })
            .collect()
    }

    /// The query string of this search (understood parameters only).
    pub fn to_query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.canonical.iter())
            .finish()
    }
}
