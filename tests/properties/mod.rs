//! The three reliability properties, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs` include this file by path) and by the
//! stable-toolchain stand-in `tests/mutations.rs`. Each panics with a
//! message naming the broken promise; a panic is a finding.
#![allow(dead_code)]

use mif::diagnostics::{render, RenderOptions};
use mif::lexer::TokenKind;
use mif::printer::{format, format_bytes, formats_unchanged, FormatError, FormatOptions};
use mif::status::{self, Field, JobStatus, MendOptions, StatusMif};
use mif::{CheckOptions, Document};

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
    let mut diagnostics = mif::check(&doc, &mif::CheckOptions::default());
    diagnostics.extend(status::read(&doc, &mif::CheckOptions::default()).diagnostics);
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
    let whole = format(&before, options).expect("the document has no errors");
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
    pub replace_control: bool,
    pub force: bool,
}

/// Warnings a status MIF written with no values has: what ISMIF32 writes
/// for missing arguments, which `mif new` does too.
const DEFAULT_WARNINGS: [&str; 2] = ["mif::status-empty-product", "mif::status-empty-description"];

/// Arbitrary field values, mended as asked: the check refuses them with
/// at least one finding, or the file it passed checks without an error
/// in the status profile (and, unless forced, with no warning but those
/// of a file written with no values), parses cleanly, and `status::read`
/// gives back exactly the mended values and the verdict. Returns whether
/// a file was written.
pub fn new(input: &NewInput) -> bool {
    let status = if input.success {
        JobStatus::Success
    } else {
        JobStatus::Failed
    };
    let mut mif = StatusMif::new(status);
    for (field, value) in Field::ALL.into_iter().zip(&input.fields) {
        mif.set(field, value.clone());
    }
    mif.mend(MendOptions {
        truncate: input.truncate,
        replace_unmappable: input.replace_unmappable,
        replace_control: input.replace_control,
    });
    let written = match mif.write(&CheckOptions::default(), input.force) {
        Ok(written) => written,
        Err(refused) => {
            assert!(!refused.findings.is_empty(), "refused without saying why");
            return false;
        }
    };
    let doc = Document::parse(&written.bytes);
    assert!(!doc.has_errors(), "the written file has syntax errors");
    let found = mif::check(&doc, &CheckOptions::default());
    assert!(
        found.iter().all(|d| !d.is_error()),
        "the written file does not check clean: {found:#?}"
    );
    if !input.force {
        assert!(
            found.iter().all(|d| DEFAULT_WARNINGS.contains(&d.code)),
            "a warning about a given value was written unforced: {found:#?}"
        );
    }
    let reading = status::read(&doc, &CheckOptions::default());
    assert_eq!(reading.verdict, Some(status), "verdict");
    assert_eq!(reading.status.as_deref(), Some(status.as_str()), "status");
    for field in Field::ALL {
        assert_eq!(reading.field(field), Some(mif.get(field)), "{field:?}");
    }
    true
}
