//! Formatting a file one stretch at a time.
//!
//! The component's text is cut before every `START` that opens a block
//! directly in the component on a line of its own. Each stretch is lexed,
//! parsed, printed and put through the safety net on its own, then
//! dropped, so memory stays near the size of the input plus the output,
//! and each stretch is worked on while it is still in the cache. The
//! component's head and its END COMPONENT (the "frame") are parsed as one
//! small document and printed by the ordinary printer, which hands over to
//! the stretches between the component's own items and its END.
//!
//! Anything unusual makes this pass step aside and the file is formatted
//! whole (which also gives the diagnostics of a broken file): a decoding
//! error (the caller looks), no END COMPONENT at the start of the last line
//! with content, `mif-fmt` directives, START and END words that do not pair
//! up, or any error in any stretch. Both ways give the same text; the tests
//! hold them to it on every fixture, corpus file and mutant.

use crate::lexer::{Lexer, Token, TokenKind};
use crate::source::{Encoding, Source};
use crate::syntax::{parse_component_items, Document};

use super::print::{Layout, Printer};
use super::{
    line_ending, output_parses, output_parses_unless_same, output_text, same_tokens_as_printed,
    FormatError, FormatOptions,
};

/// Why the stretches were not all printed.
#[derive(Debug)]
enum Stop {
    /// The file needs to be formatted whole.
    Whole,
    /// The safety net caught a stretch.
    Unsafe(String),
}

/// Where the stretch pass puts the text the safety net has passed, in
/// order: [`format_bytes`](super::format_bytes) keeps it,
/// [`formats_unchanged`](super::formats_unchanged) compares it with the
/// input and keeps nothing. When the pass ends in anything but
/// [`Pass::Printed`], what the sink got is to be thrown away.
pub(super) trait Sink {
    fn put(&mut self, printed: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, printed: &[u8]) {
        self.extend_from_slice(printed);
    }
}

/// How the stretch pass ended, when the safety net did not stop it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pass {
    /// The whole text went to the sink.
    Printed,
    /// The file is to be formatted whole instead.
    Whole,
}

/// Room to start with for one stretch's output; it grows as needed.
const STRETCH_ROOM: usize = 16 * 1024;

/// Format a file decoded without errors one stretch at a time, each
/// checked by the safety net and then handed to `sink`, so the layout
/// holds one stretch at a time.
pub(super) fn format(
    text: &str,
    encoding: Encoding,
    options: &FormatOptions,
    sink: &mut dyn Sink,
) -> Result<Pass, FormatError> {
    if text.contains("mif-fmt") {
        return Ok(Pass::Whole);
    }
    let Some(end) = find_end_component(text) else {
        return Ok(Pass::Whole);
    };
    let mut stretches = Stretches::new(&text[..end]);
    let mut tokens = Vec::new();
    stretches.next_into(&mut tokens);
    let head_end = tokens.last().map_or(0, |t| t.span().end);
    let frame = Document::from_source(Source::from_text(
        format!("{}{}", &text[..head_end], &text[end..]),
        encoding,
    ));
    if frame.has_errors() || stretches.unbalanced {
        return Ok(Pass::Whole);
    }
    let newline = line_ending(options.line_ending, &frame.tokens, frame.text());
    let mut layout = Layout::new(options, newline, STRETCH_ROOM);
    // The frame's output, its head and tail, is checked last, so its head
    // is kept aside when it goes to the sink.
    let mut head = Vec::new();
    let mut outcome = Err(Stop::Whole);
    let mut body = |layout: &mut Layout| {
        pass_on(layout, sink, &mut head);
        outcome = print_stretches(text, encoding, &mut stretches, &mut tokens, layout, sink);
    };
    Printer::new(frame.text(), &frame.tokens, &mut layout)
        .with_body(&mut body)
        .file(&frame.items);
    match outcome {
        Ok(()) => {}
        Err(Stop::Unsafe(message)) => return Err(FormatError::Unsafe { message }),
        Err(Stop::Whole) => return Ok(Pass::Whole),
    }
    let tail = layout.printed();
    check_output(&frame, &[head.as_slice(), tail].concat())?;
    sink.put(tail);
    Ok(Pass::Printed)
}

/// Hand what `layout` holds to `sink` (and a copy to `kept`, if wanted),
/// and empty it.
fn pass_on(layout: &mut Layout, sink: &mut dyn Sink, kept: &mut Vec<u8>) {
    kept.extend_from_slice(layout.printed());
    sink.put(layout.printed());
    layout.clear();
}

/// The safety net for the frame: the same tokens, and the output parses.
fn check_output(frame: &Document, printed: &[u8]) -> Result<(), FormatError> {
    let unsafe_output = |message| FormatError::Unsafe { message };
    let input = frame.tokens.iter().copied();
    let breaks = same_tokens_as_printed(input, frame.text(), printed).map_err(unsafe_output)?;
    output_parses_unless_same(breaks, || {
        output_parses(
            output_text(printed).map_err(unsafe_output)?,
            frame.source.encoding,
        )
    })
}

/// Print every stretch after the head, each checked by the safety net.
fn print_stretches(
    text: &str,
    encoding: Encoding,
    stretches: &mut Stretches,
    tokens: &mut Vec<Token>,
    layout: &mut Layout,
    sink: &mut dyn Sink,
) -> Result<(), Stop> {
    let mut printed_tokens = Vec::new();
    while stretches.next_into(tokens) {
        let items = parse_component_items(text, encoding, tokens).map_err(|_| Stop::Whole)?;
        Printer::new(text, tokens, layout).items(&items, 1, tokens.len());
        drop(items);
        let printed = layout.printed();
        let breaks =
            same_tokens_as_printed(tokens.iter().copied(), text, printed).map_err(Stop::Unsafe)?;
        output_parses_unless_same(breaks, || {
            let printed = output_text(printed).map_err(Stop::Unsafe)?;
            printed_tokens.clear();
            printed_tokens.extend(Lexer::new(printed));
            parse_component_items(printed, encoding, &printed_tokens)
                .map(drop)
                .map_err(|error| Stop::Unsafe(format!("the output does not parse: {error}")))
        })?;
        sink.put(printed);
        layout.clear();
    }
    if stretches.unbalanced {
        return Err(Stop::Whole);
    }
    Ok(())
}

/// Where the closing `END COMPONENT` begins: at the start of the last line
/// with more than blanks, comments and 0x1A bytes. `None` when that line
/// does not start with END.
fn find_end_component(text: &str) -> Option<usize> {
    let mut rest = text;
    loop {
        let line_start = rest.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = &rest[line_start..];
        let content = line.trim_start_matches([' ', '\t']);
        let meaningful = content.trim_end_matches([' ', '\t', '\x1a']);
        if meaningful.is_empty() || meaningful.starts_with("//") {
            rest = &rest[..line_start.checked_sub(1)?];
            continue;
        }
        let bytes = content.as_bytes();
        let is_end = bytes.len() > 3
            && bytes[..3].eq_ignore_ascii_case(b"END")
            && matches!(bytes[3], b' ' | b'\t');
        return is_end.then_some(line_start + (line.len() - content.len()));
    }
}

/// Cuts a component's text (up to its END COMPONENT) before each `START`
/// at the component's level that begins a line: the first stretch is the
/// head, then one per such block with what follows it. START and END words
/// are counted; if the count says the component closes early or is left
/// with blocks open, the stretches are `unbalanced`.
struct Stretches<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    /// Blocks open, the component included.
    depth: usize,
    /// The START that begins the next stretch.
    carried: Option<Token>,
    unbalanced: bool,
}

impl<'a> Stretches<'a> {
    fn new(text: &'a str) -> Stretches<'a> {
        Stretches {
            text,
            lexer: Lexer::new(text),
            depth: 0,
            carried: None,
            unbalanced: false,
        }
    }

    /// Fill `tokens` with the next stretch; false when there is none left.
    ///
    /// Only words are looked at as they go by: whether a START begins a
    /// line is asked of the tokens before it, and only for a START at the
    /// component's level, which is rare.
    fn next_into(&mut self, tokens: &mut Vec<Token>) -> bool {
        tokens.clear();
        tokens.extend(self.carried.take());
        for token in self.lexer.by_ref() {
            if token.kind == TokenKind::Word {
                // Compared as bytes: a word's span is on character
                // boundaries, so the text's slice need not check them.
                let word = &self.text.as_bytes()[token.span().range()];
                if word.eq_ignore_ascii_case(b"START") {
                    let cut = self.depth == 1 && !tokens.is_empty() && begins_line(tokens);
                    self.depth += 1;
                    if cut {
                        self.carried = Some(token);
                        return true;
                    }
                } else if word.eq_ignore_ascii_case(b"END") {
                    if self.depth <= 1 {
                        self.unbalanced = true;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
            }
            tokens.push(token);
        }
        if self.depth != 1 {
            self.unbalanced = true;
        }
        !tokens.is_empty()
    }
}

/// Whether a token after `tokens` begins a line: a line break comes after
/// their last significant token (or they have none).
fn begins_line(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .rev()
        .find(|t| t.kind == TokenKind::Newline || !t.kind.is_trivia())
        .is_none_or(|t| t.kind == TokenKind::Newline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::print_document;

    const FILE: &str = "// header\r\nstart component\r\n  name = \"c\" // own\r\n\r\n\r\n  // before the first group\r\nstart group // g\r\n name = \"a\"\r\n start attribute\r\n  name = \"x\"\r\n  type = start enum\r\n   0 = \"zero\"\r\n  end enum\r\n end attribute\r\nend group\r\n\r\n// between\r\n\r\n  description = \"late\"\r\n  start table\r\n  name = \"t\"\r\n  {1, , \"x\"}\r\n  end table\r\n\r\n// last\r\n\r\nend component // bye\r\n\r\n\x1a";

    fn in_stretches(text: &str) -> Option<String> {
        let options = FormatOptions::default();
        let mut out = Vec::new();
        let pass = format(text, Encoding::SingleByte, &options, &mut out).unwrap();
        (pass == Pass::Printed).then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn stretches_print_what_the_whole_document_prints() {
        let whole = print_document(&Document::parse_str(FILE), &FormatOptions::default());
        let stretched = in_stretches(FILE).expect("the file is formatted in stretches");
        assert_eq!(stretched, whole.unwrap());
    }

    #[test]
    fn the_stretches_are_the_head_and_each_block_of_the_component() {
        let end = find_end_component(FILE).unwrap();
        assert!(FILE[end..].starts_with("end component"));
        let mut stretches = Stretches::new(&FILE[..end]);
        let mut tokens = Vec::new();
        let mut starts = Vec::new();
        while stretches.next_into(&mut tokens) {
            let text = &FILE[tokens[0].span().start..tokens.last().unwrap().span().end];
            starts.push(text.lines().next().unwrap().to_string());
        }
        assert!(!stretches.unbalanced);
        assert_eq!(starts, ["// header", "start group // g", "start table"]);
    }

    #[test]
    fn unusual_files_are_formatted_whole() {
        for text in [
            // No END COMPONENT, or not at the start of the last line.
            "START COMPONENT\nNAME = \"c\"\n",
            "START COMPONENT NAME = \"c\" END COMPONENT\n",
            // Directives.
            "START COMPONENT\n// mif-fmt: off\nNAME = \"c\"\nEND COMPONENT\n",
            // A group left open, a stray END, a broken stretch.
            "START COMPONENT\nSTART GROUP\nNAME = \"g\"\nEND COMPONENT\n",
            "START COMPONENT\nEND GROUP\nSTART GROUP\nEND GROUP\nEND COMPONENT\n",
            "START COMPONENT\nSTART GROUP\nNAME = g\nEND GROUP\nEND COMPONENT\n",
            // A 0x1A byte between the blocks.
            "START COMPONENT\nSTART GROUP\nEND GROUP\x1a\nSTART GROUP\nEND GROUP\nEND COMPONENT\n",
        ] {
            assert_eq!(in_stretches(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_end_is_found_past_trailing_comments_and_blank_lines() {
        assert_eq!(
            find_end_component("x\n\tEND COMPONENT\n// c\n\n \x1a"),
            Some(3)
        );
        assert_eq!(find_end_component("x\r\nend\tcomponent // c\r\n"), Some(3));
        assert_eq!(find_end_component("END COMPONENT"), Some(0));
        assert_eq!(find_end_component("x\nENDING COMPONENT\n"), None);
        assert_eq!(find_end_component("// only\n\n"), None);
        assert_eq!(find_end_component(""), None);
    }
}
