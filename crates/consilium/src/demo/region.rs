//! The demo region's organisations, teams and routes.

use consilium_domain::directory::{OrganizationKind as Kind, ResponseTarget, SpecialtyCode};
use consilium_store::{SeedOrganization, SeedRoute, SeedTeam, Specialty};

use super::{finess, name};

const DERMATOLOGY: &str = SpecialtyCode::DERMATOLOGY;
const INFECTIOLOGY: &str = SpecialtyCode::INFECTIOLOGY;
const CARDIOLOGY: &str = SpecialtyCode::CARDIOLOGY;

/// FINESS bodies of the demo centres (department first).
pub(super) const CHU_DIJON: &str = "21990001";
pub(super) const CHU_BESANCON: &str = "25990001";
pub(super) const CH_CHALON: &str = "71990001";
pub(super) const CH_NEVERS: &str = "58990001";
pub(super) const HNFC: &str = "90990001";
/// FINESS body of the regional agency.
pub(super) const ARS: &str = "21990099";

/// A requesting site of the demo.
pub(super) struct DemoSite {
    finess: &'static str,
    kind: Kind,
    name: &'static str,
    city: &'static str,
    /// The centres whose teams it sends to, for dermatology, infectiology, cardiology.
    routes: [&'static str; 3],
}

const fn site(
    finess: &'static str,
    kind: Kind,
    name: &'static str,
    city: &'static str,
    routes: [&'static str; 3],
) -> DemoSite {
    DemoSite {
        finess,
        kind,
        name,
        city,
        routes,
    }
}

pub(super) const SITES: &[DemoSite] = &[
    site(
        "21990101",
        Kind::Practice,
        "Cabinet médical du Morvan",
        "Saulieu",
        [CHU_DIJON, CHU_DIJON, CHU_DIJON],
    ),
    site(
        "25990101",
        Kind::Practice,
        "Cabinet médical des Docteurs Roche",
        "Pontarlier",
        [CHU_BESANCON, CHU_BESANCON, HNFC],
    ),
    site(
        "71990101",
        Kind::Practice,
        "Cabinet médical de la Bresse",
        "Louhans",
        [CH_CHALON, CHU_DIJON, CH_CHALON],
    ),
    site(
        "25990102",
        Kind::HealthCentre,
        "Maison de santé du Haut-Doubs",
        "Mouthe",
        [CHU_BESANCON, CHU_BESANCON, HNFC],
    ),
    site(
        "58990101",
        Kind::HealthCentre,
        "Maison de santé de Clamecy",
        "Clamecy",
        [CH_NEVERS, CHU_DIJON, CHU_DIJON],
    ),
    site(
        "21990102",
        Kind::HealthCentre,
        "Maison de santé du Val de Saône",
        "Auxonne",
        [CHU_DIJON, CHU_DIJON, CHU_DIJON],
    ),
    site(
        "21990103",
        Kind::NursingHome,
        "EHPAD Les Tilleuls",
        "Montbard",
        [CHU_DIJON, CHU_DIJON, CHU_DIJON],
    ),
    site(
        "70990101",
        Kind::NursingHome,
        "EHPAD La Roselière",
        "Héricourt",
        [HNFC, CHU_BESANCON, HNFC],
    ),
    site(
        "71990102",
        Kind::DisabilityFacility,
        "Foyer d'accueil médicalisé Les Glycines",
        "Autun",
        [CH_CHALON, CHU_DIJON, CH_CHALON],
    ),
    site(
        "39990101",
        Kind::DisabilityFacility,
        "Maison d'accueil spécialisée du Jura",
        "Lons-le-Saunier",
        [CHU_BESANCON, CHU_BESANCON, CH_CHALON],
    ),
];

/// The three specialties the region starts with.
pub(super) fn specialties() -> anyhow::Result<Vec<Specialty>> {
    [
        (DERMATOLOGY, "Dermatologie", "Dermatology"),
        (INFECTIOLOGY, "Infectiologie", "Infectious diseases"),
        (CARDIOLOGY, "Cardiologie", "Cardiology"),
    ]
    .into_iter()
    .map(|(code, fr, en)| {
        Ok(Specialty {
            code: SpecialtyCode::parse(code)?,
            name_fr: fr.to_owned(),
            name_en: en.to_owned(),
        })
    })
    .collect()
}

fn team(specialty: &str, centre_short: &str) -> anyhow::Result<SeedTeam> {
    let label = match specialty {
        DERMATOLOGY => "Dermatologie",
        INFECTIOLOGY => "Infectiologie",
        _ => "Cardiologie",
    };
    Ok(SeedTeam {
        specialty: SpecialtyCode::parse(specialty)?,
        name: name(&format!("{label} — {centre_short}"))?,
        response_target: ResponseTarget::DEFAULT,
    })
}

/// The centres with their teams, the sites and the agency.
pub(super) fn organizations() -> anyhow::Result<Vec<SeedOrganization>> {
    let centres: [(&str, &str, &str, &str, &[&str]); 5] = [
        (
            CHU_DIJON,
            "CHU Dijon Bourgogne",
            "CHU Dijon",
            "Dijon",
            &[DERMATOLOGY, INFECTIOLOGY, CARDIOLOGY],
        ),
        (
            CHU_BESANCON,
            "CHU de Besançon",
            "CHU Besançon",
            "Besançon",
            &[DERMATOLOGY, INFECTIOLOGY],
        ),
        (
            CH_CHALON,
            "Centre hospitalier William Morey",
            "CH Chalon",
            "Chalon-sur-Saône",
            &[DERMATOLOGY, CARDIOLOGY],
        ),
        (
            CH_NEVERS,
            "Centre hospitalier de l'agglomération de Nevers",
            "CH Nevers",
            "Nevers",
            &[DERMATOLOGY],
        ),
        (
            HNFC,
            "Hôpital Nord Franche-Comté",
            "HNFC",
            "Trévenans",
            &[DERMATOLOGY, CARDIOLOGY],
        ),
    ];
    let mut organizations = Vec::new();
    for (body, full_name, short, city, specialties) in centres {
        organizations.push(SeedOrganization {
            kind: Kind::ResourceCentre,
            name: name(full_name)?,
            finess: finess(body)?,
            city: name(city)?,
            teams: specialties
                .iter()
                .map(|s| team(s, short))
                .collect::<anyhow::Result<_>>()?,
        });
    }
    for site in SITES {
        organizations.push(SeedOrganization {
            kind: site.kind,
            name: name(site.name)?,
            finess: finess(site.finess)?,
            city: name(site.city)?,
            teams: Vec::new(),
        });
    }
    organizations.push(SeedOrganization {
        kind: Kind::RegionalAgency,
        name: name("Agence régionale de santé Bourgogne-Franche-Comté")?,
        finess: finess(ARS)?,
        city: name("Dijon")?,
        teams: Vec::new(),
    });
    Ok(organizations)
}

/// Each site's default route per specialty.
pub(super) fn routes() -> anyhow::Result<Vec<SeedRoute>> {
    let mut routes = Vec::new();
    for site in SITES {
        for (specialty, centre) in [DERMATOLOGY, INFECTIOLOGY, CARDIOLOGY]
            .into_iter()
            .zip(site.routes)
        {
            routes.push(SeedRoute {
                site: finess(site.finess)?,
                centre: finess(centre)?,
                specialty: SpecialtyCode::parse(specialty)?,
            });
        }
    }
    Ok(routes)
}
