//! The tests of whole documents: validity, the root, a corpus.

use super::*;

#[test]
#[should_panic(expected = "jing rejects the TEI")]
fn the_validity_check_rejects_what_breaks_the_schema() {
    assert_valid(&format!(
        "<TEI xmlns=\"{TEI_NS}\"><text><body><q/></body></text></TEI>"
    ));
}

#[test]
fn a_day_is_one_valid_tei_document() {
    let xml = tei_day(&sample(), &[date(1950, 1, 19), date(1950, 1, 22)]);
    assert_valid(&xml);
    let unresolved = tei_day(&sample(), &[date(1950, 1, 22)]);
    assert_valid(&unresolved);
}

#[test]
fn the_root_declares_the_namespace_and_the_configured_language() {
    let metadata = Metadata {
        language: "de".to_owned(),
        ..Metadata::default()
    };
    let xml = tei_day_with(&sample(), &[], &metadata);
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"de\">\n"
    ));
    assert!(xml.ends_with("</TEI>\n"));
}

#[test]
fn a_corpus_has_its_own_header_and_one_tei_per_day_in_date_order() {
    let mut second = day(date(1950, 1, 19), Vec::new());
    second.source = "january.txt".to_owned();
    let mut third = day(date(1950, 1, 20), Vec::new());
    third.source = "january.txt".to_owned();
    let days = [second, third, sample()];
    let known = [date(1950, 1, 19), date(1950, 1, 20), date(1950, 1, 22)];
    let xml = tei_corpus(&days, &known);
    assert_valid(&xml);
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\">\n"
    ));
    assert_eq!(xml.matches("xmlns=").count(), 1);

    let doc = Document::parse(&xml).unwrap();
    let corpus = doc.root_element();
    let header = children(corpus, "teiHeader")[0];
    assert_eq!(
        string(one(one(header, "titleStmt"), "title")),
        "Day notes, 1950"
    );
    let files: Vec<_> = all(one(header, "sourceDesc"), "idno")
        .into_iter()
        .map(string)
        .collect();
    assert_eq!(files, ["january.txt", "1950-01-22.txt"]);
    let span = one(one(header, "creation"), "date");
    assert_eq!(
        (attr(span, "from"), attr(span, "to")),
        (Some("1950-01-19"), Some("1950-01-22"))
    );

    let members: Vec<_> = children(corpus, "TEI")
        .into_iter()
        .map(|tei| {
            let div = one(tei, "body").first_element_child().unwrap();
            div.attribute((XML_NS, "id")).unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        members,
        ["day-1950-01-19", "day-1950-01-20", "day-1950-01-22"]
    );
    assert!(xml.contains("[<ref type=\"crossref\" target=\"#day-1950-01-19\">see the 19th</ref>]"));
}

#[test]
fn an_empty_corpus_is_refused() {
    let (days, metadata) = (BTreeSet::new(), Metadata::default());
    let mut out = Vec::new();
    let error = write_corpus(1950, &[], &context(&days, &metadata), &mut out).unwrap_err();
    assert!(matches!(&error, EditionError::Io(e) if e.kind() == io::ErrorKind::InvalidInput));
    assert!(out.is_empty());
}
