//! Which status MIF the client would take, why not the others, and what
//! to check when ConfigMgr ignores one (reference sections 3.2 and 3.3;
//! `status-mif-behaviour.md` section (b)).

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::{Field, JobStatus, StatusReading};
use crate::source::Encoding;

/// What the package tells the client to look for: the fields of its
/// Reporting tab, and when the program started.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    /// The client takes only MIFs written after the program started.
    pub since: Option<Timestamp>,
}

impl Criteria {
    fn wanted(&self, field: Field) -> Option<&str> {
        match field {
            Field::Manufacturer => self.manufacturer.as_deref(),
            Field::Product => self.product.as_deref(),
            Field::Version => self.version.as_deref(),
            _ => None,
        }
    }

    fn flag(field: Field) -> String {
        format!("--match-{}", field.flag().trim_start_matches("--"))
    }
}

/// One status MIF found.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Last write time; `None` for standard input.
    pub modified: Option<Timestamp>,
    pub reading: StatusReading,
}

/// The folders the client searches: `%TEMP%` (of the program's user) and
/// `%windir%`.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    pub temp: Vec<PathBuf>,
    pub windir: Option<PathBuf>,
}

/// The outcome of [`pick`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Index of the file the client would take.
    pub picked: Option<usize>,
    /// For each candidate, why it would not be taken (empty for the pick).
    pub rejections: Vec<Vec<String>>,
}

/// Apply the client's rules: usable files whose Manufacturer, Product and
/// Version match (ignoring case) and that were written after `since`.
/// Which of several matching files wins is undocumented; the newest is
/// taken, and the others are told so.
pub fn pick(candidates: &[Candidate], criteria: &Criteria) -> Selection {
    let mut rejections: Vec<Vec<String>> =
        candidates.iter().map(|c| rejections(c, criteria)).collect();
    let picked = candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| rejections[*i].is_empty())
        .max_by_key(|(i, c)| (c.modified, Reverse(*i)))
        .map(|(i, _)| i);
    if let Some(picked) = picked {
        let winner = candidates[picked].path.display().to_string();
        for (i, reasons) in rejections.iter_mut().enumerate() {
            if i != picked && reasons.is_empty() {
                reasons.push(format!(
                    "matches too; mif names the newest, {winner} (which of several matching MIFs the \
                     client takes is undocumented: leave only one)"
                ));
            }
        }
    }
    Selection { picked, rejections }
}

fn rejections(candidate: &Candidate, criteria: &Criteria) -> Vec<String> {
    let reading = &candidate.reading;
    let mut reasons = Vec::new();
    if !reading.is_usable() {
        let first = reading.diagnostics.iter().find(|d| d.is_error());
        reasons.push(match first {
            Some(error) => format!("SMS cannot use it: {} [{}]", error.message, error.code),
            None => "SMS cannot use it: no Status value".to_string(),
        });
    }
    match (criteria.since, candidate.modified) {
        (Some(since), Some(modified)) if modified <= since => {
            reasons.push(format!(
                "written {}, not after --since {}",
                format_time(modified),
                format_time(since)
            ));
        }
        (Some(_), None) => reasons.push("its time stamp is unknown".to_string()),
        _ => {}
    }
    for field in Field::MATCHED {
        let Some(wanted) = criteria.wanted(field) else {
            continue;
        };
        let name = field.attribute_name();
        let flag = Criteria::flag(field);
        match reading.field(field) {
            Some(value) if same_ignoring_case(value, wanted) => {}
            Some(value) => {
                reasons.push(format!("{name} {value:?} does not match {flag} {wanted:?}"))
            }
            None => reasons.push(format!("has no {name} to match {flag} {wanted:?}")),
        }
    }
    reasons
}

/// A time as shown to people: RFC 3339 in UTC, to the second.
pub fn format_time(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// One point of the "why did ConfigMgr not use my MIF?" explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub topic: &'static str,
    pub text: String,
}

/// The ten points to check for one file, in the order of the behaviour
/// notes: verdict, matching, file name, location, time window, encoding,
/// fields, expected outcome, deployment type, log lines.
pub fn notes(candidate: &Candidate, criteria: &Criteria, locations: &Locations) -> Vec<Note> {
    let reading = &candidate.reading;
    let note = |topic, text: String| Note { topic, text };
    vec![
        note("verdict", verdict(reading)),
        note("matching", matching(reading, criteria)),
        note("file name", file_name(&candidate.path)),
        note("location", location(&candidate.path, locations)),
        note("time", time(candidate.modified, criteria.since)),
        note("encoding", encoding(reading.encoding)),
        note("fields", fields(reading)),
        note("outcome", outcome(reading)),
        note(
            "deployment type",
            "only packages and programs (and task sequences running them) read status MIFs; \
             Applications (deployment types) and the Linux/UNIX client never do"
                .to_string(),
        ),
        note(
            "logs",
            "ConfigMgr execmgr.log: \"Looking for MIF file to get program status\", then \"A Matching MIF \
             file ... was found\" (a matched MIF is deleted, an unmatched one stays); SMS 2.0 smsapm32.log: \
             \"Found MIF file match:\"; SMS 1.x Pcmwin.log: \"Need to report with DMTF MIF:\""
                .to_string(),
        ),
    ]
}

fn verdict(reading: &StatusReading) -> String {
    let written = reading.status.as_deref().unwrap_or("");
    match reading.verdict {
        Some(status) if reading.is_usable() && status.as_str() == written => {
            format!("Status {written:?}: the program {}", describe(status))
        }
        Some(status) if reading.is_usable() => format!(
            "Status {written:?} reads as {:?} (SMS 1.x tools wrote upper case; ConfigMgr documents only \
             Success and Failed)",
            status.as_str()
        ),
        _ => match reading.diagnostics.iter().find(|d| d.is_error()) {
            Some(error) => format!("unusable: {} [{}]", error.message, error.code),
            None => "unusable: no Status value".to_string(),
        },
    }
}

fn describe(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Success => "reports success",
        JobStatus::Failed => "reports failure",
    }
}

fn matching(reading: &StatusReading, criteria: &Criteria) -> String {
    if !reading.has_component_id {
        return "no ComponentID group: SMS 1.x takes any new MIF in %windir%, but SMS 2.0 and later match \
                Manufacturer, Product and Version against the package, so they never take this file"
            .to_string();
    }
    let offered: Vec<String> = Field::MATCHED
        .iter()
        .map(|&f| {
            format!(
                "{} {:?}",
                f.attribute_name(),
                reading.field(f).unwrap_or("")
            )
        })
        .collect();
    let mut text = format!(
        "offers {}; the client compares them, ignoring case, with the package's Manufacturer, Name and \
         Version (or the Reporting tab's MIF fields)",
        offered.join(", ")
    );
    if Field::MATCHED
        .iter()
        .all(|&f| reading.field(f).is_none_or(str::is_empty))
    {
        text.push_str("; all three are empty, so SMS 2003 and later never match it");
    }
    let checked: Vec<String> = Field::MATCHED
        .iter()
        .filter_map(|&field| {
            let wanted = criteria.wanted(field)?;
            let found = reading.field(field).unwrap_or("");
            let verdict = if same_ignoring_case(found, wanted) {
                "matches"
            } else {
                "differs"
            };
            Some(format!("{} {verdict} ({wanted:?})", Criteria::flag(field)))
        })
        .collect();
    if checked.is_empty() {
        text.push_str(
            "; pass --match-manufacturer, --match-product and --match-version to compare",
        );
    } else {
        text.push_str("; ");
        text.push_str(&checked.join(", "));
        if checked.len() < Field::MATCHED.len() {
            text.push_str(
                "; with only some package fields filled, SMS 2.0 took any MIF in \\Windows\\Temp: \
                 fill all three",
            );
        }
    }
    text
}

fn file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let extension_ok = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mif"));
    let mut text = format!(
        "the package's MIF file name would be {stem:?} (entered without .mif); left blank, the client scans \
         every *.mif in the folders it searches"
    );
    if !extension_ok {
        text.push_str("; the client only looks at files ending in .mif");
    }
    text
}

fn location(path: &Path, locations: &Locations) -> String {
    if !path.is_file() {
        return "not a file on disk (standard input?): the client looks only in %TEMP% and %windir%"
            .to_string();
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let same = |dir: &Path| {
        let a = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
        let b = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        a == b
    };
    let shown = folder.display();
    if locations.temp.iter().any(|t| same(t)) {
        format!(
            "in %TEMP% ({shown}): where ISMIF32 writes and the client looks; a program run as SYSTEM has \
             %windir%\\Temp as %TEMP%, a user-context program that user's %TEMP%"
        )
    } else if locations.windir.as_deref().is_some_and(same) {
        format!(
            "in %windir% ({shown}): where SMS 1.x looks and ConfigMgr also searches (task sequences \
             reportedly need it)"
        )
    } else {
        format!(
            "in {shown}: the client looks only in %TEMP% and %windir% (SYSTEM's %TEMP% is %windir%\\Temp); \
             write it there, e.g. with `mif new --temp NAME` or `--windir NAME`"
        )
    }
}

fn time(modified: Option<Timestamp>, since: Option<Timestamp>) -> String {
    let Some(modified) = modified else {
        return "no time stamp (standard input): the client takes only MIFs written while the program ran"
            .to_string();
    };
    let modified_after = since.is_none_or(|s| modified > s);
    let rule = "the client takes only MIFs written after the program started and before it exited \
                (one written later by a child process is ignored)";
    let since = since.map(format_time);
    let modified = format_time(modified);
    match since {
        Some(since) if modified_after => {
            format!("written {modified}, after --since {since}: inside the window; {rule}")
        }
        Some(since) => format!("written {modified}, not after --since {since}: too old; {rule}"),
        None => format!("written {modified}; {rule}; pass --since to check"),
    }
}

fn encoding(encoding: Encoding) -> String {
    match encoding {
        Encoding::SingleByte => {
            "Windows-1252 (ANSI) without byte-order mark, as SMS expects".to_string()
        }
        other => format!(
            "{other}: SMS documents ANSI without byte-order mark and may not read it; re-save it as ANSI \
             (PowerShell: Out-File -Encoding default) or write it with `mif new`"
        ),
    }
}

fn fields(reading: &StatusReading) -> String {
    let empty: Vec<&str> = Field::COMPONENT_ID
        .iter()
        .chain([Field::Description].iter())
        .filter(|&&f| reading.field(f).is_some_and(|v| v.trim().is_empty()))
        .map(|f| f.attribute_name())
        .collect();
    let missing: Vec<&str> = Field::COMPONENT_ID
        .iter()
        .chain([Field::Description].iter())
        .filter(|&&f| reading.field(f).is_none())
        .map(|f| f.attribute_name())
        .collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing: {}", missing.join(", ")));
    }
    if !empty.is_empty() {
        parts.push(format!(
            "empty: {} (ISMIF32 writes empty Locale and Serial Number too, but one report says a task \
             sequence ignored MIFs with empty fields)",
            empty.join(", ")
        ));
    }
    if let Some(description) = &reading.description {
        let length = description.chars().count();
        parts.push(format!(
            "Description {length} of {} characters{}",
            Field::Description.limit(),
            if description.contains(['\r', '\n']) {
                ", on several lines"
            } else {
                ""
            }
        ));
    }
    if parts.is_empty() {
        "every field has a value".to_string()
    } else {
        parts.join("; ")
    }
}

fn outcome(reading: &StatusReading) -> String {
    let fallback = "otherwise the exit code decides: 0 gives 10008, anything else 10006";
    match reading.verdict {
        Some(JobStatus::Success) if reading.is_usable() => {
            format!("if it matches: status message 10009 (success from a MIF) with the Description; {fallback}")
        }
        Some(JobStatus::Failed) if reading.is_usable() => format!(
            "if it matches: status message 10007 (failure from a MIF) with the Description, and no retry \
             even for an exit code the program would retry on; {fallback}"
        ),
        _ => format!("the client ignores it: {fallback}"),
    }
}
