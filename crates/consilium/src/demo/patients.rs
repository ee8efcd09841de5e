//! Demo patients: invented identities with valid INS keys.

use consilium_domain::{
    Ins,
    patient::{IdentityStatus as S, Sex},
};
use consilium_store::{NewPatient, SeedPatient};

use super::{finess, name};

/// A demo patient: NIR (the INS key is computed), identity, and the FINESS
/// bodies of the sites that know them.
struct DemoPatient {
    nir: &'static str,
    family: &'static str,
    first: &'static str,
    birth: &'static str,
    sex: Sex,
    status: S,
    sites: &'static [&'static str],
}

const fn p(
    nir: &'static str,
    family: &'static str,
    first: &'static str,
    birth: &'static str,
    sex: Sex,
    status: S,
    sites: &'static [&'static str],
) -> DemoPatient {
    DemoPatient {
        nir,
        family,
        first,
        birth,
        sex,
        status,
        sites,
    }
}

const PATIENTS: &[DemoPatient] = &[
    p(
        "2460721231045",
        "Moreau",
        "Jeanne Marie",
        "1946-07-12",
        Sex::Female,
        S::Qualifiee,
        &["21990101"],
    ),
    p(
        "1580925462118",
        "Vuillemin",
        "Bernard",
        "1958-09-03",
        Sex::Male,
        S::Qualifiee,
        &["25990101", "25990102"],
    ),
    p(
        "2710371270033",
        "Lefèvre",
        "Sandrine",
        "1971-03-22",
        Sex::Female,
        S::Validee,
        &["71990101"],
    ),
    p(
        "1850558194027",
        "Rousseau",
        "Kevin",
        "1985-05-30",
        Sex::Male,
        S::Recuperee,
        &["58990101"],
    ),
    p(
        "2350121425009",
        "Bailly",
        "Odette",
        "1935-01-17",
        Sex::Female,
        S::Qualifiee,
        &["21990103"],
    ),
    p(
        "1400870550061",
        "Prost",
        "Henri Louis",
        "1940-08-08",
        Sex::Male,
        S::Validee,
        &["70990101"],
    ),
    p(
        "2920471270087",
        "Girardot",
        "Léa",
        "1992-04-14",
        Sex::Female,
        S::Provisoire,
        &["71990102"],
    ),
    p(
        "1030239300072",
        "Cuenot",
        "Maxime",
        "2003-02-26",
        Sex::Male,
        S::Qualifiee,
        &["39990101"],
    ),
];

/// The demo patients and the sites that know them.
pub(super) fn patients() -> anyhow::Result<Vec<SeedPatient>> {
    PATIENTS
        .iter()
        .map(|demo| {
            Ok(SeedPatient {
                patient: NewPatient {
                    ins: Some(Ins::from_nir(demo.nir)?),
                    birth_family_name: name(demo.family)?,
                    first_names: name(demo.first)?,
                    birth_date: demo.birth.parse()?,
                    sex: demo.sex,
                    identity_status: demo.status,
                },
                sites: demo
                    .sites
                    .iter()
                    .map(|s| finess(s))
                    .collect::<anyhow::Result<_>>()?,
            })
        })
        .collect()
}
