//! `mif new noidmif` and `mif new idmif`: inventory MIFs from names and
//! values, into the folder the ConfigMgr client reads.

use std::path::{Path, PathBuf};

use mif::inventory::{
    client_folder, AttributeType, Identity, InventoryAttribute, InventoryGroup, InventoryMif, Kind,
    Part, Place, Refused,
};
use mif::CheckOptions;

use super::super::input::ColorChoice;
use super::super::{EXIT_OK, EXIT_TROUBLE};
use super::{
    deliver, env_dir, mif_file_name, note_profile_at_destination, nothing_written, print_finding,
};

/// The environment variable that names the folder `--noidmifs` writes to.
pub const NOIDMIFS_DIR_VARIABLE: &str = "MIF_NOIDMIFS_DIR";
/// The environment variable that names the folder `--idmifs` writes to.
pub const IDMIFS_DIR_VARIABLE: &str = "MIF_IDMIFS_DIR";

/// The inventory MIFs `mif new` writes.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Noidmif(Box<NoidmifArgs>),
    Idmif(Box<IdmifArgs>),
}

/// Write a NOIDMIF: a group of values the ConfigMgr client adds to the
/// hardware inventory of the computer it runs on.
///
/// The file has the component (`System Information`, or --component),
/// the group with its class, and one attribute per --value, IDs from 1 in
/// order: a STRING(n) sized to fit (64, 128, 256, ...) unless --type says
/// otherwise. It is judged by the check in the noidmif profile before
/// anything is written (names without quotes or surrounding spaces,
/// sizes, Windows-1252): an error, or a warning about a value given
/// (unless --force), means nothing is written and the exit code is 2.
/// The file is written atomically, never through a link.
///
/// Every client must write a class the same way (names, IDs, types,
/// lengths, keys): ConfigMgr sends a file that differs to BadMifs. Give
/// --type for every attribute of a file many clients write, and check
/// them together with `mif check` (mif::inventory-class-mismatch).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif new noidmif --group Asset --class \"ACME|Asset|1.0\" --value Tag=A-42 --value \"Owner=Jo Smith\"\n  \
    mif new noidmif --group Asset --class \"ACME|Asset|1.0\" --value Tag=A-42 --value Rack=7 \\\n      \
    --type \"Tag=STRING(32)\" --type Rack=INTEGER --key Tag --noidmifs asset\n\n\
    --noidmifs NAME writes NAME.mif into the client's Noidmifs folder: --noidmifs-dir, else\n\
    MIF_NOIDMIFS_DIR, else the first that exists of %windir%\\CCM\\Inventory\\Noidmifs (current\n\
    branch), %windir%\\System32\\CCM\\Inventory\\Noidmifs (SMS 2003, ConfigMgr 2007),\n\
    %windir%\\SysWOW64\\CCM\\Inventory\\Noidmifs (32-bit 2007 client on 64-bit Windows) and\n\
    %windir%\\MS\\SMS\\Noidmifs (SMS 1.x, 2.0). The client collects NOIDMIFs only when the\n\
    hardware inventory client setting \"Collect MIF files\" includes them, and only classes\n\
    imported into hardware inventory classes are loaded.\n\n\
    Exit codes: 0 written, 2 bad input or the file could not be written (nothing written).")]
pub struct NoidmifArgs {
    #[command(flatten)]
    pub spec: Spec,
    /// Write NAME.mif into the client's Noidmifs folder.
    #[arg(long, value_name = "NAME", conflicts_with = "output")]
    pub noidmifs: Option<String>,
    /// The Noidmifs folder to write --noidmifs into [env: MIF_NOIDMIFS_DIR].
    #[arg(long, value_name = "DIR", requires = "noidmifs")]
    pub noidmifs_dir: Option<PathBuf>,
}

/// Write an IDMIF: data about an architecture and an instance of it that
/// the ConfigMgr client sends to the site as they are.
///
/// The file starts with the //Architecture<ARCH> and //UniqueID<ID>
/// headers (and //AgentID<...> with --agent-id), then the component and
/// the group: by default the architecture's top-level group that the
/// loader requires (named and classed like the architecture, keyed by its
/// first attribute unless --key says otherwise), one attribute per
/// --value. It is judged by the check in the idmif profile before
/// anything is written; an error, or a warning about a value given
/// (unless --force), means nothing is written and the exit code is 2.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    mif new idmif --architecture Asset --unique-id WW-42 --value Tag=A-42 --value Owner=Jo\n  \
    mif new idmif --architecture Asset --unique-id WW-42 --agent-id \"Asset Tool\" \\\n      \
    --value Tag=A-42 --type \"Tag=STRING(32)\" --idmifs ww-42\n\n\
    --idmifs NAME writes NAME.mif into the client's Idmifs folder: --idmifs-dir, else\n\
    MIF_IDMIFS_DIR, else the first that exists of %windir%\\CCM\\Inventory\\Idmifs and the older\n\
    clients' folders (see `mif new noidmif --help`).\n\n\
    Exit codes: 0 written, 2 bad input or the file could not be written (nothing written).")]
pub struct IdmifArgs {
    /// The architecture the data is about (//Architecture<ARCH>).
    #[arg(long, value_name = "ARCH")]
    pub architecture: String,
    /// The instance of the architecture (//UniqueID<ID>).
    #[arg(long, value_name = "ID")]
    pub unique_id: String,
    /// The agent that owns this part of the data (//AgentID<NAME>);
    /// without it hardware inventory may overwrite it.
    #[arg(long, value_name = "NAME")]
    pub agent_id: Option<String>,
    #[command(flatten)]
    pub spec: Spec,
    /// Write NAME.mif into the client's Idmifs folder.
    #[arg(long, value_name = "NAME", conflicts_with = "output")]
    pub idmifs: Option<String>,
    /// The Idmifs folder to write --idmifs into [env: MIF_IDMIFS_DIR].
    #[arg(long, value_name = "DIR", requires = "idmifs")]
    pub idmifs_dir: Option<PathBuf>,
}

/// What both inventory MIFs take.
#[derive(Debug, clap::Args)]
pub struct Spec {
    /// The group's name (for an IDMIF: the architecture's by default).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// The group's class, which keys the inventory class, such as
    /// "ACME|Asset|1.0" (for an IDMIF: the architecture by default).
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
    /// An attribute and its value, ATTR=VALUE (the name ends at the first
    /// `=`); repeat for each, in order.
    #[arg(long = "value", value_name = "ATTR=VALUE", required = true)]
    pub values: Vec<String>,
    /// A key attribute, by name; repeat for each, in key order.
    #[arg(long = "key", value_name = "ATTR")]
    pub keys: Vec<String>,
    /// An attribute's type, ATTR=TYPE: STRING(n), INTEGER, INTEGER64,
    /// COUNTER, COUNTER64 or GAUGE [default: STRING(n) sized to fit].
    #[arg(long = "type", value_name = "ATTR=TYPE")]
    pub types: Vec<String>,
    /// The component's name.
    #[arg(long, value_name = "NAME", default_value = "System Information")]
    pub component: String,
    /// Write to this file (`-`: standard output) [default: standard output].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse to replace an existing file.
    #[arg(long)]
    pub no_clobber: bool,
    /// Write values that only break a warning-level rule.
    #[arg(long)]
    pub force: bool,
    /// No warnings, notes or "wrote" line; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,
    /// When to colour the diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(command: Command) -> u8 {
    match command {
        Command::Noidmif(args) => {
            let folder = args.noidmifs.as_ref().map(|name| FolderChoice {
                name,
                flag: "--noidmifs",
                dir: args.noidmifs_dir.clone(),
                variable: NOIDMIFS_DIR_VARIABLE,
                kind: Kind::NoIdMif,
            });
            let group = match group(&args.spec, None) {
                Ok(group) => group,
                Err(message) => return trouble(&message),
            };
            let mut mif = InventoryMif::noidmif(group);
            mif.component = args.spec.component.clone();
            write(&mif, &args.spec, folder)
        }
        Command::Idmif(args) => {
            let folder = args.idmifs.as_ref().map(|name| FolderChoice {
                name,
                flag: "--idmifs",
                dir: args.idmifs_dir.clone(),
                variable: IDMIFS_DIR_VARIABLE,
                kind: Kind::IdMif,
            });
            let group = match group(&args.spec, Some(&args.architecture)) {
                Ok(group) => group,
                Err(message) => return trouble(&message),
            };
            let identity = Identity {
                architecture: args.architecture.clone(),
                unique_id: args.unique_id.clone(),
                agent_id: args.agent_id.clone(),
            };
            let mut mif = InventoryMif::idmif(identity, group);
            mif.component = args.spec.component.clone();
            write(&mif, &args.spec, folder)
        }
    }
}

fn trouble(message: &str) -> u8 {
    tell!("error: {message}");
    EXIT_TROUBLE
}

/// The group the flags describe; an IDMIF's defaults to the
/// architecture's top-level group.
fn group(spec: &Spec, architecture: Option<&String>) -> Result<InventoryGroup, String> {
    let (name, class) = match (&spec.group, &spec.class, architecture) {
        (Some(name), Some(class), _) => (name.clone(), class.clone()),
        (name, class, Some(architecture)) => (
            name.clone().unwrap_or_else(|| architecture.clone()),
            class.clone().unwrap_or_else(|| architecture.clone()),
        ),
        (None, _, None) => return Err("--group NAME is required".into()),
        (_, None, None) => {
            return Err("--class is required, such as --class \"ACME|Asset|1.0\"".into())
        }
    };
    let mut attributes = Vec::with_capacity(spec.values.len());
    for pair in &spec.values {
        let Some((attribute, value)) = pair.split_once('=') else {
            return Err(format!(
                "--value {pair:?}: write ATTR=VALUE, such as --value \"Tag=A-42\""
            ));
        };
        attributes.push(InventoryAttribute::new(attribute, value));
    }
    for pair in &spec.types {
        let Some((name, text)) = pair.split_once('=') else {
            return Err(format!(
                "--type {pair:?}: write ATTR=TYPE, such as --type \"Tag=STRING(32)\""
            ));
        };
        let data_type: AttributeType = text.parse().map_err(|e| format!("--type {pair:?}: {e}"))?;
        let attribute = attributes
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| format!("--type {pair:?}: no --value names an attribute {name:?}"))?;
        attribute.data_type = Some(data_type);
    }
    Ok(InventoryGroup {
        name,
        class,
        key: spec.keys.clone(),
        attributes,
    })
}

/// `--noidmifs NAME` or `--idmifs NAME`, and where its folder is said to be.
struct FolderChoice<'a> {
    name: &'a str,
    flag: &'static str,
    dir: Option<PathBuf>,
    variable: &'static str,
    kind: Kind,
}

impl FolderChoice<'_> {
    /// The file to write: NAME.mif in the folder the flag, the variable or
    /// the installed client names.
    fn path(&self) -> Result<PathBuf, String> {
        let file = mif_file_name(self.name, self.flag)?;
        if let Some(dir) = self.dir.clone().or_else(|| env_dir(&[self.variable])) {
            return Ok(dir.join(file));
        }
        let windir = env_dir(&["windir", "WINDIR", "SystemRoot"]).ok_or_else(|| {
            format!(
                "{}: neither windir nor SystemRoot is set (they are on Windows); name the {} \
                 folder with {}-dir or {}",
                self.flag,
                self.kind.folder_name(),
                self.flag,
                self.variable
            )
        })?;
        match client_folder(&windir, self.kind) {
            Ok(folder) => Ok(folder.join(file)),
            Err(tried) => {
                let list: Vec<String> = tried
                    .iter()
                    .map(|(folder, clients)| format!("  {} ({clients})", folder.display()))
                    .collect();
                Err(format!(
                    "{}: no {} folder of a ConfigMgr client exists; looked for:\n{}\n\
                     is the client installed? Name the folder with {}-dir or {}",
                    self.flag,
                    self.kind.folder_name(),
                    list.join("\n"),
                    self.flag,
                    self.variable
                ))
            }
        }
    }
}

/// The flag that gave what a finding is about.
fn flag(mif: &InventoryMif, place: Place) -> String {
    let attribute_name = |group: usize, attribute: usize| {
        mif.groups
            .get(group)
            .and_then(|g| g.attributes.get(attribute))
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    match place {
        Place::Component => "--component".into(),
        Place::Header("Architecture") => "--architecture".into(),
        Place::Header("UniqueID") => "--unique-id".into(),
        Place::Header(_) => "--agent-id".into(),
        Place::Group(_) => "--group".into(),
        Place::Class(_) => "--class".into(),
        Place::Key(_) => "--key".into(),
        Place::Attribute {
            group,
            attribute,
            part,
        } => {
            let name = attribute_name(group, attribute);
            match part {
                Part::Type => format!("--type {name}"),
                Part::Name | Part::Value => format!("--value {name}"),
            }
        }
    }
}

fn write(mif: &InventoryMif, spec: &Spec, folder: Option<FolderChoice>) -> u8 {
    let destination = match &folder {
        Some(choice) => match choice.path() {
            Ok(path) => Some(path),
            Err(message) => return trouble(&message),
        },
        None => spec.output.clone().filter(|path| path.as_os_str() != "-"),
    };
    let options = destination
        .as_deref()
        .map_or_else(CheckOptions::default, CheckOptions::for_path);
    let color = spec.color.for_stderr();
    let mut err = std::io::stderr().lock();
    let written = match mif.write(&options, spec.force) {
        Ok(written) => written,
        Err(Refused::Spec(error)) => {
            drop(err);
            return trouble(&format!("{error}; nothing written"));
        }
        Err(Refused::Json(error)) => {
            drop(err);
            return trouble(&format!("{error}; nothing written"));
        }
        Err(Refused::Check { findings, .. }) => {
            for finding in &findings {
                let about = finding.place.map(|p| flag(mif, p));
                print_finding(&mut err, about.as_deref(), &finding.diagnostic, None, color);
            }
            drop(err);
            nothing_written(findings.iter().all(|f| !f.diagnostic.is_error()));
            return EXIT_TROUBLE;
        }
    };
    if !spec.quiet {
        for finding in &written.warnings {
            let place = finding.place.as_ref().and_then(|p| mif.place_of(p));
            let about = place.map(|p| flag(mif, p));
            print_finding(&mut err, about.as_deref(), &finding.diagnostic, None, color);
        }
        let sized: Vec<&str> = mif
            .groups
            .iter()
            .flat_map(|g| &g.attributes)
            .filter(|a| a.data_type.is_none())
            .map(|a| a.name.as_str())
            .collect();
        if !sized.is_empty() {
            use std::io::Write;
            let _ = writeln!(
                err,
                "note: {} sized to fit the value{}; every client must write a class alike, so \
                 for a file many clients write give --type \"NAME=STRING(n)\"",
                sized.join(", "),
                if sized.len() == 1 { "" } else { "s" }
            );
        }
    }
    drop(err);
    let code = deliver(
        &written.bytes,
        destination.as_deref().map(Path::new),
        spec.no_clobber,
        spec.quiet,
    );
    if code == EXIT_OK && !spec.quiet {
        note_profile_at_destination(&written.bytes, written.profile, &options);
    }
    code
}
