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
        assert!(text.starts_with(&format!("{code}\n")), "{code}: {text}");
        assert!(text.contains("\nFix: "), "{code}");
        assert!(
            !text.contains("**") && !text.contains("```"),
            "{code}: {text}"
        );
    }
    let bare = mif(&["check", "--explain", "value-too-long"]);
    assert!(String::from_utf8_lossy(&bare.stdout).starts_with("mif::value-too-long\n"));
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

const CHECK_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");

/// `mif check` on a fixture below `tests/fixtures/check`, run there so
/// that the output names it by its relative path.
fn check_fixture(relative: &str, format: &str) -> Output {
    common::mif_command()
        .current_dir(CHECK_FIXTURES)
        .args(["check", "--format", format, relative])
        .output()
        .expect("mif runs")
}

/// (code, line, column) of each diagnostic `--format json` gives.
fn json_places(output: &Output) -> Vec<(String, u64, u64)> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                value["code"].as_str().unwrap().to_string(),
                value["line"].as_u64().unwrap(),
                value["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Issue #18's cases: the first diagnostic printed names the root cause at
/// its place, and the consequences are not printed after it.
const ROOT_CAUSES: &[(&str, &str, u64, usize)] = &[
    // fixture, first code, its line, most diagnostics in all
    (
        "err/unterminated-mid-file.mif",
        "mif::unterminated-string",
        14,
        1,
    ),
    (
        "err/unterminated-at-end.mif",
        "mif::unterminated-string",
        11,
        1,
    ),
    (
        "err/unterminated-last-line.mif",
        "mif::unterminated-string",
        14,
        2,
    ),
    ("ok/multiline-strings.mif", "mif::value-too-long", 11, 2),
    (
        "err/utf16le-without-bom.mif",
        "mif::utf16-without-bom",
        1,
        1,
    ),
    (
        "err/utf16be-without-bom.mif",
        "mif::utf16-without-bom",
        1,
        1,
    ),
    ("err/utf16-truncated.mif", "mif::invalid-encoding", 7, 5),
    ("err/not-a-mif-gzip.mif", "mif::not-a-mif", 1, 1),
    ("err/not-a-mif-png.mif", "mif::not-a-mif", 1, 1),
    ("err/not-a-mif-zip.mif", "mif::not-a-mif", 1, 1),
    ("err/not-a-mif-framemaker.mif", "mif::not-a-mif", 1, 1),
    ("err/not-a-mif-quartus.mif", "mif::not-a-mif", 1, 1),
    ("err/not-a-mif-binary.mif", "mif::not-a-mif", 1, 1),
    (
        "err/rules-beside-a-syntax-error.mif",
        "mif::unknown-type",
        21,
        6,
    ),
    ("err/columns-windows-1252.mif", "mif::unknown-keyword", 2, 2),
];

#[test]
fn the_first_diagnostic_names_the_root_cause() {
    let mut seen = String::new();
    for &(fixture, code, line, most) in ROOT_CAUSES {
        let json = check_fixture(fixture, "json");
        let places = json_places(&json);
        assert_eq!(
            places.first().map(|(c, l, _)| (c.as_str(), *l)),
            Some((code, line)),
            "{fixture}: {places:?}"
        );
        assert!(places.len() <= most, "{fixture}: {places:?}");
        let expected_exit = if fixture.starts_with("ok/") { 0 } else { 1 };
        assert_eq!(json.status.code(), Some(expected_exit), "{fixture}");
        let human = check_fixture(fixture, "human");
        let stderr = String::from_utf8_lossy(&human.stderr);
        assert!(
            stderr.starts_with(&format!("{code}\n")),
            "{fixture}: {stderr}"
        );
        assert!(
            !stderr
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
            "{fixture}: raw control characters reach the terminal"
        );
        seen.push_str(&format!("$ mif check {fixture}\n{stderr}\n"));
    }
    common::snapshot_settings("check_cli").bind(|| insta::assert_snapshot!(seen));
}

#[test]
fn a_file_that_is_not_mif_gets_one_diagnostic_and_is_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    // UTF-16 without its mark, with a character that is not ASCII (so the
    // formatter would otherwise take it by stretches) and one that is.
    let utf16: Vec<u8> = "START COMPONENT\r\nNAME = \"Caf\u{e9}\"\r\nEND COMPONENT\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut files = vec![("utf16.mif".to_string(), utf16)];
    for kind in ["gzip", "png", "zip", "framemaker", "quartus", "binary"] {
        let fixture = format!("{CHECK_FIXTURES}/err/not-a-mif-{kind}.mif");
        files.push((format!("{kind}.mif"), std::fs::read(fixture).unwrap()));
    }
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        let checked = mif(&["check", "--format", "json", path]);
        assert_eq!(checked.status.code(), Some(1), "{name}");
        let codes = codes(&checked);
        if name != "utf16.mif" {
            assert_eq!(codes, ["mif::not-a-mif"], "{name}");
        }
        for args in [&["fmt", path][..], &["fmt", "--check", path]] {
            let formatted = mif(args);
            assert_eq!(formatted.status.code(), Some(2), "{name} {args:?}");
            assert_eq!(&std::fs::read(path).unwrap(), bytes, "{name} was rewritten");
        }
    }
}

/// Line and column count characters of the decoded text everywhere: in
/// the human header, in JSON, in GitHub annotations, and (in UTF-16
/// units, as the protocol wants) in the language server.
#[test]
fn every_output_counts_columns_the_same_way() {
    for fixture in [
        "err/columns-windows-1252.mif",
        "err/columns-utf8-bom.mif",
        "err/columns-utf16le.mif",
    ] {
        let json = json_places(&check_fixture(fixture, "json"));
        let human = String::from_utf8_lossy(&check_fixture(fixture, "human").stderr).to_string();
        let headers: Vec<(u64, u64)> = human
            .lines()
            .filter_map(|line| {
                line.split_once(&format!("[{fixture}:"))?
                    .1
                    .strip_suffix(']')
            })
            .map(|place| {
                let (line, column) = place.split_once(':').unwrap();
                (line.parse().unwrap(), column.parse().unwrap())
            })
            .collect();
        let json_lines: Vec<(u64, u64)> = json.iter().map(|(_, l, c)| (*l, *c)).collect();
        assert_eq!(headers, json_lines, "{fixture}: {human}");
        let github = String::from_utf8_lossy(&check_fixture(fixture, "github").stdout).to_string();
        let annotations: Vec<(u64, u64)> = github
            .lines()
            .filter_map(|line| {
                let field = |name: &str| -> Option<u64> {
                    let from = line.find(&format!(",{name}="))? + name.len() + 2;
                    line[from..].split([',', ':']).next()?.parse().ok()
                };
                Some((field("line")?, field("col")?))
            })
            .collect();
        assert_eq!(annotations, json_lines, "{fixture}: {github}");
        // The second finding is past `é`, `€` and a character outside the
        // Basic Multilingual Plane (or `½` in the single-byte file).
        let text =
            mif::Source::decode(&std::fs::read(Path::new(CHECK_FIXTURES).join(fixture)).unwrap())
                .text;
        let map = mif::lsp::LineMap::new(&text);
        let doc =
            mif::Document::parse(&std::fs::read(Path::new(CHECK_FIXTURES).join(fixture)).unwrap());
        for (diagnostic, (_, line, column)) in
            doc.diagnostics.iter().filter(|d| d.is_error()).zip(&json)
        {
            let position = map.position(diagnostic.span.start);
            let line_start = text[..diagnostic.span.start]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let before = &text[line_start..diagnostic.span.start];
            assert_eq!(u64::from(position.line) + 1, *line, "{fixture}");
            assert_eq!(before.chars().count() as u64 + 1, *column, "{fixture}");
            assert_eq!(
                position.character as usize,
                before.encode_utf16().count(),
                "{fixture}"
            );
        }
    }
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
