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

/// A holder's name as public verification shows it: the first and the last character, a star
/// for each one between (张三明 → 张*明, 欧阳春锋 → 欧**锋); a two-character name keeps its
/// first (李四 → 李*), a single character becomes a star.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        2 => format!("{}*", chars[0]),
        n => {
            let mut out = String::new();
            out.push(chars[0]);
            out.extend(std::iter::repeat_n('*', n - 2));
            out.push(chars[n - 1]);
            out
        }
    }
}

/// An identity document number as people who may not see it whole see it: the first four and
/// last four characters with a star for each one between (`1201**********123X`); a number of
/// eight characters or fewer is all stars.
pub fn mask_identity(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let n = chars.len();
    if n <= 8 {
        return "*".repeat(n);
    }
    let mut out = String::with_capacity(id.len());
    out.extend(&chars[..4]);
    out.extend(std::iter::repeat_n('*', n - 8));
    out.extend(&chars[n - 4..]);
    out
}
