use serde::{Deserialize, Serialize};

use super::{IdError, compact_upper, string_identifier};

/// The national health identifier (Identifiant national de santé): the
/// 13-character NIR followed by its 2-digit key, `97 − (NIR mod 97)`, where
/// the Corsican departments 2A and 2B count as 19 and 18.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ins(String);

const EXPECTED: &str = "15 caractères : NIR (13, 2A/2B pour la Corse) et clé (2 chiffres)";
const EXPECTED_EN: &str = "15 characters: NIR (13, 2A/2B for Corsica) and key (2 digits)";

impl Ins {
    /// Parses an INS; spaces are ignored, `2a`/`2b` upper-cased.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let value = compact_upper(input);
        let format_error = || IdError::Format {
            kind: "INS",
            value: value.clone(),
            expected: EXPECTED,
            expected_en: EXPECTED_EN,
        };
        if value.len() != 15 || !value.is_ascii() {
            return Err(format_error());
        }
        let (nir, key) = value.split_at(13);
        let nir_number = nir_as_number(nir).ok_or_else(format_error)?;
        let key: u64 = key.parse().map_err(|_| format_error())?;
        if key != 97 - nir_number % 97 {
            return Err(IdError::CheckDigit { kind: "INS", value });
        }
        Ok(Self(value))
    }

    /// Builds the valid INS of a 13-character NIR (for demo data and tests).
    pub fn from_nir(nir: &str) -> Result<Self, IdError> {
        let nir = nir.to_ascii_uppercase();
        let number = nir_as_number(&nir).ok_or_else(|| IdError::Format {
            kind: "INS",
            value: nir.clone(),
            expected: EXPECTED,
            expected_en: EXPECTED_EN,
        })?;
        Self::parse(&format!("{nir}{:02}", 97 - number % 97))
    }

    /// The NIR part (13 characters).
    pub fn nir(&self) -> &str {
        &self.0[..13]
    }

    /// The 2-digit key.
    pub fn key(&self) -> &str {
        &self.0[13..]
    }
}

/// The NIR as the number its key is computed on, or `None` if it is not a
/// NIR: a sex digit (1, 2, 3, 4, 7, 8), then digits, with 2A/2B only as the
/// department.
fn nir_as_number(nir: &str) -> Option<u64> {
    let bytes = nir.as_bytes();
    if bytes.len() != 13 || !matches!(bytes[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return None;
    }
    let digits = match &nir[5..7] {
        "2A" => format!("{}19{}", &nir[..5], &nir[7..]),
        "2B" => format!("{}18{}", &nir[..5], &nir[7..]),
        _ => nir.to_owned(),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

string_identifier!(Ins);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn key_is_97_minus_nir_mod_97() {
        // 2 55 08 21 231 017 : 2550821231017 mod 97 = 93, key 04.
        assert_eq!(2_550_821_231_017u64 % 97, 93);
        let ins = Ins::parse("2 55 08 21 231 017 04").unwrap();
        assert_eq!(ins.nir(), "2550821231017");
        assert_eq!(ins.key(), "04");
        assert!(matches!(
            Ins::parse("255082123101775"),
            Err(IdError::CheckDigit { .. })
        ));
    }

    #[test]
    fn corsica_counts_2a_as_19_and_2b_as_18() {
        let a = Ins::from_nir("185072A123456").unwrap();
        assert_eq!(a.key(), format!("{:02}", 97 - 1_850_719_123_456u64 % 97));
        let b = Ins::from_nir("185072b123456").unwrap();
        assert_eq!(
            b.as_str(),
            format!("185072B123456{:02}", 97 - 1_850_718_123_456u64 % 97)
        );
        assert!(Ins::parse(&b.as_str().to_lowercase()).is_ok());
    }

    #[test]
    fn malformed_values_are_format_errors() {
        for bad in [
            "",
            "1234",
            "5550821231017xx",
            "2550821231017AB",
            "25508212310177",
            "2552A21231017é",
        ] {
            assert!(
                matches!(Ins::parse(bad), Err(IdError::Format { .. })),
                "{bad}"
            );
        }
        assert!(Ins::parse("1850721123456").is_err()); // a NIR without its key
    }

    proptest! {
        #[test]
        fn any_nir_with_its_key_parses(sex in "[123478]", rest in "[0-9]{12}") {
            let nir = format!("{sex}{rest}");
            let ins = Ins::from_nir(&nir).unwrap();
            prop_assert_eq!(ins.nir(), nir.as_str());
            prop_assert_eq!(Ins::parse(ins.as_str()).unwrap(), ins);
        }

        #[test]
        fn a_wrong_key_is_refused(sex in "[123478]", rest in "[0-9]{12}", delta in 1u64..97) {
            let ins = Ins::from_nir(&format!("{sex}{rest}")).unwrap();
            let key: u64 = ins.key().parse().unwrap();
            let wrong = (key + delta - 1) % 97 + 1;
            prop_assume!(wrong != key);
            let altered = format!("{}{:02}", ins.nir(), wrong);
            prop_assert!(Ins::parse(&altered).is_err());
        }

        #[test]
        fn never_panics(input in "\\PC{0,20}") {
            let _ = Ins::parse(&input);
        }
    }
}
