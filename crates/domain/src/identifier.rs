//! What the identifier parsers (`id_number`, `uscc`, `certificate_no`) share: the segment a CLI
//! prints, and how typed input is folded before parsing.

use crate::bilingual::Msg;

/// One segment of an identifier, for a CLI to print: (label, value, meaning).
pub type Segment = (Msg, String, Msg);

/// Trims, and folds full-width ASCII variants (`０`–`９`, `Ａ`–`Ｚ`, …, U+FF01–U+FF5E) and the
/// ideographic space to ASCII, as typed with a Chinese input method. Shared by the identifier
/// parsers.
pub(crate) fn normalize_input(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}
