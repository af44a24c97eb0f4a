//! Short documentation under the mouse: keywords, data types, and the
//! CLASS strings of well-known groups.

use crate::lexer::{Keyword, TokenKind};
use crate::model::classes::describe;
use crate::span::Span;
use crate::syntax::{Block, Document, Item, StatementValue};

/// Markdown about the thing at `offset`, and the span it covers.
pub fn hover(doc: &Document, offset: usize) -> Option<(String, Span)> {
    let index = token_at(doc, offset)?;
    let token = doc.tokens[index];
    match token.kind {
        TokenKind::Word => {
            let keyword = Keyword::parse(doc.token_text(index))?;
            Some((keyword_doc(keyword).to_string(), token.span()))
        }
        TokenKind::String => {
            let (class, span) = class_at(doc, index)?;
            Some((describe(class), span))
        }
        _ => None,
    }
}

/// The token under `offset`; at the boundary of two tokens, the one that
/// starts there unless it is trivia (the cursor just after a word hovers it).
fn token_at(doc: &Document, offset: usize) -> Option<usize> {
    let after = doc.tokens.partition_point(|t| t.span().end <= offset);
    let before = after.checked_sub(1);
    match doc.tokens.get(after) {
        Some(t) if t.span().start <= offset && !t.kind.is_trivia() => Some(after),
        _ => before
            .filter(|&i| doc.tokens[i].span().end == offset && !doc.tokens[i].kind.is_trivia()),
    }
}

/// The decoded CLASS string whose literal contains token `index`.
fn class_at(doc: &Document, index: usize) -> Option<(&str, Span)> {
    fn search(items: &[Item], index: usize) -> Option<(&str, Span)> {
        items.iter().find_map(|item| match item {
            Item::Block(block) => in_block(block, index),
            _ => None,
        })
    }
    fn in_block(block: &Block, index: usize) -> Option<(&str, Span)> {
        if !block.tokens.indices().contains(&index) {
            return None;
        }
        let own = block.statements().find_map(|s| match &s.value {
            StatementValue::String(lit)
                if s.keyword == Keyword::Class && lit.pieces.indices().contains(&index) =>
            {
                Some((lit.value.as_str(), lit.span))
            }
            _ => None,
        });
        own.or_else(|| search(&block.items, index))
    }
    search(&doc.items, index)
}

/// What a keyword means, in a few lines.
pub fn keyword_doc(keyword: Keyword) -> &'static str {
    use Keyword as K;
    match keyword {
        K::Start => "**START** *kind*: opens a COMPONENT, PATH, ENUM, GROUP, ATTRIBUTE or TABLE block, closed by END *kind*.",
        K::End => "**END** *kind*: closes the innermost open block of that kind.",
        K::Component => "**COMPONENT**: the one top-level block of a MIF file. Needs a NAME; holds paths, enums, groups and tables.",
        K::Path | K::Paths => "**PATH**: where the code lives that supplies `VALUE = * \"name\"` values: a NAME, then `WIN32 = \"file.dll\"` or `= DIRECT-INTERFACE` per environment. Names are unique in the component.",
        K::Enum => "**ENUM**: integer values with texts, `0x01 = \"Text\"`. Named at component level (used as `TYPE = \"Name\"`) or inline in `TYPE = START ENUM ... END ENUM`. Stored as a signed 32-bit integer.",
        K::Group => "**GROUP**: a set of attributes. NAME and CLASS required; `ID` makes it a scalar group, `KEY` without ID a template for a later TABLE, both a table filled by instrumentation. Group ID 1 is the ComponentID group.",
        K::Attribute => "**ATTRIBUTE**: one value of a group. NAME, ID (unique in the group) and TYPE required; ACCESS, STORAGE, VALUE optional.",
        K::Table => "**TABLE**: rows `{ v1, v2, ... }` of a template group (same CLASS), cells in ascending attribute-ID order; an empty cell takes the template's default. Needs NAME, ID, CLASS.",
        K::Language => "**LANGUAGE** = `\"language|territory|encoding\"`, e.g. `\"en|US|iso8859-1\"`: at most once, before START COMPONENT. The file's first two bytes, not this, decide its encoding.",
        K::Name => "**NAME** = `\"text\"`: the display name, required in every block, shorter than 256 characters. Enum and path names must be unique.",
        K::Description => "**DESCRIPTION** = `\"text\"`: optional, on the component, groups and attributes.",
        K::Pragma => "**PRAGMA** = `\"keyword:value,...\"`: opaque hints, e.g. `\"SNMP:1.2.3\"`; SMS `.nhm` files use `sms:add`, `sms:update`, `sms:delete`.",
        K::Class => "**CLASS** = `\"body|name|version\"`: the group's class, e.g. `\"DMTF|ComponentID|1.0\"`. Spaces count. Groups of one class share their attribute definitions; a TABLE names its template's class.",
        K::Id => "**ID** = *n*: a non-zero 32-bit unsigned number, unique among the attributes of a group, and among the groups and tables of the component.",
        K::Key => "**KEY** = *id*, *id*, ...: the attribute IDs that index the rows of a table group, in order.",
        K::Type => "**TYPE**: the attribute's data type: INTEGER, INTEGER64, COUNTER, COUNTER64, GAUGE, DATE, STRING(n), DISPLAYSTRING(n), OCTETSTRING(n), an enum name in quotes, or START ENUM ... END ENUM.",
        K::Access => "**ACCESS** = READ-ONLY (default) | READ-WRITE | WRITE-ONLY. Write it always: some readers require it.",
        K::Storage => "**STORAGE** = COMMON | SPECIFIC (default): a hint whether values come from a small set (COMMON) or vary per system (SPECIFIC).",
        K::Value => "**VALUE** = a literal of the attribute's type, an enum text, `* \"path name\"` (supplied by instrumentation), UNSUPPORTED or UNKNOWN.",
        K::ReadOnly => "**READ-ONLY**: the value can be read but not set (the default ACCESS).",
        K::ReadWrite => "**READ-WRITE**: the value can be read and set.",
        K::WriteOnly => "**WRITE-ONLY**: the value can be set, never read; such an attribute cannot carry a literal VALUE.",
        K::Common => "**COMMON**: the value comes from a small set shared by many systems (e.g. CPU speed).",
        K::Specific => "**SPECIFIC**: the value differs from system to system (e.g. a serial number); the default STORAGE.",
        K::Unsupported => "**UNSUPPORTED**: this component does not provide the attribute.",
        K::Unknown => "**UNKNOWN**: the attribute is supported but its value is not known now.",
        K::DirectInterface => "**DIRECT-INTERFACE**: the instrumentation registers itself with the service layer instead of being launched from a file.",
        K::Dos | K::MacOs | K::Os2 | K::Unix | K::Win16 | K::Win32 | K::Win9x | K::WinNt => "**Environment** of a PATH block: `= \"file\"` names the code for that platform, `= DIRECT-INTERFACE` means it registers itself. WIN32 covers NT and 9x; WIN9X and WINNT only that one.",
        K::Integer | K::Int => "**INTEGER** (INT): signed 32-bit, -2147483648 to 2147483647.",
        K::Integer64 | K::Int64 => "**INTEGER64** (INT64): signed 64-bit.",
        K::Counter => "**COUNTER**: unsigned 32-bit, only increases, wraps to 0.",
        K::Counter64 => "**COUNTER64**: unsigned 64-bit counter, only increases, wraps to 0.",
        K::Gauge => "**GAUGE**: unsigned 32-bit, goes up and down, sticks at its maximum.",
        K::String | K::DisplayString => "**STRING(n)** (DISPLAYSTRING(n)): displayable text of at most *n* octets (one per character in ISO 8859-1 files, two in Unicode files).",
        K::OctetString => "**OCTETSTRING(n)**: *n* octets, not necessarily displayable.",
        K::Date => "**DATE**: a 28-octet date string `yyyymmddHHMMSS.uuuuuu+ooo`, e.g. `\"19940525133015.000000-300\"`; unknown fields are filled with `*`.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "START COMPONENT NAME = \"x\"\n  START GROUP CLASS = \"MICROSOFT|\" \"JOBSTATUS|1.0\"\n  START ATTRIBUTE TYPE = String(8) END ATTRIBUTE END GROUP\nEND COMPONENT\n";

    fn at(needle: &str, extra: usize) -> Option<(String, Span)> {
        let doc = Document::parse_str(TEXT);
        hover(&doc, TEXT.find(needle).unwrap() + extra)
    }

    #[test]
    fn keywords_and_types_have_docs_and_spans() {
        let (text, span) = at("GROUP", 2).unwrap();
        assert!(text.starts_with("**GROUP**"), "{text}");
        assert_eq!(&TEXT[span.range()], "GROUP");
        let (text, _) = at("String", 0).unwrap();
        assert!(text.contains("STRING(n)"), "{text}");
        // Just after the word still hovers it.
        let (text, _) = at("START ATTRIBUTE", 5).unwrap();
        assert!(text.starts_with("**START**"), "{text}");
    }

    #[test]
    fn a_class_string_is_explained_even_when_split_in_pieces() {
        let (text, span) = at("\"JOBSTATUS", 3).unwrap();
        assert!(text.contains("install status"), "{text}");
        assert_eq!(&TEXT[span.range()], "\"MICROSOFT|\" \"JOBSTATUS|1.0\"");
    }

    #[test]
    fn blanks_names_and_numbers_have_no_hover() {
        assert!(at("\n  START GROUP", 2).is_none());
        assert!(at("\"x\"", 1).is_none());
        assert!(at("(8)", 1).is_none());
    }
}
