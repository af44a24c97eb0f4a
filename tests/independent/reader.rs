//! A MIF reader written from `/work/shared/docs/mif-reference.md` alone,
//! deliberately sharing nothing with `mif::lexer` / `mif::syntax`, that
//! reduces a file to its meaning: what any DMI or SMS reader would see.
//! Layout, keyword case and the spelling of literals are not meaning;
//! decoded values, their order and the comments are.
//!
//! Where the reference leaves a question open, the reader takes what a
//! tolerant real-world reader (the SMS/ConfigMgr client, C runtime on
//! Windows) would do; each such choice says so where it is made.

use super::decode::{decode, Encoding};

/// What a file says, in order. Two files with equal meanings are the same
/// file to every reader.
#[derive(Debug, PartialEq)]
pub struct Meaning {
    pub encoding: Encoding,
    pub facts: Vec<Fact>,
    pub comments: Vec<Comment>,
}

/// One meaningful piece of a file, with the path of the block it is in
/// (`COMPONENT/GROUP 2/ATTRIBUTE 1`: kinds with their ordinal among the
/// parent's blocks).
#[derive(Debug, PartialEq)]
pub enum Fact {
    Start {
        path: String,
    },
    End {
        path: String,
    },
    Statement {
        path: String,
        keyword: String,
        value: Value,
    },
    EnumItem {
        path: String,
        value: i128,
        text: Value,
    },
    Row {
        path: String,
        cells: Vec<Value>,
    },
}

/// A statement's right-hand side or a table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Adjacent literals joined, escapes decoded.
    Str(String),
    Int(i128),
    /// A bare keyword, upper-cased (`READ-ONLY`, `UNKNOWN`).
    Word(String),
    /// `STRING(64)` and friends: the type keyword and its size.
    Sized(String, i128),
    /// `* "path name"`: a value supplied by instrumentation.
    Overlay(String),
    /// `KEY = 1, 2, 3`.
    List(Vec<Value>),
    /// `TYPE = START ENUM ... END ENUM`: the block's facts follow.
    InlineBlock,
    /// An empty table cell (the template's default).
    Empty,
}

/// A `//` comment, verbatim except for trailing blanks (which no reader
/// sees, and the canonical style drops). `leading` marks comments before
/// any statement, where SMS looks for IDMIF headers (§4.3).
#[derive(Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub leading: bool,
}

/// Read a file's meaning; `Err` says why the file is not MIF to this reader.
pub fn meaning(bytes: &[u8]) -> Result<Meaning, String> {
    let (encoding, chars) = decode(bytes)?;
    let (tokens, comments) = Tokenizer::new(&chars, encoding.is_wide()).run()?;
    let facts = Reader::new(tokens).run()?;
    Ok(Meaning {
        encoding,
        facts,
        comments,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A keyword, upper-cased: keywords are case-insensitive (§1.2).
    Word(String),
    Int(i128),
    /// One literal, decoded; adjacent ones are joined by the reader.
    Str(String),
    Punct(char),
}

struct Tokenizer<'a> {
    chars: &'a [char],
    at: usize,
    wide: bool,
    tokens: Vec<Token>,
    comments: Vec<Comment>,
}

impl<'a> Tokenizer<'a> {
    fn new(chars: &'a [char], wide: bool) -> Self {
        // A 0x1A ends the text: the C runtime's text mode (how DOS and
        // Windows readers open files) stops there, wherever it stands.
        let end = chars
            .iter()
            .position(|&c| c == '\x1A')
            .unwrap_or(chars.len());
        Tokenizer {
            chars: &chars[..end],
            at: 0,
            wide,
            tokens: Vec::new(),
            comments: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn run(mut self) -> Result<(Vec<Token>, Vec<Comment>), String> {
        while let Some(c) = self.peek(0) {
            match c {
                // White space per §1.2: blanks, tabs, CR and LF.
                ' ' | '\t' | '\r' | '\n' => self.at += 1,
                '/' if self.peek(1) == Some('/') => self.comment(),
                '"' => {
                    let text = self.string()?;
                    self.tokens.push(Token::Str(text));
                }
                '=' | '(' | ')' | ',' | '{' | '}' | '*' => {
                    self.tokens.push(Token::Punct(c));
                    self.at += 1;
                }
                'A'..='Z' | 'a'..='z' => self.word(),
                // A leading minus is an extension the reference recommends
                // accepting (§1.4): enum values and INTEGER are signed.
                '0'..='9' | '-' => {
                    let value = self.integer()?;
                    self.tokens.push(Token::Int(value));
                }
                _ => return Err(format!("illegal character {c:?} at {}", self.at)),
            }
        }
        Ok((self.tokens, self.comments))
    }

    /// `//` to the end of the line. A lone CR ends a line too: §1.2 makes CR
    /// and LF equivalent white space (INFERRED there), and old Mac files end
    /// lines with CR alone. OPEN: a C reader that splits lines at LF only
    /// would read `// a<CR>NAME = "x"` as one comment; under that reading
    /// `mif fmt` changes any file with a lone CR outside literals (it turns
    /// the CR into the file's line ending, or re-indents what follows it),
    /// and only those: the reference does not settle which reading is right.
    fn comment(&mut self) {
        let start = self.at;
        while self.peek(0).is_some_and(|c| c != '\r' && c != '\n') {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        self.comments.push(Comment {
            text: text.trim_end_matches([' ', '\t']).to_string(),
            leading: self.tokens.is_empty(),
        });
    }

    /// A keyword: `[A-Za-z][A-Za-z0-9-]*` (§1.6), matched ignoring case.
    fn word(&mut self) {
        let start = self.at;
        while self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        self.tokens.push(Token::Word(word.to_ascii_uppercase()));
    }

    /// `nnn`, `0nnn` octal, `0xnnn` hex (§1.4), with an optional `-`.
    fn integer(&mut self) -> Result<i128, String> {
        let start = self.at;
        let negative = self.peek(0) == Some('-');
        if negative {
            self.at += 1;
        }
        let radix = match (self.peek(0), self.peek(1)) {
            (Some('0'), Some('x' | 'X')) => {
                self.at += 2;
                16
            }
            (Some('0'), Some('0'..='9')) => 8,
            _ => 10,
        };
        let digits_start = self.at;
        let mut value: i128 = 0;
        while let Some(digit) = self.peek(0).and_then(|c| c.to_digit(radix)) {
            value = value
                .checked_mul(i128::from(radix))
                .and_then(|v| v.checked_add(i128::from(digit)))
                .ok_or("integer too large")?;
            self.at += 1;
        }
        // White space (or a separator) must follow a constant (§1.2), so
        // `08`, `12ab` and `0x` are errors, not two tokens.
        let glued = self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if self.at == digits_start || glued {
            return Err(format!("malformed integer at {start}"));
        }
        Ok(if negative { -value } else { value })
    }

    /// A literal (§1.5), escapes decoded. A raw line break inside is an
    /// error to the spec, but SMS's own ISMIF32 wrote such literals, so a
    /// tolerant reader keeps it as part of the value; so are tabs and other
    /// control characters (a C reader copies whatever bytes it finds).
    fn string(&mut self) -> Result<String, String> {
        let start = self.at;
        self.at += 1;
        let mut text = String::new();
        loop {
            let c = self
                .peek(0)
                .ok_or_else(|| format!("unterminated literal at {start}"))?;
            self.at += 1;
            match c {
                '"' => return Ok(text),
                '\\' => self.escape(&mut text)?,
                _ => text.push(c),
            }
        }
    }

    fn escape(&mut self, text: &mut String) -> Result<(), String> {
        let c = self
            .peek(0)
            .ok_or("unterminated literal after a backslash")?;
        self.at += 1;
        let simple = match c {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0C'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0B'),
            'x' | '0'..='7' => None,
            // "the backslash is ignored" (§1.5): `\q` is `q`, and a
            // backslash before a line break keeps the line break.
            other => Some(other),
        };
        if let Some(c) = simple {
            text.push(c);
            return Ok(());
        }
        // Hex: 1-2 digits (1-4 in Unicode files); octal: 1-3 (1-6).
        let (radix, most, first) = match c {
            'x' => (16, if self.wide { 4 } else { 2 }, 0),
            _ => (8, if self.wide { 6 } else { 3 }, 1),
        };
        let mut value = if first == 1 {
            c.to_digit(8).unwrap_or(0)
        } else {
            0
        };
        let mut count = first;
        while count < most {
            match self.peek(0).and_then(|d| d.to_digit(radix)) {
                Some(digit) => {
                    value = value * radix + digit;
                    count += 1;
                    self.at += 1;
                }
                None => break,
            }
        }
        let limit = if self.wide { 0xFFFF } else { 0xFF };
        if count == 0 || value > limit {
            return Err(format!("invalid escape sequence before {}", self.at));
        }
        // A UTF-16 escape may name half a surrogate pair: keep it visible.
        match char::from_u32(value) {
            Some(c) => text.push(c),
            None => text.push_str(&format!("<U+{value:04X}>")),
        }
        Ok(())
    }
}

/// Tokens to facts, after the grammar of §2.1, read leniently: any
/// statement in any block, in any order; a missing `END` at the end of
/// the file is accepted (§5, "Missing `End Component`").
struct Reader {
    tokens: Vec<Token>,
    at: usize,
    /// Open blocks: their path element and how many blocks they hold so far.
    open: Vec<(String, usize)>,
    top_level_blocks: usize,
    facts: Vec<Fact>,
}

impl Reader {
    fn new(tokens: Vec<Token>) -> Self {
        Reader {
            tokens,
            at: 0,
            open: Vec::new(),
            top_level_blocks: 0,
            facts: Vec::new(),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, String> {
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or("unexpected end of file")?;
        self.at += 1;
        Ok(token)
    }

    fn expect(&mut self, punct: char) -> Result<(), String> {
        match self.next()? {
            Token::Punct(p) if p == punct => Ok(()),
            other => Err(format!("expected `{punct}`, found {other:?}")),
        }
    }

    fn path(&self) -> String {
        let parts: Vec<&str> = self.open.iter().map(|(part, _)| part.as_str()).collect();
        parts.join("/")
    }

    fn run(mut self) -> Result<Vec<Fact>, String> {
        while let Some(token) = self.peek().cloned() {
            match token {
                Token::Word(word) if word == "START" => self.start()?,
                Token::Word(word) if word == "END" => self.end()?,
                Token::Word(keyword) => {
                    self.at += 1;
                    self.expect('=')?;
                    let value = self.value()?;
                    let path = self.path();
                    self.facts.push(Fact::Statement {
                        path,
                        keyword,
                        value,
                    });
                }
                // `vvv = "literal"` inside an enum (§2.7).
                Token::Int(value) => {
                    self.at += 1;
                    self.expect('=')?;
                    let text = self.value()?;
                    let path = self.path();
                    self.facts.push(Fact::EnumItem { path, value, text });
                }
                Token::Punct('{') => self.row()?,
                other => return Err(format!("unexpected {other:?}")),
            }
        }
        Ok(self.facts)
    }

    /// The block keyword after START or END. `PATHS` is an old spelling of
    /// `PATH` that real OS/2 files use (the corpus' `expected.tsv` accepts
    /// it), so a tolerant reader takes it for PATH.
    fn block_kind(&mut self, after: &str) -> Result<String, String> {
        match self.next()? {
            Token::Word(kind) if kind == "PATHS" => Ok("PATH".into()),
            Token::Word(kind) => Ok(kind),
            other => Err(format!("{after} before {other:?}, not a block keyword")),
        }
    }

    fn start(&mut self) -> Result<(), String> {
        self.at += 1;
        let kind = self.block_kind("START")?;
        if kind == "START" || kind == "END" {
            return Err(format!("START {kind}"));
        }
        let ordinal = match self.open.last_mut() {
            Some((_, children)) => children,
            None => &mut self.top_level_blocks,
        };
        *ordinal += 1;
        let part = format!("{kind} {ordinal}");
        self.open.push((part, 0));
        self.facts.push(Fact::Start { path: self.path() });
        Ok(())
    }

    fn end(&mut self) -> Result<(), String> {
        self.at += 1;
        let kind = self.block_kind("END")?;
        let path = self.path();
        match self.open.pop() {
            Some((part, _)) if part.split(' ').next() == Some(kind.as_str()) => {
                self.facts.push(Fact::End { path });
                Ok(())
            }
            _ => Err(format!("END {kind} does not close the open block {path:?}")),
        }
    }

    /// `{ v1, , v3 }`: empty cells are kept (they mean "the default").
    fn row(&mut self) -> Result<(), String> {
        self.at += 1;
        let mut cells = Vec::new();
        loop {
            let cell = match self.peek() {
                Some(Token::Punct(',' | '}')) => Value::Empty,
                _ => self.atom()?,
            };
            cells.push(cell);
            match self.next()? {
                Token::Punct(',') => {}
                Token::Punct('}') => break,
                other => return Err(format!("expected `,` or `}}` in a row, found {other:?}")),
            }
        }
        let path = self.path();
        self.facts.push(Fact::Row { path, cells });
        Ok(())
    }

    /// A right-hand side: one atom, or a comma-separated list (`KEY`).
    fn value(&mut self) -> Result<Value, String> {
        let first = self.atom()?;
        if self.peek() != Some(&Token::Punct(',')) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek() == Some(&Token::Punct(',')) {
            self.at += 1;
            items.push(self.atom()?);
        }
        Ok(Value::List(items))
    }

    fn atom(&mut self) -> Result<Value, String> {
        match self.next()? {
            Token::Str(first) => Ok(Value::Str(self.joined(first))),
            Token::Int(value) => Ok(Value::Int(value)),
            Token::Punct('*') => match self.next()? {
                Token::Str(first) => Ok(Value::Overlay(self.joined(first))),
                other => Err(format!("`*` before {other:?}, not a path name")),
            },
            // `TYPE = START ENUM`: the block is read as any other.
            Token::Word(word) if word == "START" => {
                self.at -= 1;
                Ok(Value::InlineBlock)
            }
            Token::Word(word) if word == "END" => Err("a value is missing before END".into()),
            Token::Word(word) => {
                if self.peek() != Some(&Token::Punct('(')) {
                    return Ok(Value::Word(word));
                }
                self.at += 1;
                let Token::Int(size) = self.next()? else {
                    return Err(format!("{word}( without a size"));
                };
                self.expect(')')?;
                Ok(Value::Sized(word, size))
            }
            other => Err(format!("unexpected {other:?} where a value belongs")),
        }
    }

    /// Literals separated only by white space and comments are one string
    /// (§1.5; comments INFERRED there).
    fn joined(&mut self, mut text: String) -> String {
        while let Some(Token::Str(more)) = self.peek() {
            text.push_str(more);
            self.at += 1;
        }
        text
    }
}
