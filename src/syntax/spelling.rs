//! Near misses: which English month or weekday name a typed word was most likely meant to be.
//!
//! Editors type `Febuary`, `Ocotber`, `Wensday`, `january`, `Feb.`; a line shaped like a heading
//! or a closing line with such a word must be reported with the name it should have, never
//! read as prose. The distance is Damerau-Levenshtein (a transposition, `Ocotber`, is one
//! edit), over lower-cased words.

use chrono::Weekday;

use crate::ast::{MONTH_NAMES, weekday_name};

/// Every weekday, Monday first: the order both look-ups of a weekday's name try them in.
pub(super) const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The month (1-12) `word` names exactly, or was most likely meant to name.
pub(super) fn month(word: &str) -> Option<(u32, Match)> {
    closest(word, &MONTH_NAMES).map(|(index, found)| (index as u32 + 1, found))
}

/// The weekday `word` names exactly, or was most likely meant to name.
pub(super) fn weekday(word: &str) -> Option<(Weekday, Match)> {
    let names = WEEKDAYS.map(weekday_name);
    closest(word, &names).map(|(index, found)| (WEEKDAYS[index], found))
}

/// How a word matched a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    /// The word is the name, as the format spells it.
    Exact,
    /// The word is a misspelling, another case or an abbreviation of the name.
    Near,
}

/// The name `word` is, or is nearest to: an abbreviation of three letters or more (`Feb`,
/// `Sept.`), another case (`january`), or at most one edit away (two for words of six
/// letters or more). Ties are no match: a guess between two names would be a guess.
fn closest(word: &str, names: &[&str]) -> Option<(usize, Match)> {
    if let Some(index) = names.iter().position(|name| *name == word) {
        return Some((index, Match::Exact));
    }
    let lower = word.strip_suffix('.').unwrap_or(word).to_lowercase();
    let letters = lower.chars().count();
    if letters < 3 || !lower.chars().all(char::is_alphabetic) {
        return None;
    }
    let limit = if letters >= 6 { 2 } else { 1 };
    let mut best: Option<(usize, usize)> = None;
    let mut tied = false;
    for (index, name) in names.iter().enumerate() {
        let name = name.to_lowercase();
        let distance = if name.starts_with(&lower) {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &name)
        };
        match best {
            Some((_, d)) if distance > d => {}
            Some((_, d)) if distance == d => tied = true,
            _ => {
                best = Some((index, distance));
                tied = false;
            }
        }
    }
    match best {
        Some((index, distance)) if distance <= limit && !tied => Some((index, Match::Near)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_match_exactly() {
        assert_eq!(month("February"), Some((2, Match::Exact)));
        assert_eq!(weekday("Sunday"), Some((Weekday::Sun, Match::Exact)));
    }

    #[test]
    fn misspellings_cases_and_abbreviations_are_near() {
        for (typed, number) in [
            ("Febuary", 2),
            ("Ocotber", 10),
            ("january", 1),
            ("JANUARY", 1),
            ("Feb.", 2),
            ("Sept", 9),
            ("Mya", 5),
            ("Agust", 8),
        ] {
            assert_eq!(month(typed), Some((number, Match::Near)), "{typed}");
        }
        assert_eq!(weekday("Wensday"), Some((Weekday::Wed, Match::Near)));
        assert_eq!(weekday("sunday"), Some((Weekday::Sun, Match::Near)));
        assert_eq!(weekday("Thurs"), Some((Weekday::Thu, Match::Near)));
    }

    #[test]
    fn words_far_from_every_name_or_between_two_are_no_match() {
        assert_eq!(month("Chapter"), None);
        assert_eq!(month("Article"), None);
        assert_eq!(month("Ju"), None);
        // `Jun` and `Jul` abbreviate one month each; `Ju` could be either and is too short.
        assert_eq!(month("Jul"), Some((7, Match::Near)));
        assert_eq!(month("Mar"), Some((3, Match::Near)));
        assert_eq!(weekday("Room"), None);
    }
}
