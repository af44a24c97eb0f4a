//! `mif fmt`: rewrite files in the canonical style, safely.

use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use mif::config::{Config, FmtConfig};
use mif::diagnostics::{render, snippet_text, JsonDiagnostic, RenderOptions};
use mif::printer::{self, FormatError, FormatOptions, Indent, KeywordCase, LineEndingChoice};
use mif::span::LineIndex;
use mif::write::rewrite_in_place;
use mif::Source;
use rayon::prelude::*;

use super::config::{self, ConfigArgs, Configs};
use super::input::{self, ColorChoice, Input, Origin};
use super::report::{self, Format};
use super::{EXIT_NO, EXIT_OK, EXIT_TROUBLE};

/// Format MIF files in the canonical style (see docs/style.md).
///
/// Files are rewritten in place, only when their bytes change, through a
/// temporary file and a rename. Encoding, byte-order mark and line endings
/// are kept. A file with syntax errors is never touched. Every result is
/// read back and compared with the input before it is written. The
/// nearest mif.toml's [fmt] section sets the style (flags win over it);
/// its [check] exclude patterns leave files out of folder walks.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif fmt inventory/                     format every *.mif below a folder in place\n  \
    mif fmt --check .                      list files that would change (CI)\n  \
    mif fmt --diff app.mif                 show what would change\n  \
    mif fmt - --stdin-filepath app.mif     editors: stdin to stdout\n  \
    mif fmt --check --format json .        one JSON object per file, for scripts\n  \
    mif fmt --check --format github .      GitHub Actions annotations\n\n\
    Exit codes: 0 formatted or nothing to change, 1 files would change (--check, --diff),\n\
    2 a file does not parse or could not be read or written, or the command line is wrong.")]
pub struct Args {
    /// Files or folders to format in place; `-` or nothing: standard input to standard output.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff of what would change and exit 1 if anything would.
    #[arg(long)]
    pub diff: bool,
    /// Name to use for standard input in diagnostics.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<PathBuf>,
    /// How to report on each file. `json`: one object per file on stdout
    /// (path, result: unchanged, reformatted, would-reformat or
    /// not-formatted, and the error, diagnostics or diff); standard input is
    /// then only checked, so it needs --check or --diff. `github`: GitHub
    /// Actions annotations; `short`: one line per file that would change or
    /// failed.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Indentation per block level: a number of spaces or `tab` [default: 4].
    #[arg(long, value_name = "N|tab", value_parser = parse_indent)]
    pub indent: Option<Indent>,
    /// Line endings to write; `auto` keeps the file's first one [default: auto].
    #[arg(long, value_enum)]
    pub line_ending: Option<LineEndingArg>,
    /// How to spell keywords [default: upper].
    #[arg(long, value_enum)]
    pub keyword_case: Option<KeywordCaseArg>,
    /// Leave out files and folders matching this glob (relative to the
    /// current folder) when walking folders; repeat for more.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Report failures only, and no summary line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say what happened to each file.
    #[arg(short, long)]
    pub verbose: bool,
    /// When to colour the diff and diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LineEndingArg {
    Auto,
    Lf,
    Crlf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeywordCaseArg {
    Upper,
    Lower,
    Preserve,
}

fn parse_indent(text: &str) -> Result<Indent, String> {
    if text.eq_ignore_ascii_case("tab") {
        return Ok(Indent::Tab);
    }
    text.parse::<u8>()
        .ok()
        .filter(|&n| n <= 16)
        .map(Indent::Spaces)
        .ok_or_else(|| format!("`{text}` is not 0 to 16 spaces or `tab`"))
}

impl Args {
    /// The style for a file: each flag given, else the file's
    /// configuration, else the canonical style.
    fn options(&self, config: Option<&Config>) -> FormatOptions {
        let flags = FmtConfig {
            indent: self.indent,
            line_ending: self.line_ending.map(|l| match l {
                LineEndingArg::Auto => LineEndingChoice::Auto,
                LineEndingArg::Lf => LineEndingChoice::Lf,
                LineEndingArg::Crlf => LineEndingChoice::CrLf,
            }),
            keyword_case: self.keyword_case.map(|k| match k {
                KeywordCaseArg::Upper => KeywordCase::Upper,
                KeywordCaseArg::Lower => KeywordCase::Lower,
                KeywordCaseArg::Preserve => KeywordCase::Preserve,
            }),
        };
        config
            .map(|c| c.fmt.clone())
            .unwrap_or_default()
            .overridden_by(&flags)
            .options()
    }

    /// Write nothing, only report.
    fn dry_run(&self) -> bool {
        self.check || self.diff
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

/// What formatting one input produced; printed in input order.
struct Report {
    outcome: Outcome,
    stdout: Vec<u8>,
    stderr: String,
    /// Why a file failed, in the chosen form.
    fatal: Option<report::Output>,
}

impl Report {
    fn failed(stderr: String) -> Report {
        Report {
            outcome: Outcome::Failed,
            stdout: Vec::new(),
            stderr,
            fatal: None,
        }
    }

    fn of(outcome: Outcome, stdout: Vec<u8>, stderr: String) -> Report {
        Report {
            outcome,
            stdout,
            stderr,
            fatal: None,
        }
    }
}

pub fn run(args: Args) -> u8 {
    let configs = match Configs::new(&args.config) {
        Ok(configs) => Arc::new(configs),
        Err(message) => {
            report::fatal(args.format, None, &message).print();
            return EXIT_TROUBLE;
        }
    };
    let excluded = match config::excluded(configs.clone(), &args.exclude) {
        Ok(excluded) => excluded,
        Err(message) => {
            report::fatal(args.format, None, &message).print();
            return EXIT_TROUBLE;
        }
    };
    let (inputs, walk_errors) = input::collect(&args.paths, excluded);
    if args.format != Format::Human && !args.dry_run() && inputs.contains(&Input::Stdin) {
        input::report_trouble(
            "--format json, github and short report on files, so standard input cannot also be \
             formatted to standard output; add --check or --diff, or leave out --format",
        );
        return EXIT_TROUBLE;
    }
    for error in &walk_errors {
        report::fatal(args.format, None, error).print();
    }
    let colors = Colors {
        stdout: args.color.for_stdout(),
        stderr: args.color.for_stderr(),
    };
    let reports: Vec<Report> = inputs
        .par_iter()
        .map(|item| {
            let name = item.display_name(args.stdin_filepath.as_deref());
            match configs.for_input(item, args.stdin_filepath.as_deref()) {
                Ok(config) => {
                    let options = args.options(config.as_deref());
                    format_input(item, &args, &options, colors)
                }
                Err(message) => Report {
                    outcome: Outcome::Failed,
                    stdout: Vec::new(),
                    stderr: String::new(),
                    fatal: Some(report::fatal(args.format, Some(&name), &message)),
                },
            }
        })
        .collect();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    for report in &reports {
        if let Some(fatal) = &report.fatal {
            let _ = stdout.write_all(fatal.stdout.as_bytes());
            let _ = stderr.write_all(fatal.stderr.as_bytes());
        }
        let _ = stderr.write_all(report.stderr.as_bytes());
        if stdout.write_all(&report.stdout).is_err() {
            return EXIT_TROUBLE;
        }
    }
    let _ = stdout.flush();
    let count = |outcome| reports.iter().filter(|r| r.outcome == outcome).count();
    let (changed, failed) = (count(Outcome::Changed), count(Outcome::Failed));
    if !args.quiet && inputs.iter().any(|i| matches!(i, Input::File(_))) {
        let _ = writeln!(
            stderr,
            "{}",
            summary(
                changed,
                count(Outcome::Unchanged),
                failed,
                args.dry_run(),
                args.format
            )
        );
    }
    if failed > 0 || !walk_errors.is_empty() {
        EXIT_TROUBLE
    } else if args.dry_run() && changed > 0 {
        EXIT_NO
    } else {
        EXIT_OK
    }
}

#[derive(Debug, Clone, Copy)]
struct Colors {
    stdout: bool,
    stderr: bool,
}

fn format_input(item: &Input, args: &Args, options: &FormatOptions, colors: Colors) -> Report {
    let name = item.display_name(args.stdin_filepath.as_deref());
    let json = args.format == Format::Json;
    let fail = |message: String| match args.format {
        Format::Json => json_report(&name, Outcome::Failed, args.dry_run(), |r| {
            r.error = Some(message)
        }),
        Format::Human => Report::failed(format!("error: {message}\n")),
        format => Report {
            fatal: Some(report::fatal(format, Some(&name), &message)),
            ..Report::failed(String::new())
        },
    };
    if let Input::File(path) = item {
        if let Err(message) = regular_file(path) {
            return fail(message);
        }
    }
    let (bytes, origin) = match input::read_with_origin(item) {
        Ok(bytes) => bytes,
        Err(message) => return fail(message),
    };
    // `--check` alone wants only the answer, so the output is compared
    // with the input as it is made and not kept.
    let result = if args.check && !args.diff {
        printer::formats_unchanged(&bytes, options).map(|unchanged| (unchanged, Vec::new()))
    } else {
        printer::format_bytes(&bytes, options).map(|formatted| (formatted == bytes, formatted))
    };
    let (unchanged, formatted) = match result {
        Ok(result) => result,
        Err(error) if json => return explain_json(&error, &name, &bytes),
        Err(error) if args.format == Format::Human => {
            return Report::failed(explain(&error, &name, &bytes, colors.stderr))
        }
        Err(error) => return explain_as(args.format, &error, &name, &bytes),
    };
    // The safety net proved the tokens the same, so the check finds on the
    // output what it finds on the input, but for the size limits.
    let check_options = input::check_options(item, args.stdin_filepath.as_deref());
    let resized = mif::check::judge_resize(bytes.len() as u64, formatted.len() as u64, || {
        check_options.profile_of(&mif::Document::parse(&bytes))
    });
    if let Some(refusal) = resized.refusals.first() {
        return fail(format!(
            "{name} not formatted: the formatted file would be wrong: {} [{}]",
            refusal.diagnostic.message, refusal.diagnostic.code
        ));
    }
    let outcome = if unchanged {
        Outcome::Unchanged
    } else {
        Outcome::Changed
    };
    let mut stdout = Vec::new();
    if args.diff && outcome == Outcome::Changed {
        let old = Source::decode(&bytes).text;
        let new = Source::decode(&formatted).text;
        let diff = unified_diff(&name, &old, &new, colors.stdout && !json);
        if json {
            return json_report(&name, outcome, true, |r| r.diff = Some(diff));
        }
        stdout = diff.into_bytes();
    } else if args.check && outcome == Outcome::Changed && !json {
        stdout = match args.format {
            Format::Github => report::file_line(
                args.format,
                &name,
                mif::Severity::Error,
                "mif fmt",
                &format!("{name} is not formatted; run mif fmt on it"),
            ),
            Format::Short => report::file_line(
                args.format,
                &name,
                mif::Severity::Error,
                "mif fmt",
                "would reformat",
            ),
            _ if args.quiet => String::new(),
            _ => format!("{name}\n"),
        }
        .into_bytes();
    } else if !args.dry_run() {
        match origin {
            Origin::Stdin => stdout = formatted,
            Origin::File { path, identity } if outcome == Outcome::Changed => {
                if let Err(error) = rewrite_in_place(&path, &formatted, identity) {
                    return fail(input::write_failed(&name, &error));
                }
            }
            Origin::File { path, .. } => mif::write::remove_stale_temps_for(&path),
        }
    }
    if json {
        return json_report(&name, outcome, args.dry_run(), |_| {});
    }
    let stderr = if args.verbose {
        let what = match (outcome, args.dry_run()) {
            (Outcome::Unchanged, _) => "unchanged",
            (_, true) => "would be reformatted",
            _ => "reformatted",
        };
        format!("{name}: {what}\n")
    } else {
        String::new()
    };
    Report::of(outcome, stdout, stderr)
}

/// [`explain`] in the machine forms (`github`, `short`): the error and the
/// file's syntax diagnostics.
fn explain_as(format: Format, error: &FormatError, name: &str, bytes: &[u8]) -> Report {
    let mut out = report::fatal(
        format,
        Some(name),
        &format!("{name} not formatted: {error}"),
    );
    if let FormatError::Syntax(diagnostics) = error {
        let text = Source::decode(bytes).text;
        let found = report::findings(format, name, &text, diagnostics, false);
        out.stdout.push_str(&found.stdout);
    }
    Report {
        fatal: Some(out),
        ..Report::failed(String::new())
    }
}

/// One file's result for `--format json`, one object per line.
#[derive(serde::Serialize)]
struct JsonResult<'a> {
    path: &'a str,
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
}

impl<'a> JsonResult<'a> {
    fn new(path: &'a str, outcome: Outcome, dry_run: bool) -> JsonResult<'a> {
        JsonResult {
            path,
            result: match (outcome, dry_run) {
                (Outcome::Unchanged, _) => "unchanged",
                (Outcome::Changed, true) => "would-reformat",
                (Outcome::Changed, false) => "reformatted",
                (Outcome::Failed, _) => "not-formatted",
            },
            error: None,
            diagnostics: Vec::new(),
            diff: None,
        }
    }

    /// The report printing this result as one line.
    fn report(&self, outcome: Outcome) -> Report {
        let mut line = serde_json::to_vec(self).unwrap_or_default();
        line.push(b'\n');
        Report::of(outcome, line, String::new())
    }
}

/// A report whose stdout is `name`'s JSON line, as `fill` completes it.
fn json_report(
    name: &str,
    outcome: Outcome,
    dry_run: bool,
    fill: impl FnOnce(&mut JsonResult<'_>),
) -> Report {
    let mut result = JsonResult::new(name, outcome, dry_run);
    fill(&mut result);
    result.report(outcome)
}

/// [`explain`] for `--format json`: the error and the file's diagnostics.
fn explain_json(error: &FormatError, name: &str, bytes: &[u8]) -> Report {
    let diagnostics = match error {
        FormatError::Syntax(diagnostics) => diagnostics.as_slice(),
        _ => &[],
    };
    let text = Source::decode(bytes).text;
    let index = LineIndex::new(&text);
    let result = JsonResult {
        error: Some(format!("{name} not formatted: {error}")),
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, name, &index))
            .collect(),
        ..JsonResult::new(name, Outcome::Failed, false)
    };
    result.report(Outcome::Failed)
}

/// Only regular files (or symlinks to them) are formatted in place.
fn regular_file(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {shown}: {}", input::io_reason(&e)))?;
    if metadata.is_file() {
        Ok(())
    } else if metadata.is_dir() {
        Err(format!("{shown} is a directory"))
    } else {
        Err(format!(
            "{shown} is not a regular file (a device, socket or pipe); not formatting it"
        ))
    }
}

/// Why a file was left alone, with its diagnostics as `mif check` shows them.
fn explain(error: &FormatError, name: &str, bytes: &[u8], color: bool) -> String {
    let mut text = String::new();
    if let FormatError::Syntax(diagnostics) = error {
        let decoded = Source::decode(bytes).text;
        let source = snippet_text(&decoded);
        for diagnostic in diagnostics {
            text.push_str(&render(
                diagnostic,
                name,
                &source,
                RenderOptions { color, width: None },
            ));
        }
    }
    text.push_str(&format!("error: {name} not formatted: {error}\n"));
    text
}

/// How long `--diff` looks for the smallest diff of one file.
const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_secs(1);

fn unified_diff(name: &str, old: &str, new: &str, color: bool) -> String {
    let without_cr = |text: &str| text.replace("\r\n", "\n").replace('\r', "\n");
    if without_cr(old) == without_cr(new) {
        // Such a diff would show lines that look the same: say what changes.
        return format!("{name}: only the line endings would change\n");
    }
    // Myers' diff costs lines x changes: formatting a messy 1 MB file
    // changes every line, and the exact diff took 18 s. Past the deadline
    // the rest is shown as larger hunks; files up to a few hundred KB, and
    // any file with few changes, still get the exact diff.
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .header(name, &format!("{name} (formatted)"))
        .to_string();
    if !color {
        return text;
    }
    let mut painted = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let ending = &line[body.len()..];
        let code = if body.starts_with("---") || body.starts_with("+++") {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('+') {
            "32"
        } else if body.starts_with('-') {
            "31"
        } else {
            ""
        };
        if code.is_empty() {
            painted.push_str(line);
        } else {
            painted.push_str(&format!("\x1b[{code}m{body}\x1b[0m{ending}"));
        }
    }
    painted
}

fn summary(
    changed: usize,
    unchanged: usize,
    failed: usize,
    dry_run: bool,
    format: Format,
) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let verb = if dry_run {
        "would be reformatted"
    } else {
        "reformatted"
    };
    let mut line = format!("{} {verb}, {unchanged} unchanged", files(changed));
    if failed > 0 {
        let shown = match format {
            Format::Human => "errors above",
            Format::Json => "errors in the JSON",
            Format::Github | Format::Short => "errors in the report",
        };
        line.push_str(&format!(", {failed} not formatted ({shown})"));
    }
    line
}
