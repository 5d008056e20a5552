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

/// What someone typed to find a person by identity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberQuery {
    /// A whole number (15 or 18 characters), matched exactly.
    Whole(String),
    /// The first and last four characters, as a masked number shows them (`1201**********123X`).
    Masked { head: String, tail: String },
    /// The last four characters alone (尾号).
    Tail(String),
}

/// Reads a number search: a whole number, a masked number (the first four characters, one or
/// more masking marks `*` `＊` `…` `.` `·`, the last four), or four characters alone. Spaces are
/// ignored and a check letter may be lower case; anything else is `None`.
pub fn number_query(input: &str) -> Option<NumberQuery> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let is_digit_or_x = |c: char| c.is_ascii_digit() || c == 'X';
    let is_mask = |c: char| matches!(c, '*' | '＊' | '…' | '.' | '·' | '×');
    let chars: Vec<char> = s.chars().collect();
    let plain = chars.iter().all(|c| is_digit_or_x(*c));
    match chars.len() {
        4 if plain => Some(NumberQuery::Tail(s)),
        15 | 18 if plain => Some(NumberQuery::Whole(s)),
        n if n > 8 => {
            let (head, rest) = chars.split_at(4);
            let (mask, tail) = rest.split_at(n - 8);
            let ok = head.iter().all(|c| c.is_ascii_digit())
                && tail.iter().all(|c| is_digit_or_x(*c))
                && mask.iter().all(|c| is_mask(*c));
            ok.then(|| NumberQuery::Masked { head: head.iter().collect(), tail: tail.iter().collect() })
        }
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_search_reads_whole_masked_and_tail_forms() {
        let masked = |h: &str, t: &str| Some(NumberQuery::Masked { head: h.into(), tail: t.into() });
        assert_eq!(number_query(" 12010119900101123x "), Some(NumberQuery::Whole("12010119900101123X".into())));
        assert_eq!(number_query("1201**********123X"), masked("1201", "123X"));
        assert_eq!(number_query(&mask_identity("120101199001011234")), masked("1201", "1234"));
        assert_eq!(number_query("1201＊＊＊＊1234"), masked("1201", "1234"), "full-width stars, fewer of them");
        assert_eq!(number_query("1201…123x"), masked("1201", "123X"));
        assert_eq!(number_query("0012"), Some(NumberQuery::Tail("0012".into())));
        assert_eq!(number_query("123X"), Some(NumberQuery::Tail("123X".into())));
        for bad in ["", "12", "12345", "1201-1234", "ABCD**1234", "1201**12X4Y", "张三", "120101199001"] {
            assert_eq!(number_query(bad), None, "{bad}");
        }
    }
}
