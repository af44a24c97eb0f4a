//! Group classes with a known meaning (reference sections 2.8, 2.12, 3
//! and 4): the DMI ComponentID group, SMS's install status group, and the
//! SMS inventory classes.

use crate::syntax::{Block, Document};

/// The class `mif new` writes for the ComponentID group.
pub const COMPONENT_ID_CLASS: &str = "DMTF|ComponentID|1.0";
/// What every spelling of the ComponentID class starts with: DMI guides
/// give version `1.0`, HP-UX and CIM `001`.
const COMPONENT_ID_PREFIX: &str = "DMTF|ComponentID|";
/// The class of the group that carries a status MIF's verdict.
pub const JOB_STATUS_CLASS: &str = "MICROSOFT|JOBSTATUS|1.0";
/// The defining body of SMS's own classes.
const SMS_BODY: &str = "MICROSOFT|";

/// Whether `class` is the ComponentID class, in any of its versions.
pub fn is_component_id(class: &str) -> bool {
    class.starts_with(COMPONENT_ID_PREFIX)
}

/// Whether `class` is SMS's install status class in any case (the rules
/// report a case variant; readers still take it for what it means).
pub fn is_job_status_any_case(class: &str) -> bool {
    class.eq_ignore_ascii_case(JOB_STATUS_CLASS)
}

/// Whether `class` is one of SMS's own (`MICROSOFT|...`, any case).
pub fn is_sms(class: &str) -> bool {
    class
        .get(..SMS_BODY.len())
        .is_some_and(|body| body.eq_ignore_ascii_case(SMS_BODY))
}

/// Whether `class` identifies a machine or an architecture, which SMS
/// inventory MIFs of the custom-architecture kind carry and NOIDMIFs must
/// not (reference section 4.2).
pub fn is_identification(class: &str) -> bool {
    let upper = class.to_ascii_uppercase();
    upper.starts_with("MICROSOFT|IDENTIFICATION|") || upper.starts_with("MICROSOFT|ARCHITECTURE|")
}

/// Whether the file is an SMS inventory MIF: its groups use SMS's own
/// classes (`MICROSOFT|NETWORK|1.0`, `MICROSOFT|IDENTIFICATION|1.0`, ...;
/// the install status class aside) and none is the ComponentID group.
/// Microsoft's KB and SDK examples number such groups from 1 and never
/// register them with a DMI service layer, so DMI's ComponentID
/// convention does not apply to them.
pub fn is_sms_inventory(doc: &Document) -> bool {
    let classes = || doc.groups().filter_map(Block::class);
    classes().any(|c| is_sms(c) && !is_job_status_any_case(c)) && !classes().any(is_component_id)
}

/// What a class means, for hover help: its layout when it is well known,
/// else its parts.
pub fn describe(class: &str) -> String {
    let known = KNOWN.iter().find(|(name, _)| *name == class).or_else(|| {
        KNOWN
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(class))
    });
    if let Some((name, text)) = known {
        let case_note = if *name == class {
            String::new()
        } else {
            format!("\n\nThe usual spelling is `{name}`.")
        };
        return format!("**CLASS `{class}`**\n\n{text}{case_note}");
    }
    let parts: Vec<&str> = class.split('|').collect();
    match parts.as_slice() {
        [body, name, version] => format!(
            "**CLASS `{class}`**\n\ndefining body `{body}`, name `{name}`, version `{version}`"
        ),
        _ => format!(
            "**CLASS `{class}`**\n\nNot of the DMI form `body|name|version`; SMS inventory MIFs \
             use such a class as the inventory class name."
        ),
    }
}

const COMPONENT_ID: &str = "The standard ComponentID group, ID 1, that every MIF should have. \
DMTF attributes: 1 Manufacturer, 2 Product, 3 Version, 4 Serial Number (STRING(64)), \
5 Installation (DATE), 6 Verify (enum 0-7). SMS status MIFs use 4 Locale (STRING(16)), \
5 Serial Number, 6 Installation (STRING(64), the text `\"DateTime\"`) and no Verify; \
ConfigMgr matches Manufacturer, Product and Version against the package's MIF fields.";

/// Well-known classes and what they mean.
const KNOWN: &[(&str, &str)] = &[
    (COMPONENT_ID_CLASS, COMPONENT_ID),
    ("DMTF|ComponentID|001", COMPONENT_ID),
    (
        JOB_STATUS_CLASS,
        "The SMS/ConfigMgr install status group (InstallStatus). Attributes: 1 Status, \
         STRING(32), `\"Success\"` or `\"Failed\"`; 2 Description, STRING(128), the text shown \
         in the program's status message. The client reads the MIF from %TEMP% or %windir% \
         when its time stamp lies within the program's run.",
    ),
    (
        "MICROSOFT|IDENTIFICATION|1.0",
        "SMS 1.2 custom-architecture identification group (Site, Domain, SystemType, SystemRole, \
         Name, ...).",
    ),
    (
        "MICROSOFT|ARCHITECTURE|1.0",
        "SMS 1.2 custom-architecture group naming the architecture the MIF creates or extends.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_recognised_in_their_spellings() {
        assert!(is_component_id("DMTF|ComponentID|001"));
        assert!(!is_component_id("DMTF | ComponentID | 1.0"));
        assert!(is_job_status_any_case("microsoft|jobstatus|1.0"));
        assert!(is_sms("Microsoft|Network|1.0"));
        assert!(!is_sms("MICRO"));
        assert!(is_identification("Microsoft|Architecture|1.0"));
    }

    #[test]
    fn sms_inventory_mifs_are_those_with_sms_classes_and_no_componentid() {
        let doc = |groups: &str| {
            Document::parse_str(&format!(
                "START COMPONENT NAME = \"c\"\n{groups}END COMPONENT\n"
            ))
        };
        let group = |class: &str| {
            format!("START GROUP NAME = \"g\" ID = 1 CLASS = \"{class}\" END GROUP\n")
        };
        assert!(is_sms_inventory(&doc(&group("MICROSOFT|NETWORK|1.0"))));
        assert!(!is_sms_inventory(&doc(&group(JOB_STATUS_CLASS))));
        assert!(!is_sms_inventory(&doc(&group("ACME|Widget|1.0"))));
        let both = group("MICROSOFT|NETWORK|1.0") + &group(COMPONENT_ID_CLASS);
        assert!(!is_sms_inventory(&doc(&both)));
    }

    #[test]
    fn known_classes_are_described() {
        assert!(describe("dmtf|componentid|1.0").contains("usual spelling"));
        assert!(describe("ACME|Widgets|2").contains("defining body `ACME`"));
        assert!(describe("wideWorldAssetNumbers").contains("inventory class"));
    }
}
