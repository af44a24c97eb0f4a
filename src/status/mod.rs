//! Status MIFs: the install-status files SMS and ConfigMgr read after a
//! program ran (reference section 3).
//!
//! [`StatusMif`] writes one the client accepts (the layout of section
//! 3.1), judged by [`crate::check`](crate::check()) before anything is
//! written; [`read`] says what the client will make of an existing one,
//! and [`pick`] which of several files it would take and why not the
//! others.
//! What the client reads and ISMIF32's limits are in
//! [`crate::model::status`], re-exported here.
//!
//! ```
//! use mif::status::{self, Field, JobStatus, StatusMif};
//! use mif::CheckOptions;
//!
//! let mut mif = StatusMif::new(JobStatus::Failed);
//! mif.set(Field::Product, r#"Widget "Pro""#);
//! mif.set(Field::Description, "exit code 1603");
//! let written = mif.write(&CheckOptions::default(), false).expect("values fit");
//! let reading = status::read(&mif::Document::parse(&written.bytes), &CheckOptions::default());
//! assert_eq!(reading.verdict, Some(JobStatus::Failed));
//! assert_eq!(reading.fields[Field::Product].as_deref(), Some(r#"Widget "Pro""#));
//! ```

mod explain;
mod read;
mod write;

pub use explain::{
    format_time, notes, obstacles, pick, Candidate, Criteria, Locations, Note, Obstacle, Selection,
};
pub use read::{read, StatusReading};
pub use write::{FieldFinding, Mend, MendOptions, Mended, Refused, StatusMif, Written};

pub use crate::model::classes::{COMPONENT_ID_CLASS, JOB_STATUS_CLASS};
pub use crate::model::status::{Field, FieldMap, JobStatus};
