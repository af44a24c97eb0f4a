//! SMS/ConfigMgr inventory MIFs: rules N1-N5 and N8 (NOIDMIF) and I1-I5
//! (IDMIF) of `status-mif-behaviour.md` section (a). The inventory loader
//! does not explain rejections: a bad file lands in `Badmifs` silently.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::source::Encoding;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, StatementValue, Value};

/// The client's default "Maximum custom MIF file size": 250 KB.
const DEFAULT_MAX_SIZE: u64 = 250 * 1024;
/// The highest value that setting takes: 5,120 KB.
const HARD_MAX_SIZE: u64 = 5120 * 1024;
/// Pragmas honoured in `.nhm` files.
const NHM_PRAGMAS: [&str; 4] = ["sms:add", "sms:update", "sms:delete", "sms:lookup"];

/// An IDMIF header comment such as `//Architecture<System>`, read leniently.
struct Header<'a> {
    span: Span,
    /// The text between `<` and `>`.
    value: &'a str,
    /// Written exactly `//Keyword<value>`, as the loader requires.
    exact: bool,
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

fn find_header<'a>(doc: &'a Document, keyword: &str) -> Option<Header<'a>> {
    doc.header_comments()
        .find_map(|(span, text)| parse_header(span, text, keyword))
}

/// Whether a header comment names an architecture (the IDMIF marker).
pub fn architecture_header(doc: &Document) -> Option<Span> {
    find_header(doc, "Architecture").map(|h| h.span)
}

/// Whether a path lies in a `Noidmifs` folder, where the client reads NOIDMIFs.
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

/// N1 and the rules shared with IDMIFs.
pub fn check_noidmif(doc: &Document, file_size: Option<u64>, out: &mut Vec<Diagnostic>) {
    for keyword in ["Architecture", "UniqueID", "AgentID"] {
        if let Some(header) = find_header(doc, keyword) {
            out.push(
                Diagnostic::error(
                    "mif::noidmif-identification",
                    header.span,
                    format!("a NOIDMIF with an IDMIF //{keyword} header"),
                )
                .with_label("identification belongs in IDMIFs")
                .with_help(
                    "a NOIDMIF describes the computer that collects it: remove the header, or make \
                     this an IDMIF and put it in the Idmifs folder",
                ),
            );
        }
    }
    if let Some(component) = doc.component() {
        for group in component.blocks_of(BlockKind::Group) {
            let class = group.class().unwrap_or_default().to_ascii_uppercase();
            if class.starts_with("MICROSOFT|IDENTIFICATION|")
                || class.starts_with("MICROSOFT|ARCHITECTURE|")
            {
                out.push(
                    Diagnostic::error(
                        "mif::noidmif-identification",
                        group.head_span,
                        "a NOIDMIF with an Identification or Architecture group",
                    )
                    .with_label("identification belongs in IDMIFs")
                    .with_help(
                        "remove the group: a NOIDMIF's data is attached to the computer that collects it",
                    ),
                );
            }
        }
    }
    check_inventory(doc, file_size, out);
}

/// I1, I2, I4 and the rules shared with NOIDMIFs.
pub fn check_idmif(doc: &Document, file_size: Option<u64>, out: &mut Vec<Diagnostic>) {
    let anchor = doc.component().map_or(Span::new(0, 0), |c| c.head_span);
    let architecture = find_header(doc, "Architecture");
    for (keyword, header) in [
        ("Architecture", &architecture),
        ("UniqueID", &find_header(doc, "UniqueID")),
    ] {
        match header {
            None => out.push(
                Diagnostic::error(
                    "mif::idmif-missing-header",
                    anchor,
                    format!("no //{keyword}<...> header before START COMPONENT"),
                )
                .with_label("an IDMIF starts with its header comments")
                .with_help(format!(
                    "add the line //{keyword}<...> above START COMPONENT, exactly in that form"
                )),
            ),
            Some(h) if !h.exact => out.push(
                Diagnostic::warning(
                    "mif::idmif-header-form",
                    h.span,
                    format!("header not written exactly //{keyword}<...>"),
                )
                .with_label("spacing or case differs")
                .with_help(format!("write //{keyword}<{}>", h.value)),
            ),
            Some(_) => {}
        }
    }
    if let (Some(header), Some(component)) = (&architecture, doc.component()) {
        let has_group = component
            .blocks_of(BlockKind::Group)
            .any(|g| g.class() == Some(header.value));
        if !has_group {
            out.push(
                Diagnostic::error(
                    "mif::idmif-architecture-group",
                    header.span,
                    format!("no group with CLASS = \"{}\"", header.value),
                )
                .with_label("the architecture needs its top-level group")
                .with_help(format!(
                    "add a group with CLASS = \"{}\" and a KEY; the loader reports \"Top Level group not \
                     found\" otherwise",
                    header.value
                )),
            );
        }
        if ["System", "Personal Computer"]
            .iter()
            .any(|a| a.eq_ignore_ascii_case(header.value))
        {
            out.push(
                Diagnostic::warning(
                    "mif::idmif-legacy-architecture",
                    header.span,
                    format!("architecture \"{}\" is the client's own", header.value),
                )
                .with_label("SMS 2.0 rejects IDMIFs for this architecture")
                .with_help(
                    "use your own architecture name, unless only current ConfigMgr reads the file",
                ),
            );
        }
    }
    check_inventory(doc, file_size, out);
}

/// N2-N5 (= I3, I5): what the inventory loader needs of every file.
fn check_inventory(doc: &Document, file_size: Option<u64>, out: &mut Vec<Diagnostic>) {
    if doc.source.encoding != Encoding::SingleByte {
        out.push(
            Diagnostic::error(
                "mif::inventory-encoding",
                Span::new(0, 0),
                format!("inventory MIF saved as {}", doc.source.encoding),
            )
            .with_label("ConfigMgr cannot read it")
            .with_help("save it as ANSI (Windows-1252) without a byte-order mark"),
        );
    }
    let size = file_size.unwrap_or_else(|| encoded_size(doc));
    if size > HARD_MAX_SIZE {
        out.push(size_diagnostic(Diagnostic::error(
            "mif::inventory-too-large",
            Span::new(0, 0),
            format!(
                "{} KB, over the 5,120 KB the client can be set to",
                size / 1024
            ),
        )));
    } else if size > DEFAULT_MAX_SIZE {
        out.push(size_diagnostic(Diagnostic::warning(
            "mif::inventory-over-default-size",
            Span::new(0, 0),
            format!(
                "{} KB, over the client's default limit of 250 KB",
                size / 1024
            ),
        )));
    }
    let Some(component) = doc.component() else {
        return;
    };
    let mut per_class: HashMap<&str, usize> = HashMap::new();
    for group in component.blocks_of(BlockKind::Group) {
        if let Some(class) = group.class() {
            *per_class.entry(class).or_default() += 1;
        }
    }
    for group in component.blocks_of(BlockKind::Group) {
        check_group(group, &per_class, out);
        check_names_and_values(group, out);
        for attribute in group.blocks_of(BlockKind::Attribute) {
            check_names_and_values(attribute, out);
        }
    }
}

fn size_diagnostic(diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.with_label("file size").with_help(
        "the hardware inventory agent skips custom MIFs over \"Maximum custom MIF file size\" \
             (client settings, 1-5,120 KB, default 250 KB); split the data over several files",
    )
}

fn encoded_size(doc: &Document) -> u64 {
    let encoding = doc.source.encoding;
    let octets: usize = doc.text().chars().map(|c| encoding.octets(c)).sum();
    (encoding.bom().len() + octets) as u64
}

fn check_group(group: &Block, per_class: &HashMap<&str, usize>, out: &mut Vec<Diagnostic>) {
    let Some(class) = group.class() else {
        out.push(
            Diagnostic::error(
                "mif::inventory-missing-class",
                group.head_span,
                "inventory group without a CLASS",
            )
            .with_label("the class names the inventory class")
            .with_help("add CLASS = \"Publisher|Name|1.0\"; the loader keys its table by it"),
        );
        return;
    };
    if group.statement(Keyword::Id).is_none() {
        out.push(
            Diagnostic::error(
                "mif::inventory-missing-group-id",
                group.head_span,
                "inventory group without an ID",
            )
            .with_label("no ID statement")
            .with_help("add ID = n, unique among the component's groups"),
        );
    }
    if per_class.get(class).copied().unwrap_or(0) > 1 && group.key().is_none() {
        out.push(
            Diagnostic::error(
                "mif::inventory-missing-key",
                group.head_span,
                format!("several groups of class \"{class}\" but this one has no KEY"),
            )
            .with_label("instances cannot be told apart")
            .with_help("add KEY = n (the IDs of the attributes that identify an instance)"),
        );
    }
}

/// N5: SMS rejected names with surrounding spaces and `"` in names or values.
fn check_names_and_values(block: &Block, out: &mut Vec<Diagnostic>) {
    if let Some(statement) = block.statement(Keyword::Name) {
        if let StatementValue::String(name) = &statement.value {
            if name.value.trim() != name.value {
                out.push(
                    Diagnostic::error(
                        "mif::inventory-name-spaces",
                        name.span,
                        format!(
                            "{} name \"{}\" has spaces around it",
                            block.kind.name(),
                            name.value
                        ),
                    )
                    .with_label("leading or trailing space")
                    .with_help(format!("write NAME = \"{}\"", name.value.trim())),
                );
            }
            check_quote(name.value.as_str(), name.span, out);
        }
    }
    if let Some(Value::String(value)) = block.value() {
        check_quote(value.value.as_str(), value.span, out);
    }
}

fn check_quote(text: &str, span: Span, out: &mut Vec<Diagnostic>) {
    if text.contains('"') {
        out.push(
            Diagnostic::error(
                "mif::inventory-quote-in-string",
                span,
                "a `\"` inside an inventory name or value",
            )
            .with_label("contains a double quote")
            .with_help("the inventory compiler fails on it; use ' instead"),
        );
    }
}

/// N8: the pragmas a `.nhm` file may carry.
pub fn check_nhm_pragmas(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(component) = doc.component() else {
        return;
    };
    let blocks = std::iter::once(component).chain(component.blocks_of(BlockKind::Group));
    for block in blocks {
        let Some(statement) = block.statement(Keyword::Pragma) else {
            continue;
        };
        let StatementValue::String(pragma) = &statement.value else {
            continue;
        };
        if !NHM_PRAGMAS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(pragma.value.trim()))
        {
            out.push(
                Diagnostic::error(
                    "mif::nhm-pragma",
                    pragma.span,
                    format!("PRAGMA \"{}\" in a .nhm file", pragma.value),
                )
                .with_label("not an SMS no-history pragma")
                .with_help(
                    "use PRAGMA = \"sms:add\", \"sms:update\" or \"sms:delete\" (per group)",
                ),
            );
        }
    }
}
