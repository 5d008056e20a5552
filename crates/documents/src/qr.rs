//! The verification QR code, drawn as filled rectangles (one per run of dark modules in a row),
//! so it stays sharp at any zoom and costs no image decoder.

use krilla::geom::{Path, PathBuilder, Rect};
use qrcode::{Color, EcLevel, QrCode};

use crate::DocumentError;

/// The dark modules of the QR code for `content`, as one path filling a `size` × `size` square
/// whose top-left corner is `(x, y)`. The caller keeps four modules of white space around it.
pub(crate) fn qr_path(content: &str, x: f32, y: f32, size: f32) -> Result<Path, DocumentError> {
    let code = QrCode::with_error_correction_level(content.as_bytes(), EcLevel::M)
        .map_err(|_| DocumentError::QrTooLong { bytes: content.len() })?;
    let width = code.width();
    let module = size / width as f32;
    let colors = code.to_colors();
    let mut path = PathBuilder::new();
    for (row, cells) in colors.chunks(width).enumerate() {
        let mut col = 0;
        while col < width {
            if cells[col] != Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < width && cells[col] == Color::Dark {
                col += 1;
            }
            let rect = Rect::from_xywh(
                x + start as f32 * module,
                y + row as f32 * module,
                (col - start) as f32 * module,
                module,
            );
            if let Some(rect) = rect {
                path.push_rect(rect);
            }
        }
    }
    path.finish().ok_or(DocumentError::QrTooLong { bytes: content.len() })
}
