//! Demo cases, so that every role has something to open.

use consilium_domain::{Email, Ins, directory::SpecialtyCode};
use consilium_store::SeedCase;

use super::{DEMO_DOMAIN, finess};

/// A demo case: reference, patient NIR, requester's e-mail local part, site
/// and centre FINESS bodies, specialty, status, filing time (UTC).
struct DemoCase([&'static str; 8]);

const CASES: &[DemoCase] = &[
    DemoCase([
        "TE-2026-0001",
        "2460721231045",
        "claire.martin",
        "21990101",
        "21990001",
        SpecialtyCode::DERMATOLOGY,
        "requested",
        "2026-11-20T09:12:00Z",
    ]),
    DemoCase([
        "TE-2026-0002",
        "1580925462118",
        "pierre.roche",
        "25990101",
        "25990001",
        SpecialtyCode::DERMATOLOGY,
        "in-progress",
        "2026-11-19T14:40:00Z",
    ]),
    DemoCase([
        "TE-2026-0003",
        "2710371270033",
        "laurent.besson",
        "71990101",
        "71990001",
        SpecialtyCode::DERMATOLOGY,
        "on-hold",
        "2026-11-18T08:05:00Z",
    ]),
    DemoCase([
        "TE-2026-0004",
        "1850558194027",
        "hugo.menard",
        "58990101",
        "21990001",
        SpecialtyCode::INFECTIOLOGY,
        "completed",
        "2026-11-10T16:30:00Z",
    ]),
    DemoCase([
        "TE-2026-0005",
        "2350121425009",
        "agnes.collin",
        "21990103",
        "21990001",
        SpecialtyCode::DERMATOLOGY,
        "requested",
        "2026-11-21T11:20:00Z",
    ]),
    DemoCase([
        "TE-2026-0006",
        "1400870550061",
        "olivier.thiebaut",
        "70990101",
        "90990001",
        SpecialtyCode::CARDIOLOGY,
        "in-progress",
        "2026-11-17T10:00:00Z",
    ]),
];

/// The demo cases.
pub(super) fn cases() -> anyhow::Result<Vec<SeedCase>> {
    CASES
        .iter()
        .map(
            |DemoCase(
                [
                    reference,
                    nir,
                    requester,
                    site,
                    centre,
                    specialty,
                    status,
                    at,
                ],
            )| {
                Ok(SeedCase {
                    reference: (*reference).to_owned(),
                    patient: Ins::from_nir(nir)?,
                    requester: Email::parse(&format!("{requester}{DEMO_DOMAIN}"))?,
                    site: finess(site)?,
                    centre: finess(centre)?,
                    specialty: SpecialtyCode::parse(specialty)?,
                    status: (*status).to_owned(),
                    created_at: at.parse()?,
                })
            },
        )
        .collect()
}
