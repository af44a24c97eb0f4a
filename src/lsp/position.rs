//! Byte offsets <-> LSP positions.
//!
//! Our spans are UTF-8 byte offsets into the decoded text; the protocol
//! counts lines (broken by `\n`, `\r\n` or `\r`) and, within a line,
//! UTF-16 code units. Both directions clamp instead of failing, as the
//! protocol asks: a position past the end of a line means the line's end.

use lsp_types::{Position, Range};

use crate::span::{LineIndex, Span};

/// Line starts of one text, for converting positions both ways.
pub struct LineMap<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    /// Index `text`, the decoded text the spans point into.
    pub fn new(text: &'a str) -> LineMap<'a> {
        let starts = LineIndex::new(text).line_starts().to_vec();
        LineMap { text, starts }
    }

    /// The position of a byte offset. An offset inside a character or a
    /// line break counts as the start of that character or break.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let content = self.line_content(line);
        let prefix_end = offset.min(content.end);
        let character = self.text[content.start..]
            .char_indices()
            .take_while(|(i, c)| content.start + i + c.len_utf8() <= prefix_end)
            .map(|(_, c)| c.len_utf16())
            .sum::<usize>();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of a position. A line past the end means the end of
    /// the text; a character past the line's end means the line's end; a
    /// character inside a surrogate pair means the start of that character.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let content = self.line_content(line);
        let mut units = 0;
        for (i, c) in self.text[content.clone()].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return content.start + i;
            }
        }
        content.end
    }

    /// The LSP range of a span, each end as [`LineMap::position`] gives it.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The span of an LSP range, each end as [`LineMap::offset`] gives it;
    /// an end before the start is read as the start.
    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }

    /// Byte range of a line without its line break.
    fn line_content(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self.text[start..next]
            .strip_suffix("\r\n")
            .or_else(|| self.text[start..next].strip_suffix('\n'))
            .or_else(|| self.text[start..next].strip_suffix('\r'))
            .map_or(next, |s| start + s.len());
        start..end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn ascii_with_every_line_break() {
        let text = "ab\r\ncd\ref\ngh";
        let map = LineMap::new(text);
        let cases = [
            (0, pos(0, 0)),
            (2, pos(0, 2)),
            (4, pos(1, 0)),
            (6, pos(1, 2)),
            (7, pos(2, 0)),
            (10, pos(3, 0)),
            (12, pos(3, 2)),
        ];
        for (offset, position) in cases {
            assert_eq!(map.position(offset), position, "offset {offset}");
            assert_eq!(map.offset(position), offset, "{position:?}");
        }
    }

    #[test]
    fn non_ascii_counts_utf16_units() {
        // é: 2 bytes, 1 unit; €: 3 bytes, 1 unit; 𝄞: 4 bytes, 2 units.
        let text = "é€𝄞x\r\n\"Ü\"";
        let map = LineMap::new(text);
        let cases = [
            (0, pos(0, 0)),
            (2, pos(0, 1)),
            (5, pos(0, 2)),
            (9, pos(0, 4)),
            (10, pos(0, 5)),
            (12, pos(1, 0)),
            (13, pos(1, 1)),
            (15, pos(1, 2)),
            (16, pos(1, 3)),
        ];
        for (offset, position) in cases {
            assert_eq!(map.position(offset), position, "offset {offset}");
            assert_eq!(map.offset(position), offset, "{position:?}");
        }
    }

    #[test]
    fn out_of_range_and_mid_character_positions_clamp() {
        let text = "a𝄞\r\nb";
        let map = LineMap::new(text);
        // Inside the surrogate pair: the start of the character.
        assert_eq!(map.offset(pos(0, 2)), 1);
        // Past the line end: before the line break.
        assert_eq!(map.offset(pos(0, 99)), 5);
        // Past the last line: the end of the text.
        assert_eq!(map.offset(pos(9, 0)), text.len());
        // Inside a character or a CRLF: the start of it.
        assert_eq!(map.position(2), pos(0, 1));
        assert_eq!(map.position(6), pos(0, 3));
        assert_eq!(map.position(99), pos(1, 1));
    }

    #[test]
    fn spans_and_ranges_round_trip() {
        let text = "START GROUP\r\n  NAME = \"Größe\"\r\nEND GROUP\r\n";
        let map = LineMap::new(text);
        let start = text.find("\"Gr").unwrap();
        let span = Span::new(start, start + "\"Größe\"".len());
        let range = map.range(span);
        assert_eq!(range, Range::new(pos(1, 9), pos(1, 16)));
        assert_eq!(map.span(range), span);
        assert_eq!(map.position(text.len()), pos(3, 0));
    }
}
