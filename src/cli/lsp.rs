//! `mif lsp`: the language server on stdin/stdout.

use super::input::report_trouble;
use super::{EXIT_OK, EXIT_TROUBLE};

/// Run the MIF language server over stdin/stdout (for editors).
///
/// Speaks the Language Server Protocol: diagnostics as `mif check` reports
/// them, formatting with minimal edits, document outline, hover help and
/// completion. Editors start it themselves; see docs/editors.md.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 the client shut the server down, 2 the connection \
    broke or the client broke the protocol."
)]
pub struct Args {}

pub fn run(_args: Args) -> u8 {
    match mif::lsp::serve_stdio() {
        Ok(()) => EXIT_OK,
        Err(error) => {
            report_trouble(&error.to_string());
            EXIT_TROUBLE
        }
    }
}
