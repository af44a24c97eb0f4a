//! Writing the MIF a JSON document describes: rendered, checked in its
//! profile and judged before any byte is written.

use crate::check::{check, judge, Change, CheckOptions};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Profile;
use crate::source::{encode, Encoding};
use crate::span::Span;

use super::place::{given_spans, place_of};
use super::render::{self, Rendered};
use super::{JsonDocument, JsonError, JsonPlace};

/// A finding of the check on a file being written, with the place in the
/// JSON that gave what it is about (`None`: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFinding {
    /// Where in the JSON.
    pub place: Option<JsonPlace>,
    /// The finding; its spans point into the rendered text.
    pub diagnostic: Diagnostic,
}

/// A file that passed the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file's bytes, in the JSON's encoding (with its byte-order mark).
    pub bytes: Vec<u8>,
    /// The file's text, which the findings point into.
    pub text: String,
    /// The profile it was checked under.
    pub profile: Profile,
    /// The check's warnings that did not stop the write.
    pub warnings: Vec<JsonFinding>,
}

/// A file the check refused, or JSON no MIF can say: nothing may be
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The JSON cannot be written as MIF at all.
    Json(JsonError),
    /// The check refused the file.
    Check {
        /// The text that would have been written, which the findings
        /// point into.
        text: String,
        /// The profile it was checked under.
        profile: Profile,
        /// Why: the findings that refuse it.
        findings: Vec<JsonFinding>,
    },
}

impl From<JsonError> for Refused {
    fn from(error: JsonError) -> Refused {
        Refused::Json(error)
    }
}

impl JsonDocument {
    /// The file, checked. The profile is `options`' if it names one, else
    /// the JSON's `profile`, else the one detected from the content and
    /// `options`' path. Every value, name, row and header comment comes
    /// from the JSON, so the check judges them all as given on purpose
    /// ([`judge`]): any error refuses the file, and so does a warning
    /// about one of them unless `force`; a warning about the file as a
    /// whole (its size, a missing ComponentID group) is told.
    pub fn write(&self, options: &CheckOptions, force: bool) -> Result<Written, Refused> {
        let Rendered { text, document } = render::document(self)?;
        let named = self.profile.as_deref().and_then(Profile::named);
        let options = options.clone();
        let profile = options
            .profile
            .or(named)
            .unwrap_or_else(|| options.profile_of(&document));
        let options = options.with_profile(Some(profile));
        let after = check(&document, &options);
        let changes: Vec<Change> = given_spans(&document)
            .into_iter()
            .map(|span| Change {
                before: span,
                after: span,
            })
            .collect();
        let judgement = judge(&[], &after, &changes, force);
        let found = |diagnostic: Diagnostic| JsonFinding {
            place: place_of(&document, diagnostic.span),
            diagnostic,
        };
        if !judgement.allows() {
            return Err(Refused::Check {
                findings: judgement
                    .refusals
                    .into_iter()
                    .map(|f| found(f.diagnostic))
                    .collect(),
                text,
                profile,
            });
        }
        let encoding = Encoding::from(self.encoding);
        match encode(&text, encoding) {
            Ok(bytes) => Ok(Written {
                bytes,
                warnings: after
                    .into_iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .map(found)
                    .collect(),
                text,
                profile,
            }),
            // The check reports characters the encoding lacks; this is
            // the last guard, should a rule ever miss one.
            Err(unmappable) => {
                let span = Span::new(
                    unmappable.offset,
                    unmappable.offset + unmappable.ch.len_utf8(),
                );
                Err(Refused::Check {
                    findings: vec![found(Diagnostic::error(
                        "mif::unmappable-character",
                        span,
                        unmappable.to_string(),
                    ))],
                    text,
                    profile,
                })
            }
        }
    }
}
