//! Diagnostics: what is wrong, where, and how to fix it.
//!
//! Every diagnostic has a stable code (`mif::...`, documented in
//! `docs/diagnostics.md`), a severity, a message, a label on the exact span
//! and, where a fix is known, help. They render through miette for people
//! and as one JSON object per line for programs.

use std::borrow::Cow;
use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::span::{LineIndex, Span};

/// How bad a diagnostic is. Errors make `mif check` fail and `mif fmt` refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Likely a mistake, or something a reader of the file may not
    /// accept; the file is still usable.
    Warning,
    /// The file is broken or will be misread.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identifier such as `mif::unterminated-string`.
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is: a byte range of the decoded text.
    pub span: Span,
    /// Text shown at the span.
    pub label: String,
    /// How to fix it, when a fix is known.
    pub help: Option<String>,
    /// Further places that explain the finding (e.g. the first definition).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    /// A diagnostic with no label, help or related places; add them with
    /// the `with_` methods.
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        let message = message.into();
        Diagnostic {
            code,
            severity,
            label: String::new(),
            message,
            span,
            help: None,
            related: Vec::new(),
        }
    }

    /// [`Diagnostic::new`] with [`Severity::Error`].
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, span, message)
    }

    /// [`Diagnostic::new`] with [`Severity::Warning`].
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, span, message)
    }

    /// Sets the text shown at the span.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    /// Sets how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a further place, with the text shown there.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// Whether this makes `mif check` fail.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A finding about the file as a whole, with no place in its text to
    /// show (it is not text at all, say): it renders without a snippet.
    pub fn about_file(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, severity, Span::default(), message)
    }

    /// Whether this is a finding [about the file](Diagnostic::about_file):
    /// at its start, with nothing to point at there.
    pub fn is_about_file(&self) -> bool {
        self.span == Span::default() && self.label.is_empty() && self.related.is_empty()
    }
}

/// Counts of a set of diagnostics, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many are errors.
    pub errors: usize,
    /// How many are warnings (infos are not counted).
    pub warnings: usize,
}

impl Tally {
    /// Count the errors and warnings in `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let mut tally = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => {}
            }
        }
        tally
    }
}

/// A diagnostic with its file, as miette wants it.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedText<'a>,
}

/// The file's text under its name, borrowed (miette's `NamedSource` wants
/// to own it, which would copy the whole file per diagnostic).
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    /// The text around a span, as miette's own reading of a `str` gives
    /// it, but with the column counted in characters, not bytes: miette
    /// prints it in the snippet's header (`file:line:column`), which must
    /// say what `--format json` and the language server say.
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let start = contents.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(contents.column(), |before| before.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.diagnostic;
        if d.is_about_file() {
            return None;
        }
        let label = (!d.label.is_empty()).then(|| d.label.clone());
        let primary = LabeledSpan::new_primary_with_span(label, d.span.range());
        let related = d
            .related
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), span.range()));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// How to render diagnostics for people.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Whether to use terminal colours.
    pub color: bool,
    /// Wrap width; `None` uses 100.
    pub width: Option<usize>,
}

/// The text as snippets should show it, every character at the byte
/// offset it has in the text, so every span stays where it was. Call
/// once per file and pass the result to [`render`].
///
/// - miette breaks lines only at LF, so a file with CR-only line breaks
///   (old Mac style) would show as one line: a lone CR becomes an LF;
/// - control characters would reach the terminal as they are (a NUL, an
///   escape sequence): each shows as `?`, or `¿` for the two-byte C1
///   controls, and the diagnostic's message names the character.
pub fn snippet_text(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    let hidden = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let needs_change = memchr::memchr_iter(b'\r', bytes).any(lone_cr)
        || (may_hold_control(bytes) && text.chars().any(hidden));
    if !needs_change {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        shown.push(match c {
            '\r' if lone_cr(i) => '\n',
            c if hidden(c) && c.len_utf8() == 1 => '?',
            c if hidden(c) => '¿',
            c => c,
        });
    }
    debug_assert_eq!(shown.len(), text.len());
    Cow::Owned(shown)
}

/// Whether `bytes` may hold a control character other than tab and line
/// breaks: a byte below 0x20 or 0x7F, or 0xC2, which starts the C1
/// controls in UTF-8. Every file `mif check` reads goes through here, so
/// each chunk is tested without a branch per byte (the compiler
/// vectorises it).
fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.chunks(256).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found
                | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
                | (b == 0x7F)
                | (b == 0xC2)
        })
    })
}

/// Render one diagnostic with its source snippet (`text` from [`snippet_text`]).
pub fn render(diagnostic: &Diagnostic, path: &str, text: &str, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width.unwrap_or(100))
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_links(false);
    // With no snippet, the header naming the file is not printed: the
    // message names it.
    let message = if diagnostic.is_about_file() {
        format!("{path}: {}", diagnostic.message)
    } else {
        diagnostic.message.clone()
    };
    let clamped = Diagnostic {
        message,
        span: clamp(diagnostic.span, text),
        related: diagnostic
            .related
            .iter()
            .map(|(s, l)| (clamp(*s, text), l.clone()))
            .collect(),
        ..diagnostic.clone()
    };
    let rendered = Rendered {
        diagnostic: &clamped,
        source: NamedText { name: path, text },
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!(
            "{}: {}: {}\n",
            diagnostic.severity, diagnostic.code, diagnostic.message
        );
    }
    out
}

fn clamp(span: Span, text: &str) -> Span {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// The machine-readable form of a diagnostic (`--format json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct JsonDiagnostic<'a> {
    /// [`Diagnostic::code`].
    pub code: &'static str,
    /// [`Diagnostic::severity`], in lower case.
    pub severity: Severity,
    /// [`Diagnostic::message`].
    pub message: &'a str,
    /// The file's name, as the caller shows it.
    pub path: &'a str,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// 1-based line of the span's end.
    pub end_line: usize,
    /// 1-based column just past the span's end, counted in characters.
    pub end_column: usize,
    /// Byte offset of the span in the decoded (UTF-8) text.
    pub offset: usize,
    /// Length of the span in bytes of the decoded text.
    pub length: usize,
    /// [`Diagnostic::label`]; left out when empty.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub label: &'a str,
    /// [`Diagnostic::help`]; left out when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// [`Diagnostic::related`] places; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonPlace<'a>>,
}

/// A further place a diagnostic points at, in the JSON form.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JsonPlace<'a> {
    /// 1-based line of the place's start.
    pub line: usize,
    /// 1-based column of its start, in characters.
    pub column: usize,
    /// 1-based line of its end.
    pub end_line: usize,
    /// 1-based column just past its end, in characters.
    pub end_column: usize,
    /// What the place is.
    pub label: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    /// The JSON form of `diagnostic` found in the file at `path`; `index`
    /// is that file's, to turn the offset into a line and column.
    pub fn new(diagnostic: &'a Diagnostic, path: &'a str, index: &LineIndex) -> Self {
        let (line, column) = index.line_col(diagnostic.span.start);
        let (end_line, end_column) = index.line_col(diagnostic.span.end);
        JsonDiagnostic {
            code: diagnostic.code,
            severity: diagnostic.severity,
            message: &diagnostic.message,
            path,
            line,
            column,
            end_line,
            end_column,
            offset: diagnostic.span.start,
            length: diagnostic.span.len(),
            label: &diagnostic.label,
            help: diagnostic.help.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|(span, label)| {
                    let (line, column) = index.line_col(span.start);
                    let (end_line, end_column) = index.line_col(span.end);
                    JsonPlace {
                        line,
                        column,
                        end_line,
                        end_column,
                        label,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_break_lines_at_a_lone_cr_and_keep_every_offset() {
        assert!(matches!(snippet_text("a\r\nb\n"), Cow::Borrowed(_)));
        assert!(matches!(snippet_text("no breaks, é\t"), Cow::Borrowed(_)));
        assert_eq!(snippet_text("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert_eq!(snippet_text("é\rü"), "é\nü");
    }

    #[test]
    fn snippets_hide_control_characters_in_place() {
        assert_eq!(snippet_text("a\0b\x1b[31m\u{85}c\r"), "a?b?[31m¿c\n");
    }
}
