//! Safe file writes, for a writer that may run as root or SYSTEM in a
//! folder every user can write to (see docs/security.md).
//!
//! The new bytes go to a temporary file created exclusively, under a
//! random name, in the destination's folder; it is written, flushed to
//! disk, and renamed over the destination. A reader sees the old file or
//! the new one, never half of either; a crash leaves the original intact
//! (and at worst a stale temporary file that the next write to the same
//! name removes). The rename replaces a name: it never writes through a
//! link that is there, and neither does anything else here.
//!
//! Two writers, for two promises:
//! - [`write_new`] (`mif new`) refuses a link at the destination, names
//!   it and its target, and never opens, creates or changes that target;
//! - [`rewrite_in_place`] (`mif fmt`, `mif set`) follows the links the
//!   user named, to edit the file they lead to, but only if that file is
//!   still the one that was read, unchanged ([`FileIdentity`]).

mod error;
mod temp;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
use windows as platform;

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

pub use error::{io_error_in_words, Step, WriteError};
pub use temp::remove_stale_temps_for;
use temp::TempFile;

/// What to do when the destination name exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clobber {
    /// Replace a regular file there.
    #[default]
    Replace,
    /// Leave anything there alone, a dangling link included: the name is
    /// taken atomically, so a file that appears meanwhile is kept too.
    Refuse,
}

/// Which file a name referred to when it was read, so that an in-place
/// write can tell whether the name still leads to the same, unchanged
/// file: the device and inode on Unix, the volume serial number and file
/// index on Windows; with the size and modification time, since a file
/// deleted and created anew can get the freed inode number back, and a
/// file changed in place keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    volume: u64,
    file: u64,
    size: u64,
    modified: i128,
}

impl FileIdentity {
    /// The identity of an open file: take it from the handle the bytes are
    /// read through, so it is the file that was read, whatever the name
    /// leads to a moment later.
    pub fn of(file: &File) -> io::Result<FileIdentity> {
        platform::identity_of(file)
    }
}

/// What is at a name, looked at without following a link there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A regular file.
    File,
    /// A symbolic link; on Windows any reparse point that sends the name
    /// elsewhere (symbolic link, junction, mount point). `what` says which.
    Link { what: &'static str },
    /// A folder, device, socket or pipe.
    Other,
}

/// Write a new file at `path` (`mif new`), replacing a regular file there
/// unless `clobber` says [`Clobber::Refuse`].
///
/// A link at `path` is refused, dangling or not: its target is never
/// opened, created or changed. The folder `path` is in is taken as the
/// caller named it, links included; only the last component is checked.
/// A new file gets the mode any new file gets (0666 less the umask on
/// Unix); a file of ours with no other name keeps its permission bits.
/// On any error nothing was changed.
pub fn write_new(path: &Path, bytes: &[u8], clobber: Clobber) -> Result<(), WriteError> {
    let existing = platform::inspect(path).map_err(|e| WriteError::io(Step::Inspect, e))?;
    let kept = match &existing {
        None => None,
        Some(entry) => {
            if let Kind::Link { what } = entry.kind {
                return Err(WriteError::Link {
                    what,
                    target: std::fs::read_link(path).ok(),
                });
            }
            if clobber == Clobber::Refuse {
                return Err(WriteError::Exists);
            }
            if entry.kind == Kind::Other {
                return Err(WriteError::NotRegularFile);
            }
            if entry.read_only {
                return Err(WriteError::ReadOnly);
            }
            entry.kept_for_new()
        }
    };
    let mut temp = TempFile::create(path, kept.is_some())?;
    temp.fill(bytes, kept.as_ref())?;
    match clobber {
        Clobber::Replace => temp.rename_over(path, &|| Ok(())),
        Clobber::Refuse => temp.rename_no_replace(path),
    }
}

/// Replace the contents of the file at `path` (`mif fmt`, `mif set` in
/// place), which was read as `read`.
///
/// Links in `path` are followed, as the user named them: the file they
/// lead to is replaced and the links are kept. Just before the rename the
/// name must still refer to the file that was read, unchanged; a file
/// changed, moved, replaced or turned into a link since is refused with
/// [`WriteError::Replaced`]. The file keeps its permissions. On any error
/// nothing was changed.
pub fn rewrite_in_place(path: &Path, bytes: &[u8], read: FileIdentity) -> Result<(), WriteError> {
    let target = resolve_links(path)?;
    let kept = {
        let entry = still_the_file_read(&target, read)?;
        if entry.read_only {
            return Err(WriteError::ReadOnly);
        }
        entry.kept_for_rewrite()
    };
    let mut temp = TempFile::create(&target, kept.is_some())?;
    temp.fill(bytes, kept.as_ref())?;
    let unchanged = || still_the_file_read(&target, read).map(drop);
    unchanged()?;
    temp.rename_over(&target, &unchanged)
}

/// The entry at `target` if it is the regular file `read` names.
fn still_the_file_read(target: &Path, read: FileIdentity) -> Result<platform::Entry, WriteError> {
    let entry = platform::inspect(target)
        .map_err(|e| WriteError::io(Step::Inspect, e))?
        .ok_or(WriteError::Replaced)?;
    match entry.kind {
        Kind::File if entry.identity == read => Ok(entry),
        Kind::Other if entry.identity == read => Err(WriteError::NotRegularFile),
        _ => Err(WriteError::Replaced),
    }
}

/// Links are followed at most this many times, as the kernel does.
const MAX_LINKS: usize = 40;

/// The path of the file `path` leads to: each link in the last component
/// is read (not opened) and followed, so the rename replaces the file and
/// keeps the links.
fn resolve_links(path: &Path) -> Result<PathBuf, WriteError> {
    let mut target = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let is_link = platform::inspect(&target)
            .map_err(|e| WriteError::io(Step::Inspect, e))?
            .is_some_and(|entry| matches!(entry.kind, Kind::Link { .. }));
        if !is_link {
            return Ok(target);
        }
        let link = std::fs::read_link(&target).map_err(|e| WriteError::io(Step::Inspect, e))?;
        target = match target.parent() {
            Some(parent) if link.is_relative() => parent.join(link),
            _ => link,
        };
    }
    Err(WriteError::TooManyLinks)
}

#[cfg(test)]
mod tests;
