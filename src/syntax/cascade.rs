//! Cascade control: one error per statement.
//!
//! The parser reports each problem where it meets it, and after an error
//! its recovery skips the rest of the line, so the tokens it skipped, and
//! the rest of a statement it could not read, may bring more findings:
//! a stray quote in the skipped text, a malformed value after a missing
//! `=`. Those are consequences, and they would bury the cause. So once the
//! file is parsed, each statement, block header or end, enum item, table
//! row and run of skipped tokens keeps its first error, and nothing else
//! said about it (a warning there is about text that is not read as
//! written). Problems with how the bytes are written are never dropped,
//! and what they explain is: a byte that does not decode is not also a
//! stray character.

use crate::diagnostics::Diagnostic;
use crate::lexer::Token;
use crate::source::{INVALID_ENCODING, READING_CODES};
use crate::span::Span;

use super::tree::{Block, Item, StatementValue, TokenRange, TypeExpr};

/// Drop the diagnostics that follow an error in the same unit (see the
/// module's documentation). `diagnostics` are in source order.
pub(super) fn keep_first_error_per_unit(
    items: &[Item],
    tokens: &[Token],
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !diagnostics.iter().any(Diagnostic::is_error) {
        return;
    }
    let mut units = Vec::new();
    collect_units(items, tokens, text, &mut units);
    units.retain(|unit| !unit.is_empty());
    units.sort();
    // The unit each diagnostic is in, if any: the last starting at or
    // before it, if it reaches that far.
    let unit_of = |diagnostic: &Diagnostic| {
        let at = diagnostic.span.start;
        let after = units.partition_point(|unit| unit.start <= at);
        (after > 0 && at < units[after - 1].end).then(|| after - 1)
    };
    let mut first_error: Vec<Option<usize>> = vec![None; units.len()];
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if !diagnostic.is_error() || READING_CODES.contains(&diagnostic.code) {
            continue;
        }
        if let Some(unit) = unit_of(diagnostic) {
            let first = &mut first_error[unit];
            let earlier = first.is_some_and(|f| diagnostics[f].span.start <= diagnostic.span.start);
            if !earlier {
                *first = Some(index);
            }
        }
    }
    // Bytes that do not decode are shown as U+FFFD, which is then a
    // stray character too: the decoding error says it already.
    let undecoded: Vec<Span> = diagnostics
        .iter()
        .filter(|d| d.code == INVALID_ENCODING)
        .map(|d| d.span)
        .collect();
    let mut index = 0;
    diagnostics.retain(|diagnostic| {
        let this = index;
        index += 1;
        if READING_CODES.contains(&diagnostic.code) {
            return true;
        }
        let at = diagnostic.span.start;
        !undecoded
            .iter()
            .any(|span| span.start <= at && at < span.end)
            && unit_of(diagnostic)
                .and_then(|unit| first_error[unit])
                .is_none_or(|first| first == this)
    });
}

/// The spans of the units of `items`, nested blocks included: each
/// statement (an inline enum's own items apart), enum item, row and
/// skipped run, and each block's START and END; in source order.
fn collect_units(items: &[Item], tokens: &[Token], text: &str, units: &mut Vec<Span>) {
    for item in items {
        match item {
            Item::Block(block) => collect_block(block, tokens, text, units),
            // What recovery skipped on the line where the last unit ended
            // is the rest of that unit (`TYPE = STRNG(8)`: the `(8)`).
            Item::Error(skipped) => match units.last_mut() {
                Some(last)
                    if last.end <= skipped.span.start
                        && !text[last.end..skipped.span.start].contains(['\n', '\r']) =>
                {
                    last.end = skipped.span.end;
                }
                _ => units.push(skipped.span),
            },
            Item::Statement(statement) => match &statement.value {
                StatementValue::Type(TypeExpr::Enum(inline)) => {
                    // `TYPE = START ENUM`: the statement up to the enum's
                    // items is the enum's header.
                    let head = span_of(tokens, inline.head);
                    units.push(Span::new(statement.span.start, head.end));
                    collect_units(&inline.items, tokens, text, units);
                    if let Some(tail) = inline.tail {
                        units.push(span_of(tokens, tail));
                    }
                }
                _ => units.push(statement.span),
            },
            other => units.push(other.span()),
        }
    }
}

fn collect_block(block: &Block, tokens: &[Token], text: &str, units: &mut Vec<Span>) {
    units.push(block.head_span);
    collect_units(&block.items, tokens, text, units);
    if let Some(tail) = block.tail {
        units.push(span_of(tokens, tail));
    }
}

/// The text span of a run of tokens; empty for an empty run.
fn span_of(tokens: &[Token], range: TokenRange) -> Span {
    match (
        tokens.get(range.start),
        tokens.get(range.end.wrapping_sub(1)),
    ) {
        (Some(first), Some(last)) if range.start < range.end => {
            Span::new(first.span().start, last.span().end)
        }
        _ => Span::default(),
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::Document;

    /// The syntax diagnostics of `text` inside an attribute.
    fn codes(text: &str) -> Vec<&'static str> {
        let doc = Document::parse_str(&format!(
            "START COMPONENT\nNAME = \"c\"\nSTART GROUP\nNAME = \"g\"\nID = 2\n\
             START ATTRIBUTE\n{text}END ATTRIBUTE\nEND GROUP\nEND COMPONENT\n"
        ));
        doc.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_statement_gets_one_error() {
        assert_eq!(codes("TYPE = STRNG(8)\n"), ["mif::unknown-type"]);
        assert_eq!(codes("NAMe \"y\" ~ \"z\n"), ["mif::expected-equals"]);
        assert_eq!(
            codes("NAME = \"a\\x \\400\"\n"),
            ["mif::invalid-escape"],
            "the first of two bad escapes"
        );
        assert_eq!(codes("NAME = \"x\" BOGUS \"\n"), ["mif::unknown-keyword"]);
    }

    #[test]
    fn errors_in_different_statements_are_all_reported() {
        assert_eq!(
            codes("NAME = x\nDESCRIPTION = y\n"),
            ["mif::unquoted-string", "mif::unquoted-string"]
        );
        assert_eq!(
            codes("NAME = \"x\" ID = 0x\nTYPE = FLOAT\n"),
            ["mif::invalid-integer", "mif::unknown-type"],
        );
    }

    #[test]
    fn a_byte_that_does_not_decode_is_not_also_a_stray_character() {
        let doc = Document::parse(b"\xFF\xFES\x00T\x00\x00\xD8A\x00");
        let codes: Vec<_> = doc.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"mif::invalid-encoding"), "{codes:?}");
        assert!(!codes.contains(&"mif::stray-character"), "{codes:?}");
    }
}
