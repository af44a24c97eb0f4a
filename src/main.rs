//! The `mif` command: a thin shell over the `mif` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
