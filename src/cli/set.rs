//! `mif set`: change values in place, every other byte kept.

use std::io::Write;
use std::path::PathBuf;

use mif::diagnostics::{render, snippet_text, RenderOptions};
use mif::edit::{Address, ApplyOptions, Edit, EditError, EditFinding, NewValue, Selector};
use mif::status::{Field, JobStatus, JOB_STATUS_CLASS};
use mif::write::rewrite_in_place;
use mif::Document;

use super::address::AddressArgs;
use super::input::{self, ColorChoice, Input, Origin};
use super::{EXIT_OK, EXIT_TROUBLE};

/// Change values in a MIF file in place, keeping every other byte.
///
/// Only the value's own text is replaced, in the file's encoding and escaped
/// like the formatter escapes; comments, layout, keyword case, line endings
/// and the byte-order mark stay. The changed file is judged by the same
/// check as `mif check` before it is written: a new value that breaks its
/// type (STRING(n) length, integer range, enum items by text or number,
/// DATE form) or a rule of the file's profile (a Status other than Success
/// or Failed, a `"` in an inventory value) is refused with that check's
/// diagnostic. Several changes in one call are made together or not at
/// all; the file is replaced atomically.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Address: GROUP[.ATTRIBUTE] or TABLE[KEY,...][.ATTRIBUTE]; each part a name\n\
    (any case) or an ID; quote a part containing . [ ] , = (\"Fan table\"[1].State).\n\n\
    Examples:\n  \
    mif set app.mif --status Failed --description \"disk full\"   flip a status MIF to Failed\n  \
    mif set inv.mif \"Asset Numbers.Asset Tag\" --value A-10442  a new asset tag\n  \
    mif set app.mif 1.3 --value 2.1                             group 1, attribute 3\n  \
    mif set dmi.mif --table \"Fan table\" --key 2 --attr Speed --unknown\n  \
    mif set app.mif --set ComponentID.Version=2.1 --set ComponentID.Product=Tool\n  \
    type app.mif | mif set - InstallStatus.Status --value Failed > out.mif\n\n\
    --status takes the words `mif new` takes (success, failed, 1, 0, any case) and writes\n\
    Success or Failed.\n\n\
    Exit codes: 0 done, 2 nothing was written (address not found, the check refuses the\n\
    value, syntax errors in the file, I/O). --force still writes a value that only breaks a\n\
    warning rule (too long for STRING(n), not a DMI date); --truncate cuts text to fit."
)]
pub struct Args {
    /// The MIF file to change; `-` reads standard input and writes the result to standard output.
    pub file: PathBuf,
    /// The value's address (or use --group/--table, --key, --attr).
    pub address: Option<String>,
    #[command(flatten)]
    pub at: AddressArgs,
    /// The new value, read by the attribute's type.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["unknown", "unsupported"], allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Set the value to UNKNOWN.
    #[arg(long, conflicts_with = "unsupported")]
    pub unknown: bool,
    /// Set the value to UNSUPPORTED.
    #[arg(long)]
    pub unsupported: bool,
    /// Another change, as ADDRESS=VALUE; repeat it: all are made or none.
    #[arg(long = "set", value_name = "ADDRESS=VALUE")]
    pub sets: Vec<String>,
    /// Status MIF: the new Status of the InstallStatus group: success or
    /// failed (any case; 1 and 0 as ISMIF32.EXE takes them), written as
    /// Success or Failed.
    #[arg(long, value_name = "success|failed")]
    pub status: Option<String>,
    /// Status MIF: the new Description of the InstallStatus group.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub description: Option<String>,
    /// Write a value that only breaks a warning-level rule.
    #[arg(long)]
    pub force: bool,
    /// Cut text longer than its attribute holds (its STRING(n) size, and in
    /// a status MIF ISMIF32's limit for the field), with a warning.
    #[arg(long)]
    pub truncate: bool,
    /// Name to use for standard input in messages.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<PathBuf>,
    /// When to colour the diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: Args) -> u8 {
    let edits = match edits(&args) {
        Ok(edits) => edits,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let item = Input::from_arg(&args.file);
    let name = item.display_name(args.stdin_filepath.as_deref());
    let (bytes, origin) = match input::read_with_origin(&item) {
        Ok(bytes) => bytes,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let mut doc = Document::parse(&bytes);
    let color = args.color.for_stderr();
    let show = |text: &str, findings: &[EditFinding]| {
        let shown = snippet_text(text);
        let mut err = std::io::stderr().lock();
        for finding in findings {
            if let Some(address) = &finding.address {
                let _ = writeln!(err, "{name}: {address}:");
            }
            let rendered = render(
                &finding.diagnostic,
                &name,
                &shown,
                RenderOptions { color, width: None },
            );
            let _ = write!(err, "{rendered}");
        }
    };
    let options = ApplyOptions {
        force: args.force,
        truncate: args.truncate,
        check: input::check_options(&item, args.stdin_filepath.as_deref()),
    };
    match doc.apply(&edits, &options) {
        Ok(applied) => {
            for (address, before, after) in &applied.truncated {
                tell!("warning: {address}: cut from {before} to {after} characters to fit");
            }
            show(doc.text(), &applied.warnings);
        }
        Err(error) => {
            match &error {
                EditError::Refused { text, findings } => show(text, findings),
                EditError::SyntaxErrors(diagnostics) => {
                    let shown = snippet_text(doc.text());
                    let mut err = std::io::stderr().lock();
                    for d in diagnostics {
                        let text = render(d, &name, &shown, RenderOptions { color, width: None });
                        let _ = write!(err, "{text}");
                    }
                }
                _ => {}
            }
            let hint = match &error {
                EditError::Refused { findings, .. }
                    if findings.iter().all(|f| !f.diagnostic.is_error()) =>
                {
                    "; --force writes it anyway"
                }
                EditError::SyntaxErrors(_) => " (`mif check` explains them)",
                _ => "",
            };
            input::report_trouble(&format!("{name}: {error}{hint}; nothing written"));
            return EXIT_TROUBLE;
        }
    }
    if let Some(given) = &args.status {
        let written = JobStatus::parse(given).map(JobStatus::as_str);
        if written.is_some_and(|w| w != given) {
            tell!(
                "note: Status written as {:?} for {given:?}: the word SMS documents",
                written.unwrap_or_default()
            );
        }
    }
    let new_bytes = match doc.source.encode(doc.text()) {
        Ok(new_bytes) => new_bytes,
        Err(error) => {
            input::report_trouble(&format!("{name}: {error}; nothing written"));
            return EXIT_TROUBLE;
        }
    };
    let written = match origin {
        Origin::Stdin => std::io::stdout()
            .lock()
            .write_all(&new_bytes)
            .map_err(|e| format!("cannot write standard output: {}", input::io_reason(&e))),
        Origin::File { .. } if new_bytes == bytes => Ok(()),
        Origin::File { path, identity } => rewrite_in_place(&path, &new_bytes, identity)
            .map_err(|e| input::write_failed(&name, &e)),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(message) => {
            input::report_trouble(&message);
            EXIT_TROUBLE
        }
    }
}

/// The changes the command line asks for, in order.
fn edits(args: &Args) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    let value = if let Some(text) = &args.value {
        Some(NewValue::Text(text.clone()))
    } else if args.unknown {
        Some(NewValue::Unknown)
    } else if args.unsupported {
        Some(NewValue::Unsupported)
    } else {
        None
    };
    match (args.at.address(args.address.as_deref())?, value) {
        (Some(address), Some(value)) => edits.push(Edit { address, value }),
        (Some(address), None) => {
            return Err(format!(
                "no new value for {address}: give --value, --unknown or --unsupported"
            ))
        }
        (None, Some(_)) => return Err("no address for the new value".into()),
        (None, None) => {}
    }
    for set in &args.sets {
        let (address, text) =
            split_assignment(set).ok_or_else(|| format!("--set {set}: expected ADDRESS=VALUE"))?;
        let address = address.parse().map_err(|e| format!("--set {set}: {e}"))?;
        edits.push(Edit {
            address,
            value: NewValue::Text(text.to_string()),
        });
    }
    let status_field = |attribute: &str, text: &str| Edit {
        address: Address::attribute(
            Selector::Class(JOB_STATUS_CLASS.into()),
            Selector::Name(attribute.into()),
        ),
        value: NewValue::Text(text.to_string()),
    };
    if let Some(given) = &args.status {
        let status = super::new::parse_status(given).map_err(|why| format!("--status {why}"))?;
        edits.push(status_field("Status", status.as_str()));
    }
    if let Some(description) = &args.description {
        edits.push(status_field(
            Field::Description.attribute_name(),
            description,
        ));
    }
    if edits.is_empty() {
        return Err(
            "nothing to change: give ADDRESS --value V, --set ADDRESS=VALUE or --status".into(),
        );
    }
    Ok(edits)
}

/// Split `ADDRESS=VALUE` at the first `=` outside quotes.
fn split_assignment(text: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '=' if !quoted => return Some((&text[..i], &text[i + 1..])),
            _ => {}
        }
    }
    None
}
