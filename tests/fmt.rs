//! `mif fmt`: fixtures, the corpus, random documents and the command line.

mod common;
mod properties;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use mif::lexer::TokenKind;
use mif::printer::{
    format_bytes, FormatError, FormatOptions, Indent, KeywordCase, LineEndingChoice,
};
use mif::{Document, Source};
use proptest::prelude::*;

/// Formatted bytes as a readable snapshot: encoding and line ending first,
/// then the text (CRLF shown as a plain line break, 0x1A as `<0x1A>`).
fn show(bytes: &[u8]) -> String {
    let source = Source::decode(bytes);
    format!(
        "encoding: {}, line ending: {:?}\n---\n{}",
        source.encoding,
        source.line_ending,
        source.text.replace("\r\n", "\n").replace('\x1A', "<0x1A>")
    )
}

/// What every formatting result must satisfy: idempotent, same meaning,
/// same comments, same encoding and BOM, one line-ending style.
fn assert_sound(name: &str, input: &[u8], output: &[u8], options: &FormatOptions) {
    let roundtrip = std::panic::catch_unwind(|| properties::roundtrip(input, options));
    if let Err(why) = roundtrip {
        let why = why
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| why.downcast_ref::<&str>().map(|s| s.to_string()));
        panic!("{name}: {}", why.unwrap_or_default());
    }
    let before = Document::parse(input);
    let after = Document::parse(output);
    assert!(
        output.starts_with(before.source.encoding.bom()),
        "{name}: BOM"
    );
    let first_newline = |doc: &Document| {
        doc.tokens
            .iter()
            .find(|t| t.kind == TokenKind::Newline)
            .map(|t| t.text(doc.text()).to_string())
    };
    let expected = match options.line_ending {
        LineEndingChoice::Auto => first_newline(&before).unwrap_or_else(|| "\n".into()),
        LineEndingChoice::Lf => "\n".into(),
        LineEndingChoice::CrLf => "\r\n".into(),
    };
    if !before.text().contains("mif-fmt:") {
        for token in after.tokens.iter().filter(|t| t.kind == TokenKind::Newline) {
            assert_eq!(token.text(after.text()), expected, "{name}: line ending");
        }
    }
    let text = after.text().trim_end_matches('\x1A');
    assert!(text.ends_with(&expected), "{name}: no final line ending");
    assert!(
        !text.ends_with(&format!("{expected}{expected}")),
        "{name}: blank line at the end"
    );
}

#[test]
fn fixtures_format_to_their_snapshots() {
    common::snapshot_settings("fmt").bind(|| {
        insta::glob!("fixtures/fmt/*.mif", |path| {
            let input = std::fs::read(path).unwrap();
            let options = FormatOptions::default();
            let output = format_bytes(&input, &options).unwrap();
            assert_sound(&path.display().to_string(), &input, &output, &options);
            insta::assert_snapshot!(show(&output));
        });
    });
}

#[test]
fn already_formatted_files_are_unchanged() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/already-formatted.mif");
    let input = std::fs::read(path).unwrap();
    assert_eq!(
        format_bytes(&input, &FormatOptions::default()).unwrap(),
        input
    );
}

#[test]
fn options_change_indent_line_endings_and_keyword_case() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/enums.mif");
    let input = std::fs::read(path).unwrap();
    let variants = [
        (
            "tab-lower-crlf",
            FormatOptions {
                indent: Indent::Tab,
                line_ending: LineEndingChoice::CrLf,
                keyword_case: KeywordCase::Lower,
            },
        ),
        (
            "two-spaces-preserve-lf",
            FormatOptions {
                indent: Indent::Spaces(2),
                line_ending: LineEndingChoice::Lf,
                keyword_case: KeywordCase::Preserve,
            },
        ),
    ];
    common::snapshot_settings("fmt").bind(|| {
        for (name, options) in variants {
            let output = format_bytes(&input, &options).unwrap();
            assert_sound(name, &input, &output, &options);
            let crlf = output.windows(2).filter(|w| w == b"\r\n").count();
            let lf = output.iter().filter(|&&b| b == b'\n').count();
            match options.line_ending {
                LineEndingChoice::CrLf => assert_eq!(crlf, lf, "{name}"),
                _ => assert_eq!(crlf, 0, "{name}"),
            }
            insta::assert_snapshot!(name, show(&output));
        }
    });
}

#[test]
fn crlf_input_can_be_converted_without_touching_multi_line_strings() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fmt/multiline-string.mif");
    let input = std::fs::read(path).unwrap();
    let options = FormatOptions {
        line_ending: LineEndingChoice::Lf,
        ..FormatOptions::default()
    };
    let output = String::from_utf8(format_bytes(&input, &options).unwrap()).unwrap();
    assert!(output.contains("VALUE = \"first line   \r\nsecond line\nthird\"\n"));
    assert_eq!(
        output.matches("\r\n").count(),
        1,
        "only the one inside the string"
    );
}

#[test]
fn corpus_files_format_soundly_and_broken_ones_are_refused() {
    let corpus = common::corpus();
    let options = FormatOptions::default();
    let (mut formatted, mut changed, mut refused) = (0, 0, 0);
    for (path, verdict, why) in &corpus {
        let name = path.display().to_string();
        let input = std::fs::read(path).unwrap();
        match format_bytes(&input, &options) {
            Ok(output) => {
                assert_ne!(verdict, "error", "{name} should be refused: {why}");
                assert_sound(&name, &input, &output, &options);
                formatted += 1;
                changed += usize::from(output != input);
            }
            Err(FormatError::Syntax(diagnostics)) => {
                assert_eq!(verdict, "error", "{name} should format: {diagnostics:#?}");
                assert!(diagnostics.iter().any(|d| d.is_error()));
                refused += 1;
            }
            Err(other) => panic!("{name}: {other}"),
        }
    }
    eprintln!(
        "corpus: {formatted} formatted ({changed} changed), all idempotent with unchanged \
         meaning and comments; {refused} refused"
    );
}

#[test]
fn corpus_files_with_errors_are_left_untouched_by_the_command() {
    let dir = tempfile::tempdir().unwrap();
    for (path, verdict, _) in common::corpus() {
        if verdict != "error" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let copy = dir.path().join(path.file_name().unwrap());
        std::fs::write(&copy, &bytes).unwrap();
        let out = common::run_mif(&[OsStr::new("fmt"), copy.as_os_str()], None);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read(&copy).unwrap(), bytes, "{}", path.display());
        let out = common::run_mif(&["fmt"], Some(&bytes));
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(out.stdout.is_empty(), "nothing on stdout for a broken file");
    }
}

// ---- random documents ----------------------------------------------------

#[derive(Debug, Clone)]
enum CellValue {
    Int(u32),
    Text(String),
}

#[derive(Debug, Clone)]
struct Attribute {
    name: String,
    id: u32,
    value: CellValue,
}

#[derive(Debug, Clone)]
struct Group {
    name: String,
    id: u32,
    attributes: Vec<Attribute>,
    rows: Vec<Vec<Option<u32>>>,
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 |.]{0,10}"
}

fn attribute() -> impl Strategy<Value = Attribute> {
    (
        text(),
        1..50u32,
        prop_oneof![
            (0..5000u32).prop_map(CellValue::Int),
            text().prop_map(CellValue::Text)
        ],
    )
        .prop_map(|(name, id, value)| Attribute { name, id, value })
}

fn group() -> impl Strategy<Value = Group> {
    (
        text(),
        1..50u32,
        prop::collection::vec(attribute(), 0..4),
        prop::collection::vec(
            prop::collection::vec(prop::option::of(0..99u32), 1..4),
            0..3,
        ),
    )
        .prop_map(|(name, id, attributes, rows)| Group {
            name,
            id,
            attributes,
            rows,
        })
}

/// Writes a document with layout chosen by a stream of random bytes.
struct Messy {
    noise: Vec<u8>,
    at: usize,
    newline: &'static str,
    out: String,
}

impl Messy {
    fn pick(&mut self, n: u8) -> u8 {
        let b = self.noise[self.at % self.noise.len()];
        self.at += 1;
        b % n
    }

    fn keyword(&mut self, word: &str) {
        let spelled = match self.pick(3) {
            0 => word.to_ascii_uppercase(),
            1 => word.to_ascii_lowercase(),
            _ => word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect(),
        };
        self.out.push_str(&spelled);
    }

    /// Space where the grammar needs at least one blank.
    fn gap(&mut self) {
        let gap = [" ", "\t", "   ", " \t "][usize::from(self.pick(4))];
        self.out.push_str(gap);
    }

    /// Space where none is needed.
    fn optional_gap(&mut self) {
        if self.pick(2) == 0 {
            self.gap();
        }
    }

    /// Between statements: a line break, blank lines, a comment, or just a blank.
    fn separator(&mut self) {
        match self.pick(6) {
            0 => self.gap(),
            1 => {
                let n = self.pick(200);
                self.optional_gap();
                self.out.push_str(&format!("// note {n}  "));
                self.out.push_str(self.newline);
            }
            2 => {
                self.out.push_str(self.newline);
                self.out.push_str(self.newline);
                self.out.push_str(self.newline);
            }
            3 => {
                self.out.push_str(self.newline);
                self.gap();
                let n = self.pick(200);
                self.out.push_str(&format!("//own line {n}"));
                self.out.push_str(self.newline);
            }
            _ => self.out.push_str(self.newline),
        }
        self.optional_gap();
    }

    fn statement(&mut self, keyword: &str, value: &str) {
        self.keyword(keyword);
        self.optional_gap();
        self.out.push('=');
        self.optional_gap();
        self.out.push_str(value);
        self.separator();
    }

    fn start(&mut self, kind: &str) {
        self.keyword("START");
        self.gap();
        self.keyword(kind);
        self.separator();
    }

    fn end(&mut self, kind: &str) {
        self.keyword("END");
        self.gap();
        self.keyword(kind);
        self.separator();
    }

    fn integer(&mut self, n: u32) -> String {
        match self.pick(3) {
            0 => format!("{n:#x}"),
            1 if n > 0 => format!("0{n:o}"),
            _ => n.to_string(),
        }
    }
}

fn messy_document(name: &str, groups: &[Group], noise: Vec<u8>, crlf: bool) -> String {
    let mut w = Messy {
        noise,
        at: 0,
        newline: if crlf { "\r\n" } else { "\n" },
        out: String::new(),
    };
    w.start("COMPONENT");
    w.statement("NAME", &format!("\"{name}\""));
    for group in groups {
        w.start("GROUP");
        w.statement("NAME", &format!("\"{}\"", group.name));
        let id = w.integer(group.id);
        w.statement("ID", &id);
        w.statement("CLASS", "\"Acme|Random|1.0\"");
        for attribute in &group.attributes {
            w.start("ATTRIBUTE");
            w.statement("NAME", &format!("\"{}\"", attribute.name));
            let id = w.integer(attribute.id);
            w.statement("ID", &id);
            match &attribute.value {
                CellValue::Int(n) => {
                    w.statement("TYPE", "INTEGER");
                    let value = w.integer(*n);
                    w.statement("VALUE", &value);
                }
                CellValue::Text(text) => {
                    w.keyword("TYPE");
                    w.out.push_str(" = ");
                    w.keyword("STRING");
                    w.optional_gap();
                    w.out.push_str("(64)");
                    w.separator();
                    let (left, right) = text.split_at(text.len() / 2);
                    let value = if w.pick(2) == 0 {
                        format!("\"{text}\"")
                    } else {
                        format!("\"{left}\"{}\"{right}\"", w.newline)
                    };
                    w.statement("VALUE", &value);
                }
            }
            w.end("ATTRIBUTE");
        }
        w.end("GROUP");
        if !group.rows.is_empty() {
            w.start("TABLE");
            w.statement("NAME", "\"Rows\"");
            w.statement("CLASS", "\"Acme|Random|1.0\"");
            for row in &group.rows {
                w.out.push('{');
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        w.optional_gap();
                        w.out.push(',');
                        if w.pick(4) == 0 {
                            w.out.push_str(" // in a row");
                            w.out.push_str(w.newline);
                        }
                    }
                    w.optional_gap();
                    if let Some(n) = cell {
                        let n = w.integer(*n);
                        w.out.push_str(&n);
                    }
                }
                w.optional_gap();
                w.out.push('}');
                w.separator();
            }
            w.end("TABLE");
        }
    }
    w.end("COMPONENT");
    w.out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_documents_keep_meaning_and_comments_and_are_idempotent(
        name in text(),
        groups in prop::collection::vec(group(), 0..4),
        noise in prop::collection::vec(any::<u8>(), 1..64),
        crlf in any::<bool>(),
        tab in any::<bool>(),
    ) {
        let input = messy_document(&name, &groups, noise, crlf);
        let options = FormatOptions {
            indent: if tab { Indent::Tab } else { Indent::Spaces(4) },
            ..FormatOptions::default()
        };
        let doc = Document::parse(input.as_bytes());
        prop_assert!(!doc.has_errors(), "generator made a broken file:\n{input}\n{:#?}", doc.diagnostics);
        let output = format_bytes(input.as_bytes(), &options);
        prop_assert!(output.is_ok(), "{input}\n{:?}", output.err().map(|e| e.to_string()));
        assert_sound(&input, input.as_bytes(), &output.unwrap(), &options);
    }
}

// ---- the command line ----------------------------------------------------

const MESSY: &str = "start component\n name=\"x\"\nend component\n";
const TIDY: &str = "START COMPONENT\n    NAME = \"x\"\nEND COMPONENT\n";
const BROKEN: &str = "start component\n name = x y\nend component\n";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary folder with the given files.
fn folder(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let out = common::run_mif(&["fmt"], Some(MESSY.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), TIDY);
    let out = common::run_mif(&["fmt", "-"], Some(TIDY.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), TIDY);
    assert!(
        out.stderr.is_empty(),
        "no summary for stdin: {}",
        stderr(&out)
    );
}

#[test]
fn stdin_with_errors_prints_nothing_on_stdout() {
    let out = common::run_mif(
        &["fmt", "--stdin-filepath", "editor/buffer.mif"],
        Some(BROKEN.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("mif::unquoted-string"), "{err}");
    assert!(err.contains("editor/buffer.mif"), "{err}");
    assert!(err.contains("not formatted"), "{err}");
}

#[test]
fn stdin_check_answers_with_the_exit_code() {
    let out = common::run_mif(&["fmt", "--check"], Some(MESSY.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let out = common::run_mif(&["fmt", "--check"], Some(TIDY.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn files_are_formatted_in_place_and_unchanged_ones_are_not_written() {
    let (dir, paths) = folder(&[("a.mif", MESSY), ("b.mif", TIDY), ("notes.txt", MESSY)]);
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&paths[1]).unwrap().ino()
    };
    let mtime = std::fs::metadata(&paths[1]).unwrap().modified().unwrap();
    let out = common::run_mif(&["fmt", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("1 file reformatted, 1 unchanged"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), TIDY);
    assert_eq!(
        std::fs::read_to_string(&paths[2]).unwrap(),
        MESSY,
        "not a .mif"
    );
    let metadata = std::fs::metadata(&paths[1]).unwrap();
    assert_eq!(metadata.modified().unwrap(), mtime);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(metadata.ino(), inode, "unchanged file not replaced");
    }
}

#[test]
fn check_lists_files_that_would_change_and_writes_nothing() {
    let (_dir, paths) = folder(&[("a.mif", MESSY), ("b.mif", TIDY)]);
    let args: Vec<&str> = ["fmt", "--check"]
        .into_iter()
        .chain(paths.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = common::run_mif(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\n", paths[0].display())
    );
    assert!(stderr(&out).contains("1 file would be reformatted, 1 unchanged"));
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), MESSY);
    let out = common::run_mif(&["fmt", "--check", paths[1].to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_shows_a_plain_unified_diff_without_a_terminal() {
    let (_dir, paths) = folder(&[("a.mif", MESSY)]);
    let out = common::run_mif(&["fmt", "--diff", paths[0].to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("@@"), "{diff}");
    assert!(diff.contains("-start component\n"), "{diff}");
    assert!(diff.contains("+START COMPONENT\n"), "{diff}");
    assert!(!diff.contains('\x1b'), "no colour when not on a terminal");
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), MESSY);
    let out = common::run_mif(
        &[
            "fmt",
            "--diff",
            "--line-ending",
            "crlf",
            "--stdin-filepath",
            "t.mif",
        ],
        Some(TIDY.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "t.mif: only the line endings would change\n"
    );
    let out = common::run_mif(
        &["fmt", "--diff", "--color", "always"],
        Some(MESSY.as_bytes()),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b[32m+START COMPONENT"));
}

#[test]
fn json_reports_one_object_per_file() {
    let (dir, paths) = folder(&[("a.mif", MESSY), ("b.mif", TIDY), ("c.mif", BROKEN)]);
    let out = common::run_mif(
        &[
            "fmt",
            "--check",
            "--format",
            "json",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "a file does not parse");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let result = |i: usize| results[i]["result"].as_str().unwrap();
    assert_eq!(results.len(), 3, "{stdout}");
    assert_eq!(results[0]["path"], paths[0].to_str().unwrap());
    assert_eq!(
        [result(0), result(1), result(2)],
        ["would-reformat", "unchanged", "not-formatted"]
    );
    assert_eq!(results[2]["diagnostics"][0]["code"], "mif::unquoted-string");
    assert_eq!(results[2]["diagnostics"][0]["line"], 2);
    assert!(stderr(&out).contains("1 not formatted (errors in the JSON)"));
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), MESSY);

    let out = common::run_mif(
        &["fmt", "--format", "json", paths[0].to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["result"], "reformatted");
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), TIDY);

    let out = common::run_mif(
        &["fmt", "--diff", "--format", "json", "-"],
        Some(MESSY.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["path"], "<stdin>");
    assert!(value["diff"]
        .as_str()
        .unwrap()
        .contains("+START COMPONENT\n"));

    // Formatting stdin to stdout leaves no room for JSON: a usage error.
    let out = common::run_mif(&["fmt", "--format", "json"], Some(MESSY.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("add --check or --diff"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_file_is_left_alone_and_the_others_are_formatted() {
    let (dir, paths) = folder(&[("a.mif", MESSY), ("broken.mif", BROKEN)]);
    let out = common::run_mif(&["fmt", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), TIDY);
    assert_eq!(std::fs::read_to_string(&paths[1]).unwrap(), BROKEN);
    let err = stderr(&out);
    assert!(err.contains("broken.mif not formatted"), "{err}");
    assert!(
        err.contains("1 file reformatted, 0 unchanged, 1 not formatted"),
        "{err}"
    );
}

// Unix only: mode bits, and Wine 8 cannot make symbolic links (on Windows
// a replaced file gets its folder's security; see docs/security.md).
#[cfg(unix)]
#[test]
fn permissions_and_symlinks_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, paths) = folder(&[("real.mif", MESSY)]);
    std::fs::set_permissions(&paths[0], std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.mif");
    std::os::unix::fs::symlink("real.mif", &link).unwrap();
    let out = common::run_mif(&["fmt", link.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), TIDY);
    let mode = std::fs::metadata(&paths[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

// Unix only: mode 0444 and /dev/null; the Windows read-only refusal is
// the same code path (src/write), and a file held open is tested in
// tests/faults.rs.
#[cfg(unix)]
#[test]
fn read_only_and_special_files_get_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, paths) = folder(&[("ro.mif", MESSY)]);
    std::fs::set_permissions(&paths[0], std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = common::run_mif(&["fmt", paths[0].to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), MESSY);
    let out = common::run_mif(&["fmt", "/dev/null"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = common::run_mif(&["fmt", "--indent", "many"], Some(TIDY.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let out = common::run_mif(&["fmt", "/no/such/file.mif"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
}

#[test]
fn options_reach_the_printer() {
    let out = common::run_mif(
        &[
            "fmt",
            "--indent",
            "tab",
            "--keyword-case",
            "lower",
            "--line-ending",
            "crlf",
        ],
        Some(MESSY.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "start component\r\n\tname = \"x\"\r\nend component\r\n"
    );
}

/// Insertions that keep a file lexically sane: blanks, line breaks, comments.
const INSERTIONS: &[&str] = &[
    " ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "// x\n",
    " // mif-fmt: off\n",
    "\n// mif-fmt: on\n",
    "\n// mif-fmt: off\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random trivia and deletions in real files: whenever the result still
    /// parses cleanly, formatting must succeed (the safety net must never fire).
    #[test]
    fn mutated_fixtures_that_parse_always_format(
        file in 0usize..100,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..INSERTIONS.len() + 1), 1..6),
        tab in any::<bool>(),
        line_ending in prop::sample::select(vec![LineEndingChoice::Auto, LineEndingChoice::Lf, LineEndingChoice::CrLf]),
        keyword_case in prop::sample::select(vec![KeywordCase::Upper, KeywordCase::Lower, KeywordCase::Preserve]),
    ) {
        let options = FormatOptions {
            indent: if tab { Indent::Tab } else { Indent::Spaces(2) },
            line_ending,
            keyword_case,
        };
        let fixtures: Vec<PathBuf> = common::all_fixtures()
            .into_iter()
            .filter(|p| p.components().any(|c| c.as_os_str() == "fmt" || c.as_os_str() == "ok"))
            .collect();
        let path = &fixtures[file % fixtures.len()];
        let source = Source::decode(&std::fs::read(path).unwrap());
        let mut text = source.text.clone();
        for (at, what) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match INSERTIONS.get(what) {
                Some(insert) => text.insert_str(i, insert),
                None => {
                    let end = text[i..].char_indices().nth(1).map_or(text.len(), |(j, _)| i + j);
                    text.replace_range(i..end, "");
                }
            }
        }
        let Ok(bytes) = source.encode(&text) else { return Ok(()) };
        if Document::parse(&bytes).has_errors() {
            return Ok(());
        }
        match format_bytes(&bytes, &options) {
            Ok(output) => assert_sound(&text, &bytes, &output, &options),
            Err(error) => prop_assert!(false, "{error}\n--- input:\n{text}"),
        }
    }
}
