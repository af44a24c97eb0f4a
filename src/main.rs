//! The `mif` command: a thin shell over the `mif` library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let file = cli::input::current_file()
            .map(|f| format!(" while processing {f}"))
            .unwrap_or_default();
        eprintln!(
            "mif: internal error{file}, please report it with the input file: {info}\n\
             No file was changed by the failed step."
        );
    }));
    match std::panic::catch_unwind(cli::run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(cli::EXIT_TROUBLE),
    }
}
