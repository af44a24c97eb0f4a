//! Links planted where mif writes (docs/security.md), driving the built
//! binary as an install script would: `mif new` never writes through a
//! link at the destination, `--no-clobber` counts any name as taken, new
//! files get the usual mode, and an in-place write leaves a file alone
//! once its name leads somewhere else.
//!
//! The same tests run on Windows wherever Windows has the same thing:
//! symbolic links when the system lets the test make them (real Windows
//! needs the privilege or developer mode; Wine 8 cannot make them, and the
//! cases say they were skipped), hard links, --no-clobber, a file swapped
//! after reading. Modes, umask and owners are Unix only.

mod common;

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::Command;
use std::process::Output;

use mif::write::{rewrite_in_place, FileIdentity, WriteError};

#[cfg(unix)]
const MIF: &str = env!("CARGO_BIN_EXE_mif");

/// Make a symbolic link at `link` to `target` (relative to the link's
/// folder, as the system reads it), or say why not and give false, for
/// the case to be skipped where links cannot be made.
#[must_use]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> bool {
    let (target, link) = (target.as_ref(), link.as_ref());
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    let made = {
        let folder = link.parent().unwrap_or(Path::new("."));
        if folder.join(target).is_dir() {
            std::os::windows::fs::symlink_dir(target, link)
        } else {
            std::os::windows::fs::symlink_file(target, link)
        }
    };
    match made {
        Ok(()) if fs::symlink_metadata(link).is_ok_and(|m| m.file_type().is_symlink()) => true,
        outcome => {
            let _ = fs::remove_file(link);
            eprintln!("note: cannot make a symbolic link here ({outcome:?}): case skipped");
            false
        }
    }
}

/// `mif new` as an install script runs it, in `dir`.
fn new_status(dir: &Path, destination: &[&str]) -> Output {
    common::mif_command()
        .args(["new", "-s", "success", "-p", "Widget", "-d", "Installed"])
        .args(destination)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `mif new` under `sh -c 'umask UMASK; exec mif ...'`.
#[cfg(unix)]
fn new_status_with_umask(umask: &str, dir: &Path, destination: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(MIF)
        .args(["new", "-s", "success", "-p", "Widget", "-d", "Installed"])
        .args(destination)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2, and stderr says which file, why, and that nothing changed.
#[track_caller]
fn assert_refused(out: &Output, name: &str, why: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("cannot write {name}: {why}")),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(
        !err.contains("os error") && !err.contains(".mif-tmp"),
        "{err}"
    );
}

/// The names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).unwrap().file_type().is_symlink()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// A folder standing for `/etc`: one file the attacker wants written.
fn victim() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    (dir, victim)
}

#[test]
fn a_symlink_to_a_file_is_refused_and_its_target_kept() {
    let (_victims, victim) = victim();
    let shared = tempfile::tempdir().unwrap();
    let link = shared.path().join("widget.mif");
    if !symlink(&victim, &link) {
        return;
    }
    let out = new_status(shared.path(), &["-o", "widget.mif"]);
    let why = format!("it is a symbolic link to {}", victim.display());
    assert_refused(&out, "widget.mif", &why);
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert_eq!(fs::read_link(&link).unwrap(), victim);
    assert_eq!(names_in(shared.path()), ["widget.mif"]);
}

#[test]
fn a_dangling_symlink_is_refused_with_and_without_no_clobber() {
    let shared = tempfile::tempdir().unwrap();
    let link = shared.path().join("widget.mif");
    if !symlink("planted", &link) {
        return;
    }
    for extra in [&[][..], &["--no-clobber"][..]] {
        let args = [&["-o", "widget.mif"][..], extra].concat();
        let out = new_status(shared.path(), &args);
        assert_refused(&out, "widget.mif", "it is a symbolic link to planted");
        assert!(!shared.path().join("planted").exists(), "{extra:?}");
        assert_eq!(fs::read_link(&link).unwrap(), Path::new("planted"));
        assert_eq!(names_in(shared.path()), ["widget.mif"], "{extra:?}");
    }
}

/// The folder is taken as named, a link included: only the last component
/// is checked (docs/security.md says why).
#[test]
fn a_linked_destination_folder_is_taken_as_named() {
    let root = tempfile::tempdir().unwrap();
    let real = root.path().join("real");
    fs::create_dir(&real).unwrap();
    if !symlink("real", root.path().join("shared")) {
        return;
    }
    let out = new_status(root.path(), &["-o", "shared/widget.mif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = real.join("widget.mif");
    assert!(!is_symlink(&written));
    assert!(fs::read(&written).unwrap().starts_with(b"START COMPONENT"));
    assert_eq!(names_in(&real), ["widget.mif"]);
    let (_victims, victim) = victim();
    if !symlink(&victim, real.join("other.mif")) {
        return;
    }
    let out = new_status(root.path(), &["-o", "shared/other.mif"]);
    assert_refused(&out, "shared/other.mif", "it is a symbolic link");
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
}

/// `--temp` and `--windir` build the name from the environment: a link
/// planted under that name is refused just the same.
#[test]
fn a_link_planted_in_the_temp_or_windows_folder_is_refused() {
    let (_victims, victim) = victim();
    let shared = tempfile::tempdir().unwrap();
    let link = shared.path().join("widget.mif");
    if !symlink(&victim, &link) {
        return;
    }
    for (flag, variable) in [("--temp", "TEMP"), ("--windir", "windir")] {
        let out = common::mif_command()
            .args(["new", "-s", "failed", flag, "widget"])
            .env(variable, shared.path())
            .output()
            .unwrap();
        let name = link.display().to_string();
        assert_refused(&out, &name, "it is a symbolic link to");
        assert_eq!(fs::read(&victim).unwrap(), b"precious", "{flag}");
        assert!(is_symlink(&link), "{flag}");
        assert_eq!(names_in(shared.path()), ["widget.mif"], "{flag}");
    }
}

/// A hard link is a second name for the victim: the rename replaces the
/// name, the victim keeps its bytes and mode, and the new file does not
/// take the victim's mode.
#[cfg(unix)]
#[test]
fn a_hard_link_at_the_destination_is_replaced_not_written_through() {
    let (_victims, victim) = victim();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let shared = tempfile::tempdir().unwrap();
    let planted = shared.path().join("widget.mif");
    if fs::hard_link(&victim, &planted).is_err() {
        eprintln!("note: no hard links across these folders: case skipped");
        return;
    }
    let out = new_status_with_umask("022", shared.path(), &["-o", "widget.mif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert_eq!(fs::metadata(&victim).unwrap().nlink(), 1);
    assert_eq!(mode(&victim), 0o600);
    assert!(fs::read(&planted).unwrap().starts_with(b"START COMPONENT"));
    assert_eq!(mode(&planted), 0o644);
    assert_eq!(names_in(shared.path()), ["widget.mif"]);
}

#[cfg(unix)]
#[test]
fn a_new_file_gets_the_mode_the_umask_gives() {
    for (umask, expected) in [("022", 0o644), ("077", 0o600)] {
        let dir = tempfile::tempdir().unwrap();
        let out = new_status_with_umask(umask, dir.path(), &["-o", "widget.mif"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let mode = mode(&dir.path().join("widget.mif"));
        assert_eq!(mode, expected, "umask {umask}: {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_file_of_ours_keeps_its_mode() {
    for umask in ["022", "077"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("widget.mif");
        fs::write(&path, "the previous status").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let out = new_status_with_umask(umask, dir.path(), &["-o", "widget.mif"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(mode(&path), 0o640, "umask {umask}");
        assert!(fs::read(&path).unwrap().starts_with(b"START COMPONENT"));
    }
}

/// A regular file someone else planted (world-writable, so they could
/// edit what we write) passes neither its owner nor its mode on. Needs
/// root, to give the file another owner.
#[cfg(unix)]
#[test]
fn a_planted_file_of_another_user_passes_nothing_on() {
    let shared = tempfile::tempdir().unwrap();
    let planted = shared.path().join("widget.mif");
    fs::write(&planted, "planted").unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o666)).unwrap();
    if std::os::unix::fs::chown(&planted, Some(65534), None).is_err() {
        eprintln!("note: not root, cannot give a file another owner: case skipped");
        return;
    }
    let out = new_status_with_umask("022", shared.path(), &["-o", "widget.mif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let metadata = fs::metadata(&planted).unwrap();
    assert_ne!(metadata.uid(), 65534);
    assert_eq!(metadata.permissions().mode() & 0o7777, 0o644);
}

#[test]
fn no_clobber_refuses_any_existing_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file.mif"), "old").unwrap();
    fs::create_dir(dir.path().join("folder.mif")).unwrap();
    for name in ["file.mif", "folder.mif"] {
        let out = new_status(dir.path(), &["--no-clobber", "-o", name]);
        assert_refused(&out, name, "it exists and --no-clobber was given");
    }
    assert_eq!(fs::read(dir.path().join("file.mif")).unwrap(), b"old");
    assert_eq!(names_in(dir.path()), ["file.mif", "folder.mif"]);
    let out = new_status(dir.path(), &["--no-clobber", "-o", "fresh.mif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read(dir.path().join("fresh.mif"))
        .unwrap()
        .starts_with(b"START COMPONENT"));
}

/// The identity of the file at `path` as `mif fmt` takes it when reading.
fn identity_when_read(path: &Path) -> FileIdentity {
    FileIdentity::of(&fs::File::open(path).unwrap()).unwrap()
}

/// `mif fmt` read `a.mif`; before it renames, someone swaps the name for a
/// link to the victim, or for another file: the write is refused, and
/// neither the victim nor the swapped-in file is touched.
#[test]
fn an_in_place_write_refuses_a_file_swapped_after_reading() {
    let (_victims, victim) = victim();
    let shared = tempfile::tempdir().unwrap();
    let path = shared.path().join("a.mif");
    fs::write(&path, "as read").unwrap();
    let read = identity_when_read(&path);
    fs::remove_file(&path).unwrap();
    fs::write(&path, "swapped in").unwrap();
    let err = rewrite_in_place(&path, b"formatted", read).unwrap_err();
    assert!(matches!(err, WriteError::Replaced), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), b"swapped in");
    fs::remove_file(&path).unwrap();
    if !symlink(&victim, &path) {
        return;
    }
    let err = rewrite_in_place(&path, b"formatted", read).unwrap_err();
    assert!(matches!(err, WriteError::Replaced), "{err:?}");
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert!(is_symlink(&path));
    assert_eq!(names_in(shared.path()), ["a.mif"]);
}

/// A link the user named is followed, as documented, but only to the file
/// read through it: pointed elsewhere meanwhile, it is left alone.
#[test]
fn an_in_place_write_refuses_a_named_link_pointed_elsewhere_after_reading() {
    let (_victims, victim) = victim();
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.mif");
    let link = dir.path().join("link.mif");
    fs::write(&real, "as read").unwrap();
    if !symlink("real.mif", &link) {
        return;
    }
    let read = identity_when_read(&link);
    fs::remove_file(&link).unwrap();
    if !symlink(&victim, &link) {
        return;
    }
    let err = rewrite_in_place(&link, b"formatted", read).unwrap_err();
    assert!(matches!(err, WriteError::Replaced), "{err:?}");
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert_eq!(fs::read(&real).unwrap(), b"as read");
    fs::remove_file(&link).unwrap();
    if !symlink("real.mif", &link) {
        return;
    }
    rewrite_in_place(&link, b"formatted", read).unwrap();
    assert_eq!(fs::read(&real).unwrap(), b"formatted");
    assert!(is_symlink(&link));
    assert_eq!(names_in(dir.path()), ["link.mif", "real.mif"]);
}

#[test]
fn a_failed_write_says_what_failed_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = new_status(dir.path(), &["-o", "no/such/widget.mif"]);
    assert_eq!(
        stderr(&out),
        "error: cannot write no/such/widget.mif: could not create a temporary file beside \
         it: no such file or directory; nothing was changed\n"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// A disk that fills up (`ulimit -f`) while the new contents are written.
#[cfg(unix)]
#[test]
fn a_full_disk_is_reported_in_words() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("widget.mif"), "the previous status").unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(MIF)
        .args(["new", "-s", "failed", "-d", &"x".repeat(128)])
        .args(["-o", "widget.mif"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_refused(&out, "widget.mif", "could not write the new contents: ");
    assert_eq!(
        fs::read(dir.path().join("widget.mif")).unwrap(),
        b"the previous status"
    );
    assert_eq!(names_in(dir.path()), ["widget.mif"]);
}

#[test]
fn a_dash_as_output_means_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = new_status(dir.path(), &["-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"START COMPONENT"));
    assert!(names_in(dir.path()).is_empty(), "no file named -");
}

/// A hard link is a second name for the victim: the rename replaces the
/// name and the victim keeps its bytes (on Unix its mode too, above).
#[test]
fn a_hard_link_at_the_destination_keeps_the_other_name_as_it_was() {
    let (_victims, victim) = victim();
    let shared = tempfile::tempdir().unwrap();
    let planted = shared.path().join("widget.mif");
    if fs::hard_link(&victim, &planted).is_err() {
        eprintln!("note: no hard links across these folders: case skipped");
        return;
    }
    let out = new_status(shared.path(), &["-o", "widget.mif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert!(fs::read(&planted).unwrap().starts_with(b"START COMPONENT"));
    assert_eq!(names_in(shared.path()), ["widget.mif"]);
}

/// The inventory and JSON writers go through the same writer: a link
/// planted in the Noidmifs folder, or at `-o`, is refused.
#[test]
fn inventory_and_json_writers_refuse_a_planted_link() {
    let (_victims, victim) = victim();
    let noidmifs = tempfile::tempdir().unwrap();
    if !symlink(&victim, noidmifs.path().join("asset.mif")) {
        return;
    }
    let out = common::mif_command()
        .args([
            "new",
            "noidmif",
            "--group",
            "Asset",
            "--class",
            "ACME|Asset|1.0",
        ])
        .args(["--value", "Tag=A-42", "--noidmifs", "asset"])
        .env("MIF_NOIDMIFS_DIR", noidmifs.path())
        .output()
        .unwrap();
    let name = noidmifs.path().join("asset.mif").display().to_string();
    let why = format!("it is a symbolic link to {}", victim.display());
    assert_refused(&out, &name, &why);
    let json = br#"{"schema_version": 1, "component": {"name": "x"}}"#;
    let out = common::run_mif(
        &["new", "--from-json", "-", "-o", name.as_str()],
        Some(json.as_slice()),
    );
    assert_refused(&out, &name, &why);
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    assert_eq!(names_in(noidmifs.path()), ["asset.mif"]);
}
