//! The tests of the day's text.

use super::*;

#[test]
fn a_media_kind_with_a_label_is_written_as_the_label_keyed_by_its_code() {
    let xml = tei_day_with(&sample(), &[], &configured());
    assert!(xml.contains(
        "<item><date when=\"1950-01-22\">19500122 0000</date> \
         <term type=\"media-kind\" key=\"int\">int</term></item>"
    ));
    assert!(xml.contains(
        "<item><date when=\"1950-01-22T14:35:00\">19500122 1435</date> \
         <term type=\"media-kind\" key=\"pic\">Photograph</term></item>"
    ));
    assert_valid(&xml);
}

#[test]
fn the_heading_dates_the_day_and_keeps_the_weekday_as_written() {
    let mut misdated = sample();
    misdated.day.heading.weekday = Some(Weekday::Mon);
    let xml = tei_day(&misdated, &[]);
    assert!(
        xml.contains("<head><date when=\"1950-01-22\">January 22, 1950</date> (Monday)</head>")
    );

    let mut bare = sample();
    bare.day.heading.weekday = None;
    let xml = tei_day(&bare, &[]);
    assert!(xml.contains("<head><date when=\"1950-01-22\">January 22, 1950</date></head>"));
    let doc = Document::parse(&xml).unwrap();
    assert_eq!(
        string(one(one(doc.root(), "titleStmt"), "title")),
        "January 22, 1950"
    );
}

#[test]
fn sections_are_divs_numbered_from_one_inside_the_day_div() {
    let xml = tei_day(&sample(), &[]);
    let doc = Document::parse(&xml).unwrap();
    let body = one(doc.root(), "body");
    let days = children(body, "div");
    assert_eq!(days.len(), 1);
    assert_eq!(attr(days[0], "type"), Some("day"));
    assert_eq!(days[0].attribute((XML_NS, "id")), Some("day-1950-01-22"));
    let sections: Vec<_> = children(days[0], "div")
        .into_iter()
        .map(|div| (attr(div, "type"), attr(div, "n")))
        .collect();
    assert_eq!(
        sections,
        [
            (Some("section"), Some("1")),
            (Some("section"), Some("2")),
            (Some("section"), Some("3"))
        ]
    );
}

#[test]
fn a_list_inside_a_sentence_stays_inside_its_paragraph() {
    let xml = tei_day(&sample(), &[]);
    let doc = Document::parse(&xml).unwrap();
    let first = children(all(doc.root(), "div")[1], "p")[0];
    let list = children(first, "list");
    assert_eq!(list.len(), 1);
    assert_eq!(attr(list[0], "type"), Some("ordered"));
    let items: Vec<_> = children(list[0], "item")
        .into_iter()
        .map(|item| (attr(item, "n").unwrap(), string(item)))
        .collect();
    assert_eq!(
        items,
        [
            ("1", "Wang Jiaxiang,".to_owned()),
            ("2", "Li Fuchun".to_owned())
        ]
    );
    let words = string(first)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        words,
        "Two days later, Zhou, joined by Wang Jiaxiang, Li Fuchun started negotiations."
    );
}

#[test]
fn a_list_standing_alone_is_an_ordered_list_keeping_its_numbers() {
    let alone = day(
        date(1950, 1, 22),
        vec![section(vec![Block::List(list(&[
            (3, "three"),
            (7, "seven"),
        ]))])],
    );
    let xml = tei_day(&alone, &[]);
    assert_valid(&xml);
    assert!(xml.contains(
        "<div type=\"section\" n=\"1\" rend=\"nohead\" xml:id=\"day-1950-01-22-s1\">\n          \
         <list type=\"ordered\" xml:id=\"day-1950-01-22-s1-p1\">\n            \
         <item n=\"3\">three</item>\n            <item n=\"7\">seven</item>\n          \
         </list>\n        </div>"
    ));
}

#[test]
fn citations_keep_their_numbers_in_n_and_their_brackets_as_text() {
    let xml = tei_day(&sample(), &[]);
    let doc = Document::parse(&xml).unwrap();
    let citations: Vec<_> = all(doc.root(), "ref")
        .into_iter()
        .filter(|r| attr(*r, "type") == Some("citation"))
        .map(|r| (attr(r, "n").unwrap(), string(r)))
        .collect();
    assert_eq!(
        citations,
        [
            ("56", "[56]".to_owned()),
            ("56 57", "[56, 57]".to_owned()),
            ("56-58 60", "[56-58, 60]".to_owned()),
        ]
    );
    // A citation the grammar left as text stays text.
    assert!(xml.contains(" Approved.[65] <ref"));
}

#[test]
fn a_resolved_cross_reference_links_to_the_other_day_file() {
    let xml = tei_day(&sample(), &[date(1950, 1, 19)]);
    assert!(xml.contains(
        "Korean soldiers. [<ref type=\"crossref\" \
         target=\"1950-01-19.xml#day-1950-01-19\">see the 19th</ref>] Approved."
    ));
}

#[test]
fn an_unresolved_cross_reference_stays_bracketed_text() {
    let xml = tei_day(&sample(), &[date(1950, 1, 20)]);
    assert!(xml.contains("Korean soldiers. [see the 19th] Approved."));
    let doc = Document::parse(&xml).unwrap();
    assert!(
        all(doc.root(), "ref")
            .iter()
            .all(|r| attr(*r, "type") == Some("citation"))
    );
}

#[test]
fn a_quotation_is_a_q_without_the_quote_marks() {
    let xml = tei_day(&sample(), &[]);
    assert!(xml.contains("the other side <q>must go all out.</q><ref"));
}

#[test]
fn mixed_content_is_written_without_inserted_whitespace() {
    let tight = day(
        date(1950, 1, 22),
        vec![section(vec![prose(vec![
            quote(vec![text("a")]),
            cite(&[NoteRef::Note(1)]),
            quote(vec![cite(&[NoteRef::Note(2)])]),
            text("b"),
        ])])],
    );
    let xml = tei_day(&tight, &[]);
    assert!(xml.contains(
        "<p xml:id=\"day-1950-01-22-s1-p1\"><q>a</q><ref type=\"citation\" n=\"1\">[1]</ref>\
         <q><ref type=\"citation\" n=\"2\">[2]</ref></q>b</p>"
    ));
}

#[test]
fn the_correspondence_line_is_a_bibl_with_sender_recipient_and_title() {
    let xml = tei_day(&sample(), &[]);
    assert!(xml.contains(
        "<bibl type=\"correspondence\" xml:id=\"day-1950-01-22-s3-p1\"><persName role=\"sender\">William Batt, Jr.</persName> \
         to <persName role=\"recipient\">E.W. Kenworthy</persName> concerning \
         <title>Captain Martin's reassignment</title>..</bibl>"
    ));
}

#[test]
fn media_codes_are_dated_items_of_one_media_list() {
    let xml = tei_day(&sample(), &[]);
    assert!(xml.contains(
        "<list type=\"media\" xml:id=\"day-1950-01-22-s3-p2\">\n            \
         <item><date when=\"1950-01-22\">19500122 0000</date> \
         <term type=\"media-kind\" key=\"int\">int</term></item>\n            \
         <item><date when=\"1950-01-22T14:35:00\">19500122 1435</date> \
         <term type=\"media-kind\" key=\"pic\">pic</term></item>\n          </list>"
    ));
}

#[test]
fn the_label_is_a_feature_label() {
    let xml = tei_day(&sample(), &[]);
    assert!(xml.contains("\n          <label type=\"feature\" xml:id=\"day-1950-01-22-s3-p3\">Songs of the week</label>\n"));
}

#[test]
fn the_closing_line_is_a_closer_ending_the_day_div() {
    let xml = tei_day(&sample(), &[]);
    let doc = Document::parse(&xml).unwrap();
    let day_div = one(doc.root(), "body").first_element_child().unwrap();
    let last = day_div.last_element_child().unwrap();
    assert!(is(last, "closer"));
    assert!(xml.contains(
        "<closer xml:id=\"day-1950-01-22-closer\"><dateline>Notes for <date when=\"1950-01-22\">Sunday January 22, 1950</date>\
         </dateline></closer>"
    ));
}

#[test]
fn a_day_without_sections_stays_valid() {
    let empty = day(date(1950, 1, 22), Vec::new());
    let xml = tei_day(&empty, &[]);
    assert_valid(&xml);
    let doc = Document::parse(&xml).unwrap();
    assert!(
        all(doc.root(), "div")
            .iter()
            .all(|d| attr(*d, "type") == Some("day"))
    );
    assert_eq!(all(doc.root(), "closer").len(), 1);

    let mut no_closing = empty;
    no_closing.day.closing = None;
    let xml = tei_day(&no_closing, &[]);
    assert_valid(&xml);
    assert!(!xml.contains("<ab"));
}

#[test]
fn markup_characters_are_escaped_and_forbidden_ones_replaced_visibly() {
    let tricky = "Tom & Jerry <b> 1 > 0 ]]> \"said\" it's 周恩来 Вышинский عربي \u{7}!";
    let kept = tricky.replace('\u{7}', "\u{FFFD}");
    let mut day = day(
        date(1950, 1, 22),
        vec![section(vec![
            prose(vec![text(tricky), quote(vec![text(tricky)])]),
            correspondence(tricky, tricky, tricky, tricky),
            label(tricky),
        ])],
    );
    day.source = format!("{tricky}.txt");
    let metadata = Metadata {
        title: tricky.to_owned(),
        subtitle: Some(tricky.to_owned()),
        editors: vec![tricky.to_owned()],
        publisher: tricky.to_owned(),
        identifier_base: tricky.to_owned(),
        subjects: vec![tricky.to_owned()],
        ..Metadata::default()
    };
    let xml = tei_day_with(&day, &[], &metadata);
    assert!(!xml.contains('\u{7}'));
    assert!(xml.contains("Tom &amp; Jerry &lt;b&gt; 1 &gt; 0 ]]&gt; \"said\" it's 周恩来"));
    assert_valid(&xml);
    let doc = Document::parse(&xml).unwrap();
    let section = all(doc.root(), "div")[1];
    assert_eq!(string(children(section, "p")[0]), format!("{kept}{kept}"));
    assert_eq!(string(children(section, "label")[0]), kept);
    let bibl = children(section, "bibl")[0];
    assert_eq!(
        string(bibl),
        format!("{kept} to {kept} concerning {kept}{kept}")
    );
    for name in ["publisher", "editor", "term"] {
        assert_eq!(string(one(doc.root(), name)), kept, "{name}");
    }
    let series: Vec<_> = all(one(doc.root(), "seriesStmt"), "title")
        .into_iter()
        .map(string)
        .collect();
    assert_eq!(series, [kept.as_str(); 2]);
    let idno: Vec<_> = all(doc.root(), "idno").into_iter().map(string).collect();
    assert_eq!(
        idno,
        [
            format!("{kept}1950-01-22"),
            format!("{kept}1950"),
            format!("{kept}.txt")
        ]
    );
}
