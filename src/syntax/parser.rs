//! Hand-written recursive-descent parser.
//!
//! It never fails and never panics: problems become diagnostics and the
//! parser recovers at statement and block boundaries. Recursion is bounded
//! by the grammar: a block kind can be open at most once on the stack, so a
//! file of 200,000 nested `START GROUP` lines parses as a flat list of
//! (unclosed) groups.

use crate::diagnostics::{Diagnostic, Severity};
use crate::lexer::{Keyword, Token, TokenKind};
use crate::span::Span;

use smol_str::SmolStr;

use super::literal::{
    decode_body_into, decode_integer_parts, literal_body, scan_body, short_decimal,
};
use super::tree::*;

/// Stop collecting after this many errors; the rest would be noise.
pub const MAX_ERRORS: usize = 100;

pub(super) struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: usize,
    /// Index of the first significant token at or after `pos`
    /// (`tokens.len()` at the end), kept so peeking never rescans trivia.
    next: usize,
    /// A line break lies between `pos` and `next`.
    newline_before_next: bool,
    /// The keyword at `next`, classified once however often it is peeked.
    next_keyword: Option<Keyword>,
    /// End of the last significant token consumed.
    last_end: usize,
    wide: bool,
    /// The string literal being decoded: one buffer for all of them, as
    /// the tree keeps its own copy of each value.
    literal: String,
    pub(super) diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// Spans already explained by a diagnostic (an unquoted value); stray
    /// characters inside them are not reported again.
    pub(super) quiet: Vec<Span>,
    /// A token passed so far may need a lexical diagnostic: a stray,
    /// control or 0x1A token, an unterminated literal, or a literal
    /// holding a raw control character. A parse without errors passes
    /// every token and reads every literal, so without one of these it
    /// needs no lexical checks (see `parse_component_items`).
    pub(super) suspect_seen: bool,
}

/// The block kinds allowed directly inside `parent` (`None`: the top of
/// the file). The parser reports others; completion offers these.
pub fn blocks_in(parent: Option<BlockKind>) -> &'static [BlockKind] {
    use BlockKind::*;
    match parent {
        None => &[Component],
        Some(Component) => &[Path, Enum, Group, Table],
        Some(Group) => &[Attribute],
        Some(_) => &[],
    }
}

/// The statements allowed directly inside a block (`None`: the top of the
/// file). The parser reports others; completion offers these.
pub fn statements_in(parent: Option<BlockKind>) -> &'static [Keyword] {
    use Keyword::*;
    match parent {
        None => &[Language],
        Some(BlockKind::Component) => &[Name, Description, Pragma],
        Some(BlockKind::Path) => &PATH_STATEMENTS,
        Some(BlockKind::Enum) => &[Name, Type],
        Some(BlockKind::Group) => &[Name, Class, Id, Description, Key, Pragma],
        Some(BlockKind::Attribute) => {
            &[Name, Id, Description, Type, Access, Storage, Value, Pragma]
        }
        Some(BlockKind::Table) => &[Name, Id, Class],
    }
}

/// A PATH block's statements: its NAME, then one per environment.
const PATH_STATEMENTS: [Keyword; 1 + Keyword::ENVIRONMENTS.len()] = {
    let mut all = [Keyword::Name; 1 + Keyword::ENVIRONMENTS.len()];
    let mut i = 0;
    while i < Keyword::ENVIRONMENTS.len() {
        all[i + 1] = Keyword::ENVIRONMENTS[i];
        i += 1;
    }
    all
};

fn allowed_in(parent: Option<BlockKind>, child: BlockKind) -> bool {
    blocks_in(parent).contains(&child)
}

fn statement_allowed(parent: Option<BlockKind>, keyword: Keyword) -> bool {
    statements_in(parent).contains(&keyword)
}

fn is_statement_keyword(keyword: Keyword) -> bool {
    keyword.starts_statement()
}

impl<'a> Parser<'a> {
    pub(super) fn new(text: &'a str, tokens: &'a [Token], wide: bool) -> Parser<'a> {
        let mut parser = Parser {
            text,
            tokens,
            pos: 0,
            next: 0,
            newline_before_next: false,
            next_keyword: None,
            last_end: 0,
            wide,
            literal: String::new(),
            diagnostics: Vec::new(),
            errors: 0,
            quiet: Vec::new(),
            suspect_seen: false,
        };
        parser.move_to(0);
        // The first token starts a line, as the first of a file or of a
        // stretch (cut at a line start) does, whatever comes before it: so
        // the parser reads the same tokens, with line breaks before the
        // same ones after the first, the same way. The formatter's safety
        // net relies on that (`printer::output_parses_unless_same`).
        parser.newline_before_next = true;
        parser
    }

    /// True once the error cap is reached: further errors are dropped.
    pub(super) fn is_saturated(&self) -> bool {
        self.errors > MAX_ERRORS
    }

    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        if diagnostic.severity == Severity::Error {
            self.errors += 1;
            if self.errors == MAX_ERRORS + 1 {
                self.diagnostics.push(
                    Diagnostic::new(
                        "mif::too-many-errors",
                        Severity::Info,
                        diagnostic.span,
                        format!("more than {MAX_ERRORS} errors; the rest are not shown"),
                    )
                    .with_help("fix the first errors and check again"),
                );
            }
            if self.errors > MAX_ERRORS {
                return;
            }
        } else if self.diagnostics.len() > 4 * MAX_ERRORS {
            return;
        }
        self.diagnostics.push(diagnostic);
    }

    // ---- token cursor -------------------------------------------------

    /// Index of the next significant token, if any.
    fn peek(&self) -> Option<usize> {
        (self.next < self.tokens.len()).then_some(self.next)
    }

    /// Put the cursor at `pos` and find the next significant token.
    fn move_to(&mut self, pos: usize) {
        self.pos = pos;
        let (next, newline) = self.pass_trivia(pos);
        self.newline_before_next = newline;
        self.next_keyword = self.classify(next);
        self.next = next;
    }

    /// The first significant token at or after `pos` (`tokens.len()` at
    /// the end), and whether a line break comes before it. Notes a stray,
    /// control or 0x1A token on the way (`suspect_seen`): those are rare,
    /// so the loop tests for the usual trivia, and the others only where
    /// it stops.
    fn pass_trivia(&mut self, pos: usize) -> (usize, bool) {
        let mut newline = false;
        let mut suspect = false;
        let mut next = pos;
        while let Some(token) = self.tokens.get(next) {
            if !matches!(
                token.kind,
                TokenKind::Whitespace | TokenKind::Newline | TokenKind::Comment
            ) {
                if !token.kind.is_trivia() {
                    break;
                }
                suspect = true;
            }
            newline |= token.kind == TokenKind::Newline;
            next += 1;
        }
        if suspect {
            self.suspect_seen = true;
        }
        (next, newline)
    }

    fn peek_kind(&self) -> Option<TokenKind> {
        self.peek().map(|i| self.tokens[i].kind)
    }

    fn keyword_at(&self, index: usize) -> Option<Keyword> {
        if index == self.next {
            return self.next_keyword;
        }
        self.classify(index)
    }

    fn classify(&self, index: usize) -> Option<Keyword> {
        let token = self.tokens.get(index)?;
        if token.kind != TokenKind::Word {
            return None;
        }
        Keyword::parse_bytes(self.text.as_bytes().get(token.span().range())?)
    }

    fn peek_keyword(&self) -> Option<Keyword> {
        self.peek().and_then(|i| self.keyword_at(i))
    }

    /// The significant token after the next one (for `START <kind>`).
    fn peek_second(&self) -> Option<usize> {
        let first = self.peek()?;
        (first + 1..self.tokens.len()).find(|&i| !self.tokens[i].kind.is_trivia())
    }

    /// True when a line break separates the cursor from the next token.
    fn next_is_on_new_line(&self) -> bool {
        self.newline_before_next
    }

    /// Consume the next significant token; returns its index.
    fn bump(&mut self) -> usize {
        let index = self.peek().unwrap_or(self.tokens.len().saturating_sub(1));
        self.move_to(index + 1);
        self.last_end = self.pos;
        index
    }

    /// Consume the next two significant tokens (`START GROUP`, `END
    /// GROUP`), returning the second's index: what two calls of `bump` do,
    /// without classifying the word in between, which the caller already
    /// did through `peek_second`.
    fn bump_two(&mut self) -> usize {
        let (second, _) = self.pass_trivia(self.next + 1);
        if second >= self.tokens.len() {
            self.bump();
            return self.bump();
        }
        self.move_to(second + 1);
        self.last_end = self.pos;
        second
    }

    fn skip_trivia(&mut self) {
        // What `move_to(next)` does without its scan: the next significant
        // token, and so its keyword, stay as they are.
        if self.peek().is_some() {
            self.pos = self.next;
            self.newline_before_next = false;
        }
    }

    fn span_of(&self, index: usize) -> Span {
        self.tokens
            .get(index)
            .map_or(Span::new(self.text.len(), self.text.len()), |t| t.span())
    }

    /// Span where the next token is (or the end of the file).
    fn here(&self) -> Span {
        match self.peek() {
            Some(i) => self.tokens[i].span(),
            None => Span::new(self.text.len(), self.text.len()),
        }
    }

    fn token_text(&self, index: usize) -> &'a str {
        self.tokens[index].text(self.text)
    }

    fn describe_next(&self) -> String {
        match self.peek() {
            None => "the end of the file".into(),
            Some(i) => describe(self.tokens[i], self.text),
        }
    }

    fn range_from(&self, start: usize) -> (TokenRange, Span) {
        let end = self.last_end.max(start);
        let span = if end > start {
            Span::new(
                self.tokens[start].span().start,
                self.tokens[end - 1].span().end,
            )
        } else {
            self.span_of(start)
        };
        (TokenRange::new(start, end), span)
    }

    /// Skip the rest of the line (recovery), returning what was skipped.
    fn skip_line(&mut self) -> ErrorNode {
        self.skip_trivia();
        let start = self.pos;
        self.bump();
        while self.peek().is_some() && !self.next_is_on_new_line() {
            self.bump();
        }
        let (tokens, span) = self.range_from(start);
        ErrorNode { tokens, span }
    }

    // ---- file ---------------------------------------------------------

    pub(super) fn parse_file(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        let mut component_seen: Option<Span> = None;
        let mut component_closed = false;
        let mut language_seen: Option<Span> = None;
        let mut trailing_reported = false;
        let mut stack = Vec::new();
        while let Some(next) = self.peek() {
            let keyword = self.keyword_at(next);
            if component_closed
                && keyword != Some(Keyword::Start)
                && keyword != Some(Keyword::Language)
            {
                if !trailing_reported {
                    trailing_reported = true;
                    self.report(
                        Diagnostic::error(
                            "mif::trailing-text",
                            self.tokens[next].span(),
                            "text after END COMPONENT",
                        )
                        .with_label("nothing may follow the component")
                        .with_help("remove it, or turn it into a comment with `//`"),
                    );
                }
                items.push(Item::Error(self.skip_line()));
                continue;
            }
            match keyword {
                Some(Keyword::Start) => {
                    let Some(kind) = self.peek_block_kind() else {
                        items.push(Item::Error(self.bad_start()));
                        continue;
                    };
                    if kind == BlockKind::Component {
                        if let Some(first) = component_seen {
                            self.report(
                                Diagnostic::error(
                                    "mif::multiple-components",
                                    self.span_of(next).to(self.span_of(self.peek_second().unwrap_or(next))),
                                    "a second component in one file",
                                )
                                .with_label("second START COMPONENT")
                                .with_related(first, "first component")
                                .with_help("a MIF file holds exactly one component; split it into two files"),
                            );
                        }
                    } else {
                        self.report(
                            Diagnostic::error(
                                "mif::outside-component",
                                self.span_of(next),
                                format!("{} block outside a component", kind.name()),
                            )
                            .with_label("not inside START COMPONENT ... END COMPONENT")
                            .with_help(
                                "every definition lives in the file's one component: wrap it in \
                                 START COMPONENT / NAME = \"...\" / END COMPONENT",
                            ),
                        );
                    }
                    let block = self.parse_block(kind, &mut stack);
                    if kind == BlockKind::Component {
                        component_seen.get_or_insert(block.head_span);
                        component_closed = block.tail.is_some();
                    }
                    items.push(Item::Block(block));
                }
                Some(Keyword::Language) => {
                    if component_seen.is_some() {
                        self.report(
                            Diagnostic::error(
                                "mif::misplaced-statement",
                                self.span_of(next),
                                "LANGUAGE after the component",
                            )
                            .with_label("must come before START COMPONENT")
                            .with_help("move the LANGUAGE statement to the top of the file"),
                        );
                    } else if let Some(first) = language_seen {
                        self.report(
                            Diagnostic::error(
                                "mif::duplicate-statement",
                                self.span_of(next),
                                "a second LANGUAGE statement",
                            )
                            .with_label("second LANGUAGE")
                            .with_related(first, "first LANGUAGE")
                            .with_help("a file has at most one LANGUAGE statement; remove one"),
                        );
                    }
                    let statement = self.parse_statement(Keyword::Language, &mut stack);
                    language_seen.get_or_insert(statement.span());
                    items.push(statement);
                }
                _ => {
                    self.report(
                        Diagnostic::error(
                            "mif::expected-component",
                            self.tokens[next].span(),
                            format!("expected START COMPONENT, found {}", self.describe_next()),
                        )
                        .with_label("not allowed at the top of the file")
                        .with_help(
                            "a MIF file is an optional LANGUAGE statement and one \
                             START COMPONENT ... END COMPONENT block",
                        ),
                    );
                    items.push(Item::Error(self.skip_line()));
                }
            }
        }
        if component_seen.is_none() {
            let span = Span::new(self.text.len(), self.text.len());
            self.report(
                Diagnostic::error("mif::no-component", span, "the file has no component")
                    .with_label("expected START COMPONENT")
                    .with_help(
                        "a MIF file needs START COMPONENT, NAME = \"...\", its groups, and END COMPONENT",
                    ),
            );
        }
        items
    }

    fn peek_block_kind(&self) -> Option<BlockKind> {
        self.peek_second()
            .and_then(|i| self.keyword_at(i))
            .and_then(BlockKind::from_keyword)
    }

    fn bad_start(&mut self) -> ErrorNode {
        let start = self.peek().unwrap_or(self.pos);
        let after = self.peek_second();
        let found = after.map_or("the end of the file".to_string(), |i| {
            describe(self.tokens[i], self.text)
        });
        self.report(
            Diagnostic::error(
                "mif::unknown-block",
                self.span_of(start)
                    .to(after.map_or(self.span_of(start), |i| self.span_of(i))),
                format!("START must name a block kind, found {found}"),
            )
            .with_label("unknown block")
            .with_help("blocks are COMPONENT, PATH, ENUM, GROUP, ATTRIBUTE and TABLE"),
        );
        self.skip_line()
    }

    // ---- blocks -------------------------------------------------------

    fn parse_block(&mut self, kind: BlockKind, stack: &mut Vec<BlockKind>) -> Block {
        self.skip_trivia();
        let start = self.pos;
        let kind_token = self.bump_two();
        // Only a PATH block can be spelt PATHS: no need to classify the word again.
        if kind == BlockKind::Path && self.keyword_at(kind_token) == Some(Keyword::Paths) {
            self.report(
                Diagnostic::warning(
                    "mif::paths-keyword",
                    self.span_of(kind_token),
                    "`PATHS` is an old spelling of `PATH`",
                )
                .with_label("read as PATH")
                .with_help("write START PATH / END PATH (`mif fmt` keeps the spelling)"),
            );
        }
        let head = TokenRange::new(start, self.pos);
        let head_span = self.span_of(start).to(self.span_of(kind_token));
        stack.push(kind);
        let (mut items, tail) = self.parse_body(kind, head_span, stack, false);
        stack.pop();
        // Give back room made for a typical block and left mostly unused:
        // a million three-statement attributes would otherwise hold 1 KB each.
        if items.capacity() > 2 * items.len() {
            items.shrink_to_fit();
        }
        let (tokens, span) = self.range_from(start);
        Block {
            kind,
            head,
            items,
            tail,
            tokens,
            span,
            head_span,
        }
    }

    /// The items of a component with no START or END around them: one of
    /// the stretches the formatter handles on its own. Running out of
    /// tokens is their end, not an unclosed block; a closing END COMPONENT
    /// is an error here.
    pub(super) fn parse_component_items(&mut self) -> Vec<Item> {
        let mut stack = vec![BlockKind::Component];
        let (items, tail) = self.parse_body(BlockKind::Component, self.here(), &mut stack, true);
        if let Some(tail) = tail {
            let span = self.span_of(tail.start);
            self.report(Diagnostic::error(
                "mif::unmatched-end",
                span,
                "END COMPONENT inside a stretch of component items",
            ));
        }
        items
    }

    /// A block's items up to its END (returned as the tail). `stack` ends
    /// with `kind`. With `open_ended`, the end of the tokens ends the body
    /// without a diagnostic.
    fn parse_body(
        &mut self,
        kind: BlockKind,
        head_span: Span,
        stack: &mut Vec<BlockKind>,
        open_ended: bool,
    ) -> (Vec<Item>, Option<TokenRange>) {
        let parent = Some(kind);
        // Room for a typical block's statements and children at once:
        // growing a vector of items copies them, which showed in profiles.
        let mut items = Vec::with_capacity(match kind {
            BlockKind::Group | BlockKind::Table => 16,
            _ => 8,
        });
        let mut tail = None;
        loop {
            let Some(next) = self.peek() else {
                if !open_ended {
                    self.report_unclosed(kind, head_span, None, stack.len() == 1);
                }
                break;
            };
            let token = self.tokens[next];
            match token.kind {
                TokenKind::Word => match self.keyword_at(next) {
                    Some(Keyword::Start) => {
                        let Some(child) = self.peek_block_kind() else {
                            items.push(Item::Error(self.bad_start()));
                            continue;
                        };
                        if stack.contains(&child) || ancestors_allow(stack, child) {
                            self.report_unclosed(kind, head_span, Some(token.span()), false);
                            break;
                        }
                        if !allowed_in(parent, child) {
                            self.report(
                                Diagnostic::error(
                                    "mif::misplaced-block",
                                    self.span_of(next),
                                    format!("{} block inside {}", child.name(), a_block(kind)),
                                )
                                .with_label(format!("not allowed in {}", kind.name()))
                                .with_related(head_span, format!("this {}", kind.name()))
                                .with_help(placement_help(child)),
                            );
                        }
                        items.push(Item::Block(self.parse_block(child, stack)));
                    }
                    Some(Keyword::End) => {
                        let end_kind = self
                            .peek_second()
                            .and_then(|i| self.keyword_at(i))
                            .and_then(BlockKind::from_keyword);
                        if end_kind == Some(kind) {
                            self.skip_trivia();
                            let end_start = self.pos;
                            self.bump_two();
                            tail = Some(TokenRange::new(end_start, self.pos));
                            break;
                        }
                        if end_kind.is_some_and(|k| stack.contains(&k)) {
                            self.report_unclosed(kind, head_span, Some(token.span()), false);
                            break;
                        }
                        items.push(Item::Error(self.stray_end(end_kind)));
                    }
                    Some(keyword) if is_statement_keyword(keyword) => {
                        if !statement_allowed(parent, keyword) {
                            self.report_misplaced_statement(keyword, next, kind, head_span);
                        }
                        items.push(self.parse_statement(keyword, stack));
                    }
                    _ => {
                        let word = self.token_text(next);
                        let mut d = Diagnostic::error(
                            "mif::unknown-keyword",
                            token.span(),
                            format!("`{word}` is not a MIF keyword"),
                        )
                        .with_label(format!("unexpected in {}", a_block(kind)));
                        d = d.with_help(match suggest_keyword(word) {
                            Some(k) => format!("did you mean `{}`?", k.as_str()),
                            None => format!(
                                "{} holds statements like NAME = \"...\" and nested START/END blocks; \
                                 text must be in double quotes",
                                a_block(kind)
                            ),
                        });
                        self.report(d);
                        items.push(Item::Error(self.skip_line()));
                    }
                },
                TokenKind::Integer if kind == BlockKind::Enum => {
                    items.push(Item::EnumItem(self.parse_enum_item()));
                }
                TokenKind::LBrace if kind == BlockKind::Table => {
                    items.push(Item::Row(self.parse_row()));
                }
                _ => {
                    let what = describe(token, self.text);
                    let help = match (token.kind, kind) {
                        (TokenKind::LBrace, _) => {
                            "table rows `{...}` belong in a START TABLE block"
                        }
                        (TokenKind::Integer, _) => {
                            "`number = \"text\"` items belong in a START ENUM block"
                        }
                        (TokenKind::String | TokenKind::UnterminatedString, _) => {
                            "a string must follow a keyword and `=`, as in NAME = \"...\""
                        }
                        _ => "expected a statement (KEYWORD = value) or START/END",
                    };
                    self.report(
                        Diagnostic::error(
                            "mif::unexpected-token",
                            token.span(),
                            format!("unexpected {what} in {}", a_block(kind)),
                        )
                        .with_label("not expected here")
                        .with_help(help),
                    );
                    items.push(Item::Error(self.skip_line()));
                }
            }
        }
        (items, tail)
    }

    fn report_unclosed(
        &mut self,
        kind: BlockKind,
        head: Span,
        found: Option<Span>,
        is_last_component: bool,
    ) {
        if kind == BlockKind::Component && found.is_none() && is_last_component {
            self.report(
                Diagnostic::warning(
                    "mif::missing-end-component",
                    head,
                    "END COMPONENT is missing at the end of the file",
                )
                .with_label("this component is never closed")
                .with_help(
                    "add END COMPONENT as the last line (`mif fmt` keeps the file as it is)",
                ),
            );
            return;
        }
        let name = kind.name();
        let mut d = Diagnostic::error(
            "mif::unclosed-block",
            head,
            format!("START {name} without END {name}"),
        )
        .with_label(format!("this {name} is never closed"));
        d = match found {
            Some(span) => d
                .with_related(span, format!("expected END {name} before this"))
                .with_help(format!("add END {name} before the marked line")),
            None => d.with_help(format!(
                "add END {name} at the end of the block; the file ended first"
            )),
        };
        self.report(d);
    }

    fn stray_end(&mut self, end_kind: Option<BlockKind>) -> ErrorNode {
        self.skip_trivia();
        let start = self.pos;
        let end_token = self.bump();
        let mut span = self.span_of(end_token);
        if end_kind.is_some() {
            let kind_token = self.bump();
            span = span.to(self.span_of(kind_token));
        }
        let message = match end_kind {
            Some(k) => format!("END {} without a matching START {}", k.name(), k.name()),
            None => format!("END must name a block kind, found {}", self.describe_next()),
        };
        self.report(
            Diagnostic::error("mif::unmatched-end", span, message)
                .with_label("nothing to close here")
                .with_help("remove it, or add the START it belongs to"),
        );
        let (tokens, span) = self.range_from(start);
        ErrorNode { tokens, span }
    }

    fn report_misplaced_statement(
        &mut self,
        keyword: Keyword,
        index: usize,
        kind: BlockKind,
        head: Span,
    ) {
        let help = match keyword {
            Keyword::Language => "LANGUAGE goes before START COMPONENT".to_string(),
            k if k.is_environment() => {
                format!("{} = \"...\" belongs in a START PATH block", k.as_str())
            }
            k => format!(
                "{} is not one of the statements {} takes",
                k.as_str(),
                a_block(kind)
            ),
        };
        self.report(
            Diagnostic::error(
                "mif::misplaced-statement",
                self.span_of(index),
                format!("{} statement in {}", keyword.as_str(), a_block(kind)),
            )
            .with_label(format!("not allowed in {}", kind.name()))
            .with_related(head, format!("this {}", kind.name()))
            .with_help(help),
        );
    }

    // ---- statements ---------------------------------------------------

    /// A statement, as the item it becomes: built in place, it is not
    /// copied once more into an `Item` (it is 144 bytes).
    fn parse_statement(&mut self, keyword: Keyword, stack: &mut Vec<BlockKind>) -> Item {
        self.skip_trivia();
        let start = self.pos;
        let keyword_token = self.bump();
        let value = if self.expect_equals(keyword_token) {
            match keyword {
                Keyword::Name
                | Keyword::Description
                | Keyword::Pragma
                | Keyword::Class
                | Keyword::Language => self.parse_string_value(keyword_token),
                Keyword::Id => self.parse_integer_value(keyword_token),
                Keyword::Key => self.parse_keys(keyword_token),
                Keyword::Type => self.parse_type(keyword_token, stack),
                Keyword::Access => self.parse_keyword_value(
                    keyword,
                    keyword_token,
                    &[Keyword::ReadOnly, Keyword::ReadWrite, Keyword::WriteOnly],
                    "READ-ONLY, READ-WRITE or WRITE-ONLY",
                ),
                Keyword::Storage => self.parse_keyword_value(
                    keyword,
                    keyword_token,
                    &[Keyword::Common, Keyword::Specific],
                    "COMMON or SPECIFIC",
                ),
                Keyword::Value => match self.parse_value(keyword_token, false) {
                    Some(v) => StatementValue::Value(v),
                    None => StatementValue::Invalid,
                },
                _ => self.parse_path_target(keyword_token),
            }
        } else {
            StatementValue::Invalid
        };
        let (tokens, span) = self.range_from(start);
        Item::Statement(Statement {
            keyword,
            keyword_token,
            value,
            tokens,
            span,
        })
    }

    /// Consume `=`, on this line or the next (line breaks are white space
    /// in MIF); report when it is missing. Returns whether a value may follow.
    fn expect_equals(&mut self, keyword_token: usize) -> bool {
        if self.peek_kind() == Some(TokenKind::Equals) {
            self.bump();
            return true;
        }
        let keyword = self.token_text(keyword_token).to_ascii_uppercase();
        let same_line_value = !self.next_is_on_new_line()
            && matches!(
                self.peek_kind(),
                Some(TokenKind::String | TokenKind::Integer | TokenKind::UnterminatedString)
            );
        self.report(
            Diagnostic::error(
                "mif::expected-equals",
                self.span_of(keyword_token),
                format!(
                    "expected `=` after {keyword}, found {}",
                    self.describe_next()
                ),
            )
            .with_label("`=` missing after this keyword")
            .with_help(format!("write {keyword} = <value>")),
        );
        same_line_value
    }

    fn parse_string_value(&mut self, keyword_token: usize) -> StatementValue {
        match self.peek_kind() {
            Some(TokenKind::String | TokenKind::UnterminatedString) => {
                StatementValue::String(self.parse_string())
            }
            Some(TokenKind::Word | TokenKind::Integer) if !self.next_is_on_new_line() => {
                self.unquoted(keyword_token, false);
                StatementValue::Invalid
            }
            _ => {
                self.expected(
                    keyword_token,
                    "a string in double quotes",
                    "NAME = \"text\"",
                );
                StatementValue::Invalid
            }
        }
    }

    /// Adjacent literals, joined.
    fn parse_string(&mut self) -> StringLit {
        let first = self.peek().unwrap_or(self.pos);
        let mut last = first;
        self.literal.clear();
        // Most strings are one literal with nothing to decode: its body
        // goes from the text into the tree, not through the buffer.
        let mut plain = None;
        while matches!(
            self.peek_kind(),
            Some(TokenKind::String | TokenKind::UnterminatedString)
        ) {
            last = self.bump();
            let token = self.tokens[last];
            let raw = token.text(self.text);
            // A closed literal ends with its unescaped closing quote: the
            // lexer knew, so its body needs no look for an escaped one.
            let body = match token.kind {
                TokenKind::String => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
                _ => literal_body(raw),
            };
            debug_assert_eq!(body, literal_body(raw));
            let scan = scan_body(body.as_bytes());
            self.suspect_seen |=
                scan.forbidden_control || token.kind == TokenKind::UnterminatedString;
            let special = scan.first_special;
            if last == first && special.is_none() {
                plain = Some(body);
                continue;
            }
            if let Some(body) = plain.take() {
                self.literal.push_str(body);
            }
            let Some(special) = special else {
                self.literal.push_str(body);
                continue;
            };
            let mut diagnostics = Vec::new();
            decode_body_into(
                body,
                special,
                token.span().start + 1,
                self.wide,
                &mut diagnostics,
                &mut self.literal,
            );
            for d in diagnostics {
                self.report(d);
            }
        }
        StringLit {
            pieces: TokenRange::new(first, last + 1),
            value: SmolStr::new(plain.unwrap_or(&self.literal)),
            span: self.span_of(first).to(self.span_of(last)),
        }
    }

    /// Report an unquoted text value and skip it: to the line end, or in a
    /// table row to the next `,` or `}`.
    fn unquoted(&mut self, keyword_token: usize, in_row: bool) {
        let first = self.bump();
        let mut last = first;
        while let Some(next) = self.peek() {
            let kind = self.tokens[next].kind;
            if self.next_is_on_new_line()
                || (in_row && matches!(kind, TokenKind::Comma | TokenKind::RBrace))
            {
                break;
            }
            last = self.bump();
        }
        // Stray characters inside or right after the unquoted text (the
        // final `.` of a sentence) are part of this error.
        let mut end = last + 1;
        while self.tokens.get(end).is_some_and(|t| {
            matches!(t.kind, TokenKind::Stray | TokenKind::Whitespace)
                && (!in_row || !t.text(self.text).contains([',', '}']))
        }) {
            end += 1;
        }
        while end > last + 1 && self.tokens[end - 1].kind == TokenKind::Whitespace {
            end -= 1;
        }
        let span = self.span_of(first).to(self.span_of(end - 1));
        self.quiet.push(span);
        let raw = self.text[span.range()].trim();
        let suggestion = raw.replace('\\', "\\\\").replace('"', "\\\"");
        let keyword = if in_row {
            String::new()
        } else {
            format!("{} = ", self.token_text(keyword_token).to_ascii_uppercase())
        };
        self.report(
            Diagnostic::error("mif::unquoted-string", span, "text value without quotes")
                .with_label("strings must be in double quotes")
                .with_help(format!("write {keyword}\"{suggestion}\"")),
        );
    }

    fn expected(&mut self, keyword_token: usize, what: &str, example: &str) {
        let keyword = self.token_text(keyword_token).to_ascii_uppercase();
        let at = self.here();
        self.report(
            Diagnostic::error(
                "mif::expected-value",
                self.span_of(keyword_token)
                    .to(if self.next_is_on_new_line() {
                        self.span_of(keyword_token)
                    } else {
                        at
                    }),
                format!(
                    "expected {what} after {keyword} =, found {}",
                    self.describe_next()
                ),
            )
            .with_label("value missing or malformed")
            .with_help(format!("for example: {example}")),
        );
    }

    fn parse_int(&mut self) -> IntLit {
        let index = self.bump();
        let token = self.tokens[index];
        // Most integers are short plain decimals, read from the bytes
        // without slicing the text as a `str`.
        let bytes = self.text.as_bytes().get(token.span().range());
        if let Some(value) = bytes.and_then(short_decimal) {
            return IntLit::new(index, token.span(), Some((value, false)));
        }
        let raw = token.text(self.text);
        let value = match decode_integer_parts(raw) {
            Ok((magnitude, negative)) => {
                if negative {
                    self.report(
                        Diagnostic::warning(
                            "mif::negative-integer",
                            token.span(),
                            format!("negative integer `{raw}`"),
                        )
                        .with_label("a leading `-` is an extension to the DMI grammar")
                        .with_help(
                            "INTEGER, INTEGER64 and enum values may be negative, but DMI constants \
                             have no sign and a strict reader rejects the `-`; keep it only where \
                             the value must be negative",
                        ),
                    );
                }
                Some((magnitude, negative))
            }
            Err(message) => {
                self.report(
                    Diagnostic::error("mif::invalid-integer", token.span(), message)
                        .with_label("not an integer")
                        .with_help("integers are decimal (42), octal with a leading 0 (052) or hex with 0x (0x2A)"),
                );
                None
            }
        };
        IntLit::new(index, token.span(), value)
    }

    fn parse_integer_value(&mut self, keyword_token: usize) -> StatementValue {
        if self.peek_kind() == Some(TokenKind::Integer) {
            StatementValue::Integer(self.parse_int())
        } else {
            self.expected(keyword_token, "an integer", "ID = 1");
            self.skip_value_on_line();
            StatementValue::Invalid
        }
    }

    /// After a bad value, skip what is left of it on this line.
    fn skip_value_on_line(&mut self) {
        while !self.next_is_on_new_line()
            && matches!(
                self.peek_kind(),
                Some(TokenKind::String | TokenKind::UnterminatedString | TokenKind::Integer)
            )
        {
            self.bump();
        }
        if !self.next_is_on_new_line()
            && self.peek_kind() == Some(TokenKind::Word)
            && !self.peek_keyword().is_some_and(|k| {
                is_statement_keyword(k) || matches!(k, Keyword::Start | Keyword::End)
            })
        {
            self.bump();
        }
    }

    fn parse_keys(&mut self, keyword_token: usize) -> StatementValue {
        let mut keys = Vec::new();
        loop {
            if self.peek_kind() != Some(TokenKind::Integer) {
                self.expected(
                    keyword_token,
                    "attribute IDs separated by commas",
                    "KEY = 1, 2",
                );
                return if keys.is_empty() {
                    StatementValue::Invalid
                } else {
                    StatementValue::Keys(keys)
                };
            }
            keys.push(self.parse_int());
            if self.peek_kind() == Some(TokenKind::Comma) {
                self.bump();
            } else {
                return StatementValue::Keys(keys);
            }
        }
    }

    fn parse_type(&mut self, keyword_token: usize, stack: &mut Vec<BlockKind>) -> StatementValue {
        let Some(next) = self.peek() else {
            self.expected(keyword_token, "a data type", "TYPE = STRING(64)");
            return StatementValue::Invalid;
        };
        let token = self.tokens[next];
        match token.kind {
            TokenKind::String | TokenKind::UnterminatedString => {
                StatementValue::Type(TypeExpr::EnumRef(self.parse_string()))
            }
            TokenKind::Word => match self.keyword_at(next) {
                Some(Keyword::Start) if self.peek_block_kind() == Some(BlockKind::Enum) => {
                    if stack.contains(&BlockKind::Enum) {
                        self.expected(keyword_token, "a data type", "TYPE = INTEGER");
                        return StatementValue::Invalid;
                    }
                    let block = self.parse_block(BlockKind::Enum, stack);
                    StatementValue::Type(TypeExpr::Enum(Box::new(block)))
                }
                Some(Keyword::Date) => {
                    self.bump();
                    StatementValue::Type(TypeExpr::Date { span: token.span() })
                }
                Some(k) if crate::syntax::IntType::from_keyword(k).is_some() => {
                    self.bump();
                    let kind = IntType::from_keyword(k).unwrap_or(IntType::Integer);
                    StatementValue::Type(TypeExpr::Integer {
                        kind,
                        span: token.span(),
                    })
                }
                Some(k @ (Keyword::String | Keyword::DisplayString | Keyword::OctetString)) => {
                    self.bump();
                    let kind = match k {
                        Keyword::String => StringType::String,
                        Keyword::DisplayString => StringType::DisplayString,
                        _ => StringType::OctetString,
                    };
                    self.parse_string_size(kind, token.span())
                }
                _ if !self.next_is_on_new_line() && self.keyword_at(next).is_none() => {
                    let word = self.token_text(next).to_string();
                    self.bump();
                    let help = match suggest_type(&word) {
                        Some(t) => format!("did you mean `{t}`?"),
                        None => "types are INTEGER, INTEGER64, COUNTER, COUNTER64, GAUGE, DATE, \
                                 STRING(n), DISPLAYSTRING(n), OCTETSTRING(n), a named enum in quotes, \
                                 or START ENUM ... END ENUM"
                            .into(),
                    };
                    self.report(
                        Diagnostic::error(
                            "mif::unknown-type",
                            token.span(),
                            format!("`{word}` is not a MIF data type"),
                        )
                        .with_label("unknown type")
                        .with_help(help),
                    );
                    StatementValue::Invalid
                }
                _ => {
                    self.expected(keyword_token, "a data type", "TYPE = STRING(64)");
                    StatementValue::Invalid
                }
            },
            _ => {
                self.expected(keyword_token, "a data type", "TYPE = STRING(64)");
                StatementValue::Invalid
            }
        }
    }

    fn parse_string_size(&mut self, kind: StringType, keyword_span: Span) -> StatementValue {
        let name = match kind {
            StringType::String => "STRING",
            StringType::DisplayString => "DISPLAYSTRING",
            StringType::OctetString => "OCTETSTRING",
        };
        if self.peek_kind() != Some(TokenKind::LParen) {
            self.report(
                Diagnostic::error(
                    "mif::missing-size",
                    keyword_span,
                    format!("{name} needs a size in octets"),
                )
                .with_label("size missing")
                .with_help(format!(
                    "write {name}(64), the most octets a value may take"
                )),
            );
            return StatementValue::Type(TypeExpr::String {
                kind,
                size: None,
                span: keyword_span,
            });
        }
        self.bump();
        let size = if self.peek_kind() == Some(TokenKind::Integer) {
            Some(self.parse_int())
        } else {
            self.report(
                Diagnostic::error(
                    "mif::missing-size",
                    self.here(),
                    format!("{name}( needs a size, found {}", self.describe_next()),
                )
                .with_label("expected an integer")
                .with_help(format!("write {name}(64)")),
            );
            None
        };
        let mut span = keyword_span.to(self.span_of(self.last_end - 1));
        if self.peek_kind() == Some(TokenKind::RParen) {
            let close = self.bump();
            span = span.to(self.span_of(close));
        } else {
            self.report(
                Diagnostic::error(
                    "mif::expected-token",
                    self.here(),
                    format!(
                        "expected `)` to close {name}(, found {}",
                        self.describe_next()
                    ),
                )
                .with_label("`)` missing")
                .with_help(format!("write {name}(64)")),
            );
        }
        StatementValue::Type(TypeExpr::String { kind, size, span })
    }

    fn parse_keyword_value(
        &mut self,
        keyword: Keyword,
        keyword_token: usize,
        choices: &[Keyword],
        names: &str,
    ) -> StatementValue {
        // One of the choices, on this line or the next (line breaks are
        // white space): the usual case, taken before anything else.
        if let Some(next) = self.peek() {
            if let Some(k) = self.keyword_at(next).filter(|k| choices.contains(k)) {
                self.bump();
                return StatementValue::Keyword(k, self.tokens[next].span());
            }
        }
        // For messages: the keyword's name is its text upper-cased, without
        // upper-casing (an allocation) for every statement.
        let statement = keyword.as_str();
        // Any other word on the next line starts the next statement.
        let Some(next) = self.peek().filter(|_| !self.next_is_on_new_line()) else {
            self.expected(
                keyword_token,
                names,
                &format!("{statement} = {}", choices[0].as_str()),
            );
            return StatementValue::Invalid;
        };
        let token = self.tokens[next];
        match self.keyword_at(next) {
            Some(k @ (Keyword::Unknown | Keyword::Unsupported)) if keyword == Keyword::Access => {
                self.bump();
                self.report(
                    Diagnostic::warning(
                        "mif::unusual-access",
                        token.span(),
                        format!("ACCESS = {} is not in the DMI grammar", k.as_str()),
                    )
                    .with_label("only a run-time access mode")
                    .with_help("use READ-ONLY, READ-WRITE or WRITE-ONLY"),
                );
                StatementValue::Keyword(k, token.span())
            }
            _ => {
                let found = describe(token, self.text);
                if matches!(token.kind, TokenKind::Word | TokenKind::String) {
                    self.bump();
                }
                self.report(
                    Diagnostic::error(
                        "mif::invalid-keyword-value",
                        token.span(),
                        format!("{statement} must be {names}, found {found}"),
                    )
                    .with_label("not allowed here")
                    .with_help(format!("write {statement} = {}", choices[0].as_str())),
                );
                StatementValue::Invalid
            }
        }
    }

    fn parse_path_target(&mut self, keyword_token: usize) -> StatementValue {
        match self.peek_kind() {
            Some(TokenKind::String | TokenKind::UnterminatedString) => {
                StatementValue::String(self.parse_string())
            }
            Some(TokenKind::Word) if self.peek_keyword() == Some(Keyword::DirectInterface) => {
                let index = self.bump();
                StatementValue::Keyword(Keyword::DirectInterface, self.span_of(index))
            }
            _ => {
                self.expected(
                    keyword_token,
                    "a path in double quotes or DIRECT-INTERFACE",
                    "WIN32 = \"C:\\\\tools\\\\probe.dll\"",
                );
                StatementValue::Invalid
            }
        }
    }

    /// A VALUE right-hand side or a table cell. A VALUE's may be on the
    /// next line (line breaks are white space), unless a word there, which
    /// starts the next statement.
    fn parse_value(&mut self, keyword_token: usize, in_row: bool) -> Option<Value> {
        let Some(next) = self.peek().filter(|&next| {
            in_row
                || !self.next_is_on_new_line()
                || self.tokens[next].kind != TokenKind::Word
                || matches!(
                    self.keyword_at(next),
                    Some(Keyword::Unknown | Keyword::Unsupported)
                )
        }) else {
            self.expected(keyword_token, "a value", "VALUE = \"text\"");
            return None;
        };
        let token = self.tokens[next];
        match token.kind {
            TokenKind::String | TokenKind::UnterminatedString => {
                Some(Value::String(self.parse_string()))
            }
            TokenKind::Integer => Some(Value::Integer(self.parse_int())),
            TokenKind::Star => {
                self.bump();
                if matches!(
                    self.peek_kind(),
                    Some(TokenKind::String | TokenKind::UnterminatedString)
                ) {
                    Some(Value::Path {
                        star: token.span(),
                        name: self.parse_string(),
                    })
                } else {
                    self.report(
                        Diagnostic::error(
                            "mif::expected-value",
                            token.span(),
                            format!(
                                "expected a path name in quotes after `*`, found {}",
                                self.describe_next()
                            ),
                        )
                        .with_label("`*` must be followed by a PATH name")
                        .with_help("write VALUE = * \"path name\", naming a START PATH block"),
                    );
                    None
                }
            }
            TokenKind::Word => match self.keyword_at(next) {
                Some(Keyword::Unknown) => {
                    self.bump();
                    Some(Value::Unknown(token.span()))
                }
                Some(Keyword::Unsupported) => {
                    self.bump();
                    Some(Value::Unsupported(token.span()))
                }
                Some(k)
                    if !in_row
                        && (is_statement_keyword(k)
                            || matches!(k, Keyword::Start | Keyword::End)) =>
                {
                    self.expected(keyword_token, "a value", "VALUE = \"text\"");
                    None
                }
                _ => {
                    self.unquoted(keyword_token, in_row);
                    None
                }
            },
            _ => {
                self.expected(keyword_token, "a value", "VALUE = \"text\"");
                None
            }
        }
    }

    fn parse_enum_item(&mut self) -> EnumItem {
        self.skip_trivia();
        let start = self.pos;
        let value = self.parse_int();
        let mut text = None;
        if self.peek_kind() == Some(TokenKind::Equals) {
            self.bump();
            if matches!(
                self.peek_kind(),
                Some(TokenKind::String | TokenKind::UnterminatedString)
            ) {
                text = Some(self.parse_string());
            } else if self.peek_kind() == Some(TokenKind::Word) && !self.next_is_on_new_line() {
                self.unquoted(value.token, false);
            } else {
                self.expected(
                    value.token,
                    "the item's text in double quotes",
                    "0x01 = \"Other\"",
                );
            }
        } else {
            self.report(
                Diagnostic::error(
                    "mif::expected-equals",
                    value.span,
                    format!(
                        "expected `=` after enum value, found {}",
                        self.describe_next()
                    ),
                )
                .with_label("enum items are `value = \"text\"`")
                .with_help("write 1 = \"Text\""),
            );
        }
        let (tokens, span) = self.range_from(start);
        EnumItem {
            value,
            text,
            tokens,
            span,
        }
    }

    fn parse_row(&mut self) -> Row {
        self.skip_trivia();
        let start = self.pos;
        let open = self.bump();
        let mut cells = Vec::new();
        let mut need_cell = false;
        loop {
            let Some(next) = self.peek() else {
                self.report_unclosed_row(open);
                break;
            };
            let kind = self.tokens[next].kind;
            match kind {
                TokenKind::RBrace => {
                    if need_cell {
                        cells.push(None);
                    }
                    self.bump();
                    break;
                }
                TokenKind::Comma => {
                    if need_cell || cells.is_empty() {
                        cells.push(None);
                    }
                    need_cell = true;
                    self.bump();
                }
                TokenKind::Word
                    if matches!(self.keyword_at(next), Some(Keyword::Start | Keyword::End))
                        || self.keyword_at(next).is_some_and(is_statement_keyword) =>
                {
                    self.report_unclosed_row(open);
                    break;
                }
                TokenKind::LBrace => {
                    self.report_unclosed_row(open);
                    break;
                }
                _ => {
                    if !need_cell && !cells.is_empty() {
                        self.report(
                            Diagnostic::error(
                                "mif::expected-token",
                                self.tokens[next].span(),
                                format!(
                                    "expected `,` or `}}` between cells, found {}",
                                    describe(self.tokens[next], self.text)
                                ),
                            )
                            .with_label("`,` missing before this cell")
                            .with_help("separate cells with commas: {1, \"a\", , 3}"),
                        );
                    }
                    let before = self.pos;
                    let cell = self.parse_value(open, true);
                    if self.pos == before {
                        // Nothing could be read as a cell: skip one token.
                        self.bump();
                    }
                    cells.push(cell);
                    need_cell = false;
                }
            }
        }
        let (tokens, span) = self.range_from(start);
        Row {
            cells,
            tokens,
            span,
        }
    }

    fn report_unclosed_row(&mut self, open: usize) {
        self.report(
            Diagnostic::error(
                "mif::unclosed-row",
                self.span_of(open),
                "table row without `}`",
            )
            .with_label("this row is never closed")
            .with_help("end the row with `}`"),
        );
    }
}

/// "a GROUP block", "an ATTRIBUTE block": for messages.
fn a_block(kind: BlockKind) -> String {
    let name = kind.name();
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name} block")
}

fn ancestors_allow(stack: &[BlockKind], child: BlockKind) -> bool {
    let ancestors = &stack[..stack.len().saturating_sub(1)];
    allowed_in(None, child) || ancestors.iter().any(|&a| allowed_in(Some(a), child))
}

fn placement_help(child: BlockKind) -> String {
    match child {
        BlockKind::Component => "a file holds one component, at the top".into(),
        BlockKind::Attribute => "attributes belong in a START GROUP block".into(),
        BlockKind::Enum => {
            "enums go at component level (then TYPE = \"name\"), or inline as TYPE = START ENUM ... END ENUM".into()
        }
        other => format!("{} blocks belong directly in the component", other.name()),
    }
}

/// A short description of a token for messages.
pub(crate) fn describe(token: Token, text: &str) -> String {
    let raw = token.text(text);
    let short: String = raw.chars().take(24).collect();
    let short = if short.len() < raw.len() {
        format!("{short}...")
    } else {
        short
    };
    match token.kind {
        TokenKind::Word => format!("`{short}`"),
        TokenKind::Integer => format!("the number `{short}`"),
        TokenKind::String | TokenKind::UnterminatedString => format!("the string {short}"),
        TokenKind::Newline => "a line break".into(),
        TokenKind::Comment => "a comment".into(),
        _ => format!("`{}`", short.escape_debug()),
    }
}

/// The keyword a misspelt word most likely meant.
fn suggest_keyword(word: &str) -> Option<Keyword> {
    const CANDIDATES: &[&str] = &[
        "START",
        "END",
        "NAME",
        "DESCRIPTION",
        "PRAGMA",
        "CLASS",
        "ID",
        "KEY",
        "TYPE",
        "ACCESS",
        "STORAGE",
        "VALUE",
        "LANGUAGE",
    ];
    let upper = word.to_ascii_uppercase();
    CANDIDATES
        .iter()
        .filter(|c| upper.len() > 2 && edit_distance(c, &upper) <= 2)
        .min_by_key(|c| edit_distance(c, &upper))
        .and_then(|c| Keyword::parse(c))
}

fn suggest_type(word: &str) -> Option<&'static str> {
    const TYPES: &[&str] = &[
        "INTEGER",
        "INTEGER64",
        "COUNTER",
        "COUNTER64",
        "GAUGE",
        "DATE",
        "STRING",
        "DISPLAYSTRING",
        "OCTETSTRING",
    ];
    let upper = word.to_ascii_uppercase();
    TYPES
        .iter()
        .copied()
        .filter(|t| edit_distance(t, &upper) <= 2)
        .min_by_key(|t| edit_distance(t, &upper))
}

/// Levenshtein distance over characters, for every "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}
