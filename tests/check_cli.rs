//! `mif check` on the command line: --profile, --explain, --deny-warnings
//! and the exit codes.

use std::path::Path;
use std::process::{Command, Output};

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");

fn mif(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mif"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
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
    let stdin_name = Command::new(env!("CARGO_BIN_EXE_mif"))
        .args(["check", "--format", "json", "-"])
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
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
