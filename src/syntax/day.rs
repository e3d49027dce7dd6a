//! One day as it is read: the heading, the lines of each section sorted into prose, list
//! items and media codes, and the closing line; [`DayBuilder::build`] turns them into the
//! AST day.

use chrono::Datelike;

use super::classify::{InlineContext, blocks};
use super::common::{echo, unindented};
use super::heading::Misread;
use super::inline::JoinBuffers;
use super::lines::Line;
use super::{Budget, Diagnostics, Options, block, heading, list, media};
use crate::ast::{
    Block, Closing, Day, Heading, MediaCode, Position, Section, long_date,
    weekday_name as weekday_label,
};
use crate::diagnostic::Code;

/// A block as read from lines, before the rules that look at neighbouring blocks.
pub(super) enum Raw<'l, 'a> {
    /// Consecutive prose lines of one chunk.
    Text(&'l [Line<'a>]),
    Item(RawItem<'l, 'a>),
    Media(MediaCode),
}

/// A list item as read from lines.
pub(super) struct RawItem<'l, 'a> {
    pub number: u64,
    /// Byte offset of the number in the item's first line.
    pub number_offset: usize,
    pub pos: Position,
    /// Its consecutive lines in one chunk.
    pub lines: &'l [Line<'a>],
    /// Byte offset of the item's text in its first line.
    pub text_offset: usize,
}

pub(super) struct DayBuilder<'l, 'a> {
    heading: Heading,
    /// The blocks of all its sections, in order.
    raws: Vec<Raw<'l, 'a>>,
    /// Where each section after the first starts in `raws`.
    breaks: Vec<usize>,
    closing: Option<Closing>,
    /// Whether a closing line (valid or not) has ended the day.
    closed: bool,
    after_closing_reported: bool,
}

impl<'l, 'a> DayBuilder<'l, 'a> {
    /// A day read from the heading at `line`, its blocks gathered in `raws` (empty; see
    /// [`DayBuilder::build`]).
    pub fn new(
        line: &'l Line<'a>,
        found: heading::HeadingLine,
        raws: Vec<Raw<'l, 'a>>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        if let Some((weekday, offset)) = found.weekday {
            check_weekday(line, offset, found.date, weekday, diagnostics);
        }
        Self {
            heading: Heading {
                date: found.date,
                weekday: found.weekday.map(|(w, _)| w),
                pos: line.position(0),
            },
            raws,
            breaks: Vec::new(),
            closing: None,
            closed: false,
            after_closing_reported: false,
        }
    }

    /// The line of the day's heading.
    pub fn line(&self) -> u32 {
        self.heading.pos.line
    }

    /// Reads the lines of a chunk into the current section; returns the lines from a day
    /// heading on, when one starts inside the chunk, for the caller to read next.
    /// `head_read` says that the caller already found the first line to be no day heading,
    /// so that it is not tried as one twice.
    pub fn chunk(
        &mut self,
        lines: &'l [Line<'a>],
        blank_before: usize,
        head_read: bool,
        diagnostics: &mut Diagnostics,
        budget: &mut Budget,
    ) -> Option<&'l [Line<'a>]> {
        let first = lines.first()?;
        if self.closed {
            self.content_after_closing(first, diagnostics);
            return None;
        }
        if blank_before >= 3 && self.raws.len() > self.section_start() {
            self.breaks.push(self.raws.len());
        }
        let start = self.section_start();
        let mut item_open = false;
        for (index, line) in lines.iter().enumerate() {
            // A closing line ends the day wherever it stands in its chunk, also right after
            // the last paragraph's line with no blank line between (docs/format.md).
            // A line's first byte tells which grammars it may be read with: a closing line
            // starts with `Note` in some case, a media code and a list item with a digit.
            // Most lines are prose, and are spared all three.
            let lead = unindented(&line.text).bytes().next().unwrap_or_default();
            let numbered = lead.is_ascii_digit();
            let closing = lead
                .eq_ignore_ascii_case(&b'n')
                .then(|| heading::closing_line(&line.text))
                .flatten();
            if let Some(found) = closing {
                self.close(line, found, diagnostics);
                if let Some(next) = lines.get(index + 1) {
                    self.content_after_closing(next, diagnostics);
                }
                return None;
            }
            let section = &mut self.raws;
            let continues_prose = match section[start..].last() {
                Some(Raw::Text(text_lines)) => text_lines
                    .last()
                    .is_some_and(|l| l.number + 1 == line.number),
                _ => false,
            };
            let continues_item = item_open && line.text.starts_with([' ', '\t']);
            // Every line that may start a block is charged for one (docs/safety.md).
            if !(continues_prose || continues_item || budget.spend(Budget::BLOCK, line.number)) {
                return None;
            }
            if let Some(found) = numbered.then(|| media::media_code(&line.text)).flatten() {
                item_open = false;
                match found {
                    Ok(code) => {
                        if code.date != self.heading.date {
                            diagnostics.push(
                                line.diagnostic(
                                    0,
                                    Code::MediaDateMismatch,
                                    format!(
                                        "media date {} differs from the day's date {}",
                                        code.date, self.heading.date
                                    ),
                                )
                                .expected(format!(
                                    "{} for a media item of this day",
                                    self.heading.date.format("%Y%m%d")
                                )),
                            );
                        }
                        section.push(Raw::Media(MediaCode {
                            date: code.date,
                            time: code.time,
                            kind: code.kind,
                            pos: line.position(0),
                        }));
                    }
                    Err(error) => diagnostics.push(line.error(error)),
                }
                continue;
            }
            let item = numbered
                .then(|| list::item(&line.text))
                .flatten()
                .filter(|_| !continues_prose || starts_a_list(lines, index));
            if let Some(found) = item {
                item_open = true;
                match found {
                    Ok(item) => section.push(Raw::Item(RawItem {
                        number: item.number,
                        number_offset: item.number_offset,
                        pos: line.position(item.number_offset),
                        lines: std::slice::from_ref(line),
                        text_offset: item.text_offset,
                    })),
                    Err(error) => {
                        item_open = false;
                        diagnostics.push(line.error(error));
                    }
                }
            } else if continues_item {
                if let Some(Raw::Item(item)) = section[start..].last_mut() {
                    item.lines = extended(lines, index, item.lines);
                }
            } else {
                item_open = false;
                // A heading starts a new day at the start of a block, where the text
                // edition puts one (after a blank line); inside prose only a heading with
                // its weekday in parentheses does, as no wrapped line of prose is one.
                let heading_here = if index == 0 && head_read {
                    false
                } else if continues_prose {
                    heading_in_prose(line, diagnostics)
                } else {
                    heading::day_heading(&line.text).is_some()
                };
                if heading_here {
                    return lines.get(index..);
                }
                match section[start..].last_mut() {
                    Some(Raw::Text(text_lines)) if continues_prose => {
                        *text_lines = extended(lines, index, text_lines);
                    }
                    _ => section.push(Raw::Text(std::slice::from_ref(line))),
                }
            }
        }
        None
    }

    /// Ends the day at a closing line; a misspelt one is reported, and read as the closing
    /// line it was meant to be when that can be told.
    fn close(
        &mut self,
        line: &Line<'_>,
        found: Result<heading::ClosingLine, heading::Misread<heading::ClosingLine>>,
        diagnostics: &mut Diagnostics,
    ) {
        self.closed = true;
        match found {
            Ok(found) => self.close_with(line, found, diagnostics),
            Err(misread) => {
                diagnostics.push(line.error(misread.error));
                if let Some(meant) = misread.meant {
                    self.closing = Some(Closing {
                        weekday: meant.weekday,
                        date: meant.date,
                        pos: line.position(0),
                    });
                }
            }
        }
    }

    fn close_with(
        &mut self,
        line: &Line<'_>,
        found: heading::ClosingLine,
        diagnostics: &mut Diagnostics,
    ) {
        let day = self.heading.date;
        if found.date != day {
            diagnostics.push(
                line.diagnostic(
                    found.date_offset,
                    Code::ClosingMismatch,
                    format!(
                        "the closing line names {} but the day is {}",
                        long_date(found.date),
                        long_date(day)
                    ),
                )
                .expected(format!(
                    "`Notes for {} {}`",
                    weekday_label(day.weekday()),
                    long_date(day)
                )),
            );
        }
        check_weekday(
            line,
            found.weekday_offset,
            found.date,
            found.weekday,
            diagnostics,
        );
        self.closing = Some(Closing {
            weekday: found.weekday,
            date: found.date,
            pos: line.position(0),
        });
    }

    fn content_after_closing(&mut self, line: &Line<'_>, diagnostics: &mut Diagnostics) {
        if !self.after_closing_reported {
            self.after_closing_reported = true;
            diagnostics.push(
                line.diagnostic(
                    0,
                    Code::ContentAfterClosing,
                    "text after the day's closing line",
                )
                .expected("a blank line and the next day heading, or the end of the file"),
            );
        }
    }

    /// The day, and `raws` emptied for the next day to gather its blocks in.
    pub fn build(
        self,
        diagnostics: &mut Diagnostics,
        options: &Options,
    ) -> (Day, Vec<Raw<'l, 'a>>) {
        let date = self.heading.date;
        let mut inlines = InlineContext {
            year: date.year(),
            month: date.month(),
            labels: options.labels.as_deref(),
            diagnostics,
            scratch: Vec::new(),
            spare: JoinBuffers::default(),
        };
        let mut raws = self.raws;
        let ends = self.breaks.iter().copied().chain([raws.len()]);
        let mut sections = Vec::with_capacity(self.breaks.len() + 1);
        let mut drained = raws.drain(..);
        let mut start = 0;
        for end in ends {
            let len = end - start;
            start = end;
            if len == 0 {
                continue;
            }
            let blocks = blocks(&mut drained, len, &mut inlines);
            sections.push(Section {
                pos: blocks.first().map(Block::pos).unwrap_or_default(),
                blocks,
            });
        }
        drop(drained);
        let day = Day {
            heading: self.heading,
            sections,
            closing: self.closing,
        };
        (day, raws)
    }

    /// Where the current section starts in `raws`.
    fn section_start(&self) -> usize {
        self.breaks.last().copied().unwrap_or_default()
    }
}

/// Whether a line inside a paragraph begins the next day: a whole heading with its weekday
/// in parentheses does. A whole heading without one stays prose, as a hand-wrapped line may
/// hold just a date; but it may as well be a day typed without its blank line, or a date
/// mistyped (`February 30, 1950`), so it is reported (DB0024) rather than read as prose in
/// silence.
fn heading_in_prose(line: &Line<'_>, diagnostics: &mut Diagnostics) -> bool {
    let Some(reading) = heading::day_heading(&line.text) else {
        return false;
    };
    if line.text.ends_with(')') {
        return true;
    }
    let (text, offset) = line.trimmed_from(0);
    let diagnostic = line
        .diagnostic(
            offset,
            Code::HeadingInParagraph,
            format!(
                "`{}` stands alone on a line inside a paragraph, where it is read as prose",
                echo(text)
            ),
        )
        .expected(
            "a blank line before it if it begins a new day, or other words on its line if \
             it belongs to the paragraph",
        );
    diagnostics.push(match reading {
        Ok(_) => diagnostic,
        Err(Misread { error, .. }) => diagnostic.help(match error.help {
            Some(help) => format!(
                "as a heading it would be wrong too: {}; {help}",
                error.message
            ),
            None => format!("as a heading it would be wrong too: {}", error.message),
        }),
    });
    false
}

/// `run`, the lines of `lines` right before `index`, with line `index` added: a block's
/// next line is the next line of its chunk.
fn extended<'l, 'a>(lines: &'l [Line<'a>], index: usize, run: &[Line<'a>]) -> &'l [Line<'a>] {
    let start = index - run.len();
    debug_assert!(std::ptr::eq(&lines[start..index], run));
    &lines[start..=index]
}

fn check_weekday(
    line: &Line<'_>,
    offset: usize,
    date: chrono::NaiveDate,
    written: chrono::Weekday,
    diagnostics: &mut Diagnostics,
) {
    let actual = date.weekday();
    if actual != written {
        diagnostics.push(
            line.diagnostic(
                offset,
                Code::WeekdayMismatch,
                format!(
                    "{} was a {}, not a {}",
                    long_date(date),
                    weekday_label(actual),
                    weekday_label(written)
                ),
            )
            .expected(weekday_label(actual)),
        );
    }
}

/// Whether the item-shaped line at `index`, right below a line of prose in the same chunk,
/// starts a list rather than continuing the prose. Hard wrapping puts a year such as `1953.`
/// at the start of a line (`before the spring of` / `1953. Others expected`), so such a line
/// is an item only when it is indented, when the prose above ends a sentence (`as follows:`),
/// or when the next line is the next item (`1. Wang` / `2. Li`).
fn starts_a_list(lines: &[Line<'_>], index: usize) -> bool {
    let line = &lines[index];
    let number = match list::item(&line.text) {
        Some(Ok(item)) => item.number,
        _ => return false,
    };
    let indented = line.text.starts_with([' ', '\t']);
    let after_sentence = index
        .checked_sub(1)
        .and_then(|i| lines.get(i))
        .is_some_and(|above| block::ends_sentence(&above.text));
    let next_item = lines
        .get(index + 1)
        .and_then(|below| list::item(&below.text))
        .is_some_and(
            |below| matches!(below, Ok(below) if Some(below.number) == number.checked_add(1)),
        );
    indented || after_sentence || next_item
}
