//! Writes a deterministic benchmark corpus: `N` consecutive days from 1950-01-01 as day notes
//! (`OUT/notes/1950/1950-01-01.txt`) and the same content as Markdown for pandoc
//! (`OUT/markdown/1950/1950-01-01.md`), and with `--register N` a register of `N` of the
//! persons and places the notes mention (`OUT/notes/generated.register`).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --days 365 --seed 1 --out /tmp/corpus
//! cargo run --release --example gen_corpus -- --days 3652 --register 2000 --out /tmp/names
//! ```
//!
//! The notes are the same with a register or without one: they always mention names of the
//! generator's pool, which the register lists (`examples/corpus/names.rs`).

mod corpus;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::Datelike;
use clap::Parser;

use corpus::{Block, Day};

/// Writes generated day notes and their Markdown twins.
#[derive(Debug, Parser)]
struct Args {
    /// How many consecutive days to write, starting on 1950-01-01.
    #[arg(long)]
    days: usize,
    /// The seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The folder to write `notes/` and `markdown/` into.
    #[arg(long)]
    out: PathBuf,
    /// Also write a register of this many persons and places, the ones the notes mention
    /// most first.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=corpus::names::POOL as u64))]
    register: Option<u64>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let (mut notes, mut markdown) = (0, 0);
    for day in corpus::days(args.seed, args.days) {
        let year = day.date.year().to_string();
        let name = day.date.format("%Y-%m-%d");
        let text = day.text();
        write(
            &args.out.join("notes").join(&year),
            &format!("{name}.txt"),
            &text,
        )?;
        let md = to_markdown(&day);
        write(
            &args.out.join("markdown").join(&year),
            &format!("{name}.md"),
            &md,
        )?;
        notes += text.len();
        markdown += md.len();
    }
    if let Some(count) = args.register {
        let register = corpus::names::register(count as usize);
        write(&args.out.join("notes"), "generated.register", &register)?;
        println!("a register of {count} names, {} bytes", register.len());
    }
    println!(
        "{} days: {notes} bytes of notes, {markdown} bytes of Markdown, in {}",
        args.days,
        args.out.display()
    );
    Ok(())
}

fn write(folder: &Path, name: &str, contents: &str) -> Result<()> {
    fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let path = folder.join(name);
    fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// The day as pandoc Markdown: the heading as `#`, sections between `---` rules, lists as
/// `1.` items, every other block a paragraph (the generated text holds no character that
/// Markdown would read as markup).
fn to_markdown(day: &Day) -> String {
    let mut out = format!("# {}\n", day.heading());
    for (index, section) in day.sections.iter().enumerate() {
        if index > 0 {
            out.push_str("\n---\n");
        }
        for block in section {
            match block {
                Block::Paragraph(text) | Block::Correspondence(text) | Block::Label(text) => {
                    paragraph(text, &mut out);
                }
                Block::RunningList {
                    before,
                    items,
                    after,
                } => {
                    paragraph(before, &mut out);
                    list(items, &mut out);
                    paragraph(after, &mut out);
                }
                Block::List(items) => list(items, &mut out),
                Block::Media(codes) => codes.iter().for_each(|code| paragraph(code, &mut out)),
            }
        }
    }
    if day.closing {
        paragraph(&day.closing_line(), &mut out);
    }
    out
}

fn paragraph(text: &str, out: &mut String) {
    out.push('\n');
    out.push_str(text);
    out.push('\n');
}

fn list(items: &[String], out: &mut String) {
    out.push('\n');
    for (index, item) in items.iter().enumerate() {
        out.push_str(&format!("{}. {item}\n", index + 1));
    }
}
