use serde::{Deserialize, Serialize};

use super::{IdError, compact_upper, luhn, string_identifier};

/// A practitioner's lifelong national number (Répertoire partagé des
/// professionnels de santé): 11 digits, the last a Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rpps(String);

impl Rpps {
    /// Parses an RPPS number; spaces are ignored.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let value = compact_upper(input);
        if value.len() != 11 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format {
                kind: "RPPS",
                value,
                expected: "11 chiffres",
                expected_en: "11 digits",
            });
        }
        if !luhn::is_valid(value.as_bytes()) {
            return Err(IdError::CheckDigit {
                kind: "RPPS",
                value,
            });
        }
        Ok(Self(value))
    }

    /// Builds the valid RPPS whose first ten digits are `body` (for demo
    /// data and tests).
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        let check = luhn::check_digit(body.as_bytes());
        Self::parse(&format!("{body}{}", char::from(check)))
    }
}

string_identifier!(Rpps);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_a_valid_number_with_spaces() {
        let rpps = Rpps::parse(" 1000 0000 009 ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rpps.as_str(), "10000000009");
    }

    #[test]
    fn refusal_names_the_number() {
        let err = Rpps::parse("10000000004").unwrap_err();
        assert!(matches!(err, IdError::CheckDigit { .. }));
        assert!(err.to_string().contains("10000000004"));
        assert!(matches!(Rpps::parse("1234"), Err(IdError::Format { .. })));
        assert!(matches!(
            Rpps::parse("1000000000a"),
            Err(IdError::Format { .. })
        ));
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_digit_parses(body in "[0-9]{10}") {
            let rpps = Rpps::from_body(&body).unwrap();
            prop_assert!(rpps.as_str().starts_with(&body));
            prop_assert_eq!(Rpps::parse(rpps.as_str()).unwrap(), rpps);
        }

        #[test]
        fn changing_one_digit_is_detected(body in "[0-9]{10}", pos in 0usize..11, delta in 1u8..10) {
            let rpps = Rpps::from_body(&body).unwrap();
            let mut bytes = rpps.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let altered = String::from_utf8(bytes).unwrap();
            prop_assert!(Rpps::parse(&altered).is_err());
        }

        #[test]
        fn never_panics(input in "\\PC{0,20}") {
            let _ = Rpps::parse(&input);
        }
    }
}
