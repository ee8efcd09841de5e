//! Free text as people type it, cleaned at the boundary. Control characters
//! (NUL, ESC…) and the invisible characters that reorder or hide text
//! (bidirectional overrides such as U+202E, zero-width spaces, the BOM) have
//! no place in a name, an answer or an advice: an override makes
//! "(CIM-10 L30.9)" read backwards on the page and in the signed report.

/// True for a character that changes how text around it is ordered or shown
/// without being seen itself: bidirectional embeddings, overrides and
/// isolates, directional marks, zero-width characters, the BOM.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// True for a character free text may not hold: a control character other
/// than a line break or a tab, or an invisible formatting character.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_invisible_format(c)
}

/// The text without forbidden characters; line breaks become `\n`.
pub fn clean(input: &str) -> String {
    input
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !is_forbidden(c))
        .collect()
}

/// One line of text (a place, a file name, a short label): [`clean`], and
/// line breaks and tabs become spaces.
pub fn clean_line(input: &str) -> String {
    clean(input)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn overrides_and_controls_go_line_breaks_stay() {
        assert_eq!(clean("(CIM-10 \u{202E}L30.9)"), "(CIM-10 L30.9)");
        assert_eq!(clean("a\u{0}b\u{1b}[31mc"), "ab[31mc");
        assert_eq!(
            clean("ligne 1\r\nligne 2\rligne 3"),
            "ligne 1\nligne 2\nligne 3"
        );
        assert_eq!(clean("\u{feff}Dupont\u{200b}"), "Dupont");
        assert_eq!(
            clean("Lefèvre – allergie à l'amoxicilline"),
            "Lefèvre – allergie à l'amoxicilline"
        );
        assert_eq!(
            clean_line("Bâtiment B\nporte 3\t2e étage"),
            "Bâtiment B porte 3 2e étage"
        );
    }

    proptest! {
        #[test]
        fn nothing_forbidden_survives(input in "\\PC{0,40}|[\u{0}-\u{1f}\u{202a}-\u{202e}a-z]{0,40}") {
            let cleaned = clean(&input);
            prop_assert!(!cleaned.chars().any(is_forbidden));
            prop_assert_eq!(clean(&cleaned), cleaned.clone());
        }
    }
}
