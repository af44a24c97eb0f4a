//! The one check: what `mif check`, the language server, every writer
//! and the tests call to judge a document.
//!
//! [`check`] gives the document's syntax diagnostics and the rules of its
//! profile (on a broken file, those about the parts that parsed), in one
//! order. [`judge`] compares
//! the findings before and after a writer changed values, which decides
//! whether the writer may write. [`compare_classes`] is the check across
//! files: a class several files define must be defined alike.
//!
//! ```
//! use mif::{check, CheckOptions, Document};
//!
//! let doc = Document::parse(b"START COMPONENT\nNAME = \"x\"\nEND COMPONENT\n");
//! let findings = check(&doc, &CheckOptions::default());
//! // A DMI component wants its ComponentID group (ID 1).
//! assert_eq!(findings[0].code, "mif::missing-componentid");
//! ```

mod classes;
mod intact;
mod judge;
mod severities;
mod suppress;

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

pub use classes::{compare_classes, ClassFinding, FileClasses};
pub use judge::{judge, Change, Finding, Judgement};
pub use severities::{known_code, Severities};

use crate::diagnostics::Diagnostic;
use crate::model::Profile;
use crate::source::READING_CODES;
use crate::syntax::Document;

/// What the check may know beyond the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// The profile to check against; `None` detects it ([`Profile::detect`]).
    pub profile: Option<Profile>,
    /// The file's path, for the folder and extension rules. Build it with
    /// [`CheckOptions::for_path`], which makes it canonical.
    pub path: Option<PathBuf>,
    /// The file's size in bytes; `None` uses the size of the text encoded
    /// back.
    pub file_size: Option<u64>,
    /// Codes a team allows, lowers or raises (`mif.toml`, `--allow`, ...).
    pub severities: Severities,
}

impl CheckOptions {
    /// Options for the file at `path` (which need not exist: an editor's
    /// unsaved buffer, `--stdin-filepath`). The path is made canonical, so
    /// `asset.mif`, `./asset.mif` and `Noidmifs/asset.mif` typed in
    /// different folders give the same verdict.
    pub fn for_path(path: &Path) -> CheckOptions {
        CheckOptions {
            path: Some(canonical_path(path)),
            ..CheckOptions::default()
        }
    }

    /// The same options with this profile (`None`: detect it).
    pub fn with_profile(self, profile: Option<Profile>) -> CheckOptions {
        CheckOptions { profile, ..self }
    }

    /// The same options with the file's size.
    pub fn with_file_size(self, size: u64) -> CheckOptions {
        CheckOptions {
            file_size: Some(size),
            ..self
        }
    }

    /// The profile `doc` is checked under: the chosen one, else detected.
    pub fn profile_of(&self, doc: &Document) -> Profile {
        self.profile
            .unwrap_or_else(|| Profile::detect(doc, self.path_text().as_deref()))
    }

    /// The path as text, for the rules that read folder and file names.
    pub(crate) fn path_text(&self) -> Option<String> {
        self.path.as_ref().map(|p| p.to_string_lossy().into_owned())
    }
}

/// `path` made absolute, with its folder's symbolic links resolved. The
/// file name itself is kept as given: the client reads a file by the name
/// it has in its folder, so a link named `status.mif` is a `.mif` file to
/// it, whatever it points to.
pub fn canonical_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        return absolute;
    };
    match std::fs::canonicalize(parent) {
        Ok(folder) => folder.join(name),
        Err(_) => absolute,
    }
}

/// Every diagnostic for a document: its syntax diagnostics and the rules
/// of its profile, less what the file's `// mif: allow` comments silence,
/// with the severities the team chose ([`Severities`]); in [`sort`]'s
/// order. On a file with syntax errors the rules judge the parts that
/// parsed, and only their findings that do not depend on a broken part
/// are kept (see `intact.rs`); a file that is not MIF text gets its one
/// diagnostic and nothing else.
pub fn check(doc: &Document, options: &CheckOptions) -> Vec<Diagnostic> {
    let sound = !doc.diagnostics.iter().any(intact::breaks_tree);
    let syntax = doc.diagnostics.iter().map(|d| suppress::Found {
        diagnostic: d.clone(),
        syntax: true,
    });
    let mut found: Vec<suppress::Found> = syntax.collect();
    if doc.source.foreign().is_none() {
        let profile = options.profile_of(doc);
        let rules = if sound {
            crate::rules::run(doc, profile, options)
        } else {
            intact::findings_beside_errors(doc, profile, options)
        };
        found.extend(rules.into_iter().map(|diagnostic| suppress::Found {
            diagnostic,
            syntax: false,
        }));
    }
    let mut diagnostics: Vec<Diagnostic> = suppress::apply(doc, found, sound)
        .into_iter()
        .filter_map(|f| options.severities.apply(f.diagnostic, f.syntax))
        .collect();
    sort(&mut diagnostics);
    diagnostics
}

/// Judge a reformatted file: formatting keeps every token (the
/// printer's safety net proves it), so the check finds on the output what
/// it found on the input, except for the rules on the file's size, which
/// are judged here on the sizes before and after. `profile` gives the
/// file's profile; it is asked only when the size crosses a limit.
pub fn judge_resize(before: u64, after: u64, profile: impl FnOnce() -> Profile) -> Judgement {
    let limits = crate::model::inventory::SIZE_LIMITS;
    if !limits.iter().any(|&limit| before <= limit && limit < after) {
        return Judgement::default();
    }
    let profile = profile();
    let old = crate::rules::size_findings(profile, before);
    let new = crate::rules::size_findings(profile, after);
    judge(&old, &new, &[], false)
}

/// The one order diagnostics are shown in, by every command and the
/// language server, so that the root cause comes first: errors, then
/// warnings, then notes; within each, what is wrong with how the file's
/// bytes are written (it may explain everything read from them) before
/// the rest, and the rest in source order; otherwise in the order found.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| {
        (
            Reverse(d.severity),
            !READING_CODES.contains(&d.code),
            d.span.start,
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reformatted_file_is_judged_on_its_new_size() {
        let kb = 1024;
        let asked = std::cell::Cell::new(0);
        let inventory = || {
            asked.set(asked.get() + 1);
            Profile::NoIdMif
        };
        assert!(judge_resize(100 * kb, 200 * kb, inventory).allows());
        assert_eq!(asked.get(), 0, "no limit crossed, no profile needed");
        let grown = judge_resize(5000 * kb, 5200 * kb, inventory);
        assert_eq!(
            grown.refusals[0].diagnostic.code,
            "mif::inventory-too-large"
        );
        let warned = judge_resize(240 * kb, 260 * kb, inventory);
        assert!(warned.allows());
        assert_eq!(
            warned.warnings[0].diagnostic.code,
            "mif::inventory-over-default-size"
        );
        assert!(judge_resize(5000 * kb, 5200 * kb, || Profile::Dmi).allows());
    }

    #[test]
    fn the_verdict_does_not_depend_on_how_the_path_is_typed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Noidmifs");
        std::fs::create_dir(&folder).unwrap();
        let doc = Document::parse(b"START COMPONENT\nNAME = \"x\"\nEND COMPONENT\n");
        let absolute = CheckOptions::for_path(&folder.join("asset.mif"));
        let dotted = CheckOptions::for_path(&folder.join(".").join("asset.mif"));
        assert_eq!(absolute, dotted);
        assert_eq!(absolute.profile_of(&doc), Profile::NoIdMif);
        #[cfg(unix)]
        {
            let link = dir.path().join("inventory");
            std::os::unix::fs::symlink(&folder, &link).unwrap();
            let through_link = CheckOptions::for_path(&link.join("asset.mif"));
            assert_eq!(through_link.profile_of(&doc), Profile::NoIdMif);
        }
    }
}
