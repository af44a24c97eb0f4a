//! `mif check` on fixtures and the corpus: trees, diagnostics, round trips.

mod common;

use mif::{Document, Severity};

#[test]
fn ok_fixtures_parse_without_errors() {
    common::snapshot_settings("check").bind(|| {
        insta::glob!("fixtures/check/ok/*.mif", |path| {
            let bytes = std::fs::read(path).unwrap();
            let doc = Document::parse(&bytes);
            let diagnostics = common::check(&doc);
            let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            let name = path.file_name().unwrap().to_string_lossy();
            let rendered = common::render_all(&diagnostics, &name, doc.text());
            insta::assert_snapshot!(format!("{}\n{rendered}", doc.dump()));
        });
    });
}

#[test]
fn err_fixtures_report_located_errors() {
    common::snapshot_settings("check").bind(|| {
        insta::glob!("fixtures/check/err/*.mif", |path| {
            let bytes = std::fs::read(path).unwrap();
            let doc = Document::parse(&bytes);
            let diagnostics = common::check(&doc);
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "{} has no error",
                path.display()
            );
            let name = path.file_name().unwrap().to_string_lossy();
            insta::assert_snapshot!(common::render_all(&diagnostics, &name, doc.text()));
        });
    });
}

#[test]
fn every_fixture_round_trips_byte_for_byte() {
    for path in common::all_fixtures() {
        let bytes = std::fs::read(&path).unwrap();
        let doc = Document::parse(&bytes);
        assert_eq!(doc.print_verbatim(), doc.text(), "{}", path.display());
        if doc.source.decode_errors.is_empty() {
            assert_eq!(
                doc.source.encode(&doc.print_verbatim()).unwrap(),
                bytes,
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn corpus_files_get_their_expected_verdict_and_round_trip() {
    let corpus = common::corpus();
    for (path, verdict, why) in &corpus {
        let bytes = std::fs::read(path).unwrap();
        let doc = Document::parse(&bytes);
        let diagnostics = common::check(&doc);
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        let name = path.display();
        match verdict.as_str() {
            "clean" => assert_eq!(
                errors, 0,
                "{name} should be clean ({why}): {diagnostics:#?}"
            ),
            "warning" => {
                assert_eq!(
                    errors, 0,
                    "{name} should have no error ({why}): {diagnostics:#?}"
                );
                assert!(warnings > 0, "{name} should warn: {why}");
            }
            "error" => {
                assert!(errors > 0, "{name} should be an error: {why}");
                assert!(diagnostics.iter().all(|d| d.span.end <= doc.text().len()));
            }
            other => panic!("unknown verdict {other} for {name}"),
        }
        assert_eq!(doc.print_verbatim(), doc.text(), "{name}");
        assert_eq!(
            doc.source.encode(doc.text()).unwrap(),
            bytes,
            "{name} round trip"
        );
    }
    eprintln!("corpus: {} files checked", corpus.len());
}

#[test]
fn the_kb_example_checks_clean() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kb166833-status.mif"
    ))
    .unwrap();
    let doc = Document::parse(&bytes);
    assert!(common::check(&doc).is_empty(), "{:#?}", common::check(&doc));
}

#[test]
fn deep_nesting_and_unterminated_strings_give_bounded_diagnostics() {
    let nested = "START GROUP\n".repeat(200_000);
    let doc = Document::parse(format!("START COMPONENT\n{nested}").as_bytes());
    assert!(doc.has_errors());
    assert!(doc.diagnostics.len() <= 2 * mif::syntax::MAX_ERRORS + 10);
    let open_string = format!("START COMPONENT\nNAME = \"{}", "x".repeat(8 << 20));
    let doc = Document::parse(open_string.as_bytes());
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.code == "mif::unterminated-string"));
}
