//! PropertyRow (MS-OXCDATA 2.8.1) and AddressBookPropertyRow (MS-OXCMAPIHTTP 2.2.1.7).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::Form;
use super::value::{
    column_value_type, read_ab_value, read_flagged_value, read_value, write_flagged_value, write_has_value,
    write_value,
};

/// One column's cell in a row.
#[derive(Clone, Debug, PartialEq)]
pub enum RowValue {
    /// The value (for a PtypUnspecified column it carries its own type).
    Value(PropValue),
    /// No value (`Flag` 0x01, or NSPI `HasValue` 0x00). `ty` is the type written for a
    /// PtypUnspecified column; for other columns it is the column's type.
    NotFound {
        /// Property type code.
        ty: u16,
    },
    /// An error in place of the value (`Flag` 0x0A).
    Error {
        /// Property type code (as for `NotFound`).
        ty: u16,
        /// The PtypErrorCode value.
        code: u32,
    },
}

impl RowValue {
    /// The value, if present.
    pub fn value(&self) -> Option<&PropValue> {
        match self {
            RowValue::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// PropertyRow `Flag` of a StandardPropertyRow: bare values follow (MS-OXCDATA 2.8.1.1).
pub const ROW_STANDARD: u8 = 0x00;
/// PropertyRow `Flag` of a FlaggedPropertyRow: FlaggedPropertyValues follow (MS-OXCDATA 2.8.1.2).
pub const ROW_FLAGGED: u8 = 0x01;

/// A PropertyRow: `Flag` (0x00 standard, 0x01 flagged) and one cell per column.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyRow {
    /// True for a FlaggedPropertyRow.
    pub flagged: bool,
    /// Cells in column order.
    pub values: Vec<RowValue>,
}

impl PropertyRow {
    /// A row in the form a server must use: flagged as soon as any cell is missing or an error
    /// (MS-OXCDATA 2.8.1).
    pub fn new(values: Vec<RowValue>) -> PropertyRow {
        let flagged = values.iter().any(|v| !matches!(v, RowValue::Value(_)));
        PropertyRow { flagged, values }
    }
}

fn ty_of(r: &Reader<'_>, tag: PropTag) -> DecodeResult<PropType> {
    column_value_type(tag).map_err(|_| r.invalid("column", format!("{tag} has an unknown property type")))
}

/// Reads a PropertyRow for `columns` (ROP form) or an AddressBookPropertyRow (NSPI form).
pub fn read_row(r: &mut Reader<'_>, columns: &[PropTag], form: Form) -> DecodeResult<PropertyRow> {
    let flagged = match r.u8("PropertyRow Flag")? {
        ROW_STANDARD => false,
        ROW_FLAGGED => true,
        other => return Err(r.invalid("PropertyRow Flag", format!("0x{other:02X}"))),
    };
    let mut values = Vec::with_capacity(columns.len().min(r.remaining()));
    for &col in columns {
        let col_ty = ty_of(r, col)?;
        let unspecified = col_ty == PropType::Unspecified;
        let ty = if unspecified {
            let t = r.u16("PropertyType")?;
            PropType::try_from(t).map_err(|e| r.invalid("PropertyType", e.to_string()))?
        } else {
            col_ty
        };
        let cell = if flagged {
            read_flagged_value(r, ty, form)?
        } else {
            match read_ab_value(r, ty, form)? {
                Some(v) => RowValue::Value(v),
                None => RowValue::NotFound { ty: ty.code() },
            }
        };
        values.push(cell);
    }
    Ok(PropertyRow { flagged, values })
}

/// Writes a row for `columns`. A standard row that holds a missing cell is written flagged.
pub fn write_row(w: &mut Writer, row: &PropertyRow, columns: &[PropTag], form: Form) {
    let flagged = row.flagged
        || row.values.iter().any(|v| match v {
            RowValue::Value(_) => false,
            RowValue::NotFound { ty } => {
                !(form == Form::Nspi && PropType::try_from(*ty).is_ok_and(super::value::has_value_byte))
            }
            RowValue::Error { .. } => true,
        });
    w.u8(if flagged { ROW_FLAGGED } else { ROW_STANDARD });
    for (i, &col) in columns.iter().enumerate() {
        let cell = row.values.get(i).cloned().unwrap_or(RowValue::NotFound { ty: col.raw_type() });
        // The same reading of the column's type as `read_row` (an MV-instance flag on
        // PtypUnspecified is still PtypUnspecified), so that what one writes the other reads.
        let unspecified = column_value_type(col).is_ok_and(|t| t == PropType::Unspecified);
        if unspecified {
            let t = match &cell {
                RowValue::Value(v) => v.prop_type().code(),
                RowValue::NotFound { ty } | RowValue::Error { ty, .. } => *ty,
            };
            w.u16(t);
        }
        if flagged {
            write_flagged_value(w, &cell, form);
        } else {
            match &cell {
                RowValue::Value(v) => {
                    write_has_value(w, v.prop_type(), form, true);
                    write_value(w, v, form);
                }
                RowValue::NotFound { ty } => {
                    if let Ok(t) = PropType::try_from(*ty) {
                        write_has_value(w, t, form, false);
                    }
                }
                RowValue::Error { .. } => {}
            }
        }
    }
}

/// Reads a value of `ty` with an NSPI `HasValue` byte where applicable; used by NSPI lists.
pub fn read_value_opt(r: &mut Reader<'_>, ty: PropType, form: Form) -> DecodeResult<Option<PropValue>> {
    if form == Form::Nspi { read_ab_value(r, ty, form) } else { read_value(r, ty, form).map(Some) }
}
