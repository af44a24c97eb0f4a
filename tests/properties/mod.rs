//! The three reliability properties, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs` include this file by path) and by the
//! stable-toolchain stand-in `tests/mutations.rs`. Each panics with a
//! message naming the broken promise; a panic is a finding.
#![allow(dead_code)]

use mif::diagnostics::{render, RenderOptions};
use mif::lexer::TokenKind;
use mif::printer::{format_bytes, format_document, formats_unchanged, FormatError, FormatOptions};
use mif::status::{self, FitOptions, JobStatus, StatusMif};
use mif::Document;

/// Any bytes: parsing, checking, reading as a status MIF and rendering the
/// diagnostics never panic; the verbatim print is the decoded text, and
/// bytes that decode cleanly encode back to themselves.
pub fn parse(bytes: &[u8]) {
    let doc = Document::parse(bytes);
    assert_eq!(doc.print_verbatim(), doc.text(), "verbatim print != text");
    if doc.source.decode_errors.is_empty() {
        let again = doc.source.encode(doc.text());
        assert_eq!(
            again.as_deref(),
            Ok(bytes),
            "decoded text does not encode back"
        );
    }
    let mut diagnostics = doc.diagnostics.clone();
    if !doc.has_errors() {
        diagnostics.extend(mif::rules::check(&doc));
    }
    diagnostics.extend(status::read(&doc).diagnostics);
    // Rendering is slow; one diagnostic per code covers its rendering path.
    let mut rendered = std::collections::HashSet::new();
    for diagnostic in &diagnostics {
        assert!(
            diagnostic.span.start <= diagnostic.span.end && diagnostic.span.end <= doc.text().len(),
            "diagnostic {} outside the text: {:?}",
            diagnostic.code,
            diagnostic.span
        );
        if !rendered.insert(diagnostic.code) {
            continue;
        }
        let options = RenderOptions {
            color: false,
            width: Some(100),
        };
        render(diagnostic, "fuzz.mif", doc.text(), options);
    }
}

/// Bytes with errors: `format_bytes` refuses them as the parser does.
/// Bytes that parse without errors: `format_bytes` accepts them, gives
/// what formatting the whole document gives (it may work in stretches), its
/// output parses to the same tree and comments, keeps the encoding and
/// formats to itself. `formats_unchanged` (`--check`) says what comparing
/// the output with the input says.
pub fn roundtrip(bytes: &[u8], options: &FormatOptions) {
    let before = Document::parse(bytes);
    if before.has_errors() {
        assert!(
            matches!(format_bytes(bytes, options), Err(FormatError::Syntax(_))),
            "format_bytes did not refuse a file with errors"
        );
        assert!(
            matches!(
                formats_unchanged(bytes, options),
                Err(FormatError::Syntax(_))
            ),
            "formats_unchanged did not refuse a file with errors"
        );
        return;
    }
    let output = match format_bytes(bytes, options) {
        Ok(output) => output,
        Err(FormatError::Syntax(_)) => panic!("format_bytes saw errors the parser did not"),
        Err(error) => panic!("format_bytes refused a file that parses: {error}"),
    };
    let whole = format_document(&before, options).expect("the document has no errors");
    assert_eq!(
        before.source.encode(&whole).as_deref(),
        Ok(output.as_slice()),
        "formatting in stretches differs from formatting the whole document"
    );
    let after = Document::parse(&output);
    assert!(!after.has_errors(), "formatted output does not parse");
    assert_eq!(meaning(&before), meaning(&after), "meaning changed");
    assert_eq!(comments(&before), comments(&after), "comments changed");
    assert_eq!(
        before.source.encoding, after.source.encoding,
        "encoding changed"
    );
    let again = format_bytes(&output, options);
    assert!(
        again
            .as_deref()
            .is_ok_and(|again| again == output.as_slice()),
        "formatting is not idempotent"
    );
    assert_eq!(
        formats_unchanged(bytes, options).ok(),
        Some(output == bytes),
        "formats_unchanged disagrees with format_bytes"
    );
    assert_eq!(
        formats_unchanged(&output, options).ok(),
        Some(true),
        "formats_unchanged would change formatted output"
    );
}

/// The comments of a document, trailing blanks trimmed, in order.
fn comments(doc: &Document) -> Vec<String> {
    doc.tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| t.text(doc.text()).trim_end_matches([' ', '\t']).to_string())
        .collect()
}

/// The tree outline without the encoding line and header comments
/// (comments are compared on their own).
fn meaning(doc: &Document) -> String {
    doc.dump()
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with("header "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a caller hands `mif new`.
#[derive(Debug, Clone)]
pub struct NewInput {
    pub fields: [String; 7],
    pub success: bool,
    pub truncate: bool,
    pub replace_unmappable: bool,
}

/// Arbitrary field values: `fit` refuses them with at least one error, or
/// the rendered file parses cleanly and `status::read` gives back exactly
/// the fitted values and the verdict. Returns whether a file was written.
pub fn new(input: &NewInput) -> bool {
    let status = if input.success {
        JobStatus::Success
    } else {
        JobStatus::Failed
    };
    let [manufacturer, product, version, locale, serial_number, installation, description] =
        input.fields.clone();
    let mut mif = StatusMif {
        manufacturer,
        product,
        version,
        locale,
        serial_number,
        installation,
        status,
        description,
    };
    let options = FitOptions {
        truncate: input.truncate,
        replace_unmappable: input.replace_unmappable,
    };
    if let Err(errors) = mif.fit(options) {
        assert!(!errors.is_empty(), "refused without saying why");
        return false;
    }
    let bytes = match mif.render() {
        Ok(bytes) => bytes,
        Err(error) => panic!("fitted values do not render: {error}"),
    };
    let doc = Document::parse(&bytes);
    assert!(!doc.has_errors(), "the written file has syntax errors");
    let reading = status::read(&doc);
    assert_eq!(reading.verdict, Some(status), "verdict");
    assert_eq!(reading.status.as_deref(), Some(status.as_str()), "status");
    for field in status::Field::COMPONENT_ID
        .into_iter()
        .chain([status::Field::Description])
    {
        assert_eq!(reading.field(field), Some(mif.get(field)), "{field:?}");
    }
    true
}
