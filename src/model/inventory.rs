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

/// Which of the two kinds of inventory MIF a file is, for the folder the
/// client reads it from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A NOIDMIF: data about the computer that collects it.
    NoIdMif,
    /// An IDMIF: data about an architecture and instance its headers name.
    IdMif,
}

impl Kind {
    /// The folder's own name: `Noidmifs` or `Idmifs`.
    pub fn folder_name(self) -> &'static str {
        match self {
            Kind::NoIdMif => "Noidmifs",
            Kind::IdMif => "Idmifs",
        }
    }
}

/// A folder a client of some version reads inventory MIFs from, relative
/// to `%windir%` (reference sections 4.2 and 4.3; behaviour notes F18,
/// F25).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFolder {
    /// The folders below `%windir%` before the `Noidmifs`/`Idmifs` one.
    pub below_windir: &'static [&'static str],
    /// Which clients use it.
    pub clients: &'static str,
}

/// Where clients read inventory MIFs, the current client first: a
/// writer takes the first of these that exists. (The registry value
/// `HKLM\Software\Microsoft\SMS\Client\Configuration\Client Properties\
/// NOIDMIF Directory` (`IDMIF Directory`) names the folder exactly;
/// these are where it points on the clients documented.)
pub const CLIENT_FOLDERS: [ClientFolder; 4] = [
    ClientFolder {
        below_windir: &["CCM", "Inventory"],
        clients: "Configuration Manager current branch and 2012",
    },
    ClientFolder {
        below_windir: &["System32", "CCM", "Inventory"],
        clients: "SMS 2003 and ConfigMgr 2007 Advanced Client",
    },
    ClientFolder {
        below_windir: &["SysWOW64", "CCM", "Inventory"],
        clients: "the 32-bit ConfigMgr 2007 client on 64-bit Windows",
    },
    ClientFolder {
        below_windir: &["MS", "SMS"],
        clients: "SMS 1.x and 2.0 legacy clients",
    },
];

/// The folders where clients read inventory MIFs of `kind`, below
/// `windir`, in the order a writer tries them, with the clients that
/// use each.
pub fn client_folders(
    windir: &std::path::Path,
    kind: Kind,
) -> Vec<(std::path::PathBuf, &'static str)> {
    CLIENT_FOLDERS
        .iter()
        .map(|folder| {
            let mut path = windir.to_path_buf();
            path.extend(folder.below_windir);
            path.push(kind.folder_name());
            (path, folder.clients)
        })
        .collect()
}

/// The component name Microsoft's NOIDMIF examples use for data about the
/// computer itself.
pub const DEFAULT_COMPONENT_NAME: &str = "System Information";

/// The `STRING(n)` sizes a writer picks for a value without a declared
/// type, smallest first; past the last, doubling goes on. A class must
/// have the same lengths on every client (rule N6), so a size that only
/// just fits one client's value would make another client's longer value
/// a different class: steps keep most values of one kind in one size.
pub const STRING_SIZE_STEPS: [usize; 4] = [64, 128, 256, 512];

/// The `STRING(n)` a writer declares for a value of `octets` octets.
pub fn string_size_for(octets: usize) -> usize {
    let mut size = STRING_SIZE_STEPS[0];
    while size < octets {
        size = size.saturating_mul(2);
    }
    size
}

/// An IDMIF header line as the loader requires it: `//Keyword<value>`.
pub fn header_line(keyword: &str, value: &str) -> String {
    format!("//{keyword}<{value}>")
}

/// Why a value cannot stand between a header's `<` and `>`: the header
/// is one line and its value ends at the first `>`.
pub fn header_value_problem(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        Some("it is empty")
    } else if value.contains(['<', '>']) {
        Some("it contains `<` or `>`, which delimit it")
    } else if value.contains(['\r', '\n']) {
        Some("it contains a line break, which ends the header")
    } else if value.trim() != value {
        Some("it has spaces around it")
    } else {
        None
    }
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

    #[test]
    fn client_folders_start_with_the_current_client() {
        let folders = client_folders(std::path::Path::new("W"), Kind::IdMif);
        assert_eq!(
            folders[0].0,
            std::path::Path::new("W")
                .join("CCM")
                .join("Inventory")
                .join("Idmifs")
        );
        assert!(folders.iter().all(|(f, _)| f.ends_with("Idmifs")));
    }

    #[test]
    fn string_sizes_come_in_steps() {
        assert_eq!(string_size_for(0), 64);
        assert_eq!(string_size_for(64), 64);
        assert_eq!(string_size_for(65), 128);
        assert_eq!(string_size_for(1000), 1024);
    }

    #[test]
    fn header_values_are_one_line_between_brackets() {
        assert_eq!(header_line("UniqueID", "42"), "//UniqueID<42>");
        assert!(header_value_problem("Asset Tool").is_none());
        assert!(header_value_problem("a>b").is_some());
        assert!(header_value_problem("a\nb").is_some());
        assert!(header_value_problem(" a").is_some());
        assert!(header_value_problem("").is_some());
    }
}
