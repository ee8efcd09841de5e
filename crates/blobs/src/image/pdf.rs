//! PDFs (an ECG, a letter) are stored as sent, unless they can act when
//! opened: JavaScript, launching a program, submitting a form, embedded
//! files or multimedia. A reader of the request opens them on a hospital
//! workstation; such a file is refused with what to do instead. A
//! password-protected PDF cannot be checked (nor read by the expert) and is
//! refused too.

use lopdf::{Dictionary, Document, LoadOptions, Object};

use super::ImageError;

/// Keys that only active content uses.
const ACTIVE_KEYS: [&[u8]; 8] = [
    b"JS",
    b"JavaScript",
    b"AA",
    b"XFA",
    b"RichMedia",
    b"EmbeddedFiles",
    b"EmbeddedFile",
    b"EF",
];

/// Actions (`/S`) that run something, send something or open another file.
const ACTIVE_ACTIONS: [&[u8]; 7] = [
    b"JavaScript",
    b"Launch",
    b"SubmitForm",
    b"ImportData",
    b"RichMediaExecute",
    b"GoToE",
    b"Rendition",
];

/// No single stream of a sent PDF needs to inflate to more (a bomb would).
const MAX_INFLATED: usize = 32 * 1024 * 1024;

/// Refuses a PDF that is damaged, encrypted or active.
pub(super) fn check(bytes: &[u8]) -> Result<(), ImageError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options)
        .map_err(|e| ImageError::Corrupt(format!("PDF: {e}")))?;
    if document.is_encrypted() || document.trailer.has(b"Encrypt") {
        return Err(ImageError::EncryptedPdf);
    }
    let active = std::iter::once(&document.trailer)
        .chain(document.objects.values().filter_map(dictionary_of))
        .any(|d| is_active(d, 0));
    if active {
        return Err(ImageError::ActivePdf);
    }
    Ok(())
}

fn dictionary_of(object: &Object) -> Option<&Dictionary> {
    match object {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// True when `dictionary`, or one written inside it, holds active content.
fn is_active(dictionary: &Dictionary, depth: usize) -> bool {
    if depth > 32 {
        return true; // nobody nests that deep but to hide something
    }
    let action = dictionary
        .get(b"S")
        .ok()
        .and_then(|s| s.as_name().ok())
        .is_some_and(|name| ACTIVE_ACTIONS.contains(&name));
    let embedded = dictionary
        .get(b"Type")
        .ok()
        .and_then(|t| t.as_name().ok())
        .is_some_and(|name| name == b"EmbeddedFile");
    action
        || embedded
        || dictionary.iter().any(|(key, value)| {
            ACTIVE_KEYS.contains(&key.as_slice()) || nested_active(value, depth + 1)
        })
}

fn nested_active(object: &Object, depth: usize) -> bool {
    match object {
        Object::Dictionary(d) => is_active(d, depth),
        Object::Stream(s) => is_active(&s.dict, depth),
        Object::Array(items) => items.iter().any(|item| nested_active(item, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::pdf;

    #[test]
    fn plain_pdfs_pass_active_ones_do_not() {
        assert_eq!(check(&pdf(&[])), Ok(()));
        // A link to a page, opened on the first page: harmless.
        assert_eq!(check(&pdf(&[("OpenAction", "[3 0 R /Fit]")])), Ok(()));
        for catalog_extra in [
            ("OpenAction", "<< /S /JavaScript /JS (app.alert(1)) >>"),
            ("OpenAction", "<< /S /Launch /F (cmd.exe) >>"),
            ("AA", "<< /O << /S /JavaScript /JS (x) >> >>"),
            (
                "Names",
                "<< /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>",
            ),
            ("Names", "<< /EmbeddedFiles << /Names [] >> >>"),
            (
                "OpenAction",
                "<< /S /J#61vaScript /JS (hidden by an escape) >>",
            ),
        ] {
            let active = pdf(&[catalog_extra]);
            assert_eq!(
                check(&active),
                Err(ImageError::ActivePdf),
                "{catalog_extra:?}"
            );
        }
        assert!(matches!(
            check(b"%PDF-1.7\ngarbage"),
            Err(ImageError::Corrupt(_))
        ));
    }
}
