//! Status MIFs: the install-status files SMS and ConfigMgr read after a
//! program ran (reference section 3).
//!
//! [`StatusMif`] builds one the client accepts (the layout of section 3.1,
//! checked against ISMIF32's limits before anything is written);
//! [`read`] says what the client will make of an existing one, and
//! [`pick`] which of several files it would take and why not the others.
//!
//! ```
//! use mif::status::{self, JobStatus, StatusMif};
//!
//! let mut mif = StatusMif::new(JobStatus::Failed);
//! mif.product = r#"Widget "Pro""#.into();
//! mif.description = "exit code 1603".into();
//! mif.fit(Default::default()).expect("values fit");
//! let reading = status::read(&mif::Document::parse(&mif.render().unwrap()));
//! assert_eq!(reading.verdict, Some(JobStatus::Failed));
//! assert_eq!(reading.product.as_deref(), Some(r#"Widget "Pro""#));
//! ```

mod explain;
mod read;
mod write;

pub use explain::{format_time, notes, pick, Candidate, Criteria, Locations, Note, Selection};
pub use read::{read, StatusReading};
pub use write::{FitOptions, Problem};

pub use crate::rules::JOB_STATUS_CLASS;
/// Class of the group ConfigMgr matches against the package.
pub const COMPONENT_ID_CLASS: &str = "DMTF|ComponentID|1.0";

/// The verdict a status MIF reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum JobStatus {
    Success,
    Failed,
}

impl JobStatus {
    /// The exact word SMS documents: `Success` or `Failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Success => "Success",
            JobStatus::Failed => "Failed",
        }
    }

    /// Read a command-line status: `success`/`failed` in any case, or
    /// ISMIF32.EXE's `-s 1` / `-s 0`, so old scripts translate one to one.
    pub fn parse_flag(text: &str) -> Option<JobStatus> {
        match text.to_ascii_lowercase().as_str() {
            "success" | "1" => Some(JobStatus::Success),
            "failed" | "0" => Some(JobStatus::Failed),
            _ => None,
        }
    }
}

/// The values a caller fills in, each with the attribute that holds it and
/// the ISMIF32 limit it must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Manufacturer,
    Product,
    Version,
    Locale,
    SerialNumber,
    Installation,
    Description,
}

impl Field {
    /// The ComponentID attributes, in file order.
    pub const COMPONENT_ID: [Field; 6] = [
        Field::Manufacturer,
        Field::Product,
        Field::Version,
        Field::Locale,
        Field::SerialNumber,
        Field::Installation,
    ];

    /// The fields ConfigMgr compares with the package (case-insensitively).
    pub const MATCHED: [Field; 3] = [Field::Manufacturer, Field::Product, Field::Version];

    /// The attribute `NAME` in the file.
    pub fn attribute_name(self) -> &'static str {
        match self {
            Field::Manufacturer => "Manufacturer",
            Field::Product => "Product",
            Field::Version => "Version",
            Field::Locale => "Locale",
            Field::SerialNumber => "Serial Number",
            Field::Installation => "Installation",
            Field::Description => "Description",
        }
    }

    /// The `mif new` flag that sets it, for messages.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Manufacturer => "--manufacturer",
            Field::Product => "--product",
            Field::Version => "--version",
            Field::Locale => "--locale",
            Field::SerialNumber => "--serial",
            Field::Installation => "--installation",
            Field::Description => "--description",
        }
    }

    /// Most characters the value may have: the attribute's STRING(n) size
    /// in section 3.1, which is also what ISMIF32.DLL accepts.
    pub fn limit(self) -> usize {
        match self {
            Field::Locale => 16,
            Field::Description => 128,
            _ => 64,
        }
    }
}

/// A status MIF to write, one string per attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMif {
    pub manufacturer: String,
    pub product: String,
    pub version: String,
    pub locale: String,
    pub serial_number: String,
    /// ISMIF32 writes the literal text `DateTime` here.
    pub installation: String,
    pub status: JobStatus,
    pub description: String,
}

impl StatusMif {
    /// A status MIF with every field empty, as ISMIF32 writes missing
    /// arguments, and `Installation` set to `DateTime`.
    pub fn new(status: JobStatus) -> StatusMif {
        StatusMif {
            manufacturer: String::new(),
            product: String::new(),
            version: String::new(),
            locale: String::new(),
            serial_number: String::new(),
            installation: "DateTime".to_string(),
            status,
            description: String::new(),
        }
    }

    /// The value of one field.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Manufacturer => &self.manufacturer,
            Field::Product => &self.product,
            Field::Version => &self.version,
            Field::Locale => &self.locale,
            Field::SerialNumber => &self.serial_number,
            Field::Installation => &self.installation,
            Field::Description => &self.description,
        }
    }

    fn get_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Manufacturer => &mut self.manufacturer,
            Field::Product => &mut self.product,
            Field::Version => &mut self.version,
            Field::Locale => &mut self.locale,
            Field::SerialNumber => &mut self.serial_number,
            Field::Installation => &mut self.installation,
            Field::Description => &mut self.description,
        }
    }
}
