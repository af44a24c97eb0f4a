//! `mif set`: change values in place, every other byte kept.

use std::io::Write;
use std::path::PathBuf;

use mif::diagnostics::{render, snippet_text, RenderOptions};
use mif::edit::{Address, Edit, EditError, NewValue, Selector};
use mif::write::{write_atomic, Clobber};
use mif::{Diagnostic, Document};

use super::address::AddressArgs;
use super::input::{self, ColorChoice, Input};
use super::{EXIT_OK, EXIT_TROUBLE};

/// The class of a status MIF's InstallStatus group.
const JOBSTATUS_CLASS: &str = "MICROSOFT|JOBSTATUS|1.0";

/// Change values in a MIF file in place, keeping every other byte.
///
/// Only the value's own text is replaced, in the file's encoding and escaped
/// like the formatter escapes; comments, layout, keyword case, line endings
/// and the byte-order mark stay. The new value is checked against the
/// attribute's type first (STRING(n) length, integer range, enum items by
/// text or number, DATE form). Several changes in one call are made
/// together or not at all; the file is replaced atomically.
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
    Exit codes: 0 done, 2 nothing was written (address not found, value breaks the type,\n\
    syntax errors in the file, I/O). --force still writes a value that only breaks a warning\n\
    rule (too long for STRING(n), not a DMI date)."
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
    /// Status MIF: the new Status of the InstallStatus group (Success or Failed).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Status MIF: the new Description of the InstallStatus group.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub description: Option<String>,
    /// Write a value that only breaks a warning-level rule.
    #[arg(long)]
    pub force: bool,
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
    let bytes = match input::read(&item) {
        Ok(bytes) => bytes,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let mut doc = Document::parse(&bytes);
    let original = doc.text().to_string();
    let shown = snippet_text(&original);
    let color = args.color.for_stderr();
    let show = |diagnostics: &[Diagnostic]| {
        let mut err = std::io::stderr().lock();
        for d in diagnostics {
            let text = render(d, &name, &shown, RenderOptions { color, width: None });
            let _ = write!(err, "{text}");
        }
    };
    match doc.apply(&edits, args.force) {
        Ok(forced) => show(&forced),
        Err(error) => {
            if let EditError::Invalid(diagnostics) | EditError::SyntaxErrors(diagnostics) = &error {
                show(diagnostics);
            }
            input::report_trouble(&format!("{name}: {error}; nothing written"));
            return EXIT_TROUBLE;
        }
    }
    let new_bytes = match doc.source.encode(doc.text()) {
        Ok(new_bytes) => new_bytes,
        Err(error) => {
            input::report_trouble(&format!("{name}: {error}; nothing written"));
            return EXIT_TROUBLE;
        }
    };
    let written = match &item {
        Input::Stdin => std::io::stdout()
            .lock()
            .write_all(&new_bytes)
            .map_err(|e| format!("cannot write standard output: {}", input::io_reason(&e))),
        Input::File(_) if new_bytes == bytes => Ok(()),
        Input::File(path) => write_atomic(path, &new_bytes, Clobber::Replace)
            .map_err(|e| format!("cannot write {name}: {}", input::io_reason(&e))),
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
            Selector::Class(JOBSTATUS_CLASS.into()),
            Selector::Name(attribute.into()),
        ),
        value: NewValue::Text(text.to_string()),
    };
    if let Some(status) = &args.status {
        edits.push(status_field("Status", status));
    }
    if let Some(description) = &args.description {
        edits.push(status_field("Description", description));
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
