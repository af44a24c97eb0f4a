//! `mif check` over a tree of many small files, against `cat` reading them.
//!
//! `cargo bench --bench folders` writes 20,000 small status MIFs (100
//! folders of 200) into a temporary folder, then times, best of five:
//! `cat` reading every file (the floor: the same opens and reads, no work),
//! `mif check -q` over the tree on every core, and the same with
//! `--threads 1`. It prints wall seconds, MB/s, the ratio to `cat` (the
//! target is at most 1.5) and the peak resident memory of the `mif` runs.
//! Figures are recorded in docs/performance.md.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FOLDERS: usize = 100;
const FILES_PER_FOLDER: usize = 200;
const RUNS: usize = 5;

/// A small status MIF as install scripts leave them, a little different
/// per file so nothing is shared by accident.
fn status_mif(folder: usize, file: usize) -> String {
    let status = if file.is_multiple_of(7) {
        "Failed"
    } else {
        "Success"
    };
    format!(
        "START COMPONENT\r\n    NAME = \"WORKSTATION\"\r\n    START GROUP\r\n        NAME = \"ComponentID\"\r\n        ID = 1\r\n        CLASS = \"DMTF|ComponentID|1.0\"\r\n{}{}{}{}{}    END GROUP\r\n    START GROUP\r\n        NAME = \"InstallStatus\"\r\n        ID = 2\r\n        CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\r\n{}{}    END GROUP\r\nEND COMPONENT\r\n",
        attribute("Manufacturer", 1, "Contoso"),
        attribute("Product", 2, &format!("Widget {folder}-{file}")),
        attribute("Version", 3, "1.0"),
        attribute("Serial Number", 4, ""),
        attribute("Installation", 5, ""),
        attribute("Status", 1, status),
        attribute("Description", 2, &format!("Installed widget {file}")),
    )
}

fn attribute(name: &str, id: u32, value: &str) -> String {
    format!(
        "        START ATTRIBUTE\r\n            NAME = \"{name}\"\r\n            ID = {id}\r\n            ACCESS = READ-ONLY\r\n            STORAGE = SPECIFIC\r\n            TYPE = STRING(64)\r\n            VALUE = \"{value}\"\r\n        END ATTRIBUTE\r\n"
    )
}

/// Writes the tree and returns its total size in bytes.
fn write_tree(root: &Path) -> u64 {
    let mut bytes = 0;
    for folder in 0..FOLDERS {
        let dir = root.join(format!("d{folder:03}"));
        fs::create_dir(&dir).expect("create a folder in the temporary tree");
        for file in 0..FILES_PER_FOLDER {
            let text = status_mif(folder, file);
            bytes += text.len() as u64;
            fs::write(dir.join(format!("f{file:03}.mif")), text).expect("write a file");
        }
    }
    bytes
}

/// The best wall time of `RUNS` runs of `command`, which must succeed with
/// the given exit code.
fn best_of(mut command: impl FnMut() -> Command, expected_code: i32) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let status = command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run the command");
            let elapsed = start.elapsed();
            assert_eq!(status.code(), Some(expected_code), "unexpected exit");
            elapsed
        })
        .min()
        .expect("at least one run")
}

/// Peak resident memory of any child waited for so far, in KB.
fn children_peak_kb() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is valid.
    let code = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    assert_eq!(code, 0, "getrusage failed");
    // SAFETY: getrusage succeeded, so the struct is initialised.
    unsafe { usage.assume_init() }.ru_maxrss
}

fn main() {
    let tree = tempfile::tempdir().expect("create a temporary folder");
    let bytes = write_tree(tree.path());
    let files = FOLDERS * FILES_PER_FOLDER;
    let megabytes = bytes as f64 / 1e6;
    println!("{files} files, {megabytes:.1} MB, {RUNS} runs each, best shown");

    let cat = best_of(
        || {
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg("find \"$1\" -name '*.mif' -exec cat {} +")
                .arg("sh")
                .arg(tree.path());
            command
        },
        0,
    );
    // Some files say Failed, which `check` does not mind: every file is
    // clean, so the exit is 0.
    let mif = env!("CARGO_BIN_EXE_mif");
    let parallel = best_of(
        || {
            let mut command = Command::new(mif);
            command
                .args(["check", "-q", "--no-config"])
                .arg(tree.path());
            command
        },
        0,
    );
    let one_thread = best_of(
        || {
            let mut command = Command::new(mif);
            command
                .args(["check", "-q", "--no-config", "--threads", "1"])
                .arg(tree.path());
            command
        },
        0,
    );
    let report = |what: &str, time: Duration| {
        let seconds = time.as_secs_f64();
        println!(
            "{what:<28} {seconds:6.3} s  {:7.1} MB/s  {:4.2}x cat",
            megabytes / seconds,
            seconds / cat.as_secs_f64()
        );
    };
    report("cat", cat);
    report("mif check (every core)", parallel);
    report("mif check --threads 1", one_thread);
    println!("peak resident memory of any run: {} KB", children_peak_kb());
}
