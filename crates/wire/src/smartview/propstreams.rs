//! Streams of property rows:
//! - the nickname cache (autocomplete stream, MS-OXOCFG): Metadata1 0xBAADF00D, MajorVersion,
//!   MinorVersion, RowCount, rows of property values in their in-memory SPropValue form (tag,
//!   4 reserved bytes, an 8-byte union, then the data of strings, binaries and GUIDs),
//!   ExtraInfo and an 8-byte Metadata2;
//! - the recipient row stream of PidLidAppointmentUnsendableRecipients (MS-OXOCAL 2.2.1.25:
//!   Version 1, RowCount, rows) as Outlook writes its rows (and MFCMAPI reads them): cValues, a
//!   reserved u32, then each value after its tag, strings and binaries after a 2-byte size,
//!   booleans in 2 bytes.

use oxmapi_core::codec::{DecodeResult, Reader};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::common::{count, hex32, int};
use crate::describe::{Describe, Node, status};

/// Metadata1 of a nickname cache (0xBAADF00D, little-endian).
const METADATA1: u32 = 0xBAAD_F00D;

/// One property value; returns the tag and the value.
fn prop_value(r: &mut Reader<'_>) -> DecodeResult<(PropTag, PropValue)> {
    let tag = PropTag(r.u32("PropertyTag")?);
    let _reserved = r.u32("Reserved")?;
    let union: [u8; 8] = r.array("PropertyValue")?;
    let lo = u32::from_le_bytes([union[0], union[1], union[2], union[3]]);
    let v = match tag.raw_type() {
        0x0002 => PropValue::I16(lo as u16 as i16),
        0x0003 => PropValue::I32(lo as i32),
        0x0004 => PropValue::F32(f32::from_bits(lo)),
        0x0005 => PropValue::F64(f64::from_le_bytes(union)),
        0x0006 => PropValue::Currency(i64::from_le_bytes(union)),
        0x0007 => PropValue::AppTime(f64::from_le_bytes(union)),
        0x000A => PropValue::Error(lo),
        0x000B => PropValue::Bool(lo & 0xFFFF != 0),
        0x0014 => PropValue::I64(i64::from_le_bytes(union)),
        0x0040 => PropValue::SysTime(FileTime(u64::from_le_bytes(union))),
        0x001E | 0x001F | 0x0102 => {
            let n = r.u32("cb")? as usize;
            let b = r.take(n, "value bytes")?;
            match tag.raw_type() {
                0x001E => PropValue::String8(b.strip_suffix(&[0]).unwrap_or(b).to_vec()),
                0x001F => PropValue::Unicode(super::common::utf16(b)),
                _ => PropValue::Binary(b.to_vec()),
            }
        }
        0x0048 => PropValue::Guid(r.guid("GUID")?),
        other => {
            return Err(
                r.invalid("PropertyTag", format!("type 0x{other:04X} is not read in a nickname cache"))
            );
        }
    };
    Ok((tag, v))
}

fn value_node(tag: PropTag, v: &PropValue) -> Node {
    let raw = match v {
        PropValue::Error(e) => status(*e),
        other => other.describe(""),
    };
    let mut n = crate::describe::tag_node(tag).with("value", raw);
    if let Some(view) = super::decode_property(tag, v) {
        n = n.with("view", view);
    }
    n
}

/// One value of a recipient row.
fn row_value(r: &mut Reader<'_>) -> DecodeResult<(PropTag, PropValue)> {
    let tag = PropTag(r.u32("PropertyTag")?);
    let v = match tag.raw_type() {
        0x0002 => PropValue::I16(r.i16("PtypInteger16")?),
        0x0003 => PropValue::I32(r.i32("PtypInteger32")?),
        0x0004 => PropValue::F32(r.f32("PtypFloating32")?),
        0x0005 => PropValue::F64(r.f64("PtypFloating64")?),
        0x0006 => PropValue::Currency(r.i64("PtypCurrency")?),
        0x0007 => PropValue::AppTime(r.f64("PtypFloatingTime")?),
        0x000A => PropValue::Error(r.u32("PtypErrorCode")?),
        0x000B => PropValue::Bool(r.u16("PtypBoolean")? != 0),
        0x0014 => PropValue::I64(r.i64("PtypInteger64")?),
        0x0040 => PropValue::SysTime(FileTime(r.u64("PtypTime")?)),
        0x0048 => PropValue::Guid(r.guid("PtypGuid")?),
        0x001E | 0x001F | 0x0102 => {
            let n = r.u16("cb")? as usize;
            let b = r.take(n, "value bytes")?;
            match tag.raw_type() {
                0x001E => PropValue::String8(b.strip_suffix(&[0]).unwrap_or(b).to_vec()),
                0x001F => PropValue::Unicode(super::common::utf16(b)),
                _ => PropValue::Binary(b.to_vec()),
            }
        }
        other => {
            return Err(
                r.invalid("PropertyTag", format!("type 0x{other:04X} is not read in a recipient row"))
            );
        }
    };
    Ok((tag, v))
}

/// The recipient row stream of PidLidAppointmentUnsendableRecipients.
pub fn recipient_row_stream(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let version = r.u32("Version")?;
    let rows_n = r.u32("RowCount")?;
    let rows_n = count(&r, rows_n as u64, 8, "RowCount")?;
    let mut rows = Vec::with_capacity(rows_n);
    for _ in 0..rows_n {
        let n = r.u32("cValues")?;
        let reserved = r.u32("ulReserved1")?;
        let n = count(&r, n as u64, 6, "cValues")?;
        let mut props = Vec::with_capacity(n);
        for _ in 0..n {
            let (tag, v) = row_value(&mut r)?;
            props.push(value_node(tag, &v));
        }
        rows.push(Node::map([("reserved", hex32(reserved)), ("properties", Node::List(props))]));
    }
    r.finish("recipient row stream")?;
    Ok(Node::map([("version", int(version)), ("row_count", int(rows_n as u32)), ("rows", Node::List(rows))]))
}

/// A nickname cache (PR_ROAMING_BINARYSTREAM of the IPM.Configuration.Autocomplete message).
pub fn nickname_cache(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let meta1 = r.u32("Metadata1")?;
    if meta1 != METADATA1 {
        return Err(Reader::new(b).invalid("Metadata1", format!("0x{meta1:08X}, not 0xBAADF00D")));
    }
    let major = r.u32("MajorVersion")?;
    let minor = r.u32("MinorVersion")?;
    let rows_n = r.u32("RowCount")?;
    let rows_n = count(&r, rows_n as u64, 4, "RowCount")?;
    let mut rows = Vec::with_capacity(rows_n);
    for _ in 0..rows_n {
        let n = r.u32("PropertyValueCount")?;
        let n = count(&r, n as u64, 16, "PropertyValueCount")?;
        let mut props = Vec::with_capacity(n);
        for _ in 0..n {
            let (tag, v) = prop_value(&mut r)?;
            props.push(value_node(tag, &v));
        }
        rows.push(Node::List(props));
    }
    let extra_n = r.u32("ExtraInfoSize")? as usize;
    let extra = r.take(extra_n, "ExtraInfo")?;
    let meta2: [u8; 8] = r.array("Metadata2")?;
    r.finish("nickname cache")?;
    Ok(Node::map([
        ("metadata1", hex32(meta1)),
        ("major_version", int(major)),
        ("minor_version", int(minor)),
        ("row_count", int(rows_n as u32)),
        ("rows", Node::List(rows)),
        ("extra_info", Node::hex(extra)),
        ("metadata2", Node::hex(&meta2)),
    ]))
}
