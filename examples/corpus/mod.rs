//! Deterministic day notes in the style of `shared/samples/1950-01-22.txt`, for benchmarks.
//!
//! Shared by the `gen_corpus` example, which writes corpora to disk, and the throughput
//! benchmarks, which include this file with `#[path]`, so that both measure the same notes.
//! Every day is drawn from its own seed (the corpus seed and the date), so a shorter corpus is
//! a prefix of a longer one with the same seed. Every note passes `daybook check` without a
//! diagnostic: cross-references point to earlier days of the same month, which every corpus
//! starting on 1950-01-01 holds.

pub mod names;
mod words;

use chrono::{Datelike, NaiveDate};

use words::*;

/// The first day of every corpus.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1).expect("1950-01-01 exists")
}

/// `count` consecutive days from [`first_day`], drawn from `seed`.
pub fn days(seed: u64, count: usize) -> impl Iterator<Item = Day> {
    first_day()
        .iter_days()
        .take(count)
        .map(move |date| Day::generate(seed, date))
}

/// One generated note: its content, from which [`Day::text`] and the example's Markdown are
/// written.
pub struct Day {
    /// The day the note is for.
    pub date: NaiveDate,
    /// Whether the heading names the weekday: `January 22, 1950 (Sunday)`.
    pub weekday_shown: bool,
    /// The sections, never empty, each a list of blocks.
    pub sections: Vec<Vec<Block>>,
    /// Whether the note ends with a closing line.
    pub closing: bool,
    /// The seed of the text form's layout: blank-line runs, wrapping, the final newline.
    layout: u64,
}

/// A block of a generated note.
pub enum Block {
    /// Whole sentences, with citations, quotations and cross-references.
    Paragraph(String),
    /// A sentence running through a numbered list: the words before it (not ending a
    /// sentence), the items, and the words after it (starting in lower case).
    RunningList {
        before: String,
        items: Vec<String>,
        after: String,
    },
    /// A numbered list on its own (the paragraph before it ends with a colon).
    List(Vec<String>),
    /// `Sender to Recipient concerning subject.`
    Correspondence(String),
    /// Media codes, `19500122 0000 pic`, one per line.
    Media(Vec<String>),
    /// A label line, `Songs of the week`.
    Label(String),
}

/// The column hard-wrapped paragraphs are wrapped at.
const WIDTH: usize = 72;

impl Day {
    /// `January 22, 1950 (Sunday)` or `January 22, 1950`.
    pub fn heading(&self) -> String {
        let date = self.date.format("%B %-d, %Y");
        if self.weekday_shown {
            format!("{date} ({})", self.date.format("%A"))
        } else {
            date.to_string()
        }
    }

    /// `Notes for Sunday January 22, 1950`.
    pub fn closing_line(&self) -> String {
        self.date.format("Notes for %A %B %-d, %Y").to_string()
    }

    /// The note as a day-note file: runs of one to five blank lines as in the sample, some
    /// paragraphs hard-wrapped and others on one line.
    pub fn text(&self) -> String {
        let mut rng = Rng(self.layout);
        let mut out = self.heading();
        for section in &self.sections {
            blank_lines(&mut out, rng.range(3, 5));
            for (index, block) in section.iter().enumerate() {
                if index > 0 {
                    blank_lines(&mut out, rng.range(1, 2));
                }
                write_block(block, &mut rng, &mut out);
            }
        }
        if self.closing {
            blank_lines(&mut out, rng.range(3, 5));
            out.push_str(&self.closing_line());
        }
        if rng.chance(70) {
            out.push('\n');
        }
        out
    }

    fn generate(seed: u64, date: NaiveDate) -> Self {
        let day = u64::from(date.num_days_from_ce().unsigned_abs());
        let mut rng = Rng(Rng(seed).next() ^ day);
        let note = rng.range(1, 150);
        let mut writer = Writer { rng, date, note };
        let budget = writer.rng.range(2_000, 3_200);
        let prose_sections = writer.rng.range(1, 3);
        let mut sections: Vec<Vec<Block>> = (0..prose_sections)
            .map(|index| writer.prose_section(budget / prose_sections, index == 0))
            .collect();
        if writer.rng.chance(70) {
            sections.push(writer.misc_section());
        }
        Self {
            date,
            weekday_shown: writer.rng.chance(90),
            sections,
            closing: writer.rng.chance(90),
            layout: writer.rng.next(),
        }
    }
}

/// Draws the content of one day.
struct Writer {
    rng: Rng,
    date: NaiveDate,
    /// The next note number to cite.
    note: usize,
}

impl Writer {
    /// Paragraphs (the first section may open with a sentence running through a list) until
    /// about `budget` bytes are written.
    fn prose_section(&mut self, budget: usize, first: bool) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut size = 0;
        if first && self.rng.chance(40) {
            let block = self.running_list();
            size += block_size(&block);
            blocks.push(block);
        }
        while size < budget {
            let new = if !blocks.is_empty() && self.rng.chance(10) {
                let intro = self.list_intro();
                vec![Block::Paragraph(intro), Block::List(self.list_items())]
            } else {
                vec![Block::Paragraph(self.paragraph())]
            };
            size += new.iter().map(block_size).sum::<usize>();
            blocks.extend(new);
        }
        blocks
    }

    /// Correspondence, media codes and a label, as the sample's last section.
    fn misc_section(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        for _ in 0..self.rng.range(0, 2) {
            blocks.push(Block::Correspondence(self.correspondence()));
        }
        if blocks.is_empty() || self.rng.chance(70) {
            let codes = (0..self.rng.range(1, 3))
                .map(|_| self.media_code())
                .collect();
            blocks.push(Block::Media(codes));
        }
        if self.rng.chance(60) {
            blocks.push(Block::Label(self.rng.pick(LABELS).to_owned()));
        }
        blocks
    }

    fn paragraph(&mut self) -> String {
        let sentences = self.rng.range(1, 3);
        let mut text = String::new();
        for index in 0..sentences {
            if index > 0 {
                text.push(' ');
            }
            text.push_str(&self.sentence());
            if self.rng.chance(35) {
                text.push_str(&self.citation());
            }
        }
        if self.date.day() > 1 && self.rng.chance(12) {
            let target = self.rng.range(1, self.date.day() as usize - 1);
            text.push_str(&format!(
                " [see the {target}{}]",
                daybook::ast::ordinal_suffix(target as u32)
            ));
        }
        text
    }

    fn sentence(&mut self) -> String {
        let r = &mut self.rng;
        match r.range(0, 11) {
            0 => format!(
                "{} met {} in {} to discuss {}.",
                names::short_name(r),
                names::person(r),
                names::place(r),
                r.pick(TOPICS)
            ),
            1 => format!(
                "According to {}, {}, {}.",
                names::person(r),
                r.pick(ROLES),
                r.pick(CLAUSES)
            ),
            2 => format!(
                "{} insisted that the treaty should clearly state that if one side was attacked by a third country the other side \"{}\"",
                names::short_name(r),
                r.pick(PLEDGES)
            ),
            3 => format!(
                "Then, according to {}, {},{:03} {} returned to {} in the spring of {}.",
                names::short_name(r),
                r.range(1, 99),
                r.range(0, 999),
                r.pick(GROUPS),
                names::place(r),
                self.date.year()
            ),
            4 => format!(
                "It is thus unlikely that {} would fail to report to {} about {}.",
                names::short_name(r),
                names::short_name(r),
                r.pick(TOPICS)
            ),
            5 => format!(
                "{} sent off a report on {} to {} on {} {}, and {} approved it the next day.",
                names::short_name(r),
                r.pick(TOPICS),
                r.pick(ORGANISATIONS),
                r.range(1, self.date.day() as usize),
                self.date.format("%B"),
                r.pick(ORGANISATIONS)
            ),
            6 => format!(
                "What should be particularly noticed here is {} and {}.",
                r.pick(TOPICS),
                r.pick(TOPICS)
            ),
            7 => format!("Although {}, {}.", r.pick(CLAUSES), r.pick(CLAUSES)),
            8 => format!(
                "{} had stressed at several occasions that \"{}\" and everything should be reported to {}.",
                names::short_name(r),
                r.pick(MAXIMS),
                r.pick(ORGANISATIONS)
            ),
            9 => format!(
                "{} paid special attention to {}, as {} wished.",
                names::short_name(r),
                r.pick(TOPICS),
                names::short_name(r)
            ),
            10 => format!(
                "{} told {} that {} was by no means \"small.\"",
                names::person(r),
                r.pick(ORGANISATIONS),
                r.pick(TOPICS)
            ),
            _ => format!(
                "This persistence paid off as {} was added to {}.",
                r.pick(TOPICS),
                r.pick(TOPICS)
            ),
        }
    }

    fn citation(&mut self) -> String {
        let first = self.note;
        let (text, used) = match self.rng.range(0, 9) {
            0 => (format!("[{first}, {}]", first + 1), 2),
            1 => (format!("[{first}-{}]", first + 2), 3),
            _ => (format!("[{first}]"), 1),
        };
        self.note += used;
        text
    }

    fn running_list(&mut self) -> Block {
        let r = &mut self.rng;
        let before = match r.range(0, 2) {
            0 => format!("Two days later, {}, joined by", names::short_name(r)),
            1 => format!("The talks in {} were attended by", names::place(r)),
            _ => format!(
                "{} sent a delegation to {} that was led by",
                r.pick(ORGANISATIONS),
                names::place(r)
            ),
        };
        let count = r.range(2, 5);
        let items = (0..count)
            .map(|index| {
                let name = names::person(r);
                match count - index {
                    1 => name.to_owned(),
                    2 => format!("{name}, and"),
                    _ => format!("{name},"),
                }
            })
            .collect();
        let mut after = match r.range(0, 2) {
            0 => format!(
                "started negotiations with {} headed by {}, {}.",
                r.pick(ORGANISATIONS),
                names::person(r),
                r.pick(ROLES)
            ),
            1 => format!("to discuss {} and {}.", r.pick(TOPICS), r.pick(TOPICS)),
            _ => format!(
                "who presented a draft on {} to {}.",
                r.pick(TOPICS),
                r.pick(ORGANISATIONS)
            ),
        };
        if self.rng.chance(50) {
            after.push_str(&self.citation());
        }
        Block::RunningList {
            before,
            items,
            after,
        }
    }

    fn list_intro(&mut self) -> String {
        let r = &mut self.rng;
        match r.range(0, 1) {
            0 => format!(
                "The memorandum of {} listed the following points:",
                names::short_name(r)
            ),
            _ => format!("{} set out these conditions:", r.pick(ORGANISATIONS)),
        }
    }

    fn list_items(&mut self) -> Vec<String> {
        (0..self.rng.range(2, 4))
            .map(|_| self.rng.pick(LIST_ITEMS).to_owned())
            .collect()
    }

    fn correspondence(&mut self) -> String {
        let r = &mut self.rng;
        let trailing = match r.range(0, 9) {
            0 => "..",
            1 => "",
            _ => ".",
        };
        let (sender, recipient) = (names::correspondent(r), names::correspondent(r));
        // A third of the subjects name someone or somewhere, as letters' subjects do.
        let subject = match r.range(0, 5) {
            0 => format!("the visit of {}", names::person(r)),
            1 => format!("the situation in {}", names::place(r)),
            _ => r.pick(SUBJECTS).to_owned(),
        };
        format!("{sender} to {recipient} concerning {subject}{trailing}")
    }

    fn media_code(&mut self) -> String {
        let r = &mut self.rng;
        let time = if r.chance(50) {
            "0000".to_owned()
        } else {
            format!("{:02}{:02}", r.range(0, 23), r.range(0, 59))
        };
        format!(
            "{} {time} {}",
            self.date.format("%Y%m%d"),
            r.pick(MEDIA_KINDS)
        )
    }
}

/// A splitmix64 generator: tiny, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `low` to `high`, both included.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.range(0, words.len() - 1)]
    }

    fn choose<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

fn block_size(block: &Block) -> usize {
    match block {
        Block::Paragraph(text) | Block::Correspondence(text) | Block::Label(text) => text.len(),
        Block::RunningList {
            before,
            items,
            after,
        } => before.len() + after.len() + items.iter().map(|i| i.len() + 6).sum::<usize>(),
        Block::List(items) | Block::Media(items) => items.iter().map(|i| i.len() + 6).sum(),
    }
}

fn blank_lines(out: &mut String, count: usize) {
    for _ in 0..=count {
        out.push('\n');
    }
}

fn write_block(block: &Block, rng: &mut Rng, out: &mut String) {
    match block {
        Block::Paragraph(text) => write_prose(text, rng, out),
        Block::RunningList {
            before,
            items,
            after,
        } => {
            write_prose(before, rng, out);
            blank_lines(out, 1);
            write_items(items, rng, out);
            blank_lines(out, 1);
            write_prose(after, rng, out);
        }
        Block::List(items) => write_items(items, rng, out),
        Block::Media(codes) => {
            for (index, code) in codes.iter().enumerate() {
                if index > 0 {
                    blank_lines(out, rng.range(0, 1));
                }
                out.push_str(code);
            }
        }
        Block::Correspondence(line) | Block::Label(line) => out.push_str(line),
    }
}

/// Prose on one line, as most of the sample's paragraphs, or hard-wrapped.
fn write_prose(text: &str, rng: &mut Rng, out: &mut String) {
    if rng.chance(40) {
        wrap(text, "", out);
    } else {
        out.push_str(text);
    }
}

/// `  1. Wang Jiaxiang,` items, a blank line apart as in the sample or one under another.
fn write_items(items: &[String], rng: &mut Rng, out: &mut String) {
    let gap = rng.range(0, 1);
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            blank_lines(out, gap);
        }
        let marker = format!("  {}. ", index + 1);
        out.push_str(&marker);
        wrap(item, &" ".repeat(marker.len()), out);
    }
}

/// Wraps `text` at [`WIDTH`], continuing lines with `indent`. A line never starts with a
/// digit (it could read as a list item or a media code) and never breaks inside brackets.
fn wrap(text: &str, indent: &str, out: &mut String) {
    let mut column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
    let mut open_brackets = 0usize;
    for (index, word) in text.split(' ').enumerate() {
        let breakable = !word.starts_with(|c: char| c.is_ascii_digit()) && open_brackets == 0;
        if index > 0 {
            if column + 1 + word.len() > WIDTH && breakable {
                out.push('\n');
                out.push_str(indent);
                column = indent.len();
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += word.len();
        open_brackets += word.matches('[').count();
        open_brackets -= word.matches(']').count().min(open_brackets);
    }
}
