//! `mif check` on the command line: --profile, --explain, --deny-warnings
//! and the exit codes.

mod common;

use std::path::Path;
use std::process::Output;

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");

fn mif(args: &[&str]) -> Output {
    common::run_mif(args, None)
}

fn fixture(relative: &str) -> String {
    Path::new(RULES).join(relative).display().to_string()
}

fn codes(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["code"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn profile_is_detected_or_forced() {
    let dmi_file = fixture("dmi/err/missing-componentid.mif");
    let detected = mif(&["check", "--format", "json", &dmi_file]);
    assert_eq!(codes(&detected), ["mif::missing-componentid"]);
    assert_eq!(detected.status.code(), Some(0));

    let forced = mif(&[
        "check",
        "--format",
        "json",
        "--profile",
        "status",
        &dmi_file,
    ]);
    let found = codes(&forced);
    assert!(
        found.contains(&"mif::status-missing-group".to_string()),
        "{found:?}"
    );
    assert!(!found.contains(&"mif::missing-componentid".to_string()));
    assert_eq!(forced.status.code(), Some(1));

    let idmif = mif(&["check", "--profile", "idmif", &dmi_file]);
    assert_eq!(idmif.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&idmif.stderr).contains("mif::idmif-missing-header"));

    let bad = mif(&["check", "--profile", "sms", &dmi_file]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let file = fixture("status/err/status-case.mif");
    assert_eq!(mif(&["check", &file]).status.code(), Some(0));
    assert_eq!(
        mif(&["check", "--deny-warnings", &file]).status.code(),
        Some(1)
    );
    let clean = fixture("status/ok/canonical.mif");
    assert_eq!(
        mif(&["check", "--deny-warnings", &clean]).status.code(),
        Some(0)
    );
}

#[test]
fn file_names_reach_the_rules() {
    let file = fixture("status/err/wrong-extension.txt");
    let output = mif(&["check", "--format", "json", &file]);
    assert_eq!(codes(&output), ["mif::status-file-extension"]);
    let stdin_name = mif_stdin(
        &["check", "--format", "json", "-"],
        &std::fs::read(&file).unwrap(),
    );
    assert!(codes(&stdin_name).is_empty(), "stdin has no file name");
}

#[test]
fn explain_prints_every_documented_code() {
    for code in mif::explain::codes() {
        let output = mif(&["check", "--explain", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.starts_with(&format!("## {code}\n")), "{code}: {text}");
        assert!(text.contains("**Fix:**"), "{code}");
    }
    let bare = mif(&["check", "--explain", "value-too-long"]);
    assert!(String::from_utf8_lossy(&bare.stdout).starts_with("## mif::value-too-long"));
}

#[test]
fn explain_of_an_unknown_code_suggests_the_nearest() {
    let output = mif(&["check", "--explain", "mif::value-to-long"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mif::value-too-long"), "{stderr}");
    let with_path = mif(&["check", "--explain", "mif::value-too-long", "a.mif"]);
    assert_eq!(with_path.status.code(), Some(2));
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/kb166833-status.mif");

fn mif_stdin(args: &[&str], input: &[u8]) -> Output {
    common::run_mif(args, Some(input))
}

#[test]
fn exit_codes_follow_the_contract() {
    let clean = mif(&["check", EXAMPLE]);
    assert_eq!(clean.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&clean.stderr);
    assert!(
        stderr.contains("checked 1 file: 0 errors, 0 warnings"),
        "{stderr}"
    );
    assert!(clean.stdout.is_empty());

    let broken = mif_stdin(&["check", "-"], b"START COMPONENT\nNAME = x\n");
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("mif::unquoted-string"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour when piped");

    let missing = mif(&["check", "/nonexistent/file.mif"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file"));

    let usage = mif(&["check", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn json_diagnostics_are_located() {
    let output = mif_stdin(
        &["check", "--format", "json", "--stdin-filepath", "app.mif"],
        "START COMPONENT\n  NAME = \"é\x01\"\nEND COMPONENT\n".as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    let line = String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(value["path"], "app.mif");
    assert_eq!(value["severity"], "error");
    assert_eq!(value["line"], 2);
    assert_eq!(
        value["column"], 13,
        "columns count characters: é is two bytes, so two Windows-1252 characters"
    );
    assert!(value["offset"].as_u64().is_some() && value["length"].as_u64().is_some());
}

#[test]
fn folders_are_walked_for_mif_files_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(root.join("ignored")).unwrap();
    std::fs::copy(EXAMPLE, root.join("a.mif")).unwrap();
    std::fs::copy(EXAMPLE, root.join("sub/B.MIF")).unwrap();
    std::fs::write(root.join("ignored/bad.mif"), "garbage").unwrap();
    std::fs::write(root.join("notes.txt"), "garbage").unwrap();
    let output = mif(&["check", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checked 2 files"), "{stderr}");
}

#[test]
fn version_and_help_teach() {
    let version = mif(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("mif "));
    let help = mif(&["check", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("Examples:") && text.contains("Exit codes"),
        "{text}"
    );
}

/// cmd and PowerShell hand `*.mif` to the program as typed: mif expands
/// `*` and `?` itself, as a Unix shell would, and a quoted pattern or one
/// that matches nothing stays as it is.
#[cfg(windows)]
#[test]
fn wildcards_are_expanded_on_windows() {
    use std::os::windows::process::CommandExt;

    let dir = tempfile::tempdir().unwrap();
    for name in ["a.mif", "b.mif"] {
        std::fs::copy(EXAMPLE, dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not a MIF").unwrap();
    let check = |pattern: &str| {
        common::mif_command()
            .arg("check")
            .raw_arg(pattern)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    for pattern in ["*.mif", "?.MIF", "*"] {
        let out = check(pattern);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let files = if pattern == "*" { 3 } else { 2 };
        assert!(
            stderr.contains(&format!("checked {files} files")),
            "{pattern}: {stderr}"
        );
    }
    for pattern in ["\"*.mif\"", "*.none"] {
        let out = check(pattern);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{pattern}: {stderr}");
        assert!(stderr.contains("cannot read *."), "{pattern}: {stderr}");
    }
}
