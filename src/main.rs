//! The `mif` command: a thin shell over the `mif` library.

mod cli;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    set_signals();
    std::panic::set_hook(Box::new(|info| {
        let file = cli::input::current_file()
            .map(|f| format!(" while processing {f}"))
            .unwrap_or_default();
        // A closed stderr must not turn the report into a second panic.
        let _ = writeln!(
            std::io::stderr(),
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
/// A reader that goes away (`mif check . | head -1`) ends the program
/// quietly by SIGPIPE's default action, as for any Unix filter, instead of
/// failing writes the program would report on the same closed pipe. No
/// file is being written then: the writers write files, not pipes, and a
/// file being replaced is left intact by the atomic writer.
#[cfg(unix)]
fn set_signals() {
    // SAFETY: SIG_IGN and SIG_DFL install no handler code; called before any
    // thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn set_signals() {}
