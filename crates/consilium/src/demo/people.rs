//! The demo staff: a requester at every site, experts in every team, a
//! coordinator per centre, an administrator per level.

use consilium_domain::{
    Email, Rpps,
    directory::{Profession, Role, SpecialtyCode},
};
use consilium_store::{NewMembership, NewPerson, NewUser, OrgKey, Practitioner};

use super::{finess, name, region::*};

/// Every demo address is under this reserved domain (RFC 2606).
pub const DEMO_DOMAIN: &str = "@demo.test";

const D: Option<Profession> = Some(Profession::Doctor);
const DERM: Option<&str> = Some(SpecialtyCode::DERMATOLOGY);
const INF: Option<&str> = Some(SpecialtyCode::INFECTIOLOGY);
const CARD: Option<&str> = Some(SpecialtyCode::CARDIOLOGY);

/// Given names, family name, profession (None: staff without RPPS),
/// organisation's FINESS body, roles, specialty team.
type DemoPerson = (
    &'static str,
    &'static str,
    Option<Profession>,
    &'static str,
    &'static [Role],
    Option<&'static str>,
);

const PEOPLE: &[DemoPerson] = &[
    // The agency.
    (
        "Hélène",
        "Garnier",
        None,
        ARS,
        &[Role::RegionalAdmin, Role::OrgAdmin],
        None,
    ),
    // Resource centres: coordinators, experts.
    (
        "Céline",
        "Fournier",
        None,
        CHU_DIJON,
        &[Role::Coordinator, Role::OrgAdmin],
        None,
    ),
    ("Sophie", "Lambert", D, CHU_DIJON, &[Role::Expert], DERM),
    ("Marc", "Aubry", D, CHU_DIJON, &[Role::Expert], DERM),
    ("Karim", "Benali", D, CHU_DIJON, &[Role::Expert], INF),
    ("Anne", "Vidal", D, CHU_DIJON, &[Role::Expert], CARD),
    (
        "Martine",
        "Jacquet",
        None,
        CHU_BESANCON,
        &[Role::Coordinator],
        None,
    ),
    ("Lucie", "Perrin", D, CHU_BESANCON, &[Role::Expert], DERM),
    ("Thomas", "Girard", D, CHU_BESANCON, &[Role::Expert], INF),
    (
        "Nathalie",
        "Bertrand",
        None,
        CH_CHALON,
        &[Role::Coordinator],
        None,
    ),
    ("Julien", "Morel", D, CH_CHALON, &[Role::Expert], DERM),
    ("Isabelle", "Caron", D, CH_CHALON, &[Role::Expert], CARD),
    (
        "Sylvie",
        "Leroy",
        None,
        CH_NEVERS,
        &[Role::Coordinator],
        None,
    ),
    ("Paul", "Renaud", D, CH_NEVERS, &[Role::Expert], DERM),
    ("Valérie", "Muller", None, HNFC, &[Role::Coordinator], None),
    ("Nadia", "Haddad", D, HNFC, &[Role::Expert], DERM),
    ("Éric", "Schmitt", D, HNFC, &[Role::Expert], CARD),
    // Requesting sites.
    (
        "Claire",
        "Martin",
        D,
        "21990101",
        &[Role::Requester, Role::OrgAdmin],
        None,
    ),
    ("Pierre", "Roche", D, "25990101", &[Role::Requester], None),
    ("Laurent", "Besson", D, "71990101", &[Role::Requester], None),
    ("Émilie", "Faivre", D, "25990102", &[Role::Requester], None),
    ("Hugo", "Ménard", D, "58990101", &[Role::Requester], None),
    (
        "Camille",
        "Petit",
        Some(Profession::Midwife),
        "58990101",
        &[Role::Requester],
        None,
    ),
    (
        "François",
        "Dupuis",
        D,
        "21990102",
        &[Role::Requester],
        None,
    ),
    ("Agnès", "Collin", D, "21990103", &[Role::Requester], None),
    (
        "Manon",
        "Guyot",
        Some(Profession::Nurse),
        "21990103",
        &[Role::Requester],
        None,
    ),
    (
        "Olivier",
        "Thiébaut",
        D,
        "70990101",
        &[Role::Requester],
        None,
    ),
    (
        "Marie",
        "Chevalier",
        D,
        "71990102",
        &[Role::Requester],
        None,
    ),
    ("Jean", "Bouvier", D, "39990101", &[Role::Requester], None),
];

/// `prénom.nom@demo.test`, accents and spaces removed.
fn demo_email(given: &str, family: &str) -> anyhow::Result<Email> {
    let ascii = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
                'ç' => 'c',
                'à' | 'â' => 'a',
                'ï' | 'î' => 'i',
                'ô' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                ' ' | '\'' => '-',
                other => other.to_ascii_lowercase(),
            })
            .collect()
    };
    Ok(Email::parse(&format!(
        "{}.{}{DEMO_DOMAIN}",
        ascii(given),
        ascii(family)
    ))?)
}

/// The demo users.
pub(super) fn users() -> anyhow::Result<Vec<NewUser>> {
    PEOPLE
        .iter()
        .enumerate()
        .map(
            |(index, (given, family, profession, org, roles, specialty))| {
                let practitioner = match profession {
                    Some(profession) => Some(Practitioner {
                        profession: *profession,
                        // Demo RPPS numbers: 1 099 000 0NN and their Luhn digit.
                        rpps: Rpps::from_body(&format!("10990000{index:02}"))?,
                    }),
                    None => None,
                };
                let specialty = specialty.map(SpecialtyCode::parse).transpose()?;
                let organization = OrgKey::Finess(finess(org)?);
                Ok(NewUser {
                    person: NewPerson {
                        email: demo_email(given, family)?,
                        given_names: name(given)?,
                        family_name: name(family)?,
                        practitioner,
                    },
                    memberships: roles
                        .iter()
                        .map(|role| NewMembership {
                            organization: organization.clone(),
                            role: *role,
                            // Only experts sit in a team; the demo coordinators cover their whole centre.
                            specialty: if *role == Role::Expert {
                                specialty.clone()
                            } else {
                                None
                            },
                        })
                        .collect(),
                })
            },
        )
        .collect()
}
