//! Which characters may reach the editions, and how names are shown on a terminal: the one
//! predicate that the grammar, the configuration and the pipeline's file names share.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Whether `c` may not reach an edition: control characters other than tab and line feed
/// (C0, DEL, the C1 block U+0080–U+009F) and the noncharacters U+FFFE and U+FFFF. The C0
/// ones are impossible in XML 1.0; the others are allowed there but invisible in print,
/// and EPUBCheck and TEI consumers treat them as damage.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// `text` with every forbidden character replaced by U+FFFD (�), as the editions show them.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_forbidden) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if is_forbidden(c) {
                        char::REPLACEMENT_CHARACTER
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// A path as diagnostics print it: printable characters as they are, ASCII controls as
/// `\xNN`, other control characters as `\u{NNNN}`, bytes that are not UTF-8 as `\xNN`
/// (always 0x80 or above, so never mistaken for an escaped control) and a backslash as `\\`.
/// A file name can therefore neither send escape sequences to the terminal nor be confused
/// with another name.
pub fn shown_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    let mut shown = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => shown.push_str("\\\\"),
                c if c.is_ascii_control() => {
                    let _ = write!(shown, "\\x{:02x}", c as u32);
                }
                c if is_forbidden(c) || c.is_control() => {
                    let _ = write!(shown, "\\u{{{:x}}}", c as u32);
                }
                c => shown.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(shown, "\\x{byte:02x}");
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;

    #[test]
    fn del_c1_c0_and_noncharacters_are_forbidden_but_tab_and_line_feed_are_not() {
        for c in [
            '\u{7F}', '\u{85}', '\u{9F}', '\u{0}', '\u{1B}', '\r', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\t', '\n', 'a', 'é', '\u{A0}', '\u{FFFD}'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }

    #[test]
    fn clean_replaces_each_forbidden_character_and_borrows_clean_text() {
        assert_eq!(
            clean("a\u{7F}b\u{85}c\u{FFFF}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert!(matches!(clean("plain\ttext"), Cow::Borrowed(_)));
    }

    #[test]
    fn shown_paths_escape_controls_backslashes_and_bad_bytes_unambiguously() {
        let path = Path::new(OsStr::from_bytes(b"in/\x1b]0;owned\x07\xff\\\xc2\x85.txt"));
        assert_eq!(
            shown_path(path),
            "in/\\x1b]0;owned\\x07\\xff\\\\\\u{85}.txt"
        );
        assert_eq!(
            shown_path(Path::new("input/1950/é.txt")),
            "input/1950/é.txt"
        );
    }
}
