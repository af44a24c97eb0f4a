//! Formatting edits, derived from the tokens instead of a text diff.
//!
//! The formatter changes layout and nothing else: its safety net proves
//! that the output holds the input's tokens in order, each spelled the
//! same but for the case of words (and a comment's trailing blanks, which
//! it drops). So the two texts differ only in the gaps between those
//! tokens (blanks, line breaks) and in the case of words, and one walk
//! over both token lists finds every difference: one edit per changed gap
//! or word, in linear time, however messy or large the file.
//!
//! Each edit stays inside its gap or word, so any subset of the edits is
//! the same file with some of the layout changed: range formatting takes
//! the edits whose gap touches the range or whose word overlaps it, and
//! can never cut a token or half a change (which a character diff does).

use lsp_types::{Position, TextEdit};

use super::position::LineMap;
use crate::lexer::{Lexer, Token, TokenKind};
use crate::span::Span;

/// One difference between the text and its formatted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What to replace in the old text.
    pub span: Span,
    /// The replacement.
    pub text: String,
    /// The whole gap or word the change is in, which decides whether it
    /// belongs to a range.
    pub extent: Span,
    /// A gap between tokens (else a word whose case changed).
    pub is_gap: bool,
}

impl Change {
    /// Whether range formatting over `range` makes this change: a gap
    /// when it touches the range, a word when it overlaps it.
    pub fn belongs_to(&self, range: Span) -> bool {
        if self.is_gap {
            self.extent.start <= range.end && range.start <= self.extent.end
        } else {
            self.extent.start < range.end && range.start < self.extent.end
        }
    }
}

/// The output's tokens are not the input's: never expected, as the
/// formatter's safety net checks exactly this before any output is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSameTokens {
    /// Byte offset in the old text where they part.
    pub at: usize,
}

/// Every change that turns `old` into `new` (its formatted form), in
/// order, not overlapping, with spans in `old`.
pub fn changes(old: &str, new: &str) -> Result<Vec<Change>, NotSameTokens> {
    let mut changes = Vec::new();
    let mut old_tokens = meaningful(old);
    let mut new_tokens = meaningful(new);
    let (mut old_end, mut new_end) = (0, 0);
    loop {
        let (a, b) = (old_tokens.next(), new_tokens.next());
        let old_next = a.map_or(old.len(), |t| t.span().start);
        let new_next = b.map_or(new.len(), |t| t.span().start);
        gap_change(
            old,
            Span::new(old_end, old_next),
            &new[new_end..new_next],
            &mut changes,
        );
        let (a, b) = match (a, b) {
            (None, None) => return Ok(changes),
            (Some(a), Some(b)) => (a, b),
            _ => return Err(NotSameTokens { at: old_next }),
        };
        let (old_core, new_core) = (core(a, old), core(b, new));
        let (old_word, new_word) = (&old[old_core.range()], &new[new_core.range()]);
        if a.kind != b.kind {
            return Err(NotSameTokens { at: old_core.start });
        }
        if old_word != new_word {
            if a.kind != TokenKind::Word || !old_word.eq_ignore_ascii_case(new_word) {
                return Err(NotSameTokens { at: old_core.start });
            }
            changes.push(Change {
                span: old_core,
                text: new_word.to_string(),
                extent: old_core,
                is_gap: false,
            });
        }
        (old_end, new_end) = (old_core.end, new_core.end);
    }
}

/// The tokens that are not layout: all but blanks and line breaks.
fn meaningful(text: &str) -> impl Iterator<Item = Token> + '_ {
    Lexer::new(text).filter(|t| !matches!(t.kind, TokenKind::Whitespace | TokenKind::Newline))
}

/// A token's text as the formatter keeps it: a comment without its
/// trailing blanks (they belong to the gap after it).
fn core(token: Token, text: &str) -> Span {
    let span = token.span();
    if token.kind == TokenKind::Comment {
        let kept = token.text(text).trim_end_matches([' ', '\t']).len();
        Span::new(span.start, span.start + kept)
    } else {
        span
    }
}

/// The change of one gap, if it changed: only the part that differs (the
/// common start and end are kept), never between the two halves of a
/// `\r\n`, which no position can name.
fn gap_change(old: &str, gap: Span, new: &str, changes: &mut Vec<Change>) {
    let before = &old[gap.range()];
    if before == new {
        return;
    }
    let (a, b) = (before.as_bytes(), new.as_bytes());
    let splits_line_break = |x: &[u8], y: &[u8], at_x: usize, at_y: usize| {
        let inside = |s: &[u8], at: usize| {
            at > 0 && s.get(at - 1) == Some(&b'\r') && s.get(at) == Some(&b'\n')
        };
        inside(x, at_x) || inside(y, at_y)
    };
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while prefix > 0
        && (splits_line_break(a, b, prefix, prefix)
            || !before.is_char_boundary(prefix)
            || !new.is_char_boundary(prefix))
    {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while suffix > 0
        && (splits_line_break(a, b, a.len() - suffix, b.len() - suffix)
            || !before.is_char_boundary(a.len() - suffix)
            || !new.is_char_boundary(b.len() - suffix))
    {
        suffix -= 1;
    }
    changes.push(Change {
        span: Span::new(gap.start + prefix, gap.end - suffix),
        text: new[prefix..b.len() - suffix].to_string(),
        extent: gap,
        is_gap: true,
    });
}

/// The changes as protocol edits on `old`, in order; changes that touch
/// (a re-indent and the keyword after it) go as one edit, which halves
/// the edits of a messy file and the time a client takes to apply them.
///
/// An edit that ends a text lacking a final line break, and gives it one,
/// is made to end on the line after the last: clients clamp that position
/// to the end of the text, and Neovim, which keeps the final line break
/// outside the buffer's lines, then adds it without leaving an empty last
/// line behind (which a plain insertion at the end would, and the file
/// would be saved ending in two line breaks).
pub fn to_text_edits<'c>(
    old: &str,
    changes: impl IntoIterator<Item = &'c Change>,
) -> Vec<TextEdit> {
    let map = LineMap::new(old);
    let unterminated = !old.is_empty() && !old.ends_with(['\n', '\r']);
    let mut merged: Vec<(Span, String)> = Vec::new();
    for change in changes {
        match merged.last_mut() {
            Some((span, text)) if span.end == change.span.start => {
                span.end = change.span.end;
                text.push_str(&change.text);
            }
            _ => merged.push((change.span, change.text.clone())),
        }
    }
    merged
        .into_iter()
        .map(|(span, text)| {
            let mut range = map.range(span);
            if unterminated && span.end == old.len() && text.ends_with(['\n', '\r']) {
                range.end = Position::new(range.end.line + 1, 0);
            }
            TextEdit::new(range, text)
        })
        .collect()
}

/// Edits that turn `old` into `new` (its formatted form); with `only`,
/// just those belonging to that part of `old` (range formatting).
pub fn text_edits(
    old: &str,
    new: &str,
    only: Option<Span>,
) -> Result<Vec<TextEdit>, NotSameTokens> {
    let all = changes(old, new)?;
    let kept = all
        .iter()
        .filter(|change| only.is_none_or(|range| change.belongs_to(range)));
    Ok(to_text_edits(old, kept))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Apply protocol edits to a text, as a client does (a position past
    /// the last line is the end of the text).
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
        let edits = text_edits(old, new, None).unwrap();
        assert_eq!(apply(old, &edits), new, "edits: {edits:#?}");
        edits
    }

    #[test]
    fn identical_texts_need_no_edit() {
        let text = "START COMPONENT\nEND COMPONENT\n";
        assert!(check(text, text).is_empty());
        assert!(check("", "").is_empty());
    }

    #[test]
    fn reindenting_a_middle_line_touches_only_its_blanks() {
        let old = "START GROUP\nNAME = \"Größe\"\n  ID = 1\nEND GROUP\n";
        let new = "START GROUP\n  NAME = \"Größe\"\n  ID = 1\nEND GROUP\n";
        let edits = check(old, new);
        assert_eq!(edits.len(), 1, "{edits:#?}");
        assert_eq!(edits[0].range.start, Position::new(1, 0));
        assert_eq!(edits[0].range.end, Position::new(1, 0));
        assert_eq!(edits[0].new_text, "  ");
    }

    #[test]
    fn a_keyword_in_another_case_is_one_edit_of_the_word() {
        let old = "NAME = \"𝄞é\" id=1\n";
        let new = "NAME = \"𝄞é\" ID = 1\n";
        let edits = check(old, new);
        // "NAME = \"𝄞é\" " is 13 UTF-16 units (𝄞 counts two).
        assert_eq!(edits[0].range.start, Position::new(0, 13));
        assert_eq!(edits[0].range.end, Position::new(0, 15));
        // The word and the blank inserted after it touch: one edit.
        assert_eq!(edits[0].new_text, "ID ");
        assert_eq!(edits.len(), 2, "{edits:#?}");
        // A re-indent and the keyword after it touch: one edit.
        let edits = check("a\n\tid = 1\n", "a\n    ID = 1\n");
        assert_eq!(edits.len(), 1, "{edits:#?}");
        assert_eq!(edits[0].new_text, "    ID");
    }

    #[test]
    fn line_endings_and_blank_lines_apply() {
        check("a\r\nb\r\n", "a\nb\n");
        check("a\nb\n", "a\r\nb\r\n");
        check("a\n\n\n\nb\n\n", "a\n\nb\n");
        check("\n\n  a b", "a\nb\n");
        check("a\rb\r", "a\nb\n");
        check("a // x  \n  b", "a // x\nb\n");
        // No change starts or ends between the halves of a `\r\n`.
        for (old, new) in [("a\r\n\r\nb", "a\r\nb\r\n"), ("a\n b", "a\r\nb")] {
            check(old, new);
            for change in changes(old, new).unwrap() {
                for at in [change.span.start, change.span.end] {
                    assert!(!old[..at].ends_with('\r') || !old[at..].starts_with('\n'));
                }
            }
        }
    }

    #[test]
    fn a_final_line_break_is_added_past_the_last_line() {
        let edits = check("a\nb", "a\nb\n");
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].range.start, Position::new(1, 1));
        assert_eq!(edits[0].range.end, Position::new(2, 0));
        let edits = check("a\nb  ", "a\nb\n");
        assert_eq!(edits[0].range.end, Position::new(2, 0));
    }

    #[test]
    fn different_tokens_are_refused() {
        assert_eq!(text_edits("a b", "a c", None), Err(NotSameTokens { at: 2 }));
        assert!(text_edits("a", "a b", None).is_err());
        assert!(text_edits("\"x\"", "\"X\"", None).is_err());
        assert!(text_edits("// x", "// X", None).is_err());
    }

    #[test]
    fn a_range_takes_the_gaps_touching_it_and_the_words_in_it() {
        let old = "start group\n      start group\n";
        let new = "START GROUP\n    START GROUP\n";
        // Two of the blanks before the second `start`: the gap, not the word.
        let edits = text_edits(old, new, Some(Span::new(16, 18))).unwrap();
        assert_eq!(apply(old, &edits), "start group\n    start group\n");
        // Part of a word: all of it.
        let edits = text_edits(old, new, Some(Span::new(1, 2))).unwrap();
        assert_eq!(apply(old, &edits), "START group\n      start group\n");
        // A cursor between two gaps' worth: the gap it touches.
        let edits = text_edits(old, new, Some(Span::new(12, 12))).unwrap();
        assert_eq!(apply(old, &edits), "start group\n    start group\n");
    }

    proptest::proptest! {
        /// Words and literals laid out at random, and their canonical
        /// layout: the edits give the layout, and any range's edits give
        /// a text with the same tokens.
        #[test]
        fn edits_reproduce_the_layout_and_ranges_keep_the_tokens(
            tokens in proptest::collection::vec(
                ("(start|END|Name|=|\"a b\"|\"é𝄞\"|// c  |12|\\{|,)", "( |\t|\n|\r\n|  \n  |)"),
                0..30,
            ),
            cut in (0usize..400, 0usize..400),
        ) {
            let mut old = String::new();
            let mut new = String::new();
            for (token, layout) in &tokens {
                old.push_str(token);
                old.push_str(if token.starts_with("//") { "\n" } else { layout });
                if !old.ends_with(|c: char| c.is_whitespace()) { old.push(' '); }
                new.push_str(&if token.starts_with('"') || token.starts_with("//") {
                    token.trim_end().to_string()
                } else {
                    token.to_ascii_uppercase()
                });
                new.push('\n');
            }
            check(&old, &new);
            let (a, b) = (cut.0.min(old.len()), cut.1.min(old.len()));
            let range = Span::new(a.min(b), a.max(b));
            let edits = text_edits(&old, &new, Some(range)).unwrap();
            let partial = apply(&old, &edits);
            let words = |text: &str| -> Vec<String> {
                Lexer::new(text)
                    .filter(|t| !matches!(t.kind, TokenKind::Whitespace | TokenKind::Newline))
                    .map(|t| t.text(text).trim_end().to_ascii_uppercase())
                    .collect()
            };
            proptest::prop_assert_eq!(words(&partial), words(&old));
        }
    }
}
