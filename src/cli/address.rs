//! The address options `mif get` and `mif set` share.

use mif::edit::{Address, Selector};

/// Where a value is, as options (the compact ADDRESS argument says the same).
#[derive(Debug, Clone, clap::Args)]
pub struct AddressArgs {
    /// The group, by name (any case) or ID.
    #[arg(long, value_name = "NAME|ID", conflicts_with = "table")]
    pub group: Option<String>,
    /// The table, by name or ID; pick its row with --key.
    #[arg(long, value_name = "NAME|ID")]
    pub table: Option<String>,
    /// A key value of the table row; repeat for each KEY attribute, in KEY order.
    #[arg(long, value_name = "VALUE")]
    pub key: Vec<String>,
    /// The attribute, by name (any case) or ID.
    #[arg(long, value_name = "NAME|ID")]
    pub attr: Option<String>,
}

impl AddressArgs {
    /// The address given either as the compact argument or as options.
    pub fn address(&self, compact: Option<&str>) -> Result<Option<Address>, String> {
        let group = self.group.as_ref().or(self.table.as_ref());
        match (compact, group) {
            (Some(_), Some(_)) => Err(
                "give the address either as an argument or with --group/--table, not both".into(),
            ),
            (Some(text), None) => {
                if self.attr.is_some() || !self.key.is_empty() {
                    return Err("--attr and --key go with --group or --table".into());
                }
                text.parse()
                    .map(Some)
                    .map_err(|e: mif::edit::AddressError| e.to_string())
            }
            (None, Some(group)) => Ok(Some(Address {
                group: selector(group),
                row: self.key.clone(),
                attribute: self.attr.as_deref().map(selector),
            })),
            (None, None) if self.attr.is_some() || !self.key.is_empty() => {
                Err("--attr and --key need --group or --table".into())
            }
            (None, None) => Ok(None),
        }
    }
}

/// An option's value: digits are an ID, anything else a name.
fn selector(text: &str) -> Selector {
    match text.trim().parse() {
        Ok(id) if text.trim().bytes().all(|b| b.is_ascii_digit()) => Selector::Id(id),
        _ => Selector::Name(text.trim().to_string()),
    }
}
