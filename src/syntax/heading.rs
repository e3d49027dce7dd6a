//! The day heading, `January 22, 1950 (Sunday)`, and the closing line,
//! `Notes for Sunday January 22, 1950`.

use chrono::{Datelike, NaiveDate, Weekday};
use nom::Parser;
use nom::bytes::complete::tag;
use nom::character::complete::char;
use nom::combinator::{cut, eof, opt};
use nom::error::context;
use nom::sequence::delimited;

use super::common::{
    FIRST_YEAR, Failure, LineError, LineResult, PResult, committed, echo, is_blank, long_date,
    month_label, unindented, weekday_name,
};
use super::spelling::{self, Match};
use crate::ast::weekday_name as weekday_label;
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

/// A line that was meant to be a heading or a closing line but is misspelt: the error to
/// report, and the reading the editor most likely meant when the date it names exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Misread<T> {
    pub error: LineError,
    pub meant: Option<T>,
}

/// What a line is when it is, or was meant to be, a day heading or a closing line.
pub(super) type Reading<T> = Option<Result<T, Misread<T>>>;

/// A day heading, or a line shaped like one whose words are misspelt, miscased or
/// abbreviated (`Febuary 15, 1950 (Wednesday)`, `january 22, 1950`, `Feb. 15, 1950`) or whose
/// comma or parentheses are missing (`January 22 1950 (Sunday)`).
#[inline]
pub(super) fn day_heading(line: &str) -> Reading<HeadingLine> {
    // Looked at where the line is, outside the frame of the parses: the byte look lets go
    // of nearly every line a heading is tried on.
    if !dated(unindented(line)) {
        return None;
    }
    dated_heading(line)
}

/// [`day_heading`] of a line that starts as headings do.
fn dated_heading(line: &str) -> Reading<HeadingLine> {
    // A misspelt heading ends with its year or its weekday, as lines of prose seldom do:
    // most are let go without the loose parse.
    let may_be_near =
        || line.ends_with(|c: char| c == ')' || c.is_alphabetic() || c.is_ascii_digit());
    match heading(line) {
        Some(Ok(found)) => Some(Ok(found)),
        found => may_be_near()
            .then(|| near_heading(line))
            .flatten()
            .map(Err)
            .or_else(|| found.map(|found| found.map_err(|error| Misread { error, meant: None }))),
    }
}

/// Whether `text` starts as every heading does, however loosely typed: a word (its first
/// character a letter: a byte that is no ASCII letter may still start one), white space
/// and a digit. Every line that starts a block is tried as a heading, and most lines of
/// prose, list items and media codes fail this byte look, which spares them both parses.
fn dated(text: &str) -> bool {
    // A plain loop, not memchr: the first word is short, shorter than a call costs.
    let bytes = text.as_bytes();
    if !bytes
        .first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || !b.is_ascii())
    {
        return false;
    }
    let Some(word) = bytes.iter().position(|&b| is_blank(b)) else {
        return false;
    };
    bytes[word..]
        .iter()
        .find(|&&b| !is_blank(b))
        .is_some_and(u8::is_ascii_digit)
}

/// A closing line, or a line shaped like one whose words are misspelt, miscased or
/// abbreviated (`Notes for Saturday Ocotber 1, 1949`, `Note for Sunday January 22, 1950`), or
/// that lacks its weekday or a comma.
pub(super) fn closing_line(line: &str) -> Reading<ClosingLine> {
    // Every closing line, however misspelt, starts with `Note` in some case: a cheap look
    // spares the parse for every other line.
    let text = unindented(line);
    if !text
        .as_bytes()
        .get(..4)
        .is_some_and(|start| start.eq_ignore_ascii_case(b"note"))
    {
        return None;
    }
    match closing(line) {
        Some(Ok(found)) => Some(Ok(found)),
        found => near_closing(line)
            .map(Err)
            .or_else(|| found.map(|found| found.map_err(|error| Misread { error, meant: None }))),
    }
}

/// The parts of a typed date, `Febuary 15, 1950`, however loosely written: a word, a day of
/// one or two digits, an optional comma, a four-digit year.
#[derive(Debug, Clone, Copy)]
struct LooseDate<'a> {
    month: &'a str,
    day: &'a str,
    /// Where a comma after the day is missing.
    missing_comma: Option<&'a str>,
    year: &'a str,
}

fn word(i: &str) -> PResult<'_, &str> {
    nom::combinator::recognize((
        nom::bytes::complete::take_while1(char::is_alphabetic),
        opt(char('.')),
    ))
    .parse(i)
}

fn space(i: &str) -> PResult<'_, &str> {
    nom::bytes::complete::take_while1(|c| c == ' ' || c == '\t').parse(i)
}

fn loose_date(i: &str) -> PResult<'_, LooseDate<'_>> {
    let (i, month) = word(i)?;
    let (i, _) = space(i)?;
    let (i, day) =
        nom::bytes::complete::take_while_m_n(1, 2, |c: char| c.is_ascii_digit()).parse(i)?;
    let (after_day, comma) = opt(char(',')).parse(i)?;
    let (i, gap) = opt(space).parse(after_day)?;
    if comma.is_none() && gap.is_none() {
        return Err(nom::Err::Error(Failure {
            rest: i,
            expected: "",
        }));
    }
    let (i, year) =
        nom::bytes::complete::take_while_m_n(4, 4, |c: char| c.is_ascii_digit()).parse(i)?;
    let (i, _) =
        nom::combinator::not(nom::character::complete::satisfy(|c| c.is_ascii_digit())).parse(i)?;
    Ok((
        i,
        LooseDate {
            month,
            day,
            missing_comma: comma.is_none().then_some(after_day),
            year,
        },
    ))
}

/// A loose weekday after a heading's date: `(Sunday)`, `(sunday)`, `(Sun)`, `Sunday`.
fn loose_weekday(i: &str) -> PResult<'_, (&str, bool)> {
    let (i, _) = opt(space).parse(i)?;
    let (i, open) = opt(char('(')).parse(i)?;
    let (i, name) = word(i)?;
    let (i, close) = opt(char(')')).parse(i)?;
    Ok((i, (name, open.is_some() && close.is_some())))
}

/// One thing wrong with a loosely typed heading or closing line, in reading order.
struct Slip<'a> {
    at: &'a str,
    message: String,
    help: Option<String>,
}

/// What a typed month or weekday name says, and the slip if it is not the format's spelling.
fn name_slip<'a, T>(
    typed: &'a str,
    found: Option<(T, Match)>,
    kind: &str,
    name: impl Fn(&T) -> &'static str,
) -> Option<(T, Option<Slip<'a>>)> {
    let (value, matched) = found?;
    let slip = (matched == Match::Near).then(|| Slip {
        at: typed,
        message: format!(
            "`{}` is not an English {kind} name as the format spells it",
            echo(typed)
        ),
        help: Some(format!("did you mean `{}`?", name(&value))),
    });
    Some((value, slip))
}

/// The date a loose date names, when its year is one daybook reads.
fn loose_resolve(date: &LooseDate<'_>, month: u32) -> Option<NaiveDate> {
    let year: i32 = date.year.parse().ok()?;
    let day: u32 = date.day.parse().ok()?;
    (year >= FIRST_YEAR)
        .then(|| NaiveDate::from_ymd_opt(year, month, day))
        .flatten()
}

fn comma_slip<'a>(date: &LooseDate<'a>) -> Option<Slip<'a>> {
    date.missing_comma.map(|at| Slip {
        at,
        message: "no comma after the day of the month".to_owned(),
        help: None,
    })
}

/// The misread a line's first slip makes, with `canonical` as what was expected.
fn misread<T>(
    line: &str,
    code: Code,
    what: &str,
    slip: Slip<'_>,
    canonical: String,
    meant: Option<T>,
) -> Misread<T> {
    let offset = slip.at.as_ptr() as usize - line.as_ptr() as usize;
    let error = LineError::new(
        code,
        offset,
        format!("malformed {what}: {}", slip.message),
        format!("`{canonical}`"),
    );
    Misread {
        error: match slip.help {
            Some(help) => error.help(help),
            None => error,
        },
        meant,
    }
}

fn near_heading(line: &str) -> Option<Misread<HeadingLine>> {
    let text = unindented(line);
    let (rest, date) = loose_date(text).ok()?;
    let (month, month_slip) = name_slip(date.month, spelling::month(date.month), "month", |m| {
        month_label(*m)
    })?;
    // The weekday as written (when it is one), its offset, and what is wrong with it.
    let mut weekday: Option<(Weekday, usize)> = None;
    let mut weekday_slip = None;
    let mut has_weekday = false;
    if !rest.is_empty() {
        let (rest, (typed, parenthesised)) = loose_weekday(rest).ok()?;
        if !rest.is_empty() {
            return None;
        }
        has_weekday = true;
        let found = name_slip(typed, spelling::weekday(typed), "weekday", |w| {
            weekday_label(*w)
        });
        weekday_slip = match found {
            Some((w, slip)) => {
                weekday = Some((w, typed.as_ptr() as usize - line.as_ptr() as usize));
                slip
            }
            None => Some(Slip {
                at: typed,
                message: format!("`{}` is not an English weekday name", echo(typed)),
                help: None,
            }),
        }
        .or_else(|| {
            (!parenthesised).then(|| Slip {
                at: typed,
                message: "the weekday is not in parentheses".to_owned(),
                help: None,
            })
        });
    }
    let spaced = (text.contains("  ") || text.contains('\t')).then(|| Slip {
        at: text,
        message: "irregular spacing".to_owned(),
        help: None,
    });
    let slip = month_slip
        .or_else(|| comma_slip(&date))
        .or(weekday_slip)
        .or(spaced)?;
    let resolved = loose_resolve(&date, month);
    let mut canonical = format!(
        "{} {}, {}",
        month_label(month),
        day_number(date.day),
        date.year
    );
    let shown_weekday = weekday
        .map(|(w, _)| w)
        .or_else(|| resolved.map(|d| d.weekday()));
    if let (true, Some(w)) = (has_weekday, shown_weekday) {
        canonical.push_str(&format!(" ({})", weekday_label(w)));
    }
    let meant = resolved.map(|date| HeadingLine { date, weekday });
    Some(misread(
        line,
        Code::MalformedHeading,
        "day heading",
        slip,
        canonical,
        meant,
    ))
}

/// A typed day of the month without its leading zero.
fn day_number(day: &str) -> String {
    day.parse::<u32>()
        .map_or_else(|_| day.to_owned(), |d| d.to_string())
}

/// `Notes for`, loosely: any case, `Note` for `Notes`, any spacing.
fn loose_notes_for(i: &str) -> PResult<'_, &str> {
    let (i, notes) = word(i)?;
    let (i, _) = space(i)?;
    let (i, for_) = word(i)?;
    let (i, _) = space(i)?;
    let notes_ok = matches!(notes.to_lowercase().as_str(), "notes" | "note");
    if !notes_ok || for_.to_lowercase() != "for" {
        return Err(nom::Err::Error(Failure {
            rest: i,
            expected: "",
        }));
    }
    Ok((i, notes))
}

fn near_closing(line: &str) -> Option<Misread<ClosingLine>> {
    let text = unindented(line);
    let (rest, notes) = loose_notes_for(text).ok()?;
    // With a weekday first, `Notes for Saturday Ocotber 1, 1949`; else only a date.
    let (weekday, comma_after_weekday, after_weekday) = match word(rest) {
        Ok((after, typed)) if spelling::weekday(typed).is_some() => {
            let (after_comma, comma) = opt(char::<_, Failure<'_>>(',')).parse(after).ok()?;
            let (after_space, _) = space(after_comma).ok()?;
            let found = name_slip(typed, spelling::weekday(typed), "weekday", |w| {
                weekday_label(*w)
            })?;
            let comma = comma.map(|_| Slip {
                at: after,
                message: "no comma belongs after the weekday".to_owned(),
                help: None,
            });
            (Some((found.0, typed, found.1)), comma, after_space)
        }
        _ => (None, None, rest),
    };
    let (rest, date) = loose_date(after_weekday).ok()?;
    let (rest, full_stop) = opt(char::<_, Failure<'_>>('.')).parse(rest).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let (month, month_slip) = name_slip(date.month, spelling::month(date.month), "month", |m| {
        month_label(*m)
    })?;
    let resolved = loose_resolve(&date, month);
    let notes_slip = (!text.starts_with("Notes for ")).then(|| Slip {
        at: notes,
        message: "a closing line starts with `Notes for`".to_owned(),
        help: None,
    });
    let missing_weekday = weekday.is_none().then(|| Slip {
        at: after_weekday,
        message: "no weekday before the date".to_owned(),
        help: None,
    });
    let spaced =
        (text.contains("  ") || text.contains('\t') || full_stop.is_some()).then(|| Slip {
            at: text,
            message: "irregular spacing or punctuation".to_owned(),
            help: None,
        });
    let (written, weekday_offset, weekday_slip) = match weekday {
        Some((w, typed, slip)) => (
            Some(w),
            Some(typed.as_ptr() as usize - line.as_ptr() as usize),
            slip,
        ),
        None => (None, None, None),
    };
    let slip = notes_slip
        .or(weekday_slip)
        .or(comma_after_weekday)
        .or(month_slip)
        .or_else(|| comma_slip(&date))
        .or(missing_weekday)
        .or(spaced)?;
    let shown_weekday = written.or_else(|| resolved.map(|d| d.weekday()));
    let date_text = format!(
        "{} {}, {}",
        month_label(month),
        day_number(date.day),
        date.year
    );
    let canonical = match shown_weekday {
        Some(w) => format!("Notes for {} {date_text}", weekday_label(w)),
        None => format!("Notes for {date_text}"),
    };
    let meant =
        resolved
            .zip(written.zip(weekday_offset))
            .map(|(date, (weekday, weekday_offset))| ClosingLine {
                weekday,
                date,
                weekday_offset,
                date_offset: after_weekday.as_ptr() as usize - line.as_ptr() as usize,
            });
    Some(misread(
        line,
        Code::MalformedClosing,
        "closing line",
        slip,
        canonical,
        meant,
    ))
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
    fn a_closing_line_is_read() {
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

    #[test]
    fn misspelt_headings_are_misread_headings_with_the_day_meant() {
        let Some(Err(misread)) = day_heading("Febuary 15, 1950 (Wednesday)") else {
            panic!()
        };
        assert_eq!(
            (misread.error.offset, misread.error.expected.as_str()),
            (0, "`February 15, 1950 (Wednesday)`")
        );
        assert_eq!(
            misread.meant.map(|m| (m.date, m.weekday)),
            Some((ymd(1950, 2, 15), Some((Weekday::Wed, 18))))
        );
        for typed in [
            "january 22, 1950",
            "Jan. 22, 1950 (Sunday)",
            "January 22 1950 (Sunday)",
            "January 22, 1950 Sunday",
            "  JANUARY 22, 1950 (SUNDAY)",
        ] {
            let Some(Err(misread)) = day_heading(typed) else {
                panic!("{typed}")
            };
            assert_eq!(
                misread.meant.map(|m| m.date),
                Some(ymd(1950, 1, 22)),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_misspelt_heading_naming_no_date_is_misread_without_a_day() {
        let Some(Err(misread)) = day_heading("Febuary 30, 1950") else {
            panic!()
        };
        assert_eq!(misread.meant, None);
        let Some(Err(misread)) = day_heading("Febuary 3, 0999") else {
            panic!()
        };
        assert_eq!(misread.meant, None);
    }

    #[test]
    fn prose_that_only_looks_a_little_like_a_heading_is_not_one() {
        for prose in [
            "Chapter 5, 1950 (draft)",
            "Room 12, 1950 copies",
            "Two days later, Zhou, joined by",
            "January 21, 1950 was a Saturday.",
            "May 5 1950 was warm.",
        ] {
            assert_eq!(day_heading(prose), None, "{prose}");
        }
    }

    #[test]
    fn years_before_1000_are_out_of_range() {
        let err = heading("January 1, 0999").unwrap().unwrap_err();
        assert_eq!((err.code, err.offset), (Code::ImpossibleDate, 11));
        assert_eq!(err.expected, "a year from 1000 to 9999");
    }

    #[test]
    fn misspelt_closing_lines_are_misread_closing_lines() {
        let Some(Err(misread)) = closing_line("Notes for Saturday Ocotber 1, 1949") else {
            panic!()
        };
        assert_eq!(misread.error.offset, 19);
        assert_eq!(
            misread.error.help.as_deref(),
            Some("did you mean `October`?")
        );
        assert_eq!(
            misread.meant.map(|m| (m.weekday, m.date)),
            Some((Weekday::Sat, ymd(1949, 10, 1)))
        );
        for typed in [
            "notes for Sunday January 22, 1950",
            "Note for Sunday January 22, 1950",
            "Notes for Sunday, January 22, 1950",
            "Notes for January 22, 1950",
            "Notes for Sunday January 22 1950",
        ] {
            assert!(matches!(closing_line(typed), Some(Err(_))), "{typed}");
        }
        assert_eq!(closing_line("Notes for Sunday were lost."), None);
        assert_eq!(closing_line("Notes for the week of January 22, 1950"), None);
    }
}
