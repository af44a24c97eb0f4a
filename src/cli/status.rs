//! `mif status`: what SMS/ConfigMgr will make of the status MIFs here.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use mif::diagnostics::{render, snippet_text, JsonDiagnostic, RenderOptions};
use mif::span::LineIndex;
use mif::status::{self, Candidate, Criteria, Field, JobStatus, Locations, Note, Selection};
use mif::Document;

use super::input::{self, ColorChoice, Input};
use super::report::{self, Format};
use super::{EXIT_NO, EXIT_OK, EXIT_TROUBLE};

/// Read status MIFs and say what SMS/ConfigMgr will make of them.
///
/// Prints, per file, the status, description, manufacturer, product,
/// version and file time and why the client would not take it; with
/// --explain (or -v) also ten points to check when ConfigMgr does not use
/// the file (verdict, matching, file name, location, time window,
/// encoding, fields, outcome, deployment type, log lines); with --brief one
/// line per file. With the
/// --match-* options and --since it applies the client's rules and says
/// which file it would take and why not the others; a file the points rule
/// out (it does not check, is not *.mif, no package can match it) is never
/// taken. Problems that make SMS ignore or misread a file are diagnostics
/// on stderr, with the codes of `mif check --profile status`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif status %TEMP%                                  every *.mif in the folder\n  \
    mif status --explain app.mif                       the ten points to check\n  \
    mif status --brief %TEMP%                          one line per file\n  \
    mif status --match-product App --match-version 1.2 --since start.stamp C:\\Windows\\Temp\n  \
    mif status --format json setup.mif                 one JSON object, for scripts\n\n\
    Exit codes: 0 the file taken says Success, 1 it says Failed,\n\
    2 no status MIF the client would take, a file could not be read, or the command\n\
    line is wrong.")]
pub struct Args {
    /// Status MIFs or folders (every *.mif directly in them); `-` or nothing reads standard input.
    pub paths: Vec<PathBuf>,
    /// Take only files whose Product is this (ignoring case), as the package's Name.
    #[arg(long, value_name = "P")]
    pub match_product: Option<String>,
    /// Take only files whose Manufacturer is this (ignoring case).
    #[arg(long, value_name = "M")]
    pub match_manufacturer: Option<String>,
    /// Take only files whose Version is this (ignoring case).
    #[arg(long, value_name = "V")]
    pub match_version: Option<String>,
    /// Take only files written after TIME (when the program started): RFC 3339 (2026-05-01T12:00:00Z,
    /// 2026-05-01T14:00:00+02:00) or a file whose modification time is used.
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<Timestamp>,
    /// How to report: human, json (one object), github or short.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// One line per file: its verdict, and why it is not taken.
    #[arg(long, conflicts_with_all = ["explain", "verbose"])]
    pub brief: bool,
    /// Also the ten points to check when ConfigMgr ignores a file.
    #[arg(long)]
    pub explain: bool,
    /// The same as --explain.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print only the problems that make a file unusable, and no verdicts;
    /// the exit code says the rest.
    #[arg(short, long, conflicts_with_all = ["brief", "explain", "verbose"])]
    pub quiet: bool,
    /// When to colour the diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

fn parse_since(text: &str) -> Result<Timestamp, String> {
    if let Ok(time) = text.parse::<Timestamp>() {
        return Ok(time);
    }
    let path = Path::new(text);
    if path.exists() {
        return modified(path)
            .ok_or_else(|| format!("cannot read the modification time of {text}"));
    }
    Err(format!(
        "{text:?} is neither an RFC 3339 time (2026-05-01T12:00:00Z) nor an existing file"
    ))
}

fn modified(path: &Path) -> Option<Timestamp> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    Timestamp::try_from(time).ok()
}

/// One file read, with what is needed to show its diagnostics.
struct Found {
    candidate: Candidate,
    text: String,
}

pub fn run(args: Args) -> u8 {
    let (inputs, mut trouble) = collect(&args.paths);
    let mut found = Vec::new();
    for item in &inputs {
        let name = item.display_name(None);
        let Some(bytes) = input::read_or_report(item, &mut trouble) else {
            continue;
        };
        let doc = Document::parse(&bytes);
        let modified = match item {
            Input::File(path) => modified(path),
            Input::Stdin => None,
        };
        let (path, options) = match item {
            Input::File(path) => (Some(path.clone()), mif::CheckOptions::for_path(path)),
            Input::Stdin => (None, mif::CheckOptions::default()),
        };
        found.push(Found {
            candidate: Candidate {
                name,
                path,
                modified,
                reading: status::read(&doc, &options),
                file_name: None,
            },
            text: doc.source.text,
        });
    }
    if inputs.is_empty() && !trouble {
        input::report_trouble("no *.mif files found");
        trouble = true;
    }
    let mut criteria = Criteria {
        since: args.since,
        ..Criteria::default()
    };
    criteria.wanted[Field::Manufacturer] = args.match_manufacturer.clone();
    criteria.wanted[Field::Product] = args.match_product.clone();
    criteria.wanted[Field::Version] = args.match_version.clone();
    let candidates: Vec<Candidate> = found.iter().map(|f| f.candidate.clone()).collect();
    let selection = status::pick(&candidates, &criteria);
    let locations = locations();
    let detail = if args.quiet {
        Detail::Quiet
    } else if args.brief {
        Detail::Brief
    } else if args.explain || args.verbose {
        Detail::Explained
    } else {
        Detail::Normal
    };
    match args.format {
        Format::Human => print_human(
            &found, &selection, &criteria, &locations, args.color, detail,
        ),
        Format::Json => print_json(&found, &selection, &criteria, &locations),
        format => print_lines(format, &found, &selection, detail),
    }
    let verdict = selection.picked.and_then(|i| candidates[i].reading.verdict);
    match verdict {
        _ if trouble => EXIT_TROUBLE,
        Some(JobStatus::Success) => EXIT_OK,
        Some(JobStatus::Failed) => EXIT_NO,
        None => EXIT_TROUBLE,
    }
}

/// Files to read: `-` (or nothing) is standard input, a folder gives the
/// `*.mif` files directly in it (the client does not look in subfolders).
fn collect(paths: &[PathBuf]) -> (Vec<Input>, bool) {
    if paths.is_empty() {
        return (vec![Input::Stdin], false);
    }
    let mut inputs = Vec::new();
    let mut trouble = false;
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> = entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_file() && is_mif(p))
                        .collect();
                    // The client reads every `*.mif` in the folder, no other.
                    files.sort();
                    inputs.extend(files.into_iter().map(Input::File));
                }
                Err(error) => {
                    input::report_trouble(&format!(
                        "cannot list {}: {}",
                        path.display(),
                        input::io_reason(&error)
                    ));
                    trouble = true;
                }
            }
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    (inputs, trouble)
}

fn is_mif(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| mif::model::status::is_mif_file_name(&n.to_string_lossy()))
}

/// `%TEMP%` (TEMP, TMP, the system temp folder) and `%windir%` here.
fn locations() -> Locations {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let mut temp: Vec<PathBuf> = ["TEMP", "TMP"].iter().filter_map(|n| var(n)).collect();
    temp.push(std::env::temp_dir());
    Locations {
        temp,
        windir: var("windir")
            .or_else(|| var("WINDIR"))
            .or_else(|| var("SystemRoot")),
    }
}

/// A value as the client reads it, in quotes; only control characters
/// (a line break in a description) are escaped, to keep it on one line.
fn shown(value: Option<&str>) -> String {
    value.map_or("(missing)".to_string(), |v| {
        format!("\"{}\"", input::one_line(v))
    })
}

/// How much to say per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Only what makes files unusable, on stderr.
    Quiet,
    /// One line per file.
    Brief,
    /// The values and why a file is not taken.
    Normal,
    /// And the ten points.
    Explained,
}

/// A file's verdict as its first line says it: `Success (picked)`.
fn verdict_line(found: &Found, index: usize, selection: &Selection) -> String {
    let reading = &found.candidate.reading;
    let verdict = match reading.verdict {
        Some(status) if reading.is_usable() => status.as_str(),
        _ => "unusable",
    };
    let picked = if selection.picked == Some(index) {
        " (picked)"
    } else {
        ""
    };
    format!("{}: {verdict}{picked}", found.candidate.name)
}

/// `--format github` or `short`: the findings, then a line per file with
/// its verdict and why it is not taken.
fn print_lines(format: Format, found: &[Found], selection: &Selection, detail: Detail) {
    for (index, file) in found.iter().enumerate() {
        let reading = &file.candidate.reading;
        let shown: Vec<_> = reading
            .diagnostics
            .iter()
            .filter(|d| detail != Detail::Quiet || d.is_error())
            .cloned()
            .collect();
        report::findings(format, &file.candidate.name, &file.text, &shown, false).print();
        if detail == Detail::Quiet {
            continue;
        }
        let mut line = verdict_line(file, index, selection);
        let reasons: Vec<String> = selection.obstacles[index]
            .iter()
            .map(ToString::to_string)
            .collect();
        if !reasons.is_empty() {
            line.push_str(&format!("; not taken: {}", reasons.join("; ")));
        }
        let name = &file.candidate.name;
        let message = line.strip_prefix(&format!("{name}: ")).unwrap_or(&line);
        let said = report::file_line(format, name, mif::Severity::Info, "mif status", message);
        let _ = std::io::stdout().lock().write_all(said.as_bytes());
    }
}

fn print_human(
    found: &[Found],
    selection: &Selection,
    criteria: &Criteria,
    locations: &Locations,
    color: ColorChoice,
    detail: Detail,
) {
    let color = color.for_stderr();
    let mut err = std::io::stderr().lock();
    let mut out = std::io::stdout().lock();
    for (index, file) in found.iter().enumerate() {
        let candidate = &file.candidate;
        let name = &candidate.name;
        let text = snippet_text(&file.text);
        let told = candidate
            .reading
            .diagnostics
            .iter()
            .filter(|d| detail != Detail::Quiet || d.is_error());
        for d in told {
            let _ = write!(
                err,
                "{}",
                render(d, name, &text, RenderOptions { color, width: None })
            );
        }
        let reading = &candidate.reading;
        let obstacles = &selection.obstacles[index];
        match detail {
            Detail::Quiet => continue,
            Detail::Brief => {
                let mut line = verdict_line(file, index, selection);
                if let Some(first) = obstacles.first() {
                    line.push_str(&format!("; not taken: {first}"));
                }
                let _ = writeln!(out, "{line}");
                continue;
            }
            Detail::Normal | Detail::Explained => {}
        }
        let _ = writeln!(out, "{}", verdict_line(file, index, selection));
        let time = candidate
            .modified
            .map_or("(unknown)".to_string(), status::format_time);
        for (label, value) in [
            ("status", shown(reading.status.as_deref())),
            ("description", shown(reading.field(Field::Description))),
            ("manufacturer", shown(reading.field(Field::Manufacturer))),
            ("product", shown(reading.field(Field::Product))),
            ("version", shown(reading.field(Field::Version))),
            ("file time", time),
        ] {
            let _ = writeln!(out, "    {label:<14}{value}");
        }
        for obstacle in obstacles {
            let _ = writeln!(out, "    not taken:    {obstacle}");
        }
        if detail == Detail::Explained {
            let notes = status::notes(candidate, obstacles, criteria, locations);
            for (number, Note { topic, text, .. }) in notes.iter().enumerate() {
                let _ = writeln!(out, "    {:>2}. {topic}: {text}", number + 1);
            }
        }
        if detail != Detail::Brief {
            let _ = writeln!(out);
        }
    }
    if detail == Detail::Quiet {
        return;
    }
    let _ = match selection.picked {
        Some(i) => writeln!(out, "the client would take {}", found[i].candidate.name),
        None => writeln!(
            out,
            "no status MIF the client would take: it would report the program's exit code"
        ),
    };
}

#[derive(serde::Serialize)]
struct JsonFile<'a> {
    path: String,
    file_time: Option<String>,
    usable: bool,
    picked: bool,
    #[serde(flatten)]
    reading: &'a status::StatusReading,
    not_taken_because: Vec<String>,
    notes: Vec<Note>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    picked: Option<String>,
    files: Vec<JsonFile<'a>>,
}

fn print_json(found: &[Found], selection: &Selection, criteria: &Criteria, locations: &Locations) {
    let names: Vec<String> = found.iter().map(|f| f.candidate.name.clone()).collect();
    let indexes: Vec<LineIndex> = found.iter().map(|f| LineIndex::new(&f.text)).collect();
    let files = found
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let candidate = &file.candidate;
            JsonFile {
                path: names[i].clone(),
                file_time: candidate.modified.map(|t| t.to_string()),
                usable: candidate.reading.is_usable(),
                picked: selection.picked == Some(i),
                reading: &candidate.reading,
                not_taken_because: selection.obstacles[i]
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                notes: status::notes(candidate, &selection.obstacles[i], criteria, locations),
                diagnostics: candidate
                    .reading
                    .diagnostics
                    .iter()
                    .map(|d| JsonDiagnostic::new(d, &names[i], &indexes[i]))
                    .collect(),
            }
        })
        .collect();
    let report = JsonReport {
        picked: selection.picked.map(|i| names[i].clone()),
        files,
    };
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, &report);
    let _ = writeln!(out);
}
