//! Atomic file writes: the new bytes go to a temporary file in the same
//! directory, which is then renamed over the target. A reader sees the old
//! file or the new one, never half of either; a crash leaves the original
//! intact (and at worst a stale temporary file that the next write to the
//! same target removes).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Suffix of our temporary files, so stale ones can be recognised.
const TEMP_SUFFIX: &str = ".mif-tmp";

/// What to do when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clobber {
    /// Replace it.
    #[default]
    Replace,
    /// Fail with `AlreadyExists`.
    Refuse,
}

/// Write `bytes` to `path` atomically.
///
/// Through a symlink the link's target is written and the link kept. The
/// target's permissions are kept. A target that is not a regular file or
/// is read-only is refused, as is an existing one with [`Clobber::Refuse`].
pub fn write_atomic(path: &Path, bytes: &[u8], clobber: Clobber) -> io::Result<()> {
    let target = resolve_target(path)?;
    let existing = match fs::metadata(&target) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(metadata) = &existing {
        if clobber == Clobber::Refuse {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists", path.display()),
            ));
        }
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ));
        }
        if metadata.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is read-only", path.display()),
            ));
        }
    }
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "mif".into());
    remove_stale_temps(&dir, &file_name);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}.{}.", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Some(metadata) = &existing {
        fs::set_permissions(temp.path(), metadata.permissions())?;
    }
    match clobber {
        Clobber::Replace => temp.persist(&target).map_err(|e| e.error)?,
        Clobber::Refuse => temp.persist_noclobber(&target).map_err(|e| e.error)?,
    };
    Ok(())
}

/// Remove temporary files that a killed writer left beside `path`, without
/// writing it (a file `mif fmt` finds already formatted still gets tidied).
pub fn remove_stale_temps_for(path: &Path) {
    let Ok(target) = resolve_target(path) else {
        return;
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(name) = target.file_name().and_then(|n| n.to_str()) {
        remove_stale_temps(&dir, name);
    }
}

/// Follow symlinks to the file that should really be written.
fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&target)?;
                target = match target.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(target),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

/// Remove temporary files left for this target by processes that died
/// between writing and renaming. Files of live processes are left alone.
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
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a cheap way to ask, assume it is alive and keep its file.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_keep_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mif");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new", Clobber::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn refuses_to_clobber_and_non_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mif");
        fs::write(&path, "old").unwrap();
        let err = write_atomic(&path, b"new", Clobber::Refuse).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        let err = write_atomic(dir.path(), b"x", Clobber::Replace).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlinks_and_removes_stale_temps() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.mif");
        let link = dir.path().join("link.mif");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.mif", &link).unwrap();
        let stale = dir.path().join(".real.mif.999999999.abc.mif-tmp");
        fs::write(&stale, "half").unwrap();
        write_atomic(&link, b"new", Clobber::Replace).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert!(!stale.exists());
    }
}
