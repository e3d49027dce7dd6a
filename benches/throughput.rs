//! Throughput of each stage on one thread: parsing, mention finding, and each edition written
//! from an already-parsed AST, on the sample note and on a generated year (`examples/corpus`).
//!
//! Every stage counts the bytes of the source notes it stands for, so that the seconds per MB
//! of parsing and of each edition add up to what a build spends on them. Run with
//! `cargo bench`; `make bench` reads the results from `target/criterion/`. Under `cargo test`
//! each benchmark runs once, which checks that the generated year parses clean into the
//! blocks it was generated as.

#[path = "../examples/corpus/mod.rs"]
mod corpus;

use std::collections::BTreeSet;
use std::hint::black_box;
use std::io::Cursor;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use daybook::ast::{Block, Day, Inline, ParagraphPart, Register};
use daybook::edition::{Context, Metadata, SourcedDay, epub, tei, text};
use daybook::mentions::Matcher;

/// The daybook binary's allocator (see `Cargo.toml`): the parser's time is a quarter
/// allocation, so the throughput measured is the binary's only with the same one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The sample note, byte for byte (`shared/samples/1950-01-22.txt`).
const SAMPLE: &[u8] = include_bytes!("../tests/fixtures/sample.txt");

/// The seed of the generated year; `make bench` generates its corpora from the same one.
const SEED: u64 = 1;

/// The year every input lies in.
const YEAR: i32 = 1950;

/// Notes to measure on: their files and their days, parsed once for the editions.
struct Input {
    name: &'static str,
    files: Vec<Vec<u8>>,
    days: Vec<SourcedDay>,
    dates: BTreeSet<NaiveDate>,
    bytes: u64,
}

impl Input {
    fn new(name: &'static str, files: Vec<Vec<u8>>) -> Self {
        let days: Vec<SourcedDay> = files
            .iter()
            .flat_map(|file| {
                let parsed = daybook::syntax::parse(file);
                assert!(
                    parsed.diagnostics.is_empty(),
                    "{name}: {:?}",
                    parsed.diagnostics
                );
                parsed.days
            })
            .map(|day| SourcedDay {
                source: format!("{}.txt", day.date()),
                day,
            })
            .collect();
        Self {
            name,
            dates: days.iter().map(|d| d.day.date()).collect(),
            bytes: files.iter().map(|f| f.len() as u64).sum(),
            files,
            days,
        }
    }

    /// A generated year, checked to parse into the blocks it was generated as.
    fn year() -> Self {
        let generated: Vec<corpus::Day> = corpus::days(SEED, 365).collect();
        let files = generated.iter().map(|d| d.text().into_bytes()).collect();
        let input = Self::new("year", files);
        for (model, parsed) in generated.iter().zip(&input.days) {
            assert_eq!(
                (model.date, model_shape(model)),
                (parsed.day.date(), ast_shape(&parsed.day)),
                "the generated note parses into other blocks than it was generated as"
            );
        }
        input
    }
}

/// The kind of every block, section by section, and whether there is a closing line.
type Shape = (Vec<Vec<&'static str>>, bool);

fn model_shape(day: &corpus::Day) -> Shape {
    let kind = |block: &corpus::Block| match block {
        corpus::Block::Paragraph(_) => "paragraph",
        corpus::Block::RunningList { .. } => "paragraph with a list",
        corpus::Block::List(_) => "list",
        corpus::Block::Correspondence(_) => "correspondence",
        corpus::Block::Media(_) => "media",
        corpus::Block::Label(_) => "label",
    };
    let sections = day.sections.iter().map(|s| s.iter().map(kind).collect());
    (sections.collect(), day.closing)
}

fn ast_shape(day: &Day) -> Shape {
    let kind = |block: &Block| match block {
        Block::Paragraph(p) if p.parts.len() == 3 => "paragraph with a list",
        Block::Paragraph(_) => "paragraph",
        Block::List(_) => "list",
        Block::Correspondence(_) => "correspondence",
        Block::Media(_) => "media",
        Block::Label(_) => "label",
    };
    let sections = day
        .sections
        .iter()
        .map(|s| s.blocks.iter().map(kind).collect());
    (sections.collect(), day.closing.is_some())
}

fn throughput(c: &mut Criterion) {
    let inputs = [Input::new("sample", vec![SAMPLE.to_vec()]), Input::year()];
    let mut group = c.benchmark_group("parse");
    for input in &inputs {
        group.throughput(Throughput::Bytes(input.bytes));
        group.bench_function(input.name, |b| {
            b.iter(|| {
                for file in &input.files {
                    black_box(daybook::syntax::parse(black_box(file)));
                }
            });
        });
    }
    // The year as one file, as the text edition's `1950.txt` is: a cost that grows with the
    // file rather than with the day shows here and not in the per-day files.
    let one_file = inputs[1].files.join(&b"\n\n\n"[..]);
    group.throughput(Throughput::Bytes(one_file.len() as u64));
    group.bench_function("year-one-file", |b| {
        b.iter(|| black_box(daybook::syntax::parse(black_box(&one_file))));
    });
    group.finish();
    mentions(c, &inputs[1]);
    for input in &inputs {
        editions(c, input);
    }
}

/// Mention finding in the parsed year with a register of the generator's whole pool
/// ([`corpus::names::POOL`] names), checked to mark names and to find no typo; the days it marks are
/// copies made outside the timing.
fn mentions(c: &mut Criterion, year: &Input) {
    let parsed =
        daybook::syntax::parse_register(corpus::names::register(corpus::names::POOL).as_bytes());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut register = Register::new();
    for entry in parsed.entries {
        register
            .entries
            .insert((entry.kind, entry.id.clone()), entry);
    }
    let matcher = Matcher::new(&register);
    let mut marked: Vec<Day> = year.days.iter().map(|d| d.day.clone()).collect();
    let findings: usize = marked.iter_mut().map(|day| matcher.mark(day).len()).sum();
    assert_eq!(
        findings, 0,
        "the generated year has names one edit from another"
    );
    let names: usize = marked.iter().map(names).sum();
    assert!(
        names > 10 * marked.len(),
        "the generated year mentions {names} registered names in {} days",
        marked.len()
    );
    let mut group = c.benchmark_group("year");
    group.throughput(Throughput::Bytes(year.bytes));
    group.bench_function("mentions", |b| {
        b.iter_batched_ref(
            || {
                year.days
                    .iter()
                    .map(|d| d.day.clone())
                    .collect::<Vec<Day>>()
            },
            |days| {
                for day in days {
                    black_box(matcher.mark(day));
                }
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// The mentions marked in the paragraphs of `day`, outside quotations.
fn names(day: &Day) -> usize {
    let count = |inlines: &[Inline]| {
        inlines
            .iter()
            .filter(|i| matches!(i, Inline::Name(_)))
            .count()
    };
    day.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .map(|block| match block {
            Block::Paragraph(p) => p
                .parts
                .iter()
                .map(|part| match part {
                    ParagraphPart::Inlines(inlines) => count(inlines),
                    ParagraphPart::List(list) => list.items.iter().map(|i| count(&i.content)).sum(),
                })
                .sum(),
            _ => 0,
        })
        .sum()
}

/// Each edition written from the parsed days, into memory.
fn editions(c: &mut Criterion, input: &Input) {
    let metadata = Metadata::default();
    let ctx = Context {
        days: &input.dates,
        metadata: &metadata,
        notes: &daybook::edition::NO_NOTES,
        register: &daybook::edition::NO_REGISTER,
    };
    let mut group = c.benchmark_group(input.name);
    group.throughput(Throughput::Bytes(input.bytes));
    group.bench_function("text", |b| {
        let mut out = String::new();
        b.iter(|| {
            out.clear();
            text::write_days(input.days.iter().map(|d| &d.day), text::WIDTH, &mut out);
            black_box(&out);
        });
    });
    group.bench_function("tei-days", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for day in &input.days {
                out.clear();
                tei::write_day(day, &ctx, &mut out).expect("TEI day");
                black_box(&out);
            }
        });
    });
    group.bench_function("tei-corpus", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            tei::write_corpus(YEAR, &input.days, &ctx, &mut out).expect("TEI corpus");
            black_box(&out);
        });
    });
    group.bench_function("epub", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            epub::write_book(&YEAR.to_string(), &input.days, &ctx, Cursor::new(&mut out))
                .expect("EPUB");
            black_box(&out);
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = throughput
}
criterion_main!(benches);
