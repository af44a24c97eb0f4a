//! The canonical printer behind `mif fmt` (style: `docs/style.md`).
//!
//! It works from the typed tree plus the lossless token vector: the tree
//! says where statements, rows and blocks begin and end; the tokens between
//! them are the trivia (own-line comments, blank lines). Values keep their
//! source spelling; only layout and keyword case change. [`format_bytes`]
//! adds a safety net that re-parses the output and refuses anything that is
//! not provably the same file.

use std::fmt;

use crate::diagnostics::Diagnostic;
use crate::lexer::{self, Token, TokenKind};
use crate::source::{Source, Unmappable};
use crate::syntax::{Block, Document, Item, Statement, StatementValue, TypeExpr};

/// The formatter's few knobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    pub indent: Indent,
    pub line_ending: LineEndingChoice,
    pub keyword_case: KeywordCase,
}

impl Default for FormatOptions {
    /// The canonical style: 4 spaces, the file's own line ending, upper-case keywords.
    fn default() -> FormatOptions {
        FormatOptions {
            indent: Indent::Spaces(4),
            line_ending: LineEndingChoice::Auto,
            keyword_case: KeywordCase::Upper,
        }
    }
}

/// One level of indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indent {
    Spaces(u8),
    Tab,
}

/// Which line ending to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndingChoice {
    /// The file's first line ending outside string literals; LF when it has none.
    Auto,
    Lf,
    CrLf,
}

/// How to spell keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordCase {
    Upper,
    Lower,
    Preserve,
}

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse; these are its diagnostics (errors and warnings).
    Syntax(Vec<Diagnostic>),
    /// The safety net caught output that is not equivalent to the input.
    Unsafe { message: String },
    /// The output has a character the file's encoding cannot hold.
    Unencodable(Unmappable),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "the file has {errors} syntax error{}; fix {} first (`mif check` explains each)",
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "it" } else { "them" }
                )
            }
            FormatError::Unsafe { message } => write!(
                f,
                "internal error: the formatted text would not be equivalent to the input \
                 ({message}); nothing was changed, please report this"
            ),
            FormatError::Unencodable(unmappable) => write!(
                f,
                "the formatted text cannot be written in the file's encoding: {unmappable}"
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Canonical text for a document without syntax errors (decoded text; the caller encodes).
pub fn format_document(doc: &Document, options: &FormatOptions) -> Result<String, FormatError> {
    if doc.has_errors() {
        return Err(FormatError::Syntax(doc.diagnostics.clone()));
    }
    let mut printer = Printer::new(doc, options);
    printer.file(&doc.items);
    Ok(printer.out)
}

/// Whole pipeline: decode, parse, refuse on syntax errors, format, run the safety net, encode in the input's encoding/BOM.
pub fn format_bytes(bytes: &[u8], options: &FormatOptions) -> Result<Vec<u8>, FormatError> {
    let input = Document::parse(bytes);
    let text = format_document(&input, options)?;
    let out = input
        .source
        .encode(&text)
        .map_err(FormatError::Unencodable)?;
    verify(input, &out, &text, options)?;
    Ok(out)
}

/// The safety net: the output has the input's encoding, the same
/// meaningful tokens and comments, parses without errors, and formats to
/// itself.
fn verify(
    input: Document,
    out: &[u8],
    text: &str,
    options: &FormatOptions,
) -> Result<(), FormatError> {
    let unsafe_output = |message: String| FormatError::Unsafe { message };
    let output_source = Source::decode(out);
    if output_source.encoding != input.source.encoding {
        return Err(unsafe_output(format!(
            "the encoding changed from {} to {}",
            input.source.encoding, output_source.encoding
        )));
    }
    // Compare token streams before the output's tree is built, freeing the
    // input's tree first and its tokens after: this keeps the peak memory
    // near one document's instead of two.
    let Document {
        source: input_source,
        tokens: input_tokens,
        items,
        diagnostics,
    } = input;
    drop((items, diagnostics));
    same_tokens(
        meaningful(&input_tokens, &input_source.text),
        meaningful(&lexer::lex(&output_source.text), &output_source.text),
    )
    .map_err(unsafe_output)?;
    drop((input_tokens, input_source));
    let output = Document::from_source(output_source);
    if let Some(error) = output.diagnostics.iter().find(|d| d.is_error()) {
        return Err(unsafe_output(format!(
            "the output does not parse: {}",
            error.message
        )));
    }
    let again = format_document(&output, options)
        .map_err(|e| unsafe_output(format!("the output cannot be formatted again: {e}")))?;
    if again != text {
        return Err(unsafe_output(
            "formatting twice gives a different text".into(),
        ));
    }
    Ok(())
}

/// Compare meaningful tokens (words ignoring case) and comments (ignoring
/// trailing blanks), in order.
fn same_tokens<'a>(
    mut old: impl Iterator<Item = (TokenKind, &'a str)>,
    mut new: impl Iterator<Item = (TokenKind, &'a str)>,
) -> Result<(), String> {
    let mut index = 0;
    loop {
        index += 1;
        match (old.next(), new.next()) {
            (None, None) => return Ok(()),
            (Some(a), Some(b)) if same_token(a, b) => {}
            (a, b) => {
                let shown = |t: Option<(TokenKind, &str)>| {
                    t.map_or("nothing".to_string(), |(_, text)| {
                        format!("`{}`", text.escape_debug())
                    })
                };
                return Err(format!(
                    "token {index} changed from {} to {}",
                    shown(a),
                    shown(b)
                ));
            }
        }
    }
}

fn same_token((old_kind, old): (TokenKind, &str), (new_kind, new): (TokenKind, &str)) -> bool {
    old_kind == new_kind
        && match old_kind {
            TokenKind::Word => old.eq_ignore_ascii_case(new),
            TokenKind::Comment => trim_comment(old) == trim_comment(new),
            _ => old == new,
        }
}

/// The tokens that carry meaning or comments, with their text.
fn meaningful<'a>(
    tokens: &'a [Token],
    text: &'a str,
) -> impl Iterator<Item = (TokenKind, &'a str)> {
    tokens
        .iter()
        .filter(|t| !matches!(t.kind, TokenKind::Whitespace | TokenKind::Newline))
        .map(move |t| (t.kind, t.text(text)))
}

/// A comment as printed: trailing blanks trimmed.
fn trim_comment(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

/// `// mif-fmt: off` and `// mif-fmt: on`, with any blanks around the words.
fn is_directive(comment: &str, switch: &str) -> bool {
    comment
        .strip_prefix("//")
        .map(str::trim)
        .and_then(|rest| rest.strip_prefix("mif-fmt:"))
        .is_some_and(|rest| rest.trim() == switch)
}

/// Whether a space goes between two tokens on one line.
fn needs_space(previous: TokenKind, next: TokenKind) -> bool {
    use TokenKind::*;
    match (previous, next) {
        // An empty cell: `{1, , 3}`.
        (Comma, Comma) => true,
        (_, Comma | RParen | RBrace) | (LParen | LBrace, _) | (Word, LParen) => false,
        _ => true,
    }
}

struct Printer<'a> {
    text: &'a str,
    tokens: &'a [Token],
    keyword_case: KeywordCase,
    indent: String,
    newline: &'static str,
    out: String,
    /// Index of the next token not yet printed or skipped.
    cursor: usize,
    /// Kind of the last token on the current line; `None` at a line start.
    last_kind: Option<TokenKind>,
    /// The source has a blank line before the next line.
    blank_wanted: bool,
    /// Nothing printed yet in this block: no blank line may come first.
    block_start: bool,
}

impl<'a> Printer<'a> {
    fn new(doc: &'a Document, options: &FormatOptions) -> Printer<'a> {
        let indent = match options.indent {
            Indent::Spaces(n) => " ".repeat(usize::from(n)),
            Indent::Tab => "\t".to_string(),
        };
        Printer {
            text: doc.text(),
            tokens: &doc.tokens,
            keyword_case: options.keyword_case,
            indent,
            newline: line_ending(doc, options.line_ending),
            out: String::with_capacity(doc.text().len() + doc.text().len() / 8),
            cursor: 0,
            last_kind: None,
            blank_wanted: false,
            block_start: true,
        }
    }

    fn file(&mut self, items: &[Item]) {
        let body_end = self
            .tokens
            .iter()
            .rposition(|t| {
                !matches!(
                    t.kind,
                    TokenKind::Whitespace | TokenKind::Newline | TokenKind::DosEof
                )
            })
            .map_or(0, |i| i + 1);
        self.items(items, 0, body_end);
        for token in &self.tokens[body_end..] {
            if token.kind == TokenKind::DosEof {
                self.out.push_str(token.text(self.text));
            }
        }
    }

    /// Print a block's items (or the file's) and the trivia up to `end`.
    fn items(&mut self, items: &[Item], level: usize, end: usize) {
        let mut next = 0;
        loop {
            let limit = items.get(next).map_or(end, |item| item.tokens().start);
            if let Some(off) = self.trivia(limit, level) {
                next = self.verbatim(off, items, next, end, level);
                continue;
            }
            let Some(item) = items.get(next) else { break };
            self.item(item, level);
            next += 1;
        }
        self.cursor = self.cursor.max(end);
    }

    /// Print the own-line comments from the cursor to `limit`, noting blank
    /// lines. Stops at a `// mif-fmt: off` comment and returns its index.
    fn trivia(&mut self, limit: usize, level: usize) -> Option<usize> {
        let mut newlines = 0;
        while self.cursor < limit {
            let token = self.tokens[self.cursor];
            match token.kind {
                TokenKind::Newline => newlines += 1,
                TokenKind::Comment => {
                    if newlines >= 2 {
                        self.blank_wanted = true;
                    }
                    newlines = 0;
                    if is_directive(token.text(self.text), "off") {
                        return Some(self.cursor);
                    }
                    self.start_line(level);
                    self.push_comment(token);
                    self.end_line();
                }
                // Anything else here would be a parse error; leaving it out
                // makes the safety net refuse the file.
                _ => {}
            }
            self.cursor += 1;
        }
        if newlines >= 2 {
            self.blank_wanted = true;
        }
        None
    }

    /// Copy the region from the `// mif-fmt: off` comment at `off` to the
    /// matching own-line `// mif-fmt: on` between later items of the same
    /// block (or to the block's end). Returns the index of the next item to print.
    fn verbatim(
        &mut self,
        off: usize,
        items: &[Item],
        next: usize,
        end: usize,
        level: usize,
    ) -> usize {
        let mut gap_start = off + 1;
        let mut region = None;
        for index in next..=items.len() {
            let gap_end = items.get(index).map_or(end, |item| item.tokens().start);
            let on = (gap_start..gap_end).find(|&i| {
                self.tokens[i].kind == TokenKind::Comment
                    && self.is_own_line(i)
                    && is_directive(self.tokens[i].text(self.text), "on")
            });
            if let Some(on) = on {
                region = Some((on + 1, index));
                break;
            }
            if let Some(item) = items.get(index) {
                gap_start = item.tokens().end;
            }
        }
        let (region_end, resume) = region.unwrap_or_else(|| {
            let mut last = end;
            while last > off
                && matches!(
                    self.tokens[last - 1].kind,
                    TokenKind::Whitespace | TokenKind::Newline
                )
            {
                last -= 1;
            }
            (last, items.len())
        });
        self.start_line(level);
        let from = self.tokens[off].span().start;
        let to = self.tokens[region_end - 1].span().end;
        self.out.push_str(&self.text[from..to]);
        self.end_line();
        self.cursor = region_end;
        resume
    }

    /// A comment with only blanks between it and the previous line break.
    fn is_own_line(&self, index: usize) -> bool {
        self.tokens[..index]
            .iter()
            .rev()
            .find(|t| t.kind != TokenKind::Whitespace)
            .is_none_or(|t| t.kind == TokenKind::Newline)
    }

    fn item(&mut self, item: &Item, level: usize) {
        match item {
            Item::Block(block) => {
                self.start_line(level);
                self.block(block, level);
            }
            Item::Statement(Statement {
                value: StatementValue::Type(TypeExpr::Enum(block)),
                tokens,
                ..
            }) => {
                self.start_line(level);
                self.inline(tokens.start, block.tokens.start, level);
                self.block(block, level);
            }
            other => {
                let tokens = other.tokens();
                self.start_line(level);
                self.inline(tokens.start, tokens.end, level);
                self.finish_line();
            }
        }
    }

    /// A block from its `START` words, which continue the current line.
    fn block(&mut self, block: &Block, level: usize) {
        self.inline(block.head.start, block.head.end, level);
        self.finish_line();
        self.block_start = true;
        let end = block.tail.map_or(block.tokens.end, |tail| tail.start);
        self.items(&block.items, level + 1, end);
        if let Some(tail) = block.tail {
            self.blank_wanted = false;
            self.start_line(level);
            self.inline(tail.start, tail.end, level);
            self.finish_line();
        }
    }

    /// Print the tokens `from..to` on the current line, single-spaced. A
    /// comment inside breaks the line; the rest continues one level deeper.
    fn inline(&mut self, from: usize, to: usize, level: usize) {
        for token in &self.tokens[from..to] {
            match token.kind {
                TokenKind::Whitespace | TokenKind::Newline => {}
                TokenKind::Comment => {
                    self.push_comment(*token);
                    self.end_line();
                    self.push_indent(level + 1);
                }
                kind => {
                    if self.last_kind.is_some_and(|last| needs_space(last, kind)) {
                        self.out.push(' ');
                    }
                    let text = token.text(self.text);
                    if kind == TokenKind::Word {
                        self.push_keyword(text);
                    } else {
                        self.out.push_str(text);
                    }
                    self.last_kind = Some(kind);
                }
            }
        }
        self.cursor = to;
    }

    /// End the line, taking along a comment that follows on the same line.
    fn finish_line(&mut self) {
        let mut index = self.cursor;
        while self
            .tokens
            .get(index)
            .is_some_and(|t| t.kind == TokenKind::Whitespace)
        {
            index += 1;
        }
        if let Some(&token) = self.tokens.get(index) {
            if token.kind == TokenKind::Comment {
                self.push_comment(token);
                self.cursor = index + 1;
            }
        }
        self.end_line();
    }

    fn start_line(&mut self, level: usize) {
        if self.blank_wanted && !self.block_start {
            self.out.push_str(self.newline);
        }
        self.blank_wanted = false;
        self.block_start = false;
        self.push_indent(level);
    }

    fn end_line(&mut self) {
        self.out.push_str(self.newline);
        self.last_kind = None;
    }

    fn push_indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str(&self.indent);
        }
        self.last_kind = None;
    }

    fn push_comment(&mut self, token: Token) {
        if self.last_kind.is_some() {
            self.out.push(' ');
        }
        self.out.push_str(trim_comment(token.text(self.text)));
        self.last_kind = Some(TokenKind::Comment);
    }

    /// Copy a word, then change its case in place (faster than pushing
    /// it character by character).
    fn push_keyword(&mut self, word: &str) {
        let start = self.out.len();
        self.out.push_str(word);
        let pushed = &mut self.out[start..];
        match self.keyword_case {
            KeywordCase::Preserve => {}
            KeywordCase::Upper => pushed.make_ascii_uppercase(),
            KeywordCase::Lower => pushed.make_ascii_lowercase(),
        }
    }
}

/// The line ending to write: the chosen one, or the file's first line
/// break outside string literals (LF when there is none).
fn line_ending(doc: &Document, choice: LineEndingChoice) -> &'static str {
    match choice {
        LineEndingChoice::Lf => "\n",
        LineEndingChoice::CrLf => "\r\n",
        LineEndingChoice::Auto => doc
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::Newline)
            .map_or("\n", |t| match t.text(doc.text()) {
                "\r\n" => "\r\n",
                "\r" => "\r",
                _ => "\n",
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = "start component // c\n name = \"x\"\nend component\n";

    fn check(output: &str) -> Result<(), FormatError> {
        let input = Document::parse_str(INPUT);
        verify(input, output.as_bytes(), output, &FormatOptions::default())
    }

    #[test]
    fn the_safety_net_accepts_the_formatted_text() {
        let formatted = format_document(&Document::parse_str(INPUT), &FormatOptions::default());
        let formatted = formatted.unwrap();
        assert_eq!(
            formatted,
            "START COMPONENT // c\n    NAME = \"x\"\nEND COMPONENT\n"
        );
        assert!(check(&formatted).is_ok());
    }

    #[test]
    fn the_safety_net_refuses_lost_comments_changed_values_and_instability() {
        for (output, why) in [
            (
                "START COMPONENT\n    NAME = \"x\"\nEND COMPONENT\n",
                "`// c` to `NAME`",
            ),
            (
                "START COMPONENT // c\n    NAME = \"y\"\nEND COMPONENT\n",
                "token 6 changed",
            ),
            (
                "START COMPONENT // c\n  NAME = \"x\"\nEND COMPONENT\n",
                "twice",
            ),
            (
                // Same tokens, but `=` must be on the keyword's line.
                "START COMPONENT // c\n    NAME\n    = \"x\"\nEND COMPONENT\n",
                "does not parse",
            ),
        ] {
            let error = check(output).unwrap_err();
            assert!(
                matches!(&error, FormatError::Unsafe { message } if message.contains(why)),
                "{why}: {error}"
            );
        }
    }

    #[test]
    fn directives_need_the_exact_words() {
        assert!(is_directive("//   mif-fmt:   off  ", "off"));
        assert!(is_directive("// mif-fmt: on", "on"));
        assert!(!is_directive("// mif-fmt: off please", "off"));
        assert!(!is_directive("// mif-fmt: on", "off"));
    }
}
