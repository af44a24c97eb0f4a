//! Minimal text edits between a document and its formatted form.
//!
//! Replacing the whole document would move the editor's cursor and folds
//! and flood the undo history; instead the texts are diffed line by line,
//! and changed runs of lines again character by character, so a
//! re-indented line yields an edit of its leading blanks only.

use std::ops::Range;
use std::time::{Duration, Instant};

use lsp_types::TextEdit;
use similar::algorithms::{diff_deadline, Capture, Replace};
use similar::{Algorithm, DiffTag};

use super::position::LineMap;
use crate::span::Span;

/// How long one request may spend looking for the smallest edits. Myers'
/// diff costs length x changes, and formatting a messy file changes every
/// line: without a bound, a 300 KB file took 5 s and a 1 MB one nearly a
/// minute, with the editor waiting. Past the deadline, what is left is
/// replaced in larger pieces (still correct, merely less minimal).
const DIFF_BUDGET: Duration = Duration::from_millis(500);

/// Edits that turn `old` into `new`, in document order, not overlapping,
/// with ranges in `old`'s coordinates as the protocol wants. With `only`,
/// just the edits that touch that part of `old` (range formatting); any
/// subset of the edits applies cleanly, as each is independent.
pub fn text_edits(old: &str, new: &str, only: Option<Span>) -> Vec<TextEdit> {
    let map = LineMap::new(old);
    byte_edits(old, new)
        .into_iter()
        .filter(|(span, _)| only.is_none_or(|range| touches(*span, range)))
        .map(|(span, text)| TextEdit::new(map.range(span), text))
        .collect()
}

/// Whether an edit belongs to a range: it overlaps the range, or inserts
/// at its start (an insertion at its end belongs to what follows, unless
/// the range is empty).
fn touches(edit: Span, range: Span) -> bool {
    let starts_before_end = edit.start < range.end || edit.start == range.start;
    let ends_after_start = edit.end > range.start || edit.start == range.start;
    starts_before_end && ends_after_start
}

/// The edits as byte spans of `old` and their replacement text.
fn byte_edits(old: &str, new: &str) -> Vec<(Span, String)> {
    let mut edits = Vec::new();
    let deadline = Instant::now() + DIFF_BUDGET;
    let (old_lines, old_at) = pieces_and_offsets(old.split_inclusive('\n'));
    let (new_lines, new_at) = pieces_and_offsets(new.split_inclusive('\n'));
    for (tag, old_range, new_range) in changed_runs(&old_lines, &new_lines, Some(deadline)) {
        let old_span = Span::new(old_at[old_range.start], old_at[old_range.end]);
        let new_text = &new[new_at[new_range.start]..new_at[new_range.end]];
        if tag == DiffTag::Replace && Instant::now() < deadline {
            let old_text = &old[old_span.range()];
            refine(old_text, new_text, old_span.start, deadline, &mut edits);
        } else {
            edits.push((old_span, new_text.to_string()));
        }
    }
    edits
}

/// Character-level edits inside one changed run of lines. A `\r\n` stays
/// one unit, since the protocol has no position between its two halves.
fn refine(old: &str, new: &str, base: usize, deadline: Instant, edits: &mut Vec<(Span, String)>) {
    let (old_chars, old_at) = pieces_and_offsets(characters(old));
    let (new_chars, new_at) = pieces_and_offsets(characters(new));
    for (_, old_range, new_range) in changed_runs(&old_chars, &new_chars, Some(deadline)) {
        let span = Span::new(base + old_at[old_range.start], base + old_at[old_range.end]);
        let text = &new[new_at[new_range.start]..new_at[new_range.end]];
        edits.push((span, text.to_string()));
    }
}

/// The runs that differ between two sequences, as index ranges into each,
/// in order. Myers without `similar`'s Compact step, whose reported
/// positions can be wrong in similar 2.x (mitsuhiko/similar#78); positions
/// are counted here from the lengths of the operations, so they are right
/// whatever the indices the library reports.
fn changed_runs(
    old: &[&str],
    new: &[&str],
    deadline: Option<Instant>,
) -> Vec<(DiffTag, Range<usize>, Range<usize>)> {
    let mut hook = Replace::new(Capture::new());
    let Ok(()) = diff_deadline(
        Algorithm::Myers,
        &mut hook,
        old,
        0..old.len(),
        new,
        0..new.len(),
        deadline,
    );
    let (mut old_at, mut new_at) = (0, 0);
    let mut runs = Vec::new();
    for op in hook.into_inner().into_ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_run = old_at..old_at + old_range.len();
        let new_run = new_at..new_at + new_range.len();
        (old_at, new_at) = (old_run.end, new_run.end);
        if tag != DiffTag::Equal {
            runs.push((tag, old_run, new_run));
        }
    }
    runs
}

/// Characters of a text, with `\r\n` kept together.
fn characters(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        let len = if rest.starts_with("\r\n") {
            2
        } else {
            c.len_utf8()
        };
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        Some(piece)
    })
}

/// The pieces, and the byte offset where each starts plus the total length
/// (so piece `i` spans `offsets[i]..offsets[i + 1]`).
fn pieces_and_offsets<'a>(pieces: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, Vec<usize>) {
    let mut offsets = vec![0];
    let pieces: Vec<&str> = pieces
        .inspect(|piece| offsets.push(offsets[offsets.len() - 1] + piece.len()))
        .collect();
    (pieces, offsets)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Apply protocol edits to a text, as a client does.
    pub(crate) fn apply(text: &str, edits: &[TextEdit]) -> String {
        let map = LineMap::new(text);
        let mut spans: Vec<(Span, &str)> = edits
            .iter()
            .map(|e| (map.span(e.range), e.new_text.as_str()))
            .collect();
        spans.sort_by_key(|(span, _)| span.start);
        for pair in spans.windows(2) {
            assert!(pair[0].0.end <= pair[1].0.start, "overlapping edits");
        }
        let mut out = text.to_string();
        for (span, new_text) in spans.iter().rev() {
            out.replace_range(span.range(), new_text);
        }
        out
    }

    fn check(old: &str, new: &str) -> Vec<TextEdit> {
        let edits = text_edits(old, new, None);
        assert_eq!(apply(old, &edits), new, "edits: {edits:#?}");
        edits
    }

    #[test]
    fn identical_texts_need_no_edit() {
        assert!(check(
            "START COMPONENT\nEND COMPONENT\n",
            "START COMPONENT\nEND COMPONENT\n"
        )
        .is_empty());
        assert!(check("", "").is_empty());
    }

    #[test]
    fn reindenting_a_middle_line_touches_only_its_blanks() {
        let old = "START GROUP\nNAME = \"Größe\"\n  ID = 1\nEND GROUP\n";
        let new = "START GROUP\n  NAME = \"Größe\"\n  ID = 1\nEND GROUP\n";
        let edits = check(old, new);
        assert_eq!(edits.len(), 1, "{edits:#?}");
        assert_eq!(edits[0].range.start, lsp_types::Position::new(1, 0));
        assert_eq!(edits[0].range.end, lsp_types::Position::new(1, 0));
        assert_eq!(edits[0].new_text, "  ");
    }

    #[test]
    fn edits_after_non_ascii_use_utf16_columns() {
        let old = "NAME = \"𝄞é\" id=1\n";
        let new = "NAME = \"𝄞é\" ID = 1\n";
        let edits = check(old, new);
        // "NAME = \"𝄞é\" " is 13 UTF-16 units (𝄞 counts two).
        assert!(
            edits.iter().all(|e| e.range.start.character >= 13),
            "{edits:#?}"
        );
    }

    #[test]
    fn line_ending_changes_and_insertions_and_deletions_apply() {
        check("a\r\nb\r\nc\r\n", "a\nb\nc\n");
        check("a\nb\n", "a\r\nb\r\n");
        check("a\nb\nc", "a\nx\ny\nb\nc\n");
        check("a\nb\nc\nd\n", "a\nd\n");
        check("only old\n", "");
        check("", "only new\n");
        check("é\rü\r", "é\nü\n");
    }

    #[test]
    fn a_range_keeps_the_edits_that_touch_it() {
        let range = Span::new(10, 20);
        assert!(touches(Span::new(10, 10), range));
        assert!(touches(Span::new(5, 11), range));
        assert!(touches(Span::new(19, 25), range));
        assert!(!touches(Span::new(20, 20), range));
        assert!(!touches(Span::new(5, 10), range));
        assert!(!touches(Span::new(21, 22), range));
        assert!(touches(Span::new(3, 8), Span::new(5, 5)));
        assert!(touches(Span::new(5, 5), Span::new(5, 5)));
        assert!(!touches(Span::new(3, 5), Span::new(5, 5)));
        let edits = text_edits("a\nb\nc\n", " a\n b\n c\n", Some(Span::new(2, 4)));
        assert_eq!(apply("a\nb\nc\n", &edits), "a\n b\nc\n");
    }

    #[test]
    fn positions_do_not_come_from_the_librarys_compacted_indices() {
        // similar 2.7's Compact reports an insertion inside a deletion here.
        check("    end group\n", "      END group\n");
        check("    end group\n", "  END group\n");
        check("a\na\nb\nc\n", "c\na\nb\nb\nb\nb\n");
    }

    proptest::proptest! {
        #[test]
        fn any_edit_script_applies_cleanly(
            old in "(a|b| |é|𝄞|\r\n|\n|\r|START |end ){0,40}",
            new in "(a|b| |é|𝄞|\r\n|\n|\r|START |end ){0,40}",
        ) {
            check(&old, &new);
        }
    }

    #[test]
    fn unrelated_texts_still_transform() {
        check(
            "START COMPONENT\n  NAME = \"Ä\"\nEND COMPONENT",
            "// header\n\nstart component name = \"Ä\" end component\n",
        );
    }
}
