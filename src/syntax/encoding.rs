//! The bytes of a file as UTF-8 text, or a diagnostic that says what they are instead:
//! UTF-16, binary data, a file cut inside a character, or another 8-bit encoding.

use crate::diagnostic::{Code, Diagnostic};

/// The UTF-8 byte-order mark, which is ignored.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes are looked at to recognise UTF-16 without a byte-order mark.
const UTF16_PROBE: usize = 32;

/// The text of `bytes`, without a leading byte-order mark, or why it is not UTF-8 text.
pub(super) fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Some(order) = utf16(bytes) {
        return Err(
            Diagnostic::new(Code::InvalidUtf8, 1, 1, order.message()).expected(format!(
                "UTF-8 text (convert the file, e.g. `iconv -f {} -t UTF-8`)",
                order.iconv_name()
            )),
        );
    }
    std::str::from_utf8(bytes).map_err(|error| invalid(bytes, error))
}

/// The byte order of a file that is UTF-16 rather than UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    LittleEndianMarked,
    BigEndianMarked,
    LittleEndian,
    BigEndian,
}

impl Utf16 {
    fn message(self) -> &'static str {
        match self {
            Utf16::LittleEndianMarked | Utf16::BigEndianMarked => {
                "invalid UTF-8: the file is UTF-16 (it starts with a UTF-16 byte-order mark)"
            }
            Utf16::LittleEndian | Utf16::BigEndian => {
                "invalid UTF-8: the file looks like UTF-16 without a byte-order mark (every other byte is NUL)"
            }
        }
    }

    fn iconv_name(self) -> &'static str {
        match self {
            Utf16::LittleEndianMarked | Utf16::BigEndianMarked => "UTF-16",
            Utf16::LittleEndian => "UTF-16LE",
            Utf16::BigEndian => "UTF-16BE",
        }
    }
}

/// Recognises UTF-16 by its byte-order mark, or, without one, by the NUL byte that every
/// ASCII character has beside it. Such a file of ASCII text is valid UTF-8 (full of NULs),
/// so it must be caught before UTF-8 decoding, or it would read as a flood of DB0005.
fn utf16(bytes: &[u8]) -> Option<Utf16> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(Utf16::LittleEndianMarked);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(Utf16::BigEndianMarked);
    }
    let probe = &bytes[..bytes.len().min(UTF16_PROBE)];
    // Looked at in place, not collected: every note is probed.
    let pairs = || probe.chunks_exact(2).map(|p| (p[0], p[1]));
    if probe.len() < 8 {
        return None;
    }
    if pairs().all(|(a, b)| a != 0 && b == 0) {
        Some(Utf16::LittleEndian)
    } else if pairs().all(|(a, b)| a == 0 && b != 0) {
        Some(Utf16::BigEndian)
    } else {
        None
    }
}

/// DB0001 at the first byte that is not UTF-8, saying what the bytes most likely are.
fn invalid(bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let at = error.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = u32::try_from(valid.matches('\n').count() + 1).unwrap_or(u32::MAX);
    let column = u32::try_from(valid[line_start..].chars().count() + 1).unwrap_or(u32::MAX);
    let bad = bytes.get(at).copied().unwrap_or_default();
    let at_byte = format!("byte 0x{bad:02X} at byte offset {at}");
    if bytes.contains(&0) {
        // A snippet of binary data would only fill the terminal with noise.
        return Diagnostic::new(
            Code::InvalidUtf8,
            line,
            column,
            format!("invalid UTF-8: the file is binary data, not text: it holds NUL bytes, and {at_byte} is not UTF-8"),
        )
        .expected("a UTF-8 text file of day notes (is this a binary file named `.txt`?)");
    }
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let shown: String = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches(['\r', ' ', '\t'])
        .chars()
        .map(|c| {
            if super::lines::is_forbidden(c) {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect();
    let diagnostic = match error.error_len() {
        // The bytes so far could start a character, but the file ends before it does.
        None => Diagnostic::new(
            Code::InvalidUtf8,
            line,
            column,
            format!("invalid UTF-8: the file ends inside a character ({at_byte} starts one that is cut off); it may be truncated"),
        )
        .expected("the rest of the file (restore it from a copy), or delete the last bytes"),
        Some(_) => Diagnostic::new(
            Code::InvalidUtf8,
            line,
            column,
            format!("invalid UTF-8: {at_byte} is not part of a UTF-8 character"),
        )
        .expected("UTF-8 text (convert the file, e.g. `iconv -f WINDOWS-1252 -t UTF-8`)"),
    };
    match super::lines::snippet(&shown, column) {
        Some(snippet) => diagnostic.with_source_line(snippet),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_a_byte_order_mark_is_text() {
        assert_eq!(decode(b"\xEF\xBB\xBFJanuary"), Ok("January"));
        assert_eq!(decode("Café".as_bytes()), Ok("Café"));
    }

    #[test]
    fn utf16_is_recognised_with_and_without_a_byte_order_mark() {
        assert_eq!(utf16(b"\xFF\xFEJ\0a\0"), Some(Utf16::LittleEndianMarked));
        assert_eq!(utf16(b"\xFE\xFF\0J\0a"), Some(Utf16::BigEndianMarked));
        assert_eq!(utf16(b"J\0a\0n\0u\0a\0r\0y\0"), Some(Utf16::LittleEndian));
        assert_eq!(utf16(b"\0J\0a\0n\0u\0a\0r\0y"), Some(Utf16::BigEndian));
        assert_eq!(utf16(b"Ja\0\0nu\0\0"), None);
        assert_eq!(utf16(b"J\0a\0"), None);
    }

    #[test]
    fn a_cut_character_at_the_end_is_called_a_truncation() {
        let d = decode(b"January 22, 1950\n\nZhou \xE2\x80").unwrap_err();
        assert_eq!((d.line, d.column), (3, 6));
        assert!(d.message.contains("it may be truncated"), "{}", d.message);
    }

    #[test]
    fn binary_data_has_no_snippet() {
        let d = decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert_eq!((d.line, d.column), (1, 1));
        assert_eq!(d.source_line, None);
        assert!(d.message.contains("binary data"), "{}", d.message);
    }
}
