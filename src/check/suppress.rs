//! Inline suppressions: a comment `// mif: allow(code, ...)` on a line of
//! its own silences those codes in the statement or block after it; at
//! the end of a line, on that line; `// mif: allow-file(code, ...)`
//! anywhere silences them in the whole file. A suppression that silences
//! nothing is itself reported (`mif::unused-allow`), so none outlives its
//! reason. Syntax errors are never silenced.

use crate::diagnostics::Diagnostic;
use crate::lexer::TokenKind;
use crate::span::Span;
use crate::syntax::{Document, Item, StatementValue, TypeExpr};

use super::severities::known_code;

/// One `// mif: allow(...)` comment.
struct Allow<'d> {
    /// The comment.
    comment: Span,
    /// Where it applies.
    scope: Span,
    /// The codes as written, each known or not, and whether it silenced
    /// anything.
    codes: Vec<(&'d str, Result<&'static str, String>, bool)>,
}

/// A diagnostic found by the check, and whether the parser reported it.
pub(crate) struct Found {
    pub diagnostic: Diagnostic,
    pub syntax: bool,
}

/// Drop what the file's comments allow; add a warning for each allowed
/// code that silenced nothing, unless `report_unused` is false (when the
/// rules did not run, nothing can be told of theirs).
pub(crate) fn apply(doc: &Document, found: Vec<Found>, report_unused: bool) -> Vec<Found> {
    let mut allows = allows(doc);
    if allows.is_empty() {
        return found;
    }
    let mut kept: Vec<Found> = found
        .into_iter()
        .filter(|f| {
            if f.syntax && f.diagnostic.is_error() {
                return true;
            }
            let at = f.diagnostic.span.start;
            let mut silenced = false;
            for allow in &mut allows {
                if at < allow.scope.start || at > allow.scope.end {
                    continue;
                }
                for (_, code, used) in &mut allow.codes {
                    if code.as_ref().is_ok_and(|c| *c == f.diagnostic.code) {
                        *used = true;
                        silenced = true;
                    }
                }
            }
            !silenced
        })
        .collect();
    if report_unused {
        for allow in &allows {
            for (name, code, used) in &allow.codes {
                // A code only the check across files reports cannot be
                // judged unused from one file.
                let across_files = code
                    .as_ref()
                    .is_ok_and(|c| super::classes::ACROSS_FILES.contains(c));
                if !used && !across_files {
                    kept.push(Found {
                        diagnostic: unused(allow.comment, name, code),
                        syntax: false,
                    });
                }
            }
        }
    }
    kept
}

/// Whether the file's comments silence `code` at offset `at` (for the
/// findings of the check across files, made after the file's own).
pub(crate) fn silences(doc: &Document, code: &str, at: usize) -> bool {
    allows(doc).iter().any(|allow| {
        allow.scope.start <= at
            && at <= allow.scope.end
            && allow
                .codes
                .iter()
                .any(|(_, known, _)| known.as_ref().is_ok_and(|c| *c == code))
    })
}

fn unused(comment: Span, name: &str, code: &Result<&'static str, String>) -> Diagnostic {
    let diagnostic = match code {
        Ok(code) => Diagnostic::warning(
            "mif::unused-allow",
            comment,
            format!("allow({name}) silences nothing here"),
        )
        .with_help(format!(
            "no {code} is reported where this comment applies (syntax errors are never \
             silenced); remove it, or put it on the line or above the block the diagnostic is on"
        )),
        Err(why) => Diagnostic::warning(
            "mif::unused-allow",
            comment,
            format!("allow({name}) names no diagnostic code"),
        )
        .with_help(why.clone()),
    };
    diagnostic.with_label("unused suppression")
}

/// The file's `// mif: allow` comments.
fn allows(doc: &Document) -> Vec<Allow<'_>> {
    let text = doc.text();
    let mut found = Vec::new();
    for (index, token) in doc.tokens.iter().enumerate() {
        if token.kind != TokenKind::Comment {
            continue;
        }
        let Some((whole_file, names)) = directive(token.text(text)) else {
            continue;
        };
        let comment = token.span();
        let scope = if whole_file {
            Span::new(0, text.len())
        } else if let Some(line) = trailing_line(doc, index) {
            line
        } else {
            next_item(doc, index).unwrap_or(comment)
        };
        let codes = names
            .iter()
            .map(|name| (*name, known_code(name), false))
            .collect();
        found.push(Allow {
            comment,
            scope,
            codes,
        });
    }
    found
}

/// `// mif: allow(a, b)` or `// mif: allow-file(a)`: whether it is for the
/// whole file, and the codes.
fn directive(comment: &str) -> Option<(bool, Vec<&str>)> {
    let body = comment.strip_prefix("//")?.trim();
    let body = body.strip_prefix("mif:")?.trim_start();
    let (whole_file, rest) = match body.strip_prefix("allow-file") {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix("allow")?),
    };
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let names: Vec<&str> = inner
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    Some((whole_file, names))
}

/// The comment's line, when something other than blanks comes before it
/// on that line.
fn trailing_line(doc: &Document, comment: usize) -> Option<Span> {
    let before = doc.tokens[..comment]
        .iter()
        .rev()
        .take_while(|t| t.kind != TokenKind::Newline)
        .any(|t| t.kind != TokenKind::Whitespace);
    if !before {
        return None;
    }
    let end = doc.tokens[comment].span().end;
    let start = doc.text()[..end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    Some(Span::new(start, end))
}

/// The statement, block, row or enum item that starts with the first
/// meaningful token after `comment`; failing that, that token's line.
fn next_item(doc: &Document, comment: usize) -> Option<Span> {
    let next = (comment + 1..doc.tokens.len()).find(|&i| !doc.tokens[i].kind.is_trivia())?;
    fn find(items: &[Item], token: usize) -> Option<Span> {
        for item in items {
            let tokens = item.tokens();
            if tokens.start == token {
                return Some(item.span());
            }
            if !tokens.indices().contains(&token) {
                continue;
            }
            match item {
                Item::Block(block) => return find(&block.items, token),
                Item::Statement(statement) => {
                    if let StatementValue::Type(TypeExpr::Enum(inline)) = &statement.value {
                        return find(&inline.items, token);
                    }
                }
                _ => {}
            }
        }
        None
    }
    find(&doc.items, next).or_else(|| {
        let span = doc.tokens[next].span();
        let text = doc.text();
        let end = text[span.end..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| span.end + i);
        Some(Span::new(span.start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::directive;

    #[test]
    fn directives_are_read_with_any_spacing() {
        assert_eq!(
            directive("// mif: allow(value-too-long, mif::duplicate-id)"),
            Some((false, vec!["value-too-long", "mif::duplicate-id"]))
        );
        assert_eq!(
            directive("//mif:allow-file( invalid-date )"),
            Some((true, vec!["invalid-date"]))
        );
        assert_eq!(directive("// mif allow(x)"), None);
        assert_eq!(directive("// mif: allowed(x)"), None);
    }
}
