//! The documentation of every diagnostic code, for `mif check --explain`.
//!
//! The text is `docs/diagnostics.md`, built into the binary, so the
//! explanation and the published documentation are one and the same.
//! Each code is a `## mif::code` section.

/// The whole diagnostics reference.
pub const DIAGNOSTICS_MD: &str = include_str!("../docs/diagnostics.md");

const SECTION_PREFIX: &str = "## mif::";

/// Every documented code, in documentation order.
pub fn codes() -> Vec<&'static str> {
    DIAGNOSTICS_MD
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter(|heading| heading.starts_with("mif::"))
        .map(str::trim)
        .collect()
}

/// The documentation section of a code (`mif::value-too-long`, or without
/// the `mif::` prefix), heading included; `None` for an unknown code.
pub fn explain(code: &str) -> Option<&'static str> {
    let code = code.trim();
    let bare = code.strip_prefix("mif::").unwrap_or(code);
    let mut offset = 0;
    for line in DIAGNOSTICS_MD.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(name) = line.strip_prefix(SECTION_PREFIX) else {
            continue;
        };
        if name.trim() != bare {
            continue;
        }
        let mut end = offset;
        for next in DIAGNOSTICS_MD[offset..].split_inclusive('\n') {
            if next.starts_with("# ") || next.starts_with("## ") {
                break;
            }
            end += next.len();
        }
        return Some(DIAGNOSTICS_MD[start..end].trim_end());
    }
    None
}

/// A documentation section as plain text for a terminal: the heading
/// underlined, `**bold**` markers dropped, code blocks indented, links as
/// their text, and source tags spelled out from the table under
/// `## Sources` (a tag it does not list is dropped, as are the research
/// notes' rule numbers such as `S1;`). Inline `code` keeps its backquotes,
/// which set it apart in plain text too.
pub fn plain_text(section: &str) -> String {
    let sources = source_names();
    let mut out = String::new();
    let mut in_code = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else if let Some(heading) = line.strip_prefix("## ") {
            out.push_str(heading);
            out.push('\n');
            out.push_str(&"=".repeat(heading.chars().count()));
        } else if line.starts_with("**Severity:**") {
            out.push_str(&facts_line(line, &sources));
        } else {
            out.push_str(&inline_text(line));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// `**Severity:** error · **Profiles:** all · **Source:** [OS2-012] ...`
/// as `Severity: error · Profiles: all` and, on a line of its own,
/// `Source: the IBM OS/2 Toolkit's DMI guide ...`.
fn facts_line(line: &str, sources: &[(&str, &str)]) -> String {
    let (facts, source) = match line.split_once(" · **Source:** ") {
        Some((facts, source)) => (facts, Some(source)),
        None => (line, None),
    };
    let mut out = inline_text(facts);
    if let Some(source) = source.map(|s| spell_sources(s, sources)) {
        if !source.is_empty() {
            out.push_str("\nSource: ");
            out.push_str(&source);
        }
    }
    out
}

/// A line of markdown prose as plain text: bold markers dropped, links
/// as their text (an address in brackets after it, unless it is a place
/// on this page).
fn inline_text(line: &str) -> String {
    let line = line.replace("**", "");
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    while let Some(open) = rest.find('[') {
        let Some(link) = parse_link(&rest[open..]) else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        out.push_str(link.text);
        if !link.target.starts_with('#') {
            out.push_str(&format!(" <{}>", link.target));
        }
        rest = &rest[open + link.length..];
    }
    out.push_str(rest);
    out
}

/// `[text](target)` at the start of `text`.
struct Link<'a> {
    text: &'a str,
    target: &'a str,
    length: usize,
}

fn parse_link(text: &str) -> Option<Link<'_>> {
    let close = text.find("](")?;
    let end = close + text[close..].find(')')?;
    Some(Link {
        text: &text[1..close],
        target: &text[close + 2..end],
        length: end + 1,
    })
}

/// The sources of a `**Source:**` entry, each bracketed tag replaced by
/// its name (runs of tags naming one source named once), rule numbers
/// (`S1;`, `N4,`) and unknown tags dropped.
fn spell_sources(entry: &str, sources: &[(&str, &str)]) -> String {
    let mut out = String::new();
    // The name last written, while only tags have followed it.
    let mut last_name: Option<String> = None;
    for word in entry.split_whitespace() {
        let tag = word.strip_prefix('[').and_then(|word| word.split_once(']'));
        match tag {
            Some((tag, trailing)) => {
                let name = source_name(tag, sources);
                if let Some(name) = name.filter(|name| last_name.as_ref() != Some(name)) {
                    let separator = if last_name.is_some() { ", " } else { " " };
                    push_after(&mut out, separator, &name);
                    last_name = Some(name);
                }
                out.push_str(trailing);
                if !trailing.is_empty() {
                    last_name = None;
                }
            }
            None if is_rule_number(word) => {}
            None => {
                push_after(&mut out, " ", word);
                last_name = None;
            }
        }
    }
    out.trim_matches([' ', ';', ',']).to_string()
}

/// `text` after `separator`, unless `out` is empty.
fn push_after(out: &mut String, separator: &str, text: &str) {
    if !out.is_empty() {
        out.push_str(separator);
    }
    out.push_str(text);
}

/// `S1;`, `N2,`, `I5`: the research notes' rule numbers.
fn is_rule_number(word: &str) -> bool {
    let word = word.trim_end_matches([';', ',']);
    let mut chars = word.chars();
    matches!(chars.next(), Some('S' | 'N' | 'I'))
        && word.len() > 1
        && chars.all(|c| c.is_ascii_digit())
}

/// The name of a source tag: the `## Sources` row whose tag it is, or
/// whose tag it fits (`[OS2-nnn]`, `[MS-...]`, `[KBnnnnnn]`: the part from
/// the first `n` or the `...` is any text, put where the name has `{}`).
fn source_name(tag: &str, sources: &[(&str, &str)]) -> Option<String> {
    sources.iter().find_map(|&(pattern, name)| {
        let prefix_end = pattern
            .find("...")
            .or_else(|| {
                pattern
                    .find('n')
                    .filter(|&at| pattern[at..].chars().all(|c| c == 'n'))
            })
            .unwrap_or(pattern.len());
        let (prefix, placeholder) = pattern.split_at(prefix_end);
        let rest = tag.strip_prefix(prefix)?;
        if placeholder.is_empty() != rest.is_empty() {
            return None;
        }
        Some(name.replace("{}", rest))
    })
}

/// The `## Sources` table: (tag, name) pairs, brackets taken off the tag.
fn source_names() -> Vec<(&'static str, &'static str)> {
    let Some(start) = DIAGNOSTICS_MD.find("\n## Sources\n") else {
        return Vec::new();
    };
    DIAGNOSTICS_MD[start..]
        .lines()
        .skip(2)
        .take_while(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut cells = line.split('|').map(str::trim).filter(|c| !c.is_empty());
            let tag = cells.next()?.strip_prefix('[')?.strip_suffix(']')?;
            Some((tag, cells.next()?))
        })
        .collect()
}

/// The documented codes closest in spelling to `code`, nearest first.
pub fn nearest_codes(code: &str, count: usize) -> Vec<&'static str> {
    let bare = code.trim().strip_prefix("mif::").unwrap_or(code.trim());
    let mut scored: Vec<(usize, &'static str)> = codes()
        .into_iter()
        .map(|known| {
            let known_bare = known.strip_prefix("mif::").unwrap_or(known);
            (crate::syntax::edit_distance(bare, known_bare), known)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(count).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_with_or_without_prefix() {
        let text = explain("mif::value-too-long").unwrap();
        assert!(text.starts_with("## mif::value-too-long"));
        assert!(!text.contains("\n## "));
        assert_eq!(explain("value-too-long"), Some(text));
        assert_eq!(explain("no-such-code"), None);
    }

    #[test]
    fn sections_read_as_plain_text() {
        let text = plain_text(explain("mif::stray-character").unwrap());
        assert!(text.starts_with("mif::stray-character\n====="), "{text}");
        assert!(
            text.contains("\n    CLASS = DMTF|ComponentID|1.0\n"),
            "{text}"
        );
        assert!(!text.contains("```") && !text.contains("**"), "{text}");
        assert!(text.contains("Fix: quote the text"), "{text}");
        let status = plain_text(explain("mif::missing-componentid").unwrap());
        assert!(status.contains("(see Profiles)"), "{status}");
    }

    #[test]
    fn source_tags_are_spelled_out_or_dropped() {
        let sources = source_names();
        let spell = |entry| spell_sources(entry, &sources);
        assert_eq!(
            spell("[OS2-012] [CA-142519]"),
            "the IBM OS/2 Toolkit's DMI guide, the CA Client Automation MIF reference"
        );
        assert_eq!(
            spell("[OS2-015] [OS2-017]"),
            "the IBM OS/2 Toolkit's DMI guide"
        );
        assert_eq!(
            spell("[UW-ERR] 3307 \"Unexpected new line in literal\"; [KB186415]"),
            "the UnixWare DMI SDK 3307 \"Unexpected new line in literal\"; \
             Microsoft Knowledge Base article Q186415"
        );
        assert_eq!(
            spell("S4 (inferred from [KB160776])"),
            "(inferred from Microsoft Knowledge Base article Q160776)"
        );
        assert_eq!(spell("S1; [MITF] [JSQ]"), spell("[MITF] [JSQ]"));
        assert_eq!(spell("[NO-SUCH-TAG]"), "");
        for code in codes() {
            let text = plain_text(explain(code).unwrap());
            assert!(
                !text.contains("**") && !text.contains("```"),
                "{code}: {text}"
            );
            let source = text
                .lines()
                .find(|l| l.starts_with("Source: "))
                .unwrap_or("");
            assert!(!source.contains('['), "{code}: an unknown tag in {source}");
        }
    }

    #[test]
    fn near_misses_suggest_the_code() {
        assert_eq!(
            nearest_codes("value-to-long", 1),
            vec!["mif::value-too-long"]
        );
    }
}
