//! Faults around the writers (`mif fmt` in place, `mif new -o`), driving
//! the built binary: whatever goes wrong, the original bytes survive and
//! no temporary file is left behind once a later run has succeeded.
//! Faults that need Unix (permission bits, `ulimit -f`, symbolic links
//! made without privileges) are in `mod unix`; a file held open by another
//! program is a Windows fault (`mod windows`); the rest run everywhere.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const MIF: &str = env!("CARGO_BIN_EXE_mif");

/// A file `mif fmt` changes: odd indentation and lower-case keywords.
const UNFORMATTED: &str = "start component\nname = \"x\"\n  start group name = \"g\" id = 1 class = \"a|b|1\"\n  start attribute name = \"a\" id = 1 type = int value = 5 end attribute\n  end group\nend component\n";

fn formatted() -> Vec<u8> {
    mif::printer::format_bytes(UNFORMATTED.as_bytes(), &Default::default()).unwrap()
}

fn mif(args: &[&str], dir: &Path) -> Output {
    common::mif_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2, and stderr names the file that could not be written.
#[track_caller]
fn assert_write_refused(out: &Output, name: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(
        stderr(out).contains(&format!("cannot write {name}")),
        "{}",
        stderr(out)
    );
}

/// Our temporary files in a folder (see `mif::write`).
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".mif-tmp"))
        .collect()
}

fn folder_with(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, content).unwrap();
    (dir, path)
}

/// A folder where the file should be: `mif fmt` walks it (a folder is
/// never written), `mif new -o` refuses it; its contents are untouched.
#[test]
fn target_is_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("a.mif")).unwrap();
    fs::write(dir.path().join("a.mif").join("inside"), "kept").unwrap();
    let out = mif(&["fmt", "a.mif"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let new = mif(&["new", "-s", "success", "-o", "a.mif"], dir.path());
    assert_eq!(new.status.code(), Some(2), "{}", stderr(&new));
    assert!(
        stderr(&new).contains("cannot write a.mif: it is not a regular file"),
        "{}",
        stderr(&new)
    );
    assert!(dir.path().join("a.mif").is_dir());
    assert_eq!(
        fs::read(dir.path().join("a.mif").join("inside")).unwrap(),
        b"kept"
    );
    assert!(temp_files(dir.path()).is_empty());
}

/// Both read the unformatted file; the first to rename wins, and the other
/// either renamed before it or finds the file replaced since it read it and
/// leaves it alone (exit 2). Either way the file ends formatted.
#[test]
fn two_formatters_on_one_file_in_parallel() {
    for _ in 0..10 {
        let (dir, path) = folder_with("a.mif", UNFORMATTED.as_bytes());
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(MIF)
                    .args(["fmt", "a.mif"])
                    .current_dir(dir.path())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        for out in &outputs {
            let left_alone = out.status.code() == Some(2)
                && stderr(out).contains("it is no longer the file that was read");
            assert!(
                out.status.code() == Some(0) || left_alone,
                "{}",
                stderr(out)
            );
        }
        assert!(outputs.iter().any(|out| out.status.code() == Some(0)));
        assert_eq!(fs::read(&path).unwrap(), formatted());
        assert!(temp_files(dir.path()).is_empty());
    }
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new(MIF)
        .arg("--version")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// A run killed after writing its temporary file and before renaming it
/// leaves the original as it was; the next run removes the leftover.
#[test]
fn killed_between_temp_write_and_rename() {
    let (dir, path) = folder_with("a.mif", UNFORMATTED.as_bytes());
    fs::write(dir.path().join("out.mif"), "the previous status").unwrap();
    let pid = dead_pid();
    let stale = [
        dir.path().join(format!(".a.mif.{pid}.Xy12ab.mif-tmp")),
        dir.path().join(format!(".out.mif.{pid}.Zz98cd.mif-tmp")),
    ];
    for temp in &stale {
        fs::write(temp, "half a fi").unwrap();
    }
    assert_eq!(fs::read(&path).unwrap(), UNFORMATTED.as_bytes());
    let out = mif(&["fmt", "a.mif"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let new = mif(&["new", "-s", "success", "-o", "out.mif"], dir.path());
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    assert_eq!(fs::read(&path).unwrap(), formatted());
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

#[test]
fn a_later_run_tidies_stale_temp_files_even_when_nothing_changes() {
    let (dir, path) = folder_with("a.mif", &formatted());
    let stale = dir
        .path()
        .join(format!(".a.mif.{}.Qq11aa.mif-tmp", dead_pid()));
    fs::write(&stale, "half a fi").unwrap();
    let out = mif(&["fmt", "a.mif"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read(&path).unwrap(),
        formatted(),
        "already formatted: untouched"
    );
    assert!(!stale.exists(), "stale temp file removed");
}

/// A temporary file of a writer that is still running (here `mif lsp`,
/// waiting for its client) is left alone; once that writer has exited,
/// the next run removes it.
#[test]
fn a_live_writers_temp_file_is_kept_until_it_exits() {
    let (dir, path) = folder_with("a.mif", UNFORMATTED.as_bytes());
    let mut writer = Command::new(MIF)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temp = dir
        .path()
        .join(format!(".a.mif.{}.Ab34cd.mif-tmp", writer.id()));
    fs::write(&temp, "half a fi").unwrap();
    let out = mif(&["fmt", "a.mif"], dir.path());
    let kept = temp.exists();
    writer.kill().unwrap();
    writer.wait().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read(&path).unwrap(), formatted());
    assert!(kept, "the running writer's file was removed");
    let out = mif(&["fmt", "a.mif"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!temp.exists(), "the exited writer's file is still there");
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// `mif` under `sh -c 'ulimit -f BLOCKS; exec mif ...'`: a disk that fills
    /// up after a few hundred bytes.
    fn mif_with_file_size_limit(blocks: u32, args: &[&str], dir: &Path) -> Output {
        Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -f {blocks}; exec \"$0\" \"$@\""))
            .arg(MIF)
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Whether permission bits stop us writing (they do not for root).
    fn permissions_are_enforced(dir: &Path) -> bool {
        let probe = dir.join("probe");
        let enforced = fs::write(&probe, "x").is_err();
        let _ = fs::remove_file(probe);
        enforced
    }

    #[test]
    fn destination_folder_not_writable() {
        let (dir, path) = folder_with("a.mif", UNFORMATTED.as_bytes());
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
        if !permissions_are_enforced(dir.path()) {
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
            eprintln!("note: running as root, permission bits do not stop writes: case skipped");
            return;
        }
        let out = mif(&["fmt", "a.mif"], dir.path());
        let new = mif(&["new", "-s", "failed", "-o", "b.mif"], dir.path());
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
        assert_write_refused(&out, "a.mif");
        assert_eq!(fs::read(&path).unwrap(), UNFORMATTED.as_bytes());
        assert_write_refused(&new, "b.mif");
        assert!(!dir.path().join("b.mif").exists());
        assert!(temp_files(dir.path()).is_empty());
    }

    /// The formatted file is over the size limit: the write fails with a
    /// message (SIGXFSZ is ignored, so the process is not killed), the
    /// original stays, the temporary file is removed.
    #[test]
    fn disk_full_while_formatting_in_place() {
        let big: String = (0..200)
            .map(|i| format!("start group name = \"g\" id = {i} class = \"a|b|1\" end group\n"))
            .collect();
        let original = format!("start component name = \"x\"\n{big}end component\n");
        let (dir, path) = folder_with("a.mif", original.as_bytes());
        let out = mif_with_file_size_limit(2, &["fmt", "a.mif"], dir.path());
        assert_write_refused(&out, "a.mif");
        assert_eq!(fs::read(&path).unwrap(), original.as_bytes());
        assert!(temp_files(dir.path()).is_empty());
        let out = mif(&["fmt", "a.mif"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(fs::read(&path).unwrap().starts_with(b"START COMPONENT"));
    }

    #[test]
    fn disk_full_while_writing_a_status_mif() {
        let (dir, path) = folder_with("out.mif", b"the previous status");
        let out =
            mif_with_file_size_limit(1, &["new", "-s", "failed", "-o", "out.mif"], dir.path());
        assert_write_refused(&out, "out.mif");
        assert_eq!(fs::read(&path).unwrap(), b"the previous status");
        assert!(temp_files(dir.path()).is_empty());
    }

    /// `mif fmt` edits the file a symlink the user names leads to, and keeps
    /// the link (`mif new` refuses a link: see tests/security.rs).
    #[test]
    fn target_is_a_symlink() {
        let (dir, real) = folder_with("real.mif", UNFORMATTED.as_bytes());
        std::os::unix::fs::symlink("real.mif", dir.path().join("link.mif")).unwrap();
        let out = mif(&["fmt", "link.mif"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let metadata = fs::symlink_metadata(dir.path().join("link.mif")).unwrap();
        assert!(metadata.file_type().is_symlink(), "link kept");
        assert_eq!(fs::read(real).unwrap(), formatted());
        assert!(temp_files(dir.path()).is_empty());
    }
}

#[cfg(windows)]
mod windows {
    use std::os::windows::fs::OpenOptionsExt;

    use windows_sys::Win32::Storage::FileSystem::{FILE_SHARE_READ, FILE_SHARE_WRITE};

    use super::*;

    /// Another program (here the test) has the file open without delete
    /// sharing, as an editor or a scanner may: `mif fmt` tries again for
    /// a moment, then says so; the file is as it was and no temporary file
    /// is left. Once the file is let go of, the same command succeeds.
    #[test]
    fn a_file_another_program_holds_open() {
        let (dir, path) = folder_with("a.mif", UNFORMATTED.as_bytes());
        let holder = fs::OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
            .open(&path)
            .unwrap();
        let out = mif(&["fmt", "a.mif"], dir.path());
        let new = mif(&["new", "-s", "failed", "-o", "a.mif"], dir.path());
        drop(holder);
        for out in [&out, &new] {
            assert_write_refused(out, "a.mif");
            assert!(
                stderr(out).contains("another program has it open"),
                "{}",
                stderr(out)
            );
            assert!(
                stderr(out).contains("nothing was changed"),
                "{}",
                stderr(out)
            );
        }
        assert_eq!(fs::read(&path).unwrap(), UNFORMATTED.as_bytes());
        assert!(temp_files(dir.path()).is_empty());
        let out = mif(&["fmt", "a.mif"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(fs::read(&path).unwrap(), formatted());
    }
}
