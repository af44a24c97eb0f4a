//! Hostile inputs: each gives a diagnostic or a result, in bounded time and
//! memory, and the binary never exits 101 (panic).

mod common;

use mif::Document;

/// Run `mif check -` on `input`; returns (exit code, stderr).
fn check_stdin(input: &[u8]) -> (i32, String) {
    let output = common::run_mif(&["check", "-q", "-"], Some(input));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_located_error(input: &[u8]) -> Document {
    let doc = Document::parse(input);
    assert!(doc.has_errors(), "expected an error");
    assert!(doc.diagnostics.len() <= 5 * mif::syntax::MAX_ERRORS + 10);
    for d in &doc.diagnostics {
        assert!(d.span.end <= doc.text().len(), "{d:?} out of bounds");
    }
    assert_eq!(doc.print_verbatim(), doc.text());
    doc
}

#[test]
fn deeply_nested_groups() {
    let input = format!(
        "START COMPONENT\nNAME = \"x\"\n{}",
        "START GROUP\n".repeat(200_000)
    );
    let doc = assert_located_error(input.as_bytes());
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.code == "mif::unclosed-block"));
}

#[test]
fn eight_megabyte_unterminated_string() {
    let input = format!("START COMPONENT\nNAME = \"{}", "x".repeat(8 << 20));
    let doc = assert_located_error(input.as_bytes());
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.code == "mif::unterminated-string"));
}

#[test]
fn hundred_megabyte_file_is_refused_with_a_clear_limit() {
    let input = "START GROUP\n".repeat(100 * 1024 * 1024 / 12 + 1);
    let (code, stderr) = check_stdin(input.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("larger than 64 MiB"), "{stderr}");
}

#[test]
fn a_million_attributes_in_one_group() {
    let mut input = String::from(
        "START COMPONENT\nNAME = \"x\"\nSTART GROUP\nNAME = \"g\"\nID = 1\nCLASS = \"a|b|1\"\n",
    );
    for id in 1..=1_000_000 {
        input.push_str(&format!(
            "START ATTRIBUTE NAME = \"a\" ID = {id} TYPE = INT END ATTRIBUTE\n"
        ));
    }
    input.push_str("END GROUP\nEND COMPONENT\n");
    let doc = Document::parse(input.as_bytes());
    assert!(
        !doc.has_errors(),
        "{:?}",
        &doc.diagnostics[..doc.diagnostics.len().min(3)]
    );
    let group = doc.component().unwrap().blocks().next().unwrap();
    assert_eq!(group.blocks().count(), 1_000_000);
}

#[test]
fn a_64_kilobyte_line() {
    let input = format!(
        "START COMPONENT NAME = \"{}\" {} END COMPONENT",
        "y".repeat(32 << 10),
        "DESCRIPTION = \"d\" ".repeat(2000)
    );
    let doc = Document::parse(input.as_bytes());
    assert!(
        doc.diagnostics
            .iter()
            .any(|d| d.code == "mif::duplicate-statement")
            || mif::check(&doc, &mif::CheckOptions::default())
                .iter()
                .any(|d| d.code == "mif::duplicate-statement")
    );
    assert_eq!(doc.print_verbatim(), doc.text());
}

/// 2,000 findings, each shown with its 64 KB source line, once printed
/// 400 MB for a 68 KB file: the human report stops at MAX_ERRORS (`-q`
/// shows the 1,999 errors, not the warning).
#[test]
fn findings_on_a_64_kilobyte_line_print_a_bounded_report() {
    let input = format!(
        "START COMPONENT NAME = \"{}\" {} END COMPONENT",
        "y".repeat(32 << 10),
        "DESCRIPTION = \"d\" ".repeat(2000)
    );
    let (code, stderr) = check_stdin(input.as_bytes());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("<stdin>: 1899 more diagnostics not shown"),
        "{}",
        &stderr[stderr.len().saturating_sub(300)..]
    );
    assert!(stderr.len() < 32 << 20, "{} bytes of report", stderr.len());
}

#[test]
fn every_byte_value_gives_a_diagnostic_not_a_panic() {
    let bytes: Vec<u8> = (0..=255u8).collect();
    assert_located_error(&bytes);
    let (code, _) = check_stdin(&bytes);
    assert_eq!(code, 1);
    for b in 0..=255u8 {
        let input = [
            b"START COMPONENT NAME = \"x".as_slice(),
            &[b],
            b"\" END COMPONENT\n",
        ]
        .concat();
        let doc = Document::parse(&input);
        assert_eq!(
            doc.source.encode(&doc.print_verbatim()).unwrap(),
            input,
            "byte {b:#x}"
        );
    }
}

#[test]
fn byte_order_marks_in_the_middle() {
    let input = b"START COMPONENT\n\xEF\xBB\xBFNAME = \"x\"\n\xFE\xFF\xFF\xFEEND COMPONENT\n";
    let doc = assert_located_error(input);
    assert_eq!(doc.source.encode(doc.text()).unwrap(), input);
}

#[test]
fn utf16_with_odd_length_and_lone_surrogates() {
    let doc = assert_located_error(b"\xFF\xFES\x00T\x00A");
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.code == "mif::invalid-encoding"));
    let doc = assert_located_error(b"\xFE\xFF\xDC\x00\x00S");
    assert!(doc
        .diagnostics
        .iter()
        .any(|d| d.code == "mif::invalid-encoding"));
    let (code, stderr) = check_stdin(b"\xFF\xFES\x00T\x00A");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("odd number of bytes"), "{stderr}");
}

#[test]
fn empty_and_truncated_inputs() {
    assert_located_error(b"");
    let kb = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kb166833-status.mif"
    ))
    .unwrap();
    // Every cut before the final END COMPONENT is complete.
    let complete = kb.len() - b"END COMPONENT\r\n".len() + b"END COMPONENT".len();
    for cut in (0..complete).step_by(7) {
        let doc = Document::parse(&kb[..cut]);
        // Only a missing END COMPONENT is a warning; any other cut is an error.
        let flagged = doc.has_errors()
            || doc
                .diagnostics
                .iter()
                .any(|d| d.code == "mif::missing-end-component");
        assert!(flagged, "cut at {cut} parsed clean");
        assert_eq!(doc.print_verbatim(), doc.text());
    }
}
