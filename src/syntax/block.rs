//! Rules that classify blocks of prose: sentence ends, correspondence lines, label lines.
//!
//! These look at the whole text of a block (its lines joined), never at how it was wrapped,
//! so that re-wrapping a block in the text edition never changes what it is.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::inline;
use crate::ast::NoteRef;

/// Characters that end a sentence when they end a block (after any bracketed citations).
const SENTENCE_ENDS: [char; 8] = ['.', '!', '?', ':', '"', '”', '»', '’'];

/// The word between a recipient and a subject, searched for in every block whose sender
/// looks like a name: set up once rather than for each search, as `split_once` would.
static CONCERNING: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" concerning "));

/// Particles that may stand lower-case inside a name: `Charles de Gaulle`, `Secretary of
/// State`.
const NAME_PARTICLES: [&str; 18] = [
    "de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "bin", "y",
    "of", "and", "for", "the",
];

/// The words a group of recipients starts with: `the Joint Chiefs of Staff`, `all
/// diplomatic posts`.
const GROUP_DETERMINERS: [&str; 4] = ["the", "all", "each", "every"];

/// Whether a block of prose ends a sentence: its last character, ignoring trailing bracketed
/// groups such as `[56]`, is one of `.`, `!`, `?`, `:` or a closing quote.
pub(super) fn ends_sentence(text: &str) -> bool {
    let mut text = trim_end(text);
    while text.ends_with(']') {
        // memchr's search: core's for a `char` cost more than the rest of the rule.
        match memchr::memrchr(b'[', text.as_bytes()) {
            Some(open) => text = trim_end(&text[..open]),
            None => break,
        }
    }
    // An ASCII last byte is the last character, and needs no decoding to be compared.
    match text.as_bytes().last() {
        Some(&last) if last.is_ascii() => SENTENCE_ENDS.contains(&char::from(last)),
        _ => text.ends_with(SENTENCE_ENDS),
    }
}

/// `text` without trailing white space: looked at as a byte first, as blocks seldom end
/// with white space and `str::trim_end` decodes the last character to tell.
fn trim_end(text: &str) -> &str {
    match text.as_bytes().last() {
        Some(&last) if last.is_ascii() && !char::from(last).is_whitespace() => text,
        _ => text.trim_end(),
    }
}

/// Whether a block of prose starts with a lower-case letter (it then continues a sentence).
pub(super) fn starts_lowercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

/// The fields of a correspondence line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CorrespondenceFields<'a> {
    pub sender: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub trailing: &'a str,
    /// The citations after the trailing punctuation: each one's byte offset and notes.
    pub citations: Vec<(usize, Vec<NoteRef>)>,
}

/// Reads `SENDER to RECIPIENT concerning SUBJECT` when the whole block is exactly that and
/// the sender looks like a name (one to six words, the first capitalised, each capitalised
/// or a particle such as `de`, `van`, `of`, made of letters and `.`, `,`, `'`, `-`: `The
/// State Department` is one) and the recipient looks like a name or a group (`the Joint
/// Chiefs of Staff`, `all diplomatic posts`: `the`, `all`, `each` or `every` and one to six
/// words of letters). A group may not send: `All the delegates went to the hall concerning
/// ...` is prose. Citations at the very end, `command.[254]`, are citations,
/// not subject. Prose such as `He wrote to Acheson concerning Korea.` fails the name test
/// and stays a paragraph.
pub(super) fn correspondence(text: &str) -> Option<CorrespondenceFields<'_>> {
    // A sender is a name of at most six words, so the first ` to ` is at one of the first
    // six spaces or the block is no correspondence: every paragraph is tried, and most
    // are long, so the rest of the text is not searched.
    // The spaces are found by a plain loop: they are a few bytes apart, closer than a
    // memchr call pays for. A word of the sender is capitalised or a particle, so a word
    // of prose before the ` to ` (most paragraphs have one in their first few words) rules
    // the block out before it is looked at further.
    let bytes = text.as_bytes();
    if bytes
        .first()
        .is_none_or(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return None;
    }
    let mut space = bytes.iter().position(|&b| b == b' ')?;
    let mut spaces = 0;
    let at = loop {
        let after = &bytes[space + 1..];
        if after.starts_with(b"to ") {
            break space;
        }
        spaces += 1;
        // The word after the space ends at the next one: found once, for the particle
        // test and for the next step alike.
        let len = after.iter().position(|&b| b == b' ');
        let word = &after[..len.unwrap_or(after.len())];
        if spaces == 6 || (word.first().is_some_and(u8::is_ascii_lowercase) && !is_particle(word)) {
            return None;
        }
        space += 1 + len?;
    };
    let (sender, rest) = (&text[..at], &text[at + " to ".len()..]);
    if !is_name(sender) {
        return None;
    }
    let at = CONCERNING.find(rest.as_bytes())?;
    let (recipient, rest) = (&rest[..at], &rest[at + " concerning ".len()..]);
    if !(is_name(recipient) || is_group(recipient)) {
        return None;
    }
    let mut end = rest.len();
    let mut citations = Vec::new();
    while rest[..end].ends_with(']') {
        let Some(open) = rest[..end].rfind('[') else {
            break;
        };
        match inline::citation(&rest[open..end]) {
            Ok(("", notes)) => {
                citations.push((text.len() - rest.len() + open, notes));
                end = open;
            }
            _ => break,
        }
    }
    citations.reverse();
    let subject = rest[..end].trim_end_matches(['.', '!', '?', ';', ',']);
    let trailing = &rest[subject.len()..end];
    let valid = !subject.trim().is_empty() && subject.trim() == subject;
    valid.then_some(CorrespondenceFields {
        sender,
        recipient,
        subject,
        trailing,
        citations,
    })
}

/// Whether `word` is a name particle.
fn is_particle(word: &[u8]) -> bool {
    NAME_PARTICLES
        .iter()
        .any(|particle| particle.as_bytes() == word)
}

fn is_name(text: &str) -> bool {
    let name_word = |word: &str| {
        word.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | ',' | '\'' | '’' | '-'))
            && (word.chars().next().is_some_and(char::is_uppercase)
                || NAME_PARTICLES.contains(&word))
    };
    let mut words = 0;
    for word in spaced_words(text) {
        words += 1;
        let first_ok = words > 1 || word.chars().next().is_some_and(char::is_uppercase);
        if words > 6 || !first_ok || !name_word(word) {
            return false;
        }
    }
    words >= 1
}

/// The words of `text` between single spaces, as `text.split(' ')` gives them, found by a
/// plain loop over the bytes: a name's words are shorter than `split`'s memchr call costs.
fn spaced_words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let words = rest?;
        match words.bytes().position(|b| b == b' ') {
            Some(space) => {
                rest = Some(&words[space + 1..]);
                Some(&words[..space])
            }
            None => {
                rest = None;
                Some(words)
            }
        }
    })
}

/// `the State Department`, `all diplomatic posts`, `The Joint Chiefs of Staff`.
fn is_group(text: &str) -> bool {
    let mut words = spaced_words(text);
    let determiner = words.next().unwrap_or_default().to_lowercase();
    let rest: Vec<&str> = words.collect();
    GROUP_DETERMINERS.contains(&determiner.as_str())
        && (1..=6).contains(&rest.len())
        && rest.iter().all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        })
}

/// Whether a block is a label line: one to eight words and at most 60 characters, starting
/// with a capital letter, ending with a letter or digit, and made only of letters, digits,
/// spaces, apostrophes, hyphens, `&` and `/` (so no sentence punctuation at all).
pub(super) fn is_label(text: &str) -> bool {
    // The length first: it is the cheapest look, and most blocks are longer.
    text.len() <= 240
        && text.chars().next_back().is_some_and(char::is_alphanumeric)
        && text.chars().count() <= 60
        && (1..=8).contains(&spaced_words(text).count())
        && text.chars().next().is_some_and(char::is_uppercase)
        && !text.contains("  ")
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '\'' | '’' | '-' | '&' | '/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_ignore_trailing_citations() {
        assert!(ends_sentence("was added to the new treaty.[56]"));
        assert!(ends_sentence("the Soviet foreign minister."));
        assert!(ends_sentence("other assistance.\""));
        assert!(ends_sentence("as follows:"));
        assert!(!ends_sentence("Two days later, Zhou, joined by"));
        assert!(!ends_sentence("Fourth Field Army [see the 19th]"));
    }

    #[test]
    fn lower_case_start_continues_a_sentence() {
        assert!(starts_lowercase(
            "started negotiations with Soviet officials"
        ));
        assert!(!starts_lowercase("Zhou paid special attention"));
        assert!(!starts_lowercase("\"must go all out\""));
    }

    #[test]
    fn correspondence_line_from_the_sample() {
        assert_eq!(
            correspondence(
                "William Batt, Jr. to E.W. Kenworthy concerning Captain Martin's reassignment.."
            ),
            Some(CorrespondenceFields {
                sender: "William Batt, Jr.",
                recipient: "E.W. Kenworthy",
                subject: "Captain Martin's reassignment",
                trailing: "..",
                citations: Vec::new(),
            })
        );
    }

    #[test]
    fn correspondence_names_may_hold_particles() {
        let fields =
            correspondence("Charles de Gaulle to Anna von Humboldt concerning the archive")
                .unwrap();
        assert_eq!(
            (fields.sender, fields.recipient, fields.trailing),
            ("Charles de Gaulle", "Anna von Humboldt", "")
        );
    }

    #[test]
    fn prose_with_to_and_concerning_is_not_correspondence() {
        assert_eq!(
            correspondence("He wrote to Acheson concerning Korea."),
            None
        );
        assert_eq!(
            correspondence("Then Truman sent a cable to Acheson concerning Korea."),
            None
        );
        assert_eq!(correspondence("Truman to Acheson concerning ."), None);
        assert_eq!(correspondence("Truman to Acheson about Korea."), None);
    }

    #[test]
    fn label_lines() {
        assert!(is_label("Songs of the week"));
        assert!(is_label("Letters & Telegrams"));
        assert!(!is_label("Two days later, Zhou, joined by"));
        assert!(!is_label("Mao also needed Soviet economic aid."));
        assert!(!is_label("songs of the week"));
        assert!(!is_label("One two three four five six seven eight nine"));
    }

    #[test]
    fn groups_receive_letters_but_do_not_send_them() {
        let fields = correspondence(
            "Mark W. Clark to the Joint Chiefs of Staff concerning armistice talks.",
        )
        .unwrap();
        assert_eq!(fields.recipient, "the Joint Chiefs of Staff");
        let fields =
            correspondence("Dean Acheson to all diplomatic posts concerning the resolution")
                .unwrap();
        assert_eq!(fields.recipient, "all diplomatic posts");
        assert_eq!(
            correspondence("All the delegates went to the hall concerning the treaty."),
            None
        );
        assert!(correspondence("The State Department to Dean Acheson concerning Korea").is_some());
    }

    #[test]
    fn citations_after_the_subject_are_citations() {
        let text = "Matthew B. Ridgway to J. Lawton Collins concerning assumption of command.[254][255, 256]";
        let fields = correspondence(text).unwrap();
        assert_eq!(
            (fields.subject, fields.trailing),
            ("assumption of command", ".")
        );
        assert_eq!(
            fields.citations,
            vec![
                (73, vec![NoteRef::Note(254)]),
                (78, vec![NoteRef::Note(255), NoteRef::Note(256)])
            ]
        );
    }
}
