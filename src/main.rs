//! The `mif` command: a thin shell over the `mif` library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    ignore_file_size_signal();
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

/// Under a file-size limit (`ulimit -f`, a quota-like "disk full") a write
/// must fail with an error we report and clean up after, not kill the
/// process by SIGXFSZ's default action and leave a temporary file behind.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: SIG_IGN installs no handler code; called before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}
