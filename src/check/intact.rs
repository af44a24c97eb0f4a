//! The rules beside syntax errors: which findings on a broken file stand.
//!
//! A syntax error breaks the definition it is in, not the file: one group
//! with `TYPE = FLOAT` must not hide a duplicate ID in two others. So the
//! rules run on a broken file too, and their findings are kept only where
//! they cannot depend on what the parser could not read:
//!
//! - the parts are the component's own items (its groups, tables, enums
//!   and paths) and the statements before it; a part is **broken** when a
//!   syntax error lies in it, its nested blocks included (the parser
//!   reports every syntax error inside the construct it is about, and
//!   recovery never carries one into the next item: an unclosed block is
//!   reported at its own START);
//! - a finding stands only if every place it names (its label and its
//!   related places) lies in an intact part: a finding about the file or
//!   the component as a whole ("no group has ID 1", the file's size or
//!   name) waits until the syntax is clean;
//! - and it must be found both on the tree as recovered and on the tree
//!   without its broken parts, so that it neither relies on a broken
//!   part's remains (an enum's surviving items) nor on its absence (a
//!   reference to an enum whose definition is broken is not "undefined").
//!
//! Nothing is guessed: a finding that depends on a broken part is dropped.
//! Writers still refuse a file with syntax errors, whatever its findings.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::Profile;
use crate::source::MISSING_BOM;
use crate::span::Span;
use crate::syntax::{Document, Item, MAX_ERRORS};

use super::CheckOptions;

/// Whether a diagnostic is an error that may leave part of the tree
/// unread. A UTF-16 file without its byte-order mark is an error (no DMI
/// reader takes it), but it is read in full.
pub(super) fn breaks_tree(diagnostic: &Diagnostic) -> bool {
    diagnostic.is_error() && diagnostic.code != MISSING_BOM
}

/// The rule findings on a document with syntax errors that stand (see
/// the module's documentation), in the order the rules find them.
pub(super) fn findings_beside_errors(
    doc: &Document,
    profile: Profile,
    options: &CheckOptions,
) -> Vec<Diagnostic> {
    let errors: Vec<Span> = doc
        .diagnostics
        .iter()
        .filter(|d| breaks_tree(d))
        .map(|d| d.span)
        .collect();
    // Past the error cap, where the other errors are is not known.
    if errors.len() >= MAX_ERRORS {
        return Vec::new();
    }
    let parts = Parts::of(doc);
    let intact: Vec<Span> = parts
        .spans
        .iter()
        .copied()
        .filter(|part| !errors.iter().any(|error| part.holds(error.start)))
        .collect();
    if intact.is_empty() {
        return Vec::new();
    }
    let recovered = crate::rules::run(doc, profile, options);
    let without_broken = crate::rules::run(&Parts::pruned(doc, &intact), profile, options);
    let mut found_without: HashMap<(&str, Span), Vec<&Diagnostic>> = HashMap::new();
    for finding in &without_broken {
        found_without
            .entry((finding.code, finding.span))
            .or_default()
            .push(finding);
    }
    let in_intact_part = |place: Span| {
        // Parts are in source order: the one that may hold a place is the
        // last that starts at or before it.
        let after = intact.partition_point(|part| part.start <= place.start);
        after > 0 && intact[after - 1].covers(place)
    };
    recovered
        .into_iter()
        .filter(|finding| {
            std::iter::once(finding.span)
                .chain(finding.related.iter().map(|(place, _)| *place))
                .all(in_intact_part)
                && found_without
                    .get(&(finding.code, finding.span))
                    .is_some_and(|same| same.contains(&finding))
        })
        .collect()
}

/// The parts of a document the rules judge one by one.
struct Parts {
    /// Where each part is in the text.
    spans: Vec<Span>,
}

impl Parts {
    /// The items of the (first) component and the top-level items other
    /// than it.
    fn of(doc: &Document) -> Parts {
        let component = doc.component();
        let mut spans = Vec::new();
        for item in &doc.items {
            match item {
                Item::Block(block) if component.is_some_and(|c| std::ptr::eq(c, block)) => {
                    spans.extend(block.items.iter().map(Item::span));
                }
                other => spans.push(other.span()),
            }
        }
        Parts { spans }
    }

    /// The document with only its intact parts (and its component's
    /// frame), for the rules to run on.
    fn pruned(doc: &Document, intact: &[Span]) -> Document {
        let keep = |item: &Item| intact.binary_search(&item.span()).is_ok();
        let component = doc.component();
        let items = doc
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Block(block) if component.is_some_and(|c| std::ptr::eq(c, block)) => {
                    let mut component = block.clone();
                    component.items.retain(keep);
                    Some(Item::Block(component))
                }
                other => keep(other).then(|| other.clone()),
            })
            .collect();
        Document {
            source: doc.source.clone(),
            tokens: doc.tokens.clone(),
            items,
            diagnostics: Vec::new(),
        }
    }
}

/// Span tests for parts.
trait Holds {
    /// Whether an error at `offset` lies in the part.
    fn holds(&self, offset: usize) -> bool;
    /// Whether a finding's place lies in the part.
    fn covers(&self, place: Span) -> bool;
}

impl Holds for Span {
    fn holds(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    fn covers(&self, place: Span) -> bool {
        self.start <= place.start && place.end <= self.end
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::Document;
    use crate::CheckOptions;

    const COMPONENT_ID: &str = "START GROUP NAME = \"ComponentID\" ID = 1 \
        CLASS = \"DMTF|ComponentID|1.0\" END GROUP\n";

    fn codes(groups: &str) -> Vec<&'static str> {
        let doc = Document::parse_str(&format!(
            "START COMPONENT\nNAME = \"c\"\n{groups}END COMPONENT\n"
        ));
        let mut codes: Vec<_> = crate::check(&doc, &CheckOptions::default())
            .iter()
            .map(|d| d.code)
            .collect();
        codes.sort();
        codes
    }

    fn group(id: u32, attributes: &str) -> String {
        format!(
            "START GROUP\nNAME = \"g{id}\"\nID = {id}\nCLASS = \"a|b|1\"\n{attributes}END GROUP\n"
        )
    }

    fn attribute(id: u32, kind: &str, value: &str) -> String {
        format!(
            "START ATTRIBUTE\nNAME = \"a{id}\"\nID = {id}\nTYPE = {kind}\nVALUE = {value}\nEND ATTRIBUTE\n"
        )
    }

    #[test]
    fn a_broken_group_hides_nothing_in_the_others() {
        let broken = group(
            2,
            &(attribute(1, "FLOAT", "1") + &attribute(1, "STRING(1)", "\"long\"")),
        );
        let other = group(
            3,
            &(attribute(1, "INTEGER", "99999999999") + &attribute(1, "INTEGER", "1")),
        );
        let third = group(3, "");
        assert_eq!(
            codes(&format!("{COMPONENT_ID}{broken}{other}{third}")),
            [
                "mif::duplicate-id",
                "mif::duplicate-id",
                "mif::integer-out-of-range",
                "mif::unknown-type"
            ]
        );
    }

    #[test]
    fn findings_that_depend_on_a_broken_part_are_dropped() {
        // The enum's definition is broken: a reference to it is not
        // "undefined", and its values cannot be judged.
        let broken_enum =
            "START ENUM\nNAME = \"e\"\nTYPE = INTEGER\n1 = \"one\"\n2 = two\nEND ENUM\n";
        let uses = group(2, &attribute(1, "\"e\"", "2"));
        assert_eq!(
            codes(&format!("{COMPONENT_ID}{broken_enum}{uses}")),
            ["mif::unquoted-string"]
        );
        // Group 1 is broken: whether the component has its ComponentID
        // group is not known, nor anything else about the whole.
        let broken_first = group(1, &attribute(1, "FLOAT", "1"));
        assert_eq!(codes(&broken_first), ["mif::unknown-type"]);
    }

    #[test]
    fn a_utf16_file_without_its_mark_gets_every_finding() {
        let text = "START COMPONENT\r\nNAME = \"c\"\r\nEND COMPONENT\r\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let doc = Document::parse(&bytes);
        let codes: Vec<_> = crate::check(&doc, &CheckOptions::default())
            .iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(
            codes,
            ["mif::utf16-without-bom", "mif::missing-componentid"]
        );
    }
}
