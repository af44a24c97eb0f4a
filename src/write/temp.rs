//! The temporary file a write goes through: created exclusively under a
//! random name beside the destination, removed again unless it was renamed
//! into place, and the leftovers of killed writers tidied away.

use std::collections::hash_map::RandomState;
use std::fs::{self, File};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::{Step, WriteError};
use super::platform::{self, Kept};

/// Suffix of our temporary files, so stale ones can be recognised.
const TEMP_SUFFIX: &str = ".mif-tmp";

/// Fresh names tried before giving up: each is 64 random bits, so a
/// second try only happens when someone planted that very name.
const NAME_ATTEMPTS: usize = 16;

/// A temporary file beside a destination. Dropped before it was renamed
/// into place, it is closed and removed.
pub(super) struct TempFile {
    // Declared first, so it is closed before `name` removes it.
    file: File,
    name: TempName,
}

/// The temporary file's name, removed on drop unless it was renamed.
struct TempName {
    path: PathBuf,
    renamed: bool,
}

impl Drop for TempName {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl TempFile {
    /// Create a new file beside `destination`, failing rather than opening
    /// anything that is already there. `private`: created readable by its
    /// owner only, because [`TempFile::fill`] gives it another file's
    /// permissions; otherwise it gets a new file's usual mode.
    pub(super) fn create(destination: &Path, private: bool) -> Result<TempFile, WriteError> {
        let dir = folder_of(destination);
        let name = destination
            .file_name()
            .ok_or(WriteError::NotRegularFile)?
            .to_string_lossy();
        remove_stale_temps(&dir, &name);
        let mut last_error = None;
        for _ in 0..NAME_ATTEMPTS {
            let temp_name = format!(
                ".{name}.{}.{:016x}{TEMP_SUFFIX}",
                std::process::id(),
                random_u64()
            );
            let path = dir.join(temp_name);
            match platform::create_exclusive(&path, private) {
                Ok(file) => {
                    let name = TempName {
                        path,
                        renamed: false,
                    };
                    return Ok(TempFile { file, name });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
                Err(e) => return Err(WriteError::io(Step::CreateTemporary, e)),
            }
        }
        let error = last_error.unwrap_or_else(|| io::ErrorKind::AlreadyExists.into());
        Err(WriteError::io(Step::CreateTemporary, error))
    }

    /// Write `bytes`, give the file the permissions `kept` (if any), and
    /// flush it to disk before it may replace anything.
    pub(super) fn fill(&mut self, bytes: &[u8], kept: Option<&Kept>) -> Result<(), WriteError> {
        self.file
            .write_all(bytes)
            .map_err(|e| WriteError::io(Step::Write, e))?;
        if let Some(kept) = kept {
            platform::apply(&self.file, kept)
                .map_err(|e| WriteError::io(Step::SetPermissions, e))?;
        }
        self.file
            .sync_all()
            .map_err(|e| WriteError::io(Step::Sync, e))
    }

    /// Rename the file to `destination`, replacing whatever name is there
    /// (a link is replaced, never followed). `still_wanted` is asked again
    /// before each retry (see [`rename_retrying`]).
    pub(super) fn rename_over(
        self,
        destination: &Path,
        still_wanted: &dyn Fn() -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        self.rename_with(destination, platform::rename_replacing, still_wanted)
    }

    /// Rename the file to `destination` only if nothing at all has that
    /// name, atomically.
    pub(super) fn rename_no_replace(self, destination: &Path) -> Result<(), WriteError> {
        self.rename_with(destination, platform::rename_no_replace, &|| Ok(()))
            .map_err(|error| match error {
                WriteError::Io { source, .. } if source.kind() == io::ErrorKind::AlreadyExists => {
                    WriteError::Exists
                }
                other => other,
            })
    }

    fn rename_with(
        self,
        destination: &Path,
        rename: fn(&Path, &Path) -> io::Result<()>,
        still_wanted: &dyn Fn() -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        let TempFile { file, mut name } = self;
        // Closed first: Windows renames no file that is open without
        // FILE_SHARE_DELETE, and the contents are already on disk.
        drop(file);
        rename_retrying(&name.path, destination, rename, still_wanted)?;
        name.renamed = true;
        platform::sync_folder(&folder_of(destination));
        Ok(())
    }
}

/// Pauses between tries while a rename is refused for a reason that may
/// pass (Windows only: another program has the destination or the new
/// file open, such as a virus scanner or an indexer looking at a new file,
/// an editor, or another mif reading it); about two seconds in all.
const RETRY_PAUSES_MS: [u64; 6] = [50, 100, 200, 300, 500, 800];

/// `rename`, tried again while it is refused for a reason that may pass,
/// after asking `still_wanted` (an in-place write makes sure the name
/// still leads to the file it read). When the destination is still held
/// open without delete sharing, say so and name the program if the
/// system can tell.
fn rename_retrying(
    from: &Path,
    destination: &Path,
    rename: fn(&Path, &Path) -> io::Result<()>,
    still_wanted: &dyn Fn() -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let mut pauses = RETRY_PAUSES_MS.iter();
    loop {
        let error = match rename(from, destination) {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        if !platform::may_pass(&error) {
            return Err(WriteError::io(Step::Rename, error));
        }
        match pauses.next() {
            Some(&ms) => {
                std::thread::sleep(std::time::Duration::from_millis(ms));
                still_wanted()?;
            }
            None if platform::held_open(destination) => {
                return Err(WriteError::HeldOpen {
                    by: platform::programs_using(destination),
                })
            }
            None => return Err(WriteError::io(Step::Rename, error)),
        }
    }
}

/// The folder a path's last component is in (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// 64 bits no one can guess: std's hasher keys come from the system's
/// random source, and the counter makes each call differ.
fn random_u64() -> u64 {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    hasher.finish()
}

/// Remove temporary files that a killed writer left beside `path`, without
/// writing it (a file `mif fmt` finds already formatted still gets tidied).
/// Links the user named are followed, as the write would follow them.
pub fn remove_stale_temps_for(path: &Path) {
    let Ok(target) = super::resolve_links(path) else {
        return;
    };
    if let Some(name) = target.file_name() {
        remove_stale_temps(&folder_of(&target), &name.to_string_lossy());
    }
}

/// Remove temporary files left for this name by processes that died
/// between writing and renaming. Files of live processes are left alone;
/// removing a name never follows a link.
fn remove_stale_temps(dir: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        if !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || platform::process_alive(pid)
}
