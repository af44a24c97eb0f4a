//! Which status MIF the client would take, why not the others, and what
//! to check when ConfigMgr ignores one (reference sections 3.2 and 3.3;
//! `status-mif-behaviour.md` section (b)).
//!
//! [`obstacles`] says what keeps the client from taking a file; [`pick`]
//! takes the files without any, and [`notes`] explains each file from
//! the same obstacles, so the two never disagree.

use std::cmp::Reverse;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::{Field, FieldMap, JobStatus, StatusReading};
use crate::model::status::{is_mif_file_name, matches_package};
use crate::source::Encoding;

/// What the package tells the client to look for: the fields of its
/// Reporting tab (or its own Manufacturer, Name and Version), and when
/// the program started.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    /// The package's values for the [matched fields](Field::MATCHED);
    /// `None` where not given.
    pub wanted: FieldMap<Option<String>>,
    /// The client takes only MIFs written after the program started.
    pub since: Option<Timestamp>,
}

impl Criteria {
    fn wanted(&self, field: Field) -> Option<&str> {
        self.wanted[field].as_deref()
    }
}

/// One status MIF found.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// How the file is named in messages.
    pub name: String,
    /// Where it is on disk; `None` for standard input.
    pub path: Option<PathBuf>,
    /// Last write time; `None` when not known (standard input).
    pub modified: Option<Timestamp>,
    /// What the file says.
    pub reading: StatusReading,
    /// The name the client would see it under, when not that of `path`
    /// (a name given for standard input); for the `*.mif` rule.
    pub file_name: Option<String>,
}

impl Candidate {
    /// The file name the client would see, if the file has one.
    fn client_name(&self) -> Option<String> {
        self.file_name.clone().or_else(|| {
            self.path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        })
    }
}

/// What keeps the client from taking a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obstacle {
    /// The check finds an error, or the Status names no verdict.
    Unusable(String),
    /// The client only reads `*.mif` files.
    NotMifName(String),
    /// No package can ever match it (see `model::status::never_matched`).
    NeverMatched(&'static str),
    /// A matched field differs from the package's.
    Differs {
        /// The field compared.
        field: Field,
        /// The file's value.
        value: String,
        /// The package's.
        wanted: String,
    },
    /// A matched field is missing while the package has a value for it.
    Missing {
        /// The field.
        field: Field,
        /// The package's value.
        wanted: String,
    },
    /// Written before the program started.
    TooOld {
        /// The file's time.
        modified: Timestamp,
        /// When the program started.
        since: Timestamp,
    },
    /// The program's start is given but the file's time is not known.
    UnknownTime,
    /// Another file matches too and is newer.
    NotNewest(String),
}

impl fmt::Display for Obstacle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Obstacle::Unusable(why) => write!(f, "SMS cannot use it: {why}"),
            Obstacle::NotMifName(name) => {
                write!(
                    f,
                    "`{name}` does not end in .mif, and the client reads only *.mif files"
                )
            }
            Obstacle::NeverMatched(why) => f.write_str(why),
            Obstacle::Differs {
                field,
                value,
                wanted,
            } => write!(
                f,
                "{} {value:?} does not match the package's {wanted:?}",
                field.attribute_name()
            ),
            Obstacle::Missing { field, wanted } => write!(
                f,
                "has no {} to match the package's {wanted:?}",
                field.attribute_name()
            ),
            Obstacle::TooOld { modified, since } => write!(
                f,
                "written {}, not after the program started ({})",
                format_time(*modified),
                format_time(*since)
            ),
            Obstacle::UnknownTime => f.write_str("its time stamp is unknown"),
            Obstacle::NotNewest(winner) => write!(
                f,
                "matches too; mif names the newest, {winner} (which of several matching MIFs the \
                 client takes is undocumented: leave only one)"
            ),
        }
    }
}

/// What keeps the client from taking `candidate` for a program with
/// these `criteria`, other files aside; empty when nothing does.
pub fn obstacles(candidate: &Candidate, criteria: &Criteria) -> Vec<Obstacle> {
    let reading = &candidate.reading;
    let mut found = Vec::new();
    if !reading.is_usable() {
        found.push(Obstacle::Unusable(first_error(reading)));
    }
    if let Some(name) = candidate.client_name() {
        if !is_mif_file_name(&name) {
            found.push(Obstacle::NotMifName(name));
        }
    }
    if let Some(why) = reading.never_matched {
        found.push(Obstacle::NeverMatched(why));
    }
    match (criteria.since, candidate.modified) {
        (Some(since), Some(modified)) if modified <= since => {
            found.push(Obstacle::TooOld { modified, since });
        }
        (Some(_), None) => found.push(Obstacle::UnknownTime),
        _ => {}
    }
    for field in Field::MATCHED {
        let Some(wanted) = criteria.wanted(field) else {
            continue;
        };
        let wanted = wanted.to_string();
        match reading.field(field) {
            Some(value) if matches_package(value, &wanted) => {}
            Some(value) => found.push(Obstacle::Differs {
                field,
                value: value.to_string(),
                wanted,
            }),
            None => found.push(Obstacle::Missing { field, wanted }),
        }
    }
    found
}

fn first_error(reading: &StatusReading) -> String {
    match reading.diagnostics.iter().find(|d| d.is_error()) {
        Some(error) => format!("{} [{}]", error.message, error.code),
        None => "its Status is neither Success nor Failed".to_string(),
    }
}

/// The folders the client searches: `%TEMP%` (of the program's user) and
/// `%windir%`.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    /// The temporary folders (`TEMP`, `TMP`, the system's).
    pub temp: Vec<PathBuf>,
    /// The Windows folder.
    pub windir: Option<PathBuf>,
}

/// The outcome of [`pick`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Index of the file the client would take.
    pub picked: Option<usize>,
    /// For each candidate, why it would not be taken (empty for the pick).
    pub obstacles: Vec<Vec<Obstacle>>,
}

/// Apply the client's rules: of the files without [`obstacles`], the
/// newest is taken (which of several matching files wins is
/// undocumented), and the others are told so.
pub fn pick(candidates: &[Candidate], criteria: &Criteria) -> Selection {
    let mut all: Vec<Vec<Obstacle>> = candidates.iter().map(|c| obstacles(c, criteria)).collect();
    let picked = candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| all[*i].is_empty())
        .max_by_key(|(i, c)| (c.modified, Reverse(*i)))
        .map(|(i, _)| i);
    if let Some(picked) = picked {
        let winner = &candidates[picked].name;
        for (i, found) in all.iter_mut().enumerate() {
            if i != picked && found.is_empty() {
                found.push(Obstacle::NotNewest(winner.clone()));
            }
        }
    }
    Selection {
        picked,
        obstacles: all,
    }
}

/// A time as shown to people: RFC 3339 in UTC, to the second.
pub fn format_time(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One point of the "why did ConfigMgr not use my MIF?" explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// What the point is about ("matching", "file name", ...).
    pub topic: &'static str,
    /// The point, in words.
    pub text: String,
    /// Whether this point alone keeps the client from taking the file.
    pub blocks: bool,
}

/// The ten points to check for one file, in the order of the behaviour
/// notes: verdict, matching, file name, location, time window, encoding,
/// fields, expected outcome, deployment type, log lines. `obstacles` are
/// the file's (from [`obstacles`] or [`pick`]).
pub fn notes(
    candidate: &Candidate,
    obstacles: &[Obstacle],
    criteria: &Criteria,
    locations: &Locations,
) -> Vec<Note> {
    let reading = &candidate.reading;
    let blocked = |test: fn(&Obstacle) -> bool| obstacles.iter().any(test);
    let note = |topic, text: String, blocks| Note {
        topic,
        text,
        blocks,
    };
    vec![
        note(
            "verdict",
            verdict(reading),
            blocked(|o| matches!(o, Obstacle::Unusable(_))),
        ),
        note(
            "matching",
            matching(reading, criteria),
            blocked(|o| {
                matches!(
                    o,
                    Obstacle::NeverMatched(_) | Obstacle::Differs { .. } | Obstacle::Missing { .. }
                )
            }),
        ),
        note(
            "file name",
            file_name(candidate),
            blocked(|o| matches!(o, Obstacle::NotMifName(_))),
        ),
        note("location", location(candidate, locations), false),
        note(
            "time",
            time(candidate.modified, criteria.since),
            blocked(|o| matches!(o, Obstacle::TooOld { .. } | Obstacle::UnknownTime)),
        ),
        note("encoding", encoding(reading.encoding), false),
        note("fields", fields(reading), false),
        note("outcome", outcome(reading, obstacles), false),
        note(
            "deployment type",
            "only packages and programs (and task sequences running them) read status MIFs; \
             Applications (deployment types) and the Linux/UNIX client never do"
                .to_string(),
            false,
        ),
        note(
            "logs",
            "ConfigMgr execmgr.log: \"Looking for MIF file to get program status\", then \"A Matching MIF \
             file ... was found\" (a matched MIF is deleted, an unmatched one stays); SMS 2.0 smsapm32.log: \
             \"Found MIF file match:\"; SMS 1.x Pcmwin.log: \"Need to report with DMTF MIF:\""
                .to_string(),
            false,
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
        _ => format!("unusable: {}", first_error(reading)),
    }
}

fn describe(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Success => "reports success",
        JobStatus::Failed => "reports failure",
    }
}

fn matching(reading: &StatusReading, criteria: &Criteria) -> String {
    if let Some(why) = reading.never_matched {
        return format!("{why}; never taken by ConfigMgr");
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
    let checked: Vec<String> = Field::MATCHED
        .iter()
        .filter_map(|&field| {
            let wanted = criteria.wanted(field)?;
            let found = reading.field(field).unwrap_or("");
            let verdict = if matches_package(found, wanted) {
                "matches"
            } else {
                "differs"
            };
            Some(format!(
                "{} {verdict} (the package's {wanted:?})",
                field.attribute_name()
            ))
        })
        .collect();
    if checked.is_empty() {
        text.push_str("; give the package's values to compare them");
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

fn file_name(candidate: &Candidate) -> String {
    let Some(name) = candidate.client_name() else {
        return "no file name (standard input): the client reads only *.mif files, by the package's \
                MIF file name or all of them"
            .to_string();
    };
    let stem = Path::new(&name)
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let mut text = format!(
        "the package's MIF file name would be {stem:?} (entered without .mif); left blank, the client scans \
         every *.mif in the folders it searches"
    );
    if !is_mif_file_name(&name) {
        text.push_str(
            "; the client only looks at files ending in .mif, so it never reads this one",
        );
    }
    text
}

fn location(candidate: &Candidate, locations: &Locations) -> String {
    let Some(path) = candidate.path.as_deref().filter(|p| p.is_file()) else {
        return "not a file on disk (standard input): the client looks only in %TEMP% and %windir%"
            .to_string();
    };
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
            "in {shown}: the client looks only in %TEMP% and %windir% (SYSTEM's %TEMP% is \
             %windir%\\Temp); write it there"
        )
    }
}

fn time(modified: Option<Timestamp>, since: Option<Timestamp>) -> String {
    let Some(modified) = modified else {
        return "no time stamp (standard input): the client takes only MIFs written while the program ran"
            .to_string();
    };
    let rule = "the client takes only MIFs written after the program started and before it exited \
                (one written later by a child process is ignored)";
    let written = format_time(modified);
    match since {
        Some(since) if modified > since => format!(
            "written {written}, after the program started ({}): inside the window; {rule}",
            format_time(since)
        ),
        Some(since) => format!(
            "written {written}, not after the program started ({}): too old; {rule}",
            format_time(since)
        ),
        None => format!("written {written}; {rule}; give the program's start time to check"),
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
    let missing: Vec<&str> = Field::ALL
        .iter()
        .filter(|&&f| reading.field(f).is_none())
        .map(|f| f.attribute_name())
        .collect();
    let empty: Vec<&str> = Field::ALL
        .iter()
        .filter(|&&f| reading.field(f).is_some_and(|v| v.trim().is_empty()))
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
    if let Some(description) = reading.field(Field::Description) {
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

fn outcome(reading: &StatusReading, obstacles: &[Obstacle]) -> String {
    let fallback = "otherwise the exit code decides: 0 gives 10008, anything else 10006";
    let never = obstacles.iter().any(|o| {
        matches!(
            o,
            Obstacle::Unusable(_) | Obstacle::NotMifName(_) | Obstacle::NeverMatched(_)
        )
    });
    match reading.verdict {
        _ if never => format!("the client never takes it: {fallback}"),
        Some(JobStatus::Success) => {
            format!("if it matches: status message 10009 (success from a MIF) with the Description; {fallback}")
        }
        Some(JobStatus::Failed) => format!(
            "if it matches: status message 10007 (failure from a MIF) with the Description, and no retry \
             even for an exit code the program would retry on; {fallback}"
        ),
        None => format!("the client never takes it: {fallback}"),
    }
}
