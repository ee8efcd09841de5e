//! A patient's identity as the INS rules describe it.

use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

pub use crate::directory::UnknownCode;
use crate::{NamePart, directory::coded_enum};

coded_enum!(
    /// The vigilance status of an identity (référentiel national d'identitovigilance).
    IdentityStatus {
        /// Entered without a proof of identity.
        Provisoire = "provisoire", "Identité provisoire";
        /// Retrieved from the national teleservice, not checked against a document.
        Recuperee = "recuperee", "Identité récupérée";
        /// Checked against an identity document.
        Validee = "validee", "Identité validée";
        /// Retrieved and checked: the only status whose INS may be shared (DMP).
        Qualifiee = "qualifiee", "Identité qualifiée";
    }
);

impl IdentityStatus {
    /// Only a qualified identity's INS may be shared with the national record.
    pub fn may_share_ins(self) -> bool {
        self == Self::Qualifiee
    }
}

coded_enum!(
    /// Administrative sex, as the INS records it (FHIR administrative gender).
    Sex {
        /// Féminin.
        Female = "female", "Féminin";
        /// Masculin.
        Male = "male", "Masculin";
        /// Indéterminé.
        Other = "other", "Indéterminé";
    }
);

/// The identity traits the INS rules compare (référentiel national
/// d'identitovigilance): birth family name, first names, birth date, sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits<'a> {
    /// Nom de naissance.
    pub birth_family_name: &'a NamePart,
    /// Prénoms de naissance, all of them.
    pub first_names: &'a NamePart,
    /// Date de naissance.
    pub birth_date: Date,
    /// Sexe.
    pub sex: Sex,
}

impl Traits<'_> {
    /// True when both describe the same person: the same birth date and
    /// sex, and the same names once case, accents and separators are set
    /// aside ("Lefèvre-Dupont" is "LEFEVRE DUPONT", as the INS writes it).
    /// Every first name must be there: a request must never reveal a trait
    /// the person typing it did not already know.
    pub fn same_person_as(&self, other: &Traits<'_>) -> bool {
        self.birth_date == other.birth_date
            && self.sex == other.sex
            && fold(self.birth_family_name.as_str()) == fold(other.birth_family_name.as_str())
            && fold(self.first_names.as_str()) == fold(other.first_names.as_str())
    }
}

/// A name as the INS compares it: capitals without accents, hyphens,
/// apostrophes and spaces as one space.
fn fold(name: &str) -> String {
    let letters: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            '-' | '\'' | '\u{2019}' | '.' => " ".to_owned(),
            'Œ' => "OE".to_owned(),
            'Æ' => "AE".to_owned(),
            other => other.to_string(),
        })
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a birth date is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    /// After today.
    #[error("date de naissance {0} dans le futur / birth date {0} is in the future")]
    Future(Date),
    /// More than [`OLDEST_AGE`] years ago.
    #[error(
        "date de naissance {0} invraisemblable (plus de 130 ans) / implausible birth date {0} (over 130 years ago)"
    )]
    TooOld(Date),
}

/// No living patient is older.
pub const OLDEST_AGE: i16 = 130;

/// Checks a birth date against `today` (in the users' time zone). A day
/// ahead is allowed: a child born after midnight in Réunion or New
/// Caledonia is still "yesterday" in Paris.
pub fn check_birth_date(date: Date, today: Date) -> Result<Date, BirthDateError> {
    if date > today.tomorrow().unwrap_or(today) {
        return Err(BirthDateError::Future(date));
    }
    let oldest = today
        .checked_sub(jiff::Span::new().years(OLDEST_AGE))
        .unwrap_or(Date::MIN);
    if date < oldest {
        return Err(BirthDateError::TooOld(date));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn name(text: &str) -> NamePart {
        NamePart::parse(text).unwrap()
    }

    #[test]
    fn the_same_person_whatever_the_case_accents_and_hyphens() {
        let (family, first) = (name("Lefèvre-Dupont"), name("Hélène Marie"));
        let (family2, first2) = (name("LEFEVRE DUPONT"), name("HELENE  MARIE"));
        let typed = Traits {
            birth_family_name: &family,
            first_names: &first,
            birth_date: date(1950, 3, 2),
            sex: Sex::Female,
        };
        let known = Traits {
            birth_family_name: &family2,
            first_names: &first2,
            ..typed
        };
        assert!(typed.same_person_as(&known));
        let (other, only_first) = (name("Lefèvre"), name("Hélène"));
        for different in [
            Traits {
                birth_date: date(1950, 3, 3),
                ..known
            },
            Traits {
                sex: Sex::Male,
                ..known
            },
            Traits {
                birth_family_name: &other,
                ..known
            },
            Traits {
                first_names: &only_first,
                ..known
            },
        ] {
            assert!(!typed.same_person_as(&different), "{different:?}");
        }
        assert_eq!(fold("Cœur"), fold("COEUR"));
        assert_eq!(fold("N'Diaye"), "N DIAYE");
    }

    #[test]
    fn birth_dates_in_the_future_or_long_ago_are_refused() {
        let today = date(2026, 12, 7);
        assert_eq!(
            check_birth_date(date(1950, 1, 1), today),
            Ok(date(1950, 1, 1))
        );
        assert!(check_birth_date(today, today).is_ok());
        assert!(
            check_birth_date(date(2026, 12, 8), today).is_ok(),
            "a day ahead overseas"
        );
        assert!(matches!(
            check_birth_date(date(2990, 1, 1), today),
            Err(BirthDateError::Future(_))
        ));
        assert!(matches!(
            check_birth_date(date(1, 1, 1), today),
            Err(BirthDateError::TooOld(_))
        ));
        assert!(check_birth_date(date(1896, 12, 7), today).is_ok());
        assert!(check_birth_date(date(1896, 12, 6), today).is_err());
        assert!(
            BirthDateError::Future(date(2990, 1, 1))
                .to_string()
                .contains("futur")
        );
    }

    #[test]
    fn only_qualified_identities_share_their_ins() {
        let sharing: Vec<_> = IdentityStatus::ALL
            .iter()
            .filter(|s| s.may_share_ins())
            .collect();
        assert_eq!(sharing, [&IdentityStatus::Qualifiee]);
        assert_eq!(
            IdentityStatus::parse("validee").unwrap().label_fr(),
            "Identité validée"
        );
    }
}
