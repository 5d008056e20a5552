//! Which table a CSV file's bytes are read with: UTF-8 or GB18030 (what Excel on a Chinese
//! Windows saves), decided on the evidence of the whole file, streamed, never on a sample.
//!
//! Chinese text in GB18030 is almost never valid UTF-8 (a GB18030 character forms a valid UTF-8
//! sequence about one time in seven), while a UTF-8 file with a damaged byte is still thousands
//! of valid sequences to one invalid. So: count, over the whole file, the valid multi-byte UTF-8
//! sequences and the invalid bytes. No invalid byte → UTF-8. At least twice as many valid
//! sequences as invalid bytes → UTF-8 with damaged rows, which are rejected one by one, never
//! stored as mojibake. Otherwise → GB18030, where rows that are not valid GB18030 are rejected.

use std::fs::File;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Decide from the file's bytes.
    #[default]
    Auto,
    Utf8,
    Gb18030,
}

impl Encoding {
    /// `auto`, `utf-8`, `gb18030` (and the names people use for it: `gbk`, `gb2312`).
    pub fn parse(s: &str) -> Option<Encoding> {
        Some(match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Encoding::Auto,
            "utf-8" | "utf8" => Encoding::Utf8,
            "gb18030" | "gbk" | "gb2312" | "cp936" => Encoding::Gb18030,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The encoding a CSV file is read in, and the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: Encoding,
    /// Chosen by the caller (`--encoding`), not by the evidence.
    pub chosen: bool,
    /// The file starts with a UTF-8 byte-order mark (skipped).
    pub bom: bool,
    /// Multi-byte UTF-8 sequences that are valid, and bytes that are not valid UTF-8.
    pub utf8_sequences: u64,
    pub utf8_invalid: u64,
}

/// Reads the whole file once, in 1 MiB pieces, and decides.
pub fn detect(path: &Path, choice: Encoding) -> std::io::Result<Detected> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut carry = 0usize;
    let (mut sequences, mut invalid) = (0u64, 0u64);
    let mut first = true;
    let mut bom = false;
    loop {
        let n = file.read(&mut buf[carry..])?;
        let eof = n == 0;
        let end = carry + n;
        let mut pos = 0;
        if first {
            bom = buf[..end].starts_with(&[0xEF, 0xBB, 0xBF]);
            first = false;
        }
        while pos < end {
            match std::str::from_utf8(&buf[pos..end]) {
                Ok(valid) => {
                    sequences += multibyte(valid.as_bytes());
                    pos = end;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    sequences += multibyte(&buf[pos..pos + good]);
                    match e.error_len() {
                        Some(bad) => {
                            invalid += 1;
                            pos += good + bad;
                        }
                        // A sequence cut by the end of this piece: finish it with the next.
                        None if !eof => {
                            pos += good;
                            break;
                        }
                        None => {
                            invalid += 1;
                            pos = end;
                        }
                    }
                }
            }
        }
        if eof {
            break;
        }
        buf.copy_within(pos..end, 0);
        carry = end - pos;
    }
    let evidence = if invalid == 0 || sequences >= 2 * invalid { Encoding::Utf8 } else { Encoding::Gb18030 };
    let (encoding, chosen) = match choice {
        Encoding::Auto => (evidence, false),
        other => (other, true),
    };
    Ok(Detected {
        encoding,
        chosen,
        bom: bom && encoding == Encoding::Utf8,
        utf8_sequences: sequences,
        utf8_invalid: invalid,
    })
}

/// Multi-byte sequences in valid UTF-8: their lead bytes.
fn multibyte(valid: &[u8]) -> u64 {
    valid.iter().filter(|&&b| b >= 0xC0).count() as u64
}

/// One field's text, or `None` when its bytes are not valid in `encoding`.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Gb18030 => {
            encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|c| c.into_owned())
        }
        Encoding::Utf8 | Encoding::Auto => std::str::from_utf8(bytes).ok().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    #[test]
    fn one_bad_byte_does_not_turn_a_utf8_file_into_gb18030() {
        let mut bytes = "姓名,区\n".as_bytes().to_vec();
        for i in 0..200 {
            bytes.extend(format!("张三{i},和平区\n").as_bytes());
        }
        bytes.extend(b"\xff\xfe,x\n");
        let (_d, path) = write(&bytes);
        let d = detect(&path, Encoding::Auto).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8, "{d:?}");
        assert_eq!(d.utf8_invalid, 2);
    }

    #[test]
    fn gb18030_after_a_long_ascii_start_is_still_gb18030() {
        let mut text = String::from("code,name\n");
        while text.len() < 200_000 {
            text.push_str("120101,abc\n");
        }
        text.push_str("120102,张三\n120103,李四\n");
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let (_d, path) = write(&bytes);
        assert_eq!(detect(&path, Encoding::Auto).unwrap().encoding, Encoding::Gb18030);
        assert_eq!(detect(&path, Encoding::Utf8).unwrap().encoding, Encoding::Utf8, "the caller's choice wins");
    }

    #[test]
    fn a_character_cut_between_two_pieces_is_still_valid() {
        // 1 MiB of ASCII minus one byte, then a three-byte character across the boundary.
        let mut bytes = vec![b'a'; (1 << 20) - 1];
        bytes.extend("中".as_bytes());
        let (_d, path) = write(&bytes);
        let d = detect(&path, Encoding::Auto).unwrap();
        assert_eq!((d.encoding, d.utf8_sequences, d.utf8_invalid), (Encoding::Utf8, 1, 0));
    }
}
