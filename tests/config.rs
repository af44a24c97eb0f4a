//! Adopting mif in CI: `mif.toml` discovery and its keys, suppressions
//! from the command line, the CI output formats, parallel checking, walks
//! outside git, and a reader that goes away.

mod common;

use std::fs;
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mif(args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Run {
    let mut command = common::mif_command();
    command.args(args).current_dir(dir);
    let output = match stdin {
        Some(bytes) => {
            use std::io::Write;
            use std::process::Stdio;
            let mut child = command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(bytes).unwrap();
            child.wait_with_output().unwrap()
        }
        None => command.output().unwrap(),
    };
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A DMI component whose group 1 is not the ComponentID group (a
/// `componentid-class` warning) and whose value overruns its size (a
/// `value-too-long` warning).
const WARNED: &str = "START COMPONENT\n    NAME = \"c\"\n    START GROUP\n        NAME = \"g\"\n        ID = 1\n        CLASS = \"ACME|G|1.0\"\n        START ATTRIBUTE\n            NAME = \"a\"\n            ID = 1\n            TYPE = STRING(2)\n            VALUE = \"abc\"\n        END ATTRIBUTE\n    END GROUP\nEND COMPONENT\n";

/// The same with messy layout, for the formatter.
const MESSY: &str = "start component\nname = \"c\"\nend component\n";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn codes(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{} {}",
                value["severity"].as_str().unwrap(),
                value["code"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn the_nearest_configuration_wins_and_flags_win_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("mif.toml"),
        "[check]\nallow = [\"componentid-class\"]\n",
    );
    write(&root.join("a.mif"), WARNED);
    write(
        &root.join("strict/.mif.toml"),
        "[check]\ndeny = [\"value-too-long\"]\n",
    );
    write(&root.join("strict/b.mif"), WARNED);

    let run = mif(&["check", "--format", "json", "a.mif"], root, None);
    assert_eq!(
        codes(&run),
        ["warning mif::value-too-long"],
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 0);
    // The nearest file only: the one above is not merged in.
    // Errors come first (check::sort), a denied warning among them.
    let run = mif(&["check", "--format", "json", "strict/b.mif"], root, None);
    assert_eq!(
        codes(&run),
        [
            "error mif::value-too-long",
            "warning mif::componentid-class"
        ]
    );
    assert_eq!(run.code, 1);
    let run = mif(
        &["check", "--format", "json", "--no-config", "a.mif"],
        root,
        None,
    );
    assert_eq!(codes(&run).len(), 2);
    let run = mif(
        &[
            "check",
            "--format",
            "json",
            "--warn",
            "value-too-long",
            "--allow",
            "mif::componentid-class",
            "strict/b.mif",
        ],
        root,
        None,
    );
    assert_eq!(codes(&run), ["warning mif::value-too-long"]);
    let run = mif(
        &[
            "check",
            "--format",
            "json",
            "--config",
            "strict/.mif.toml",
            "a.mif",
        ],
        root,
        None,
    );
    assert_eq!(codes(&run).len(), 2);
    // Standard input is configured from --stdin-filepath's folder.
    let run = mif(
        &[
            "check",
            "--format",
            "json",
            "--stdin-filepath",
            "strict/x.mif",
            "-",
        ],
        root,
        Some(WARNED.as_bytes()),
    );
    assert!(codes(&run).contains(&"error mif::value-too-long".to_string()));
}

#[test]
fn a_bad_configuration_is_named_with_its_line_and_the_nearest_key() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("mif.toml"), "[fmt]\nindnt = 2\n");
    write(&dir.path().join("a.mif"), MESSY);
    for command in [vec!["check", "a.mif"], vec!["fmt", "--check", "a.mif"]] {
        let run = mif(&command, dir.path(), None);
        assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
        assert!(run.stderr.contains("mif.toml:2:1:"), "{}", run.stderr);
        assert!(
            run.stderr.contains("did you mean `indent`"),
            "{}",
            run.stderr
        );
    }
    let run = mif(&["check", "--allow", "nonsense", "a.mif"], dir.path(), None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--allow"), "{}", run.stderr);
}

#[test]
fn profiles_exclusions_and_deny_warnings_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("mif.toml"),
        "[check]\ndeny-warnings = true\nexclude = [\"build/**\"]\n\n[check.profiles]\n\"inventory/**\" = \"noidmif\"\n",
    );
    write(
        &root.join("build/broken.mif"),
        "START COMPONENT\nNAME = \"x\n",
    );
    write(
        &root.join("inventory/asset.mif"),
        "START COMPONENT\nNAME = \"c\"\nSTART GROUP NAME = \"Asset \" ID = 1 CLASS = \"a\"\n\
         START ATTRIBUTE NAME = \"t\" ID = 1 TYPE = STRING(8) VALUE = \"x\" END ATTRIBUTE\n\
         END GROUP\nEND COMPONENT\n",
    );
    write(&root.join("plain.mif"), WARNED);
    let run = mif(&["check", "--format", "json", "."], root, None);
    assert!(!run.stdout.contains("broken.mif"), "{}", run.stdout);
    assert!(
        run.stdout.contains("mif::inventory-name-spaces"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("checked 2 files"), "{}", run.stderr);
    assert_eq!(run.code, 1);
    // A file named on the command line is checked even when excluded.
    let run = mif(&["check", "build/broken.mif"], root, None);
    assert_eq!(run.code, 1);
}

#[test]
fn fmt_takes_its_style_from_the_configuration_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("mif.toml"),
        "[fmt]\nindent = 2\nkeyword-case = \"lower\"\n",
    );
    write(&dir.path().join("a.mif"), MESSY);
    let run = mif(
        &["fmt", "-", "--stdin-filepath", "a.mif"],
        dir.path(),
        Some(MESSY.as_bytes()),
    );
    assert_eq!(
        run.stdout,
        "start component\n  name = \"c\"\nend component\n"
    );
    let run = mif(
        &["fmt", "-", "--stdin-filepath", "a.mif", "--indent", "tab"],
        dir.path(),
        Some(MESSY.as_bytes()),
    );
    assert_eq!(
        run.stdout,
        "start component\n\tname = \"c\"\nend component\n"
    );
    let run = mif(&["fmt", "--quiet", "a.mif"], dir.path(), None);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.mif")).unwrap(),
        "start component\n  name = \"c\"\nend component\n"
    );
}

#[test]
fn ci_formats_say_the_same_things() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.mif"), WARNED);
    write(&dir.path().join("m.mif"), MESSY);
    let mut report = String::new();
    for format in ["github", "short", "json"] {
        let run = mif(
            &["check", "--format", format, "a.mif", "gone.mif"],
            dir.path(),
            None,
        );
        report.push_str(&format!(
            "== check --format {format}: exit {}\n{}",
            run.code, run.stdout
        ));
        let run = mif(
            &["fmt", "--check", "--format", format, "m.mif", "a.mif"],
            dir.path(),
            None,
        );
        report.push_str(&format!(
            "== fmt --check --format {format}: exit {}\n{}",
            run.code, run.stdout
        ));
    }
    let run = mif(&["status", "--format", "short", "a.mif"], dir.path(), None);
    report.push_str(&format!(
        "== status --format short: exit {}\n{}",
        run.code, run.stdout
    ));
    common::snapshot_settings("config").bind(|| insta::assert_snapshot!(report));
}

#[test]
fn parallel_output_equals_one_thread_output() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        let text = match i % 3 {
            0 => WARNED.to_string(),
            1 => MESSY.to_string(),
            _ => "START COMPONENT\nNAME = \"x\n".to_string(),
        };
        write(&dir.path().join(format!("d{}/f{i:02}.mif", i % 4)), &text);
    }
    for format in ["human", "json", "short"] {
        let one = mif(
            &["check", "--threads", "1", "--format", format, "."],
            dir.path(),
            None,
        );
        let many = mif(
            &["check", "--threads", "4", "--format", format, "."],
            dir.path(),
            None,
        );
        assert_eq!(one.stdout, many.stdout, "{format}");
        assert_eq!(one.stderr, many.stderr, "{format}");
        assert_eq!(one.code, many.code);
        assert_eq!(one.code, 1);
    }
}

#[test]
fn ignore_files_are_honoured_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join(".gitignore"), "build/\n");
    write(&dir.path().join(".ignore"), "scratch.mif\n");
    write(&dir.path().join("build/a.mif"), "broken\n");
    write(&dir.path().join("scratch.mif"), "broken\n");
    write(&dir.path().join("good.mif"), MESSY);
    let run = mif(&["check", "--format", "json", "."], dir.path(), None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("checked 1 file"), "{}", run.stderr);
}

// Unix only: the pipes are bash and head, which a Windows test run (under
// Wine or not) does not have.
#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_ends_mif_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        write(&dir.path().join(format!("f{i:03}.mif")), WARNED);
    }
    for pipe in [
        "\"$0\" check . 2>&1 | head -1",
        "\"$0\" check --format json . | head -1",
        "\"$0\" fmt --check --format short . | head -1",
    ] {
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("{pipe}; echo \"status ${{PIPESTATUS[0]}}\" >&2"))
            .arg(env!("CARGO_BIN_EXE_mif"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let status = stderr
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("status "))
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap();
        assert!(
            [0, 1, 141].contains(&status),
            "{pipe}: exit {status}: {stderr}"
        );
        assert!(!stderr.contains("internal error"), "{pipe}: {stderr}");
        assert!(!stderr.contains("panicked"), "{pipe}: {stderr}");
    }
}

#[test]
fn status_is_brief_or_explained_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let run = mif(
        &[
            "new", "-s", "success", "-p", "Widget", "-d", "done", "-o", "a.mif",
        ],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plain = mif(&["status", "a.mif"], dir.path(), None);
    assert!(
        plain.stdout.starts_with("a.mif: Success (picked)\n"),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains(" 1. verdict"), "{}", plain.stdout);
    let explained = mif(&["status", "--explain", "a.mif"], dir.path(), None);
    assert!(
        explained.stdout.contains(" 1. verdict"),
        "{}",
        explained.stdout
    );
    assert_eq!(
        mif(&["status", "-v", "a.mif"], dir.path(), None).stdout,
        explained.stdout
    );
    let brief = mif(&["status", "--brief", "a.mif"], dir.path(), None);
    assert_eq!(
        brief.stdout,
        "a.mif: Success (picked)\nthe client would take a.mif\n"
    );
    let quiet = mif(&["status", "-q", "a.mif"], dir.path(), None);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
}
