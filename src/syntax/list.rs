//! Numbered list items, `  1. Wang Jiaxiang,`.

use nom::Parser;
use nom::bytes::complete::take_while;
use nom::character::complete::char;

use super::common::{LineError, LineResult, PResult, digits, echo, unindented};
use crate::diagnostic::Code;

/// The first line of a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ItemLine {
    pub number: u64,
    /// Byte offset of the number.
    pub number_offset: usize,
    /// Byte offset of the item's text.
    pub text_offset: usize,
}

fn item_start(i: &str) -> PResult<'_, (&str, &str)> {
    let (i, (_, number, _, _)) = (
        take_while(|c| c == ' ' || c == '\t'),
        digits,
        char('.'),
        nom::bytes::complete::take_while1(|c| c == ' ' || c == '\t'),
    )
        .parse(i)?;
    Ok((i, (number, i)))
}

/// The first line of a list item: optional indentation, a number without leading zeros, a
/// full stop, white space and some text. `1950. A year` is an item by this rule; `01.` is not.
pub(super) fn item(line: &str) -> LineResult<ItemLine> {
    // Every line is tried as an item, and most start with a letter: a byte look spares them
    // the parse.
    if !unindented(line).starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (_, (number, text)) = item_start(line).ok()?;
    if text.is_empty() || (number.len() > 1 && number.starts_with('0')) {
        return None;
    }
    let number_offset = number.as_ptr() as usize - line.as_ptr() as usize;
    Some(
        number
            .parse::<u64>()
            .map(|number| ItemLine {
                number,
                number_offset,
                text_offset: line.len() - text.len(),
            })
            .map_err(|_| {
                LineError::new(
                    Code::ListNumberTooLarge,
                    number_offset,
                    format!("list number {} is too large", echo(number)),
                    format!("a list number up to {}", u64::MAX),
                )
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_item_from_the_sample() {
        assert_eq!(
            item("  1. Wang Jiaxiang,"),
            Some(Ok(ItemLine {
                number: 1,
                number_offset: 2,
                text_offset: 5
            }))
        );
    }

    #[test]
    fn unindented_item() {
        assert_eq!(
            item("12. Twelve"),
            Some(Ok(ItemLine {
                number: 12,
                number_offset: 0,
                text_offset: 4
            }))
        );
    }

    #[test]
    fn numbers_without_text_or_with_leading_zeros_are_not_items() {
        assert_eq!(item("  4."), None);
        assert_eq!(item("01. first"), None);
        assert_eq!(item("14,000 soldiers"), None);
        assert_eq!(item("3.5 percent"), None);
    }

    #[test]
    fn huge_list_number_is_an_error() {
        let err = item("99999999999999999999999. too many")
            .unwrap()
            .unwrap_err();
        assert_eq!((err.code, err.offset), (Code::ListNumberTooLarge, 0));
    }
}
