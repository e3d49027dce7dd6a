//! Media codes, `19500122 0000 pic`.

use chrono::{NaiveDate, NaiveTime};
use nom::Parser;
use nom::bytes::complete::take_while;
use nom::character::complete::{char, satisfy};
use nom::combinator::{cut, eof, recognize};
use nom::error::{ErrorKind, ParseError, context};

use super::common::{
    FIRST_YEAR, Failure, LineError, LineResult, PResult, committed, unindented, year_out_of_range,
};
use crate::diagnostic::Code;

/// A media code as read from its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MediaLine {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub kind: String,
}

/// Exactly `n` ASCII digits, looked at as bytes: every line is tried as a media code.
fn digits_n(n: usize) -> impl Fn(&str) -> PResult<'_, &str> {
    move |i| match i.as_bytes().get(..n) {
        Some(digits) if digits.iter().all(u8::is_ascii_digit) => Ok((&i[n..], &i[..n])),
        _ => Err(nom::Err::Error(Failure::from_error_kind(
            i,
            ErrorKind::TakeWhileMN,
        ))),
    }
}

fn kind_code(i: &str) -> PResult<'_, &str> {
    recognize((
        satisfy(|c| c.is_ascii_lowercase()),
        take_while(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()),
    ))
    .parse(i)
}

/// ` HHMM kind` after the date.
fn time_and_kind(i: &str) -> PResult<'_, (&str, &str)> {
    let (i, _) = context("a space and a four-digit time such as 0000", cut(char(' '))).parse(i)?;
    let (i, time) = context("a four-digit 24-hour time such as 0000", cut(digits_n(4))).parse(i)?;
    let (i, _) = context("a space and a kind code such as `pic`", cut(char(' '))).parse(i)?;
    let (i, kind) = context("a lower-case kind code such as `pic`", cut(kind_code)).parse(i)?;
    let (i, _) = context("the end of the media line", cut(eof)).parse(i)?;
    Ok((i, (time, kind)))
}

/// A media code. A line commits to being one once it starts with eight digits followed by
/// a space or the end of the line, after any indentation.
pub(super) fn media_code(line: &str) -> LineResult<MediaLine> {
    let indent = line.len() - unindented(line).len();
    let (rest, ymd) = digits_n(8)(&line[indent..]).ok()?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((|| {
        let (time, kind) = committed(
            line,
            time_and_kind(rest),
            Code::MalformedMedia,
            "media code",
        )?;
        let number = |s: &str| s.parse::<u32>().unwrap_or(u32::MAX);
        if (number(&ymd[..4]) as i32) < FIRST_YEAR {
            return Err(year_out_of_range(indent, &ymd[..4]));
        }
        let date = NaiveDate::from_ymd_opt(
            number(&ymd[..4]) as i32,
            number(&ymd[4..6]),
            number(&ymd[6..]),
        )
        .ok_or_else(|| {
            LineError::new(
                Code::MalformedMedia,
                indent,
                format!("impossible media date `{ymd}`"),
                "a date that exists, written YYYYMMDD",
            )
        })?;
        let time = NaiveTime::from_hms_opt(number(&time[..2]), number(&time[2..]), 0).ok_or_else(
            || {
                LineError::new(
                    Code::MalformedMedia,
                    indent + 9,
                    format!("impossible media time `{time}`"),
                    "a 24-hour time from 0000 to 2359, written HHMM",
                )
            },
        )?;
        Ok(MediaLine {
            date,
            time,
            kind: kind.to_owned(),
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_code_from_the_sample() {
        assert_eq!(
            media_code("19500122 0000 pic"),
            Some(Ok(MediaLine {
                date: NaiveDate::from_ymd_opt(1950, 1, 22).unwrap(),
                time: NaiveTime::MIN,
                kind: "pic".to_owned(),
            }))
        );
    }

    #[test]
    fn indented_media_codes_count_and_errors_point_past_the_indentation() {
        assert!(matches!(media_code("  19500122 0000 pic"), Some(Ok(_))));
        let err = media_code("\t19501322 0000 pic").unwrap().unwrap_err();
        assert_eq!(err.offset, 1);
        let err = media_code("  19500122 2460 pic").unwrap().unwrap_err();
        assert_eq!(err.offset, 11);
    }

    #[test]
    fn lines_not_starting_with_eight_digits_are_not_media_codes() {
        assert_eq!(media_code("1950 was a year"), None);
        assert_eq!(media_code("195001220 0000 pic"), None);
        assert_eq!(media_code("14,000 soldiers"), None);
    }

    #[test]
    fn impossible_media_date_and_time_are_errors() {
        let err = media_code("19501322 0000 pic").unwrap().unwrap_err();
        assert_eq!((err.code, err.offset), (Code::MalformedMedia, 0));
        let err = media_code("19500122 2460 pic").unwrap().unwrap_err();
        assert_eq!(
            (err.offset, err.message.as_str()),
            (9, "impossible media time `2460`")
        );
    }

    #[test]
    fn malformed_media_codes_say_what_was_expected() {
        let err = media_code("19500122 0000 Pic").unwrap().unwrap_err();
        assert_eq!(
            (err.offset, err.expected.as_str()),
            (14, "a lower-case kind code such as `pic`")
        );
        let err = media_code("19500122").unwrap().unwrap_err();
        assert_eq!(
            (err.offset, err.expected.as_str()),
            (8, "a space and a four-digit time such as 0000")
        );
        let err = media_code("19500122 000 pic").unwrap().unwrap_err();
        assert_eq!(err.offset, 9);
        let err = media_code("19500122 0000 pic extra").unwrap().unwrap_err();
        assert_eq!(err.expected, "the end of the media line");
    }
}
