//! `mif get`: print a value, or a group's values.

use std::io::Write;
use std::path::PathBuf;

use mif::diagnostics::{render, snippet_text, RenderOptions};
use mif::edit::{Found, FoundValue};
use mif::span::LineIndex;
use mif::syntax::Value;
use mif::{Diagnostic, Document};

use super::address::AddressArgs;
use super::input::{self, ColorChoice, Input, OutputFormat};
use super::{EXIT_OK, EXIT_TROUBLE};

/// Print a value from a MIF file, or all values of a group.
///
/// With an attribute in the address, prints its decoded value on one line
/// (numbers in decimal; UNKNOWN, UNSUPPORTED as such; line breaks and other
/// control characters escaped as \n, \t, ...; --format json has them as is). Without one, prints
/// the group's (or table row's) attributes as a table. An empty table cell
/// shows the template's default.
///
/// A file with syntax errors: the errors are printed on stderr, and the
/// value only when no error comes before the end of its group (or table):
/// the parser reads left to right and settles a block at its END, so a
/// later error cannot change the value, while an earlier one (a missing
/// quote, a block never closed) can. Otherwise nothing is printed on
/// stdout and the exit code is 2.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Address: GROUP[.ATTRIBUTE] or TABLE[KEY,...][.ATTRIBUTE]; each part a name\n\
    (any case) or an ID; quote a part containing . [ ] , (\"Fan table\"[1].State).\n\n\
    Examples:\n  \
    mif get app.mif InstallStatus.Status                  the status of a status MIF\n  \
    mif get app.mif 2.1                                   group 2, attribute 1\n  \
    mif get inv.mif --group \"Asset Numbers\"               every attribute of a group\n  \
    mif get dmi.mif --table \"Fan table\" --key 1 --attr State   one cell of a table row\n  \
    mif get app.mif ComponentID.Version --format json     type, raw spelling, line and column\n\n\
    Exit codes: 0 found, 2 not found, the file could not be read, or a syntax error comes\n\
    before the value."
)]
pub struct Args {
    /// The MIF file; `-` reads standard input.
    pub file: PathBuf,
    /// The value's address (or use --group/--table, --key, --attr).
    pub address: Option<String>,
    #[command(flatten)]
    pub at: AddressArgs,
    /// Output format: plain text, or one JSON object.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// When to colour the diagnostics of a file with syntax errors.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: Args) -> u8 {
    let address = match args.at.address(args.address.as_deref()) {
        Ok(Some(address)) => address,
        Ok(None) => {
            input::report_trouble("no address: give GROUP.ATTRIBUTE or --group/--table");
            return EXIT_TROUBLE;
        }
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let item = Input::from_arg(&args.file);
    let bytes = match input::read(&item) {
        Ok(bytes) => bytes,
        Err(message) => {
            input::report_trouble(&message);
            return EXIT_TROUBLE;
        }
    };
    let doc = Document::parse(&bytes);
    let name = item.display_name(None);
    let errors: Vec<&Diagnostic> = doc.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let shown = snippet_text(doc.text());
        let color = args.color.for_stderr();
        let mut err = std::io::stderr().lock();
        for d in &errors {
            let _ = write!(
                err,
                "{}",
                render(d, &name, &shown, RenderOptions { color, width: None })
            );
        }
    }
    let found = match doc.get(&address) {
        Ok(found) => found,
        Err(error) => {
            input::report_trouble(&format!("{name}: {error}"));
            return EXIT_TROUBLE;
        }
    };
    let value_end = found.group.span.end;
    if errors.iter().any(|d| d.span.start < value_end) {
        input::report_trouble(&format!(
            "{name}: a syntax error comes before {address}, so its value cannot be trusted; fix \
             the errors first (`mif check` explains them)"
        ));
        return EXIT_TROUBLE;
    }
    let one = address.attribute.is_some();
    let output = match args.format {
        OutputFormat::Human if one => match found.values[0].text() {
            Some(text) => input::one_line(&text),
            None => {
                input::report_trouble(&format!("{address} has no VALUE"));
                return EXIT_TROUBLE;
            }
        },
        OutputFormat::Human => table(&found),
        OutputFormat::Json => {
            let index = LineIndex::new(doc.text());
            let values: Vec<JsonValue> = found
                .values
                .iter()
                .map(|v| JsonValue::new(&doc, &index, v))
                .collect();
            let json = if one {
                serde_json::to_value(&values[0])
            } else {
                serde_json::to_value(JsonGroup {
                    group: found.group.name(),
                    id: found.group.id(),
                    class: found.group.class(),
                    row: found.row.is_some().then_some(&address.row),
                    attributes: values,
                })
            };
            json.map_or_else(|e| e.to_string(), |j| j.to_string())
        }
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", output.trim_end_matches('\n')).is_err() {
        return EXIT_TROUBLE;
    }
    EXIT_OK
}

/// The attributes of a group as aligned columns: ID, NAME, TYPE, VALUE.
fn table(found: &Found) -> String {
    let rows: Vec<[String; 4]> = found
        .values
        .iter()
        .map(|v| {
            let value = v
                .text()
                .map_or_else(|| "(no value)".to_string(), |text| input::one_line(&text));
            let value = if v.from_template && v.value.is_some() {
                format!("{value} (default)")
            } else {
                value
            };
            [
                v.attribute
                    .id()
                    .map_or_else(|| "-".into(), |id| id.to_string()),
                v.attribute.name().unwrap_or("-").to_string(),
                v.type_name().unwrap_or_else(|| "-".into()),
                value,
            ]
        })
        .collect();
    let header = ["ID", "NAME", "TYPE", "VALUE"].map(String::from);
    let mut widths = [0; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One value for `--format json`.
#[derive(serde::Serialize)]
struct JsonValue<'a> {
    attribute: Option<&'a str>,
    id: Option<i128>,
    #[serde(rename = "type")]
    data_type: Option<String>,
    /// `string`, `integer`, `path`, `unknown`, `unsupported`, or `none`.
    kind: &'static str,
    value: Option<serde_json::Value>,
    /// The value as written in the file.
    raw: Option<&'a str>,
    /// True when an empty table cell shows the template's default.
    default: bool,
    line: Option<usize>,
    column: Option<usize>,
    /// Byte offset of the value in the decoded (UTF-8) text.
    offset: Option<usize>,
    length: Option<usize>,
}

impl<'a> JsonValue<'a> {
    fn new(doc: &'a Document, index: &LineIndex, found: &FoundValue<'a>) -> JsonValue<'a> {
        let kind = match found.value {
            None => "none",
            Some(Value::String(_)) => "string",
            Some(Value::Integer(_)) => "integer",
            Some(Value::Path { .. }) => "path",
            Some(Value::Unknown(_)) => "unknown",
            Some(Value::Unsupported(_)) => "unsupported",
        };
        let value = match found.value {
            Some(Value::Integer(int)) => int.value().and_then(|v| {
                i64::try_from(v)
                    .ok()
                    .map(Into::into)
                    .or(u64::try_from(v).ok().map(Into::into))
            }),
            _ => found.text().map(serde_json::Value::String),
        };
        let raw_span = found.value.map(Value::span);
        let span = found.span();
        let (line, column) = span.map(|s| index.line_col(s.start)).unzip();
        JsonValue {
            attribute: found.attribute.name(),
            id: found.attribute.id(),
            data_type: found.type_name(),
            kind,
            value,
            raw: raw_span.and_then(|s| doc.text().get(s.range())),
            default: found.from_template,
            line,
            column,
            offset: span.map(|s| s.start),
            length: span.map(|s| s.len()),
        }
    }
}

/// A group's values for `--format json`.
#[derive(serde::Serialize)]
struct JsonGroup<'a> {
    group: Option<&'a str>,
    id: Option<i128>,
    class: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<&'a Vec<String>>,
    attributes: Vec<JsonValue<'a>>,
}
