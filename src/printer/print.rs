//! The printer proper: walks items and the tokens between them.
//!
//! What must carry over from one run of tokens to the next (the output,
//! where the current line stands, pending blank lines) lives in a
//! [`Layout`], so a file can be printed whole or one stretch at a time
//! (`stretches.rs`) with the same result.

use crate::chunk::{chunk_at, every_byte, padded, CHUNK};
use crate::lexer::{Token, TokenKind};
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Item, Statement, StatementValue, TypeExpr};

use super::{
    is_directive, needs_space, not_utf8, token_bytes, trim_comment, FormatOptions, Indent,
    KeywordCase,
};

/// The output and the state of its current line.
pub(super) struct Layout {
    keyword_case: KeywordCase,
    /// One level of indentation is `indent_width` times this byte (a space
    /// or a tab), so a line's indent is written in whole chunks of it.
    indent_byte: u8,
    indent_width: usize,
    /// The line ending, padded to one chunk, and its length.
    newline: [u8; CHUNK],
    newline_len: usize,
    /// The output as bytes: only ASCII and whole tokens of a `str` go in,
    /// so it is UTF-8, and copying a token needs no character-boundary
    /// checks. It is checked once as it is handed on as text.
    out: Vec<u8>,
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
        let (indent_byte, indent_width) = match options.indent {
            Indent::Spaces(n) => (b' ', usize::from(n)),
            Indent::Tab => (b'\t', 1),
        };
        Layout {
            keyword_case: options.keyword_case,
            indent_byte,
            indent_width,
            newline: padded(newline.as_bytes()),
            newline_len: newline.len(),
            // Canonical indents make messy text grow by about a fifth: room
            // for that up front saves copying the output when it outgrows
            // its buffer.
            out: Vec::with_capacity(input_len + input_len / 4 + 64),
            last_kind: None,
            blank_wanted: false,
            block_start: true,
            newlines: 0,
        }
    }
}

impl Layout {
    /// The bytes printed since the layout was last cleared.
    pub(super) fn printed(&self) -> &[u8] {
        &self.out
    }

    /// Forget the text printed so far; where the current line stands and
    /// what is pending carry on (the stretch pass hands each stretch on).
    pub(super) fn clear(&mut self) {
        self.out.clear();
    }

    /// All the text printed.
    pub(super) fn into_text(self) -> Result<String, String> {
        String::from_utf8(self.out).map_err(|error| not_utf8(error.utf8_error()))
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
                self.layout
                    .out
                    .extend_from_slice(token_bytes(token, self.text));
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
                // The guard prints the comment; only `off` stops the loop.
                TokenKind::Comment if self.own_line_comment(token, level) => {
                    return Some(self.cursor);
                }
                // Blanks, a comment just printed, or (anything else) a parse
                // error: leaving that out makes the safety net refuse the file.
                _ => {}
            }
            self.cursor += 1;
        }
        if self.layout.newlines >= 2 {
            self.layout.blank_wanted = true;
        }
        None
    }

    /// Print an own-line comment between items on a line of its own, unless
    /// it is `// mif-fmt: off`: then say so. Kept out of the trivia loop,
    /// which mostly sees line breaks and indents.
    #[cold]
    #[inline(never)]
    fn own_line_comment(&mut self, comment: Token, level: usize) -> bool {
        if self.layout.newlines >= 2 {
            self.layout.blank_wanted = true;
        }
        if is_directive(comment.text(self.text), "off") {
            return true;
        }
        self.start_line(level);
        self.push_comment(comment);
        self.end_line();
        false
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
        self.layout
            .out
            .extend_from_slice(&self.text.as_bytes()[from..to]);
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
    /// comment inside breaks the line, and so does a line break between
    /// two pieces of a string (`"…"` newline `"…"`); the rest continues one
    /// level deeper.
    fn inline(&mut self, from: usize, to: usize, level: usize) {
        for (offset, token) in self.tokens[from..to].iter().enumerate() {
            match token.kind {
                TokenKind::Whitespace | TokenKind::Newline => {}
                TokenKind::Comment => self.break_at_comment(*token, level),
                kind => {
                    if kind == TokenKind::String && self.layout.last_kind == Some(TokenKind::String)
                    {
                        self.continue_string(from + offset, level);
                    }
                    let layout = &mut *self.layout;
                    if layout.last_kind.is_some_and(|last| needs_space(last, kind)) {
                        layout.out.push(b' ');
                    }
                    let text = self.text.as_bytes();
                    let span = token.span();
                    if kind == TokenKind::Word {
                        layout.push_keyword(text, span);
                    } else if kind == TokenKind::Equals {
                        // The lexer makes `=` a token of its own: one on
                        // every statement's line, pushed without reading it.
                        debug_assert_eq!(&text[span.range()], b"=");
                        layout.out.push(b'=');
                    } else if span.len() == 1 {
                        // Parentheses, commas, one-digit numbers.
                        layout.out.push(text[span.start]);
                    } else if span.len() <= 2 * CHUNK {
                        // One write; a longer token (a long string literal)
                        // goes by one `memcpy`, which measured cheaper than
                        // a loop of chunks.
                        push_chunks(&mut layout.out, text, span, |chunk| chunk);
                    } else {
                        layout.out.extend_from_slice(&text[span.range()]);
                    }
                    layout.last_kind = Some(kind);
                }
            }
        }
        self.cursor = to;
    }

    /// The string piece at `index` follows another: on a line of its own,
    /// one level deeper, when the source broke the line between them (a
    /// long text written piece by piece stays readable); else on the same
    /// line. Rare, so kept out of `inline`'s loop.
    #[cold]
    #[inline(never)]
    fn continue_string(&mut self, index: usize, level: usize) {
        let broken = self.tokens[..index]
            .iter()
            .rev()
            .take_while(|t| matches!(t.kind, TokenKind::Whitespace | TokenKind::Newline))
            .any(|t| t.kind == TokenKind::Newline);
        if broken {
            self.end_line();
            self.push_indent(level + 1);
        }
    }

    /// A comment inside a statement ends the line; the rest continues one
    /// level deeper. Rare, so kept out of `inline`'s loop.
    #[cold]
    #[inline(never)]
    fn break_at_comment(&mut self, comment: Token, level: usize) {
        self.push_comment(comment);
        self.end_line();
        self.push_indent(level + 1);
    }

    /// End the line, taking along a comment that follows on the same line.
    fn finish_line(&mut self) {
        // Most lines end at a line break: the comment's work is kept out of
        // line, so the usual path saves no registers.
        if self
            .tokens
            .get(self.cursor)
            .is_some_and(|t| t.kind != TokenKind::Newline)
        {
            self.take_comment();
        }
        self.end_line();
    }

    /// Print a comment that follows the cursor on the same line, if any.
    #[cold]
    #[inline(never)]
    fn take_comment(&mut self) {
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
    }

    fn start_line(&mut self, level: usize) {
        let layout = &mut *self.layout;
        if layout.blank_wanted && !layout.block_start {
            layout.push_newline();
        }
        layout.blank_wanted = false;
        layout.block_start = false;
        layout.newlines = 0;
        self.push_indent(level);
    }

    fn end_line(&mut self) {
        self.layout.push_newline();
        self.layout.last_kind = None;
    }

    fn push_indent(&mut self, level: usize) {
        let layout = &mut *self.layout;
        let len = layout.out.len() + layout.indent_width * level;
        // Two chunks a write: the usual indents (up to four levels of four
        // spaces) take one.
        let chunk = [layout.indent_byte; 2 * CHUNK];
        while layout.out.len() < len {
            layout.out.extend_from_slice(&chunk);
        }
        layout.out.truncate(len);
        layout.last_kind = None;
    }

    fn push_comment(&mut self, token: Token) {
        if self.layout.last_kind.is_some() {
            self.layout.out.push(b' ');
        }
        self.layout
            .out
            .extend_from_slice(trim_comment(token.text(self.text)).as_bytes());
        self.layout.last_kind = Some(TokenKind::Comment);
    }
}

impl Layout {
    /// Copy the word at `span` of `text` in the keyword case.
    fn push_keyword(&mut self, text: &[u8], span: Span) {
        match self.keyword_case {
            KeywordCase::Preserve => push_chunks(&mut self.out, text, span, |chunk| chunk),
            KeywordCase::Upper => push_chunks(&mut self.out, text, span, |chunk| {
                chunk ^ case_bits(chunk, b'a', b'z')
            }),
            KeywordCase::Lower => push_chunks(&mut self.out, text, span, |chunk| {
                chunk ^ case_bits(chunk, b'A', b'Z')
            }),
        }
    }

    /// End the current line: the padded line ending written as one chunk,
    /// then cut back to its length.
    fn push_newline(&mut self) {
        let len = self.out.len() + self.newline_len;
        self.out.extend_from_slice(&self.newline);
        self.out.truncate(len);
    }
}

/// Copy `span` of `text` to `out` 8 bytes at a time, each chunk passed
/// through `map`: every chunk is written whole and what lies past the
/// span's end is cut off again. For short text this is a few
/// instructions where a `memcpy` call and a loop over the bytes cost dozens.
/// Text of up to two chunks (most keywords, many literals) goes in one
/// write: one capacity check and one length update instead of two.
fn push_chunks(out: &mut Vec<u8>, text: &[u8], span: Span, map: impl Fn(u64) -> u64) {
    let len = out.len() + span.len();
    // A token is never empty, so the first chunk is read unasked (an empty
    // span would be written and cut off again, which is still right).
    let first = map(chunk_at(text, span.start));
    if span.len() <= CHUNK {
        out.extend_from_slice(&first.to_le_bytes());
    } else if span.len() <= 2 * CHUNK {
        let second = map(chunk_at(text, span.start + CHUNK));
        out.extend_from_slice(&(u128::from(first) | u128::from(second) << 64).to_le_bytes());
    } else {
        out.extend_from_slice(&first.to_le_bytes());
        let mut at = span.start + CHUNK;
        while at < span.end {
            out.extend_from_slice(&map(chunk_at(text, at)).to_le_bytes());
            at += CHUNK;
        }
    }
    out.truncate(len);
}

/// The case bit (0x20) of each byte of `chunk` between `first` and `last`
/// (letters of one case): XOR it in to change their case. Exact for bytes
/// below 0x80; a byte above may carry into the bytes after it (higher in
/// the number, later in the text), never into those before. A word's
/// bytes are ASCII (the lexer's word alphabet) and come first in their
/// chunks, so only bytes past the word, which are cut off, can be wrong.
fn case_bits(chunk: u64, first: u8, last: u8) -> u64 {
    let from_first = chunk.wrapping_add(every_byte(0x80 - first));
    let past_last = chunk.wrapping_add(every_byte(0x80 - last - 1));
    ((from_first & !past_last) & every_byte(0x80)) >> 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::LineEndingChoice;

    fn layout(keyword_case: KeywordCase) -> Layout {
        let options = FormatOptions {
            indent: Indent::Spaces(4),
            line_ending: LineEndingChoice::Lf,
            keyword_case,
        };
        Layout::new(&options, "\n", 0)
    }

    proptest::proptest! {
        /// The chunked case change is `make_ascii_*case` on the word,
        /// whatever bytes follow it in the text, and leaves what was
        /// printed before alone.
        #[test]
        fn words_are_copied_as_a_byte_loop_would(
            before in "[ -~]{0,12}",
            word in "[A-Za-z][A-Za-z0-9_-]{0,30}",
            after in proptest::collection::vec(proptest::num::u8::ANY, 0..10),
        ) {
            let mut text = word.as_bytes().to_vec();
            text.extend(&after);
            let span = Span::new(0, word.len());
            for case in [KeywordCase::Upper, KeywordCase::Lower, KeywordCase::Preserve] {
                let mut layout = layout(case);
                layout.out.extend_from_slice(before.as_bytes());
                layout.push_keyword(&text, span);
                let mut expected = word.clone();
                match case {
                    KeywordCase::Upper => expected.make_ascii_uppercase(),
                    KeywordCase::Lower => expected.make_ascii_lowercase(),
                    KeywordCase::Preserve => {}
                }
                proptest::prop_assert_eq!(layout.out, format!("{before}{expected}").into_bytes());
            }
        }

        /// Copying in chunks copies exactly the span, anywhere in the text.
        #[test]
        fn chunks_copy_exactly_the_span(
            text in proptest::collection::vec(proptest::num::u8::ANY, 1..40),
            start in 0..40usize,
            len in 0..40usize,
        ) {
            let start = start % text.len();
            let end = (start + len).min(text.len());
            let mut layout = layout(KeywordCase::Upper);
            layout.out.push(b'x');
            push_chunks(&mut layout.out, &text, Span::new(start, end), |chunk| chunk);
            proptest::prop_assert_eq!(&layout.out[..1], b"x");
            proptest::prop_assert_eq!(&layout.out[1..], &text[start..end]);
        }
    }
}
