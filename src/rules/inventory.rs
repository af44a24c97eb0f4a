//! SMS/ConfigMgr inventory MIFs: rules N1-N5 and N8 (NOIDMIF) and I1-I5
//! (IDMIF) of `status-mif-behaviour.md` section (a). The inventory loader
//! does not explain rejections: a bad file lands in `Badmifs` silently.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::lexer::Keyword;
use crate::model::classes;
use crate::model::inventory::{
    self, header, is_nhm_pragma, name_problems, value_has_quote, NameProblem, DEFAULT_MAX_SIZE,
    HARD_MAX_SIZE, HEADER_KEYWORDS,
};
use crate::model::types::octets;
use crate::span::Span;
use crate::syntax::{Block, BlockKind, Document, StatementValue, Value};

/// N1 and the rules shared with IDMIFs.
pub fn check_noidmif(doc: &Document, file_size: Option<u64>, out: &mut Vec<Diagnostic>) {
    for keyword in HEADER_KEYWORDS {
        if let Some(header) = header(doc, keyword) {
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
            if group.class().is_some_and(classes::is_identification) {
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
    let architecture = inventory::architecture_header(doc);
    for (keyword, header) in [
        ("Architecture", &architecture),
        ("UniqueID", &header(doc, "UniqueID")),
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
        if inventory::is_reserved_architecture(header.value) {
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
    if !inventory::is_readable_encoding(doc.source.encoding) {
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
    out.extend(size_finding(size));
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

/// What the client's size limit says of an inventory MIF of `size` bytes.
pub fn size_finding(size: u64) -> Option<Diagnostic> {
    let diagnostic = if size > HARD_MAX_SIZE {
        Diagnostic::error(
            "mif::inventory-too-large",
            Span::new(0, 0),
            format!(
                "{} KB, over the 5,120 KB the client can be set to",
                size / 1024
            ),
        )
    } else if size > DEFAULT_MAX_SIZE {
        Diagnostic::warning(
            "mif::inventory-over-default-size",
            Span::new(0, 0),
            format!(
                "{} KB, over the client's default limit of 250 KB",
                size / 1024
            ),
        )
    } else {
        return None;
    };
    Some(diagnostic.with_label("file size").with_help(
        "the hardware inventory agent skips custom MIFs over \"Maximum custom MIF file size\" \
         (client settings, 1-5,120 KB, default 250 KB); split the data over several files",
    ))
}

fn encoded_size(doc: &Document) -> u64 {
    let encoding = doc.source.encoding;
    (encoding.bom().len() + octets(doc.text(), encoding)) as u64
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
            for problem in name_problems(&name.value) {
                out.push(match problem {
                    NameProblem::Spaces => Diagnostic::error(
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
                    NameProblem::Quote => quote_in_string(name.span),
                });
            }
        }
    }
    if let Some(Value::String(value)) = block.value() {
        if value_has_quote(&value.value) {
            out.push(quote_in_string(value.span));
        }
    }
}

fn quote_in_string(span: Span) -> Diagnostic {
    Diagnostic::error(
        "mif::inventory-quote-in-string",
        span,
        "a `\"` inside an inventory name or value",
    )
    .with_label("contains a double quote")
    .with_help("the inventory compiler fails on it; use ' instead")
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
        if !is_nhm_pragma(&pragma.value) {
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
