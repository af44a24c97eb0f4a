use std::fs;
use std::io;

use super::*;

fn identity_of(path: &Path) -> FileIdentity {
    FileIdentity::of(&File::open(path).unwrap()).unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_file_replaces_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mif");
    fs::write(&path, "old").unwrap();
    write_new(&path, b"new", Clobber::Replace).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(names_in(dir.path()), ["a.mif"], "no temporary file left");
}

#[test]
fn no_clobber_and_non_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mif");
    fs::write(&path, "old").unwrap();
    let err = write_new(&path, b"new", Clobber::Refuse).unwrap_err();
    assert!(matches!(err, WriteError::Exists), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), b"old");
    let err = write_new(dir.path(), b"x", Clobber::Replace).unwrap_err();
    assert!(matches!(err, WriteError::NotRegularFile), "{err:?}");
    assert_eq!(names_in(dir.path()), ["a.mif"]);
}

#[test]
fn rewriting_checks_the_identity_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mif");
    fs::write(&path, "old").unwrap();
    let read = identity_of(&path);
    rewrite_in_place(&path, b"new", read).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    let err = rewrite_in_place(&path, b"newer", read).unwrap_err();
    assert!(
        matches!(err, WriteError::Replaced),
        "the rename made a new file: {err:?}"
    );
    assert_eq!(fs::read(&path).unwrap(), b"new");
    fs::remove_file(&path).unwrap();
    let err = rewrite_in_place(&path, b"newer", read).unwrap_err();
    assert!(matches!(err, WriteError::Replaced), "{err:?}");
    assert!(names_in(dir.path()).is_empty());
}

#[test]
fn errors_say_what_failed_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/folder/a.mif");
    let err = write_new(&path, b"x", Clobber::Replace).unwrap_err();
    let text = err.to_string();
    assert_eq!(
        text,
        "could not create a temporary file beside it: no such file or directory"
    );
    let raw = io::Error::from_raw_os_error(5);
    assert!(!io_error_in_words(&raw).contains("os error"));
}

/// The pid of a process that has run and exited: this test program, asked
/// to run a test that does not exist.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "no such test"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// A live writer of another process is the case of tests/faults.rs.
#[test]
fn a_writer_is_alive_until_it_exits() {
    assert!(platform::process_alive(std::process::id()));
    assert!(!platform::process_alive(dead_pid()));
}

#[test]
fn stale_temps_of_dead_writers_go_and_those_of_live_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mif");
    fs::write(&path, "old").unwrap();
    let dead = dir
        .path()
        .join(format!(".a.mif.{}.0123abcd.mif-tmp", dead_pid()));
    let live = dir
        .path()
        .join(format!(".a.mif.{}.4567ef01.mif-tmp", std::process::id()));
    let other = dir
        .path()
        .join(format!(".b.mif.{}.0123abcd.mif-tmp", dead_pid()));
    for temp in [&dead, &live, &other] {
        fs::write(temp, "half").unwrap();
    }
    remove_stale_temps_for(&path);
    assert!(!dead.exists(), "a dead writer's file is removed");
    assert!(live.exists(), "a live writer's file is kept");
    assert!(other.exists(), "another name's file is kept");
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn a_new_file_never_goes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("a.mif");
        symlink("victim", &link).unwrap();
        for clobber in [Clobber::Replace, Clobber::Refuse] {
            let err = write_new(&link, b"new", clobber).unwrap_err();
            match err {
                WriteError::Link { what, target } => {
                    assert_eq!(what, "symbolic link");
                    assert_eq!(target.as_deref(), Some(Path::new("victim")));
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("victim"));
        assert_eq!(names_in(dir.path()), ["a.mif", "victim"]);
    }

    #[test]
    fn rewriting_follows_the_links_named_and_tidies_stale_temps() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.mif");
        let link = dir.path().join("link.mif");
        fs::write(&real, "old").unwrap();
        symlink("real.mif", &link).unwrap();
        let stale = dir.path().join(".real.mif.999999999.abc.mif-tmp");
        fs::write(&stale, "half").unwrap();
        rewrite_in_place(&link, b"new", identity_of(&link)).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert!(!stale.exists());
    }

    #[test]
    fn the_link_fallback_of_no_clobber_counts_a_dangling_link_as_taken() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join("temp");
        fs::write(&temp, "new").unwrap();
        let taken = dir.path().join("taken.mif");
        symlink("nowhere", &taken).unwrap();
        let err = platform::link_then_unlink(&temp, &taken).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(!dir.path().join("nowhere").exists());
        let free = dir.path().join("free.mif");
        platform::link_then_unlink(&temp, &free).unwrap();
        assert_eq!(fs::read(&free).unwrap(), b"new");
        assert_eq!(names_in(dir.path()), ["free.mif", "taken.mif"]);
    }

    #[test]
    fn no_clobber_counts_a_dangling_link_as_taken() {
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().join("temp");
        fs::write(&temp, "new").unwrap();
        let taken = dir.path().join("taken.mif");
        symlink("nowhere", &taken).unwrap();
        let err = platform::rename_no_replace(&temp, &taken).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(!dir.path().join("nowhere").exists());
        assert_eq!(fs::read(&temp).unwrap(), b"new");
    }
}

#[cfg(windows)]
mod windows {
    use std::os::windows::fs::OpenOptionsExt;
    use std::time::{Duration, Instant};

    use windows_sys::Win32::Storage::FileSystem::{FILE_SHARE_READ, FILE_SHARE_WRITE};

    use super::*;

    /// The file opened as an editor or a scanner might: reading and
    /// writing shared, deleting (and so renaming over it) not.
    fn hold_open(path: &Path) -> File {
        fs::OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
            .open(path)
            .unwrap()
    }

    #[test]
    fn a_file_held_open_is_not_replaced_and_the_error_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mif");
        fs::write(&path, "old").unwrap();
        let read = identity_of(&path);
        let holder = hold_open(&path);
        let started = Instant::now();
        let err = rewrite_in_place(&path, b"new", read).unwrap_err();
        assert!(matches!(err, WriteError::HeldOpen { .. }), "{err:?}");
        assert!(started.elapsed() >= Duration::from_secs(1), "tried again");
        assert!(
            err.to_string().starts_with("another program has it open"),
            "{err}"
        );
        let err = write_new(&path, b"new", Clobber::Replace).unwrap_err();
        assert!(matches!(err, WriteError::HeldOpen { .. }), "{err:?}");
        drop(holder);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names_in(dir.path()), ["a.mif"], "no temporary file left");
    }

    #[test]
    fn a_file_let_go_of_while_retrying_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mif");
        fs::write(&path, "old").unwrap();
        let read = identity_of(&path);
        let holder = hold_open(&path);
        let letting_go = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(holder);
        });
        rewrite_in_place(&path, b"new", read).unwrap();
        letting_go.join().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names_in(dir.path()), ["a.mif"]);
    }

    #[test]
    fn a_file_held_open_is_told_from_one_that_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mif");
        fs::write(&path, "old").unwrap();
        assert!(!platform::held_open(&path), "nobody holds it");
        let holder = hold_open(&path);
        assert!(platform::held_open(&path));
        drop(holder);
        assert!(platform::may_pass(&io::Error::from_raw_os_error(5)));
        assert!(platform::may_pass(&io::Error::from_raw_os_error(32)));
        assert!(!platform::may_pass(&io::Error::from_raw_os_error(2)));
    }
}
