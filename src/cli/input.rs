//! Shared plumbing: which files to read, reading them, reporting a write
//! that failed, colour, formats.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use mif::write::{io_error_in_words, FileIdentity, WriteError};

use super::system::{colour_codes_work, Stream};

/// Files larger than this are refused before reading (see docs/limits.md):
/// ConfigMgr itself takes at most 5 MB, so this is only a guard against
/// feeding mif something that is not a MIF at all.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

thread_local! {
    static CURRENT_FILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Remember which file this thread works on, for the panic report.
pub fn set_current_file(name: Option<&str>) {
    CURRENT_FILE.with(|f| *f.borrow_mut() = name.map(str::to_string));
}

/// The file this thread works on, if any.
pub fn current_file() -> Option<String> {
    CURRENT_FILE.with(|f| f.borrow().clone())
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// One command-line path: `-` is standard input.
    pub fn from_arg(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(path.to_path_buf())
        }
    }

    /// How the input is named in messages.
    pub fn display_name(&self, stdin_name: Option<&Path>) -> String {
        match self {
            Input::Stdin => stdin_name.map_or("<stdin>".into(), |p| p.display().to_string()),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// What the check knows of an input: its canonical path, when it has one
/// (standard input only through `--stdin-filepath`).
pub fn check_options(input: &Input, stdin_name: Option<&Path>) -> mif::CheckOptions {
    let path = match (input, stdin_name) {
        (Input::File(path), _) => path.as_path(),
        (Input::Stdin, Some(path)) => path,
        (Input::Stdin, None) => return mif::CheckOptions::default(),
    };
    mif::CheckOptions {
        path: Some(canonical(path)),
        ..mif::CheckOptions::default()
    }
}

/// [`mif::check::canonical_path`], each folder resolved once: a walk over
/// thousands of files in a few folders would otherwise resolve the same
/// folder, link by link, for every file.
fn canonical(path: &Path) -> PathBuf {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static FOLDERS: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return mif::check::canonical_path(path);
    };
    let folders = FOLDERS.get_or_init(Mutex::default);
    if let Some(folder) = folders
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(parent)
    {
        return folder.join(name);
    }
    let resolved = mif::check::canonical_path(path);
    if let Some(folder) = resolved.parent() {
        folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(parent.to_path_buf(), folder.to_path_buf());
    }
    resolved
}

/// What a folder walk leaves out (a configuration's or the command line's
/// `exclude` patterns).
pub type Excluded = std::sync::Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// Expand the command line's paths: `-` (or nothing) is stdin, directories
/// are walked for `*.mif` (any case) honouring `.gitignore` and `.ignore`
/// (inside a git repository or not) and leaving out what `excluded` says,
/// files are taken as given. Errors name the path that could not be walked.
pub fn collect(paths: &[PathBuf], excluded: Excluded) -> (Vec<Input>, Vec<String>) {
    if paths.is_empty() {
        return (vec![Input::Stdin], Vec::new());
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let mut found = Vec::new();
            let excluded = excluded.clone();
            let walk = ignore::WalkBuilder::new(path)
                .require_git(false)
                .filter_entry(move |entry| entry.depth() == 0 || !excluded(entry.path()))
                .build();
            for entry in walk {
                match entry {
                    Ok(entry) => {
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if is_file && has_mif_extension(entry.path()) {
                            found.push(entry.into_path());
                        }
                    }
                    Err(error) => errors.push(format!("{}: {error}", path.display())),
                }
            }
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    (inputs, errors)
}

fn has_mif_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mif"))
}

/// Read an input's bytes, refusing non-files and oversized inputs.
pub fn read(input: &Input) -> Result<Vec<u8>, String> {
    read_with_origin(input).map(|(bytes, _)| bytes)
}

/// Where bytes were read from, as writing them back in place needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Stdin,
    /// A file, and which file the name led to when it was read.
    File {
        path: PathBuf,
        identity: FileIdentity,
    },
}

/// [`read`], and where the bytes came from: for a file its identity, taken
/// from the handle the bytes are read through, so that an in-place write
/// can make sure the name still leads to the file that was read.
pub fn read_with_origin(input: &Input) -> Result<(Vec<u8>, Origin), String> {
    set_current_file(Some(&input.display_name(None)));
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                return Err(too_large("standard input"));
            }
            Ok((bytes, Origin::Stdin))
        }
        Input::File(path) => {
            let shown = path.display();
            let cannot_read = |e: std::io::Error| format!("cannot read {shown}: {}", io_reason(&e));
            let metadata = std::fs::metadata(path).map_err(cannot_read)?;
            if metadata.is_dir() {
                return Err(format!("{shown} is a directory"));
            }
            if metadata.len() > MAX_INPUT_BYTES {
                return Err(too_large(&shown.to_string()));
            }
            let file = std::fs::File::open(path).map_err(cannot_read)?;
            let identity = FileIdentity::of(&file).map_err(cannot_read)?;
            let mut bytes = Vec::with_capacity(metadata.len() as usize);
            file.take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(cannot_read)?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                return Err(too_large(&shown.to_string()));
            }
            let origin = Origin::File {
                path: path.clone(),
                identity,
            };
            Ok((bytes, origin))
        }
    }
}

/// Read an input for a command that goes through many: when it cannot be
/// read, say why, note the trouble and give `None` so the caller moves on
/// to the next one.
pub fn read_or_report(input: &Input, trouble: &mut bool) -> Option<Vec<u8>> {
    match read(input) {
        Ok(bytes) => Some(bytes),
        Err(message) => {
            report_trouble(&message);
            *trouble = true;
            None
        }
    }
}

fn too_large(name: &str) -> String {
    format!(
        "{name} is larger than {} MiB, the most mif reads (MIF files are small; see docs/limits.md)",
        MAX_INPUT_BYTES / (1024 * 1024)
    )
}

/// An I/O error in words, without Rust's "(os error N)" noise.
pub fn io_reason(error: &std::io::Error) -> String {
    io_error_in_words(error)
}

/// How every command reports a write that did not happen: the file, why,
/// and that nothing was changed.
pub fn write_failed(name: &str, error: &WriteError) -> String {
    format!("cannot write {name}: {error}; nothing was changed")
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stderr.
    pub fn for_stderr(self) -> bool {
        self.resolve(std::io::stderr().is_terminal(), Stream::Stderr)
    }

    /// Whether to colour output written to stdout (a diff).
    pub fn for_stdout(self) -> bool {
        self.resolve(std::io::stdout().is_terminal(), Stream::Stdout)
    }

    /// `auto` colours a terminal that shows colour codes as colour (a
    /// Windows console once its colour handling is turned on).
    fn resolve(self, on_terminal: bool, stream: Stream) -> bool {
        match self {
            ColorChoice::Always => {
                colour_codes_work(stream);
                true
            }
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                on_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && colour_codes_work(stream)
            }
        }
    }
}

/// Output format for results read by people or programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    /// One JSON object per line.
    Json,
}

/// Text with its control characters (line breaks, tabs) escaped, so it
/// shows on one line; everything else as it is.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Print a "could not do the job" message to stderr.
pub fn report_trouble(message: &str) {
    tell!("error: {message}");
}
