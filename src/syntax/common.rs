//! Lexemes shared by the line grammars: the error type, month and weekday names, dates.

use std::borrow::Cow;

use chrono::{NaiveDate, Weekday};
use nom::bytes::complete::tag;
use nom::character::complete::char;
use nom::combinator::cut;
use nom::error::{ContextError, ErrorKind, ParseError, context};
use nom::{IResult, Parser};

use crate::ast::{MONTH_NAMES, weekday_name as weekday_label};
use crate::diagnostic::Code;

/// A nom error that remembers where it failed and what the innermost `context` expected.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Failure<'a> {
    pub rest: &'a str,
    pub expected: &'static str,
}

impl<'a> ParseError<&'a str> for Failure<'a> {
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        Failure {
            rest: input,
            expected: "",
        }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<'a> ContextError<&'a str> for Failure<'a> {
    fn add_context(_: &'a str, expected: &'static str, other: Self) -> Self {
        if other.expected.is_empty() {
            Failure { expected, ..other }
        } else {
            other
        }
    }
}

pub(super) type PResult<'a, T> = IResult<&'a str, T, Failure<'a>>;

/// How many characters of the input a message quotes at most.
const ECHO_LIMIT: usize = 40;

/// `found` as a message quotes it: cut after [`ECHO_LIMIT`] characters and marked with `…`,
/// because what was found may be a run of digits or letters megabytes long.
pub(super) fn echo(found: &str) -> Cow<'_, str> {
    match found.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &found[..cut])),
        None => Cow::Borrowed(found),
    }
}

/// Why a line that committed to being a construct is not a valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineError {
    pub code: Code,
    /// Byte offset in the line.
    pub offset: usize,
    pub message: String,
    pub expected: String,
    /// A likely fix, `did you mean `February`?`.
    pub help: Option<String>,
}

impl LineError {
    pub fn new(
        code: Code,
        offset: usize,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Self {
            code,
            offset,
            message: message.into(),
            expected: expected.into(),
            help: None,
        }
    }

    /// Adds a likely fix.
    pub fn help(self, help: impl Into<String>) -> Self {
        Self {
            help: Some(help.into()),
            ..self
        }
    }

    /// Converts a nom failure on `line` into a diagnostic-ready error.
    pub fn from_failure(code: Code, line: &str, failure: Failure<'_>, what: &str) -> Self {
        let offset = line.len() - failure.rest.len();
        let found = match failure.rest.split_whitespace().next() {
            Some(word) => format!("found `{}`", echo(word)),
            None => "found the end of the line".to_owned(),
        };
        Self::new(
            code,
            offset,
            format!("malformed {what}: {found}"),
            failure.expected,
        )
    }
}

/// What a line grammar says of a line: not this construct, this construct, or this
/// construct but broken (the line committed, so no other reading is tried).
pub(super) type LineResult<T> = Option<Result<T, LineError>>;

/// Runs a committed nom parser over `line`, turning a failure into a [`LineError`].
pub(super) fn committed<'a, T>(
    line: &'a str,
    result: PResult<'a, T>,
    code: Code,
    what: &str,
) -> Result<T, LineError> {
    match result {
        Ok((_, value)) => Ok(value),
        Err(nom::Err::Error(f) | nom::Err::Failure(f)) => {
            Err(LineError::from_failure(code, line, f, what))
        }
        Err(nom::Err::Incomplete(_)) => Err(LineError::new(
            code,
            line.len(),
            format!("incomplete {what}"),
            "more input",
        )),
    }
}

/// `line` without its indentation (spaces and tabs). Other white space, such as a no-break
/// space, is text: the editions keep it, so it must not be dropped here either.
pub(super) fn unindented(line: &str) -> &str {
    // Bytes, not characters: every line is unindented several times, mostly by nothing.
    let indent = line.bytes().take_while(|&b| is_blank(b)).count();
    &line[indent..]
}

/// Whether `b` is a space or a tab: one comparison for most bytes, which are above both.
pub(super) fn is_blank(b: u8) -> bool {
    b <= b' ' && (b == b' ' || b == b'\t')
}

/// The first of `names` that `i` starts with, and what it stands for. The first byte rules
/// out most names, and most lines, before whole names are compared.
fn named<T>(i: &str, names: impl IntoIterator<Item = (&'static str, T)>) -> PResult<'_, T> {
    let first = i.as_bytes().first();
    names
        .into_iter()
        .filter(|(name, _)| name.as_bytes().first() == first)
        .find_map(|(name, value)| i.strip_prefix(name).map(|rest| (rest, value)))
        .ok_or_else(|| nom::Err::Error(Failure::from_error_kind(i, ErrorKind::Tag)))
}

/// A full English month name. A table, not an `alt` of twelve tags: every line of every
/// note is tried as a heading, and twelve failing parsers per line were a tenth of parsing.
pub(super) fn month_name(i: &str) -> PResult<'_, u32> {
    named(i, MONTH_NAMES.into_iter().zip(1..))
}

/// A full English weekday name: a table, as [`month_name`] is, rather than an `alt` of
/// seven tags.
pub(super) fn weekday_name(i: &str) -> PResult<'_, Weekday> {
    named(
        i,
        super::spelling::WEEKDAYS.map(|weekday| (weekday_label(weekday), weekday)),
    )
}

/// One or more ASCII digits, looked at as bytes: nom's `take_while1` decodes each
/// character of a `&str`.
pub(super) fn digits(i: &str) -> PResult<'_, &str> {
    match i.bytes().take_while(u8::is_ascii_digit).count() {
        0 => Err(nom::Err::Error(Failure::from_error_kind(
            i,
            ErrorKind::TakeWhile1,
        ))),
        len => Ok((&i[len..], &i[..len])),
    }
}

/// The parts of `January 22, 1950` with the offsets of its day and year in `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LongDate<'a> {
    pub month: u32,
    pub day: &'a str,
    pub year: &'a str,
}

/// `Month D, YYYY`, loosely: digits of any length, checked by [`LongDate::resolve`].
pub(super) fn long_date(i: &str) -> PResult<'_, LongDate<'_>> {
    let (i, month) = context("a full English month name such as January", month_name).parse(i)?;
    let (i, _) = char(' ').parse(i)?;
    let (i, day) = context("the day of the month", digits).parse(i)?;
    let (i, _) = context("`, ` and the year, as in `January 22, 1950`", tag(", ")).parse(i)?;
    let (i, year) = context("a four-digit year", cut(digits)).parse(i)?;
    Ok((i, LongDate { month, day, year }))
}

impl LongDate<'_> {
    /// The date this names, or why it names none. `line` is the line `self` was read from.
    pub fn resolve(&self, line: &str, code: Code) -> Result<NaiveDate, LineError> {
        let offset_of = |part: &str| part.as_ptr() as usize - line.as_ptr() as usize;
        let month = month_label(self.month);
        if self.day.len() > 2 || self.day.starts_with('0') {
            return Err(LineError::new(
                code,
                offset_of(self.day),
                format!("`{}` is not a day of the month", echo(self.day)),
                format!("a day from 1 to 31 without a leading zero, as in `{month} 5, 1950`"),
            ));
        }
        if self.year.len() != 4 {
            return Err(LineError::new(
                code,
                offset_of(self.year),
                format!("`{}` is not a four-digit year", echo(self.year)),
                "a four-digit year such as 1950",
            ));
        }
        let (day, year) = (
            self.day.parse::<u32>().unwrap_or(0),
            self.year.parse::<i32>().unwrap_or(0),
        );
        if year < FIRST_YEAR {
            return Err(year_out_of_range(offset_of(self.year), self.year));
        }
        NaiveDate::from_ymd_opt(year, self.month, day).ok_or_else(|| {
            LineError::new(
                Code::ImpossibleDate,
                offset_of(self.day),
                format!("impossible date: {month} {day}, {year} does not exist"),
                format!(
                    "a day from 1 to {} in {month} {year}",
                    days_in_month(year, self.month)
                ),
            )
        })
    }
}

/// The first year daybook reads. XML Schema dates (TEI's `@when`) have no year 0, and years
/// before 1000 would need more than four digits' worth of rules (signs, padding) that no
/// collection has asked for; four-digit years cap the range at 9999.
pub(super) const FIRST_YEAR: i32 = 1000;

/// DB0003 for a year before [`FIRST_YEAR`], at byte `offset`.
pub(super) fn year_out_of_range(offset: usize, year: &str) -> LineError {
    LineError::new(
        Code::ImpossibleDate,
        offset,
        format!("year {} is outside the years daybook reads", echo(year)),
        format!("a year from {FIRST_YEAR} to 9999"),
    )
}

/// The English name of month `m` (1-12).
pub(super) fn month_label(m: u32) -> &'static str {
    MONTH_NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// How many days month `m` of `year` has.
pub(super) fn days_in_month(year: i32, m: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, m, d).is_some())
        .unwrap_or(28)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_and_weekday_names_are_full_english_words() {
        assert_eq!(month_name("September 3"), Ok((" 3", 9)));
        assert!(month_name("Sept 3").is_err());
        assert_eq!(weekday_name("Sunday)"), Ok((")", Weekday::Sun)));
        assert!(weekday_name("Sun)").is_err());
    }

    #[test]
    fn long_date_resolves_real_days_only() {
        let line = "February 29, 1952";
        let (_, date) = long_date(line).unwrap();
        assert_eq!(
            date.resolve(line, Code::MalformedHeading),
            Ok(NaiveDate::from_ymd_opt(1952, 2, 29).unwrap())
        );
        let line = "February 29, 1950";
        let (_, date) = long_date(line).unwrap();
        let err = date.resolve(line, Code::MalformedHeading).unwrap_err();
        assert_eq!((err.code, err.offset), (Code::ImpossibleDate, 9));
        assert_eq!(err.expected, "a day from 1 to 28 in February 1950");
    }

    #[test]
    fn long_date_rejects_leading_zeros_and_short_years() {
        let line = "March 05, 1950";
        let (_, date) = long_date(line).unwrap();
        assert_eq!(
            date.resolve(line, Code::MalformedHeading)
                .unwrap_err()
                .offset,
            6
        );
        let line = "March 5, 195";
        let (_, date) = long_date(line).unwrap();
        assert_eq!(
            date.resolve(line, Code::MalformedHeading)
                .unwrap_err()
                .offset,
            9
        );
    }
}
