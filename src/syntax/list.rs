//! Numbered list items, `  1. Wang Jiaxiang,`.

use super::common::{LineError, LineResult, echo, unindented};
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

/// The number of an item's first line and the text after it: optional indentation, ASCII
/// digits, a full stop and white space. Looked at as bytes rather than parsed by nom's
/// combinators character by character: lines that start with a digit are tried, and tried
/// again with the line below to tell whether they start a list.
fn item_start(i: &str) -> Option<(&str, &str)> {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let i = unindented(i);
    let digits = i.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = i.split_at(digits);
    let rest = rest.strip_prefix('.').filter(|_| digits > 0)?;
    let space = rest.bytes().take_while(blank).count();
    (space > 0).then(|| (number, &rest[space..]))
}

/// The first line of a list item: optional indentation, a number without leading zeros, a
/// full stop, white space and some text. `1950. A year` is an item by this rule; `01.` is not.
pub(super) fn item(line: &str) -> LineResult<ItemLine> {
    let (number, text) = item_start(line)?;
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
