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
    fn near_misses_suggest_the_code() {
        assert_eq!(
            nearest_codes("value-to-long", 1),
            vec!["mif::value-too-long"]
        );
    }
}
