//! Properties of `Document::set_value` on random valid documents: a value
//! that was set reads back, and setting the old value back restores the
//! original bytes exactly.

use mif::edit::{Address, ApplyOptions, Edit, NewValue, Selector};
use mif::syntax::encode_string_for;
use mif::{Document, Encoding};
use proptest::prelude::*;

/// A generated attribute: its type and value (in canonical spelling).
#[derive(Debug, Clone)]
enum Attr {
    Text(String),
    Integer(i32),
    Counter(u32),
    Integer64(i64),
}

impl Attr {
    fn type_text(&self) -> &'static str {
        match self {
            Attr::Text(_) => "STRING(100)",
            Attr::Integer(_) => "INTEGER",
            Attr::Counter(_) => "COUNTER",
            Attr::Integer64(_) => "INTEGER64",
        }
    }

    fn literal(&self, wide: bool) -> String {
        match self {
            Attr::Text(text) => encode_string_for(text, wide),
            other => other.text(),
        }
    }

    /// The value as `get` prints it.
    fn text(&self) -> String {
        match self {
            Attr::Text(text) => text.clone(),
            Attr::Integer(v) => v.to_string(),
            Attr::Counter(v) => v.to_string(),
            Attr::Integer64(v) => v.to_string(),
        }
    }
}

fn text_value() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range(' ', '~'),
            1 => prop::sample::select(vec!['"', '\\', 'é', 'ß', '\t', '€', '\x01', '\x7f', 'A', 'f']),
        ],
        0..20,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn attr() -> impl Strategy<Value = Attr> {
    prop_oneof![
        text_value().prop_map(Attr::Text),
        any::<i32>().prop_map(Attr::Integer),
        any::<u32>().prop_map(Attr::Counter),
        any::<i64>().prop_map(Attr::Integer64),
    ]
}

/// A new value of the same type as `attr`.
fn same_type(attr: &Attr) -> BoxedStrategy<Attr> {
    match attr {
        Attr::Text(_) => text_value().prop_map(Attr::Text).boxed(),
        Attr::Integer(_) => any::<i32>().prop_map(Attr::Integer).boxed(),
        Attr::Counter(_) => any::<u32>().prop_map(Attr::Counter).boxed(),
        Attr::Integer64(_) => any::<i64>().prop_map(Attr::Integer64).boxed(),
    }
}

/// Layout choices: keyword case, the white space between tokens, and
/// where comments go.
#[derive(Debug, Clone)]
struct Layout {
    lower_case: bool,
    gaps: Vec<&'static str>,
    comments: Vec<bool>,
    encoding: Encoding,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        proptest::collection::vec(
            prop::sample::select(vec![" ", "\t", "\n", "\r\n", "\n    ", "  "]),
            1..16,
        ),
        proptest::collection::vec(any::<bool>(), 1..8),
        prop::sample::select(vec![
            Encoding::SingleByte,
            Encoding::Utf16Be,
            Encoding::Utf16Le,
        ]),
    )
        .prop_map(|(lower_case, gaps, comments, encoding)| Layout {
            lower_case,
            gaps,
            comments,
            encoding,
        })
}

/// Writes a document token by token with the layout's gaps.
struct Writer<'a> {
    layout: &'a Layout,
    out: String,
    count: usize,
}

impl Writer<'_> {
    /// A word followed by the layout's next gap (a statement or block end).
    fn word(&mut self, word: &str) {
        let word = self.case(word);
        self.out.push_str(&word);
        self.gap();
    }

    /// `KEYWORD = value` on one line (DMI wants a value on its keyword's
    /// line), then the next gap.
    fn statement(&mut self, keyword: &str, value: &str) {
        let keyword = self.case(keyword);
        let inline = [" ", "\t", "  ", ""][self.count % 4];
        self.out
            .push_str(&format!("{keyword}{inline}={inline}{value}"));
        self.gap();
    }

    fn case(&self, word: &str) -> String {
        if self.layout.lower_case {
            word.to_lowercase()
        } else {
            word.to_string()
        }
    }

    fn gap(&mut self) {
        self.count += 1;
        let comment = self.layout.comments[self.count % self.layout.comments.len()];
        if comment && self.count.is_multiple_of(3) {
            self.out.push_str(" // note\n");
        } else {
            self.out
                .push_str(self.layout.gaps[self.count % self.layout.gaps.len()]);
        }
    }
}

fn render(groups: &[Vec<Attr>], layout: &Layout) -> String {
    let mut w = Writer {
        layout,
        out: String::from("// generated\n"),
        count: 0,
    };
    w.word("START COMPONENT");
    w.statement("NAME", "\"Generated\"");
    for (g, attrs) in groups.iter().enumerate() {
        w.word("START GROUP");
        w.statement("NAME", &format!("\"Group {}\"", g + 1));
        w.statement("ID", &(g + 1).to_string());
        w.statement("CLASS", &format!("\"TEST|Group{}|1.0\"", g + 1));
        for (a, attr) in attrs.iter().enumerate() {
            w.word("START ATTRIBUTE");
            w.statement("NAME", &format!("\"Attr {}\"", a + 1));
            w.statement("ID", &(a + 1).to_string());
            w.statement("TYPE", attr.type_text());
            w.statement("VALUE", &attr.literal(layout.encoding.is_wide()));
            w.word("END ATTRIBUTE");
        }
        w.word("END GROUP");
    }
    w.word("END COMPONENT");
    w.out
}

/// Documents with their groups, and one attribute picked with a new value.
fn case() -> impl Strategy<Value = (Vec<Vec<Attr>>, Layout, usize, usize, Attr, bool)> {
    (
        proptest::collection::vec(proptest::collection::vec(attr(), 1..5), 1..4),
        layout(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_flat_map(|(groups, layout, gi, ai, by_name)| {
            let g = gi.index(groups.len());
            let a = ai.index(groups[g].len());
            let new = same_type(&groups[g][a]);
            (
                Just(groups),
                Just(layout),
                Just(g),
                Just(a),
                new,
                Just(by_name),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn set_then_get_returns_the_value_and_setting_back_restores_the_bytes(
        (groups, layout, g, a, new, by_name) in case()
    ) {
        let text = render(&groups, &layout);
        let bytes = mif::source::encode(&text, layout.encoding).unwrap();
        let mut doc = Document::parse(&bytes);
        prop_assert!(!doc.has_errors(), "{text}\n{:#?}", doc.diagnostics);
        let address = if by_name {
            Address::attribute(
                Selector::Name(format!("group {}", g + 1)),
                Selector::Name(format!("ATTR {}", a + 1)),
            )
        } else {
            Address::attribute(Selector::Id(g as u32 + 1), Selector::Id(a as u32 + 1))
        };
        let old = &groups[g][a];
        prop_assert_eq!(doc.get(&address).unwrap().values[0].text(), Some(old.text()));

        // Negative integers are an extension the check warns about.
        let force = ApplyOptions { force: true, ..ApplyOptions::default() };
        let set = |doc: &mut Document, value: &Attr| {
            let edit = Edit { address: address.clone(), value: NewValue::Text(value.text()) };
            doc.apply(&[edit], &force)
        };
        set(&mut doc, &new).unwrap();
        prop_assert_eq!(doc.get(&address).unwrap().values[0].text(), Some(new.text()));
        let reread = Document::parse(&doc.source.encode(doc.text()).unwrap());
        prop_assert_eq!(reread.get(&address).unwrap().values[0].text(), Some(new.text()));

        set(&mut doc, old).unwrap();
        prop_assert_eq!(doc.source.encode(doc.text()).unwrap(), bytes);
    }
}

proptest! {
    #[test]
    fn any_address_text_parses_or_is_refused_and_prints_back(text in "[a-zA-Z0-9 .\\[\\],\"\\\\=é]{0,24}") {
        if let Ok(address) = text.parse::<Address>() {
            let printed = address.to_string();
            prop_assert_eq!(printed.parse::<Address>().ok(), Some(address.clone()), "{} -> {}", text, printed);
            let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edit/table-cells.mif");
            let mut doc = Document::parse(&std::fs::read(fixture).unwrap());
            let original = doc.text().to_string();
            if doc.get(&address).is_err() {
                prop_assert!(doc.set_value(&address, NewValue::Text("1".into())).is_err());
                prop_assert_eq!(doc.text(), original);
            }
        }
    }
}
