//! `Questionnaire`: the specialty forms, kept as FHIR JSON files in
//! `questionnaires/` and embedded in the binary, so a form is changed by
//! editing data, not code.

use consilium_domain::{
    directory::SpecialtyCode,
    questionnaire::{Form, Item, ItemType},
};
use serde::{Deserialize, Serialize};

use crate::translation::{Translations, in_language};

/// A FHIR `Coding`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    /// Code system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Code.
    pub code: String,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// The label in other languages.
    #[serde(rename = "_display", default, skip_serializing_if = "Option::is_none")]
    pub display_translations: Option<Translations>,
}

/// A FHIR `CodeableConcept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeableConcept {
    /// Codings.
    pub coding: Vec<Coding>,
}

/// `Questionnaire.useContext`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageContext {
    /// What kind of context.
    pub code: Coding,
    /// The specialty, as a SNOMED CT concept.
    pub value_codeable_concept: CodeableConcept,
}

/// `Questionnaire.item.answerOption`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerOption {
    /// The option.
    pub value_coding: Coding,
}

/// `Questionnaire.item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionnaireItem {
    /// Stable id.
    pub link_id: String,
    /// The question.
    pub text: String,
    /// The question in other languages.
    #[serde(rename = "_text", default, skip_serializing_if = "Option::is_none")]
    pub text_translations: Option<Translations>,
    /// `boolean`, `text`, `string`, `choice`, `open-choice`, `attachment`.
    #[serde(rename = "type")]
    pub item_type: String,
    /// Required?
    #[serde(default)]
    pub required: bool,
    /// Several answers?
    #[serde(default)]
    pub repeats: bool,
    /// Options of a choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answer_option: Vec<AnswerOption>,
}

/// A FHIR `Questionnaire` (the parts Consilium uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Questionnaire {
    /// Always `Questionnaire`.
    pub resource_type: String,
    /// Id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Version.
    pub version: String,
    /// Computer-friendly name.
    pub name: String,
    /// Title.
    pub title: String,
    /// The title in other languages.
    #[serde(rename = "_title", default, skip_serializing_if = "Option::is_none")]
    pub title_translations: Option<Translations>,
    /// `active`.
    pub status: String,
    /// The specialty.
    pub use_context: Vec<UsageContext>,
    /// Questions.
    pub item: Vec<QuestionnaireItem>,
}

/// Why a questionnaire file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    /// Not valid JSON for a Questionnaire.
    #[error("questionnaire {file}: {message}")]
    Parse {
        /// Which file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

const FILES: [(&str, &str); 3] = [
    (
        "dermatology.json",
        include_str!("../questionnaires/dermatology.json"),
    ),
    (
        "infectiology.json",
        include_str!("../questionnaires/infectiology.json"),
    ),
    (
        "cardiology.json",
        include_str!("../questionnaires/cardiology.json"),
    ),
];

impl Questionnaire {
    /// The domain form of this questionnaire, in French (its language).
    pub fn to_form(&self, file: &'static str) -> Result<Form, QuestionnaireError> {
        self.to_form_in(file, "fr")
    }

    /// The domain form in `lang`: each text its translation where the
    /// questionnaire has one, else the French.
    pub fn to_form_in(&self, file: &'static str, lang: &str) -> Result<Form, QuestionnaireError> {
        let error = |message: String| QuestionnaireError::Parse { file, message };
        let code = self
            .use_context
            .iter()
            .flat_map(|c| &c.value_codeable_concept.coding)
            .find(|c| c.system.as_deref() == Some("http://snomed.info/sct"))
            .ok_or_else(|| error("no SNOMED CT specialty in useContext".into()))?;
        let specialty = SpecialtyCode::parse(&code.code).map_err(|e| error(e.to_string()))?;
        let items = self
            .item
            .iter()
            .map(|i| {
                let item_type = match i.item_type.as_str() {
                    "boolean" => ItemType::Boolean,
                    "text" => ItemType::Text,
                    "string" => ItemType::String,
                    "choice" => ItemType::Choice,
                    "open-choice" => ItemType::OpenChoice,
                    "attachment" => ItemType::Attachment,
                    other => {
                        return Err(error(format!(
                            "item {}: unsupported type {other}",
                            i.link_id
                        )));
                    }
                };
                let options = i
                    .answer_option
                    .iter()
                    .map(|o| {
                        let display = o.value_coding.display.as_deref().unwrap_or_default();
                        let translations = o.value_coding.display_translations.as_ref();
                        (
                            o.value_coding.code.clone(),
                            in_language(display, translations, lang).to_owned(),
                        )
                    })
                    .collect();
                Ok(Item {
                    link_id: i.link_id.clone(),
                    text: in_language(&i.text, i.text_translations.as_ref(), lang).to_owned(),
                    item_type,
                    required: i.required,
                    repeats: i.repeats,
                    options,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Form {
            id: self.id.clone(),
            url: self.url.clone(),
            title: in_language(&self.title, self.title_translations.as_ref(), lang).to_owned(),
            specialty,
            items,
        })
    }
}

/// Every specialty's questionnaire, as shipped: the FHIR resource and its form.
pub fn specialty_forms() -> Result<Vec<(Questionnaire, Form)>, QuestionnaireError> {
    FILES
        .iter()
        .map(|(file, text)| {
            let questionnaire: Questionnaire =
                serde_json::from_str(text).map_err(|e| QuestionnaireError::Parse {
                    file,
                    message: e.to_string(),
                })?;
            let form = questionnaire.to_form(file)?;
            Ok((questionnaire, form))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_shipped_questionnaires_load_and_have_the_required_items() {
        let forms = specialty_forms().unwrap();
        let codes: Vec<&str> = forms.iter().map(|(_, f)| f.specialty.as_str()).collect();
        assert_eq!(
            codes,
            [
                SpecialtyCode::DERMATOLOGY,
                SpecialtyCode::INFECTIOLOGY,
                SpecialtyCode::CARDIOLOGY
            ]
        );
        for (questionnaire, form) in &forms {
            assert_eq!(questionnaire.resource_type, "Questionnaire");
            for required in ["consent", "question", "history", "treatments", "allergies"] {
                let item = form
                    .item(required)
                    .unwrap_or_else(|| panic!("{} lacks {required}", form.id));
                assert!(item.required, "{} {required}", form.id);
            }
            for with_none in ["history", "treatments", "allergies"] {
                assert!(
                    form.item(with_none)
                        .unwrap()
                        .options
                        .iter()
                        .any(|(c, _)| c == "none"),
                    "{with_none}: none"
                );
            }
            let json = serde_json::to_value(questionnaire).unwrap();
            assert_eq!(json["item"][0]["linkId"], "consent");
        }
        let derm = &forms[0].1;
        for item in [
            "body_site",
            "duration",
            "evolution",
            "symptoms",
            "phototype",
            "skin_cancer_history",
        ] {
            assert!(derm.item(item).is_some(), "dermatology lacks {item}");
        }
        let ecg = forms[2].1.item("ecg").unwrap();
        assert_eq!(ecg.item_type, ItemType::Attachment);
        assert!(ecg.required);
    }
}
