//! Writing a status MIF: values mended on request, the fixed layout, and
//! the one check on the result before any byte is written.

use super::{Field, FieldMap, JobStatus, COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
use crate::check::{check, judge, Change, CheckOptions};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::status::STATUS_SIZE;
use crate::source::{encode, Encoding, Source};
use crate::span::Span;
use crate::syntax::{encode_string, Document};

/// A status MIF to write: its verdict and one string per field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMif {
    /// Success or Failed.
    pub status: JobStatus,
    /// The values, as they will be written.
    pub values: FieldMap<String>,
}

/// What to mend in values the check would refuse, instead of refusing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MendOptions {
    /// Cut values over their limit, as ISMIF32.DLL does.
    pub truncate: bool,
    /// Write `?` for characters Windows-1252 lacks.
    pub replace_unmappable: bool,
    /// Turn control characters into spaces (captured output ends in a line
    /// break; a status value is one line): each run becomes one space, and
    /// none is left at either end.
    pub replace_control: bool,
}

/// How a value was mended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mend {
    /// Cut from `from` to `to` characters.
    Truncated {
        /// Characters before.
        from: usize,
        /// Characters after.
        to: usize,
    },
    /// This many characters without a Windows-1252 byte became `?`.
    ReplacedUnmappable(usize),
    /// This many control characters became spaces (or went, at the ends).
    ReplacedControl(usize),
}

/// One mended value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mended {
    /// The field whose value changed.
    pub field: Field,
    /// What was done to it.
    pub mend: Mend,
}

/// A finding of the check on a status MIF being written, with the field
/// whose value it is about (`None`: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFinding {
    /// The field the finding is about.
    pub field: Option<Field>,
    /// The finding; its spans point into the rendered text.
    pub diagnostic: Diagnostic,
}

/// A status MIF that passed the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file's bytes: Windows-1252 without byte-order mark, CRLF.
    pub bytes: Vec<u8>,
    /// The file's text, which the findings point into.
    pub text: String,
    /// Every warning the check has on the file.
    pub warnings: Vec<FieldFinding>,
}

/// A status MIF the check refused: nothing may be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The text that would have been written, which the findings point into.
    pub text: String,
    /// Why: the findings that refuse it.
    pub findings: Vec<FieldFinding>,
}

impl StatusMif {
    /// A status MIF with every field empty, as ISMIF32 writes missing
    /// arguments, and `Installation` set to `DateTime`, as it writes it.
    pub fn new(status: JobStatus) -> StatusMif {
        StatusMif {
            status,
            values: FieldMap::from_fn(|field| match field {
                Field::Installation => "DateTime".to_string(),
                _ => String::new(),
            }),
        }
    }

    /// The value of one field.
    pub fn get(&self, field: Field) -> &str {
        &self.values[field]
    }

    /// Set the value of one field.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        self.values[field] = value.into();
    }

    /// Mend the values as `options` allow, so that the check takes them:
    /// control characters first, then characters Windows-1252 lacks, then
    /// the length. Says what changed.
    pub fn mend(&mut self, options: MendOptions) -> Vec<Mended> {
        let mut mended = Vec::new();
        for field in Field::ALL {
            let value = &mut self.values[field];
            let mut note = |mend| mended.push(Mended { field, mend });
            if options.replace_control {
                let count = value.chars().filter(|c| c.is_control()).count();
                if count > 0 {
                    *value = value
                        .split(char::is_control)
                        .filter(|piece| !piece.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    note(Mend::ReplacedControl(count));
                }
            }
            if options.replace_unmappable {
                let count = value
                    .chars()
                    .filter(|&c| !Encoding::SingleByte.holds(c))
                    .count();
                if count > 0 {
                    *value = value
                        .chars()
                        .map(|c| {
                            if Encoding::SingleByte.holds(c) {
                                c
                            } else {
                                '?'
                            }
                        })
                        .collect();
                    note(Mend::ReplacedUnmappable(count));
                }
            }
            let length = value.chars().count();
            if options.truncate && length > field.limit() {
                *value = value.chars().take(field.limit()).collect();
                note(Mend::Truncated {
                    from: length,
                    to: field.limit(),
                });
            }
        }
        mended
    }

    /// The file, checked: the layout is rendered, and the check (in the
    /// status profile, with `options`' path for the file-name rule) must
    /// find no error, and no warning about a value given (one that is not
    /// what [`StatusMif::new`] writes) unless `force`. Warnings about
    /// values left as ISMIF32 writes them (an empty Product) are told.
    pub fn write(&self, options: &CheckOptions, force: bool) -> Result<Written, Refused> {
        let options = options
            .clone()
            .with_profile(Some(crate::model::Profile::Status));
        let rendered = self.render();
        let doc = rendered.document();
        let after = check(&doc, &options);
        let baseline = StatusMif::new(self.status).render();
        let baseline_options = CheckOptions {
            path: None,
            ..options.clone()
        };
        let before = check(&baseline.document(), &baseline_options);
        let defaults = StatusMif::new(self.status).values;
        let changed: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|&f| self.values[f] != defaults[f])
            .collect();
        let changes: Vec<Change> = changed
            .iter()
            .map(|&f| Change {
                before: baseline.spans[f],
                after: rendered.spans[f],
            })
            .collect();
        let judgement = judge(&before, &after, &changes, force);
        let field_of = |d: &Diagnostic| rendered.field_at(d.span);
        if !judgement.allows() {
            return Err(Refused {
                findings: judgement
                    .refusals
                    .into_iter()
                    .map(|f| FieldFinding {
                        field: f.change.map(|i| changed[i]),
                        diagnostic: f.diagnostic,
                    })
                    .collect(),
                text: rendered.text,
            });
        }
        let warnings = after
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|diagnostic| FieldFinding {
                field: field_of(&diagnostic),
                diagnostic,
            })
            .collect();
        match encode(&rendered.text, Encoding::SingleByte) {
            Ok(bytes) => Ok(Written {
                bytes,
                text: rendered.text,
                warnings,
            }),
            Err(unmappable) => Err(Refused {
                findings: vec![FieldFinding {
                    field: rendered.field_at(Span::new(unmappable.offset, unmappable.offset)),
                    diagnostic: Diagnostic::error(
                        "mif::unmappable-character",
                        Span::new(
                            unmappable.offset,
                            unmappable.offset + unmappable.ch.len_utf8(),
                        ),
                        unmappable.to_string(),
                    ),
                }],
                text: rendered.text,
            }),
        }
    }

    /// The file as text: the layout of reference section 3.1 in the
    /// canonical `mif fmt` style, CRLF line endings, with where each
    /// field's value went.
    fn render(&self) -> Rendered {
        let mut out = Lines::default();
        out.push(0, "START COMPONENT");
        out.push(1, "NAME = \"WORKSTATION\"");
        let mut spans = FieldMap::from_fn(|_| Span::default());
        out.group(1, "ComponentID", COMPONENT_ID_CLASS, |out| {
            for (index, &field) in Field::COMPONENT_ID.iter().enumerate() {
                spans[field] = out.attribute(
                    index + 1,
                    field.attribute_name(),
                    field.limit(),
                    self.get(field),
                );
            }
        });
        out.group(2, "InstallStatus", JOB_STATUS_CLASS, |out| {
            out.attribute(1, "Status", STATUS_SIZE, self.status.as_str());
            let description = Field::Description;
            spans[description] = out.attribute(
                2,
                description.attribute_name(),
                description.limit(),
                self.get(description),
            );
        });
        out.push(0, "END COMPONENT");
        Rendered {
            text: out.text,
            spans,
        }
    }
}

/// A rendered status MIF and where each field's value literal is.
struct Rendered {
    text: String,
    spans: FieldMap<Span>,
}

impl Rendered {
    fn document(&self) -> Document {
        Document::from_source(Source::from_text(self.text.clone(), Encoding::SingleByte))
    }

    /// The field whose value a place is in.
    fn field_at(&self, place: Span) -> Option<Field> {
        Field::ALL.into_iter().find(|&f| {
            let span = self.spans[f];
            span.start <= place.start && place.start < span.end.max(span.start + 1)
        })
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

    /// An attribute; returns where its value literal is.
    fn attribute(&mut self, id: usize, name: &str, size: usize, value: &str) -> Span {
        self.push(2, "START ATTRIBUTE");
        self.push(3, &format!("NAME = {}", encode_string(name)));
        self.push(3, &format!("ID = {id}"));
        self.push(3, "ACCESS = READ-ONLY");
        self.push(3, "STORAGE = SPECIFIC");
        self.push(3, &format!("TYPE = STRING({size})"));
        let literal = encode_string(value);
        let start = self.text.len() + "            VALUE = ".len();
        self.push(3, &format!("VALUE = {literal}"));
        self.push(2, "END ATTRIBUTE");
        Span::new(start, start + literal.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_the_values() {
        let mut mif = StatusMif::new(JobStatus::Success);
        mif.set(Field::Product, "Widget");
        let rendered = mif.render();
        assert_eq!(
            &rendered.text[rendered.spans[Field::Product].range()],
            "\"Widget\""
        );
        assert_eq!(
            &rendered.text[rendered.spans[Field::Installation].range()],
            "\"DateTime\""
        );
        assert_eq!(
            rendered.field_at(rendered.spans[Field::Product]),
            Some(Field::Product)
        );
    }

    #[test]
    fn mending_turns_captured_output_into_one_line() {
        let mut mif = StatusMif::new(JobStatus::Failed);
        mif.set(Field::Description, "exit 1603\r\n\tsee log\r\n");
        mif.set(Field::Product, "Ωmega");
        let options = MendOptions {
            replace_control: true,
            replace_unmappable: true,
            truncate: true,
        };
        let mended = mif.mend(options);
        assert_eq!(mif.get(Field::Description), "exit 1603 see log");
        assert_eq!(mif.get(Field::Product), "?mega");
        assert_eq!(mended.len(), 2);
    }
}
