//! Arbitrary field values for `mif new`: refused with a diagnostic, or a
//! file that checks clean and that `mif::status::read` reads back to the
//! same values.
#![no_main]

#[path = "../../tests/properties/mod.rs"]
mod properties;

use libfuzzer_sys::arbitrary::{self, Arbitrary};

#[derive(Debug, Arbitrary)]
struct Input {
    fields: [String; 7],
    success: bool,
    truncate: bool,
    replace_unmappable: bool,
    replace_control: bool,
    force: bool,
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    properties::new(&properties::NewInput {
        fields: input.fields,
        success: input.success,
        truncate: input.truncate,
        replace_unmappable: input.replace_unmappable,
        replace_control: input.replace_control,
        force: input.force,
    });
});
