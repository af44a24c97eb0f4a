//! Arbitrary bytes: parsing, checking and rendering never panic, and the
//! verbatim print equals the decoded text.
#![no_main]

#[path = "../../tests/properties/mod.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| properties::parse(bytes));
