//! Range formatting never changes what a file says: thousands of random
//! ranges (partial lines, single characters, empty ones, whole files) on
//! messy files, each formatted as the language server does and the result
//! read by the independent reader of `tests/independent`, whose meaning
//! (values, their order, comments) must equal the file's.

mod common;
#[allow(dead_code)]
mod independent {
    pub mod decode;
    pub mod documents;
    pub mod mutants;
    pub mod reader;
}

use independent::mutants::Rng;
use independent::reader::meaning;
use lsp_types::TextEdit;
use mif::lsp::{text_edits, LineMap};
use mif::{Document, Source};

/// Random ranges per file, and generated hostile documents on top of the
/// fixtures and corpus files.
const RANGES_PER_FILE: usize = 24;
const DOCUMENTS: usize = 150;

/// Apply protocol edits as a client does.
fn apply(text: &str, edits: &[TextEdit]) -> String {
    let map = LineMap::new(text);
    let mut spans: Vec<_> = edits
        .iter()
        .map(|e| (map.span(e.range), e.new_text.as_str()))
        .collect();
    spans.sort_by_key(|(span, _)| span.start);
    for pair in spans.windows(2) {
        assert!(pair[0].0.end <= pair[1].0.start, "overlapping edits");
    }
    let mut out = text.to_string();
    for (span, new_text) in spans.iter().rev() {
        out.replace_range(span.range(), new_text);
    }
    out
}

/// A random range of `text`, on character boundaries: mostly short ones
/// inside a line or across a line break, sometimes empty or the whole text.
fn random_range(rng: &mut Rng, text: &str) -> mif::Span {
    let len = text.len();
    let at = |offset: usize| {
        let mut offset = offset.min(len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = at(rng.below(len + 1));
    let width = match rng.below(10) {
        0 => 0,
        1 => len,
        2..=6 => rng.below(6),
        _ => rng.below(200),
    };
    let end = at(start + width);
    mif::Span::new(start, end.max(start))
}

struct Tally {
    files: usize,
    ranges: usize,
    edits: usize,
    failures: Vec<String>,
}

impl Tally {
    fn file(&mut self, name: &str, bytes: &[u8], rng: &mut Rng) {
        let source = Source::decode(bytes);
        let encoding = source.encoding;
        let doc = Document::from_source(source);
        let Ok(formatted) = mif::printer::format(&doc, &Default::default()) else {
            return;
        };
        let Ok(before) = meaning(bytes) else {
            return;
        };
        self.files += 1;
        let text = doc.text();
        for _ in 0..RANGES_PER_FILE {
            let range = random_range(rng, text);
            let edits = text_edits(text, &formatted, Some(range))
                .unwrap_or_else(|e| panic!("{name}: tokens differ at {e:?}"));
            self.ranges += 1;
            self.edits += edits.len();
            let after = apply(text, &edits);
            let Ok(written) = mif::source::encode(&after, encoding) else {
                self.failures
                    .push(format!("{name} {range:?}: unencodable result"));
                continue;
            };
            match meaning(&written) {
                Ok(after) if after == before => {}
                Ok(after) => self.failures.push(format!(
                    "{name} {range:?}: meaning changed\n  before: {before:?}\n  after: {after:?}"
                )),
                Err(why) => self
                    .failures
                    .push(format!("{name} {range:?}: unreadable result: {why}")),
            }
        }
    }
}

#[test]
fn no_range_formatting_changes_meaning_or_comments() {
    let mut files: Vec<_> = common::all_fixtures();
    files.extend(common::corpus().into_iter().map(|(path, _, _)| path));
    let mut tally = Tally {
        files: 0,
        ranges: 0,
        edits: 0,
        failures: Vec::new(),
    };
    let mut rng = Rng(0x1019_0001);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        tally.file(&path.display().to_string(), &bytes, &mut rng);
    }
    let mut documents = Rng(0x1019_0002);
    for round in 0..DOCUMENTS {
        let bytes = independent::documents::document(&mut documents);
        tally.file(&format!("document {round}"), &bytes, &mut rng);
    }
    eprintln!(
        "{} files, {} ranges, {} edits",
        tally.files, tally.ranges, tally.edits
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} ranges changed the file:\n{}",
        tally.failures.len(),
        tally.ranges,
        tally.failures[..tally.failures.len().min(5)].join("\n")
    );
    assert!(tally.ranges >= 3000, "only {} ranges tried", tally.ranges);
}
