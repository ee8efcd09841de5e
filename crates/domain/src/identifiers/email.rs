use serde::{Deserialize, Serialize};

use super::{IdError, string_identifier};

/// An e-mail address, trimmed and lower-cased so it can serve as a login.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an e-mail address (RFC 5322 addr-spec, at most 254 characters).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let value = input.trim().to_lowercase();
        let plausible = value.len() <= 254
            && value.contains('@')
            && !value.chars().any(char::is_control)
            && email_address::EmailAddress::is_valid(&value)
            && value
                .rsplit('@')
                .next()
                .is_some_and(|domain| !domain.is_empty());
        if !plausible {
            return Err(IdError::Format {
                kind: "adresse e-mail",
                value,
                expected: "de la forme nom@domaine.fr",
                expected_en: "like name@domain.org",
            });
        }
        Ok(Self(value))
    }
}

string_identifier!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_and_refuses() {
        assert_eq!(
            Email::parse(" Dr.Martin@Exemple.FR ").unwrap().as_str(),
            "dr.martin@exemple.fr"
        );
        for bad in [
            "",
            "martin",
            "@exemple.fr",
            "martin@",
            "a b@c.fr",
            "x@y\n.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn simple_addresses_round_trip(local in "[a-z][a-z0-9.]{0,20}[a-z0-9]", domain in "[a-z]{1,10}\\.(fr|org)") {
            prop_assume!(!local.contains(".."));
            let email = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
        }

        #[test]
        fn never_panics(input in "\\PC{0,40}") {
            let _ = Email::parse(&input);
        }
    }
}
