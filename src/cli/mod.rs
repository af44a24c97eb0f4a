//! Command-line interface. Exit codes, for every subcommand:
//! 0 = fine, 1 = the answer is "no" (errors found, would reformat, status
//! Failed), 2 = the job could not be done (usage, I/O, unreadable input).

/// `eprintln!` that a closed standard error cannot turn into a panic.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod address;
mod check;
mod config;
mod dump;
mod fmt;
mod generate;
mod get;
pub mod input;
mod lsp;
mod new;
mod report;
mod set;
mod status;
mod system;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Read, check, format and write DMTF Management Information Format (.mif) files:
/// DMI component MIFs, SMS/ConfigMgr status MIFs and NOIDMIF/IDMIF inventory MIFs.
#[derive(Debug, Parser)]
#[command(
    name = "mif",
    // Not taken from the program's path, which says `mif.exe` on Windows.
    bin_name = "mif",
    version,
    about,
    after_help = "Exit codes: 0 fine, 1 the answer is \"no\" (errors found, would reformat, \
                  status Failed), 2 could not do the job (usage, I/O, unreadable input).\n\
                  Colour is used only on a terminal, never when NO_COLOR is set."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(check::Args),
    Fmt(fmt::Args),
    New(new::Args),
    Status(status::Args),
    Get(get::Args),
    Set(set::Args),
    Dump(dump::Args),
    Lsp(lsp::Args),
    Completions(generate::CompletionsArgs),
    Man(generate::ManArgs),
}

/// Parse the command line and run the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse_from(system::args_os());
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::New(args) => new::run(args),
        Command::Status(args) => status::run(args),
        Command::Get(args) => get::run(args),
        Command::Set(args) => set::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Completions(args) => generate::completions(args),
        Command::Man(args) => generate::man(args),
    };
    ExitCode::from(code)
}

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the answer is "no".
pub const EXIT_NO: u8 = 1;
/// Exit code: could not do the job.
pub const EXIT_TROUBLE: u8 = 2;
