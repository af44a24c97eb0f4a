//! `mif check`: parse and validate, with diagnostics.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use mif::check::{compare_classes, known_code, FileClasses, Severities};
use mif::diagnostics::Tally;
use mif::{Document, Profile, Severity};
use rayon::prelude::*;

use super::config::{self, ConfigArgs, Configs};
use super::input::{self, ColorChoice, Input};
use super::report::{self, Format, Output};
use super::{EXIT_NO, EXIT_OK, EXIT_TROUBLE};

/// Parse and validate MIF files, explaining every problem found.
///
/// Reports syntax errors, the rules of DMI and those of the file's
/// SMS/ConfigMgr profile (status MIF, NOIDMIF, IDMIF), each with a stable
/// code (see docs/diagnostics.md or --explain CODE), the exact place, and
/// how to fix it. Diagnostics go to stderr for people, or to stdout with
/// --format json, github or short; a summary line to stderr. Files are
/// checked on every core and reported in the order they were found. Over
/// several files, a group class two files define differently is reported
/// on the later one (mif::inventory-class-mismatch; see `mif dump
/// --signature`), after that file's own findings. The nearest mif.toml
/// sets profiles, exclusions and severities (see docs/config.md); `//
/// mif: allow(code)` comments silence a finding.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif check status.mif                 check one file\n  \
    mif check inventory/                 every *.mif below a folder (honours .gitignore)\n  \
    type app.mif | mif check -           read standard input\n  \
    mif check --format json *.mif        one JSON object per diagnostic, for scripts\n  \
    mif check --format github .          GitHub Actions annotations\n  \
    mif check --profile status job.mif   check as an SMS/ConfigMgr status MIF\n  \
    mif check --allow componentid-class --deny value-too-long .\n  \
    mif check --explain value-too-long   what a diagnostic means and how to fix it\n\n\
    Exit codes: 0 no errors (warnings allowed unless --deny-warnings), 1 errors found,\n\
    2 a file could not be read or the command line is wrong.")]
pub struct Args {
    /// Files or folders to check; `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to report: human (stderr), json, github or short (stdout).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Name to use for standard input in diagnostics, and the place its
    /// profile and configuration are found from.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Report errors only, and no summary line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say, for each file, its profile and what was found.
    #[arg(short, long)]
    pub verbose: bool,
    /// Which rules to apply beyond DMI's; detected from the content when
    /// not given (JOBSTATUS group: status; //Architecture<...> header:
    /// idmif; in a Noidmifs folder: noidmif; else dmi).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Never report this code (repeat for more); over mif.toml.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Report this code's errors as warnings (repeat for more); over mif.toml.
    #[arg(long, value_name = "CODE")]
    pub warn: Vec<String>,
    /// Report this code's warnings as errors (repeat for more); over mif.toml.
    #[arg(long, value_name = "CODE")]
    pub deny: Vec<String>,
    /// Leave out files and folders matching this glob (relative to the
    /// current folder) when walking folders; repeat for more.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// How many files to check at once [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub config: ConfigArgs,
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

pub fn run(args: Args) -> u8 {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let setup = match Setup::new(&args) {
        Ok(setup) => setup,
        Err(message) => {
            report::fatal(args.format, None, &message).print();
            return EXIT_TROUBLE;
        }
    };
    if let Some(threads) = args.threads {
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
        if built.is_err() {
            report::fatal(args.format, None, "cannot start the threads").print();
            return EXIT_TROUBLE;
        }
    }
    let excluded = match config::excluded(setup.configs.clone(), &args.exclude) {
        Ok(excluded) => excluded,
        Err(message) => {
            report::fatal(args.format, None, &message).print();
            return EXIT_TROUBLE;
        }
    };
    let (inputs, walk_errors) = input::collect(&args.paths, excluded);
    let mut trouble = !walk_errors.is_empty();
    for error in &walk_errors {
        report::fatal(args.format, None, error).print();
    }
    let mut results: Vec<Checked> = inputs.par_iter().map(|item| setup.check(item)).collect();
    compare_across_files(&mut results, &args, setup.color);
    let mut total = Tally::default();
    let mut files = 0;
    let mut failed_files = 0;
    for result in &results {
        result.output.print();
        match result.tally {
            None => trouble = true,
            Some(tally) => {
                files += 1;
                total.errors += tally.errors;
                total.warnings += tally.warnings;
                if tally.errors > 0 || (result.deny_warnings && tally.warnings > 0) {
                    failed_files += 1;
                }
            }
        }
    }
    if !args.quiet {
        let _ = writeln!(std::io::stderr().lock(), "{}", summary(files, total));
    }
    if trouble {
        EXIT_TROUBLE
    } else if failed_files > 0 {
        EXIT_NO
    } else {
        EXIT_OK
    }
}

/// One file's report.
struct Checked {
    output: Output,
    /// Its findings; `None` when it could not be checked.
    tally: Option<Tally>,
    /// Whether its warnings fail the check.
    deny_warnings: bool,
    /// What it gives the comparison across files.
    classes: FileClasses,
    /// How it is named, and its text, kept to report the comparison's
    /// findings on it (only when it defines a class).
    named_text: Option<(String, String)>,
}

/// The check across files ([`compare_classes`]), in the files' order
/// whatever the threads did: each finding is added after the findings of
/// the file it is on, in the same format, and counted with them.
fn compare_across_files(results: &mut [Checked], args: &Args, color: bool) {
    if results.iter().filter(|r| !r.classes.is_empty()).count() < 2 {
        return;
    }
    let found = {
        let files: Vec<(&str, &FileClasses)> = results
            .iter()
            .map(|r| {
                let name = r.named_text.as_ref().map_or("", |(name, _)| name.as_str());
                (name, &r.classes)
            })
            .collect();
        compare_classes(&files)
    };
    for finding in found {
        let result = &mut results[finding.file];
        if args.quiet && finding.diagnostic.severity != Severity::Error {
            continue;
        }
        let Some((name, text)) = &result.named_text else {
            continue;
        };
        let diagnostics = [finding.diagnostic];
        let output = report::findings(args.format, name, text, &diagnostics, color);
        result.output.stdout.push_str(&output.stdout);
        result.output.stderr.push_str(&output.stderr);
        if let Some(tally) = &mut result.tally {
            let added = Tally::of(&diagnostics);
            tally.errors += added.errors;
            tally.warnings += added.warnings;
        }
    }
}

/// What every file is checked with: the command line and the
/// configurations found.
struct Setup<'a> {
    args: &'a Args,
    configs: Arc<Configs>,
    /// `--allow`, `--warn`, `--deny`.
    flags: Severities,
    color: bool,
}

impl<'a> Setup<'a> {
    fn new(args: &'a Args) -> Result<Setup<'a>, String> {
        let codes = |names: &[String], flag: &str| {
            names
                .iter()
                .map(|name| known_code(name).map_err(|why| format!("--{flag}: {why}")))
                .collect::<Result<_, _>>()
        };
        let flags = Severities {
            allow: codes(&args.allow, "allow")?,
            warn: codes(&args.warn, "warn")?,
            deny: codes(&args.deny, "deny")?,
        };
        Ok(Setup {
            args,
            configs: Arc::new(Configs::new(&args.config)?),
            flags,
            color: args.color.for_stderr(),
        })
    }

    fn check(&self, item: &Input) -> Checked {
        let args = self.args;
        let name = item.display_name(args.stdin_filepath.as_deref());
        let failed = |message: &str| Checked {
            output: report::fatal(args.format, Some(&name), message),
            tally: None,
            deny_warnings: false,
            classes: FileClasses::default(),
            named_text: None,
        };
        let config = match self.configs.for_input(item, args.stdin_filepath.as_deref()) {
            Ok(config) => config,
            Err(message) => return failed(&message),
        };
        let bytes = match input::read(item) {
            Ok(bytes) => bytes,
            Err(message) => return failed(&message),
        };
        let mut options = input::check_options(item, args.stdin_filepath.as_deref())
            .with_file_size(bytes.len() as u64);
        options.profile = args.profile.map(Profile::from);
        options.severities = self.flags.clone();
        if let Some(config) = &config {
            options = config.check_options(options);
        }
        let deny_warnings = args.deny_warnings
            || config
                .as_ref()
                .and_then(|c| c.check.deny_warnings)
                .unwrap_or(false);
        let doc = Document::parse(&bytes);
        let diagnostics = mif::check(&doc, &options);
        let tally = Tally::of(&diagnostics);
        let classes = FileClasses::collect(&doc, &options);
        let shown: Vec<_> = if args.quiet {
            diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect()
        } else {
            diagnostics
        };
        let mut output = report::findings(args.format, &name, doc.text(), &shown, self.color);
        if args.verbose {
            let config = config
                .as_ref()
                .map(|c| format!(", {}", c.path.display()))
                .unwrap_or_default();
            output.stderr.push_str(&format!(
                "{name}: profile {}{config}: {} errors, {} warnings\n",
                options.profile_of(&doc),
                tally.errors,
                tally.warnings
            ));
        }
        let named_text = (!classes.is_empty()).then_some((name, doc.source.text));
        Checked {
            output,
            tally: Some(tally),
            deny_warnings,
            classes,
            named_text,
        }
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
