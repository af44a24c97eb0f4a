//! `mif fmt` formats a component one stretch at a time, cutting before
//! each START at the component's level that begins a line
//! (`src/printer/stretches.rs`). This test puts every short arrangement of
//! pieces that sit on or near such cuts between START COMPONENT and END
//! COMPONENT, in several encodings and with every option, and holds each
//! to the fuzz property `roundtrip`: a file with errors is refused, and a
//! clean one comes out exactly as formatting the whole document gives it.

mod properties;

use mif::printer::{FormatOptions, Indent, KeywordCase, LineEndingChoice};
use mif::source::encode;
use mif::{Document, Encoding};

/// Blocks, split START and END words, comments, blank lines, strings whose
/// lines look like cuts, the three line endings, blanks and a block that
/// does not begin its line.
const PIECES: &[&str] = &[
    "START GROUP\n",
    "END GROUP\n",
    "START GROUP\nEND GROUP\n",
    "start\n// x\ngroup // y\nend\r\ngroup ",
    "// c\n",
    "\n",
    "\r\n",
    "\r",
    "NAME = \"n\"\n",
    "DESCRIPTION = \"s\nSTART GROUP\nEND COMPONENT\n\" ",
    "\tSTART TABLE END TABLE\n",
    " ",
    "END GROUP START GROUP\n",
    "\x1a",
];

/// The component's head and END COMPONENT around the pieces.
const FRAMES: &[(&str, &str)] = &[
    ("START COMPONENT\n", "END COMPONENT\n"),
    (
        "// h\r\nStart Component // s\r\nNAME = \"c\"\r\n",
        "End Component",
    ),
];

const ENCODINGS: &[Encoding] = &[
    Encoding::SingleByte,
    Encoding::Utf16Be,
    Encoding::Utf8,
    Encoding::Utf16Le,
];

fn options() -> Vec<FormatOptions> {
    let mut all = Vec::new();
    for indent in [Indent::Spaces(4), Indent::Tab] {
        for line_ending in [
            LineEndingChoice::Auto,
            LineEndingChoice::Lf,
            LineEndingChoice::CrLf,
        ] {
            for keyword_case in [
                KeywordCase::Upper,
                KeywordCase::Lower,
                KeywordCase::Preserve,
            ] {
                all.push(FormatOptions {
                    indent,
                    line_ending,
                    keyword_case,
                });
            }
        }
    }
    all
}

#[test]
fn every_short_arrangement_of_cut_pieces_formats_as_the_whole_file() {
    let options = options();
    let mut files = 0;
    let mut clean = 0;
    for length in 0..=4u32 {
        for code in 0..PIECES.len().pow(length) {
            let mut rest = code;
            let mut body = String::new();
            for _ in 0..length {
                body.push_str(PIECES[rest % PIECES.len()]);
                rest /= PIECES.len();
            }
            for (index, (head, tail)) in FRAMES.iter().enumerate() {
                let text = format!("{head}{body}{tail}");
                let at = code + index + length as usize;
                let encoding = ENCODINGS[at % ENCODINGS.len()];
                let bytes = encode(&text, encoding).unwrap();
                let options = &options[at % options.len()];
                files += 1;
                if !Document::parse(&bytes).has_errors() {
                    clean += 1;
                }
                let outcome = std::panic::catch_unwind(|| properties::roundtrip(&bytes, options));
                assert!(outcome.is_ok(), "{text:?} in {encoding} with {options:?}");
            }
        }
    }
    // Both answers must be common, or half the promise goes untested.
    assert!(
        (files / 10..files * 9 / 10).contains(&clean),
        "{clean} of {files} files parse cleanly"
    );
}
