//! The day heading, `January 22, 1950 (Sunday)`, and the closing line,
//! `Notes for Sunday January 22, 1950`.

use chrono::{NaiveDate, Weekday};
use nom::Parser;
use nom::bytes::complete::tag;
use nom::character::complete::char;
use nom::combinator::{cut, eof, opt};
use nom::error::context;
use nom::sequence::delimited;

use super::common::{LineResult, PResult, committed, long_date, unindented, weekday_name};
use crate::diagnostic::Code;

/// A day heading as read from its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeadingLine {
    pub date: NaiveDate,
    /// The weekday in parentheses and its byte offset.
    pub weekday: Option<(Weekday, usize)>,
}

/// A closing line as read from its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ClosingLine {
    pub weekday: Weekday,
    pub date: NaiveDate,
    /// Byte offset of the weekday name.
    pub weekday_offset: usize,
    /// Byte offset of the month name.
    pub date_offset: usize,
}

/// The optional ` (Weekday)` and the end of a heading line.
fn weekday_suffix(i: &str) -> PResult<'_, Option<(Weekday, &str)>> {
    let (i, weekday) = opt(delimited(
        tag(" ("),
        context(
            "a weekday name such as Sunday",
            cut(|i| {
                let (rest, w) = weekday_name(i)?;
                Ok((rest, (w, i)))
            }),
        ),
        context("`)` after the weekday", cut(char(')'))),
    ))
    .parse(i)?;
    let (i, _) = context("the end of the heading line", cut(eof)).parse(i)?;
    Ok((i, weekday))
}

/// A day heading. The line commits to being one once it starts with `Month D, YYYY` and
/// then ends or goes on with ` (`; prose that merely starts with a date is not a heading.
/// Indentation is dropped, as it is for prose: the text edition writes it unindented.
pub(super) fn heading(line: &str) -> LineResult<HeadingLine> {
    let (rest, date) = long_date(unindented(line)).ok()?;
    if !(rest.is_empty() || rest.starts_with(" (")) {
        return None;
    }
    Some((|| {
        let weekday = committed(
            line,
            weekday_suffix(rest),
            Code::MalformedHeading,
            "day heading",
        )?;
        let date = date.resolve(line, Code::MalformedHeading)?;
        let offset = |s: &str| s.as_ptr() as usize - line.as_ptr() as usize;
        Ok(HeadingLine {
            date,
            weekday: weekday.map(|(w, at)| (w, offset(at))),
        })
    })())
}

/// A closing line. It commits once it starts with `Notes for`, a weekday and a month name.
pub(super) fn closing(line: &str) -> LineResult<ClosingLine> {
    let start = |i| -> PResult<'_, Weekday> {
        let (i, (_, weekday, _)) = (tag("Notes for "), weekday_name, char(' ')).parse(i)?;
        super::common::month_name(i)?;
        Ok((i, weekday))
    };
    let text = unindented(line);
    let (rest, weekday) = start(text).ok()?;
    Some((|| {
        let (date, _) = committed(
            line,
            (long_date, context("the end of the closing line", cut(eof))).parse(rest),
            Code::MalformedClosing,
            "closing line",
        )?;
        Ok(ClosingLine {
            weekday,
            date: date.resolve(line, Code::MalformedClosing)?,
            weekday_offset: line.len() - text.len() + "Notes for ".len(),
            date_offset: line.len() - rest.len(),
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn heading_with_weekday() {
        assert_eq!(
            heading("January 22, 1950 (Sunday)"),
            Some(Ok(HeadingLine {
                date: ymd(1950, 1, 22),
                weekday: Some((Weekday::Sun, 18))
            }))
        );
    }

    #[test]
    fn heading_without_weekday() {
        assert_eq!(
            heading("December 31, 1999"),
            Some(Ok(HeadingLine {
                date: ymd(1999, 12, 31),
                weekday: None
            }))
        );
    }

    #[test]
    fn indented_headings_and_closing_lines_count_and_offsets_follow_the_indentation() {
        assert_eq!(
            heading("\t January 22, 1950 (Sunday)"),
            Some(Ok(HeadingLine {
                date: ymd(1950, 1, 22),
                weekday: Some((Weekday::Sun, 20))
            }))
        );
        let err = heading("  February 30, 1950").unwrap().unwrap_err();
        assert_eq!(err.offset, 11);
        let found = closing("  Notes for Monday January 22, 1950")
            .unwrap()
            .unwrap();
        assert_eq!((found.weekday_offset, found.date_offset), (12, 19));
        assert_eq!(heading("\u{A0}January 22, 1950"), None);
    }

    #[test]
    fn prose_starting_with_a_date_is_not_a_heading() {
        assert_eq!(heading("January 21, 1950 was a Saturday."), None);
        assert_eq!(heading("January 21 saw the arrival of Kim."), None);
        assert_eq!(heading("Two days later"), None);
    }

    #[test]
    fn impossible_heading_date_is_an_error_at_the_day() {
        let err = heading("February 30, 1950 (Thursday)")
            .unwrap()
            .unwrap_err();
        assert_eq!((err.code, err.offset), (Code::ImpossibleDate, 9));
        assert_eq!(
            err.message,
            "impossible date: February 30, 1950 does not exist"
        );
    }

    #[test]
    fn misspelt_weekday_is_an_error_at_the_weekday() {
        let err = heading("January 22, 1950 (Sundy)").unwrap().unwrap_err();
        assert_eq!((err.code, err.offset), (Code::MalformedHeading, 18));
        assert_eq!(err.expected, "a weekday name such as Sunday");
        assert_eq!(err.message, "malformed day heading: found `Sundy)`");
    }

    #[test]
    fn text_after_the_weekday_is_an_error() {
        let err = heading("January 22, 1950 (Sunday) morning")
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (err.offset, err.expected.as_str()),
            (25, "the end of the heading line")
        );
    }

    #[test]
    fn closing_line() {
        assert_eq!(
            closing("Notes for Sunday January 22, 1950"),
            Some(Ok(ClosingLine {
                weekday: Weekday::Sun,
                date: ymd(1950, 1, 22),
                weekday_offset: 10,
                date_offset: 17
            }))
        );
    }

    #[test]
    fn prose_about_notes_is_not_a_closing_line() {
        assert_eq!(closing("Notes for Sunday were lost."), None);
        assert_eq!(closing("Notes for the week"), None);
    }

    #[test]
    fn malformed_closing_line_is_an_error() {
        let err = closing("Notes for Sunday January 22 1950")
            .unwrap()
            .unwrap_err();
        assert_eq!((err.code, err.offset), (Code::MalformedClosing, 27));
        let err = closing("Notes for Sunday January 32, 1950")
            .unwrap()
            .unwrap_err();
        assert_eq!(err.code, Code::ImpossibleDate);
    }
}
