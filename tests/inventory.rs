//! Inventory MIFs end to end: `mif new noidmif|idmif` writes files that
//! check clean in their profiles and read back with `mif get`, refuses
//! what the loader would not take, writes into the client's folders; `mif
//! check` over several files reports a class defined two ways
//! (`mif::inventory-class-mismatch`), `mif dump --signature` prints the
//! signatures.

mod common;

use std::ffi::OsString;
use std::path::Path;

use proptest::prelude::*;

fn args(items: &[&str]) -> Vec<OsString> {
    items.iter().map(OsString::from).collect()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `mif check --profile PROFILE FILE` finds nothing at all.
fn assert_checks_clean(profile: &str, file: &Path) {
    let mut check = args(&["check", "--profile", profile]);
    check.push(file.into());
    let output = common::run_mif(&check, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&output)
    );
}

/// What `mif get FILE --group GROUP --attr ATTR` prints, less the line break.
fn get(file: &Path, group: &str, attribute: &str) -> String {
    let mut get = vec![OsString::from("get"), file.into()];
    get.extend(args(&["--group", group, "--attr", attribute]));
    let output = common::run_mif(&get, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).expect("UTF-8 on stdout");
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// An attribute of a generated spec: its name, value and `--type`.
#[derive(Debug, Clone)]
struct Attribute {
    name: String,
    value: String,
    data_type: Option<String>,
}

/// A name the loader takes: no quotes, no surrounding spaces.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_ ]{0,14}[A-Za-z0-9]"
}

/// A value: printable Windows-1252 text without `"`, no surrounding
/// spaces, or an integer.
fn attribute() -> impl Strategy<Value = Attribute> {
    let text = "[A-Za-z0-9][-A-Za-z0-9 .,;:!?/\\\\()_éüßÆ€]{0,40}[A-Za-z0-9]?";
    prop_oneof![
        (name(), text).prop_map(|(name, value)| Attribute {
            name,
            value,
            data_type: None
        }),
        (name(), text, 0u32..200).prop_map(|(name, value, extra)| {
            let octets = value.chars().count() as u32;
            Attribute {
                data_type: Some(format!("STRING({})", octets.max(1) + extra)),
                name,
                value,
            }
        }),
        // Negative constants draw mif::negative-integer (some service
        // layers reject them), which refuses the file unless forced.
        (name(), 0i64..=2_147_483_647).prop_map(|(name, value)| Attribute {
            name,
            value: value.to_string(),
            data_type: Some("INTEGER".into()),
        }),
        (name(), 0u64..=u64::from(u32::MAX)).prop_map(|(name, value)| Attribute {
            name,
            value: value.to_string(),
            data_type: Some("COUNTER".into()),
        }),
    ]
}

/// A group: its name, class, attributes with names unlike in any case,
/// and the indices of its key attributes.
fn spec() -> impl Strategy<Value = (String, String, Vec<Attribute>, Vec<usize>)> {
    (
        name(),
        "[A-Z]{2,8}\\|[A-Za-z]{2,12}\\|[1-9]\\.[0-9]",
        prop::collection::vec(attribute(), 1..6),
        prop::collection::vec(0usize..6, 0..3),
    )
        .prop_map(|(group, class, attributes, keys)| {
            let mut seen = Vec::<String>::new();
            let attributes: Vec<Attribute> = attributes
                .into_iter()
                .filter(|a| {
                    let lower = a.name.to_lowercase();
                    let new = !seen.contains(&lower);
                    seen.push(lower);
                    new
                })
                .collect();
            let mut key: Vec<usize> = keys.into_iter().filter(|&k| k < attributes.len()).collect();
            key.dedup();
            (group, class, attributes, key)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn new_noidmif_checks_clean_and_reads_back(
        (group, class, attributes, key) in spec()
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut command = args(&["new", "noidmif", "--group", &group, "--class", &class, "-q",
            "--noidmifs", "spec"]);
        for attribute in &attributes {
            command.push(format!("--value={}={}", attribute.name, attribute.value).into());
            if let Some(data_type) = &attribute.data_type {
                command.push(format!("--type={}={data_type}", attribute.name).into());
            }
        }
        for &at in &key {
            command.push(format!("--key={}", attributes[at].name).into());
        }
        let output = common::mif_command()
            .args(&command)
            .env("MIF_NOIDMIFS_DIR", dir.path())
            .output()
            .unwrap();
        prop_assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let file = dir.path().join("spec.mif");
        let bytes = std::fs::read(&file).unwrap();
        // ANSI with CRLF, as the client reads it.
        prop_assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
        prop_assert!(!bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
        assert_checks_clean("noidmif", &file);
        for attribute in &attributes {
            prop_assert_eq!(get(&file, &group, &attribute.name), attribute.value.clone());
        }
    }
}

#[test]
fn new_idmif_has_its_headers_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let output = common::mif_command()
        .args([
            "new",
            "idmif",
            "--architecture",
            "Asset",
            "--unique-id",
            "WW-0042",
            "--agent-id",
            "Asset Tool",
            "--value",
            "Tag=A-42",
            "--value",
            "Rack=7",
            "--type",
            "Rack=INTEGER",
            "--idmifs",
            "ww-42",
        ])
        .env("MIF_IDMIFS_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let file = dir.path().join("ww-42.mif");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(
            "//Architecture<Asset>\r\n//UniqueID<WW-0042>\r\n//AgentID<Asset Tool>\r\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("CLASS = \"Asset\"\r\n        KEY = 1\r\n"),
        "{text}"
    );
    assert_checks_clean("idmif", &file);
    assert_eq!(get(&file, "Asset", "Rack"), "7");
}

#[test]
fn the_folder_flag_wins_over_the_variable() {
    let flag_dir = tempfile::tempdir().unwrap();
    let variable_dir = tempfile::tempdir().unwrap();
    let output = common::mif_command()
        .args([
            "new",
            "noidmif",
            "--group",
            "Asset",
            "--class",
            "ACME|Asset|1.0",
        ])
        .args([
            "--value",
            "Tag=1",
            "--noidmifs",
            "asset.mif",
            "--noidmifs-dir",
        ])
        .arg(flag_dir.path())
        .env("MIF_NOIDMIFS_DIR", variable_dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(flag_dir.path().join("asset.mif").is_file());
    assert!(std::fs::read_dir(variable_dir.path())
        .unwrap()
        .next()
        .is_none());
}

#[test]
fn the_client_folder_is_found_below_windir() {
    let windir = tempfile::tempdir().unwrap();
    let run = || {
        common::mif_command()
            .args([
                "new",
                "noidmif",
                "--group",
                "Asset",
                "--class",
                "ACME|Asset|1.0",
            ])
            .args(["--value", "Tag=1", "--noidmifs", "asset"])
            .env_remove("MIF_NOIDMIFS_DIR")
            .env("windir", windir.path())
            .output()
            .unwrap()
    };
    let missing = run();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("CCM"), "{}", stderr(&missing));
    let folder = windir.path().join("CCM").join("Inventory").join("Noidmifs");
    std::fs::create_dir_all(&folder).unwrap();
    let written = run();
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(folder.join("asset.mif").is_file());
}

#[test]
fn what_the_loader_refuses_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("Noidmifs").join("out.mif");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let base = [
        "new",
        "noidmif",
        "--group",
        "Asset",
        "--class",
        "ACME|Asset|1.0",
    ];
    let cases: [(&[&str], &str); 7] = [
        (&["--value", "Tag =1"], "mif::inventory-name-spaces"),
        (
            &["--value", "Tag=say \"hi\""],
            "mif::inventory-quote-in-string",
        ),
        (
            &["--value", "Tag=A-42", "--type", "Tag=STRING(2)"],
            "mif::value-too-long",
        ),
        (
            &["--value", "Rack=seven", "--type", "Rack=INTEGER"],
            "--value Rack",
        ),
        (&["--value", "Tag=1", "--key", "Room"], "names no attribute"),
        (
            &["--value", "Tag=1", "--type", "Tag=FLOAT"],
            "not an inventory type",
        ),
        (&["--value", "Tag=1", "--value", "tag=2"], "two attributes"),
    ];
    for (extra, said) in cases {
        let mut command = args(&base);
        command.extend(args(extra));
        command.extend([OsString::from("-o"), out.clone().into()]);
        let output = common::run_mif(&command, None);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{extra:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(said),
            "{extra:?}: {}",
            stderr(&output)
        );
        assert!(!out.exists(), "{extra:?}: written");
    }
    let header = common::run_mif(
        &args(&[
            "new",
            "idmif",
            "--architecture",
            "Asset",
            "--unique-id",
            "a>b",
            "--value",
            "T=1",
        ]),
        None,
    );
    assert_eq!(header.status.code(), Some(2), "{}", stderr(&header));
    assert!(header.stdout.is_empty());
}

/// `mif check` over each two-file fixture folder, run from
/// `tests/fixtures/classes` so that the names are the same everywhere.
fn check_folder(folder: &str, extra: &[&str]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classes");
    common::mif_command()
        .current_dir(root)
        .args(["check", "--color", "never"])
        .args(extra)
        .arg(folder)
        .output()
        .unwrap()
}

#[test]
fn a_class_defined_two_ways_is_reported_once_naming_both_files() {
    let settings = common::snapshot_settings("inventory");
    for folder in ["type", "length", "missing-attribute", "key"] {
        let output = check_folder(folder, &[]);
        let text = common::with_slashes(&stderr(&output));
        assert_eq!(output.status.code(), Some(1), "{folder}: {text}");
        assert_eq!(
            text.matches("mif::inventory-class-mismatch").count(),
            1,
            "{folder}: {text}"
        );
        assert!(text.contains(&format!("{folder}/Noidmifs/a.mif")), "{text}");
        assert!(text.contains(&format!("{folder}/Noidmifs/b.mif")), "{text}");
        settings.bind(|| insta::assert_snapshot!(format!("mismatch-{folder}"), text));
    }
    let same = check_folder("same", &[]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
}

#[test]
fn the_mismatch_is_a_warning_outside_the_inventory_profiles() {
    let output = check_folder("type", &["--profile", "dmi"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("0 errors"), "{text}");
    assert!(text.contains("mif::inventory-class-mismatch"), "{text}");
    let json = check_folder("type", &["--format", "json"]);
    let stdout = String::from_utf8_lossy(&json.stdout);
    assert!(stdout.contains("inventory-class-mismatch"), "{stdout}");
}

#[test]
fn each_file_alone_checks_clean() {
    for file in ["type/Noidmifs/a.mif", "type/Noidmifs/b.mif"] {
        let output = check_folder(file, &[]);
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
    }
}

#[test]
fn dump_signature_prints_one_line_per_attribute() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classes");
    let output = common::mif_command()
        .current_dir(root)
        .args(["dump", "--signature", "type"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = common::with_slashes(&String::from_utf8_lossy(&output.stdout));
    let settings = common::snapshot_settings("inventory");
    settings.bind(|| insta::assert_snapshot!("signature-type", text));
}

/// A NOIDMIF is known by its folder: written elsewhere, `mif new` says how
/// `mif check` will take it; in a Noidmifs folder it says nothing.
#[test]
fn a_noidmif_written_outside_a_noidmifs_folder_comes_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("Noidmifs")).unwrap();
    let new = |output: &str| {
        common::mif_command()
            .current_dir(dir.path())
            .args(["new", "noidmif", "--group", "Asset"])
            .args([
                "--class",
                "ACME|Asset|1.0",
                "--value",
                "Tag=1",
                "-o",
                output,
            ])
            .output()
            .unwrap()
    };
    let elsewhere = new("asset.mif");
    assert_eq!(elsewhere.status.code(), Some(0), "{}", stderr(&elsewhere));
    assert!(
        stderr(&elsewhere).contains("check it with `--profile noidmif`"),
        "{}",
        stderr(&elsewhere)
    );
    let check = common::mif_command()
        .current_dir(dir.path())
        .args(["check", "--profile", "noidmif", "asset.mif"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let in_folder = new("Noidmifs/asset.mif");
    assert_eq!(in_folder.status.code(), Some(0), "{}", stderr(&in_folder));
    assert!(
        !stderr(&in_folder).contains("--profile"),
        "{}",
        stderr(&in_folder)
    );
}
