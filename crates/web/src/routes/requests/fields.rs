//! The questionnaire as HTML fields, and the posted form back into answers.

use consilium_domain::questionnaire::{Answer, Answers, Form, ItemType};

/// One question as the page shows it.
#[derive(Debug, Clone)]
pub struct Field {
    /// `linkId`, also the input's name.
    pub name: String,
    /// The question.
    pub text: String,
    /// `boolean`, `text`, `string`, `choice`, `multi` or `open`.
    pub kind: &'static str,
    /// Required?
    pub required: bool,
    /// Options: code, label, checked.
    pub options: Vec<(String, String, bool)>,
    /// Current text value.
    pub value: String,
    /// Whether the boolean is checked.
    pub checked: bool,
}

/// The fields of a form, filled with `answers`. A file question keeps its
/// place in the form, where the page puts the upload widget.
pub fn fields(form: &Form, answers: &Answers) -> Vec<Field> {
    form.items
        .iter()
        .map(|item| {
            let answer = answers.get(&item.link_id);
            let codes: Vec<String> = match answer {
                Some(Answer::Codes(codes)) => codes.clone(),
                _ => vec![],
            };
            let value = match answer {
                Some(Answer::Text(text)) => text.clone(),
                _ => String::new(),
            };
            let kind = match (item.item_type, item.repeats) {
                (ItemType::Boolean, _) => "boolean",
                (ItemType::Text, _) => "text",
                (ItemType::String, _) => "string",
                (ItemType::Choice, true) => "multi",
                (ItemType::Choice, false) => "choice",
                (ItemType::OpenChoice, _) => "open",
                (ItemType::Attachment, _) => "attachment",
            };
            Field {
                name: item.link_id.clone(),
                text: item.text.clone(),
                kind,
                required: item.required,
                options: item
                    .options
                    .iter()
                    .map(|(code, label)| (code.clone(), label.clone(), codes.contains(code)))
                    .collect(),
                value,
                checked: matches!(answer, Some(Answer::Boolean(true))),
            }
        })
        .collect()
}

/// Reads the posted fields into answers, as far as they go (a draft may be
/// incomplete; the form's rules are checked on sending).
pub fn answers(form: &Form, body: &[u8]) -> Answers {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let values = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| consilium_domain::text::clean(v).trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let mut answers = Answers::new();
    for item in &form.items {
        let name = item.link_id.as_str();
        let answer = match item.item_type {
            ItemType::Boolean => Some(Answer::Boolean(values(name).iter().any(|v| v == "true"))),
            ItemType::Text | ItemType::String => values(name).into_iter().next().map(Answer::Text),
            ItemType::Choice => Some(Answer::Codes(values(name)))
                .filter(|a| !matches!(a, Answer::Codes(c) if c.is_empty())),
            ItemType::OpenChoice => match values(&format!("{name}__text")).into_iter().next() {
                Some(text) => Some(Answer::Text(text)),
                None => Some(Answer::Codes(values(name)))
                    .filter(|a| !matches!(a, Answer::Codes(c) if c.is_empty())),
            },
            ItemType::Attachment => None,
        };
        if let Some(answer) = answer {
            answers.insert(name.to_owned(), answer);
        }
    }
    answers
}
