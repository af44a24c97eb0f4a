//! `mif completions` and `mif man`: shell completion scripts and the man
//! page, generated from the clap definitions so they never drift from the
//! real options.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::input::report_trouble;
use super::{Cli, EXIT_OK, EXIT_TROUBLE};

/// Print a shell completion script to stdout.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif completions bash > ~/.local/share/bash-completion/completions/mif\n  \
    mif completions zsh > ~/.zfunc/_mif      (with fpath+=~/.zfunc before compinit)\n  \
    mif completions fish > ~/.config/fish/completions/mif.fish\n  \
    mif completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the man page (roff) of mif or of one subcommand to stdout.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif man | man -l -                      read it now\n  \
    mif man check > mif-check.1             the page of `mif check`\n  \
    for c in check fmt new status get set lsp completions man; do mif man $c > mif-$c.1; done\n  \
    mif man > mif.1                         the page of mif itself")]
pub struct ManArgs {
    /// The subcommand whose page to print (the page of `mif` itself without it).
    pub subcommand: Option<String>,
}

pub fn completions(args: CompletionsArgs) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "mif", &mut script);
    write_stdout(&script)
}

pub fn man(args: ManArgs) -> u8 {
    let mut mif = Cli::command();
    // Building names the subcommands `mif-check` and `mif check`, as their pages want.
    mif.build();
    let command = match args.subcommand {
        None => mif,
        Some(name) => match mif.find_subcommand(&name) {
            Some(sub) => sub.clone(),
            None => {
                report_trouble(&format!("no subcommand `{name}`; see mif --help"));
                return EXIT_TROUBLE;
            }
        },
    };
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command).source(concat!("mif ", env!("CARGO_PKG_VERSION")));
    match man.render(&mut page) {
        Ok(()) => write_stdout(&page),
        Err(error) => {
            report_trouble(&format!("cannot render the man page: {error}"));
            EXIT_TROUBLE
        }
    }
}

fn write_stdout(bytes: &[u8]) -> u8 {
    match std::io::stdout().lock().write_all(bytes) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            report_trouble(&format!(
                "cannot write to standard output: {}",
                super::input::io_reason(&error)
            ));
            EXIT_TROUBLE
        }
    }
}
