//! The region's directory: kinds of organisation, specialties, teams,
//! professions, roles, and which memberships make sense.

use serde::{Deserialize, Serialize};

/// Declares a closed set of codes stored as text: each variant has a stable
/// code (stored, and typed on the command line) and a French label (shown).
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code, as stored and as typed on the command line.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The French label shown to users.
            pub fn label_fr(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses a code; `-` and `_` are interchangeable.
            pub fn parse(code: &str) -> Result<Self, $crate::directory::UnknownCode> {
                let normalised = code.trim().to_ascii_lowercase().replace('-', "_");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == normalised)
                    .ok_or_else(|| $crate::directory::UnknownCode {
                        what: stringify!($name),
                        value: code.to_owned(),
                        expected: Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::directory::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}
pub(crate) use coded_enum;

/// A code that is not one of the known values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} inconnu « {value} » (valeurs possibles : {expected}) / unknown {what} '{value}' (expected one of: {expected})"
)]
pub struct UnknownCode {
    /// Which kind of code.
    pub what: &'static str,
    /// The value given.
    pub value: String,
    /// The codes accepted, comma-separated.
    pub expected: String,
}

coded_enum!(
    /// What an organisation is in the region.
    OrganizationKind {
        /// A hospital whose specialty teams answer requests.
        ResourceCentre = "resource_centre", "Centre de ressources (hôpital)";
        /// A GP practice (cabinet médical).
        Practice = "practice", "Cabinet médical";
        /// A multi-professional health centre (MSP).
        HealthCentre = "health_centre", "Maison de santé pluriprofessionnelle";
        /// A nursing home (EHPAD).
        NursingHome = "nursing_home", "EHPAD";
        /// A facility for disabled people.
        DisabilityFacility = "disability_facility", "Établissement pour personnes handicapées";
        /// The regional health agency that runs the platform.
        RegionalAgency = "regional_agency", "Agence régionale de santé";
    }
);

impl OrganizationKind {
    /// True for the four kinds of requesting site.
    pub fn is_requesting_site(self) -> bool {
        matches!(
            self,
            Self::Practice | Self::HealthCentre | Self::NursingHome | Self::DisabilityFacility
        )
    }
}

coded_enum!(
    /// A health profession registered in the RPPS.
    Profession {
        /// Médecin.
        Doctor = "doctor", "Médecin";
        /// Sage-femme.
        Midwife = "midwife", "Sage-femme";
        /// Infirmier·ère.
        Nurse = "nurse", "Infirmier·ère";
        /// Masseur-kinésithérapeute.
        Physiotherapist = "physiotherapist", "Masseur-kinésithérapeute";
        /// Orthophoniste.
        SpeechTherapist = "speech_therapist", "Orthophoniste";
        /// Pédicure-podologue.
        Podiatrist = "podiatrist", "Pédicure-podologue";
        /// Orthoptiste.
        Orthoptist = "orthoptist", "Orthoptiste";
    }
);

impl Profession {
    /// Only doctors and midwives may answer a tele-expertise (and bill TE2).
    pub fn may_answer(self) -> bool {
        matches!(self, Self::Doctor | Self::Midwife)
    }
}

coded_enum!(
    /// What a person does in an organisation.
    Role {
        /// Creates requests at a requesting site (requérant).
        Requester = "requester", "Requérant";
        /// Answers requests in a specialty team (requis).
        Expert = "expert", "Expert (requis)";
        /// Watches a centre's queue, assigns, organises visits.
        Coordinator = "coordinator", "Coordination / secrétariat";
        /// Manages the staff of one organisation.
        OrgAdmin = "org_admin", "Administrateur de l'établissement";
        /// Manages the region's directory and sees its statistics.
        RegionalAdmin = "regional_admin", "Administrateur régional";
    }
);

/// A specialty, identified by its SNOMED CT code (DESIGN.md, fixed names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SpecialtyCode(String);

impl SpecialtyCode {
    /// Dermatology.
    pub const DERMATOLOGY: &'static str = "394582007";
    /// Infectious diseases.
    pub const INFECTIOLOGY: &'static str = "394807007";
    /// Cardiology.
    pub const CARDIOLOGY: &'static str = "394579002";

    /// Parses a SNOMED CT concept id (6 to 18 digits, no leading zero).
    pub fn parse(input: &str) -> Result<Self, UnknownCode> {
        let value = input.trim();
        let valid = (6..=18).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_digit())
            && !value.starts_with('0');
        if valid {
            Ok(Self(value.to_owned()))
        } else {
            Err(UnknownCode {
                what: "code de spécialité SNOMED CT",
                value: input.to_owned(),
                expected: "6 à 18 chiffres, par ex. 394582007 (dermatologie)".to_owned(),
            })
        }
    }

    /// The code's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SpecialtyCode {
    type Error = UnknownCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<SpecialtyCode> for String {
    fn from(code: SpecialtyCode) -> String {
        code.0
    }
}

impl std::fmt::Display for SpecialtyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long a team promises to take to answer, in hours (1 h to 30 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct ResponseTarget(u32);

impl ResponseTarget {
    /// The region's promise: an answer within 48 hours.
    pub const DEFAULT: Self = Self(48);

    /// A target of `hours` hours.
    pub fn from_hours(hours: u32) -> Result<Self, DirectoryError> {
        if (1..=720).contains(&hours) {
            Ok(Self(hours))
        } else {
            Err(DirectoryError::ResponseTarget(hours))
        }
    }

    /// The target in hours.
    pub fn hours(self) -> u32 {
        self.0
    }
}

impl Default for ResponseTarget {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for ResponseTarget {
    type Error = DirectoryError;
    fn try_from(hours: u32) -> Result<Self, Self::Error> {
        Self::from_hours(hours)
    }
}

impl From<ResponseTarget> for u32 {
    fn from(target: ResponseTarget) -> u32 {
        target.0
    }
}

/// A directory change the rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// An administrator acting on their own account (a stolen session or
    /// token must not be enough to replace its second factor).
    #[error(
        "un administrateur ne peut ni réinitialiser son propre second facteur ni désactiver son compte : demandez-le à un autre administrateur / an administrator cannot reset their own second factor or deactivate their own account: ask another administrator"
    )]
    SelfAdministration,
    /// A response target outside 1 h – 720 h.
    #[error(
        "délai de réponse de {0} h hors limites (1 à 720 h) / response target of {0} h out of range (1 to 720 h)"
    )]
    ResponseTarget(u32),
    /// The role does not exist in this kind of organisation.
    #[error(
        "le rôle « {role} » n'existe pas dans un établissement de type « {kind} » / role '{role}' does not exist in a '{kind}' organisation"
    )]
    RoleNotInOrganization {
        /// The role asked for.
        role: &'static str,
        /// The organisation's kind.
        kind: &'static str,
    },
    /// The role needs a practitioner with an RPPS number.
    #[error(
        "le rôle « {0} » demande un professionnel de santé avec un numéro RPPS / role '{0}' needs a practitioner with an RPPS number"
    )]
    NeedsPractitioner(&'static str),
    /// Only doctors and midwives may answer requests.
    #[error(
        "seuls les médecins et sages-femmes peuvent être experts (profession : {0}) / only doctors and midwives may be experts (profession: {0})"
    )]
    ProfessionMayNotAnswer(&'static str),
    /// An expert must belong to a team of their centre.
    #[error(
        "un expert doit appartenir à une équipe (spécialité) de son centre / an expert must belong to a team of their centre"
    )]
    ExpertNeedsTeam,
    /// The team given is not one of this organisation's teams, or the role takes no team.
    #[error(
        "l'équipe indiquée n'appartient pas à cet établissement ou ce rôle n'en prend pas / the team is not this organisation's, or this role takes no team"
    )]
    TeamMismatch,
    /// A route from something that is not a requesting site, or to a team that is not at a resource centre.
    #[error(
        "une route relie un site requérant à une équipe d'un centre de ressources / a route links a requesting site to a resource centre's team"
    )]
    InvalidRoute,
    /// A team outside a resource centre.
    #[error(
        "une équipe de spécialité appartient à un centre de ressources / a specialty team belongs to a resource centre"
    )]
    TeamOutsideCentre,
    /// A user needs at least one role.
    #[error(
        "un utilisateur a au moins un rôle dans un établissement / a user needs at least one role in an organisation"
    )]
    NoRole,
    /// A practitioner needs both RPPS and profession; staff neither.
    #[error(
        "un professionnel de santé a un RPPS et une profession, un autre membre du personnel n'a ni l'un ni l'autre / a practitioner has both an RPPS and a profession, other staff neither"
    )]
    PractitionerFields,
}

/// What the membership rules need to know about the team given, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamChoice {
    /// No team.
    None,
    /// A team of the same organisation.
    OfThisOrganization,
    /// A team of another organisation.
    OfAnotherOrganization,
}

/// Checks that `role` makes sense for a person with `profession` (None for
/// staff without RPPS) in an organisation of `kind`, with the team given.
pub fn check_membership(
    kind: OrganizationKind,
    role: Role,
    profession: Option<Profession>,
    team: TeamChoice,
) -> Result<(), DirectoryError> {
    let allowed_here = match role {
        Role::Requester => kind.is_requesting_site(),
        Role::Expert | Role::Coordinator => kind == OrganizationKind::ResourceCentre,
        Role::OrgAdmin => true,
        Role::RegionalAdmin => kind == OrganizationKind::RegionalAgency,
    };
    if !allowed_here {
        return Err(DirectoryError::RoleNotInOrganization {
            role: role.code(),
            kind: kind.code(),
        });
    }
    if team == TeamChoice::OfAnotherOrganization {
        return Err(DirectoryError::TeamMismatch);
    }
    match role {
        Role::Requester if profession.is_none() => {
            Err(DirectoryError::NeedsPractitioner(role.code()))
        }
        Role::Expert => match profession {
            None => Err(DirectoryError::NeedsPractitioner(role.code())),
            Some(p) if !p.may_answer() => Err(DirectoryError::ProfessionMayNotAnswer(p.code())),
            Some(_) if team == TeamChoice::None => Err(DirectoryError::ExpertNeedsTeam),
            Some(_) => Ok(()),
        },
        // A coordinator without a team coordinates the whole centre.
        Role::Coordinator => Ok(()),
        _ if team != TeamChoice::None => Err(DirectoryError::TeamMismatch),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganizationKind as K;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_named() {
        for kind in K::ALL {
            assert_eq!(K::parse(kind.code()).unwrap(), *kind);
        }
        assert_eq!(K::parse("nursing-home").unwrap(), K::NursingHome);
        let err = Role::parse("boss").unwrap_err().to_string();
        assert!(err.contains("boss") && err.contains("requester"), "{err}");
    }

    #[test]
    fn membership_table() {
        let doctor = Some(Profession::Doctor);
        let nurse = Some(Profession::Nurse);
        let team = TeamChoice::OfThisOrganization;
        let none = TeamChoice::None;
        assert!(check_membership(K::Practice, Role::Requester, nurse, none).is_ok());
        assert!(check_membership(K::Practice, Role::Requester, None, none).is_err());
        assert!(check_membership(K::ResourceCentre, Role::Requester, doctor, none).is_err());
        assert!(check_membership(K::ResourceCentre, Role::Expert, doctor, team).is_ok());
        assert!(check_membership(K::ResourceCentre, Role::Expert, doctor, none).is_err());
        assert!(check_membership(K::ResourceCentre, Role::Expert, nurse, team).is_err());
        assert!(check_membership(K::NursingHome, Role::Expert, doctor, team).is_err());
        assert!(check_membership(K::ResourceCentre, Role::Coordinator, None, none).is_ok());
        assert!(check_membership(K::ResourceCentre, Role::Coordinator, None, team).is_ok());
        assert!(
            check_membership(
                K::ResourceCentre,
                Role::Expert,
                doctor,
                TeamChoice::OfAnotherOrganization
            )
            .is_err()
        );
        assert!(check_membership(K::RegionalAgency, Role::RegionalAdmin, None, none).is_ok());
        assert!(check_membership(K::Practice, Role::RegionalAdmin, None, none).is_err());
        assert!(check_membership(K::Practice, Role::OrgAdmin, None, none).is_ok());
        assert!(check_membership(K::Practice, Role::OrgAdmin, None, team).is_err());
    }

    #[test]
    fn response_target_bounds() {
        assert_eq!(ResponseTarget::default().hours(), 48);
        assert!(ResponseTarget::from_hours(0).is_err());
        assert!(ResponseTarget::from_hours(721).is_err());
        assert!(SpecialtyCode::parse(SpecialtyCode::CARDIOLOGY).is_ok());
        assert!(SpecialtyCode::parse("derma").is_err());
    }
}
