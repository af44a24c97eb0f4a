//! Why a write did not happen, in words a person can act on: never the
//! temporary file's name (it is gone) nor the system's error number.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a write was refused or failed. In every case nothing was changed:
/// the destination is as it was and no temporary file is left.
#[derive(Debug)]
pub enum WriteError {
    /// The name exists and the caller asked not to replace anything.
    Exists,
    /// The name is a link (on Windows a symbolic link, junction or mount
    /// point); `target` is what it points to, read but never followed.
    Link {
        /// The kind of link, in words.
        what: &'static str,
        /// The link's contents, when they could be read.
        target: Option<PathBuf>,
    },
    /// A folder, device, socket or pipe is there.
    NotRegularFile,
    /// The file is marked read-only.
    ReadOnly,
    /// In place: the name no longer refers to the file that was read, as
    /// it was (it was changed, moved, replaced or turned into a link
    /// meanwhile).
    Replaced,
    /// Another program holds the file open and does not let it be
    /// replaced (Windows: opened without delete sharing), still after a
    /// few tries. `by`: the programs, when the system can tell.
    HeldOpen {
        /// The programs' names, as the Restart Manager gives them.
        by: Vec<String>,
    },
    /// In place: the links the user named lead round in a circle.
    TooManyLinks,
    /// A step of the write failed.
    Io {
        /// What was being done.
        step: Step,
        /// What the system said.
        source: io::Error,
    },
}

/// The steps of a write, to say which one failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Looking at what is at the destination name.
    Inspect,
    /// Creating the temporary file in the destination's folder.
    CreateTemporary,
    /// Writing the new contents.
    Write,
    /// Giving the new file the permissions it keeps.
    SetPermissions,
    /// Flushing the new contents to disk.
    Sync,
    /// Renaming the new file to the destination name.
    Rename,
}

impl WriteError {
    pub(super) fn io(step: Step, source: io::Error) -> WriteError {
        WriteError::Io { step, source }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Exists => f.write_str("a file of that name already exists"),
            WriteError::Link { what, target } => {
                write!(f, "it is a {what}")?;
                if let Some(target) = target {
                    write!(f, " to {}", target.display())?;
                }
                f.write_str(
                    ", and mif does not write through a link at the destination \
                     (remove the link or choose another name)",
                )
            }
            WriteError::NotRegularFile => {
                f.write_str("it is not a regular file (a folder, device, socket or pipe)")
            }
            WriteError::ReadOnly => f.write_str("it is read-only"),
            WriteError::Replaced => f.write_str(
                "it is no longer the file that was read (changed, moved, replaced or \
                 turned into a link meanwhile), so it was left alone",
            ),
            WriteError::HeldOpen { by } => {
                f.write_str("another program has it open")?;
                if !by.is_empty() {
                    write!(f, " ({})", by.join(", "))?;
                }
                f.write_str(" and does not let it be replaced; close it and try again")
            }
            WriteError::TooManyLinks => f.write_str("too many levels of symbolic links"),
            WriteError::Io { step, source } => {
                let doing = match step {
                    Step::Inspect => "could not look at it",
                    Step::CreateTemporary => "could not create a temporary file beside it",
                    Step::Write => "could not write the new contents",
                    Step::SetPermissions => "could not give the new file its permissions",
                    Step::Sync => "could not flush the new contents to disk",
                    Step::Rename => "could not put the new file in its place",
                };
                write!(f, "{doing}: {}", io_error_in_words(source))
            }
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// An I/O error in words, without Rust's "(os error N)" noise.
pub fn io_error_in_words(error: &io::Error) -> String {
    use io::ErrorKind::*;
    let words = match error.kind() {
        NotFound => "no such file or directory",
        PermissionDenied => "permission denied",
        AlreadyExists => "a file of that name already exists",
        StorageFull => "no space left on the disk",
        QuotaExceeded => "the disk quota is used up",
        FileTooLarge => "the file would be larger than the system allows",
        ReadOnlyFilesystem => "the file system is read-only",
        IsADirectory => "it is a folder",
        NotADirectory => "a part of the path is not a folder",
        InvalidFilename => "the name is too long or not allowed there",
        _ => {
            let text = error.to_string();
            return match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
        }
    };
    words.to_string()
}
