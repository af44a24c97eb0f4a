//! `Document::get` / `Document::apply` on fixtures: each fixture's header
//! comments say what to change (`// set ADDRESS=VALUE`, `// unknown
//! ADDRESS`, `// unsupported ADDRESS`); the snapshot is the unified diff
//! of the text, which must show only the values' bytes changing.

mod common;

use mif::edit::{Address, ApplyOptions, Edit, EditError, NewValue};
use mif::Document;
use similar::TextDiff;

/// The edits a fixture asks for in its header comments.
fn edits_of(doc: &Document) -> Vec<Edit> {
    doc.header_comments()
        .filter_map(|(_, comment)| {
            let directive = comment.trim_start_matches('/').trim();
            let (verb, rest) = directive.split_once(' ')?;
            let (address, value) = match verb {
                "set" => {
                    let (address, text) = split_assignment(rest);
                    (address, NewValue::Text(text.to_string()))
                }
                "unknown" => (rest, NewValue::Unknown),
                "unsupported" => (rest, NewValue::Unsupported),
                _ => return None,
            };
            Some(Edit {
                address: address.parse().unwrap(),
                value,
            })
        })
        .collect()
}

/// `ADDRESS=VALUE` at the first `=` outside quotes.
fn split_assignment(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    panic!("no `=` in {text}")
}

/// The text with the values at `addresses` cut out, and the commas right
/// before them (filling a short table row adds commas).
fn skeleton(doc: &Document, addresses: &[&Address]) -> String {
    let text = doc.text();
    let mut spans: Vec<_> = addresses
        .iter()
        .map(|a| {
            let mut span = doc.get(a).unwrap().values[0].span().unwrap();
            while text[..span.start].ends_with(',') {
                span.start -= 1;
            }
            span
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    let mut text = doc.text().to_string();
    for span in spans {
        text.replace_range(span.range(), "<value>");
    }
    text
}

fn visible(text: &str) -> String {
    text.replace('\r', "␍")
}

#[test]
fn fixture_edits_change_only_the_values() {
    common::snapshot_settings("edit").bind(|| {
        insta::glob!("fixtures/edit/*.mif", |path| {
            let bytes = std::fs::read(path).unwrap();
            let before = Document::parse(&bytes);
            assert!(!before.has_errors(), "{}", path.display());
            let edits = edits_of(&before);
            assert!(!edits.is_empty(), "{} has no edits", path.display());
            let mut after = before.clone();
            let force = ApplyOptions {
                force: true,
                ..ApplyOptions::default()
            };
            after.apply(&edits, &force).unwrap();

            let addresses: Vec<&Address> = edits.iter().map(|e| &e.address).collect();
            assert_eq!(skeleton(&before, &addresses), skeleton(&after, &addresses));
            let new_bytes = after.source.encode(after.text()).unwrap();
            let reread = Document::parse(&new_bytes);
            assert_eq!(reread.text(), after.text());
            assert_eq!(reread.source.encoding, before.source.encoding);
            assert_eq!(reread.source.line_ending, before.source.line_ending);
            assert!(new_bytes.starts_with(before.source.encoding.bom()));

            let mut report = format!(
                "encoding: {}, {} -> {} bytes\n",
                before.source.encoding,
                bytes.len(),
                new_bytes.len()
            );
            for edit in &edits {
                let found = after.get(&edit.address).unwrap();
                let value = &found.values[0];
                report.push_str(&format!(
                    "get {} = {:?}{}\n",
                    edit.address,
                    value.text().unwrap(),
                    if value.from_template {
                        " (default)"
                    } else {
                        ""
                    }
                ));
            }
            let diff = TextDiff::from_lines(before.text(), after.text());
            let unified = diff
                .unified_diff()
                .context_radius(1)
                .header("before", "after")
                .to_string();
            report.push_str(&visible(&unified));
            insta::assert_snapshot!(report);
        });
    });
}

#[test]
fn edits_that_break_types_or_addresses_are_refused_with_diagnostics() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/edit/kinds-latin1.mif"
    );
    let bytes = std::fs::read(path).unwrap();
    let doc = Document::parse(&bytes);
    let cases: &[(&str, NewValue)] = &[
        (
            "ComponentID.Installation",
            NewValue::Text("DateTime".into()),
        ),
        ("ComponentID.Verify", NewValue::Text("Exists".into())),
        (
            "ComponentID.Limit",
            NewValue::Text("9223372036854775808".into()),
        ),
        ("Settings.Level", NewValue::Text("ten".into())),
        ("Settings.Note", NewValue::Text("x".repeat(65))),
        ("Settings.Note", NewValue::Text("Ω".into())),
        ("Settings.Mode", NewValue::Text("3".into())),
        ("Setting.Mode", NewValue::Text("1".into())),
        ("Settings.Mod", NewValue::Text("1".into())),
        ("3.1", NewValue::Text("1".into())),
        ("Settings", NewValue::Text("1".into())),
        ("Settings[1].Mode", NewValue::Text("1".into())),
    ];
    let mut report = String::new();
    for (address, value) in cases {
        let edit = Edit {
            address: address.parse().unwrap(),
            value: value.clone(),
        };
        let mut changed = doc.clone();
        let error = changed
            .apply(&[edit], &ApplyOptions::default())
            .unwrap_err();
        assert_eq!(
            changed.text(),
            doc.text(),
            "{address}: the document changed"
        );
        report.push_str(&format!("=== {address} = {value:?}\n{error}\n"));
        if let EditError::Refused { text, findings } = &error {
            let diagnostics: Vec<_> = findings.iter().map(|f| f.diagnostic.clone()).collect();
            assert!(findings.iter().all(|f| f.address.is_some()), "{findings:?}");
            report.push_str(&common::render_all(&diagnostics, "kinds-latin1.mif", text));
        }
    }
    common::snapshot_settings("edit").bind(|| insta::assert_snapshot!(report));
}

#[test]
fn several_edits_apply_together_or_not_at_all() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/edit/status-crlf.mif"
    );
    let doc = Document::parse(&std::fs::read(path).unwrap());
    let good = Edit {
        address: "InstallStatus.Status".parse().unwrap(),
        value: NewValue::Text("Failed".into()),
    };
    let bad = Edit {
        address: "ComponentID.Product".parse().unwrap(),
        value: NewValue::Text("p".repeat(65)),
    };
    let mut changed = doc.clone();
    let plain = ApplyOptions::default();
    assert!(changed.apply(&[good.clone(), bad.clone()], &plain).is_err());
    assert_eq!(changed.text(), doc.text());

    let force = ApplyOptions {
        force: true,
        ..ApplyOptions::default()
    };
    let forced = changed.apply(&[good.clone(), bad], &force).unwrap();
    let codes: Vec<_> = forced.warnings.iter().map(|f| f.diagnostic.code).collect();
    assert_eq!(codes, ["mif::value-too-long", "mif::status-field-too-long"]);
    assert!(forced
        .warnings
        .iter()
        .all(|f| f.address == Some("ComponentID.Product".parse().unwrap())));
    assert_ne!(changed.text(), doc.text());

    let twice = Edit {
        address: "2.1".parse().unwrap(),
        value: NewValue::Text("Success".into()),
    };
    let mut again = doc.clone();
    assert!(matches!(
        again.apply(&[good, twice], &plain),
        Err(EditError::Conflict(..))
    ));
}

#[test]
fn files_with_syntax_errors_are_not_edited() {
    let mut doc = Document::parse(b"START COMPONENT\nNAME = \"x\"\nSTART GROUP NAME = \"g\" ID = 1 CLASS = \"c\"\nSTART ATTRIBUTE NAME = \"a\" ID = 1 TYPE = INTEGER VALUE = 1 END ATTRIBUTE\nEND COMPONENT\n");
    let address: Address = "g.a".parse().unwrap();
    assert_eq!(
        doc.get(&address).unwrap().values[0].text().as_deref(),
        Some("1")
    );
    assert!(matches!(
        doc.set_value(&address, NewValue::Text("2".into())),
        Err(EditError::SyntaxErrors(_))
    ));
}

#[test]
fn corpus_values_read_back_after_setting_them_to_themselves() {
    for (path, verdict, _) in common::corpus() {
        if verdict == "error" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let doc = Document::parse(&bytes);
        let Some(component) = doc.component() else {
            continue;
        };
        for group in component.blocks_of(mif::syntax::BlockKind::Group) {
            let Some(id) = group.id() else { continue };
            for attribute in group.blocks_of(mif::syntax::BlockKind::Attribute) {
                let (Some(attr_id), Some(mif::syntax::Value::String(value))) =
                    (attribute.id(), attribute.value())
                else {
                    continue;
                };
                let address: Address = format!("{id}.{attr_id}").parse().unwrap();
                let Ok(found) = doc.get(&address) else {
                    continue;
                };
                assert_eq!(
                    found.values[0].text().as_ref(),
                    Some(&value.value.to_string())
                );
                let mut same = doc.clone();
                // Too-long values in the corpus are warnings: force them back.
                let edit = Edit {
                    address,
                    value: NewValue::Text(value.value.to_string()),
                };
                let force = ApplyOptions {
                    force: true,
                    ..ApplyOptions::default()
                };
                if same.apply(&[edit], &force).is_ok() {
                    let reread = Document::parse(&same.source.encode(same.text()).unwrap());
                    assert_eq!(
                        reread
                            .get(&format!("{id}.{attr_id}").parse().unwrap())
                            .unwrap()
                            .values[0]
                            .text()
                            .as_ref(),
                        Some(&value.value.to_string()),
                        "{}",
                        path.display()
                    );
                }
            }
        }
    }
}
