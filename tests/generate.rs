//! `mif completions` and `mif man`: generated from the clap definitions.

mod common;

use std::process::Output;

fn mif(args: &[&str]) -> Output {
    common::run_mif(args, None)
}

#[test]
fn every_shell_gets_a_script_that_knows_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = mif(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in ["check", "lsp", "deny-warnings"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = mif(&["completions", "cmd.exe"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn the_man_page_lists_the_subcommands_and_each_has_its_own() {
    let output = mif(&["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.starts_with(".ie"), "roff expected");
    assert!(page.contains(".TH mif 1"), "{page}");
    for sub in ["check", "lsp", "completions", "man"] {
        assert!(page.contains(&format!("mif\\-{sub}(1)")), "{sub} missing");
    }

    let output = mif(&["man", "check"]);
    assert_eq!(output.status.code(), Some(0));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH mif-check 1"), "{page}");
    assert!(page.contains("\\-\\-deny\\-warnings"), "{page}");

    let output = mif(&["man", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no subcommand `nope`"));
}
