//! `mif.toml`: a team's choices for formatting and checking, kept beside
//! the files (see `docs/config.md`).
//!
//! The nearest `mif.toml` (or `.mif.toml`) in a file's folder or a folder
//! above it applies to the file. Patterns (`exclude`, `[check.profiles]`)
//! are globs relative to the folder of the `mif.toml`: `*` stays within
//! one folder, `**` crosses folders.
//!
//! ```toml
//! [fmt]
//! indent = 4              # or "tab"
//! keyword-case = "upper"  # lower, preserve
//! line-ending = "auto"    # lf, crlf
//!
//! [check]
//! allow = ["componentid-class"]  # never reported
//! warn = []                      # errors reported as warnings
//! deny = ["value-too-long"]      # warnings reported as errors
//! deny-warnings = false
//! exclude = ["build/**"]
//!
//! [check.profiles]
//! "inventory/**" = "noidmif"
//! "status/*.mif" = "status"
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::check::{known_code, CheckOptions, Severities};
use crate::model::Profile;
use crate::printer::{FormatOptions, Indent, KeywordCase, LineEndingChoice};

/// The names a configuration file may have, in the order they are looked
/// for in each folder.
pub const FILE_NAMES: [&str; 2] = ["mif.toml", ".mif.toml"];

/// A configuration file, read and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The folder its patterns are relative to.
    pub root: PathBuf,
    /// `[fmt]`: what is not set keeps the formatter's default.
    pub fmt: FmtConfig,
    /// `[check]`.
    pub check: CheckConfig,
}

/// `[fmt]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FmtConfig {
    /// `indent`.
    pub indent: Option<Indent>,
    /// `keyword-case`.
    pub keyword_case: Option<KeywordCase>,
    /// `line-ending`.
    pub line_ending: Option<LineEndingChoice>,
}

/// `[check]`.
#[derive(Debug, Clone, Default)]
pub struct CheckConfig {
    /// `allow`, `warn`, `deny`.
    pub severities: Severities,
    /// `deny-warnings`: warnings fail the check too.
    pub deny_warnings: Option<bool>,
    exclude: GlobSet,
    profiles: Vec<(Glob, globset::GlobMatcher, Profile)>,
}

impl FmtConfig {
    /// This style with each setting of `over` in place of its own: the
    /// command line's flags over the file's `[fmt]`.
    pub fn overridden_by(&self, over: &FmtConfig) -> FmtConfig {
        FmtConfig {
            indent: over.indent.or(self.indent),
            keyword_case: over.keyword_case.or(self.keyword_case),
            line_ending: over.line_ending.or(self.line_ending),
        }
    }

    /// The formatter's options: each setting given here, the canonical
    /// style ([`FormatOptions::default`]) for the rest.
    pub fn options(&self) -> FormatOptions {
        let canonical = FormatOptions::default();
        FormatOptions {
            indent: self.indent.unwrap_or(canonical.indent),
            line_ending: self.line_ending.unwrap_or(canonical.line_ending),
            keyword_case: self.keyword_case.unwrap_or(canonical.keyword_case),
        }
    }
}

/// A configuration file that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column of the problem, when it has a place.
    pub at: Option<(usize, usize)>,
    /// What is wrong, and the nearest right spelling where one is near.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => {
                write!(
                    f,
                    "{}:{line}:{column}: {}",
                    self.path.display(),
                    self.message
                )
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The file as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    fmt: RawFmt,
    #[serde(default)]
    check: RawCheck,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFmt {
    indent: Option<RawIndent>,
    keyword_case: Option<RawKeywordCase>,
    line_ending: Option<RawLineEnding>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawIndent {
    Spaces(i64),
    Word(String),
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawKeywordCase {
    Upper,
    Lower,
    Preserve,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawLineEnding {
    Auto,
    Lf,
    Crlf,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCheck {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    warn: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    deny_warnings: Option<bool>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    profiles: toml::Table,
}

/// Every key a section takes, for "did you mean".
const KEYS: [&str; 10] = [
    "fmt",
    "check",
    "indent",
    "keyword-case",
    "line-ending",
    "allow",
    "warn",
    "deny",
    "deny-warnings",
    "exclude",
];

impl Config {
    /// Read the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read it: {}", crate::write::io_error_in_words(&e)),
        })?;
        let root = canonical_folder(path.parent().unwrap_or(Path::new(".")));
        Config::parse(&text, path, &root)
    }

    /// Read a configuration from its text; `path` names it in errors and
    /// `root` is the folder its patterns are relative to.
    pub fn parse(text: &str, path: &Path, root: &Path) -> Result<Config, ConfigError> {
        let error = |at: Option<std::ops::Range<usize>>, message: String| ConfigError {
            path: path.to_path_buf(),
            at: at.map(|r| line_column(text, r.start)),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| error(e.span(), explain(e.message())))?;
        let place = |needle: &str| text.find(needle).map(|start| start..start + needle.len());
        let fmt = FmtConfig {
            indent: match raw.fmt.indent {
                None => None,
                Some(RawIndent::Word(word)) if word.eq_ignore_ascii_case("tab") => {
                    Some(Indent::Tab)
                }
                Some(RawIndent::Spaces(n)) if (0..=16).contains(&n) => {
                    Some(Indent::Spaces(n as u8))
                }
                Some(_) => {
                    return Err(error(
                        place("indent"),
                        "indent is a number of spaces from 0 to 16, or \"tab\"".into(),
                    ))
                }
            },
            keyword_case: raw.fmt.keyword_case.map(|k| match k {
                RawKeywordCase::Upper => KeywordCase::Upper,
                RawKeywordCase::Lower => KeywordCase::Lower,
                RawKeywordCase::Preserve => KeywordCase::Preserve,
            }),
            line_ending: raw.fmt.line_ending.map(|l| match l {
                RawLineEnding::Auto => LineEndingChoice::Auto,
                RawLineEnding::Lf => LineEndingChoice::Lf,
                RawLineEnding::Crlf => LineEndingChoice::CrLf,
            }),
        };
        let codes = |names: &[String]| {
            names
                .iter()
                .map(|name| known_code(name).map_err(|why| error(place(name), why)))
                .collect::<Result<_, _>>()
        };
        let severities = Severities {
            allow: codes(&raw.check.allow)?,
            warn: codes(&raw.check.warn)?,
            deny: codes(&raw.check.deny)?,
        };
        let glob = |pattern: &str| {
            GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    error(
                        place(pattern),
                        format!("bad pattern `{pattern}`: {}", e.kind()),
                    )
                })
        };
        let mut exclude = GlobSetBuilder::new();
        for pattern in &raw.check.exclude {
            exclude.add(glob(pattern)?);
        }
        let exclude = exclude
            .build()
            .map_err(|e| error(None, format!("bad exclude patterns: {e}")))?;
        let mut profiles = Vec::new();
        for (pattern, value) in &raw.check.profiles {
            let named = value.as_str().and_then(Profile::named).ok_or_else(|| {
                let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
                error(
                    place(pattern),
                    format!(
                        "the profile for \"{pattern}\" is one of {} (a string)",
                        names.join(", ")
                    ),
                )
            })?;
            let compiled = glob(pattern)?;
            let matcher = compiled.compile_matcher();
            profiles.push((compiled, matcher, named));
        }
        Ok(Config {
            path: path.to_path_buf(),
            // Absolute as the paths it is compared with are (`/repo` is
            // `C:\repo` on Windows).
            root: std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()),
            fmt,
            check: CheckConfig {
                severities,
                deny_warnings: raw.check.deny_warnings,
                exclude,
                profiles,
            },
        })
    }

    /// The nearest configuration file for files in `folder`: in it or a
    /// folder above it. `Ok(None)` when there is none.
    pub fn find(folder: &Path) -> Result<Option<Config>, ConfigError> {
        match Config::locate(folder) {
            Some(path) => Config::load(&path).map(Some),
            None => Ok(None),
        }
    }

    /// The path of the nearest configuration file for files in `folder`.
    pub fn locate(folder: &Path) -> Option<PathBuf> {
        canonical_folder(folder).ancestors().find_map(|dir| {
            FILE_NAMES
                .iter()
                .map(|name| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    }

    /// `path` relative to the configuration's folder, with `/` between
    /// folders, as the patterns are written; `None` outside it.
    fn relative(&self, path: &Path) -> Option<String> {
        let path = crate::check::canonical_path(path);
        let relative = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// Whether `path` is excluded from folder walks.
    pub fn excludes(&self, path: &Path) -> bool {
        self.relative(path).is_some_and(|relative| {
            self.check.exclude.is_match(&relative)
                || relative
                    .match_indices('/')
                    .any(|(at, _)| self.check.exclude.is_match(&relative[..at]))
        })
    }

    /// How a file this configuration applies to is checked: `options`
    /// (the file's path, size, and what the command line chose) with the
    /// profile `[check.profiles]` gives the path unless a profile was
    /// chosen, and the configured severities under those already in
    /// `options` (`--allow` and friends win). What `mif check` and the
    /// language server both use.
    pub fn check_options(&self, options: CheckOptions) -> CheckOptions {
        let configured = options
            .path
            .as_deref()
            .and_then(|path| self.profile_for(path));
        CheckOptions {
            profile: options.profile.or(configured),
            severities: self.check.severities.overridden_by(&options.severities),
            ..options
        }
    }

    /// The profile `[check.profiles]` gives `path`: the last pattern that
    /// matches wins, as in `.gitignore`.
    pub fn profile_for(&self, path: &Path) -> Option<Profile> {
        let relative = self.relative(path)?;
        self.check
            .profiles
            .iter()
            .rev()
            .find(|(_, matcher, _)| matcher.is_match(&relative))
            .map(|(_, _, profile)| *profile)
    }
}

/// A folder made absolute with its links resolved (as it is typed when it
/// cannot be resolved).
fn canonical_folder(folder: &Path) -> PathBuf {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    std::fs::canonicalize(folder)
        .or_else(|_| std::path::absolute(folder))
        .unwrap_or_else(|_| folder.to_path_buf())
}

/// A toml or serde message, with the nearest key for an unknown one.
fn explain(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some(end) = rest.find('`') else {
        return message.to_string();
    };
    let key = &rest[..end];
    let nearest = KEYS
        .iter()
        .min_by_key(|known| crate::syntax::edit_distance(known, key))
        .filter(|known| crate::syntax::edit_distance(known, key) <= 3);
    match nearest {
        Some(known) => format!("unknown key `{key}`; did you mean `{known}`?"),
        None => format!(
            "unknown key `{key}`; {}",
            &rest[end + 1..].trim_start_matches(", ")
        ),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("mif.toml"), Path::new("/repo"))
    }

    #[test]
    fn a_whole_file_is_read() {
        let config = parse(
            "[fmt]\nindent = \"tab\"\nkeyword-case = \"lower\"\nline-ending = \"crlf\"\n\n\
             [check]\nallow = [\"componentid-class\"]\ndeny = [\"mif::value-too-long\"]\n\
             deny-warnings = true\nexclude = [\"build/**\"]\n\n\
             [check.profiles]\n\"inventory/**\" = \"noidmif\"\n\"inventory/status/*.mif\" = \"status\"\n",
        )
        .unwrap();
        assert_eq!(config.fmt.indent, Some(Indent::Tab));
        assert_eq!(config.fmt.keyword_case, Some(KeywordCase::Lower));
        assert_eq!(config.fmt.line_ending, Some(LineEndingChoice::CrLf));
        assert!(config
            .check
            .severities
            .allow
            .contains("mif::componentid-class"));
        assert!(config.check.severities.deny.contains("mif::value-too-long"));
        assert_eq!(config.check.deny_warnings, Some(true));
        assert!(config.excludes(Path::new("/repo/build/x/a.mif")));
        assert!(!config.excludes(Path::new("/repo/src/a.mif")));
        assert_eq!(
            config.profile_for(Path::new("/repo/inventory/a/b.mif")),
            Some(Profile::NoIdMif)
        );
        assert_eq!(
            config.profile_for(Path::new("/repo/inventory/status/s.mif")),
            Some(Profile::Status)
        );
        assert_eq!(config.profile_for(Path::new("/repo/s.mif")), None);
    }

    #[test]
    fn mistakes_are_placed_and_the_nearest_key_named() {
        let wrong = parse("[fmt]\nindnt = 2\n").unwrap_err();
        assert_eq!(wrong.at, Some((2, 1)));
        assert!(wrong.message.contains("did you mean `indent`"), "{wrong}");
        let wrong = parse("[check]\nallow = [\"value-to-long\"]\n").unwrap_err();
        assert_eq!(wrong.at.map(|(line, _)| line), Some(2));
        assert!(wrong.message.contains("mif::value-too-long"), "{wrong}");
        let wrong = parse("[check.profiles]\n\"a/*\" = \"inventory\"\n").unwrap_err();
        assert!(
            wrong.message.contains("dmi, status, noidmif, idmif"),
            "{wrong}"
        );
        assert!(parse("[fmt]\nindent = 17\n").is_err());
        assert!(parse("[fmt]\nkeyword-case = \"title\"\n").is_err());
        assert!(parse("[fmt\n").is_err());
        assert_eq!(
            parse("[check]\nallow = 1\n")
                .unwrap_err()
                .at
                .map(|(l, _)| l),
            Some(2)
        );
    }
}
