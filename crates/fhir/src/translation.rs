//! The FHIR `translation` extension on a string element (`_text`,
//! `_display`, `_title`): how a questionnaire carries its English words
//! beside the French ones, so a form stays data in one file.

use serde::{Deserialize, Serialize};

/// The extension's canonical URL.
pub const TRANSLATION: &str = "http://hl7.org/fhir/StructureDefinition/translation";

/// A FHIR `Extension` (the parts translations use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// What it is.
    pub url: String,
    /// Its parts (`lang`, `content`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// A code value (`lang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    /// A text value (`content`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
}

/// The extensions of a primitive element (`_text` beside `text`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translations {
    /// Its extensions.
    #[serde(default)]
    pub extension: Vec<Extension>,
}

impl Translations {
    /// The element in `lang`, if translated.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.extension
            .iter()
            .filter(|e| e.url == TRANSLATION)
            .find(|e| {
                e.extension
                    .iter()
                    .any(|p| p.url == "lang" && p.value_code.as_deref() == Some(lang))
            })
            .and_then(|e| e.extension.iter().find(|p| p.url == "content"))
            .and_then(|p| p.value_string.as_deref())
    }
}

/// `text` in `lang`: its translation if there is one, else `text` itself.
pub fn in_language<'a>(
    text: &'a str,
    translations: Option<&'a Translations>,
    lang: &str,
) -> &'a str {
    translations.and_then(|t| t.get(lang)).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::specialty_forms;

    #[test]
    fn each_form_reads_in_english_and_falls_back_to_french() {
        for (questionnaire, french) in specialty_forms().unwrap() {
            let english = questionnaire.to_form_in("test", "en").unwrap();
            assert_eq!(english.items.len(), french.items.len());
            assert!(
                english.title.starts_with("Tele-expertise"),
                "{}",
                english.title
            );
            let allergies = english.item("allergies").unwrap();
            assert_eq!(allergies.text, "Allergies");
            assert_eq!(allergies.options[0].1, "None known");
            assert_eq!(english.item("history").unwrap().text, "Medical history");
            // The codes do not change with the language.
            let codes = |f: &consilium_domain::questionnaire::Form| {
                f.items
                    .iter()
                    .flat_map(|i| i.options.iter().map(|(c, _)| c.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(codes(&english), codes(&french));
            // A language the file does not carry reads in French.
            assert_eq!(questionnaire.to_form_in("test", "de").unwrap(), french);
        }
    }
}
