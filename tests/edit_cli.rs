//! `mif get` and `mif set` as scripts use them: exit codes, what is
//! written (and that nothing is on failure), encodings and line endings.

mod common;

use std::path::{Path, PathBuf};

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap()
    }
}

fn mif(args: &[&str], stdin: &[u8]) -> Run {
    let output = common::run_mif(args, Some(stdin));
    Run {
        code: output.status.code().unwrap(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A copy of a fixture in a fresh temporary folder.
fn copy(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/edit")
        .join(fixture);
    let to = dir.path().join(fixture);
    std::fs::copy(from, &to).unwrap();
    (dir, to)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn get_prints_the_decoded_value_and_json_details() {
    let (_dir, path) = copy("status-crlf.mif");
    let run = mif(&["get", path_str(&path), "installstatus.description"], b"");
    assert_eq!(
        (run.code, run.stdout()),
        (0, "Installation completed\n".into())
    );

    let run = mif(&["get", path_str(&path), "2.1", "--format", "json"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["type"], "STRING(32)");
    assert_eq!(json["kind"], "string");
    assert_eq!(json["value"], "Success");
    assert_eq!(json["raw"], "\"Success\"");
    assert_eq!(
        (json["line"].as_u64(), json["column"].as_u64()),
        (Some(22), Some(15))
    );

    let run = mif(&["get", path_str(&path), "--group", "InstallStatus"], b"");
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout(),
        "ID  NAME         TYPE         VALUE\n\
         1   Status       STRING(32)   Success\n\
         2   Description  STRING(128)  Installation completed\n"
    );
}

#[test]
fn get_reads_table_cells_with_the_template_default() {
    let (_dir, path) = copy("table-cells.mif");
    let run = mif(
        &[
            "get",
            path_str(&path),
            "--table",
            "Fan table",
            "--key",
            "2",
            "--attr",
            "State",
        ],
        b"",
    );
    assert_eq!((run.code, run.stdout()), (0, "Off\n".into()));
    let run = mif(&["get", path_str(&path), "Fans[1].3"], b"");
    assert_eq!((run.code, run.stdout()), (0, "1200\n".into()));
}

#[test]
fn addresses_not_found_exit_2_naming_the_nearest() {
    let (_dir, path) = copy("status-crlf.mif");
    let before = std::fs::read(&path).unwrap();
    let run = mif(&["get", path_str(&path), "InstalStatus.Status"], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nearest: \"InstallStatus\" (ID 2)"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let run = mif(
        &[
            "set",
            path_str(&path),
            "InstallStatus.State",
            "--value",
            "Failed",
        ],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no attribute State; nearest: \"Status\" (ID 1)"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn type_errors_write_nothing_and_exit_2() {
    let (_dir, path) = copy("kinds-latin1.mif");
    let before = std::fs::read(&path).unwrap();
    for args in [
        &["Settings.Level", "--value", "ten"][..],
        &["Settings.Level", "--value", "99999999999"],
        &["Settings.Mode", "--value", "automatic"],
        &["Settings.Note", "--value", "Ω"],
        // A good change and a bad one: neither is made.
        &[
            "--set",
            "Settings.Level=5",
            "--set",
            "Settings.Mode=automatic",
        ],
    ] {
        let mut full = vec!["set", path_str(&path)];
        full.extend_from_slice(args);
        let run = mif(&full, b"");
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("nothing written"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("mif::"), "{args:?}: {}", run.stderr);
        assert_eq!(std::fs::read(&path).unwrap(), before, "{args:?}");
    }
}

#[test]
fn warnings_need_force() {
    let (_dir, path) = copy("status-crlf.mif");
    let before = std::fs::read(&path).unwrap();
    let long = "x".repeat(140);
    let run = mif(&["set", path_str(&path), "--description", &long], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mif::value-too-long"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--force writes it anyway"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);

    let run = mif(
        &["set", path_str(&path), "--description", &long, "--force"],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("mif::value-too-long"), "{}", run.stderr);
    assert!(String::from_utf8(std::fs::read(&path).unwrap())
        .unwrap()
        .contains(&long));
}

#[test]
fn truncate_cuts_text_to_what_the_attribute_holds() {
    let (_dir, path) = copy("status-crlf.mif");
    let long = "y".repeat(140);
    let run = mif(
        &["set", path_str(&path), "--description", &long, "--truncate"],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("cut from 140 to 128"), "{}", run.stderr);
    let run = mif(&["get", path_str(&path), "InstallStatus.Description"], b"");
    assert_eq!(run.stdout(), format!("{}\n", "y".repeat(128)));
    let run = mif(&["check", path_str(&path)], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

/// `set --status` takes exactly the words `mif new --status` takes and
/// writes the word SMS documents; any other value of Status is judged by
/// the check, as `mif check` judges it.
#[test]
fn status_values_are_those_of_mif_new_and_mif_check() {
    let (_dir, path) = copy("status-crlf.mif");
    let before = std::fs::read(&path).unwrap();
    let status_of = |path: &Path| {
        mif(&["get", path_str(path), "InstallStatus.Status"], b"")
            .stdout()
            .trim()
            .to_string()
    };
    for word in ["fail", "banana", ""] {
        let run = mif(&["set", path_str(&path), "--status", word], b"");
        assert_eq!(run.code, 2, "{word}: {}", run.stderr);
        assert!(
            run.stderr.contains("not success, failed, 1 or 0"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "{word}");
        let new = mif(&["new", "--status", word], b"");
        assert_eq!(new.code, 2, "mif new takes {word:?}: {}", new.stderr);
    }
    let run = mif(&["set", path_str(&path), "--status", "fail"], b"");
    assert!(
        run.stderr.contains("did you mean `failed`?"),
        "{}",
        run.stderr
    );

    let run = mif(&["set", path_str(&path), "--status", "FAILED"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Status written as \"Failed\""),
        "{}",
        run.stderr
    );
    assert_eq!(status_of(&path), "Failed");
    let run = mif(&["set", path_str(&path), "--status", "1"], b"");
    assert_eq!((run.code, status_of(&path)), (0, "Success".to_string()));

    let written = std::fs::read(&path).unwrap();
    for (value, code) in [
        ("banana", "mif::invalid-status-value"),
        ("fail", "mif::invalid-status-value"),
        ("Failed ", "mif::status-value-whitespace"),
        ("SUCCESS", "mif::status-value-case"),
    ] {
        let run = mif(
            &[
                "set",
                path_str(&path),
                "InstallStatus.Status",
                "--value",
                value,
            ],
            b"",
        );
        assert_eq!(run.code, 2, "{value}: {}", run.stderr);
        assert!(run.stderr.contains(code), "{value}: {}", run.stderr);
        assert_eq!(std::fs::read(&path).unwrap(), written, "{value}");
    }
    let run = mif(
        &[
            "set",
            path_str(&path),
            "InstallStatus.Status",
            "--value",
            "FAILED",
            "--force",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = mif(&["check", path_str(&path)], b"");
    assert!(
        check.stderr.contains("mif::status-value-case"),
        "{}",
        check.stderr
    );
}

#[test]
fn status_shortcut_keeps_crlf_and_every_other_byte() {
    let (_dir, path) = copy("status-crlf.mif");
    let before = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    let run = mif(
        &[
            "set",
            path_str(&path),
            "--status",
            "Failed",
            "--description",
            "disk full",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let after = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    let expected = before
        .replace("\"Success\"", "\"Failed\"")
        .replace("\"Installation \" \"completed\"", "\"disk full\"");
    assert_eq!(after, expected);
    assert_eq!(
        after.matches("\r\n").count(),
        before.matches("\r\n").count()
    );
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
}

#[test]
fn utf16_files_stay_utf16_with_their_bom() {
    let (_dir, path) = copy("status-utf16le.mif");
    let run = mif(
        &[
            "set",
            path_str(&path),
            "--set",
            "InstallStatus.Description=Échec – réessayer",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], b"\xFF\xFE");
    let run = mif(&["get", path_str(&path), "InstallStatus.Description"], b"");
    assert_eq!((run.code, run.stdout()), (0, "Échec – réessayer\n".into()));
}

#[test]
fn stdin_goes_to_stdout() {
    let input = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit/noidmif-asset-tag.mif"),
    )
    .unwrap();
    let run = mif(
        &["set", "-", "Asset Numbers.Asset Tag", "--value", "A-10442"],
        &input,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = String::from_utf8(input)
        .unwrap()
        .replace("A-10017", "A-10442");
    assert_eq!(run.stdout(), expected);
}

#[test]
fn unknown_and_unsupported_keywords() {
    let (_dir, path) = copy("table-cells.mif");
    let run = mif(
        &["set", path_str(&path), "Fan table[1].Speed", "--unknown"],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = mif(
        &[
            "set",
            path_str(&path),
            "Fan table[4].Speed",
            "--unsupported",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    assert!(text.contains("{1, \"On\", UNKNOWN}   // row 1"), "{text}");
    assert!(text.contains("{4,,UNSUPPORTED}"), "{text}");
}

#[test]
fn usage_mistakes_exit_2() {
    let (_dir, path) = copy("status-crlf.mif");
    let before = std::fs::read(&path).unwrap();
    for args in [
        &["set", path_str(&path)][..],
        &["set", path_str(&path), "InstallStatus.Status"],
        &["set", path_str(&path), "--set", "no-equals-sign"],
        &["set", path_str(&path), "InstallStatus", "--value", "x"],
        &["get", path_str(&path)],
        &["get", path_str(&path), "a[1"],
        &["get", "/nonexistent/file.mif", "1.1"],
    ] {
        let run = mif(args, b"");
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn files_with_syntax_errors_are_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.mif");
    let text = "START COMPONENT\nNAME = \"x\"\nSTART GROUP NAME = \"g\" ID = 1 CLASS = \"c\"\n\
                START ATTRIBUTE NAME = \"a\" ID = 1 TYPE = INTEGER VALUE = 1 END ATTRIBUTE\nEND COMPONENT\n";
    std::fs::write(&path, text).unwrap();
    let run = mif(&["set", path_str(&path), "g.a", "--value", "2"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mif::unclosed-block"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn multi_line_values_print_on_one_line_and_exactly_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.mif");
    std::fs::write(
        &path,
        "START COMPONENT NAME = \"c\"\nSTART GROUP NAME = \"g\" ID = 1 CLASS = \"c\"\n\
         START ATTRIBUTE NAME = \"d\" ID = 1 TYPE = STRING(64) VALUE = \"two\nlines\" END ATTRIBUTE\n\
         END GROUP\nEND COMPONENT\n",
    )
    .unwrap();
    let run = mif(&["get", path_str(&path), "g.d"], b"");
    assert_eq!((run.code, run.stdout()), (0, "two\\nlines\n".into()));
    let run = mif(&["get", path_str(&path), "g", "--format", "json"], b"");
    assert_eq!(run.code, 0);
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["group"], "g");
    assert_eq!(json["attributes"][0]["value"], "two\nlines");
    assert_eq!(json["attributes"][0]["line"], 3);
}
