//! Quick fixes: for each diagnostic whose help names a mechanical fix,
//! the edit that makes it (close the string, quote the text, add `=`,
//! spell the status word, close the block, `PATHS` -> `PATH`, cut the
//! value to its size as `--truncate` does).
//!
//! A fix is a write like any other, and is judged as one: the fixed text
//! is checked by the one check and compared with the findings before
//! ([`crate::check::judge`]); a fix that leaves a new error, or does not
//! remove what it fixes, is not offered.

use crate::check::{check, judge, Change, CheckOptions};
use crate::diagnostics::Diagnostic;
use crate::edit::truncated;
use crate::lexer::{Keyword, TokenKind};
use crate::model::status::StatusWord;
use crate::source::Source;
use crate::span::Span;
use crate::syntax::{encode_string_for, Block, BlockKind, Document, Item, StatementValue, Value};

/// One quick fix: what it does, and its replacements in the old text (in
/// order, not overlapping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
}

impl Fix {
    fn one(title: impl Into<String>, span: Span, text: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![(span, text.into())],
        }
    }

    /// The text with the fix made.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (span, new) in &self.edits {
            out.push_str(&text[at..span.start]);
            out.push_str(new);
            at = span.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Where each replaced piece was and is, for the judge.
    fn changes(&self) -> Vec<Change> {
        let mut grown: isize = 0;
        self.edits
            .iter()
            .map(|(span, new)| {
                let start = span.start.saturating_add_signed(grown);
                grown += new.len() as isize - span.len() as isize;
                Change {
                    before: *span,
                    after: Span::new(start, start + new.len()),
                }
            })
            .collect()
    }
}

/// The fix for `diagnostic` (one of `findings`, the check's findings on
/// `doc`), when it has a mechanical one that the judge lets through.
pub fn fix_for(
    doc: &Document,
    diagnostic: &Diagnostic,
    findings: &[Diagnostic],
    options: &CheckOptions,
) -> Option<Fix> {
    let fix = propose(doc, diagnostic, options)?;
    let fixed = Document::from_source(Source::from_text(
        fix.apply(doc.text()),
        doc.source.encoding,
    ));
    // On broken syntax the check skips the rules, so the findings before
    // hold none: what a fix of the syntax is answerable for is the syntax.
    let after = if doc.has_errors() {
        let mut syntax = fixed.diagnostics.clone();
        crate::check::sort(&mut syntax);
        syntax
    } else {
        check(&fixed, options)
    };
    let count = |found: &[Diagnostic]| found.iter().filter(|d| d.code == diagnostic.code).count();
    let judgement = judge(findings, &after, &fix.changes(), true);
    (judgement.allows() && count(&after) < count(findings)).then_some(fix)
}

/// The fix the help of `diagnostic` names, not yet judged.
fn propose(doc: &Document, diagnostic: &Diagnostic, options: &CheckOptions) -> Option<Fix> {
    let text = doc.text();
    let span = diagnostic.span;
    match diagnostic.code {
        "mif::unterminated-string" => {
            let literal = text.get(span.range())?;
            let end = span.start + literal.trim_end_matches([' ', '\t', '\r', '\n']).len();
            Some(Fix::one("Add the closing `\"`", Span::new(end, end), "\""))
        }
        "mif::unquoted-string" => {
            let raw = text.get(span.range())?.trim();
            let quoted = encode_string_for(raw, doc.source.encoding.is_wide());
            Some(Fix::one("Put the text in quotes", span, quoted))
        }
        "mif::expected-equals" => Some(Fix::one("Add `=`", Span::new(span.end, span.end), " =")),
        "mif::status-value-case" | "mif::status-value-whitespace" => {
            let (_, value) = attribute_with_value(doc, span)?;
            let word = StatusWord::of(value).verdict()?.as_str();
            Some(Fix::one(
                format!("Write \"{word}\""),
                span,
                format!("\"{word}\""),
            ))
        }
        "mif::value-too-long"
        | "mif::status-field-too-long"
        | "mif::status-description-too-long" => {
            let (attribute, value) = attribute_with_value(doc, span)?;
            let kept = truncated(doc, options.profile_of(doc), attribute, value);
            let literal = encode_string_for(kept, doc.source.encoding.is_wide());
            let title = format!("Shorten to {} characters", kept.chars().count());
            Some(Fix::one(title, span, literal))
        }
        "mif::unclosed-block" | "mif::missing-end-component" => close_block(doc, diagnostic),
        "mif::paths-keyword" => paths_to_path(doc, span),
        _ => None,
    }
}

/// `END <kind>` for the block whose `START` the diagnostic marks: on a line
/// of its own before the place where it was expected (its related place),
/// else at the end of the file.
fn close_block(doc: &Document, diagnostic: &Diagnostic) -> Option<Fix> {
    let text = doc.text();
    let head = text.get(diagnostic.span.range())?;
    let kind = head
        .split_whitespace()
        .filter_map(Keyword::parse)
        .find_map(BlockKind::from_keyword)?;
    let end = format!("END {}", kind.name());
    let title = format!("Add {end}");
    let newline = line_break(text);
    let indent = indent_at(text, diagnostic.span.start);
    match diagnostic.related.first() {
        Some((place, _)) => {
            let line_start = text[..place.start]
                .rfind(['\n', '\r'])
                .map_or(0, |at| at + 1);
            if text[line_start..place.start].trim().is_empty() {
                let insert = format!("{indent}{end}{newline}");
                Some(Fix::one(title, Span::new(line_start, line_start), insert))
            } else {
                let insert = format!("{end} ");
                Some(Fix::one(title, Span::new(place.start, place.start), insert))
            }
        }
        None => {
            let before = if text.is_empty() || text.ends_with(['\n', '\r']) {
                ""
            } else {
                newline
            };
            let insert = format!("{before}{indent}{end}{newline}");
            Some(Fix::one(title, Span::new(text.len(), text.len()), insert))
        }
    }
}

/// `START PATHS` and its `END PATHS` spelt `PATH`, in the case written.
fn paths_to_path(doc: &Document, word: Span) -> Option<Fix> {
    let block = find_block(&doc.items, &|b: &Block| {
        b.kind == BlockKind::Path && b.head_span.start <= word.start && word.end <= b.head_span.end
    })?;
    let mut edits = vec![word];
    if let Some(tail) = block.tail {
        let token = doc.tokens[tail.indices()].iter().find(|t| {
            t.kind == TokenKind::Word && Keyword::parse(t.text(doc.text())) == Some(Keyword::Paths)
        })?;
        edits.push(token.span());
    }
    let edits = edits
        .into_iter()
        .map(|span| {
            let spelt = &doc.text()[span.range()];
            (span, spelt[..spelt.len().saturating_sub(1)].to_string())
        })
        .collect();
    Some(Fix {
        title: "Write PATH".to_string(),
        edits,
    })
}

/// The attribute whose `VALUE` string is at `span`, and the string.
fn attribute_with_value(doc: &Document, span: Span) -> Option<(&Block, &str)> {
    let attribute = find_block(&doc.items, &|b: &Block| {
        b.kind == BlockKind::Attribute && b.value().is_some_and(|v| v.span() == span)
    })?;
    match attribute.value()? {
        Value::String(literal) => Some((attribute, literal.value.as_str())),
        _ => None,
    }
}

/// The first block, at any depth (inline enums included), that `wanted`.
fn find_block<'d>(items: &'d [Item], wanted: &dyn Fn(&Block) -> bool) -> Option<&'d Block> {
    items.iter().find_map(|item| match item {
        Item::Block(block) if wanted(block) => Some(block),
        Item::Block(block) => find_block(&block.items, wanted),
        Item::Statement(statement) => match &statement.value {
            StatementValue::Type(crate::syntax::TypeExpr::Enum(block)) if wanted(block) => {
                Some(block)
            }
            StatementValue::Type(crate::syntax::TypeExpr::Enum(block)) => {
                find_block(&block.items, wanted)
            }
            _ => None,
        },
        _ => None,
    })
}

/// The text's first line break, `\n` when it has none.
fn line_break(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// The blanks that start the line `at` is on.
fn indent_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fix offered for the first finding with `code`, made.
    fn fixed(text: &str, code: &str) -> Option<String> {
        let doc = Document::parse_str(text);
        let options = CheckOptions::default();
        let findings = check(&doc, &options);
        let diagnostic = findings
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {findings:#?}"));
        fix_for(&doc, diagnostic, &findings, &options).map(|fix| fix.apply(text))
    }

    const GROUP: &str = "START COMPONENT\nNAME = \"x\"\nSTART GROUP\nNAME = \"g\"\nID = 1\n";

    #[test]
    fn syntax_fixes() {
        let text = format!("{GROUP}CLASS = \"a|b|1\nEND GROUP\nEND COMPONENT\n");
        let out = fixed(&text, "mif::unterminated-string").unwrap();
        assert!(out.contains("CLASS = \"a|b|1\"\n"), "{out}");

        let text = "START COMPONENT\nNAME = Not quoted \"here\"\nEND COMPONENT\n";
        let out = fixed(text, "mif::unquoted-string").unwrap();
        assert!(
            out.contains("NAME = \"Not quoted \\\"here\\\"\"\n"),
            "{out}"
        );

        let text = "START COMPONENT\nNAME \"x\"\nEND COMPONENT\n";
        let out = fixed(text, "mif::expected-equals").unwrap();
        assert!(out.contains("NAME = \"x\"\n"), "{out}");
    }

    #[test]
    fn blocks_are_closed_where_expected() {
        let text = "START COMPONENT\r\nNAME = \"x\"\r\n  START GROUP\r\n  NAME = \"g\"\r\n  START GROUP\r\nEND COMPONENT\r\n";
        let out = fixed(text, "mif::unclosed-block").unwrap();
        assert!(
            out.contains("  NAME = \"g\"\r\n  END GROUP\r\n  START GROUP"),
            "{out}"
        );
        let text =
            "START COMPONENT\nNAME = \"x\"\nSTART PATHS NAME = \"p\" WIN32 = \"a.dll\" END PATHS";
        let out = fixed(text, "mif::missing-end-component").unwrap();
        assert!(out.ends_with("END PATHS\nEND COMPONENT\n"), "{out}");
        let out = fixed(text, "mif::paths-keyword").unwrap();
        assert!(out.contains("START PATH NAME"), "{out}");
        assert!(
            out.contains("END PATH\n") || out.ends_with("END PATH"),
            "{out}"
        );
    }

    #[test]
    fn status_words_and_long_values() {
        let status = |value: &str| {
            format!(
                "START COMPONENT\nNAME = \"x\"\nSTART GROUP\nNAME = \"InstallStatus\"\nID = 2\n\
                 CLASS = \"MICROSOFT|JOBSTATUS|1.0\"\nSTART ATTRIBUTE\nNAME = \"Status\"\nID = 1\n\
                 TYPE = STRING(32)\nVALUE = {value}\nEND ATTRIBUTE\nEND GROUP\nEND COMPONENT\n"
            )
        };
        let out = fixed(&status("\"success\""), "mif::status-value-case").unwrap();
        assert!(out.contains("VALUE = \"Success\""), "{out}");
        let out = fixed(&status("\" Failed \""), "mif::status-value-whitespace").unwrap();
        assert!(out.contains("VALUE = \"Failed\""), "{out}");
        let long = status("\"Success, and a great deal more text than 32\"");
        let text = long.replace("NAME = \"Status\"", "NAME = \"Other\"");
        let out = fixed(&text, "mif::value-too-long").unwrap();
        assert!(
            out.contains("VALUE = \"Success, and a great deal more t\""),
            "{out}"
        );
    }
}
