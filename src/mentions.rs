//! Mention finding: a pass over the day AST that marks every registered name or variant in
//! its text as an [`Inline::Name`], and finds words one edit away from a registered name.
//!
//! The rule (docs/format.md, "Mentions"): names are matched as typed (case and all), on word
//! boundaries, the leftmost match first and of those the longest, so `Zhou Enlai` is one
//! mention, never `Zhou` followed by text. All names are found in one pass of one
//! Aho-Corasick automaton, whatever the register's size. It reads the AST only and writes
//! the text back unchanged into the nodes it makes, so the text edition is what was typed.

use rustc_hash::{FxHashMap, FxHashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::ast::{
    Block, Day, EntityKind, Inline, Name, ParagraphPart, Position, Register, SubjectName,
};

/// What a register's names are matched with.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton: the name as registered and the entry it names.
    names: Vec<(String, EntityKind, String)>,
    /// Every name by its text, for correspondents, whose whole field is one name or none.
    exact: FxHashMap<String, usize>,
    /// The names of two words or more by their first and by their last word, in order of
    /// their number of words and then of characters: the typo search compares only the
    /// words around an exact word of a name, and only with the names as long as they are,
    /// give or take the one character an edit adds or removes.
    anchors: FxHashMap<String, Vec<Anchored>>,
}

/// A name of two words or more, under one of its words.
#[derive(Debug, Clone, Copy)]
struct Anchored {
    words: usize,
    chars: usize,
    /// The name's index in [`Matcher::names`].
    index: usize,
}

/// Something mention finding noticed that the editor should see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Words one edit away from a registered name.
    Typo {
        /// Where the text holding them starts.
        text_pos: Position,
        /// The text before the words (its lines joined by single spaces), to find them by in
        /// the source.
        before: String,
        /// The words as typed.
        typed: String,
        /// The registered name they are one edit from.
        name: String,
    },
    /// A correspondent that is no registered person.
    Unregistered {
        /// Where the correspondent's name starts.
        pos: Position,
        /// `sender` or `recipient`.
        role: &'static str,
        /// The name as typed.
        name: String,
    },
}

impl Matcher {
    /// A matcher for every name and variant of `register`, but those two entries claim: a
    /// name shared by two entries is an error in the register, never a guess in the text.
    pub fn new(register: &Register) -> Self {
        let mut claims: FxHashMap<String, FxHashSet<(EntityKind, &str)>> = FxHashMap::default();
        for entry in register.entries.values() {
            for name in std::iter::once(&entry.name).chain(&entry.variants) {
                claims
                    .entry(normalise(name))
                    .or_default()
                    .insert((entry.kind, entry.id.as_str()));
            }
        }
        let mut names = Vec::new();
        let mut exact = FxHashMap::default();
        for entry in register.entries.values() {
            for name in std::iter::once(&entry.name).chain(&entry.variants) {
                let name = normalise(name);
                if name.is_empty() || exact.contains_key(&name) || claims[&name].len() > 1 {
                    continue;
                }
                exact.insert(name.clone(), names.len());
                names.push((name, entry.kind, entry.id.clone()));
            }
        }
        let mut anchors: FxHashMap<String, Vec<Anchored>> = FxHashMap::default();
        for (index, (name, _, _)) in names.iter().enumerate() {
            let words: Vec<&str> = name.split(' ').collect();
            if let [first, .., last] = words.as_slice() {
                let candidate = Anchored {
                    words: words.len(),
                    chars: char_count(name),
                    index,
                };
                anchors
                    .entry((*first).to_owned())
                    .or_default()
                    .push(candidate);
                if last != first {
                    anchors
                        .entry((*last).to_owned())
                        .or_default()
                        .push(candidate);
                }
            }
        }
        for candidates in anchors.values_mut() {
            candidates.sort_by_key(|c| (c.words, c.chars, c.index));
        }
        // Overlapping search (the standard match kind) finds every name at every place, so
        // that a longest match failing a word boundary still leaves the shorter ones.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(names.iter().map(|(name, _, _)| name))
            .ok()
            .filter(|_| !names.is_empty());
        Self {
            automaton,
            names,
            exact,
            anchors,
        }
    }

    /// Whether the matcher knows no name.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Marks every mention in `day` and links its correspondents; returns what the editor
    /// should look at, in source order.
    pub fn mark(&self, day: &mut Day) -> Vec<Finding> {
        let mut findings = Vec::new();
        if self.is_empty() {
            return findings;
        }
        for block in day.sections.iter_mut().flat_map(|s| &mut s.blocks) {
            match block {
                Block::Paragraph(paragraph) => {
                    for part in &mut paragraph.parts {
                        match part {
                            ParagraphPart::Inlines(inlines) => {
                                self.mark_inlines(inlines, &mut findings);
                            }
                            ParagraphPart::List(list) => {
                                for item in &mut list.items {
                                    self.mark_inlines(&mut item.content, &mut findings);
                                }
                            }
                        }
                    }
                }
                Block::List(list) => {
                    for item in &mut list.items {
                        self.mark_inlines(&mut item.content, &mut findings);
                    }
                }
                Block::Correspondence(c) => {
                    let column = |before: &[&str]| {
                        let chars: usize = before.iter().map(|s| s.chars().count()).sum();
                        c.pos.column + u32::try_from(chars).unwrap_or(0)
                    };
                    let recipient_pos = Position::new(c.pos.line, column(&[&c.sender, " to "]));
                    // The line is one line of the source, so the subject's column is the
                    // sum of what precedes it.
                    let subject_pos = Position::new(
                        c.pos.line,
                        column(&[&c.sender, " to ", &c.recipient, " concerning "]),
                    );
                    for (field, id, pos, role) in [
                        (&c.sender, &mut c.sender_id, c.pos, "sender"),
                        (
                            &c.recipient,
                            &mut c.recipient_id,
                            recipient_pos,
                            "recipient",
                        ),
                    ] {
                        *id = self.person(field);
                        if id.is_none() {
                            let before = findings.len();
                            self.typos(field, pos, &[], &mut findings);
                            if findings.len() == before {
                                findings.push(Finding::Unregistered {
                                    pos,
                                    role,
                                    name: field.clone(),
                                });
                            }
                        }
                    }
                    let mentions = self.find(&c.subject);
                    self.typos(&c.subject, subject_pos, &mentions, &mut findings);
                    c.subject_names = mentions
                        .into_iter()
                        .map(|(start, end, index)| SubjectName {
                            start,
                            name: self.name(&c.subject[start..end], index, subject_pos),
                        })
                        .collect();
                }
                Block::Media(_) | Block::Label(_) => {}
            }
        }
        findings
    }

    /// The mention of name `index`, typed as `text` in a text at `pos`.
    fn name(&self, text: &str, index: usize, pos: Position) -> Name {
        let (_, kind, id) = &self.names[index];
        Name {
            text: text.to_owned(),
            kind: *kind,
            id: id.clone(),
            pos,
        }
    }

    /// The registered person whose name or variant `field` is, whole.
    fn person(&self, field: &str) -> Option<String> {
        let &index = self.exact.get(&normalise(field))?;
        let (_, kind, id) = &self.names[index];
        (*kind == EntityKind::Person).then(|| id.clone())
    }

    fn mark_inlines(&self, inlines: &mut Vec<Inline>, findings: &mut Vec<Finding>) {
        let mut marked = Vec::with_capacity(inlines.len());
        for inline in inlines.drain(..) {
            match inline {
                Inline::Text { text, pos } => self.mark_text(text, pos, &mut marked, findings),
                Inline::Quote {
                    mut content,
                    marks,
                    pos,
                } => {
                    self.mark_inlines(&mut content, findings);
                    marked.push(Inline::Quote {
                        content,
                        marks,
                        pos,
                    });
                }
                other => marked.push(other),
            }
        }
        *inlines = marked;
    }

    /// `text` as text and names, pushed onto `out`.
    fn mark_text(
        &self,
        text: String,
        pos: Position,
        out: &mut Vec<Inline>,
        findings: &mut Vec<Finding>,
    ) {
        let mentions = self.find(&text);
        self.typos(&text, pos, &mentions, findings);
        if mentions.is_empty() {
            out.push(Inline::Text { text, pos });
            return;
        }
        let mut at = 0;
        for &(start, end, index) in &mentions {
            if start > at {
                out.push(Inline::Text {
                    text: text[at..start].to_owned(),
                    pos,
                });
            }
            out.push(Inline::Name(self.name(&text[start..end], index, pos)));
            at = end;
        }
        if at < text.len() {
            out.push(Inline::Text {
                text: text[at..].to_owned(),
                pos,
            });
        }
    }

    /// The mentions in `text` as (start, end, name index): on word boundaries, leftmost
    /// first, then longest, never overlapping.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .filter(|m| on_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        let mut chosen = Vec::new();
        let mut end_of_last = 0;
        for mention in found {
            if mention.0 >= end_of_last {
                end_of_last = mention.1;
                chosen.push(mention);
            }
        }
        chosen
    }

    /// Words of `text` one edit away from a name of two words or more that shares its first
    /// or its last word with them, unless a mention reaches out of them. Where the words
    /// are one edit from more than one name, the first in the register's order (by kind and
    /// id, a name before its variants) is reported.
    fn typos(
        &self,
        text: &str,
        text_pos: Position,
        mentions: &[(usize, usize, usize)],
        findings: &mut Vec<Finding>,
    ) {
        if self.anchors.is_empty() {
            return;
        }
        let words: Vec<(usize, &str)> = words(text);
        let mut reported_until = 0;
        let mut near = Vec::new();
        for (i, &(_, word)) in words.iter().enumerate() {
            let Some(candidates) = self.anchors.get(word) else {
                continue;
            };
            // Every name one edit from the words around this one, by (name, window): the
            // order in which they are reported.
            near.clear();
            for group in candidates.chunk_by(|a, b| a.words == b.words) {
                let count = group[0].words;
                let windows = [(i, i + count), (i.saturating_sub(count - 1), i + 1)];
                for (window, (first, last)) in windows.into_iter().enumerate() {
                    if last > words.len() || last - first != count {
                        continue;
                    }
                    let start = words[first].0;
                    let end = words[last - 1].0 + words[last - 1].1.len();
                    let typed = &text[start..end];
                    let chars = char_count(typed);
                    let from = group.partition_point(|c| c.chars + 1 < chars);
                    for candidate in group[from..].iter().take_while(|c| c.chars <= chars + 1) {
                        if one_edit_apart(typed, &self.names[candidate.index].0) {
                            near.push((candidate.index, window, start, end));
                        }
                    }
                }
            }
            near.sort_unstable();
            for &(index, _, start, end) in &near {
                let typed = &text[start..end];
                if start < reported_until
                    || self.exact.contains_key(typed)
                    // A shorter name inside the words (`Zhou` of `Zhou Enali`) does not make
                    // them right; one reaching out of them does.
                    || mentions
                        .iter()
                        .any(|&(s, e, _)| s < end && start < e && (s < start || e > end))
                {
                    continue;
                }
                reported_until = end;
                findings.push(Finding::Typo {
                    text_pos,
                    before: text[..start].to_owned(),
                    typed: typed.to_owned(),
                    name: self.names[index].0.clone(),
                });
            }
        }
    }
}

/// The characters of `text`. Those of valid UTF-8 are its bytes that are no continuation
/// byte, counted without decoding.
fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// Whether `a` and `b` are one edit apart: one character inserted, deleted or replaced, or
/// two neighbours swapped (a Damerau-Levenshtein distance of exactly 1). Stripping the
/// common start and then the common end leaves the edit itself; in linear time and without
/// allocating, as it runs for every registered name that shares a word with the text.
fn one_edit_apart(a: &str, b: &str) -> bool {
    // Bytes are compared, not characters, which would be decoded first: equal bytes are
    // equal characters, and a cut moved back to a character boundary of one string is one of
    // the other as well, as the bytes before it are the same.
    fn common<'x>(a: impl Iterator<Item = &'x u8>, b: impl Iterator<Item = &'x u8>) -> usize {
        a.zip(b).take_while(|(x, y)| x == y).count()
    }
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    let mut prefix = common(a.as_bytes().iter(), b.as_bytes().iter());
    while !a.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let mut suffix = common(a.as_bytes().iter().rev(), b.as_bytes().iter().rev());
    while !a.is_char_boundary(a.len() - suffix) {
        suffix -= 1;
    }
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.len() > 8 || b.len() > 8 {
        return false;
    }
    match (char_count(a), char_count(b)) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => {
            let (mut x, mut y) = (a.chars(), b.chars());
            let (a1, a2, b1, b2) = (x.next(), x.next(), y.next(), y.next());
            a1 == b2 && a2 == b1
        }
        _ => false,
    }
}

/// The words of `text` with their byte offsets: runs between spaces, stripped of the
/// punctuation that may stand around a name (`(Zhou,` → `Zhou`).
fn words(text: &str) -> Vec<(usize, &str)> {
    let around = |c: char| {
        matches!(
            c,
            ',' | ';'
                | ':'
                | '!'
                | '?'
                | '('
                | ')'
                | '"'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2018}'
                | '\u{2019}'
                | '\''
                | '.'
        )
    };
    // Most words neither start nor end with punctuation: a look at the byte spares them the
    // trimming, which decodes characters.
    let word_byte = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let mut found = Vec::with_capacity(text.len() / 6);
    let mut offset = 0;
    let ends = memchr::memchr_iter(b' ', text.as_bytes()).chain([text.len()]);
    for end in ends {
        let piece = &text[offset..end];
        let trimmed = if word_byte(piece.as_bytes().first()) {
            piece
        } else {
            piece.trim_start_matches(around)
        };
        let start = offset + piece.len() - trimmed.len();
        let trimmed = if word_byte(trimmed.as_bytes().last()) {
            trimmed
        } else {
            trimmed.trim_end_matches(around)
        };
        let trimmed = trimmed
            .strip_suffix("\u{2019}s")
            .or_else(|| trimmed.strip_suffix("'s"))
            .unwrap_or(trimmed);
        if !trimmed.is_empty() {
            found.push((start, trimmed));
        }
        offset = end + 1;
    }
    found
}

/// A name as matched: its words separated by single spaces, as the grammar joins the lines
/// of a paragraph, so that a name hard-wrapped across two lines is still found.
fn normalise(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text[start..end]` neither begins nor ends inside a word.
fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let joins =
        |a: Option<char>, b: Option<char>| a.zip(b).is_some_and(|(a, b)| is_word(a) && is_word(b));
    let matched = &text[start..end];
    !joins(text[..start].chars().next_back(), matched.chars().next())
        && !joins(matched.chars().next_back(), text[end..].chars().next())
}

/// Whether `c` belongs to a word of a script that separates words with spaces: Chinese,
/// Japanese and Korean write none, so a name in them is found wherever it stands.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        && !matches!(c,
            '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Entry;

    fn register(entries: &[(EntityKind, &str, &str, &[&str])]) -> Register {
        let mut register = Register::new();
        for &(kind, id, name, variants) in entries {
            register.entries.insert(
                (kind, id.to_owned()),
                Entry {
                    kind,
                    id: id.to_owned(),
                    name: name.to_owned(),
                    variants: variants.iter().map(|v| (*v).to_owned()).collect(),
                    born: None,
                    died: None,
                    note: None,
                    authorities: Vec::new(),
                    pos: Position::default(),
                },
            );
        }
        register
    }

    fn sample() -> Matcher {
        Matcher::new(&register(&[
            (
                EntityKind::Person,
                "zhou-enlai",
                "Zhou Enlai",
                &["Zhou", "周恩来"],
            ),
            (EntityKind::Place, "port-arthur", "Port Arthur", &[]),
            (EntityKind::Person, "kim-il-sung", "Kim Il-sung", &[]),
        ]))
    }

    fn found<'t>(matcher: &Matcher, text: &'t str) -> Vec<&'t str> {
        matcher
            .find(text)
            .into_iter()
            .map(|(start, end, _)| &text[start..end])
            .collect()
    }

    #[test]
    fn the_longest_name_at_a_place_wins_and_words_are_never_split() {
        let matcher = sample();
        assert_eq!(
            found(
                &matcher,
                "Zhou Enlai met Zhou's aide; Zhoukou and Kim Il-sungs were not."
            ),
            ["Zhou Enlai", "Zhou"]
        );
    }

    #[test]
    fn a_longest_match_failing_a_boundary_leaves_the_shorter_one() {
        assert_eq!(found(&sample(), "Zhou Enlaitown"), ["Zhou"]);
    }

    #[test]
    fn names_in_scripts_without_spaces_are_found_inside_words() {
        assert_eq!(found(&sample(), "周恩来说"), ["周恩来"]);
    }

    proptest::proptest! {
        #[test]
        fn one_edit_apart_is_a_damerau_levenshtein_distance_of_one(
            a in "[abé周 ]{0,7}",
            b in "[abé周 ]{0,7}",
        ) {
            proptest::prop_assert_eq!(
                one_edit_apart(&a, &b),
                strsim::damerau_levenshtein(&a, &b) == 1
            );
        }
    }

    #[test]
    fn one_edit_apart_finds_each_kind_of_edit_and_nothing_else() {
        for (a, b) in [
            ("Zhou Enlai", "Zhou Enali"),
            ("Port Arthur", "Port Artur"),
            ("Port Arthur", "Port Arthure"),
            ("Kim Il-sung", "Kim Il-sang"),
            ("Lüshun", "Lushun"),
        ] {
            assert!(one_edit_apart(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("Zhou Enlai", "Zhou Enlai"),
            ("Zhou Enlai", "Zhou Anali"),
            ("Port Arthur", "Port Art"),
            ("ab", "ba c"),
        ] {
            assert!(!one_edit_apart(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn words_one_edit_from_two_names_are_reported_once_with_the_first_in_register_order() {
        for (first, second) in [("Wang Lin", "Wang Li"), ("Wang Li", "Wang Lin")] {
            let matcher = Matcher::new(&register(&[
                (EntityKind::Person, "a", first, &[]),
                (EntityKind::Person, "b", second, &[]),
                (EntityKind::Place, "c", "Lüshun Port", &[]),
            ]));
            let mut findings = Vec::new();
            matcher.typos(
                "met Wang Lim at Lushun Port",
                Position::new(1, 1),
                &[],
                &mut findings,
            );
            let named: Vec<(&str, &str)> = findings
                .iter()
                .map(|f| match f {
                    Finding::Typo { typed, name, .. } => (typed.as_str(), name.as_str()),
                    Finding::Unregistered { .. } => unreachable!(),
                })
                .collect();
            assert_eq!(named, [("Wang Lim", first), ("Lushun Port", "Lüshun Port")]);
        }
    }

    #[test]
    fn a_name_one_edit_away_is_a_possible_typo() {
        let matcher = sample();
        let mut findings = Vec::new();
        matcher.typos(
            "and Zhou Enali, at Port Artur.",
            Position::new(3, 1),
            &[],
            &mut findings,
        );
        let typed: Vec<(usize, &str, &str)> = findings
            .iter()
            .map(|f| match f {
                Finding::Typo {
                    before,
                    typed,
                    name,
                    ..
                } => (before.len(), typed.as_str(), name.as_str()),
                Finding::Unregistered { .. } => unreachable!(),
            })
            .collect();
        assert_eq!(
            typed,
            [
                (4, "Zhou Enali", "Zhou Enlai"),
                (19, "Port Artur", "Port Arthur")
            ]
        );
    }
}
