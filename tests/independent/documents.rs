//! Random documents that are valid MIF but lexically hostile: literals full
//! of syntax, escapes and raw line breaks, comments with quotes and blanks,
//! every line-ending style, glued tokens, keywords in any case, integers in
//! every spelling, `mif-fmt` regions, in every encoding. Mutants of real
//! files rarely stay valid while being this strange.

use super::decode::{encode, Encoding};
use super::mutants::Rng;

/// Literal contents: syntax, escapes, control and non-ASCII characters.
/// A line inside a literal that reads as a MIF statement (`END COMPONENT`
/// alone, `{` and a cell) makes `mif` take the literal for one missing
/// its closing quote (docs/grammar.md, "Strings"), an error: the syntax
/// here is written so that no line of a literal reads so, whatever
/// comes before and after it.
const IN_LITERAL: &[&str] = &[
    "a",
    "Word",
    " ",
    "//",
    "/",
    "\\\"",
    "\\\\",
    "\\\n",
    "\\\r\n",
    "\\\r",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "{x",
    "}",
    ",",
    "=",
    "*",
    "(",
    ")",
    "START GROUP,",
    "\nEND COMPONENT,",
    "\\x41",
    "\\x4",
    "\\xff",
    "\\0",
    "\\101",
    "\\377",
    "\\q",
    "\\t",
    "é",
    "\u{A0}",
    "\u{FF}",
    "mif-fmt: off",
    "\n// mif-fmt: on\n",
    "\u{263A}",
    "\\x263A",
];

/// Comment contents (never a line break).
const IN_COMMENT: &[&str] = &[
    " c",
    "\"",
    "\" quoted \"",
    "\\",
    "//",
    "{1, 2}",
    "END COMPONENT",
    "\t",
    " ",
    "\u{A0}",
    "é",
    "Architecture<X>",
    "UniqueID<1>",
];

/// The document's line ending is one of these; one break in ten is any.
const NEWLINES: &[&str] = &["\n", "\r\n", "\r"];

/// A file's bytes: a random valid document in a random encoding (UTF-8
/// with a BOM when ISO 8859-1 cannot hold its characters).
pub fn document(rng: &mut Rng) -> Vec<u8> {
    let mut doc = Writer {
        rng,
        text: String::new(),
        newline: "\n",
    };
    doc.newline = doc.pick(NEWLINES);
    if doc.rng.chance(3) {
        doc.text.push_str("//Architecture<Asset>");
        doc.comment_tail();
        doc.line_break();
    }
    if doc.rng.chance(4) {
        doc.statement("LANGUAGE", Atom::Text);
    }
    doc.start("COMPONENT");
    doc.statement("NAME", Atom::Text);
    if doc.rng.chance(2) {
        doc.statement("DESCRIPTION", Atom::Text);
    }
    for _ in 0..doc.rng.below(4) {
        match doc.rng.below(4) {
            0 => doc.path(),
            1 => doc.enumeration(),
            2 => doc.table(),
            _ => doc.group(),
        }
    }
    doc.end("COMPONENT");
    if doc.rng.chance(4) {
        doc.text.push('\x1A');
    }
    let chars: Vec<char> = doc.text.chars().collect();
    let encoding = *doc.rng.pick(&[
        Encoding::Latin1,
        Encoding::Latin1,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ]);
    encode(&chars, encoding)
        .or_else(|| encode(&chars, Encoding::Utf8Bom))
        .unwrap_or_default()
}

/// What a statement's right-hand side is made of.
#[derive(Clone, Copy)]
enum Atom {
    Text,
    Integer,
    Type,
    Value,
    Access,
}

struct Writer<'a> {
    rng: &'a mut Rng,
    text: String,
    newline: &'static str,
}

impl Writer<'_> {
    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.rng.below(items.len())]
    }

    fn line_break(&mut self) {
        let newline = if self.rng.chance(10) {
            self.pick(NEWLINES)
        } else {
            self.newline
        };
        self.text.push_str(newline);
    }

    /// Between tokens: nothing, blanks, line breaks, comments.
    fn gap(&mut self, may_glue: bool) {
        match self.rng.below(8) {
            0 if may_glue => {}
            1 => self.text.push('\t'),
            2 => {
                self.comment_tail_after_blank();
                self.line_break();
            }
            3 => self.line_break(),
            4 => {
                self.line_break();
                self.line_break();
                self.text.push_str("  ");
            }
            _ => self.text.push(' '),
        }
    }

    fn comment_tail_after_blank(&mut self) {
        self.text.push_str(" //");
        self.comment_tail();
    }

    fn comment_tail(&mut self) {
        for _ in 0..self.rng.below(4) {
            let piece = self.pick(IN_COMMENT);
            self.text.push_str(piece);
        }
    }

    /// A keyword in upper, lower or mixed case.
    fn keyword(&mut self, word: &str) {
        let word = match self.rng.below(3) {
            0 => word.to_ascii_uppercase(),
            1 => word.to_ascii_lowercase(),
            _ => word
                .chars()
                .map(|c| {
                    if self.rng.chance(2) {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect(),
        };
        self.text.push_str(&word);
    }

    fn start(&mut self, kind: &str) {
        self.own_line_extras();
        self.keyword("START");
        self.text.push(' ');
        self.keyword(kind);
        self.gap(false);
    }

    fn end(&mut self, kind: &str) {
        self.own_line_extras();
        self.keyword("END");
        self.text.push(' ');
        self.keyword(kind);
        self.gap(false);
    }

    /// Sometimes an own-line comment or a `mif-fmt` directive first.
    fn own_line_extras(&mut self) {
        if self.rng.chance(6) {
            self.line_break();
            let directive = self.pick(&["//", "// mif-fmt: off", "// mif-fmt: on"]);
            self.text.push_str(directive);
            self.comment_tail();
            self.line_break();
        }
    }

    fn statement(&mut self, keyword: &str, atom: Atom) {
        self.own_line_extras();
        self.keyword(keyword);
        self.gap(true);
        self.text.push('=');
        self.gap(true);
        self.atom(atom);
        self.gap(false);
    }

    fn atom(&mut self, atom: Atom) {
        match atom {
            Atom::Text => self.literals(),
            Atom::Integer => self.integer(),
            Atom::Type => match self.rng.below(4) {
                0 => {
                    {
                        let word = self.pick(&["STRING", "DISPLAYSTRING", "OCTETSTRING"]);
                        self.keyword(word);
                    };
                    self.gap(true);
                    self.text.push('(');
                    self.integer();
                    self.text.push(')');
                }
                1 => self.literals(),
                2 => {
                    let word = self.pick(&["INTEGER", "INT64", "COUNTER", "DATE"]);
                    self.keyword(word);
                }
                _ => {
                    self.start("ENUM");
                    self.enum_items();
                    self.end("ENUM");
                }
            },
            Atom::Access => {
                let word = self.pick(&["READ-ONLY", "read-write", "Write-Only"]);
                self.keyword(word);
            }
            Atom::Value => match self.rng.below(5) {
                0 => self.integer(),
                1 => {
                    self.text.push('*');
                    self.gap(true);
                    self.literals();
                }
                2 => {
                    let word = self.pick(&["UNKNOWN", "UNSUPPORTED"]);
                    self.keyword(word);
                }
                _ => self.literals(),
            },
        }
    }

    /// One literal or several, joined across blanks, line breaks, comments.
    fn literals(&mut self) {
        for piece in 0..1 + usize::from(self.rng.chance(3)) * self.rng.below(3) {
            if piece > 0 {
                self.gap(false);
            }
            self.text.push('"');
            for _ in 0..self.rng.below(5) {
                let piece = self.pick(IN_LITERAL);
                self.text.push_str(piece);
            }
            self.text.push('"');
        }
    }

    fn integer(&mut self) {
        let n = self.rng.below(300);
        let spelled = match self.rng.below(5) {
            0 => format!("0x{n:X}"),
            1 => format!("0X{n:x}"),
            2 => format!("0{n:o}"),
            3 => format!("-{n}"),
            _ => format!("{}", n + 1),
        };
        self.text.push_str(&spelled);
    }

    fn path(&mut self) {
        self.start("PATH");
        self.statement("NAME", Atom::Text);
        self.own_line_extras();
        self.keyword("WIN32");
        self.text.push_str(" = ");
        if self.rng.chance(2) {
            self.keyword("DIRECT-INTERFACE");
        } else {
            self.literals();
        }
        self.gap(false);
        self.end("PATH");
    }

    fn enumeration(&mut self) {
        self.start("ENUM");
        self.statement("NAME", Atom::Text);
        self.enum_items();
        self.end("ENUM");
    }

    fn enum_items(&mut self) {
        for _ in 0..self.rng.below(4) {
            self.own_line_extras();
            self.integer();
            self.gap(true);
            self.text.push('=');
            self.gap(true);
            self.literals();
            self.gap(false);
        }
    }

    fn group(&mut self) {
        self.start("GROUP");
        self.statement("NAME", Atom::Text);
        self.statement("CLASS", Atom::Text);
        if self.rng.chance(2) {
            self.statement("ID", Atom::Integer);
        } else {
            self.own_line_extras();
            self.keyword("KEY");
            self.text.push_str(" = ");
            self.integer();
            for _ in 0..self.rng.below(3) {
                self.text.push(',');
                self.gap(true);
                self.integer();
            }
            self.gap(false);
        }
        for _ in 0..1 + self.rng.below(3) {
            self.start("ATTRIBUTE");
            self.statement("NAME", Atom::Text);
            self.statement("ID", Atom::Integer);
            self.statement("TYPE", Atom::Type);
            if self.rng.chance(2) {
                self.statement("ACCESS", Atom::Access);
            }
            self.statement("VALUE", Atom::Value);
            self.end("ATTRIBUTE");
        }
        self.end("GROUP");
    }

    fn table(&mut self) {
        self.start("TABLE");
        self.statement("NAME", Atom::Text);
        self.statement("ID", Atom::Integer);
        self.statement("CLASS", Atom::Text);
        for _ in 0..self.rng.below(4) {
            self.own_line_extras();
            self.text.push('{');
            for cell in 0..1 + self.rng.below(4) {
                if cell > 0 {
                    self.text.push(',');
                }
                self.gap(true);
                if !self.rng.chance(3) {
                    self.atom(Atom::Value);
                }
            }
            self.text.push('}');
            self.gap(false);
        }
        self.end("TABLE");
    }
}
