//! MS-OXCDATA encodings: property values (2.11), rows (2.8), problems (2.7), restrictions
//! (2.12), sort orders (2.13) and property names (2.6).
//!
//! The same structures travel in three forms that differ only in count widths and the NSPI
//! `HasValue` byte; [`Form`] selects one.

pub mod extended_rule;
mod problem;
mod propname;
mod restriction;
mod row;
pub mod rule_action;
mod sort;
mod value;

pub use problem::{PropertyProblem, read_problems, write_problems};
pub use propname::{read_property_name, read_property_name_or_none, write_property_name};
pub use restriction::{MAX_RESTRICTION_DEPTH, read_restriction, write_restriction};
pub use row::{PropertyRow, ROW_FLAGGED, ROW_STANDARD, RowValue, read_row, read_value_opt, write_row};
pub use sort::{
    read_sort_order, read_sort_order_set, read_sort_orders_counted, write_sort_order, write_sort_order_set,
};
pub use value::{
    FLAG_ERROR, FLAG_NOT_FOUND, FLAG_VALUE, column_value_type, has_value_byte, read_flagged_value,
    read_tagged_value, read_tagged_values, read_typed_value, read_value, write_flagged_value,
    write_tagged_value, write_tagged_values, write_typed_value, write_value,
};

/// Largest element count accepted for any counted array in a value or list. MS-OXCMAPIHTTP
/// caps LargePropertyTagArray at 100 000 (2.2.1.8); the same bound keeps every other count sane.
pub const MAX_COUNT: u64 = 100_000;

/// The encoding context of an MS-OXCDATA structure.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Form {
    /// ROP buffers: PtypBinary / PtypServerId byte counts are u16, multi-value counts u32,
    /// restriction counts u16 (MS-OXCDATA 2.11.1, 2.12.1).
    Rop,
    /// MAPI/HTTP NSPI bodies: every count is u32, and AddressBookPropertyValue adds a `HasValue`
    /// byte before string, binary and multi-valued values (MS-OXCMAPIHTTP 2.2.1.1).
    Nspi,
    /// Extended rules (MS-OXORULE 2.2.4): u32 counts, no `HasValue`.
    Extended,
}

impl Form {
    /// True when binary counts and restriction counts are 32-bit.
    pub fn wide_counts(self) -> bool {
        !matches!(self, Form::Rop)
    }
}

#[cfg(test)]
mod tests;
