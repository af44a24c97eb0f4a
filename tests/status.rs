//! `mif new` and `mif status`: generated files byte for byte, what is read
//! back from real and broken status MIFs, and the command-line contract.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use common::mif_command;
use mif::status::{self, Field, JobStatus, StatusMif};
use mif::{CheckOptions, Document};
use proptest::prelude::*;

fn run(command: &mut Command) -> Output {
    command.output().expect("mif runs")
}

/// Bytes as text with the line endings shown, so snapshots pin CRLF.
fn visible(bytes: &[u8]) -> String {
    let text = mif::Source::decode(bytes).text;
    text.replace("\r\n", "␍⏎\n")
}

/// What the status reader makes of a document, one line per value, then
/// the diagnostics as a person sees them.
fn describe_reading(doc: &Document, name: &str) -> String {
    let reading = status::read(doc, &CheckOptions::default());
    let field = |f: Field| reading.field(f).map(str::to_string);
    let mut out = format!(
        "usable: {}\nverdict: {:?}\nstatus: {:?}\ndescription: {:?}\nmanufacturer: {:?}\nproduct: {:?}\n\
         version: {:?}\nlocale: {:?}\nserial number: {:?}\ninstallation: {:?}\ncomponent id: {}\n\
         never matched: {:?}\nencoding: {}\n\n",
        reading.is_usable(),
        reading.verdict,
        reading.status,
        field(Field::Description),
        field(Field::Manufacturer),
        field(Field::Product),
        field(Field::Version),
        field(Field::Locale),
        field(Field::SerialNumber),
        field(Field::Installation),
        reading.has_component_id,
        reading.never_matched,
        reading.encoding,
    );
    out.push_str(&common::render_all(&reading.diagnostics, name, doc.text()));
    out
}

#[test]
fn new_writes_exact_bytes_or_refuses() {
    common::snapshot_settings("status").bind(|| {
        insta::glob!("fixtures/status/new/*.args", |path| {
            let text = fs::read_to_string(path).unwrap();
            let args: Vec<&str> = text.lines().collect();
            let output = run(mif_command().arg("new").args(&args));
            let code = output.status.code().unwrap();
            if code == 0 {
                let doc = Document::parse(&output.stdout);
                let stderr = String::from_utf8_lossy(&output.stderr);
                for found in common::check(&doc) {
                    assert!(
                        !found.is_error() && stderr.contains(found.code),
                        "mif check says what mif new did not: {found:#?}"
                    );
                }
                assert!(status::read(&doc, &CheckOptions::default()).is_usable());
                assert!(!output.stdout.starts_with(b"\xEF\xBB\xBF"));
                let formatted =
                    mif::printer::format_bytes(&output.stdout, &Default::default()).unwrap();
                assert_eq!(
                    formatted, output.stdout,
                    "mif new writes mif fmt's canonical style"
                );
            } else {
                assert_eq!(code, 2);
                assert!(output.stdout.is_empty(), "nothing written on error");
            }
            insta::assert_snapshot!(format!(
                "exit: {code}\n--- stderr\n{}--- stdout\n{}",
                String::from_utf8_lossy(&output.stderr),
                visible(&output.stdout)
            ));
        });
    });
}

#[test]
fn status_mifs_read_as_sms_reads_them() {
    common::snapshot_settings("status").bind(|| {
        insta::glob!("fixtures/status/read/*.mif", |path| {
            let doc = Document::parse(&fs::read(path).unwrap());
            let name = path.file_name().unwrap().to_string_lossy();
            insta::assert_snapshot!(describe_reading(&doc, &name));
        });
    });
}

#[test]
fn the_kb_example_reads_as_success() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/kb166833-status.mif");
    let reading = status::read(
        &Document::parse(&fs::read(path).unwrap()),
        &CheckOptions::for_path(Path::new(path)),
    );
    assert_eq!(reading.verdict, Some(JobStatus::Success));
    assert_eq!(reading.field(Field::Description), Some("ErrorJamalz"));
    assert!(reading.diagnostics.is_empty(), "{:#?}", reading.diagnostics);
    let output = run(mif_command().args(["status", path]));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("description   \"ErrorJamalz\""), "{stdout}");
}

#[test]
fn corpus_status_mifs_give_their_verdicts() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    for (file, verdict) in [
        (
            "extracted-jeffpar-kbarchive-Q166833.mif",
            Some(JobStatus::Success),
        ),
        (
            "generated-open-watcom-owp4v1copy-bkoffice.c.mif",
            Some(JobStatus::Success),
        ),
        (
            "generated-unknown-ConfigMgr-PortConfiguration-Portswitch.vbs.mif",
            Some(JobStatus::Failed),
        ),
        (
            "generated-unknown-PSAppDeployToolkit-extension-AppDeployToolkitExtensions.ps1.mif",
            Some(JobStatus::Success),
        ),
        (
            "generated-Planet-Source-Code-josh-kleppe-vb-installation-setup1-files-setup1.bas.mif",
            None,
        ),
    ] {
        let path = dir.join(file);
        let reading = status::read(
            &Document::parse(&fs::read(&path).unwrap()),
            &CheckOptions::for_path(&path),
        );
        let usable = reading.is_usable().then_some(reading.verdict).flatten();
        assert_eq!(usable, verdict, "{file}: {:#?}", reading.diagnostics);
    }
}

/// Characters a value may hold: printable Windows-1252, quotes and
/// backslashes included.
fn value(limit: usize) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        proptest::char::range(' ', '~'),
        proptest::char::range('\u{A0}', '\u{FF}'),
        Just('€'),
        Just('™'),
        Just('"'),
        Just('\\'),
    ];
    proptest::collection::vec(chars, 0..=limit).prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn what_is_written_reads_back_the_same(
        manufacturer in value(64),
        product in value(64),
        version in value(64),
        locale in value(16),
        serial_number in value(64),
        installation in value(64),
        description in value(128),
        success in any::<bool>(),
    ) {
        let status = if success { JobStatus::Success } else { JobStatus::Failed };
        let mut mif = StatusMif::new(status);
        for (field, value) in [
            (Field::Manufacturer, manufacturer),
            (Field::Product, product),
            (Field::Version, version),
            (Field::Locale, locale),
            (Field::SerialNumber, serial_number),
            (Field::Installation, installation),
            (Field::Description, description),
        ] {
            mif.set(field, value);
        }
        let before = mif.clone();
        prop_assert!(mif.mend(Default::default()).is_empty());
        prop_assert_eq!(&mif, &before);
        let written = mif.write(&CheckOptions::default(), false).unwrap();
        let doc = Document::parse(&written.bytes);
        let warned: Vec<_> = written.warnings.iter().map(|w| w.diagnostic.code).collect();
        let checked: Vec<_> = common::check(&doc).iter().map(|d| d.code).collect();
        prop_assert_eq!(warned, checked, "mif new warns as mif check does");
        let reading = status::read(&doc, &CheckOptions::default());
        prop_assert_eq!(reading.verdict, Some(status));
        prop_assert_eq!(reading.status.as_deref(), Some(status.as_str()));
        for field in Field::ALL {
            prop_assert_eq!(reading.field(field), Some(mif.get(field)));
        }
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn bad_input_writes_nothing_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.mif");
    let out = out.to_str().unwrap();
    let long = "x".repeat(65);
    let long_description = "d".repeat(129);
    let cases: Vec<Vec<&str>> = vec![
        vec!["-s", "maybe", "-o", out],
        vec!["-o", out],
        vec!["-s", "success", "-c", &long, "-o", out],
        vec!["-s", "success", "-p", &long, "-o", out],
        vec!["-s", "success", "-v", &long, "-o", out],
        vec!["-s", "success", "--serial", &long, "-o", out],
        vec!["-s", "success", "--locale", "12345678901234567", "-o", out],
        vec!["-s", "success", "-d", &long_description, "-o", out],
        vec!["-s", "success", "-p", "Ā", "-o", out],
        vec!["-s", "success", "-d", "two\nlines", "-o", out],
        vec!["-s", "success", "-o", out, "--temp", "x"],
        vec!["-s", "success", "--temp", "sub/dir"],
        vec!["-s", "success", "--temp", ""],
        vec!["-s", "success", "--no-such-flag"],
    ];
    for args in cases {
        let output = run(mif_command().arg("new").args(&args).env("TEMP", dir.path()));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?} says why");
        assert!(files_in(dir.path()).is_empty(), "{args:?} wrote something");
    }
    // Windows always has `windir` (Wine even puts it back into a child's
    // environment): the case is for other systems.
    if cfg!(not(windows)) {
        let output = run(mif_command()
            .args(["new", "-s", "failed", "--windir", "setup"])
            .env_remove("windir")
            .env_remove("WINDIR")
            .env_remove("SystemRoot"));
        assert_eq!(output.status.code(), Some(2));
    }
    let missing = dir.path().join("no/such/folder/out.mif");
    let output = run(mif_command()
        .args(["new", "-s", "failed", "-o"])
        .arg(&missing));
    assert_eq!(output.status.code(), Some(2));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn no_clobber_keeps_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("status.mif");
    fs::write(&path, "old").unwrap();
    let output = run(mif_command()
        .args(["new", "-s", "success", "--no-clobber", "-o"])
        .arg(&path));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fs::read(&path).unwrap(), b"old");
    let output = run(mif_command()
        .args(["new", "-s", "success", "-q", "-o"])
        .arg(&path));
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "-q is quiet");
    assert!(fs::read(&path).unwrap().starts_with(b"START COMPONENT\r\n"));
    assert_eq!(files_in(dir.path()), ["status.mif"]);
}

#[test]
fn temp_and_windir_names_land_in_their_folders() {
    let temp = tempfile::tempdir().unwrap();
    let windir = tempfile::tempdir().unwrap();
    let started = SystemTime::now() - Duration::from_secs(2);
    let output = run(mif_command()
        .args(["new", "-s", "success", "-p", "Tool", "--temp", "setup"])
        .env("TEMP", temp.path()));
    assert_eq!(output.status.code(), Some(0));
    let written = temp.path().join("setup.mif");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("wrote {}", written.display())),
        "{stderr}"
    );
    assert!(fs::metadata(&written).unwrap().modified().unwrap() >= started);
    let output = run(mif_command()
        .args(["new", "-s", "1", "-f", "Other.MIF"])
        .env("TEMP", temp.path()));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(files_in(temp.path()), ["Other.MIF", "setup.mif"]);
    let output = run(mif_command()
        .args(["new", "-s", "failed", "--windir", "pcm"])
        .env("windir", windir.path()));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(files_in(windir.path()), ["pcm.mif"]);
}

/// With neither TEMP nor TMP set, `--temp` writes where the system says
/// temporary files go: on Windows the folder GetTempPath2W gives (TMP,
/// TEMP, USERPROFILE, then the Windows folder; for SYSTEM on Windows 11
/// and Server 2022, C:\Windows\SystemTemp), on Unix TMPDIR or /tmp.
#[test]
fn temp_without_temp_or_tmp_goes_where_the_system_says() {
    let folder = tempfile::tempdir().unwrap();
    let variable = if cfg!(windows) {
        "USERPROFILE"
    } else {
        "TMPDIR"
    };
    let output = run(mif_command()
        .args(["new", "-s", "success", "--temp", "setup"])
        .env_remove("TEMP")
        .env_remove("TMP")
        .env(variable, folder.path()));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(files_in(folder.path()), ["setup.mif"]);
}

fn write_status(dir: &Path, name: &str, status: &str, product: &str, age: Duration) {
    let path = dir.join(name);
    let output = run(mif_command()
        .args([
            "new", "-q", "-s", status, "-c", "Contoso", "-v", "1.0", "-p", product, "-o",
        ])
        .arg(&path));
    assert_eq!(output.status.code(), Some(0));
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

fn status_of(args: &[&str]) -> (i32, serde_json::Value) {
    let output = run(mif_command()
        .args(["status", "--format", "json"])
        .args(args));
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code().unwrap(), json)
}

fn picked(json: &serde_json::Value) -> Option<String> {
    json["picked"].as_str().map(|p| {
        Path::new(p)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    })
}

#[test]
fn status_picks_the_matching_file_written_after_since() {
    let dir = tempfile::tempdir().unwrap();
    let day = Duration::from_secs(24 * 3600);
    write_status(dir.path(), "old.mif", "failed", "Tool", 10 * day);
    write_status(dir.path(), "new.mif", "success", "Tool", Duration::ZERO);
    write_status(dir.path(), "other.mif", "failed", "Other", Duration::ZERO);
    fs::write(dir.path().join("notes.txt"), "not a mif").unwrap();
    let stamp = dir.path().join("start.stamp");
    fs::write(&stamp, "").unwrap();
    fs::File::options()
        .write(true)
        .open(&stamp)
        .unwrap()
        .set_modified(SystemTime::now() - day)
        .unwrap();

    let all = dir.path().to_str().unwrap();
    let (code, json) = status_of(&["--match-product", "TOOL", all]);
    assert_eq!((code, picked(&json).as_deref()), (0, Some("new.mif")));
    assert_eq!(json["files"].as_array().unwrap().len(), 3);

    let (code, json) = status_of(&[
        "--match-product",
        "tool",
        "--since",
        "2001-01-01T00:00:00Z",
        all,
    ]);
    assert_eq!((code, picked(&json).as_deref()), (0, Some("new.mif")));

    let old = dir.path().join("old.mif");
    let old = old.to_str().unwrap();
    let (code, json) = status_of(&["--since", "2001-01-01T00:00:00+02:00", old]);
    assert_eq!((code, picked(&json).as_deref()), (1, Some("old.mif")));

    let stamp = stamp.to_str().unwrap();
    let (code, json) = status_of(&["--since", stamp, "--match-product", "Other", all]);
    assert_eq!((code, picked(&json).as_deref()), (1, Some("other.mif")));
    let (code, json) = status_of(&["--since", stamp, old]);
    assert_eq!((code, picked(&json)), (2, None));
    let reasons = json["files"][0]["not_taken_because"].to_string();
    assert!(
        reasons.contains("not after the program started"),
        "{reasons}"
    );

    let (code, json) = status_of(&["--match-product", "Missing", all]);
    assert_eq!((code, picked(&json)), (2, None));

    let (code, _) = status_of(&["--since", "yesterday", all]);
    assert_eq!(code, 2);
}

#[test]
fn status_exit_codes_follow_the_verdict() {
    let read = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/status/read/");
    for (file, code) in [
        ("status-upper-case.mif", 0),
        // No ComponentID group: only SMS 1.x took it, ConfigMgr never does.
        ("minimal-sms1.mif", 2),
        ("minimal-sms1-lowercase.mif", 2),
        ("status-fail.mif", 2),
        ("wrong-class.mif", 2),
        ("no-such-file.mif", 2),
    ] {
        let output = run(mif_command().arg("status").arg(format!("{read}{file}")));
        assert_eq!(output.status.code(), Some(code), "{file}");
    }
    let output = run(mif_command()
        .args(["status", "-"])
        .stdin(fs::File::open(format!("{read}status-upper-case.mif")).unwrap()));
    assert_eq!(output.status.code(), Some(0));
    let empty = tempfile::tempdir().unwrap();
    let output = run(mif_command().arg("status").arg(empty.path()));
    assert_eq!(output.status.code(), Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn mif_new_then_mif_status_gives_the_values_back(
        manufacturer in value(64),
        product in value(64),
        version in value(64),
        description in value(128),
        success in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("round.mif");
        let status = if success { "success" } else { "FAILED" };
        let output = run(mif_command()
            .args(["new", "-q", "-s", status, "-o"])
            .arg(&path)
            .arg(format!("--manufacturer={manufacturer}"))
            .arg(format!("--product={product}"))
            .arg(format!("--version={version}"))
            .arg(format!("--description={description}")));
        prop_assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let output = run(mif_command().args(["status", "--format", "json"]).arg(&path));
        // A file with an empty Product is never matched to a program.
        let expected = match (product.trim().is_empty(), success) {
            (true, _) => 2,
            (false, true) => 0,
            (false, false) => 1,
        };
        prop_assert_eq!(output.status.code(), Some(expected));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let file = &json["files"][0];
        prop_assert_eq!(file["status"].as_str(), Some(if success { "Success" } else { "Failed" }));
        prop_assert_eq!(file["manufacturer"].as_str(), Some(manufacturer.as_str()));
        prop_assert_eq!(file["product"].as_str(), Some(product.as_str()));
        prop_assert_eq!(file["version"].as_str(), Some(version.as_str()));
        prop_assert_eq!(file["description"].as_str(), Some(description.as_str()));
    }
}
