//! The expert's advice: structured so the requester reads it at a glance and
//! the report states it the same way every time.

use serde::{Deserialize, Serialize};

/// Whether the patient must be seen in person, and how soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visit {
    /// The requester treats alone.
    No,
    /// Within a week.
    WithinWeek,
    /// Within a month.
    WithinMonth,
    /// Within three months.
    WithinThreeMonths,
}

impl Visit {
    /// Every choice, in the order a form offers them.
    pub const ALL: [Self; 4] = [
        Self::No,
        Self::WithinWeek,
        Self::WithinMonth,
        Self::WithinThreeMonths,
    ];

    /// A stable code (forms, database, FHIR extension).
    pub fn code(self) -> &'static str {
        match self {
            Self::No => "no",
            Self::WithinWeek => "within_week",
            Self::WithinMonth => "within_month",
            Self::WithinThreeMonths => "within_three_months",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    /// In French, as the report and the pages say it.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::No => "Pas de consultation en présentiel",
            Self::WithinWeek => "Consultation en présentiel dans la semaine",
            Self::WithinMonth => "Consultation en présentiel dans le mois",
            Self::WithinThreeMonths => "Consultation en présentiel dans les trois mois",
        }
    }

    /// In English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::No => "No in-person visit",
            Self::WithinWeek => "In-person visit within a week",
            Self::WithinMonth => "In-person visit within a month",
            Self::WithinThreeMonths => "In-person visit within three months",
        }
    }

    /// True when the patient must come.
    pub fn is_needed(self) -> bool {
        self != Self::No
    }
}

/// A CIM-10 (ICD-10) code such as `L82` or `C43.5`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Icd10(String);

impl Icd10 {
    /// Checks the shape: a letter, two digits, optionally a dot and one or
    /// two more characters. Lower case is accepted and upper-cased.
    pub fn parse(text: &str) -> Result<Self, AdviceError> {
        let code = text.trim().to_uppercase();
        let bytes = code.as_bytes();
        let head_ok = bytes.len() >= 3
            && bytes[0].is_ascii_uppercase()
            && bytes[1].is_ascii_digit()
            && bytes[2].is_ascii_alphanumeric();
        let tail_ok = match &bytes[3.min(bytes.len())..] {
            [] => true,
            [b'.', rest @ ..] => {
                (1..=2).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric)
            }
            _ => false,
        };
        if head_ok && tail_ok {
            Ok(Self(code))
        } else {
            Err(AdviceError::Icd10(text.trim().to_owned()))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Icd10 {
    type Error = AdviceError;
    fn try_from(s: String) -> Result<Self, AdviceError> {
        Self::parse(&s)
    }
}

impl From<Icd10> for String {
    fn from(code: Icd10) -> Self {
        code.0
    }
}

/// What is wrong with an advice as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdviceError {
    /// A required field is empty.
    #[error("le champ « {0} » est obligatoire / {en} is required", en = field_en(.0))]
    Missing(&'static str),
    /// A field is too long.
    #[error("le champ « {0} » dépasse {1} caractères / {en} is over {1} characters", en = field_en(.0))]
    TooLong(&'static str, usize),
    /// Not a CIM-10 code.
    #[error(
        "« {0} » n'est pas un code CIM-10 (exemple : L82 ou C43.5) / '{0}' is not an ICD-10 code (for example L82 or C43.5)"
    )]
    Icd10(String),
}

/// An advice field's name in English, for the English half of a message.
fn field_en(name: &str) -> &'static str {
    match name {
        "hypothèse diagnostique" => "the diagnostic hypothesis",
        "conduite à tenir" => "the recommended management",
        "note" => "the note",
        _ => "this field",
    }
}

/// The expert's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    /// Diagnostic hypothesis, in the expert's words.
    pub hypothesis: String,
    /// Its CIM-10 code, when the expert gives one.
    pub icd10: Option<Icd10>,
    /// What the requester should do.
    pub management: String,
    /// Whether the patient must be seen in person.
    pub visit: Visit,
    /// Anything else.
    pub note: String,
}

const LONGEST: usize = 10_000;

impl Advice {
    /// Builds an advice from a form's fields, naming the first bad one.
    pub fn new(
        hypothesis: &str,
        icd10: &str,
        management: &str,
        visit: Visit,
        note: &str,
    ) -> Result<Self, AdviceError> {
        let required = |name: &'static str, text: &str| match text.trim() {
            "" => Err(AdviceError::Missing(name)),
            t if t.chars().count() > LONGEST => Err(AdviceError::TooLong(name, LONGEST)),
            t => Ok(t.to_owned()),
        };
        let note = note.trim();
        if note.chars().count() > LONGEST {
            return Err(AdviceError::TooLong("note", LONGEST));
        }
        Ok(Self {
            hypothesis: required("hypothèse diagnostique", hypothesis)?,
            icd10: match icd10.trim() {
                "" => None,
                code => Some(Icd10::parse(code)?),
            },
            management: required("conduite à tenir", management)?,
            visit,
            note: note.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_codes() {
        for good in ["L82", "c43.5", "D22.51", " L40.0 ", "U07.1"] {
            assert!(Icd10::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "L8", "43.5", "L82.", "L82.123", "L82-1", "LL2"] {
            assert!(Icd10::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Icd10::parse("c43.5").map(|c| c.0), Ok("C43.5".to_owned()));
    }

    #[test]
    fn an_advice_names_its_missing_field() {
        let err = Advice::new(" ", "", "Crème", Visit::No, "");
        assert_eq!(err, Err(AdviceError::Missing("hypothèse diagnostique")));
        let err = Advice::new("Kératose", "", "", Visit::No, "");
        assert_eq!(err, Err(AdviceError::Missing("conduite à tenir")));
        let err = Advice::new("Kératose", "XX", "Rien", Visit::No, "");
        assert!(matches!(err, Err(AdviceError::Icd10(_))));
        let ok = Advice::new(
            "Kératose séborrhéique",
            "l82",
            "Abstention",
            Visit::WithinMonth,
            "",
        );
        assert_eq!(ok.map(|a| a.icd10), Ok(Some(Icd10("L82".into()))));
    }

    #[test]
    fn visit_codes_round_trip() {
        for v in Visit::ALL {
            assert_eq!(Visit::parse(v.code()), Some(v));
        }
        assert!(!Visit::No.is_needed() && Visit::WithinMonth.is_needed());
    }
}
