//! The printer proper: walks items and the tokens between them.
//!
//! What must carry over from one run of tokens to the next (the output,
//! where the current line stands, pending blank lines) lives in a
//! [`Layout`], so a file can be printed whole or one stretch at a time
//! (`stretches.rs`) with the same result.

use crate::lexer::{Token, TokenKind};
use crate::syntax::{Block, BlockKind, Item, Statement, StatementValue, TypeExpr};

use super::{is_directive, needs_space, trim_comment, FormatOptions, Indent, KeywordCase};

/// The output and the state of its current line.
pub(super) struct Layout {
    keyword_case: KeywordCase,
    indent: String,
    /// `indent` repeated for the usual depths, so a line's indent is one copy.
    indents: String,
    newline: &'static str,
    pub(super) out: String,
    /// Kind of the last token on the current line; `None` at a line start.
    last_kind: Option<TokenKind>,
    /// The source has a blank line before the next line.
    blank_wanted: bool,
    /// Nothing printed yet in this block: no blank line may come first.
    block_start: bool,
    /// Line breaks in the source since the last printed line began.
    newlines: usize,
}

impl Layout {
    /// A layout for formatting `input_len` bytes of text.
    pub(super) fn new(options: &FormatOptions, newline: &'static str, input_len: usize) -> Layout {
        let indent = match options.indent {
            Indent::Spaces(n) => " ".repeat(usize::from(n)),
            Indent::Tab => "\t".to_string(),
        };
        Layout {
            keyword_case: options.keyword_case,
            indents: indent.repeat(8),
            indent,
            newline,
            // Canonical indents make messy text grow by about a fifth: room
            // for that up front saves copying the output when it outgrows
            // its buffer.
            out: String::with_capacity(input_len + input_len / 4 + 64),
            last_kind: None,
            blank_wanted: false,
            block_start: true,
            newlines: 0,
        }
    }
}

/// Prints the component's items when the file is printed in stretches:
/// called once, between the component's own items and its END.
pub(super) type BodyHook<'h> = &'h mut dyn FnMut(&mut Layout);

pub(super) struct Printer<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Index of the next token not yet printed or skipped.
    cursor: usize,
    layout: &'a mut Layout,
    body: Option<BodyHook<'a>>,
}

impl<'a> Printer<'a> {
    /// A printer of `tokens` (whose offsets point into `text`) into `layout`.
    pub(super) fn new(text: &'a str, tokens: &'a [Token], layout: &'a mut Layout) -> Printer<'a> {
        Printer {
            text,
            tokens,
            cursor: 0,
            layout,
            body: None,
        }
    }

    /// Let `body` print the component's items after its own.
    pub(super) fn with_body(mut self, body: BodyHook<'a>) -> Printer<'a> {
        self.body = Some(body);
        self
    }

    /// A whole file: its items, then a trailing 0x1A kept as it was.
    pub(super) fn file(&mut self, items: &[Item]) {
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
                self.layout.out.push_str(token.text(self.text));
            }
        }
    }

    /// Print a block's items (or the file's) and the trivia up to `end`.
    pub(super) fn items(&mut self, items: &[Item], level: usize, end: usize) {
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
        while self.cursor < limit {
            let token = self.tokens[self.cursor];
            match token.kind {
                TokenKind::Newline => self.layout.newlines += 1,
                TokenKind::Comment => {
                    if self.layout.newlines >= 2 {
                        self.layout.blank_wanted = true;
                    }
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
        if self.layout.newlines >= 2 {
            self.layout.blank_wanted = true;
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
        self.layout.out.push_str(&self.text[from..to]);
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
        self.layout.block_start = true;
        let end = block.tail.map_or(block.tokens.end, |tail| tail.start);
        self.items(&block.items, level + 1, end);
        if block.kind == BlockKind::Component {
            if let Some(body) = self.body.take() {
                body(self.layout);
            }
        }
        if let Some(tail) = block.tail {
            self.layout.blank_wanted = false;
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
                    let layout = &mut *self.layout;
                    if layout.last_kind.is_some_and(|last| needs_space(last, kind)) {
                        layout.out.push(' ');
                    }
                    let text = token.text(self.text);
                    if kind == TokenKind::Word {
                        layout.push_keyword(text);
                    } else {
                        layout.out.push_str(text);
                    }
                    layout.last_kind = Some(kind);
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
        let layout = &mut *self.layout;
        if layout.blank_wanted && !layout.block_start {
            layout.out.push_str(layout.newline);
        }
        layout.blank_wanted = false;
        layout.block_start = false;
        layout.newlines = 0;
        self.push_indent(level);
    }

    fn end_line(&mut self) {
        self.layout.out.push_str(self.layout.newline);
        self.layout.last_kind = None;
    }

    fn push_indent(&mut self, level: usize) {
        let layout = &mut *self.layout;
        let width = layout.indent.len() * level;
        if width <= layout.indents.len() {
            layout.out.push_str(&layout.indents[..width]);
        } else {
            for _ in 0..level {
                layout.out.push_str(&layout.indent);
            }
        }
        layout.last_kind = None;
    }

    fn push_comment(&mut self, token: Token) {
        if self.layout.last_kind.is_some() {
            self.layout.out.push(' ');
        }
        self.layout
            .out
            .push_str(trim_comment(token.text(self.text)));
        self.layout.last_kind = Some(TokenKind::Comment);
    }
}

impl Layout {
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
