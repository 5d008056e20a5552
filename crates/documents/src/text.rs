//! Setting one line of text: characters to glyphs through the font's character map, widths from
//! its advance table, and line breaking for text that does not fit. Chinese and Latin text need
//! no shaping beyond this (no ligatures or reordering on a certificate).

use std::ops::Range;

use krilla::geom::Point;
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::DocumentError;
use crate::fonts::Face;

/// A run of text mapped to glyphs, with widths in em (multiply by the font size for points).
pub(crate) struct Run {
    pub(crate) glyphs: Vec<KrillaGlyph>,
}

impl Run {
    pub(crate) fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// Maps `text` to glyphs of `face`; `tracking` (in em) is added after every glyph but the last.
/// A character the font lacks is returned as the error, for the caller to name the field.
pub(crate) fn set(face: &Face, text: &str, tracking: f32) -> Result<Result<Run, char>, DocumentError> {
    let font = face.font_ref()?;
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let units_per_em = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
    let mut glyphs = Vec::with_capacity(text.len());
    for (start, ch) in text.char_indices() {
        let Some(id) = charmap.map(ch) else { return Ok(Err(ch)) };
        let advance = metrics.advance_width(id).unwrap_or(0.0) / units_per_em;
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(id.to_u32()),
            advance + tracking,
            0.0,
            0.0,
            0.0,
            start..start + ch.len_utf8(),
            None,
        ));
    }
    if let Some(last) = glyphs.last_mut() {
        last.x_advance -= tracking;
    }
    Ok(Ok(Run { glyphs }))
}

/// Draws a run with its baseline starting at `(x, baseline)` in the current fill.
pub(crate) fn draw(surface: &mut Surface, face: &Face, run: &Run, text: &str, x: f32, baseline: f32, size: f32) {
    surface.draw_glyphs(Point::from_xy(x, baseline), &run.glyphs, face.font.clone(), text, size, false);
}

/// Where to break `text` (its runs' per-character advances in em, one per character) into lines
/// no wider than `max_em`. Breaks fall after spaces, around Chinese characters (never before
/// closing punctuation), after the separators of a URL, and anywhere as a last resort.
pub(crate) fn break_lines(text: &str, advances: &[f32], max_em: f32) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut lines = Vec::new();
    let mut start = 0; // index into `chars`
    let mut width = 0.0;
    let mut last_break: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        if i > start && can_break_before(chars[i - 1].1, chars[i].1) {
            last_break = Some(i);
        }
        if width + advances[i] > max_em && i > start {
            let cut = last_break.unwrap_or(i);
            lines.push(trimmed(&chars, start, cut, text.len()));
            start = cut;
            while start < chars.len() && chars[start].1 == ' ' {
                start += 1;
            }
            width = advances[start..i.max(start)].iter().sum();
            last_break = None;
            if start > i {
                i = start;
                continue;
            }
        }
        width += advances[i];
        i += 1;
    }
    if start < chars.len() {
        lines.push(trimmed(&chars, start, chars.len(), text.len()));
    }
    lines
}

/// The byte range of characters `from..to`, without trailing spaces.
fn trimmed(chars: &[(usize, char)], from: usize, mut to: usize, text_len: usize) -> Range<usize> {
    while to > from + 1 && chars[to - 1].1 == ' ' {
        to -= 1;
    }
    let end = chars.get(to).map_or(text_len, |c| c.0);
    chars[from].0..end
}

fn can_break_before(prev: char, next: char) -> bool {
    if next == ' ' {
        return false;
    }
    if prev == ' ' {
        return true;
    }
    if is_closing(next) || is_opening(prev) {
        return false;
    }
    if is_wide(prev) || is_wide(next) {
        return true;
    }
    // In a URL, break before a separator (so a line never ends in a hyphen a reader would
    // drop), never inside "://" or "//", and after "=" or "&".
    let separator = |c: char| matches!(c, '/' | '.' | '-' | '_' | '?' | '#' | '&' | '=' | ':');
    (separator(next) && !separator(prev)) || (matches!(prev, '=' | '&') && !separator(next))
}

/// Chinese characters and full-width punctuation: a line may break on either side of them.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）》」』】,.;:!?)]".contains(c)
}

fn is_opening(c: char) -> bool {
    "（《「『【([".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max_chars: f32) -> Vec<&str> {
        let advances = vec![1.0; text.chars().count()];
        break_lines(text, &advances, max_chars).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn latin_breaks_between_words() {
        assert_eq!(lines("has been assessed by this body", 12.0), ["has been", "assessed by", "this body"]);
    }

    #[test]
    fn chinese_breaks_between_characters_but_not_before_closing_punctuation() {
        assert_eq!(lines("经本机构评价，特发此证。", 6.0), ["经本机构评", "价，特发此", "证。"]);
    }

    #[test]
    fn urls_break_before_separators_and_long_words_anywhere() {
        assert_eq!(lines("https://example.cn/v/0193a7b2", 20.0), ["https://example.cn/v", "/0193a7b2"]);
        assert_eq!(lines("https://e.cn/v/0193a7b2-5c4e", 24.0), ["https://e.cn/v/0193a7b2", "-5c4e"]);
        assert_eq!(lines("https://e.cn/v?a=1&b=2", 17.0), ["https://e.cn/v?a=", "1&b=2"]);
        assert_eq!(lines("abcdefghij", 4.0), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn text_that_fits_is_one_line() {
        assert_eq!(lines("张三明", 10.0), ["张三明"]);
    }
}
