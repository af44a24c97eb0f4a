//! The DMI date: `yyyymmddHHMMSS.uuuuuu+ooo`, 25 characters, `*` for the
//! digits of a field that is not known, and the empty string for "no date"
//! (reference section 2.10).

/// The fields of a DMI date: name, first index, length, highest value.
const FIELDS: [(&str, usize, usize, u32); 8] = [
    ("year", 0, 4, 9999),
    ("month", 4, 2, 12),
    ("day", 6, 2, 31),
    ("hour", 8, 2, 23),
    ("minutes", 10, 2, 59),
    ("seconds", 12, 2, 60),
    ("microseconds", 15, 6, 999_999),
    ("offset minutes", 22, 3, 720),
];

/// The form of a DMI date, for messages.
pub const FORM: &str = "yyyymmddHHMMSS.uuuuuu+ooo";

/// What is wrong with a DMI date string, in words, or `None` when it is a
/// date (or empty, which means "no date").
pub fn date_problem(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 25 {
        return Some(format!("{} characters instead of 25", chars.len()));
    }
    if chars[14] != '.' {
        return Some("character 15 must be `.`".into());
    }
    if !matches!(chars[21], '+' | '-' | '*') {
        return Some("character 22 must be `+` or `-` (the UTC offset's sign)".into());
    }
    for (name, start, len, max) in FIELDS {
        let field = &chars[start..start + len];
        if field.iter().all(|&c| c == '*') {
            continue;
        }
        if !field.iter().all(char::is_ascii_digit) {
            return Some(format!(
                "the {name} must be digits, or all `*` when unknown"
            ));
        }
        let value = field
            .iter()
            .fold(0u32, |n, &c| n * 10 + c.to_digit(10).unwrap_or(0));
        let min = u32::from(matches!(name, "month" | "day"));
        if !(min..=max).contains(&value) {
            return Some(format!("the {name} {value} is out of range"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::date_problem;

    #[test]
    fn dates() {
        assert_eq!(date_problem(""), None);
        assert_eq!(date_problem("19940525133015.000000-300"), None);
        assert_eq!(date_problem("1994052513****.******+***"), None);
        assert_eq!(date_problem("19940525******.******+***"), None);
        assert!(date_problem("19941325133015.000000-300").is_some());
        assert!(date_problem("07/01/98 10:30:30").is_some());
        assert!(date_problem("DateTime").is_some());
        assert!(date_problem("19940525133015.000000-721").is_some());
        assert!(date_problem("19940525133015,000000-300").is_some());
        assert!(date_problem("1994052513301x.000000-300").is_some());
        assert!(date_problem("1994052513301é.000000-300").is_some());
    }
}
