//! SHA-256, hex-encoded: the audit chain's link and the stored form of random secrets.

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash that starts a chain: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of rows of cells as a file held them, in order: per row its line number (8 bytes,
/// big-endian), its number of cells (4 bytes) and each cell as its length (4 bytes) and UTF-8
/// bytes. The length prefixes make the encoding unambiguous (no two different row lists hash
/// alike by moving text between cells or rows). The audit trail records it per import batch, so
/// the rows a batch wrote can be matched to a file afterwards.
#[derive(Clone, Default)]
pub struct RowsDigest(Sha256);

impl RowsDigest {
    pub fn new() -> RowsDigest {
        RowsDigest::default()
    }

    pub fn row<S: AsRef<str>>(&mut self, line: u64, cells: &[S]) {
        self.0.update(line.to_be_bytes());
        self.0.update((cells.len() as u32).to_be_bytes());
        for c in cells {
            let c = c.as_ref().as_bytes();
            self.0.update((c.len() as u32).to_be_bytes());
            self.0.update(c);
        }
    }

    pub fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::RowsDigest;

    #[test]
    fn moving_text_between_cells_or_rows_changes_the_digest() {
        let digest = |rows: &[(u64, &[&str])]| {
            let mut d = RowsDigest::new();
            for (line, cells) in rows {
                d.row(*line, cells);
            }
            d.finish()
        };
        let a = digest(&[(2, &["ab", "c"]), (3, &["d"])]);
        assert_eq!(a, digest(&[(2, &["ab", "c"]), (3, &["d"])]));
        assert_ne!(a, digest(&[(2, &["a", "bc"]), (3, &["d"])]));
        assert_ne!(a, digest(&[(2, &["ab", "c", "d"])]));
        assert_ne!(a, digest(&[(2, &["ab", "c"]), (4, &["d"])]));
        assert_eq!(a.len(), 64);
    }
}
