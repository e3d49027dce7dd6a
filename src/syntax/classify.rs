//! Which block a run of lines is: the rules that look at whole blocks and at their
//! neighbours (a sentence running through a list, list numbering, correspondence lines,
//! labels), and the inline content of the blocks that have it.

use std::collections::VecDeque;

use super::Diagnostics;
use super::block;
use super::day::{Raw, RawItem};
use super::inline::{InlineParser, JoinBuffers, Joined};
use super::lines::{Line, snippet};
use crate::ast::{
    Block, Citation, Correspondence, Item, Label, List, MediaList, Paragraph, ParagraphPart,
    Position,
};
use crate::diagnostic::{Code, Diagnostic};

/// Turns inline findings into diagnostics; knows the month cross-references resolve in.
pub(super) struct InlineContext<'d> {
    pub year: i32,
    pub month: u32,
    /// The configured label lines, if any.
    pub labels: Option<&'d [String]>,
    pub diagnostics: &'d mut Diagnostics,
    /// Lent to each block's inline parser in turn ([`InlineParser::scratch`]).
    pub scratch: Vec<crate::ast::Inline>,
    /// Lent to each block of several lines in turn, to join its text in.
    pub spare: JoinBuffers,
}

impl InlineContext<'_> {
    fn parse(&mut self, joined: &Joined<'_>, lines: &[Line<'_>]) -> Vec<crate::ast::Inline> {
        let mut parser = InlineParser {
            joined,
            year: self.year,
            month: self.month,
            findings: Vec::new(),
            scratch: std::mem::take(&mut self.scratch),
        };
        let inlines = parser.parse();
        self.scratch = parser.scratch;
        for finding in parser.findings {
            let (line, column) = (finding.pos.line, finding.pos.column);
            self.diagnostics.report(finding.code, line, || {
                let diagnostic = Diagnostic::new(finding.code, line, column, finding.message)
                    .expected(finding.expected);
                // The lines of a block are in source order.
                let index = lines.partition_point(|l| l.number < line);
                match lines
                    .get(index)
                    .filter(|l| l.number == line)
                    .and_then(|l| snippet(&l.text, column))
                {
                    Some(snippet) => diagnostic.with_source_line(snippet),
                    None => diagnostic,
                }
            });
        }
        inlines
    }
}

/// Prose or a list before the rules that join them.
enum Pre<'l, 'a> {
    Text(&'l [Line<'a>]),
    List(List),
    Media(MediaList),
}

/// The blocks of a section: the next `len` of `raws`.
pub(super) fn blocks<'l, 'a: 'l>(
    raws: &mut std::vec::Drain<'_, Raw<'l, 'a>>,
    len: usize,
    inlines: &mut InlineContext<'_>,
) -> Vec<Block> {
    // Sized once: items merge into lists, so there are at most as many as the raw blocks.
    let mut pre: Vec<Pre<'_, '_>> = Vec::with_capacity(len);
    for left in (0..len).rev() {
        let Some(raw) = raws.next() else {
            break;
        };
        // The rest of the section: a list or media list is sized for the run it starts,
        // rather than grown item by item.
        let ahead = raws.as_slice().get(..left).unwrap_or_default();
        match (raw, pre.last_mut()) {
            (Raw::Item(raw), last) => {
                let joined = Joined::lines(raw.lines, raw.text_offset, &mut inlines.spare);
                let content = inlines.parse(&joined, raw.lines);
                joined.recycle(&mut inlines.spare);
                let item = Item {
                    number: raw.number,
                    content,
                    pos: raw.pos,
                };
                match last {
                    Some(Pre::List(list)) => {
                        if let Some(previous) = list.items.last() {
                            check_numbering(previous, &raw, inlines.diagnostics);
                        }
                        list.items.push(item);
                    }
                    _ => {
                        let run = ahead.iter().take_while(|r| matches!(r, Raw::Item(_)));
                        let mut items = Vec::with_capacity(1 + run.count());
                        items.push(item);
                        pre.push(Pre::List(List {
                            items,
                            pos: raw.pos,
                        }));
                    }
                }
            }
            (Raw::Media(code), Some(Pre::Media(media))) => media.codes.push(code),
            (Raw::Media(code), _) => {
                let run = ahead.iter().take_while(|r| matches!(r, Raw::Media(_)));
                let mut codes = Vec::with_capacity(1 + run.count());
                let pos = code.pos;
                codes.push(code);
                pre.push(Pre::Media(MediaList { pos, codes }));
            }
            (Raw::Text(lines), _) => pre.push(Pre::Text(lines)),
        }
    }
    let mut pre: VecDeque<Pre<'_, '_>> = pre.into();
    let mut blocks = Vec::with_capacity(pre.len());
    while let Some(next) = pre.pop_front() {
        match next {
            Pre::Text(lines) => {
                let joined = Joined::lines(lines, 0, &mut inlines.spare);
                let mut parts = Vec::new();
                let mut ends = block::ends_sentence(&joined.text);
                // A sentence runs through a list when the text before it does not end a
                // sentence and the text after it starts in lower case (FORMAT.md): the
                // joined text starts as its first line does without its indentation.
                while !ends {
                    let (Some(Pre::List(_)), Some(Pre::Text([first, ..]))) =
                        (pre.front(), pre.get(1))
                    else {
                        break;
                    };
                    if !block::starts_lowercase(first.trimmed_from(0).0) {
                        break;
                    }
                    let (Some(Pre::List(list)), Some(Pre::Text(after_lines))) =
                        (pre.pop_front(), pre.pop_front())
                    else {
                        break;
                    };
                    let after = Joined::lines(after_lines, 0, &mut inlines.spare);
                    ends = block::ends_sentence(&after.text);
                    parts.push(ParagraphPart::List(list));
                    parts.push(ParagraphPart::Inlines(inlines.parse(&after, after_lines)));
                    after.recycle(&mut inlines.spare);
                }
                let pos = joined.position(0);
                blocks.push(if parts.is_empty() {
                    classify(&joined, lines, pos, inlines)
                } else {
                    parts.insert(0, ParagraphPart::Inlines(inlines.parse(&joined, lines)));
                    Block::Paragraph(Paragraph { parts, pos })
                });
                joined.recycle(&mut inlines.spare);
            }
            Pre::List(list) => blocks.push(Block::List(list)),
            Pre::Media(media) => blocks.push(Block::Media(media)),
        }
    }
    blocks
}

/// A standalone prose block is a correspondence line, a label or a paragraph.
fn classify(
    joined: &Joined<'_>,
    lines: &[Line<'_>],
    pos: Position,
    inlines: &mut InlineContext<'_>,
) -> Block {
    if let Some(fields) = block::correspondence(&joined.text) {
        return Block::Correspondence(Correspondence {
            sender: fields.sender.to_owned(),
            recipient: fields.recipient.to_owned(),
            subject: fields.subject.to_owned(),
            trailing: fields.trailing.to_owned(),
            citations: fields
                .citations
                .into_iter()
                .map(|(offset, notes)| Citation {
                    notes,
                    pos: joined.position(offset),
                })
                .collect(),
            sender_id: None,
            recipient_id: None,
            subject_names: Vec::new(),
            pos,
        });
    }
    let label = match inlines.labels {
        Some(known) => known.iter().any(|label| *label == joined.text),
        None => block::is_label(&joined.text),
    };
    if label {
        return Block::Label(Label {
            text: String::from(joined.text.as_ref()),
            pos,
        });
    }
    Block::Paragraph(Paragraph {
        parts: vec![ParagraphPart::Inlines(inlines.parse(joined, lines))],
        pos,
    })
}

/// A warning when `item` does not carry the number after `previous`'s: a list numbered 1, 2,
/// 4 has lost an item or a digit, and the editions keep the numbers as written.
fn check_numbering(previous: &Item, item: &RawItem<'_, '_>, diagnostics: &mut Diagnostics) {
    let expected = previous.number.checked_add(1);
    if Some(item.number) == expected {
        return;
    }
    let line = &item.lines[0];
    let what = if item.number == previous.number {
        "repeats"
    } else {
        "does not follow"
    };
    let mut diagnostic = line
        .diagnostic(
            item.number_offset,
            Code::ListNumbering,
            format!(
                "list item {} {what} item {}; kept as written",
                item.number, previous.number
            ),
        )
        .expected(match expected {
            Some(next) => format!("item {next} after item {}", previous.number),
            None => "a number after the previous item's".to_owned(),
        });
    if let Some(next) = expected {
        diagnostic = diagnostic.help(format!("renumber it {next}, or restore the missing item"));
    }
    diagnostics.push(diagnostic);
}
