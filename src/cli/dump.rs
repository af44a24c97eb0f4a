//! `mif dump`: a MIF file as JSON for scripts, or the signatures of the
//! group classes files define.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use mif::diagnostics::{render, snippet_text, RenderOptions};
use mif::model::signature::signatures as signatures_of;
use mif::{Document, Profile};

use super::check::ProfileArg;
use super::config::{ConfigArgs, Configs};
use super::input::{self, ColorChoice, Input};
use super::{EXIT_OK, EXIT_TROUBLE};

/// Print a MIF file as JSON, or the signatures of its group classes.
///
/// The JSON holds the whole document for scripts: encoding, line ending,
/// header comments (IDMIF //Architecture<...> and //UniqueID<...> among
/// them), LANGUAGE, the component with its paths, enums, groups
/// (attributes with name, ID, type, length, access, storage, the value
/// decoded and as written) and tables (template and rows). The schema is
/// docs/json.md; `mif new --from-json` writes a MIF from it. A file with
/// syntax errors is not dumped: its errors are printed and the exit code
/// is 2.
///
/// With --signature, each group class the files define is printed one
/// line per attribute (class, ID, name, type, `key`), tab-separated, to
/// compare with what a site already holds: ConfigMgr rejects a class
/// defined with other names, IDs, types, lengths or keys.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif dump asset.mif                                 the document as JSON\n  \
    mif dump asset.mif | mif new --from-json - -o copy.mif   the same meaning, canonical\n  \
    mif dump --signature Noidmifs/                     every class of every file\n  \
    mif dump --signature --format json a.mif b.mif     the signatures as JSON\n\n  \
    PowerShell: $doc = mif dump asset.mif | Out-String | ConvertFrom-Json\n  \
    Python:     doc = json.loads(subprocess.run([\"mif\", \"dump\", \"asset.mif\"],\n  \
                    capture_output=True, check=True).stdout)\n\n\
    Exit codes: 0 printed, 2 a file could not be read or has syntax errors.")]
pub struct Args {
    /// The MIF file (`-`: standard input); with --signature, files and
    /// folders (walked for *.mif).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// json (the document, or with --signature the signatures) or text
    /// (with --signature, the default there).
    #[arg(long, value_enum)]
    pub format: Option<DumpFormat>,
    /// Print each group class's signature instead of the document.
    #[arg(long)]
    pub signature: bool,
    /// The profile to name in the JSON; detected like `mif check` does
    /// (content, a Noidmifs folder, mif.toml) when not given.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Name and place of standard input, for its profile.
    #[arg(long, value_name = "PATH")]
    pub stdin_filepath: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// When to colour the diagnostics of a file with syntax errors.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// What `mif dump` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DumpFormat {
    /// JSON: the document (docs/json.md), or the signatures.
    Json,
    /// Text, for --signature: one tab-separated line per attribute.
    Text,
}

pub fn run(args: Args) -> u8 {
    let configs = match Configs::new(&args.config) {
        Ok(configs) => configs,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    if args.signature {
        return signatures(&args, &configs);
    }
    if args.format == Some(DumpFormat::Text) {
        input::report_trouble(
            "a document is dumped as JSON only (--format json); --format text goes with --signature",
        );
        return EXIT_TROUBLE;
    }
    let [file] = args.files.as_slice() else {
        input::report_trouble(
            "give one file to dump (several make no one JSON document); --signature takes several",
        );
        return EXIT_TROUBLE;
    };
    let item = Input::from_arg(file);
    let Some((doc, options)) = read(&item, &args, &configs) else {
        return EXIT_TROUBLE;
    };
    let mut json = match doc.to_json() {
        Ok(json) => json,
        Err(error) => {
            input::report_trouble(&format!(
                "cannot dump {}: {error}",
                item.display_name(args.stdin_filepath.as_deref())
            ));
            return EXIT_TROUBLE;
        }
    };
    json.profile = Some(options.profile_of(&doc).name().to_string());
    let text = mif::json::to_string(&json);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    EXIT_OK
}

/// A file parsed, with the options `mif check` would check it with; a
/// file that cannot be read, or has syntax errors, is reported (`None`).
fn read(item: &Input, args: &Args, configs: &Configs) -> Option<(Document, mif::CheckOptions)> {
    let stdin_name = args.stdin_filepath.as_deref();
    let name = item.display_name(stdin_name);
    let bytes = match input::read(item) {
        Ok(bytes) => bytes,
        Err(message) => {
            input::report_trouble(&message);
            return None;
        }
    };
    let mut options = input::check_options(item, stdin_name).with_file_size(bytes.len() as u64);
    let configured = match configs.for_input(item, stdin_name) {
        Ok(config) => config.and_then(|c| options.path.as_deref().and_then(|p| c.profile_for(p))),
        Err(message) => {
            input::report_trouble(&message);
            return None;
        }
    };
    options.profile = args.profile.map(Profile::from).or(configured);
    let doc = Document::parse(&bytes);
    if doc.has_errors() {
        let shown = snippet_text(doc.text());
        let color = args.color.for_stderr();
        let mut err = std::io::stderr().lock();
        for d in doc.diagnostics.iter().filter(|d| d.is_error()) {
            let _ = err.write_all(
                render(d, &name, &shown, RenderOptions { color, width: None }).as_bytes(),
            );
        }
        drop(err);
        input::report_trouble(&format!(
            "{name} has syntax errors; nothing is dumped (`mif check` explains them)"
        ));
        return None;
    }
    Some((doc, options))
}

/// `--signature`: every class of every file, in the files' order.
fn signatures(args: &Args, configs: &Configs) -> u8 {
    let (inputs, errors) = input::collect(&args.files, Arc::new(|_: &std::path::Path| false));
    let mut trouble = !errors.is_empty();
    for error in &errors {
        input::report_trouble(error);
    }
    let json = args.format == Some(DumpFormat::Json);
    let several = inputs.len() > 1;
    let mut out = String::new();
    let mut all = Vec::new();
    for item in &inputs {
        let Some((doc, _)) = read(item, args, configs) else {
            trouble = true;
            continue;
        };
        let name = item.display_name(args.stdin_filepath.as_deref());
        let classes = signatures_of(&doc);
        if json {
            for signature in &classes {
                all.push(serde_json::json!({
                    "file": name,
                    "class": signature.class,
                    "group": signature.group,
                    "line": signature.line,
                    "attributes": signature.attributes,
                }));
            }
            continue;
        }
        if several {
            out.push_str(&format!("# {name}\n"));
        }
        for signature in &classes {
            for line in signature.lines() {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    if json {
        out = serde_json::to_string_pretty(&all).unwrap_or_default();
        out.push('\n');
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if trouble {
        EXIT_TROUBLE
    } else {
        EXIT_OK
    }
}
