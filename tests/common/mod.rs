//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod mutants;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mif::diagnostics::{render, snippet_text, RenderOptions};
use mif::{Diagnostic, Document};

/// `../shared/corpus` beside the repository, when present (CI has it; a
/// bare clone does not, and corpus tests then say so and pass).
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("expected.tsv").is_file().then_some(dir)
}

/// Corpus files with their expected verdict (`clean`, `warning`, `error`)
/// and the reason column of `expected.tsv`.
pub fn corpus() -> Vec<(PathBuf, String, String)> {
    let Some(dir) = corpus_dir() else {
        eprintln!("../shared/corpus not found: corpus tests skipped");
        return Vec::new();
    };
    let table = std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv readable");
    table
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let file = cols.next().unwrap_or_default();
            let verdict = cols.next().unwrap_or_default().to_string();
            let why = cols.next().unwrap_or_default().to_string();
            (dir.join(file), verdict, why)
        })
        .collect()
}

/// Every fixture file below `tests/fixtures`.
pub fn all_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture dir readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("mif"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Syntax and rule diagnostics, as `mif check` reports them for a file
/// without a name.
pub fn check(doc: &Document) -> Vec<Diagnostic> {
    mif::check(doc, &mif::CheckOptions::default())
}

/// Diagnostics rendered as a person sees them, without colour.
pub fn render_all(diagnostics: &[Diagnostic], name: &str, text: &str) -> String {
    let text = snippet_text(text);
    diagnostics
        .iter()
        .map(|d| {
            render(
                d,
                name,
                &text,
                RenderOptions {
                    color: false,
                    width: Some(100),
                },
            )
        })
        .collect()
}

/// insta settings that keep snapshots in the top-level `snapshots/` folder.
pub fn snapshot_settings(suite: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots")
            .join(suite),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The built `mif` binary with `NO_COLOR=1`, for runs that need more than
/// arguments and stdin (a working folder, an environment variable).
pub fn mif_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mif"));
    command.env("NO_COLOR", "1");
    command
}

/// Run the built `mif` with `args` and `stdin` (empty when `None`),
/// capturing stdout and stderr. Stdin is written from a thread, so a large
/// input cannot deadlock against the output, and a child that exits
/// before reading all of it (a broken pipe) is not a test failure.
pub fn run_mif(args: &[impl AsRef<OsStr>], stdin: Option<&[u8]>) -> Output {
    let mut child = mif_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mif starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().expect("mif runs");
    writer.join().expect("stdin writer finishes");
    output
}

/// `text` with Windows path separators written as `/`, so that a snapshot
/// of output naming relative paths is the same on every system.
pub fn with_slashes(text: &str) -> String {
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.to_string()
    }
}
