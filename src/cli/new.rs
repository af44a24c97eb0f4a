//! `mif new`: write a status MIF that SMS/ConfigMgr accepts.

use std::io::Write;
use std::path::{Path, PathBuf};

use mif::status::{FitOptions, JobStatus, Problem, StatusMif};
use mif::write::{write_atomic, Clobber};
use mif::Severity;

use super::input::io_reason;
use super::{EXIT_OK, EXIT_TROUBLE};

/// Write a status MIF: the file an install script leaves for SMS or
/// ConfigMgr to report Success or Failed with a description.
///
/// The file has the full layout ISMIF32.DLL writes (ComponentID and
/// InstallStatus groups), CRLF line endings, Windows-1252 without BOM.
/// Values are checked before anything is written; on any problem nothing
/// is written and the exit code is 2.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "ISMIF32.EXE switches map one to one: -s 1|0 (or success|failed), -c company,\n\
    -p product, -v version, -d description, -f name (written to %TEMP%, like --temp), -q.\n\n\
    Examples:\n  \
    mif new -s Failed                                      on stdout, all other fields empty\n  \
    mif new -s success -c Contoso -p App -v 1.2 --temp app   %TEMP%\\app.mif, as ConfigMgr expects\n  \
    mif new --status failed -d \"exit code 1603\" -o out.mif  exactly there, replacing it\n\n\
    Exit codes: 0 written, 2 bad input or the file could not be written (nothing written)."
)]
pub struct Args {
    /// Success or Failed (any case; 1 and 0 as ISMIF32.EXE takes them).
    #[arg(short, long, value_parser = parse_status, value_name = "success|failed")]
    pub status: JobStatus,
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
    /// Write to this file.
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
    /// No warnings and no "wrote" line; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_status(text: &str) -> Result<JobStatus, String> {
    JobStatus::parse_flag(text).ok_or_else(|| format!("{text:?} is not success, failed, 1 or 0"))
}

pub fn run(args: Args) -> u8 {
    let defaults = StatusMif::new(args.status);
    let given = |value: &Option<String>, default: String| value.clone().unwrap_or(default);
    let mut mif = StatusMif {
        manufacturer: given(&args.manufacturer, defaults.manufacturer),
        product: given(&args.product, defaults.product),
        version: given(&args.version, defaults.version),
        locale: given(&args.locale, defaults.locale),
        serial_number: given(&args.serial, defaults.serial_number),
        installation: given(&args.installation, defaults.installation),
        status: args.status,
        description: given(&args.description, defaults.description),
    };
    let options = FitOptions {
        truncate: args.truncate,
        replace_unmappable: args.replace_unmappable,
    };
    let warnings = match mif.fit(options) {
        Ok(warnings) => warnings,
        Err(errors) => {
            errors.iter().for_each(print_problem);
            return EXIT_TROUBLE;
        }
    };
    let destination = match destination(&args) {
        Ok(destination) => destination,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_TROUBLE;
        }
    };
    let bytes = match mif.render() {
        Ok(bytes) => bytes,
        Err(unmappable) => {
            eprintln!("error: {unmappable}");
            return EXIT_TROUBLE;
        }
    };
    if !args.quiet {
        warnings.iter().for_each(print_problem);
    }
    match destination {
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(error) = out.write_all(&bytes).and_then(|()| out.flush()) {
                eprintln!(
                    "error: cannot write to standard output: {}",
                    io_reason(&error)
                );
                return EXIT_TROUBLE;
            }
        }
        Some(path) => {
            let clobber = if args.no_clobber {
                Clobber::Refuse
            } else {
                Clobber::Replace
            };
            if let Err(error) = write_atomic(&path, &bytes, clobber) {
                let reason = if error.kind() == std::io::ErrorKind::AlreadyExists {
                    "it exists and --no-clobber was given".to_string()
                } else {
                    io_reason(&error)
                };
                eprintln!("error: cannot write {}: {reason}", path.display());
                return EXIT_TROUBLE;
            }
            if !args.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    EXIT_OK
}

fn print_problem(problem: &Problem) {
    let severity = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    eprintln!("{severity}[{}]: {}", problem.code, problem.message);
    if let Some(help) = &problem.help {
        eprintln!("  help: {help}");
    }
}

/// Where to write: `None` is standard output.
fn destination(args: &Args) -> Result<Option<PathBuf>, String> {
    if let Some(path) = &args.output {
        return Ok(Some(path.clone()));
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
