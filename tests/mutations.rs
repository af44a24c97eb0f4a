//! The fuzz properties on the stable toolchain, for CI: a few thousand
//! inputs made by mutating the fixtures (bit flips, truncation, splicing,
//! duplicated lines, random case, line endings, encodings) from a fixed
//! seed, so a failure reproduces. See docs/fuzzing.md for the real fuzzers.

mod common;
mod properties;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use common::mutants::{duplicate_line, flip_bits, random_case, splice, truncate, Rng};
use mif::printer::{FormatOptions, Indent, KeywordCase, LineEndingChoice};
use mif::{Encoding, Source};
use properties::NewInput;

/// Inputs per property; together they run in a few seconds.
const ROUNDS: usize = 3000;

/// The fixtures and examples the mutations start from.
fn seeds() -> Vec<Vec<u8>> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = common::all_fixtures();
    if let Ok(entries) = std::fs::read_dir(examples) {
        files.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "mif")),
        );
    }
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// One to three mutations of a seed, and what they were.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> (Vec<u8>, String) {
    let mut bytes = rng.pick(seeds).clone();
    let mut steps = Vec::new();
    for _ in 0..=rng.below(3) {
        let step = match rng.below(7) {
            0 => flip_bits(rng, &mut bytes),
            1 => truncate(rng, &mut bytes),
            2 => {
                let other = rng.pick(seeds).clone();
                splice(rng, &mut bytes, &other)
            }
            3 => duplicate_line(rng, &mut bytes),
            4 => random_case(rng, &mut bytes),
            5 => line_endings(rng, &mut bytes),
            _ => reencode(rng, &mut bytes),
        };
        steps.push(step);
    }
    (bytes, steps.join(", "))
}

/// Every line ending made LF, CRLF or a random mix (in the decoded text,
/// so UTF-16 files stay UTF-16).
fn line_endings(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let source = Source::decode(bytes);
    let mode = rng.below(3);
    let mut text = String::with_capacity(source.text.len());
    for line in source.text.replace("\r\n", "\n").split_inclusive('\n') {
        let crlf = mode == 1 || (mode == 2 && rng.chance(2));
        match line.strip_suffix('\n') {
            Some(body) if crlf => text.push_str(&format!("{body}\r\n")),
            _ => text.push_str(line),
        }
    }
    if let Ok(encoded) = source.encode(&text) {
        *bytes = encoded;
    }
    "line endings"
}

fn reencode(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let text = Source::decode(bytes).text;
    let encoding = *rng.pick(&[
        Encoding::SingleByte,
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ]);
    if let Ok(encoded) = mif::source::encode(&text, encoding) {
        *bytes = encoded;
    }
    "re-encoding"
}

/// Run a property; on a panic, keep the input where it can be replayed
/// (`cargo fuzz run <target> <file>`) and fail naming it.
fn holds(property: &str, round: usize, what: &str, input: &[u8], check: impl FnOnce()) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(check)) {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let saved = std::env::temp_dir().join(format!("mif-mutation-{property}-{round}.bin"));
        let _ = std::fs::write(&saved, input);
        panic!(
            "{property} failed on round {round} ({what}): {message}; input saved to {}",
            saved.display()
        );
    }
}

#[test]
fn parse_never_panics_and_prints_back_verbatim() {
    let seeds = seeds();
    let mut rng = Rng(0x5EED_0001);
    for round in 0..ROUNDS {
        let (input, what) = mutate(&mut rng, &seeds);
        holds("parse", round, &what, &input, || properties::parse(&input));
    }
}

#[test]
fn files_that_parse_format_soundly() {
    let seeds = seeds();
    let mut rng = Rng(0x5EED_0002);
    let mut parsed = 0;
    for round in 0..ROUNDS {
        let (input, what) = mutate(&mut rng, &seeds);
        let options = FormatOptions {
            indent: *rng.pick(&[Indent::Spaces(4), Indent::Spaces(2), Indent::Tab]),
            line_ending: *rng.pick(&[
                LineEndingChoice::Auto,
                LineEndingChoice::Lf,
                LineEndingChoice::CrLf,
            ]),
            keyword_case: *rng.pick(&[
                KeywordCase::Upper,
                KeywordCase::Lower,
                KeywordCase::Preserve,
            ]),
        };
        if !mif::Document::parse(&input).has_errors() {
            parsed += 1;
        }
        holds("roundtrip", round, &what, &input, || {
            properties::roundtrip(&input, &options)
        });
    }
    // Mutations that keep a file valid must be common, or this tests nothing.
    assert!(
        parsed > ROUNDS / 5,
        "only {parsed} of {ROUNDS} mutants parse"
    );
}

/// Pieces field values are made of: ordinary text, MIF syntax, quotes,
/// backslashes and Windows-1252's letters, which must all be written...
const PLAIN: &[&str] = &[
    "Contoso",
    "App 1.2",
    "\"",
    "\\",
    "\\\\server\\share",
    "END COMPONENT",
    "\" VALUE = \"",
    "// not a comment",
    " ",
    "é",
    "€",
    "Š",
    "ÿ",
    "x",
];

/// ...and control characters and characters Windows-1252 lacks, which are
/// refused or replaced.
const TROUBLE: &[&str] = &[
    "\t", "\n", "\r\n", "\0", "\u{7F}", "\u{81}", "日本", "😀", "\u{FEFF}",
];

fn field_value(rng: &mut Rng) -> String {
    let mut value = String::new();
    let most = if rng.chance(8) { 100 } else { 8 };
    let troubled = rng.chance(12);
    for _ in 0..rng.below(most) {
        let pieces = if troubled && rng.chance(3) {
            TROUBLE
        } else {
            PLAIN
        };
        value.push_str(rng.pick::<&str>(pieces));
    }
    value
}

#[test]
fn new_refuses_or_reads_back_the_same_values() {
    let mut rng = Rng(0x5EED_0003);
    let mut written = 0;
    for round in 0..ROUNDS {
        let input = NewInput {
            fields: std::array::from_fn(|_| field_value(&mut rng)),
            success: rng.chance(2),
            truncate: rng.chance(2),
            replace_unmappable: rng.chance(2),
            replace_control: rng.chance(2),
            force: rng.chance(4),
        };
        let what = format!("{input:?}");
        holds("new", round, &what, what.as_bytes(), || {
            written += usize::from(properties::new(&input));
        });
    }
    // Both answers must be common, or half the property goes untested.
    assert!(
        (ROUNDS / 5..ROUNDS * 4 / 5).contains(&written),
        "{written} of {ROUNDS} written"
    );
}
