//! `mif new`: write a status MIF that SMS/ConfigMgr accepts (the flat
//! form install scripts use), an inventory MIF (`mif new noidmif`, `mif
//! new idmif`), or the MIF a JSON document describes (`--from-json`).

mod inventory;
mod json;

use std::io::Write;
use std::path::{Path, PathBuf};

use mif::status::{Field, FieldFinding, JobStatus, Mend, MendOptions, Mended, StatusMif};
use mif::write::{write_new, Clobber, WriteError};
use mif::{CheckOptions, Diagnostic, Document, Profile};

use super::input::{io_reason, write_failed, ColorChoice};
use super::{EXIT_OK, EXIT_TROUBLE};

/// Write a status MIF: the file an install script leaves for SMS or
/// ConfigMgr to report Success or Failed with a description. Or, with a
/// subcommand, an inventory MIF (NOIDMIF, IDMIF), or with --from-json the
/// MIF a JSON document describes (the form `mif dump` prints).
///
/// A status MIF has the full layout ISMIF32.DLL writes (ComponentID and
/// InstallStatus groups), CRLF line endings, Windows-1252 without BOM.
/// Every file is judged by the same check as `mif check` in its profile
/// before anything is written: an error, or a warning about a value you
/// gave (over ISMIF32's limit, a control character), means nothing is
/// written and the exit code is 2. Warnings about values left out (an
/// empty Product, which ConfigMgr cannot match) are printed.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "ISMIF32.EXE switches map one to one: -s 1|0 (or success|failed), -c company,\n\
    -p product, -v version, -d description, -f name (written to %TEMP%, like --temp), -q.\n\n\
    Examples:\n  \
    mif new -s Failed                                      on stdout, all other fields empty\n  \
    mif new -s success -c Contoso -p App -v 1.2 --temp app   %TEMP%\\app.mif, as ConfigMgr expects\n  \
    mif new --status failed -d \"exit code 1603\" -o out.mif  exactly there, replacing it\n\
    mif new -s failed -d \"$(tail -1 setup.log)\" --replace-control -o out.mif   captured text\n  \
    mif new noidmif --group Asset --class \"ACME|Asset|1.0\" --value Tag=A-42 --noidmifs asset\n  \
    mif new idmif --architecture Asset --unique-id WW-42 --value Tag=A-42 --idmifs asset\n  \
    mif dump in.mif | mif new --from-json - -o out.mif      a MIF from JSON (docs/json.md)\n\n\
    `mif new noidmif --help` and `mif new idmif --help` explain the inventory MIFs.\n\n\
    Exit codes: 0 written, 2 bad input or the file could not be written (nothing written)."
)]
pub struct Args {
    /// An inventory MIF instead of a status MIF.
    #[command(subcommand)]
    pub inventory: Option<inventory::Command>,
    /// Success or Failed (any case; 1 and 0 as ISMIF32.EXE takes them).
    #[arg(
        short,
        long,
        value_parser = parse_status,
        value_name = "success|failed",
        required_unless_present = "from_json"
    )]
    pub status: Option<JobStatus>,
    /// Write the MIF a JSON document describes (docs/json.md; `-`:
    /// standard input), in the encoding it names.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = [
            "status", "manufacturer", "product", "version", "locale", "serial",
            "description", "installation", "temp", "windir", "truncate",
            "replace_unmappable", "replace_control",
        ]
    )]
    pub from_json: Option<PathBuf>,
    /// Manufacturer (publisher), matched by ConfigMgr; at most 64 characters.
    #[arg(short = 'c', long, visible_alias = "company")]
    pub manufacturer: Option<String>,
    /// Product name, matched by ConfigMgr; at most 64 characters.
    #[arg(short, long)]
    pub product: Option<String>,
    /// Product version, matched by ConfigMgr; at most 64 characters.
    #[arg(short, long)]
    pub version: Option<String>,
    /// Locale such as ENU; at most 16 characters.
    #[arg(long)]
    pub locale: Option<String>,
    /// Serial number; at most 64 characters.
    #[arg(long)]
    pub serial: Option<String>,
    /// Why: shown in the status message; at most 128 characters.
    #[arg(short, long)]
    pub description: Option<String>,
    /// The Installation value [default: DateTime, as ISMIF32 writes it].
    #[arg(long)]
    pub installation: Option<String>,
    /// Write to this file (`-`: standard output).
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["temp", "windir"])]
    pub output: Option<PathBuf>,
    /// Write %TEMP%\NAME.mif (TEMP, then TMP, else the system temp folder),
    /// where ConfigMgr's client looks.
    #[arg(short = 'f', long, value_name = "NAME", conflicts_with = "windir")]
    pub temp: Option<String>,
    /// Write %windir%\NAME.mif, where SMS 1.x Package Command Manager looks.
    #[arg(long, value_name = "NAME")]
    pub windir: Option<String>,
    /// Refuse to replace an existing file.
    #[arg(long)]
    pub no_clobber: bool,
    /// Cut values over their limit (with a warning) instead of failing.
    #[arg(long)]
    pub truncate: bool,
    /// Write `?` for characters Windows-1252 lacks (with a warning) instead of failing.
    #[arg(long)]
    pub replace_unmappable: bool,
    /// Turn control characters (line breaks and a trailing CR from captured
    /// output, tabs) into spaces (with a warning) instead of failing.
    #[arg(long)]
    pub replace_control: bool,
    /// Write values that only break a warning-level rule (a Description
    /// over 128 characters, a control character).
    #[arg(long)]
    pub force: bool,
    /// No warnings and no "wrote" line; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,
    /// When to colour the diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// A status as `mif new` and `mif set --status` take it, with a "did you
/// mean" when it is none.
pub fn parse_status(text: &str) -> Result<JobStatus, String> {
    JobStatus::parse(text).ok_or_else(|| {
        let nearest = JobStatus::nearest(text).as_str().to_ascii_lowercase();
        format!("{text:?} is not success, failed, 1 or 0; did you mean `{nearest}`?")
    })
}

/// The flag that sets a field.
fn flag(field: Field) -> &'static str {
    match field {
        Field::Manufacturer => "--manufacturer",
        Field::Product => "--product",
        Field::Version => "--version",
        Field::Locale => "--locale",
        Field::SerialNumber => "--serial",
        Field::Installation => "--installation",
        Field::Description => "--description",
    }
}

/// What a flag can do about a finding, beyond the check's own help.
fn remedy(code: &str) -> Option<&'static str> {
    match code {
        "mif::status-field-too-long"
        | "mif::value-too-long"
        | "mif::status-description-too-long" => {
            Some("--truncate cuts it to the limit, as ISMIF32 does")
        }
        "mif::unmappable-character" => Some("--replace-unmappable writes `?` for such characters"),
        "mif::status-control-character" | "mif::status-multiline-description" => {
            Some("--replace-control turns control characters into spaces")
        }
        _ => None,
    }
}

pub fn run(mut args: Args) -> u8 {
    if let Some(command) = args.inventory.take() {
        return inventory::run(command);
    }
    if let Some(source) = &args.from_json {
        return json::run(&args, source);
    }
    let Some(status) = args.status else {
        tell!("error: give --status success|failed, --from-json FILE, or a subcommand");
        return EXIT_TROUBLE;
    };
    let mut mif = StatusMif::new(status);
    for (field, value) in [
        (Field::Manufacturer, &args.manufacturer),
        (Field::Product, &args.product),
        (Field::Version, &args.version),
        (Field::Locale, &args.locale),
        (Field::SerialNumber, &args.serial),
        (Field::Installation, &args.installation),
        (Field::Description, &args.description),
    ] {
        if let Some(value) = value {
            mif.set(field, value.clone());
        }
    }
    let mended = mif.mend(MendOptions {
        truncate: args.truncate,
        replace_unmappable: args.replace_unmappable,
        replace_control: args.replace_control,
    });
    let destination = match destination(&args) {
        Ok(destination) => destination,
        Err(message) => {
            tell!("error: {message}");
            return EXIT_TROUBLE;
        }
    };
    let options = destination
        .as_deref()
        .map_or_else(CheckOptions::default, CheckOptions::for_path);
    let color = args.color.for_stderr();
    let written = match mif.write(&options, args.force) {
        Ok(written) => written,
        Err(refused) => {
            print_findings(&refused.findings, color);
            nothing_written(refused.findings.iter().all(|f| !f.diagnostic.is_error()));
            return EXIT_TROUBLE;
        }
    };
    if !args.quiet {
        for Mended { field, mend } in &mended {
            let what = match mend {
                Mend::Truncated { from, to } => format!("cut from {from} to {to} characters"),
                Mend::ReplacedUnmappable(n) => {
                    format!("{n} character(s) Windows-1252 cannot hold written as `?`")
                }
                Mend::ReplacedControl(n) => format!("{n} control character(s) written as spaces"),
            };
            tell!("warning: {}: {what}", flag(*field));
        }
        print_findings(&written.warnings, color);
    }
    deliver(
        &written.bytes,
        destination.as_deref(),
        args.no_clobber,
        args.quiet,
    )
}

/// Write a new file's bytes to `destination` (`None`: standard output),
/// atomically and never through a link; say so unless `quiet`.
fn deliver(bytes: &[u8], destination: Option<&Path>, no_clobber: bool, quiet: bool) -> u8 {
    match destination {
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(error) = out.write_all(bytes).and_then(|()| out.flush()) {
                tell!(
                    "error: cannot write to standard output: {}",
                    io_reason(&error)
                );
                return EXIT_TROUBLE;
            }
        }
        Some(path) => {
            let clobber = if no_clobber {
                Clobber::Refuse
            } else {
                Clobber::Replace
            };
            if let Err(error) = write_new(path, bytes, clobber) {
                let name = path.display().to_string();
                match error {
                    WriteError::Exists => tell!(
                        "error: cannot write {name}: it exists and --no-clobber was given; \
                         nothing was changed"
                    ),
                    error => tell!("error: {}", write_failed(&name, &error)),
                }
                return EXIT_TROUBLE;
            }
            if !quiet {
                tell!("wrote {}", path.display());
            }
        }
    }
    EXIT_OK
}

/// The check's findings on the file being written, one per value: the
/// flag that gave the value, what is wrong, and how to fix it. (The file
/// does not exist yet, so there is no place in it to show.)
fn print_findings(findings: &[FieldFinding], color: bool) {
    let mut err = std::io::stderr().lock();
    // In this layout a field's STRING(n) is ISMIF32's limit: one finding
    // on the limit says all there is to say about its length.
    let said_by_limit = |finding: &FieldFinding| {
        finding.diagnostic.code == "mif::value-too-long"
            && findings.iter().any(|other| {
                other.field == finding.field
                    && other.diagnostic.code == "mif::status-field-too-long"
            })
    };
    for FieldFinding { field, diagnostic } in findings.iter().filter(|f| !said_by_limit(f)) {
        let about = field.map(flag);
        print_finding(&mut err, about, diagnostic, remedy(diagnostic.code), color);
    }
}

/// One finding on a file being written: what it is about (a flag, a
/// place in the JSON), what is wrong, and how to fix it, with `extra`
/// help (what a flag can do) after the check's own.
fn print_finding(
    err: &mut impl Write,
    about: Option<&str>,
    diagnostic: &Diagnostic,
    extra: Option<&str>,
    color: bool,
) {
    let (word, paint) = match diagnostic.severity {
        mif::Severity::Error => ("error", "\x1b[1;31m"),
        mif::Severity::Warning => ("warning", "\x1b[1;33m"),
        mif::Severity::Info => ("info", "\x1b[1;36m"),
    };
    let word = if color {
        format!("{paint}{word}\x1b[0m")
    } else {
        word.to_string()
    };
    let about = about.map(|a| format!("{a}: ")).unwrap_or_default();
    let _ = writeln!(
        err,
        "{word}[{}]: {about}{}",
        diagnostic.code, diagnostic.message
    );
    let help = [diagnostic.help.as_deref(), extra]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
    if !help.is_empty() {
        let _ = writeln!(err, "  help: {help}");
    }
}

/// Say that nothing was written, and whether `--force` would write it.
fn nothing_written(warnings_only: bool) {
    tell!(
        "error: nothing written{}",
        if warnings_only {
            "; --force writes it anyway"
        } else {
            ""
        }
    );
}

/// Tell when `mif check` would take the new file for another kind than it
/// was written as: a NOIDMIF is known by its `Noidmifs` folder, so one
/// written elsewhere is checked as a DMI component unless told.
fn note_profile_at_destination(bytes: &[u8], written_as: Profile, options: &CheckOptions) {
    let Some(path) = &options.path else {
        return;
    };
    let taken_as = options.profile_of(&Document::parse(bytes));
    if taken_as != written_as {
        tell!(
            "note: written as {written_as}, but `mif check` takes {} for {taken_as} there ({}): \
             check it with `--profile {written_as}`, or give its folder that profile in mif.toml",
            path.display(),
            if written_as == Profile::NoIdMif {
                "a NOIDMIF is known by its Noidmifs folder"
            } else {
                "the kind comes from the content and the folder"
            }
        );
    }
}

/// Where to write: `None` is standard output.
fn destination(args: &Args) -> Result<Option<PathBuf>, String> {
    if let Some(path) = &args.output {
        return Ok((path.as_os_str() != "-").then(|| path.clone()));
    }
    if let Some(name) = &args.temp {
        let dir = env_dir(&["TEMP", "TMP"]).unwrap_or_else(std::env::temp_dir);
        return Ok(Some(dir.join(mif_file_name(name, "--temp")?)));
    }
    if let Some(name) = &args.windir {
        let dir = env_dir(&["windir", "WINDIR", "SystemRoot"])
            .ok_or("--windir: neither windir nor SystemRoot is set (they are on Windows)")?;
        return Ok(Some(dir.join(mif_file_name(name, "--windir")?)));
    }
    Ok(None)
}

/// The first of these environment variables that is set and not empty.
fn env_dir(names: &[&str]) -> Option<PathBuf> {
    names
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `NAME` as a file name ending in `.mif`; paths are refused, since the
/// client only looks in the folder itself.
fn mif_file_name(name: &str, flag: &str) -> Result<PathBuf, String> {
    if name.is_empty() || name.contains(['/', '\\', ':']) || name == "." || name == ".." {
        return Err(format!(
            "{flag} takes a file name such as \"setup\", not {name:?}; use -o FILE for a path"
        ));
    }
    let has_extension = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mif"));
    Ok(PathBuf::from(if has_extension {
        name.to_string()
    } else {
        format!("{name}.mif")
    }))
}
