//! Diagnostics: stable codes, severities, positions and their compiler-style rendering.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The edition still builds; the editor should look.
    Warning,
    /// The day it is in is not built (or, for a file that cannot be read, no day of it).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $severity:ident;)*) => {
        /// A stable diagnostic code; `docs/diagnostics.md` explains each one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed, `DB0001`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }

            /// The severity the code always has.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$name => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    /// The file is not valid UTF-8.
    InvalidUtf8 = "DB0001", Error;
    /// The file has no day heading where one must be.
    NoHeading = "DB0002", Error;
    /// A heading or closing line names a date that does not exist.
    ImpossibleDate = "DB0003", Error;
    /// A weekday in parentheses or in the closing line does not match its date.
    WeekdayMismatch = "DB0004", Warning;
    /// A character XML 1.0 cannot carry; every edition shows U+FFFD instead.
    ForbiddenCharacter = "DB0005", Warning;
    /// A line that starts like a media code is not a valid one.
    MalformedMedia = "DB0006", Error;
    /// A media code's date differs from the day's.
    MediaDateMismatch = "DB0007", Warning;
    /// The closing line's date differs from the day heading's.
    ClosingMismatch = "DB0008", Warning;
    /// A cross-reference names a day the month does not have.
    NoSuchDay = "DB0009", Error;
    /// A cross-reference names a day that the collection does not hold.
    UnresolvedCrossRef = "DB0010", Warning;
    /// A line that starts like a day heading is not a valid one.
    MalformedHeading = "DB0011", Error;
    /// A line that starts like a closing line is not a valid one.
    MalformedClosing = "DB0012", Error;
    /// Something other than a day heading follows a closing line.
    ContentAfterClosing = "DB0013", Error;
    /// A straight double quote has no partner in its paragraph.
    UnterminatedQuote = "DB0014", Warning;
    /// A list item's number does not fit any integer type daybook uses.
    ListNumberTooLarge = "DB0015", Error;
    /// A cross-reference's ordinal suffix does not fit its number, `[see the 19st]`.
    OrdinalSuffix = "DB0016", Warning;
    /// Two sources hold the same day.
    DuplicateDay = "DB0017", Error;
    /// The file could not be read.
    Unreadable = "DB0018", Error;
    /// The file is larger than the configured limit and was not read.
    FileTooLarge = "DB0019", Error;
    /// A list item's number does not follow the previous item's (a list numbered 1, 2, 4).
    ListNumbering = "DB0020", Warning;
    /// Bracketed words that look like a cross-reference but are not written as one,
    /// `[See the 25th]`, `[see 25th]`.
    NearCrossRef = "DB0021", Warning;
    /// Bracketed numbers that look like a citation but are not written as one, `[121,122]`.
    NearCitation = "DB0022", Warning;
    /// A note holds more lines and blocks than its size allows daybook to hold in memory.
    TooDense = "DB0023", Error;
    /// A line inside a paragraph that is a whole day heading without its weekday: kept as
    /// prose, though it may be a day whose blank line was forgotten.
    HeadingInParagraph = "DB0024", Warning;
    /// A symbolic link in the input that leads nowhere, or to itself; skipped.
    BrokenLink = "DB0040", Warning;
    /// An input that is not a regular file (a FIFO, socket or device); skipped unread.
    NotAFile = "DB0041", Warning;
    /// A symbolic link in the input that leads outside the input folder; skipped.
    LinkLeavesInput = "DB0042", Warning;
    /// A folder below the input folder could not be listed; its notes are not built.
    UnreadableFolder = "DB0043", Warning;
    /// An output whose day vanished was kept: it is not the file daybook wrote.
    OutputKept = "DB0044", Warning;
    /// A line of a notes source is not a note, `[56] text`, nor the continuation of one.
    MalformedNote = "DB0070", Error;
    /// Two notes of the collection have the same number; neither is used.
    DuplicateNote = "DB0071", Error;
    /// A citation names a note that no notes source holds.
    MissingNote = "DB0072", Warning;
    /// A cited range of notes, `[14-16]`, has members that no notes source holds.
    PartlyMissingRange = "DB0073", Warning;
    /// A note that no day cites.
    UncitedNote = "DB0074", Warning;
    /// An asterisk in a note that opens emphasis has no partner.
    UnterminatedEmphasis = "DB0075", Warning;
    /// A quote mark in a note has no partner in its note.
    UnterminatedNoteQuote = "DB0076", Warning;
    /// A register file is not TOML, or a key has the wrong type, or an entry lacks its id or
    /// name; the entry is left out.
    RegisterSyntax = "DB0080", Error;
    /// A register file has a key or table daybook does not know; its entry is left out.
    UnknownRegisterKey = "DB0081", Error;
    /// Two register entries of one kind have the same id; neither is used.
    DuplicateRegisterId = "DB0082", Error;
    /// A name or variant is claimed by two register entries; neither is marked with it.
    SharedVariant = "DB0083", Error;
    /// A register value cannot be used: an id, date or authority identifier of the wrong
    /// shape; its entry is left out.
    InvalidRegisterValue = "DB0084", Error;
    /// A correspondence sender or recipient that the register does not hold (when
    /// `warn_unregistered_correspondents` is on).
    UnregisteredCorrespondent = "DB0085", Warning;
    /// Words one edit away from a registered name: possibly a typo.
    PossibleNameTypo = "DB0086", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about a source file, with the position it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// What was expected instead, when that can be said.
    pub expected: Option<String>,
    /// The source line, for the snippet under the message.
    pub source_line: Option<String>,
    /// A likely fix, when one can be guessed: `did you mean `February`?`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `line`, `column`.
    pub fn new(code: Code, line: u32, column: u32, message: impl Into<String>) -> Self {
        Self {
            code,
            line,
            column,
            message: message.into(),
            expected: None,
            source_line: None,
            help: None,
        }
    }

    /// Says what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Suggests a likely fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the source line shown under the message.
    pub fn with_source_line(mut self, line: impl Into<String>) -> Self {
        self.source_line = Some(line.into());
        self
    }

    /// The code's severity.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Renders the diagnostic as compilers do: `file:line:column: severity[code]: message`,
    /// then the source line with a caret under the column and what was expected.
    pub fn render(&self, file: &str) -> String {
        let mut out = format!(
            "{file}:{}:{}: {}[{}]: {}\n",
            self.line,
            self.column,
            self.severity(),
            self.code,
            self.message
        );
        let gutter = self.line.to_string().len();
        if let Some(source) = &self.source_line {
            let pad: String = source
                .chars()
                .take(self.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = write!(
                out,
                "{:gutter$} |\n{} | {source}\n{:gutter$} | {pad}^\n",
                "", self.line, ""
            );
        }
        if let Some(expected) = &self.expected {
            let _ = writeln!(out, "{:gutter$} = expected: {expected}", "");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{:gutter$} = help: {help}", "");
        }
        out
    }
}
