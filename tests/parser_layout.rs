//! The parser reads a text by its meaningful tokens (words whatever their
//! case) and by which of them a line break comes before, and by nothing
//! else of its layout. The formatter's safety net leans on that: it skips
//! parsing its output when the output has the input's tokens with line
//! breaks before the same ones (`printer::output_parses_unless_same`).
//!
//! Every fixture and corpus file, and mutants of them (broken ones too,
//! whose errors must not move either), is laid out again without moving a
//! line break from one token to another: other blanks, other line endings,
//! more blank lines, other word case, blanks and line breaks before the
//! first token. The new text must read as the same tree with the same
//! errors.

mod common;

use common::mutants::{duplicate_line, flip_bits, splice, truncate, Rng};
use mif::lexer::{lex, TokenKind};
use mif::{Document, Source};

/// Mutants on top of the seeds; a few seconds in all.
const MUTANTS: usize = 3000;

#[test]
fn layout_that_keeps_the_line_breaks_never_changes_what_the_parser_reads() {
    let seeds = seeds();
    assert!(seeds.len() > 50, "too few seeds: {}", seeds.len());
    let mut rng = Rng(0x1a_2b_3c);
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, bytes) in &seeds {
        for round in 0..3 {
            compared += compare(
                &mut rng,
                &format!("{name} (layout {round})"),
                bytes,
                &mut failures,
            );
        }
    }
    let all: Vec<Vec<u8>> = seeds.iter().map(|(_, bytes)| bytes.clone()).collect();
    for round in 0..MUTANTS {
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let mut mutant = bytes.clone();
        let step = match rng.below(4) {
            0 => flip_bits(&mut rng, &mut mutant),
            1 => truncate(&mut rng, &mut mutant),
            2 => {
                let other = &all[rng.below(all.len())];
                splice(&mut rng, &mut mutant, other)
            }
            _ => duplicate_line(&mut rng, &mut mutant),
        };
        let label = format!("{name}, mutant {round} ({step})");
        compared += compare(&mut rng, &label, &mutant, &mut failures);
    }
    assert!(compared > 2000, "too few texts compared: {compared}");
    assert!(
        failures.is_empty(),
        "{} of {compared} texts read differently once laid out again:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

/// Lay `bytes` out again and compare how both read; 0 when the text does
/// not decode cleanly (its decoding errors are not the parser's business).
fn compare(rng: &mut Rng, name: &str, bytes: &[u8], failures: &mut Vec<String>) -> usize {
    let source = Source::decode(bytes);
    if !source.decode_errors.is_empty() {
        return 0;
    }
    let relaid = relayout(rng, &source.text);
    let before = reading(&source.text, source.encoding);
    let after = reading(&relaid, source.encoding);
    if before != after {
        failures.push(format!(
            "{name}:\n--- text\n{}\n--- laid out again\n{}\n--- read\n{before}\n--- now read\n{after}",
            source.text, relaid
        ));
    }
    1
}

/// The tree outline (case aside, and skipped regions without their text,
/// which keeps its blanks) and the errors' codes.
fn reading(text: &str, encoding: mif::Encoding) -> String {
    let doc = Document::from_source(Source::from_text(text.to_string(), encoding));
    let outline: String = doc
        .dump()
        .lines()
        .skip(1)
        .map(|line| match line.trim_start().starts_with("error ") {
            true => "error\n".to_string(),
            false => line.to_ascii_uppercase() + "\n",
        })
        .collect();
    let errors: Vec<&str> = doc
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    format!("{outline}errors: {errors:?}")
}

/// The same tokens with line breaks before the same ones, laid out anew.
fn relayout(rng: &mut Rng, text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for _ in 0..rng.below(3) {
        out.push_str(rng.pick::<&str>(&["\n", "\r\n", " ", "\t", "\n\n"]));
    }
    for token in lex(text) {
        let spelling = token.text(text);
        match token.kind {
            TokenKind::Whitespace => {
                for _ in 0..=rng.below(3) {
                    out.push(*rng.pick(&[' ', '\t']));
                }
            }
            TokenKind::Newline => {
                for _ in 0..=usize::from(rng.chance(4)) {
                    out.push_str(rng.pick::<&str>(&["\n", "\r\n"]));
                }
            }
            TokenKind::Word => out.extend(spelling.chars().map(|c| {
                if rng.chance(2) {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })),
            _ => out.push_str(spelling),
        }
    }
    out
}

/// Every fixture and every corpus file, named.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut files = common::all_fixtures();
    files.extend(common::corpus().into_iter().map(|(path, _, _)| path));
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path.display().to_string(), bytes)
        })
        .collect()
}
