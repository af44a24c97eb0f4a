//! Unix: a name is looked at with lstat (a link there is seen, not
//! followed), a file is identified by device and inode, the temporary file
//! is created with O_CREAT|O_EXCL, and --no-clobber takes the name with
//! renameat2(RENAME_NOREPLACE) or, where the file system lacks it, link(2).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::{FileIdentity, Kind};

/// What is at a name, from lstat.
pub(super) struct Entry {
    pub(super) kind: Kind,
    pub(super) identity: FileIdentity,
    pub(super) read_only: bool,
    metadata: fs::Metadata,
}

/// The mode bits a replacement takes over from the file it replaces.
pub(super) struct Kept(u32);

impl Entry {
    /// In place the file keeps its whole mode, as its owner set it.
    pub(super) fn kept_for_rewrite(&self) -> Option<Kept> {
        Some(Kept(self.metadata.mode() & 0o7777))
    }

    /// `mif new` keeps the permission bits (not setuid, setgid or sticky)
    /// of a file that is ours and has no other name. A file someone else
    /// planted, or a hard link to another file, passes nothing on: the new
    /// file gets a new file's mode.
    pub(super) fn kept_for_new(&self) -> Option<Kept> {
        let ours = self.metadata.uid() == rustix::process::geteuid().as_raw();
        (ours && self.metadata.nlink() == 1).then(|| Kept(self.metadata.mode() & 0o777))
    }
}

/// What is at `path` (`None`: nothing), without following a link there.
pub(super) fn inspect(path: &Path) -> io::Result<Option<Entry>> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let file_type = metadata.file_type();
    let kind = if file_type.is_symlink() {
        Kind::Link {
            what: "symbolic link",
        }
    } else if file_type.is_file() {
        Kind::File
    } else {
        Kind::Other
    };
    Ok(Some(Entry {
        kind,
        identity: identity(&metadata),
        read_only: metadata.permissions().readonly(),
        metadata,
    }))
}

/// The identity of an open file, from fstat.
pub(super) fn identity_of(file: &File) -> io::Result<FileIdentity> {
    Ok(identity(&file.metadata()?))
}

fn identity(metadata: &fs::Metadata) -> FileIdentity {
    FileIdentity {
        volume: metadata.dev(),
        file: metadata.ino(),
        size: metadata.size(),
        modified: i128::from(metadata.mtime()) * 1_000_000_000 + i128::from(metadata.mtime_nsec()),
    }
}

/// Create a new file with O_CREAT|O_EXCL, which fails on any existing
/// name and, by POSIX, never follows a link there. `private`: mode 0600
/// (another file's mode is applied later); otherwise 0666, less the umask
/// as for any new file.
pub(super) fn create_exclusive(path: &Path, private: bool) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if private { 0o600 } else { 0o666 })
        .open(path)
}

/// Give an open file the kept mode (fchmod: no name is looked up).
pub(super) fn apply(file: &File, kept: &Kept) -> io::Result<()> {
    file.set_permissions(fs::Permissions::from_mode(kept.0))
}

/// rename(2): replaces the name `to`, a link there included, never what
/// a link points to.
pub(super) fn rename_replacing(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

/// Rename only if nothing has the name `to`, a dangling link included,
/// with no moment between looking and renaming.
pub(super) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // The kernel or the file system cannot: link(2) can.
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => {}
            Err(e) => return Err(e.into()),
        }
    }
    link_then_unlink(from, to)
}

/// link(2) gives the file the name `to` only if nothing has it, a dangling
/// link included; then the temporary name is dropped. Should that fail,
/// the file is in place all the same and the next write tidies the name.
pub(super) fn link_then_unlink(from: &Path, to: &Path) -> io::Result<()> {
    fs::hard_link(from, to)?;
    let _ = fs::remove_file(from);
    Ok(())
}

/// Flush the folder, so the rename itself survives a crash. A folder that
/// cannot be opened or flushed changes nothing: the file is in place.
pub(super) fn sync_folder(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// Whether the process `pid` is running: kill(pid, 0) finds it (a process
/// of another user, which we may not signal, counts as running).
pub(super) fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// Unix renames over a file whoever has it open: a refused rename stays
/// refused.
pub(super) fn may_pass(_error: &io::Error) -> bool {
    false
}

/// Nothing holds a file against a rename on Unix.
pub(super) fn held_open(_path: &Path) -> bool {
    false
}

pub(super) fn programs_using(_path: &Path) -> Vec<String> {
    Vec::new()
}
