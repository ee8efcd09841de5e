//! Search: `GET /fhir/r4/{type}?…`, `POST /fhir/r4/{type}/_search` (form
//! body), and the pages after the first, `GET /fhir/r4?_getpages=…`. The
//! first page runs the search and keeps the list of matches (ids only) so
//! that `next` and `previous` replay it as it was, whatever changes
//! meanwhile; every page is read again through the access policy.

use std::collections::{BTreeMap, HashSet};

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use consilium_fhir::{
    bundle::{Mode, outcome, searchset},
    meta::key_of,
    search::{SearchQuery, matching::references, query::DEFAULT_COUNT, resource_def},
};
use consilium_store::saved_searches::SavedSearch;
use serde_json::Value;
use uuid::Uuid;

use super::{FhirError, prefer::Prefer, repo::Repo, resource, resource_type};
use crate::{AppState, SignedIn};

/// The most matches kept for paging; beyond, the client is told to narrow.
pub const KEPT_RESULTS: usize = 10_000;

/// A query string (or form body) as decoded pairs.
pub fn pairs(text: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(text.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `GET /fhir/r4/{type}?…`.
pub async fn by_get(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(type_name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, FhirError> {
    run(
        &state,
        &signed_in,
        &type_name,
        &pairs(query.as_deref()),
        Prefer::of(&headers),
    )
    .await
}

/// `POST /fhir/r4/{type}/_search` with a form body (and maybe a query string).
pub async fn by_post(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(type_name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, FhirError> {
    let form = std::str::from_utf8(&body)
        .map_err(|_| FhirError::invalid("corps de formulaire illisible / unreadable form body"))?;
    let mut all = pairs(query.as_deref());
    all.extend(pairs(Some(form)));
    run(&state, &signed_in, &type_name, &all, Prefer::of(&headers)).await
}

fn page_link(base: &str, search: Uuid, offset: usize, count: usize) -> String {
    format!("{base}?_getpages={search}&_getpagesoffset={offset}&_count={count}")
}

/// The links of a page of a kept list.
fn links(
    base: &str,
    self_url: String,
    saved: Option<&SavedSearch>,
    offset: usize,
    count: usize,
) -> Vec<(&'static str, String)> {
    let mut links = vec![("self", self_url)];
    let Some(saved) = saved else { return links };
    let kept = saved.results.len();
    links.push(("first", page_link(base, saved.id, 0, count)));
    if offset > 0 {
        links.push((
            "previous",
            page_link(base, saved.id, offset.saturating_sub(count), count),
        ));
    }
    if offset + count < kept {
        links.push(("next", page_link(base, saved.id, offset + count, count)));
    }
    if count > 0 && kept > 0 {
        links.push((
            "last",
            page_link(base, saved.id, (kept - 1) / count * count, count),
        ));
    }
    links
}

/// Runs a search and answers its first page.
async fn run(
    state: &AppState,
    signed_in: &SignedIn,
    type_name: &str,
    pairs: &[(String, String)],
    prefer: Prefer,
) -> Result<Response, FhirError> {
    let def = resource_type(type_name, |d| d.interactions.search)?;
    let base = super::base_url(state);
    let query = SearchQuery::parse(def, pairs, prefer.strict, &base)?;
    let mut repo = Repo::for_search(state, signed_in, &query);
    let found = repo.search_page(&query, KEPT_RESULTS).await?;
    let total = found.total;
    let self_url = format!("{base}/{}?{}", def.name, query.to_query_string());
    let mut notes = Vec::new();
    if !query.ignored.is_empty() {
        notes.push(format!(
            "paramètres ignorés / parameters ignored: {}",
            query.ignored.join(", ")
        ));
    }
    if query.summary_count || query.count == 0 {
        let bundle = searchset(
            &base,
            total as u64,
            &[("self", self_url)],
            outcome_entry(&notes),
        );
        return Ok(resource(StatusCode::OK, &bundle));
    }
    let count = query.count;
    let saved = if total > count {
        if total > KEPT_RESULTS {
            notes.push(format!(
                "{total} résultats : seuls les {KEPT_RESULTS} premiers sont paginés, précisez la recherche / only the first {KEPT_RESULTS} are paged"
            ));
        }
        Some(
            state
                .store
                .save_search(
                    &signed_in.actor,
                    def.name,
                    &query.to_query_string(),
                    total as u64,
                    found.ids,
                    state.clock.now(),
                )
                .await?,
        )
    } else {
        None
    };
    let page = found.page;
    let bundle = answer(
        &mut repo,
        &query,
        page,
        total as u64,
        links(&base, self_url, saved.as_ref(), 0, count),
        &notes,
    )
    .await?;
    Ok(resource(StatusCode::OK, &bundle))
}

fn outcome_entry(notes: &[String]) -> Vec<(Value, Mode)> {
    if notes.is_empty() {
        return Vec::new();
    }
    vec![(
        outcome("warning", "informational", &notes.join(" ; ")),
        Mode::Outcome,
    )]
}

/// A page with what its includes bring, and the notes about the search.
async fn answer(
    repo: &mut Repo<'_>,
    query: &SearchQuery,
    page: Vec<Value>,
    total: u64,
    links: Vec<(&'static str, String)>,
    notes: &[String],
) -> Result<Value, FhirError> {
    let extra = included(repo, query, &page).await?;
    let mut entries: Vec<(Value, Mode)> = page.into_iter().map(|r| (r, Mode::Match)).collect();
    entries.extend(extra.into_iter().map(|r| (r, Mode::Include)));
    entries.extend(outcome_entry(notes));
    Ok(searchset(repo.base(), total, &links, entries))
}

/// What `_include` and `_revinclude` bring for a page: read through the
/// same access policy, so nothing the caller may not read comes along.
async fn included(
    repo: &mut Repo<'_>,
    query: &SearchQuery,
    page: &[Value],
) -> Result<Vec<Value>, FhirError> {
    let mut seen: HashSet<(String, String)> = page
        .iter()
        .filter_map(|r| key_of(r).map(|(t, id)| (t.to_owned(), id.to_owned())))
        .collect();
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for include in &query.includes {
        for r in page {
            for (t, id) in references(r, include.param, repo.base()) {
                if include.target.is_none_or(|target| target == t) && resource_def(&t).is_some() {
                    wanted.entry(t).or_default().push(id);
                }
            }
        }
    }
    let mut extra = Vec::new();
    for (t, mut ids) in wanted {
        ids.sort();
        ids.dedup();
        extra.extend(repo.read_many(&t, &ids).await?);
    }
    if !query.revincludes.is_empty() && !page.is_empty() {
        let targets: Vec<String> = page
            .iter()
            .filter_map(|r| key_of(r).map(|(t, id)| format!("{t}/{id}")))
            .collect();
        for include in &query.revincludes {
            let pairs = vec![(include.param.name.to_owned(), targets.join(","))];
            let referrers = SearchQuery::parse(include.source, &pairs, true, repo.base())?;
            extra.extend(repo.search(&referrers).await?);
        }
    }
    Ok(extra
        .into_iter()
        .filter(|r| key_of(r).is_some_and(|(t, id)| seen.insert((t.to_owned(), id.to_owned()))))
        .collect())
}

/// `GET /fhir/r4?_getpages={search}&_getpagesoffset={n}&_count={m}`: a
/// page of a kept list. Someone else's list is not found; an expired one
/// is gone (410): run the search again.
pub async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, FhirError> {
    let params: BTreeMap<String, String> = pairs(query.as_deref()).into_iter().collect();
    let Some(search_id) = params.get("_getpages") else {
        return Err(FhirError(
            StatusCode::BAD_REQUEST,
            "not-supported",
            "recherche sur tous les types non prise en charge : GET /fhir/r4/{type}?… / system-wide search is not supported".into(),
        ));
    };
    let number = |name: &str, default: usize| match params.get(name) {
        None => Ok(default),
        Some(v) => v.parse::<usize>().map_err(|_| {
            FhirError::invalid(format!("{name} : nombre attendu / a number is expected"))
        }),
    };
    let offset = number("_getpagesoffset", 0)?;
    let count = number("_count", DEFAULT_COUNT)?.min(consilium_fhir::search::query::MAX_COUNT);
    let id = Uuid::parse_str(search_id).map_err(|_| FhirError::not_found())?;
    let saved = state.store.saved_search(&signed_in.actor, id).await?;
    if saved.expires_at <= state.clock.now() {
        return Err(FhirError(
            StatusCode::GONE,
            "not-found",
            "cette recherche a expiré : relancez-la / this search expired: run it again".into(),
        ));
    }
    let def = resource_def(&saved.kind).ok_or_else(FhirError::not_found)?;
    let base = super::base_url(&state);
    let query = SearchQuery::parse(def, &pairs(Some(&saved.query)), false, &base)?;
    let ids: Vec<String> = saved
        .results
        .iter()
        .skip(offset)
        .take(count)
        .cloned()
        .collect();
    let mut repo = Repo::for_search(&state, &signed_in, &query);
    let page = repo.read_many(def.name, &ids).await?;
    let self_url = page_link(&base, saved.id, offset, count);
    let links = links(&base, self_url, Some(&saved), offset, count);
    let bundle = answer(&mut repo, &query, page, saved.total, links, &[]).await?;
    Ok(resource(StatusCode::OK, &bundle))
}
