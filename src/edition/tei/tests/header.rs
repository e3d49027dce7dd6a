//! The tests of the `teiHeader`.

use super::*;

#[test]
fn the_language_is_declared_in_lang_usage_by_its_code_alone() {
    for (metadata, code) in [(Metadata::default(), "en"), (configured(), "en-GB")] {
        let (day, corpus) = day_and_corpus(&metadata);
        for xml in [day, corpus] {
            let doc = Document::parse(&xml).unwrap();
            let usage = all(doc.root(), "langUsage");
            let language = one(usage[0], "language");
            assert_eq!(attr(language, "ident"), Some(code));
            assert_eq!(string(language), "");
        }
    }
}

#[test]
fn the_header_names_the_heading_the_publisher_the_licence_the_source_and_the_day() {
    let metadata = Metadata {
        publisher: "Archive & Co".to_owned(),
        licence: crate::edition::Licence::from_spdx("CC-BY-4.0"),
        ..Metadata::default()
    };
    let xml = tei_day_with(&sample(), &[], &metadata);
    let doc = Document::parse(&xml).unwrap();
    let header = one(doc.root(), "teiHeader");
    let title = one(one(header, "titleStmt"), "title");
    assert_eq!(string(title), "January 22, 1950 (Sunday)");
    let publication = one(header, "publicationStmt");
    assert_eq!(string(one(publication, "publisher")), "Archive & Co");
    let licence = one(one(publication, "availability"), "licence");
    assert_eq!(
        string(licence),
        "Creative Commons Attribution 4.0 International (CC-BY-4.0)"
    );
    assert_eq!(
        attr(licence, "target"),
        Some("https://creativecommons.org/licenses/by/4.0/")
    );
    let idno = one(one(header, "sourceDesc"), "idno");
    assert_eq!(
        (attr(idno, "type"), string(idno).as_str()),
        (Some("file"), "1950-01-22.txt")
    );
    let created = one(one(one(header, "profileDesc"), "creation"), "date");
    assert_eq!(attr(created, "when"), Some("1950-01-22"));
}

#[test]
fn the_build_time_dates_the_publication_and_the_revision_and_is_absent_otherwise() {
    let built = Metadata {
        build_time: Some(build_time()),
        ..Metadata::default()
    };
    let (day, corpus) = day_and_corpus(&built);
    for xml in [day, corpus] {
        assert_valid(&xml);
        let doc = Document::parse(&xml).unwrap();
        let header = doc.root_element().first_element_child().unwrap();
        let published = children(one(header, "publicationStmt"), "date");
        assert_eq!(published.len(), 1);
        assert_eq!(attr(published[0], "when"), Some("2024-05-01T12:30:05Z"));
        assert_eq!(string(published[0]), "May 1, 2024");
        let changes = children(children(header, "revisionDesc")[0], "change");
        assert_eq!(changes.len(), 1);
        assert_eq!(attr(changes[0], "when"), Some("2024-05-01T12:30:05Z"));
        assert_eq!(
            string(changes[0]),
            format!("Converted by daybook {}.", env!("CARGO_PKG_VERSION"))
        );
    }

    let (day, corpus) = day_and_corpus(&Metadata::default());
    for xml in [day, corpus] {
        let doc = Document::parse(&xml).unwrap();
        let header = doc.root_element().first_element_child().unwrap();
        assert!(children(one(header, "publicationStmt"), "date").is_empty());
        assert!(all(doc.root(), "revisionDesc").is_empty());
        assert!(!xml.contains("2024"));
    }
}

#[test]
fn the_corpus_title_is_the_collection_title_and_year_followed_by_the_subtitle() {
    let titles = |metadata: &Metadata| {
        let (_, corpus) = day_and_corpus(metadata);
        let doc = Document::parse(&corpus).unwrap();
        let header = children(doc.root_element(), "teiHeader")[0];
        assert!(all(one(header, "seriesStmt"), "idno").is_empty());
        children(one(header, "titleStmt"), "title")
            .into_iter()
            .map(|t| (attr(t, "type").map(str::to_owned), string(t)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(&Metadata::default()),
        [(None, "Day notes, 1950".to_owned())]
    );
    assert_eq!(
        titles(&configured()),
        [
            (None, "Korea 1950, 1950".to_owned()),
            (Some("sub".to_owned()), "A chronology".to_owned())
        ]
    );
}

#[test]
fn a_day_keeps_its_heading_as_title_and_names_the_collection_in_its_series() {
    let series = |metadata: &Metadata| {
        let (day, _) = day_and_corpus(metadata);
        let doc = Document::parse(&day).unwrap();
        let titles = children(one(doc.root(), "titleStmt"), "title");
        assert_eq!(titles.len(), 1);
        assert_eq!(string(titles[0]), "January 22, 1950 (Sunday)");
        children(one(doc.root(), "seriesStmt"), "title")
            .into_iter()
            .map(|t| (attr(t, "type").map(str::to_owned), string(t)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        series(&Metadata::default()),
        [(None, "Day notes".to_owned())]
    );
    assert_eq!(
        series(&configured()),
        [
            (None, "Korea 1950".to_owned()),
            (Some("sub".to_owned()), "A chronology".to_owned())
        ]
    );
}

#[test]
fn each_editor_is_an_editor_of_the_title_statement_in_the_order_given() {
    let editors = |metadata: &Metadata| {
        let (day, corpus) = day_and_corpus(metadata);
        [day, corpus].map(|xml| {
            let doc = Document::parse(&xml).unwrap();
            let header = doc.root_element().first_element_child().unwrap();
            assert_eq!(all(header, "editor").len(), metadata.editors.len());
            children(one(header, "titleStmt"), "editor")
                .into_iter()
                .map(string)
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(editors(&Metadata::default()), [[""; 0], [""; 0]]);
    let two = ["A. Editor", "B. Editor"];
    assert_eq!(editors(&configured()), [two, two]);
}

#[test]
fn the_identifiers_are_the_base_followed_by_the_day_or_the_year() {
    let identifiers = |metadata: &Metadata| {
        let (day, corpus) = day_and_corpus(metadata);
        [day, corpus].map(|xml| {
            let doc = Document::parse(&xml).unwrap();
            let header = doc.root_element().first_element_child().unwrap();
            let mut found = Vec::new();
            for statement in ["publicationStmt", "seriesStmt"] {
                for statement in all(header, statement) {
                    for idno in children(statement, "idno") {
                        assert_eq!(attr(idno, "type"), Some("URI"));
                        found.push(string(idno));
                    }
                }
            }
            found
        })
    };
    assert_eq!(
        identifiers(&Metadata::default()),
        [
            vec!["urn:daybook:1950-01-22", "urn:daybook:1950"],
            vec!["urn:daybook:1950"]
        ]
    );
    assert_eq!(
        identifiers(&configured()),
        [
            vec![
                "https://example.org/korea/1950-01-22",
                "https://example.org/korea/1950"
            ],
            vec!["https://example.org/korea/1950"]
        ]
    );
}

#[test]
fn subjects_are_keywords_and_without_subjects_there_is_no_text_class() {
    let (day, corpus) = day_and_corpus(&configured());
    for xml in [day, corpus] {
        let doc = Document::parse(&xml).unwrap();
        let header = doc.root_element().first_element_child().unwrap();
        let class = one(one(header, "profileDesc"), "textClass");
        let terms: Vec<_> = children(one(class, "keywords"), "term")
            .into_iter()
            .map(string)
            .collect();
        assert_eq!(terms, ["Korean War", "Sino-Soviet relations"]);
    }
    let (day, corpus) = day_and_corpus(&Metadata::default());
    for xml in [day, corpus] {
        let doc = Document::parse(&xml).unwrap();
        assert!(all(doc.root(), "textClass").is_empty());
    }
}

#[test]
fn the_encoding_description_names_daybook_its_version_and_what_it_does_to_the_notes() {
    let xml = tei_day(&sample(), &[]);
    let doc = Document::parse(&xml).unwrap();
    let encoding = one(doc.root(), "encodingDesc");
    let application = one(one(encoding, "appInfo"), "application");
    assert_eq!(attr(application, "ident"), Some("daybook"));
    assert_eq!(
        attr(application, "version"),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert!(string(one(encoding, "projectDesc")).contains("plain-text day notes"));
    let editorial = one(encoding, "editorialDecl");
    let parts: Vec<_> = editorial
        .children()
        .filter(Node::is_element)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(parts, ["normalization", "quotation", "interpretation"]);
    let normalization = string(one(editorial, "normalization"));
    for rule in ["lines are joined", "U+FFFD"] {
        assert!(normalization.contains(rule), "{normalization}");
    }
    assert_eq!(attr(one(editorial, "quotation"), "marks"), Some("some"));
}

#[test]
fn a_day_and_a_corpus_with_every_field_set_are_valid_with_their_header_parts_in_order() {
    let (day, corpus) = day_and_corpus(&configured());
    for xml in [&day, &corpus] {
        assert_valid(xml);
    }
    let shape = |node: Node| -> Vec<String> {
        node.children()
            .filter(Node::is_element)
            .map(|n| n.tag_name().name().to_owned())
            .collect()
    };
    let doc = Document::parse(&day).unwrap();
    let header = doc.root_element().first_element_child().unwrap();
    assert_eq!(
        shape(header),
        ["fileDesc", "encodingDesc", "profileDesc", "revisionDesc"]
    );
    assert_eq!(
        shape(one(header, "fileDesc")),
        ["titleStmt", "publicationStmt", "seriesStmt", "sourceDesc"]
    );
    assert_eq!(
        shape(one(header, "publicationStmt")),
        ["publisher", "date", "idno", "availability"]
    );
    let doc = Document::parse(&corpus).unwrap();
    let header = doc.root_element().first_element_child().unwrap();
    assert_eq!(
        shape(header),
        ["fileDesc", "encodingDesc", "profileDesc", "revisionDesc"]
    );
    assert_eq!(
        shape(children(header, "fileDesc")[0]),
        ["titleStmt", "publicationStmt", "seriesStmt", "sourceDesc"]
    );
}
