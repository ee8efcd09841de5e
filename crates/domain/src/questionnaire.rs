//! Questionnaires as data: each specialty's form (read from its FHIR
//! `Questionnaire`) and the rule that a request's answers are complete.
//! History, treatments and allergies are required everywhere and "none" is
//! an explicit answer, so "missing" cannot happen silently.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::directory::SpecialtyCode;

/// The kinds of question we use (FHIR `Questionnaire.item.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemType {
    /// Yes or no.
    Boolean,
    /// Free text, several lines.
    Text,
    /// Free text, one line.
    String,
    /// One (or, if repeating, several) of the options.
    Choice,
    /// An option, or free text.
    OpenChoice,
    /// Uploaded files.
    Attachment,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its stable id (`linkId`).
    pub link_id: String,
    /// The question, in French.
    pub text: String,
    /// Its kind.
    pub item_type: ItemType,
    /// Whether an answer is required.
    pub required: bool,
    /// Whether several answers are allowed.
    pub repeats: bool,
    /// The options (code, label) of a choice.
    pub options: Vec<(String, String)>,
}

/// A specialty's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Its id (`dermatology`…).
    pub id: String,
    /// Its canonical URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// The specialty it serves.
    pub specialty: SpecialtyCode,
    /// The questions, in order.
    pub items: Vec<Item>,
}

/// An answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Yes or no.
    Boolean(bool),
    /// Free text.
    Text(String),
    /// Option codes (or, for an open choice, free text in `Text`).
    Codes(Vec<String>),
    /// Uploaded files (their upload ids).
    Attachments(Vec<Uuid>),
}

/// Answers by `linkId`.
pub type Answers = BTreeMap<String, Answer>;

/// The longest free-text answer accepted.
pub const MAX_TEXT: usize = 4000;

/// Why answers are refused; each names the question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// A required question has no answer.
    #[error("« {text} » : champ obligatoire{hint} / '{text}': required")]
    Missing {
        /// The question's id.
        link_id: String,
        /// The question.
        text: String,
        /// What to choose when there is nothing to say, as the form words
        /// it (", s'il n'y en a pas, choisissez « Aucune connue »").
        hint: String,
    },
    /// Consent was not given.
    #[error(
        "le consentement du patient est obligatoire pour une télé-expertise / the patient's consent is required"
    )]
    NoConsent,
    /// A code that is not among the options.
    #[error(
        "réponse « {code} » inconnue pour « {link_id} » / unknown answer '{code}' for '{link_id}'"
    )]
    UnknownOption {
        /// The question's id.
        link_id: String,
        /// The code given.
        code: String,
    },
    /// An answer of the wrong kind, or to a question that does not exist.
    #[error("réponse invalide pour « {0} » / invalid answer for '{0}'")]
    Invalid(String),
    /// A required photo or document is missing.
    #[error(
        "ajoutez au moins un fichier pour « {0} » : l'expert ne peut pas répondre sans / add at least one file for '{0}': the expert cannot answer without"
    )]
    NoFile(String),
    /// A file for a question that takes none.
    #[error("cette demande ne prend pas de pièce « {0} » / this request takes no '{0}' files")]
    NoSuchAttachment(String),
    /// A text answer over [`MAX_TEXT`] characters.
    #[error(
        "réponse trop longue pour « {0} » (4000 caractères au plus) / answer too long for '{0}'"
    )]
    TooLong(String),
}

impl AnswerError {
    /// The question this problem is about, for a link to its field.
    pub fn link_id(&self) -> Option<&str> {
        match self {
            Self::Missing { link_id, .. } | Self::UnknownOption { link_id, .. } => Some(link_id),
            Self::Invalid(link_id) | Self::TooLong(link_id) => Some(link_id),
            Self::NoConsent => Some("consent"),
            Self::NoFile(_) | Self::NoSuchAttachment(_) => None,
        }
    }
}

impl Form {
    /// Checks that files may be attached as answers to `link_id`.
    pub fn takes_files(&self, link_id: &str) -> Result<(), AnswerError> {
        self.items
            .iter()
            .any(|i| i.link_id == link_id && i.item_type == ItemType::Attachment)
            .then_some(())
            .ok_or_else(|| AnswerError::NoSuchAttachment(link_id.to_owned()))
    }

    /// The answers as (question, answer) text lines, in the form's order,
    /// options by their display text; consent and files are left out (the
    /// page and the report show them apart).
    pub fn answer_lines(&self, answers: &Answers) -> Vec<(String, String)> {
        self.items
            .iter()
            .filter(|item| item.link_id != "consent")
            .filter_map(|item| {
                let text = match answers.get(&item.link_id)? {
                    Answer::Boolean(yes) => if *yes { "Oui" } else { "Non" }.to_owned(),
                    Answer::Text(text) => text.clone(),
                    Answer::Codes(codes) => codes
                        .iter()
                        .map(|code| {
                            item.options
                                .iter()
                                .find(|(c, _)| c == code)
                                .map_or(code.as_str(), |(_, display)| display.as_str())
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    Answer::Attachments(_) => return None,
                };
                Some((item.text.clone(), text))
            })
            .filter(|(_, text)| !text.trim().is_empty())
            .collect()
    }

    /// The question with this id.
    pub fn item(&self, link_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.link_id == link_id)
    }

    /// Checks answers against the form, in the form's order, so the first
    /// problem reported is the first on the page.
    pub fn validate(&self, answers: &Answers) -> Result<(), AnswerError> {
        match self.problems(answers).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem of the answers, in the form's order: a page lists them
    /// all at once, each linked to its field.
    pub fn problems(&self, answers: &Answers) -> Vec<AnswerError> {
        let mut problems: Vec<AnswerError> = answers
            .keys()
            .filter(|k| self.item(k).is_none())
            .map(|unknown| AnswerError::Invalid(unknown.clone()))
            .collect();
        for item in &self.items {
            let answer = answers.get(&item.link_id);
            let Some(answer) = answer.filter(|a| !is_empty(a)) else {
                if item.required && item.item_type == ItemType::Attachment {
                    problems.push(AnswerError::NoFile(item.text.clone()));
                } else if item.required {
                    let none = item.options.iter().find(|(code, _)| code == "none");
                    problems.push(AnswerError::Missing {
                        link_id: item.link_id.clone(),
                        text: item.text.clone(),
                        hint: none
                            .map(|(_, label)| {
                                format!(" ; s'il n'y en a pas, choisissez « {label} »")
                            })
                            .unwrap_or_default(),
                    });
                }
                continue;
            };
            if let Err(problem) = check_answer(item, answer) {
                problems.push(problem);
            }
        }
        problems
    }
}

fn is_empty(answer: &Answer) -> bool {
    match answer {
        Answer::Boolean(_) => false,
        Answer::Text(text) => text.trim().is_empty(),
        Answer::Codes(codes) => codes.is_empty(),
        Answer::Attachments(ids) => ids.is_empty(),
    }
}

fn check_answer(item: &Item, answer: &Answer) -> Result<(), AnswerError> {
    let invalid = || AnswerError::Invalid(item.link_id.clone());
    match (item.item_type, answer) {
        (ItemType::Boolean, Answer::Boolean(value)) => {
            if item.link_id == "consent" && !value {
                return Err(AnswerError::NoConsent);
            }
            Ok(())
        }
        (ItemType::Text | ItemType::String | ItemType::OpenChoice, Answer::Text(text)) => {
            if text.chars().count() > MAX_TEXT {
                Err(AnswerError::TooLong(item.link_id.clone()))
            } else {
                Ok(())
            }
        }
        (ItemType::Choice | ItemType::OpenChoice, Answer::Codes(codes)) => {
            if codes.len() > 1 && !item.repeats {
                return Err(invalid());
            }
            if codes.len() > 1 && codes.iter().any(|c| c == "none") {
                // "None" and a symptom at once contradict each other.
                return Err(invalid());
            }
            match codes
                .iter()
                .find(|code| !item.options.iter().any(|(c, _)| c == *code))
            {
                Some(code) => Err(AnswerError::UnknownOption {
                    link_id: item.link_id.clone(),
                    code: code.clone(),
                }),
                None => Ok(()),
            }
        }
        (ItemType::Attachment, Answer::Attachments(ids)) => {
            if ids.len() > 1 && !item.repeats {
                Err(invalid())
            } else {
                Ok(())
            }
        }
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        let item = |id: &str, t, required, options: &[&str]| Item {
            link_id: id.into(),
            text: id.to_uppercase(),
            item_type: t,
            required,
            repeats: id == "symptoms",
            options: options
                .iter()
                .map(|o| ((*o).to_owned(), (*o).to_owned()))
                .collect(),
        };
        Form {
            id: "dermatology".into(),
            url: "u".into(),
            title: "t".into(),
            specialty: SpecialtyCode::parse(SpecialtyCode::DERMATOLOGY).unwrap(),
            items: vec![
                item("consent", ItemType::Boolean, true, &[]),
                item("allergies", ItemType::OpenChoice, true, &["none"]),
                item(
                    "symptoms",
                    ItemType::Choice,
                    true,
                    &["none", "itch", "bleeding"],
                ),
                item("photos", ItemType::Attachment, false, &[]),
            ],
        }
    }

    fn complete() -> Answers {
        Answers::from([
            ("consent".to_owned(), Answer::Boolean(true)),
            ("allergies".to_owned(), Answer::Codes(vec!["none".into()])),
            (
                "symptoms".to_owned(),
                Answer::Codes(vec!["itch".into(), "bleeding".into()]),
            ),
        ])
    }

    #[test]
    fn complete_answers_pass_and_none_is_an_answer() {
        assert_eq!(form().validate(&complete()), Ok(()));
        let mut free_text = complete();
        free_text.insert("allergies".into(), Answer::Text("Pénicilline".into()));
        assert_eq!(form().validate(&free_text), Ok(()));
    }

    #[test]
    fn missing_allergies_are_named() {
        let mut answers = complete();
        answers.remove("allergies");
        let err = form().validate(&answers).unwrap_err();
        assert!(matches!(&err, AnswerError::Missing { link_id, .. } if link_id == "allergies"));
        assert!(err.to_string().contains("ALLERGIES"));
        answers.insert("allergies".into(), Answer::Text("   ".into()));
        assert!(
            matches!(form().validate(&answers), Err(AnswerError::Missing { .. })),
            "blank is missing"
        );
    }

    #[test]
    fn refusals() {
        let with = |key: &str, answer| {
            let mut a = complete();
            a.insert(key.to_owned(), answer);
            form().validate(&a)
        };
        assert_eq!(
            with("consent", Answer::Boolean(false)),
            Err(AnswerError::NoConsent)
        );
        assert!(matches!(
            with("symptoms", Answer::Codes(vec!["fever".into()])),
            Err(AnswerError::UnknownOption { .. })
        ));
        assert!(
            with(
                "symptoms",
                Answer::Codes(vec!["none".into(), "itch".into()])
            )
            .is_err()
        );
        assert!(with("allergies", Answer::Text("x".repeat(MAX_TEXT + 1))).is_err());
        assert!(with("consent", Answer::Text("oui".into())).is_err());
        assert!(with("unknown", Answer::Boolean(true)).is_err());
    }
}
