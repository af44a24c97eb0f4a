//! `mif check`: parse and validate, with diagnostics.

use std::io::Write;
use std::path::PathBuf;

use mif::diagnostics::{render, snippet_text, JsonDiagnostic, RenderOptions, Tally};
use mif::span::LineIndex;
use mif::{Document, Profile};

use super::input::{self, ColorChoice, OutputFormat};
use super::{EXIT_NO, EXIT_OK, EXIT_TROUBLE};

/// Parse and validate MIF files, explaining every problem found.
///
/// Reports syntax errors, the rules of DMI and those of the file's
/// SMS/ConfigMgr profile (status MIF, NOIDMIF, IDMIF), each with a stable
/// code (see docs/diagnostics.md or --explain CODE), the exact place, and
/// how to fix it. Diagnostics go to stderr (or stdout as JSON with
/// --format json), a summary line to stderr.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif check status.mif                 check one file\n  \
    mif check inventory/                 every *.mif below a folder (honours .gitignore)\n  \
    type app.mif | mif check -           read standard input\n  \
    mif check --format json *.mif        one JSON object per diagnostic, for scripts\n  \
    mif check --profile status job.mif   check as an SMS/ConfigMgr status MIF\n  \
    mif check --explain value-too-long   what a diagnostic means and how to fix it\n\n\
    Exit codes: 0 no errors (warnings allowed unless --deny-warnings), 1 errors found,\n\
    2 a file could not be read or the command line is wrong.")]
pub struct Args {
    /// Files or folders to check; `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Name to use for standard input in diagnostics.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print only errors and warnings, no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Which rules to apply beyond DMI's; detected from the content when
    /// not given (JOBSTATUS group: status; //Architecture<...> header:
    /// idmif; in a Noidmifs folder: noidmif; else dmi).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Print the documentation of a diagnostic code (e.g. mif::value-too-long) and exit.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "profile", "deny_warnings"])]
    pub explain: Option<String>,
}

/// `--profile` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfileArg {
    /// DMI component file.
    Dmi,
    /// SMS/ConfigMgr install status MIF.
    Status,
    /// SMS/ConfigMgr inventory MIF without identification.
    Noidmif,
    /// SMS/ConfigMgr inventory MIF with //Architecture and //UniqueID headers.
    Idmif,
}

impl From<ProfileArg> for Profile {
    fn from(arg: ProfileArg) -> Profile {
        match arg {
            ProfileArg::Dmi => Profile::Dmi,
            ProfileArg::Status => Profile::Status,
            ProfileArg::Noidmif => Profile::NoIdMif,
            ProfileArg::Idmif => Profile::IdMif,
        }
    }
}

/// `--explain CODE`: the code's documentation on stdout; an unknown code is
/// trouble, with the nearest known codes.
fn explain(code: &str) -> u8 {
    match mif::explain::explain(code) {
        Some(section) => {
            let text = mif::explain::plain_text(section);
            // A closed pipe (`| head`) is not worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            EXIT_OK
        }
        None => {
            let nearest = mif::explain::nearest_codes(code, 3);
            input::report_trouble(&format!(
                "no diagnostic code `{code}`; the nearest are: {}",
                nearest.join(", ")
            ));
            EXIT_TROUBLE
        }
    }
}

/// Most diagnostics rendered per file: each shows its source line, so a
/// small hostile file (thousands of rule findings on one 64 KB line) would
/// otherwise print hundreds of megabytes.
const MAX_SHOWN: usize = mif::syntax::MAX_ERRORS;

pub fn run(args: Args) -> u8 {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let (inputs, walk_errors) = input::collect(&args.paths);
    let mut trouble = !walk_errors.is_empty();
    for error in &walk_errors {
        input::report_trouble(error);
    }
    let color = args.color.for_stderr();
    let mut total = Tally::default();
    let mut files = 0;
    let mut failed_files = 0;
    let stdout = std::io::stdout();
    for item in &inputs {
        let name = item.display_name(args.stdin_filepath.as_deref());
        let Some(bytes) = input::read_or_report(item, &mut trouble) else {
            continue;
        };
        files += 1;
        let options = input::check_options(item, args.stdin_filepath.as_deref())
            .with_profile(args.profile.map(Profile::from))
            .with_file_size(bytes.len() as u64);
        let doc = Document::parse(&bytes);
        let diagnostics = mif::check(&doc, &options);
        let doc_text = snippet_text(doc.text());
        let tally = Tally::of(&diagnostics);
        total.errors += tally.errors;
        total.warnings += tally.warnings;
        if tally.errors > 0 || (args.deny_warnings && tally.warnings > 0) {
            failed_files += 1;
        }
        match args.format {
            OutputFormat::Human => {
                let mut err = std::io::stderr().lock();
                let shown = diagnostics.len().min(MAX_SHOWN);
                for d in &diagnostics[..shown] {
                    let text = render(d, &name, &doc_text, RenderOptions { color, width: None });
                    let _ = write!(err, "{text}");
                }
                if diagnostics.len() > shown {
                    let more = diagnostics.len() - shown;
                    let _ = writeln!(
                        err,
                        "{name}: {more} more diagnostics not shown; --format json lists them all"
                    );
                }
            }
            OutputFormat::Json => {
                let index = LineIndex::new(&doc_text);
                let mut out = stdout.lock();
                for d in &diagnostics {
                    let json = JsonDiagnostic::new(d, &name, &index);
                    let _ = serde_json::to_writer(&mut out, &json);
                    let _ = writeln!(out);
                }
            }
        }
    }
    if !args.quiet {
        eprintln!("{}", summary(files, total));
    }
    if trouble {
        EXIT_TROUBLE
    } else if failed_files > 0 {
        EXIT_NO
    } else {
        EXIT_OK
    }
}

fn summary(files: usize, tally: Tally) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}",
        plural(files, "file"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )
}
