//! Which `mif.toml` applies to each file: the nearest one above it, the
//! one `--config` names, or none with `--no-config`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{GlobBuilder, GlobSetBuilder};
use mif::config::Config;

use super::input::{Excluded, Input};

/// The options every command that reads a configuration takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Use this configuration file for every file, instead of the nearest
    /// mif.toml or .mif.toml above each.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub no_config: bool,
}

/// The configurations found so far, by folder.
pub struct Configs {
    chosen: Option<Option<Arc<Config>>>,
    by_folder: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
}

impl Configs {
    /// Start from the command line: `--config` is read now, so a bad one
    /// stops the command before any file is touched.
    pub fn new(args: &ConfigArgs) -> Result<Configs, String> {
        let chosen = if args.no_config {
            Some(None)
        } else if let Some(path) = &args.config {
            Some(Some(Arc::new(
                Config::load(path).map_err(|e| e.to_string())?,
            )))
        } else {
            None
        };
        Ok(Configs {
            chosen,
            by_folder: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration for a file in `folder`.
    pub fn for_folder(&self, folder: &Path) -> Result<Option<Arc<Config>>, String> {
        if let Some(chosen) = &self.chosen {
            return Ok(chosen.clone());
        }
        let mut cache = self.by_folder.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(folder) {
            return Ok(found.clone());
        }
        let found = Config::find(folder)
            .map_err(|e| e.to_string())?
            .map(Arc::new);
        cache.insert(folder.to_path_buf(), found.clone());
        Ok(found)
    }

    /// The configuration for an input: a file's folder; for standard input
    /// the folder of `--stdin-filepath`, else the current folder.
    pub fn for_input(
        &self,
        input: &Input,
        stdin_name: Option<&Path>,
    ) -> Result<Option<Arc<Config>>, String> {
        let path = match (input, stdin_name) {
            (Input::File(path), _) => Some(path.as_path()),
            (Input::Stdin, name) => name,
        };
        let folder = path
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.for_folder(folder)
    }
}

/// What folder walks leave out: `patterns` (`--exclude`, relative to the
/// current folder) and each file's configuration's `exclude`.
pub fn excluded(configs: Arc<Configs>, patterns: &[String]) -> Result<Excluded, String> {
    let mut flags = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("--exclude {pattern}: {}", e.kind()))?;
        flags.add(glob);
    }
    let flags = flags.build().map_err(|e| format!("--exclude: {e}"))?;
    let here = std::env::current_dir().unwrap_or_default();
    Ok(Arc::new(move |path: &Path| {
        let relative = path.strip_prefix(&here).unwrap_or(path);
        let relative = relative.strip_prefix(".").unwrap_or(relative);
        if flags.is_match(relative) {
            return true;
        }
        let folder = path.parent().unwrap_or(Path::new("."));
        matches!(configs.for_folder(folder), Ok(Some(config)) if config.excludes(path))
    }))
}
