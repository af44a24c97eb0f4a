//! Writing a status MIF: values made to fit first, then the fixed layout.

use super::{Field, StatusMif, COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
use crate::diagnostics::Severity;
use crate::source::{cp1252_byte, encode, Encoding, Unmappable};
use crate::syntax::encode_string;

/// What to do with values ISMIF32 would not take as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct FitOptions {
    /// Cut values over their limit (as ISMIF32.DLL does) instead of failing.
    pub truncate: bool,
    /// Write `?` for characters Windows-1252 lacks instead of failing.
    pub replace_unmappable: bool,
}

/// Something wrong with a value given to `mif new`; there is no file yet,
/// so it names the field (and its flag) instead of a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub severity: Severity,
    pub field: Field,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    /// The same problem once an option has mended the value: a warning
    /// that says what was changed, with nothing left to help with.
    fn mended(self, message: String) -> Problem {
        Problem {
            severity: Severity::Warning,
            message,
            help: None,
            ..self
        }
    }
}

impl StatusMif {
    /// Make every value fit the file: no control characters, only
    /// Windows-1252 characters, within the limits. Returns the warnings (what
    /// `options` changed; the empty fields `mif check` warns about), or
    /// every error found, in which case nothing may be written. Codes are
    /// those of `mif check` for the same problem in a file.
    pub fn fit(&mut self, options: FitOptions) -> Result<Vec<Problem>, Vec<Problem>> {
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for field in Field::COMPONENT_ID.into_iter().chain([Field::Description]) {
            let value = self.get_mut(field);
            if let Some(c) = value.chars().find(|c| c.is_control()) {
                errors.push(Problem {
                    code: "mif::control-character",
                    severity: Severity::Error,
                    field,
                    message: format!(
                        "{} contains the control character U+{:04X}",
                        field.flag(),
                        c as u32
                    ),
                    help: Some(
                        "status MIF values are one line of text; SMS shows the description in a status message"
                            .into(),
                    ),
                });
                continue;
            }
            let unmappable: Vec<char> = value
                .chars()
                .filter(|&c| cp1252_byte(c).is_none())
                .collect();
            if let Some(&first) = unmappable.first() {
                let problem = Problem {
                    code: "mif::unmappable-character",
                    severity: Severity::Error,
                    field,
                    message: format!(
                        "{} contains {first:?} (U+{:04X}), which Windows-1252 cannot hold",
                        field.flag(),
                        first as u32
                    ),
                    help: Some(
                        "SMS reads status MIFs as ANSI (Windows-1252); use --replace-unmappable to write `?` instead"
                            .into(),
                    ),
                };
                if !options.replace_unmappable {
                    errors.push(problem);
                    continue;
                }
                *value = value
                    .chars()
                    .map(|c| if cp1252_byte(c).is_some() { c } else { '?' })
                    .collect();
                warnings.push(problem.mended(format!(
                    "{}: {} character(s) Windows-1252 cannot hold written as `?`",
                    field.flag(),
                    unmappable.len()
                )));
            }
            let length = value.chars().count();
            if length > field.limit() {
                let problem = Problem {
                    code: "mif::status-field-too-long",
                    severity: Severity::Error,
                    field,
                    message: format!(
                        "{} is {length} characters long; the limit is {}",
                        field.flag(),
                        field.limit()
                    ),
                    help: Some(format!(
                        "the {} attribute is STRING({}) and ISMIF32 takes no more; shorten it or use --truncate",
                        field.attribute_name(),
                        field.limit()
                    )),
                };
                if !options.truncate {
                    errors.push(problem);
                    continue;
                }
                *value = value.chars().take(field.limit()).collect();
                warnings.push(problem.mended(format!(
                    "{} cut from {length} to {} characters",
                    field.flag(),
                    field.limit()
                )));
            }
        }
        warnings.extend(self.empty_fields());
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(errors)
        }
    }

    /// The status rules' warnings on empty fields (S9), said before the
    /// file exists: Product, which ConfigMgr matches on, and Description,
    /// the text of the status message.
    fn empty_fields(&self) -> Vec<Problem> {
        let mut warnings = Vec::new();
        if self.product.trim().is_empty() {
            warnings.push(Problem {
                code: "mif::status-empty-product",
                severity: Severity::Warning,
                field: Field::Product,
                message: "--product is empty: ConfigMgr matches the MIF by it".into(),
                help: Some(
                    "give the package's name (or its MIF Name matching field); Manufacturer and \
                     Version are compared too when the package has them"
                        .into(),
                ),
            });
        }
        if self.description.trim().is_empty() {
            warnings.push(Problem {
                code: "mif::status-empty-description",
                severity: Severity::Warning,
                field: Field::Description,
                message: "--description is empty: the status message will not say what happened"
                    .into(),
                help: Some("say what happened, e.g. --description \"exit code 1603\"".into()),
            });
        }
        warnings
    }

    /// The file as text: the layout of reference section 3.1 in the
    /// canonical `mif fmt` style, CRLF line endings.
    pub fn render_text(&self) -> String {
        let mut out = Lines::default();
        out.push(0, "START COMPONENT");
        out.push(1, "NAME = \"WORKSTATION\"");
        out.group(1, "ComponentID", COMPONENT_ID_CLASS, |out| {
            for (index, field) in Field::COMPONENT_ID.into_iter().enumerate() {
                out.attribute(
                    index + 1,
                    field.attribute_name(),
                    field.limit(),
                    self.get(field),
                );
            }
        });
        out.group(2, "InstallStatus", JOB_STATUS_CLASS, |out| {
            out.attribute(1, "Status", 32, self.status.as_str());
            out.attribute(
                2,
                "Description",
                Field::Description.limit(),
                &self.description,
            );
        });
        out.push(0, "END COMPONENT");
        out.text
    }

    /// The file's bytes: [`render_text`](Self::render_text) in Windows-1252
    /// without a byte-order mark, as SMS wants. Fails only on characters
    /// [`fit`](Self::fit) would have refused.
    pub fn render(&self) -> Result<Vec<u8>, Unmappable> {
        encode(&self.render_text(), Encoding::SingleByte)
    }
}

/// Canonical lines: four spaces per level, CRLF after every line.
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn push(&mut self, depth: usize, line: &str) {
        self.text.push_str(&"    ".repeat(depth));
        self.text.push_str(line);
        self.text.push_str("\r\n");
    }

    fn group(&mut self, id: usize, name: &str, class: &str, body: impl FnOnce(&mut Lines)) {
        self.push(1, "START GROUP");
        self.push(2, &format!("NAME = {}", encode_string(name)));
        self.push(2, &format!("ID = {id}"));
        self.push(2, &format!("CLASS = {}", encode_string(class)));
        body(self);
        self.push(1, "END GROUP");
    }

    fn attribute(&mut self, id: usize, name: &str, size: usize, value: &str) {
        self.push(2, "START ATTRIBUTE");
        self.push(3, &format!("NAME = {}", encode_string(name)));
        self.push(3, &format!("ID = {id}"));
        self.push(3, "ACCESS = READ-ONLY");
        self.push(3, "STORAGE = SPECIFIC");
        self.push(3, &format!("TYPE = STRING({size})"));
        self.push(3, &format!("VALUE = {}", encode_string(value)));
        self.push(2, "END ATTRIBUTE");
    }
}
