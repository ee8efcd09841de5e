use serde::{Deserialize, Serialize};

use super::{IdError, string_identifier};

/// One part of a person's or organisation's name (given names, family name,
/// an establishment's name): trimmed, inner whitespace collapsed, 1 to 200
/// characters, at least one letter, no control or invisible formatting
/// character (a bidirectional override would show the name reversed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NamePart(String);

impl NamePart {
    /// Parses a name part.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let value = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let valid = (1..=200).contains(&value.chars().count())
            && value.chars().any(char::is_alphabetic)
            && !value.chars().any(crate::text::is_forbidden);
        if !valid {
            return Err(IdError::Format {
                kind: "nom",
                value,
                expected: "1 à 200 caractères dont au moins une lettre",
                expected_en: "1 to 200 characters with at least one letter",
            });
        }
        Ok(Self(value))
    }
}

string_identifier!(NamePart);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapses_whitespace_and_refuses_empty() {
        assert_eq!(
            NamePart::parse("  Jean   Pierre ").unwrap().as_str(),
            "Jean Pierre"
        );
        assert_eq!(
            NamePart::parse("Lefèvre-Dupont").unwrap().as_str(),
            "Lefèvre-Dupont"
        );
        for bad in [
            "",
            "   ",
            "123",
            "a\u{0}b",
            "Dupont\u{202e}",
            "\u{200b}Marie",
        ] {
            assert!(NamePart::parse(bad).is_err(), "{bad:?}");
        }
        assert!(NamePart::parse(&"é".repeat(201)).is_err());
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(input in "\\PC{0,60}") {
            if let Ok(name) = NamePart::parse(&input) {
                prop_assert_eq!(NamePart::parse(name.as_str()).unwrap(), name);
            }
        }
    }
}
