//! Diagnostics in the forms people and CI systems read: `human` (the
//! source snippet, on stderr), `json` (one object per line), `github`
//! (GitHub Actions workflow commands) and `short` (`path:line:col:
//! severity[code] message`, for grep and editors' quickfix lists), the
//! last three on stdout. A file that could not be read is reported in the
//! same form, so a program reading the output never misses it.

use std::fmt::Write as _;

use mif::diagnostics::{render, snippet_text, JsonDiagnostic, RenderOptions};
use mif::span::LineIndex;
use mif::{Diagnostic, Severity};

/// How findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: each finding with its source line and help, on stderr.
    Human,
    /// One JSON object per line on stdout, for programs.
    Json,
    /// GitHub Actions annotations (`::error file=...`) on stdout.
    Github,
    /// One line per finding on stdout: `path:line:col: severity[code] message`.
    Short,
}

/// What reporting one file produced, kept until it is its turn to print
/// (files are checked in parallel, reported in order).
#[derive(Debug, Default)]
pub struct Output {
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
}

impl Output {
    /// Print it; a closed pipe ends the printing quietly.
    pub fn print(&self) {
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(self.stdout.as_bytes());
        let _ = std::io::stderr().lock().write_all(self.stderr.as_bytes());
    }
}

/// Most findings shown with their snippet per file: each shows its source
/// line, so a small hostile file (thousands of findings on one 64 KB line)
/// would otherwise print hundreds of megabytes.
const MAX_SHOWN: usize = mif::syntax::MAX_ERRORS;

/// The findings of one file in `format`; `text` is the decoded text they
/// point into.
pub fn findings(
    format: Format,
    name: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    color: bool,
) -> Output {
    let mut out = Output::default();
    match format {
        Format::Human => {
            let shown = snippet_text(text);
            let count = diagnostics.len().min(MAX_SHOWN);
            for d in &diagnostics[..count] {
                out.stderr.push_str(&render(
                    d,
                    name,
                    &shown,
                    RenderOptions { color, width: None },
                ));
            }
            if diagnostics.len() > count {
                let _ = writeln!(
                    out.stderr,
                    "{name}: {} more diagnostics not shown; --format json lists them all",
                    diagnostics.len() - count
                );
            }
        }
        Format::Json => {
            let index = LineIndex::new(text);
            for d in diagnostics {
                let json = JsonDiagnostic::new(d, name, &index);
                if let Ok(line) = serde_json::to_string(&json) {
                    out.stdout.push_str(&line);
                    out.stdout.push('\n');
                }
            }
        }
        Format::Github => {
            let index = LineIndex::new(text);
            for d in diagnostics {
                let (line, col) = index.line_col(d.span.start);
                let (end_line, end_col) = index.line_col(d.span.end);
                let _ = writeln!(
                    out.stdout,
                    "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                    github_level(d.severity),
                    property(name),
                    property(d.code),
                    github_message(d)
                );
            }
        }
        Format::Short => {
            let index = LineIndex::new(text);
            for d in diagnostics {
                let (line, col) = index.line_col(d.span.start);
                let _ = writeln!(
                    out.stdout,
                    "{name}:{line}:{col}: {}[{}] {}",
                    d.severity,
                    d.code,
                    one_line(&d.message)
                );
            }
        }
    }
    out
}

/// A file (or standard input, `name` `None`) that could not be read or
/// handled at all, in `format`.
pub fn fatal(format: Format, name: Option<&str>, message: &str) -> Output {
    let mut out = Output::default();
    match format {
        Format::Human => {
            let _ = writeln!(out.stderr, "error: {message}");
        }
        Format::Json => {
            let json = serde_json::json!({
                "path": name,
                "severity": "fatal",
                "message": message,
            });
            let _ = writeln!(out.stdout, "{json}");
        }
        Format::Github => {
            let file = name
                .map(|n| format!(" file={}", property(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out.stdout,
                "::error{file},title=mif::{}",
                escape_data(message)
            );
        }
        Format::Short => {
            let _ = writeln!(
                out.stdout,
                "{}: fatal: {}",
                name.unwrap_or("mif"),
                one_line(message)
            );
        }
    }
    out
}

/// A line about a whole file that is no diagnostic (a file that would be
/// reformatted, a status verdict): an annotation for GitHub, `name:
/// message` otherwise.
pub fn file_line(
    format: Format,
    name: &str,
    severity: Severity,
    title: &str,
    message: &str,
) -> String {
    match format {
        Format::Github => format!(
            "::{} file={},title={}::{}\n",
            github_level(severity),
            property(name),
            property(title),
            escape_data(message)
        ),
        _ => format!("{name}: {}\n", one_line(message)),
    }
}

fn github_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The message of an annotation: the finding, and its help on a new line.
fn github_message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    escape_data(&text)
}

/// Escape a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A message on one line.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mif::Span;

    #[test]
    fn github_and_short_lines_carry_the_place_and_escape_what_they_must() {
        let text = "a\nb, c: d\n";
        let d = Diagnostic::error("mif::duplicate-id", Span::new(2, 4), "50% bad,\nreally")
            .with_help("fix: it");
        let github = findings(
            Format::Github,
            "dir/a,b.mif",
            text,
            std::slice::from_ref(&d),
            false,
        );
        assert_eq!(
            github.stdout,
            "::error file=dir/a%2Cb.mif,line=2,col=1,endLine=2,endColumn=3,title=mif%3A%3Aduplicate-id::50%25 bad,%0Areally%0Ahelp: fix: it\n"
        );
        let short = findings(Format::Short, "a.mif", text, &[d], false);
        assert_eq!(
            short.stdout,
            "a.mif:2:1: error[mif::duplicate-id] 50% bad, really\n"
        );
        let json = fatal(Format::Json, Some("gone.mif"), "cannot read gone.mif");
        let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(value["severity"], "fatal");
    }
}
