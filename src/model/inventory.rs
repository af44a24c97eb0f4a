//! SMS/ConfigMgr inventory MIFs (reference section 4,
//! `status-mif-behaviour.md` Q9): NOIDMIFs, read from the client's
//! `Noidmifs` folder, and IDMIFs, which name an architecture in header
//! comments. What the inventory loader accepts is written here; a file it
//! rejects lands in `BadMifs` without a word.

use crate::source::Encoding;
use crate::span::Span;
use crate::syntax::Document;

/// The client's default "Maximum custom MIF file size": 250 KB.
pub const DEFAULT_MAX_SIZE: u64 = 250 * 1024;
/// The highest value that setting takes: 5,120 KB.
pub const HARD_MAX_SIZE: u64 = 5120 * 1024;
/// The sizes past which the client's inventory agent objects.
pub const SIZE_LIMITS: [u64; 2] = [DEFAULT_MAX_SIZE, HARD_MAX_SIZE];
/// Pragmas honoured in `.nhm` ("no history") files.
pub const NHM_PRAGMAS: [&str; 4] = ["sms:add", "sms:update", "sms:delete", "sms:lookup"];
/// The headers an IDMIF may carry before `START COMPONENT`.
pub const HEADER_KEYWORDS: [&str; 3] = ["Architecture", "UniqueID", "AgentID"];

/// An IDMIF header comment such as `//Architecture<System>`, read leniently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// Where the comment is.
    pub span: Span,
    /// The text between `<` and `>`.
    pub value: &'a str,
    /// Written exactly `//Keyword<value>`, as the loader requires.
    pub exact: bool,
}

/// Read `//Keyword<value>` with any case and spacing; `None` when the
/// comment is not this header or has no `<...>`.
fn parse_header<'a>(span: Span, comment: &'a str, keyword: &str) -> Option<Header<'a>> {
    let body = comment.strip_prefix("//")?.trim_start();
    let head = body.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = body[keyword.len()..].trim_start();
    let value = rest.strip_prefix('<')?;
    let end = value.find('>')?;
    let (value, after) = (&value[..end], &value[end + 1..]);
    let exact = comment.trim_end() == format!("//{keyword}<{value}>") && after.trim().is_empty();
    Some(Header { span, value, exact })
}

/// The header comment `//keyword<...>` before the component, if any.
pub fn header<'a>(doc: &'a Document, keyword: &str) -> Option<Header<'a>> {
    doc.header_comments()
        .find_map(|(span, text)| parse_header(span, text, keyword))
}

/// The `//Architecture<...>` header that makes a file an IDMIF.
pub fn architecture_header(doc: &Document) -> Option<Header<'_>> {
    header(doc, "Architecture")
}

/// Architectures SMS 2.0 reserved for its own inventory and rejected in
/// IDMIFs.
pub fn is_reserved_architecture(name: &str) -> bool {
    ["System", "Personal Computer"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(name))
}

/// Whether a path lies in a `Noidmifs` folder, where the client reads
/// NOIDMIFs.
pub fn is_in_noidmif_folder(path: &str) -> bool {
    path.split(['/', '\\'])
        .rev()
        .skip(1)
        .any(|folder| folder.eq_ignore_ascii_case("noidmifs"))
}

/// Whether a file is a `.nhm` ("no history") MIF.
pub fn is_nhm(path: &str) -> bool {
    path.len() >= 4
        && path
            .get(path.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".nhm"))
}

/// Whether a pragma is one the loader honours in a `.nhm` file.
pub fn is_nhm_pragma(pragma: &str) -> bool {
    NHM_PRAGMAS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(pragma.trim()))
}

/// The loader reads ANSI files only.
pub fn is_readable_encoding(encoding: Encoding) -> bool {
    encoding == Encoding::SingleByte
}

/// What the inventory compiler rejects in a group or attribute name:
/// spaces around it (SMS 1.x "Compilation failed"), and a `"` in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Leading or trailing space.
    Spaces,
    /// A double quote inside.
    Quote,
}

/// The problems of a name, in that order.
pub fn name_problems(name: &str) -> Vec<NameProblem> {
    let mut problems = Vec::new();
    if name.trim() != name {
        problems.push(NameProblem::Spaces);
    }
    if name.contains('"') {
        problems.push(NameProblem::Quote);
    }
    problems
}

/// Whether a text value would break the inventory compiler: a `"` in it.
pub fn value_has_quote(value: &str) -> bool {
    value.contains('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_leniently_and_judged_exactly() {
        let exact = parse_header(Span::default(), "//Architecture<Asset>", "Architecture").unwrap();
        assert!(exact.exact);
        assert_eq!(exact.value, "Asset");
        let loose =
            parse_header(Span::default(), "// architecture <Asset>", "Architecture").unwrap();
        assert!(!loose.exact);
        assert!(parse_header(Span::default(), "//Architecture Asset", "Architecture").is_none());
    }

    #[test]
    fn folders_and_names() {
        assert!(is_in_noidmif_folder(
            r"C:\Windows\CCM\Inventory\Noidmifs\a.mif"
        ));
        assert!(!is_in_noidmif_folder("noidmifs.mif"));
        assert!(is_nhm("x.NHM"));
        assert!(is_nhm_pragma(" SMS:Add "));
        assert_eq!(
            name_problems(" a\"b"),
            [NameProblem::Spaces, NameProblem::Quote]
        );
        assert!(name_problems("Asset Tag").is_empty());
    }
}
