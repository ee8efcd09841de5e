use serde::{Deserialize, Serialize};

use super::{IdError, compact_upper, luhn, string_identifier};

/// The 9-character number of a health establishment (Fichier national des
/// établissements sanitaires et sociaux): a department (2 digits, or 2A/2B
/// in Corsica), 6 digits, and a Luhn check digit over the whole number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Finess(String);

impl Finess {
    /// Parses a FINESS number; spaces are ignored, `2a`/`2b` upper-cased.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let value = compact_upper(input);
        let bytes = value.as_bytes();
        let corsica = bytes.len() == 9 && bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B');
        let well_formed = bytes.len() == 9
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || (i == 1 && corsica));
        if !well_formed {
            return Err(IdError::Format {
                kind: "FINESS",
                value,
                expected: "9 caractères (chiffres, 2A/2B pour la Corse)",
                expected_en: "9 characters (digits, 2A/2B for Corsica)",
            });
        }
        // Corsican numbers replace the department's letter by 0 for the key,
        // as the FINESS directory does.
        let digits: Vec<u8> = bytes
            .iter()
            .map(|b| if b.is_ascii_digit() { *b } else { b'0' })
            .collect();
        if !luhn::is_valid(&digits) {
            return Err(IdError::CheckDigit {
                kind: "FINESS",
                value,
            });
        }
        Ok(Self(value))
    }

    /// Builds the valid FINESS whose first eight digits are `body`.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        let check = luhn::check_digit(body.as_bytes());
        Self::parse(&format!("{body}{}", char::from(check)))
    }
}

string_identifier!(Finess);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_establishments_parse() {
        // CHU Dijon Bourgogne and AP-HP, from the public FINESS directory.
        for n in ["210780581", "750712184"] {
            assert!(Finess::parse(n).is_ok(), "{n}");
        }
        assert!(matches!(
            Finess::parse("210780582"),
            Err(IdError::CheckDigit { .. })
        ));
        assert!(matches!(
            Finess::parse("21078058"),
            Err(IdError::Format { .. })
        ));
        assert!(matches!(
            Finess::parse("2C0000000"),
            Err(IdError::Format { .. })
        ));
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_digit_parses(body in "[0-9]{8}") {
            let finess = Finess::from_body(&body).unwrap();
            prop_assert_eq!(Finess::parse(finess.as_str()).unwrap(), finess);
        }

        #[test]
        fn never_panics(input in "\\PC{0,12}") {
            let _ = Finess::parse(&input);
        }
    }
}
