//! `mif new --from-json FILE`: the MIF a JSON document describes.

use std::path::Path;

use mif::json::{self, Refused};
use mif::CheckOptions;

use super::super::input::{self, Input};
use super::super::{EXIT_OK, EXIT_TROUBLE};
use super::{deliver, note_profile_at_destination, nothing_written, print_finding, Args};

pub fn run(args: &Args, source: &Path) -> u8 {
    let item = Input::from_arg(source);
    let bytes = match input::read(&item) {
        Ok(bytes) => bytes,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let name = item.display_name(None);
    // JSON is UTF-8; a byte-order mark (PowerShell's Out-File) is allowed.
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)) {
        Ok(text) => text,
        Err(_) => {
            input::report_trouble(&format!(
                "{name} is not UTF-8 text; JSON is (in Windows PowerShell 5.1, write it with \
                 `Set-Content -Encoding UTF8` or pipe it: `... | ConvertTo-Json -Depth 20 | mif new --from-json -`)"
            ));
            return EXIT_TROUBLE;
        }
    };
    let document = match json::from_str(text) {
        Ok(document) => document,
        Err(error) => {
            input::report_trouble(&format!("{name}: not a MIF JSON document: {error}"));
            return EXIT_TROUBLE;
        }
    };
    let destination = args
        .output
        .as_deref()
        .filter(|path| path.as_os_str() != "-");
    let options = destination.map_or_else(CheckOptions::default, CheckOptions::for_path);
    let color = args.color.for_stderr();
    let mut err = std::io::stderr().lock();
    let written = match document.write(&options, args.force) {
        Ok(written) => written,
        Err(Refused::Json(error)) => {
            drop(err);
            input::report_trouble(&format!("{name}: {error}; nothing written"));
            return EXIT_TROUBLE;
        }
        Err(Refused::Check { findings, .. }) => {
            for finding in &findings {
                let about = finding.place.as_ref().map(ToString::to_string);
                print_finding(&mut err, about.as_deref(), &finding.diagnostic, None, color);
            }
            drop(err);
            nothing_written(findings.iter().all(|f| !f.diagnostic.is_error()));
            return EXIT_TROUBLE;
        }
    };
    if !args.quiet {
        for finding in &written.warnings {
            let about = finding.place.as_ref().map(ToString::to_string);
            print_finding(&mut err, about.as_deref(), &finding.diagnostic, None, color);
        }
    }
    drop(err);
    let code = deliver(&written.bytes, destination, args.no_clobber, args.quiet);
    if code == EXIT_OK && !args.quiet {
        note_profile_at_destination(&written.bytes, written.profile, &options);
    }
    code
}
