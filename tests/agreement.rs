//! The parts agree: what `mif set` writes, `mif check` accepts; what
//! `mif new` writes checks clean; what `mif status` picks, its own notes
//! allow; a file's verdict does not depend on how its path is typed.

mod common;

use std::fs;
use std::path::Path;

use mif::check::{judge, Change};
use mif::edit::{Address, ApplyOptions, Edit, EditError, NewValue};
use mif::status::{self, Candidate, Criteria, Field, JobStatus, Locations};
use mif::syntax::encode_string_for;
use mif::{CheckOptions, Document, Profile};
use proptest::prelude::*;

/// An attribute's type and the literal its value starts with.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("STRING(8)", "\"short\""),
    ("STRING(64)", "\"Widget\""),
    ("INTEGER", "7"),
    ("COUNTER", "7"),
    ("INTEGER64", "-7"),
    ("DATE", "\"19940525133015.000000-300\""),
];

/// Values people type: numbers, dates, text of every length, quotes,
/// characters Windows-1252 lacks, control characters, status words.
fn typed_value() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("1".to_string()),
        Just("-3".to_string()),
        Just("4294967296".to_string()),
        Just("99999999999999999999".to_string()),
        Just("19940525133015.000000-300".to_string()),
        Just("1994052513****.******+***".to_string()),
        Just("DateTime".to_string()),
        Just("Success".to_string()),
        Just("FAILED".to_string()),
        Just("A \"7\"".to_string()),
        Just("Ω".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("é€".to_string()),
        "[a-z ]{0,12}",
    ];
    proptest::collection::vec(pieces, 1..4).prop_map(|p| p.concat())
}

/// A document of one group with the attributes, under a profile: `dmi`,
/// `status` (a status MIF) or `noidmif` (a NOIDMIF).
fn document(profile: Profile) -> String {
    let mut text = String::from("START COMPONENT\n  NAME = \"c\"\n");
    if profile == Profile::Status {
        text.push_str(
            "  START GROUP\n    NAME = \"ComponentID\"\n    ID = 1\n    CLASS = \"DMTF|ComponentID|1.0\"\n\
             \x20   START ATTRIBUTE NAME = \"Product\" ID = 2 TYPE = STRING(64) VALUE = \"Widget\" END ATTRIBUTE\n\
             \x20 END GROUP\n\
             \x20 START GROUP\n    NAME = \"InstallStatus\"\n    ID = 2\n    CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\n\
             \x20   START ATTRIBUTE NAME = \"Status\" ID = 1 TYPE = STRING(32) VALUE = \"Success\" END ATTRIBUTE\n\
             \x20   START ATTRIBUTE NAME = \"Description\" ID = 2 TYPE = STRING(128) VALUE = \"done\" END ATTRIBUTE\n\
             \x20 END GROUP\n",
        );
    }
    let id = if profile == Profile::Status { 3 } else { 1 };
    text.push_str(&format!(
        "  START GROUP\n    NAME = \"Values\"\n    ID = {id}\n    CLASS = \"TEST|Values|1.0\"\n"
    ));
    for (i, (data_type, literal)) in ATTRIBUTES.iter().enumerate() {
        text.push_str(&format!(
            "    START ATTRIBUTE NAME = \"a{i}\" ID = {} TYPE = {data_type} VALUE = {literal} END ATTRIBUTE\n",
            i + 1
        ));
    }
    text.push_str("  END GROUP\nEND COMPONENT\n");
    text
}

/// The literal a file holding `value` has in an attribute of this type:
/// a decimal integer (blanks around it aside) for an integer type, else
/// quoted text.
fn literal(data_type: &str, value: &str) -> String {
    let integer = !data_type.starts_with("STRING") && data_type != "DATE";
    let number = value.trim();
    let decimal = number.strip_prefix('-').unwrap_or(number);
    if integer && !decimal.is_empty() && decimal.bytes().all(|b| b.is_ascii_digit()) {
        number.to_string()
    } else {
        encode_string_for(value, false)
    }
}

/// The addresses of every value of [`document`], with the type.
fn targets(profile: Profile) -> Vec<(Address, &'static str)> {
    let mut targets: Vec<(Address, &str)> = ATTRIBUTES
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (format!("Values.a{i}").parse().unwrap(), *t))
        .collect();
    if profile == Profile::Status {
        for (address, data_type) in [
            ("InstallStatus.Status", "STRING(32)"),
            ("InstallStatus.Description", "STRING(128)"),
            ("ComponentID.Product", "STRING(64)"),
        ] {
            targets.push((address.parse().unwrap(), data_type));
        }
    }
    targets
}

fn codes_outside(diagnostics: &[mif::Diagnostic], place: mif::Span) -> Vec<&'static str> {
    let mut codes: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.span.end <= place.start || d.span.start >= place.end.max(place.start + 1))
        .map(|d| d.code)
        .collect();
    codes.sort_unstable();
    codes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// `set` succeeds exactly when the file holding the value checks
    /// without a new error (and, unforced, without a warning about the
    /// value); it then writes exactly that file, which checks as before
    /// everywhere else.
    #[test]
    fn set_succeeds_exactly_when_the_file_holding_the_value_checks(
        profile in prop::sample::select(vec![Profile::Dmi, Profile::Status, Profile::NoIdMif]),
        target in any::<prop::sample::Index>(),
        value in typed_value(),
        force in any::<bool>(),
    ) {
        let text = document(profile);
        let doc = Document::parse_str(&text);
        prop_assert!(!doc.has_errors(), "{:?}", doc.diagnostics);
        let targets = targets(profile);
        let (address, data_type) = &targets[target.index(targets.len())];
        let slot = doc.get(address).unwrap().values[0].span().unwrap();
        let options = CheckOptions::default().with_profile(Some(profile));

        let holding = literal(data_type, &value);
        let mut expected = text.clone();
        expected.replace_range(slot.range(), &holding);
        let expected_doc = Document::parse_str(&expected);
        let before = mif::check(&doc, &options);
        let after = mif::check(&expected_doc, &options);
        let change = Change {
            before: slot,
            after: mif::Span::new(slot.start, slot.start + holding.len()),
        };
        let allowed = judge(&before, &after, &[change], force).allows();

        let mut changed = doc.clone();
        let edit = Edit { address: address.clone(), value: NewValue::Text(value.clone()) };
        let apply = ApplyOptions { force, check: options.clone(), ..ApplyOptions::default() };
        match changed.apply(&[edit], &apply) {
            Ok(_) => {
                prop_assert!(allowed, "set wrote what the check refuses: {after:#?}");
                prop_assert_eq!(changed.text(), expected.as_str());
                prop_assert!(!mif::check(&changed, &options).iter().any(|d| d.is_error()
                    && !before.iter().any(|b| b.code == d.code)));
                prop_assert_eq!(
                    codes_outside(&before, slot),
                    codes_outside(&mif::check(&changed, &options), change.after)
                );
            }
            Err(EditError::Refused { findings, .. }) => {
                prop_assert!(!allowed, "set refused what the check takes: {findings:#?}");
                prop_assert!(!findings.is_empty());
                prop_assert_eq!(changed.text(), text.as_str());
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}

/// A status MIF for [`status_never_picks_what_its_notes_rule_out`].
fn status_mif(component_id: bool, product: &str, word: &str) -> String {
    let mut text = String::from("START COMPONENT\nNAME = \"w\"\n");
    if component_id {
        text.push_str(&format!(
            "START GROUP NAME = \"ComponentID\" ID = 1 CLASS = \"DMTF|ComponentID|1.0\"\n\
             START ATTRIBUTE NAME = \"Manufacturer\" ID = 1 TYPE = STRING(64) VALUE = \"Contoso\" END ATTRIBUTE\n\
             START ATTRIBUTE NAME = \"Product\" ID = 2 TYPE = STRING(64) VALUE = \"{product}\" END ATTRIBUTE\n\
             END GROUP\n"
        ));
    }
    text.push_str(&format!(
        "START GROUP NAME = \"InstallStatus\" ID = 2 CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\n\
         START ATTRIBUTE NAME = \"Status\" ID = 1 TYPE = STRING(32) VALUE = \"{word}\" END ATTRIBUTE\n\
         START ATTRIBUTE NAME = \"Description\" ID = 2 TYPE = STRING(128) VALUE = \"d\" END ATTRIBUTE\n\
         END GROUP\nEND COMPONENT\n"
    ));
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the files and the package, the file `pick` takes has no
    /// note that rules it out, and a file with such a note is not taken.
    #[test]
    fn status_never_picks_what_its_notes_rule_out(
        files in proptest::collection::vec(
            (
                any::<bool>(),
                prop::sample::select(vec!["Widget", "", "widget", "Other"]),
                prop::sample::select(vec!["Success", "Failed", "SUCCESS", "fail", " Failed"]),
                prop::sample::select(vec!["a.mif", "b.MIF", "out.txt"]),
                0..3i64,
            ),
            1..4,
        ),
        wanted in prop::option::of(prop::sample::select(vec!["widget", "Other"])),
        since in prop::option::of(0..3i64),
    ) {
        let base = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let at = |n: i64| base.checked_add(jiff::SignedDuration::from_hours(n)).unwrap();
        let candidates: Vec<Candidate> = files
            .iter()
            .map(|(component_id, product, word, name, hour)| Candidate {
                name: name.to_string(),
                path: None,
                modified: Some(at(*hour)),
                reading: status::read(
                    &Document::parse_str(&status_mif(*component_id, product, word)),
                    &CheckOptions::default(),
                ),
                file_name: Some(name.to_string()),
            })
            .collect();
        let mut criteria = Criteria { since: since.map(at), ..Criteria::default() };
        criteria.wanted[Field::Product] = wanted.map(str::to_string);
        let selection = status::pick(&candidates, &criteria);
        for (i, candidate) in candidates.iter().enumerate() {
            let notes = status::notes(candidate, &selection.obstacles[i], &criteria, &Locations::default());
            let blocked = notes.iter().any(|n| n.blocks);
            if selection.picked == Some(i) {
                prop_assert!(!blocked, "picked although {notes:#?}");
                prop_assert!(selection.obstacles[i].is_empty());
                prop_assert!(candidate.reading.is_usable());
                prop_assert!(candidate.reading.never_matched.is_none());
            }
            if blocked {
                prop_assert_ne!(selection.picked, Some(i));
            }
        }
    }
}

fn mif(args: &[&str], dir: &Path) -> (i32, String, String) {
    let output = common::mif_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_verdict_does_not_depend_on_how_the_path_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Noidmifs");
    fs::create_dir(&folder).unwrap();
    fs::write(
        folder.join("asset.mif"),
        "START COMPONENT\nNAME = \"System Information\"\n\
         START GROUP NAME = \"Asset \" ID = 1 CLASS = \"wideWorldAssetNumbers\"\n\
         START ATTRIBUTE NAME = \"Tag\" ID = 1 TYPE = STRING(8) VALUE = \"A-1\" END ATTRIBUTE\n\
         END GROUP\nEND COMPONENT\n",
    )
    .unwrap();
    let runs = [
        mif(
            &["check", "--format", "json", "Noidmifs/asset.mif"],
            dir.path(),
        ),
        mif(&["check", "--format", "json", "asset.mif"], &folder),
        mif(&["check", "--format", "json", "./asset.mif"], &folder),
        mif(&["check", "--format", "json", "."], &folder),
    ];
    let codes = |stdout: &str| -> Vec<String> {
        stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].to_string())
            .collect()
    };
    let first = codes(&runs[0].1);
    assert!(
        first.iter().any(|c| c.contains("inventory-name-spaces")),
        "checked as a NOIDMIF: {first:?}"
    );
    for (code, stdout, stderr) in &runs {
        assert_eq!(*code, 1, "{stderr}");
        assert_eq!(codes(stdout), first, "{stderr}");
    }
}

#[test]
fn a_status_mif_the_notes_call_unmatchable_is_never_picked() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = mif(&["new", "-s", "failed", "-o", "a.mif"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = mif(&["status", "a.mif"], dir.path());
    assert_eq!(code, 2, "{stdout}");
    assert!(!stdout.contains("(picked)"), "{stdout}");
    assert!(stdout.contains("never match"), "{stdout}");
    assert!(
        stdout.contains("no status MIF the client would take"),
        "{stdout}"
    );

    let (code, _, stderr) = mif(
        &[
            "new",
            "-s",
            "success",
            "-p",
            "Widget",
            "-d",
            "C:\\Program Files\\App",
            "-o",
            "out.txt",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("mif::status-file-extension"), "{stderr}");
    let (code, stdout, _) = mif(&["status", "out.txt"], dir.path());
    assert_eq!(code, 2, "{stdout}");
    assert!(!stdout.contains("(picked)"), "{stdout}");
    assert!(stdout.contains("does not end in .mif"), "{stdout}");
    let (_, explained, _) = mif(&["status", "--explain", "out.txt"], dir.path());
    assert!(
        explained.contains("only looks at files ending in .mif"),
        "{explained}"
    );
    // The decoded description, not its escaped form.
    assert!(
        stdout.contains("description   \"C:\\Program Files\\App\""),
        "{stdout}"
    );

    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let bkoffice = corpus.join("generated-open-watcom-owp4v1copy-bkoffice.c.mif");
    let (code, stdout, _) = mif(&["status", bkoffice.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{stdout}");
    assert!(!stdout.contains("(picked)"), "{stdout}");
}

#[test]
fn get_answers_from_a_broken_file_only_before_the_first_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = "START COMPONENT\nNAME = \"c\"\n\
        START GROUP NAME = \"First\" ID = 1 CLASS = \"a|b|1\"\n\
        START ATTRIBUTE NAME = \"x\" ID = 1 TYPE = INTEGER VALUE = 1 END ATTRIBUTE\nEND GROUP\n\
        START GROUP NAME = \"Second\" ID = 2 CLASS = \"a|c|1\"\n\
        START ATTRIBUTE NAME = \"y\" ID = 1 TYPE = FLOAT VALUE = 2 END ATTRIBUTE\nEND GROUP\n\
        START GROUP NAME = \"Third\" ID = 3 CLASS = \"a|d|1\"\n\
        START ATTRIBUTE NAME = \"z\" ID = 1 TYPE = INTEGER VALUE = 3 END ATTRIBUTE\nEND GROUP\n\
        END COMPONENT\n";
    fs::write(dir.path().join("broken.mif"), text).unwrap();
    let (code, stdout, stderr) = mif(&["get", "broken.mif", "First.x"], dir.path());
    assert_eq!((code, stdout.as_str()), (0, "1\n"), "{stderr}");
    assert!(
        stderr.contains("mif::unknown-type"),
        "the error is still told: {stderr}"
    );
    for address in ["Second.y", "Third.z"] {
        let (code, stdout, stderr) = mif(&["get", "broken.mif", address], dir.path());
        assert_eq!(code, 2, "{address}: {stdout}");
        assert!(stdout.is_empty(), "{address}: {stdout}");
        assert!(stderr.contains("a syntax error comes before"), "{stderr}");
    }
}

#[test]
fn writers_refuse_what_the_check_refuses_in_the_files_profile() {
    let dir = tempfile::tempdir().unwrap();
    let noidmifs = dir.path().join("Noidmifs");
    fs::create_dir(&noidmifs).unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit/noidmif-asset-tag.mif");
    fs::copy(&fixture, noidmifs.join("asset.mif")).unwrap();
    let before = fs::read(noidmifs.join("asset.mif")).unwrap();
    let (code, _, stderr) = mif(
        &[
            "set",
            "asset.mif",
            "Asset Numbers.Owner",
            "--value",
            "A \"7\"",
        ],
        &noidmifs,
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("mif::inventory-quote-in-string"),
        "{stderr}"
    );
    assert_eq!(fs::read(noidmifs.join("asset.mif")).unwrap(), before);

    // A date `mif check` accepts, `mif set` writes.
    let dates = dir.path().join("dates.mif");
    fs::write(
        &dates,
        "START COMPONENT\nNAME = \"c\"\n\
         START GROUP NAME = \"ComponentID\" ID = 1 CLASS = \"DMTF|ComponentID|1.0\"\n\
         START ATTRIBUTE NAME = \"Installation\" ID = 5 TYPE = DATE VALUE = \"\" END ATTRIBUTE\n\
         END GROUP\nEND COMPONENT\n",
    )
    .unwrap();
    for date in ["1994052513****.******+***", "", "19940525133015.000000*000"] {
        let (code, _, stderr) = mif(
            &[
                "set",
                "dates.mif",
                "ComponentID.Installation",
                "--value",
                date,
            ],
            dir.path(),
        );
        assert_eq!(code, 0, "{date}: {stderr}");
        let (code, _, stderr) = mif(&["check", "dates.mif"], dir.path());
        assert_eq!(code, 0, "{date}: {stderr}");
        assert!(stderr.contains("0 errors, 0 warnings"), "{date}: {stderr}");
    }
}

#[test]
fn a_table_whose_cell_order_is_unknown_is_neither_read_nor_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.mif"),
        "START COMPONENT\nNAME = \"c\"\n\
         START GROUP NAME = \"Tab\" CLASS = \"a|t|1\" KEY = 1\n\
         START ATTRIBUTE NAME = \"K\" TYPE = STRING(8) END ATTRIBUTE\n\
         START ATTRIBUTE NAME = \"N\" ID = 1 TYPE = INTEGER END ATTRIBUTE\n\
         END GROUP\n\
         START TABLE NAME = \"T\" ID = 2 CLASS = \"a|t|1\" {\"hello\", 1} END TABLE\n\
         END COMPONENT\n",
    )
    .unwrap();
    let (code, _, stderr) = mif(
        &["set", "t.mif", "Tab[\"hello\"].K", "--value", "5"],
        dir.path(),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no known order"), "{stderr}");
    let (_, stdout, stderr) = mif(&["check", "--format", "json", "t.mif"], dir.path());
    assert!(stdout.contains("mif::missing-id"), "{stdout}");
    assert!(
        !stdout.contains("value-type-mismatch"),
        "rows are not guessed: {stdout}{stderr}"
    );
}

#[test]
fn new_and_check_agree_on_every_status_word() {
    for word in [
        "success", "Success", "SUCCESS", "1", "failed", "0", "fail", "ok", "",
    ] {
        let written = mif::status::JobStatus::parse(word);
        let dir = tempfile::tempdir().unwrap();
        let (code, stdout, stderr) = mif(&["new", "-s", word, "-p", "P", "-d", "d"], dir.path());
        match written {
            Some(status) => {
                assert_eq!(code, 0, "{word}: {stderr}");
                let doc = Document::parse(stdout.as_bytes());
                assert!(mif::check(&doc, &CheckOptions::default()).is_empty());
                let reading = status::read(&doc, &CheckOptions::default());
                assert_eq!(reading.status.as_deref(), Some(status.as_str()));
                assert_eq!(reading.verdict, Some(status));
            }
            None => {
                assert_eq!(code, 2, "{word}");
                assert!(stdout.is_empty());
            }
        }
    }
    assert_eq!(JobStatus::parse("SUCCESS"), Some(JobStatus::Success));
}
