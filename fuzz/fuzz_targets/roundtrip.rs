//! Bytes that parse: the formatter's output re-parses to the same tree and
//! comments and formats to itself. The first byte picks the options, so
//! every indent, line ending and keyword case gets fuzzed.
#![no_main]

#[path = "../../tests/properties/mod.rs"]
mod properties;

use mif::printer::{FormatOptions, Indent, KeywordCase, LineEndingChoice};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let options = FormatOptions {
        indent: match knobs % 3 {
            0 => Indent::Spaces(4),
            1 => Indent::Spaces(2),
            _ => Indent::Tab,
        },
        line_ending: match knobs / 3 % 3 {
            0 => LineEndingChoice::Auto,
            1 => LineEndingChoice::Lf,
            _ => LineEndingChoice::CrLf,
        },
        keyword_case: match knobs / 9 % 3 {
            0 => KeywordCase::Upper,
            1 => KeywordCase::Lower,
            _ => KeywordCase::Preserve,
        },
    };
    properties::roundtrip(bytes, &options);
});
