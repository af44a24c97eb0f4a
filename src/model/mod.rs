//! What a MIF means, written once.
//!
//! The rules that judge a file, the editor that changes one value, the
//! writers of status MIFs and the language server all ask the same
//! questions: does this value fit its type, which group is a table's
//! template and in what order are its cells, which attribute carries a
//! status MIF's verdict and how long may it be, what kind of MIF is this.
//! The answers live here and nowhere else; the other modules only word
//! them (`rules`), act on them (`edit`, `status`) or show them (`lsp`).

pub mod classes;
pub mod date;
pub mod definitions;
pub mod inventory;
pub mod profile;
pub mod signature;
pub mod status;
pub mod tables;
pub mod types;

pub use profile::Profile;
