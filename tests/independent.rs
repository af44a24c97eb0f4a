//! `mif fmt` never changes meaning, as judged by an independent reader.
//!
//! The printer's own safety net re-reads its output with our lexer and
//! parser, so a lexer bug that misreads input and output alike passes it.
//! This test reads both with a second, deliberately separate reader written
//! from the MIF reference (`tests/independent/`), over every fixture, every
//! corpus file, a few thousand deterministic mutants of them and a few
//! thousand generated hostile documents, under the default options and
//! each knob. Inputs `mif` refuses, and inputs the reader cannot read, are
//! counted and skipped; run with `--nocapture` to see the counts.

mod common;
mod independent {
    pub mod decode;
    pub mod documents;
    pub mod mutants;
    pub mod reader;
}

use std::path::Path;

use independent::decode::Encoding;
use independent::mutants::{mutate, Rng};
use independent::reader::{meaning, Comment, Fact, Meaning, Value};
use mif::printer::{format_bytes, FormatOptions, Indent, KeywordCase, LineEndingChoice};

/// Mutants and generated documents checked; with seven option sets each
/// this stays well under a minute.
const MUTANTS: usize = 5000;
const DOCUMENTS: usize = 3000;

/// The canonical style and each knob turned once (indent and line ending
/// each to both of their extremes).
fn option_sets() -> Vec<(&'static str, FormatOptions)> {
    let default = FormatOptions::default();
    vec![
        ("default", default),
        (
            "--keyword-case lower",
            FormatOptions {
                keyword_case: KeywordCase::Lower,
                ..default
            },
        ),
        (
            "--keyword-case preserve",
            FormatOptions {
                keyword_case: KeywordCase::Preserve,
                ..default
            },
        ),
        (
            "--indent tab",
            FormatOptions {
                indent: Indent::Tab,
                ..default
            },
        ),
        (
            "--indent 0",
            FormatOptions {
                indent: Indent::Spaces(0),
                ..default
            },
        ),
        (
            "--line-ending crlf",
            FormatOptions {
                line_ending: LineEndingChoice::CrLf,
                ..default
            },
        ),
        (
            "--line-ending lf",
            FormatOptions {
                line_ending: LineEndingChoice::Lf,
                ..default
            },
        ),
    ]
}

/// What the run saw, for the closing report.
#[derive(Default, Debug)]
struct Tally {
    inputs: usize,
    /// `format_bytes` refused them (syntax errors and the like).
    refused: usize,
    /// Of those, the ones the independent reader can read: where `mif` is
    /// stricter than the reference (or the reader too lenient).
    refused_but_readable: usize,
    /// Formatted, but the independent reader cannot read the input.
    unreadable: usize,
    /// Formatted and read: meaning compared under every option set.
    compared: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Format `input` under every option set and compare meanings.
    fn check(&mut self, name: &str, input: &[u8]) {
        self.inputs += 1;
        let before = meaning(input);
        let mut formatted = false;
        for (label, options) in option_sets() {
            let Ok(output) = format_bytes(input, &options) else {
                continue;
            };
            formatted = true;
            if Encoding::of(&output) != Encoding::of(input) {
                self.fail(name, label, input, "the encoding or BOM changed".into());
            }
            let Ok(before) = &before else { continue };
            match meaning(&output) {
                Ok(after) => {
                    if let Some(difference) = first_difference(before, &after) {
                        self.fail(name, label, input, difference);
                    }
                }
                Err(why) => self.fail(name, label, input, format!("output unreadable: {why}")),
            }
        }
        match (formatted, &before) {
            (false, Err(_)) => self.refused += 1,
            (false, Ok(_)) => {
                self.refused += 1;
                self.refused_but_readable += 1;
            }
            (true, Err(_)) => self.unreadable += 1,
            (true, Ok(_)) => self.compared += 1,
        }
    }

    fn fail(&mut self, name: &str, label: &str, input: &[u8], why: String) {
        let saved = std::env::temp_dir().join(format!("mif-independent-{}.mif", self.inputs));
        let _ = std::fs::write(&saved, input);
        self.failures.push(format!(
            "{name} ({label}): {why}; input saved to {}",
            saved.display()
        ));
    }
}

/// The first fact or comment that differs, said plainly.
fn first_difference(before: &Meaning, after: &Meaning) -> Option<String> {
    if before.encoding != after.encoding {
        return Some(format!(
            "encoding {:?} became {:?}",
            before.encoding, after.encoding
        ));
    }
    let facts = before.facts.iter().map(Some).chain(std::iter::repeat(None));
    let new_facts = after.facts.iter().map(Some).chain(std::iter::repeat(None));
    let count = before.facts.len().max(after.facts.len());
    if let Some((a, b)) = facts.zip(new_facts).take(count).find(|(a, b)| a != b) {
        return Some(format!("fact {a:?} became {b:?}"));
    }
    (before.comments != after.comments)
        .then(|| format!("comments {:?} became {:?}", before.comments, after.comments))
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = common::all_fixtures();
    files.extend(common::corpus().into_iter().map(|(path, _, _)| path));
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
                .unwrap_or(&path)
                .display()
                .to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn formatting_keeps_the_meaning_an_independent_reader_sees() {
    let seeds = seeds();
    let mut files = Tally::default();
    for (name, bytes) in &seeds {
        files.check(name, bytes);
    }
    let seed_bytes: Vec<Vec<u8>> = seeds.into_iter().map(|(_, bytes)| bytes).collect();
    let mut mutants = Tally::default();
    let mut rng = Rng(0x1D3E_0001);
    for round in 0..MUTANTS {
        let (input, what) = mutate(&mut rng, &seed_bytes);
        mutants.check(&format!("mutant {round} ({what})"), &input);
    }
    let mut documents = Tally::default();
    let mut rng = Rng(0x1D3E_0002);
    for round in 0..DOCUMENTS {
        let input = independent::documents::document(&mut rng);
        documents.check(&format!("document {round}"), &input);
    }
    eprintln!("files:     {files:?}");
    eprintln!("mutants:   {mutants:?}");
    eprintln!("documents: {documents:?}");
    let failures: Vec<&String> = [&files, &mutants, &documents]
        .into_iter()
        .flat_map(|tally| &tally.failures)
        .collect();
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The comparison must have had something to compare.
    assert!(files.compared > 100 && mutants.compared > MUTANTS / 5);
    // Generated documents are valid MIF: `mif` must take every one.
    assert_eq!(documents.refused, 0, "valid documents refused");
    assert_eq!(documents.compared, DOCUMENTS);
}

// The reader itself, on the forms of mif-reference.md: a reader that saw
// no difference anywhere would pass the test above for nothing.

fn read(text: &str) -> Meaning {
    meaning(text.as_bytes()).unwrap_or_else(|why| panic!("{why}: {text}"))
}

/// The values of every `keyword = value` statement, in order.
fn values(meaning: &Meaning, wanted: &str) -> Vec<Value> {
    let mut values = Vec::new();
    for fact in &meaning.facts {
        if let Fact::Statement { keyword, value, .. } = fact {
            if keyword == wanted {
                values.push(value.clone());
            }
        }
    }
    values
}

/// A text as a file in UTF-16 with a byte-order mark.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let units = text.encode_utf16();
    if big_endian {
        [0xFE, 0xFF]
            .into_iter()
            .chain(units.flat_map(u16::to_be_bytes))
            .collect()
    } else {
        [0xFF, 0xFE]
            .into_iter()
            .chain(units.flat_map(u16::to_le_bytes))
            .collect()
    }
}

#[test]
fn the_reader_decodes_the_reference_forms() {
    let m = read(concat!(
        "//Architecture<X>  \n",
        "language = \"en|US|iso8859-1\"\n",
        "start component name = \"a\\\"b\\\\c\\x41\\101\\q\\t\" // between\n \"d\"\n",
        "  start path name = \"p\" win32 = direct-interface end path\n",
        "  start group name = \"g\" class = \"c\" key = 1, 0x2, 03\n",
        "    start attribute id = 1 type = string(0x40) value = * \"p\" end attribute\n",
        "    start attribute id = 2 type = start enum -1 = \"minus\" end enum value = -0x10 end attribute\n",
        "  end group\n",
        "  start table { , \"x\" \"y\", 7 } end table\n",
    ));
    assert_eq!(values(&m, "NAME")[0], Value::Str("a\"b\\cAAq\td".into()));
    assert_eq!(
        values(&m, "WIN32"),
        [Value::Word("DIRECT-INTERFACE".into())]
    );
    assert_eq!(
        values(&m, "KEY"),
        [Value::List(vec![
            Value::Int(1),
            Value::Int(2),
            Value::Int(3)
        ])]
    );
    assert_eq!(
        values(&m, "TYPE"),
        [Value::Sized("STRING".into(), 64), Value::InlineBlock]
    );
    assert_eq!(
        values(&m, "VALUE"),
        [Value::Overlay("p".into()), Value::Int(-16)]
    );
    assert!(m.facts.contains(&Fact::EnumItem {
        path: "COMPONENT 1/GROUP 2/ATTRIBUTE 2/ENUM 1".into(),
        value: -1,
        text: Value::Str("minus".into()),
    }));
    assert!(m.facts.contains(&Fact::Row {
        path: "COMPONENT 1/TABLE 3".into(),
        cells: vec![Value::Empty, Value::Str("xy".into()), Value::Int(7)],
    }));
    assert_eq!(
        m.comments,
        [
            Comment {
                text: "//Architecture<X>".into(),
                leading: true
            },
            Comment {
                text: "// between".into(),
                leading: false
            }
        ]
    );
    // Unclosed blocks at the end are accepted (a missing END COMPONENT).
    assert_eq!(
        m.facts.last(),
        Some(&Fact::End {
            path: "COMPONENT 1/TABLE 3".into()
        })
    );
}

#[test]
fn layout_case_and_spelling_are_not_meaning() {
    let a = read("START COMPONENT\n  NAME = \"AB\"\n  ID = 16 // c\nEND COMPONENT\n");
    let b =
        read("start component\r\nname=\"A\" // x\r\n\"\\x42\" id =\t0x10 // c\r\nEnd Component");
    assert_eq!(a.facts, b.facts);
    let c = read("start component name = \"\\101\\102\" id = 020 end component // c");
    assert_eq!(a.facts, c.facts);
}

#[test]
fn changed_values_comments_and_encodings_are_meaning() {
    let base = "START COMPONENT NAME = \"a\\qb\" END COMPONENT // c\n";
    let changed = [
        "START COMPONENT NAME = \"a\\\\qb\" END COMPONENT // c\n",
        "START COMPONENT NAME = \"a\\qb // c\" END COMPONENT\n",
        "START COMPONENT NAME = \"a\\qb\" END COMPONENT //c\n",
        "START COMPONENT NAME = \"a\\qb\" END COMPONENT // c\rEND COMPONENT\n",
        "START COMPONENT NAME = \"a\\qb\"\nEND COMPONENT\n// c\n START COMPONENT",
    ];
    let base_meaning = meaning(base.as_bytes());
    for text in changed {
        assert_ne!(meaning(text.as_bytes()), base_meaning, "{text}");
    }
    let rows = [
        "START TABLE {1,,2} END TABLE",
        "START TABLE {1,2} END TABLE",
    ];
    assert_ne!(read(rows[0]), read(rows[1]));
    // The same text in another encoding is another file.
    let little = meaning(&utf16("START COMPONENT", false)).expect("UTF-16LE");
    let big = meaning(&utf16("START COMPONENT", true)).expect("UTF-16BE");
    assert_eq!(little.facts, big.facts);
    assert_ne!(little, big);
}

#[test]
fn what_the_reference_calls_errors_is_unreadable() {
    for text in [
        "START COMPONENT NAME = \"\\x\" END COMPONENT",
        "START COMPONENT NAME = \"\\400\" END COMPONENT",
        "START COMPONENT NAME = \"open END COMPONENT",
        "START COMPONENT ID = 08 END COMPONENT",
        "START COMPONENT ID = 12ab END COMPONENT",
        "START COMPONENT ID = 1 END GROUP",
        "START PATH END PATHX",
        "START COMPONENT NAME = \"a\" # END COMPONENT",
        "START COMPONENT NAME = \"a\" END\u{C}COMPONENT",
        "START COMPONENT NAME = \"a\x1A\" END COMPONENT",
    ] {
        assert!(meaning(text.as_bytes()).is_err(), "{text}");
    }
    // The old spelling PATHS is PATH.
    assert_eq!(
        read("START PATHS END PATH").facts,
        read("start path end paths").facts
    );
    // In a Unicode file octal escapes go up to six digits.
    let wide = utf16("START COMPONENT NAME = \"\\400\"", true);
    let read = meaning(&wide).expect("a Unicode file");
    assert_eq!(values(&read, "NAME"), [Value::Str("\u{100}".into())]);
}
