//! The check across files: a group class that several files define must
//! have one signature (attribute names, IDs, types, lengths, keys) in all
//! of them (rule N6, [`crate::model::signature`]).
//!
//! Files are checked one at a time, in any order and on any thread; each
//! gives its [`FileClasses`]. [`compare_classes`] then compares them in
//! the files' order: the first file to define a class is the reference,
//! and every later file that defines it otherwise gets one finding,
//! naming the reference's file.
//!
//! ```
//! use mif::check::{compare_classes, FileClasses};
//! use mif::{CheckOptions, Document};
//!
//! let asset = |size: u32| {
//!     Document::parse(format!(
//!         "START COMPONENT NAME = \"c\"\n\
//!          START GROUP NAME = \"Asset\" ID = 1 CLASS = \"ACME|Asset|1.0\"\n\
//!          START ATTRIBUTE NAME = \"Tag\" ID = 1 TYPE = STRING({size}) VALUE = \"a\" END ATTRIBUTE\n\
//!          END GROUP END COMPONENT\n"
//!     ).as_bytes())
//! };
//! let options = CheckOptions::default();
//! let a = FileClasses::collect(&asset(32), &options);
//! let b = FileClasses::collect(&asset(64), &options);
//! let found = compare_classes(&[("a.mif", &a), ("b.mif", &b)]);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].file, 1);
//! assert_eq!(found[0].diagnostic.code, "mif::inventory-class-mismatch");
//! ```

use std::collections::HashMap;

use super::suppress;
use super::{CheckOptions, Severities};
use crate::diagnostics::Diagnostic;
use crate::model::classes::is_component_id;
use crate::model::signature::{signatures, ClassSignature};
use crate::model::Profile;
use crate::rules::classes::{class_mismatch, CLASS_MISMATCH};
use crate::syntax::Document;

/// The codes only a check across files reports: a file's own check never
/// finds them, so a `// mif: allow` of one is not unused there.
pub(crate) const ACROSS_FILES: [&str; 1] = [CLASS_MISMATCH];

/// What one file gives the comparison: the classes it defines, and how
/// its findings are to be reported.
#[derive(Debug, Clone, Default)]
pub struct FileClasses {
    signatures: Vec<ClassSignature>,
    /// Per signature: whether the file's `// mif: allow` comments silence
    /// a finding on its group.
    silenced: Vec<bool>,
    profile: Option<Profile>,
    severities: Severities,
}

impl FileClasses {
    /// The classes `doc` defines, as the check with `options` sees the
    /// file. A file with syntax errors, and a status MIF (whose groups
    /// never become inventory classes), gives none; outside the inventory
    /// profiles the ComponentID class is left out.
    pub fn collect(doc: &Document, options: &CheckOptions) -> FileClasses {
        let profile = options.profile_of(doc);
        if doc.has_errors() || profile == Profile::Status {
            return FileClasses::default();
        }
        // Outside the inventory profiles the ComponentID group is each
        // DMI component's own description, which the service layer never
        // merges into one table: vendors fill it as they like.
        let signatures: Vec<ClassSignature> = signatures(doc)
            .into_iter()
            .filter(|s| profile.is_inventory() || !is_component_id(&s.class))
            .collect();
        let silenced = signatures
            .iter()
            .map(|s| suppress::silences(doc, CLASS_MISMATCH, s.span.start))
            .collect();
        FileClasses {
            signatures,
            silenced,
            profile: Some(profile),
            severities: options.severities.clone(),
        }
    }

    /// The classes, each by the first group that defines it.
    pub fn signatures(&self) -> &[ClassSignature] {
        &self.signatures
    }

    /// Whether the file defines no class.
    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
    }
}

/// A finding of the comparison: on which file, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFinding {
    /// The index of the file in the slice given to [`compare_classes`].
    pub file: usize,
    /// The finding; its span points into that file's text.
    pub diagnostic: Diagnostic,
}

/// Compare the classes of `files` (each with the name to call it by), in
/// order: each file that defines a class otherwise than the first file
/// to define it gets one finding per class, naming that file. Findings
/// come in file order, then the order of the file's groups; a file's
/// severities and `// mif: allow` comments apply to its findings.
pub fn compare_classes(files: &[(&str, &FileClasses)]) -> Vec<ClassFinding> {
    let mut first: HashMap<&str, (usize, &ClassSignature)> = HashMap::new();
    let mut found = Vec::new();
    for (file, (_, classes)) in files.iter().enumerate() {
        let Some(profile) = classes.profile else {
            continue;
        };
        for (signature, silenced) in classes.signatures.iter().zip(&classes.silenced) {
            let Some(&(there_file, there)) = first.get(signature.class.as_str()) else {
                first.insert(&signature.class, (file, signature));
                continue;
            };
            let differences = signature.differences(there);
            if differences.is_empty() || *silenced {
                continue;
            }
            let diagnostic =
                class_mismatch(profile, signature, there, files[there_file].0, &differences);
            if let Some(diagnostic) = classes.severities.apply(diagnostic, false) {
                found.push(ClassFinding { file, diagnostic });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component_id(size: u32) -> Document {
        Document::parse_str(&format!(
            "START COMPONENT NAME = \"c\"\n\
             START GROUP NAME = \"ComponentID\" ID = 1 CLASS = \"DMTF|ComponentID|1.0\"\n\
             START ATTRIBUTE NAME = \"Product\" ID = 2 TYPE = STRING({size}) VALUE = \"p\" END ATTRIBUTE\n\
             END GROUP END COMPONENT\n"
        ))
    }

    #[test]
    fn vendors_fill_component_id_as_they_like_outside_inventory() {
        let compare = |options: &CheckOptions| {
            let a = FileClasses::collect(&component_id(32), options);
            let b = FileClasses::collect(&component_id(64), options);
            compare_classes(&[("a.mif", &a), ("b.mif", &b)]).len()
        };
        assert_eq!(compare(&CheckOptions::default()), 0);
        let inventory = CheckOptions::default().with_profile(Some(Profile::NoIdMif));
        assert_eq!(compare(&inventory), 1);
    }
}
