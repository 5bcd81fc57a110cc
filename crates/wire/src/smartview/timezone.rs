//! Time zones: PidLidTimeZoneStruct (MS-OXOCAL 2.2.1.39) and the TimeZoneDefinition of
//! PidLidAppointmentTimeZoneDefinitionStartDisplay / EndDisplay / Recur (MS-OXOCAL 2.2.1.41)
//! with its TZRules (2.2.1.41.1).

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{count, flags, hexn, int, utf16_units};
use super::flags::TZRULE_FLAGS;
use crate::describe::Node;

/// A SYSTEMTIME (MS-DTYP 2.3.13): in time zone rules, a transition date (day = week of month,
/// 5 = last).
fn system_time(r: &mut Reader<'_>) -> DecodeResult<Node> {
    let names = ["year", "month", "day_of_week", "day", "hour", "minute", "second", "milliseconds"];
    let mut m = Vec::with_capacity(8);
    for n in names {
        m.push((n.to_string(), Node::Int(r.u16("SYSTEMTIME")? as i128)));
    }
    Ok(Node::Map(m))
}

/// PidLidTimeZoneStruct: lBias, lStandardBias, lDaylightBias, wStandardYear, stStandardDate,
/// wDaylightYear, stDaylightDate (48 bytes; biases in minutes, UTC = local + bias).
pub fn time_zone_struct(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let n = Node::map([
        ("bias", int(r.i32("lBias")?)),
        ("standard_bias", int(r.i32("lStandardBias")?)),
        ("daylight_bias", int(r.i32("lDaylightBias")?)),
        ("standard_year", int(r.u16("wStandardYear")?)),
        ("standard_date", system_time(&mut r)?),
        ("daylight_year", int(r.u16("wDaylightYear")?)),
        ("daylight_date", system_time(&mut r)?),
    ]);
    r.finish("TimeZoneStruct")?;
    Ok(n)
}

/// One TZRule (66 bytes).
fn tz_rule(r: &mut Reader<'_>) -> DecodeResult<Node> {
    Ok(Node::map([
        ("major_version", int(r.u8("bMajorVersion")?)),
        ("minor_version", int(r.u8("bMinorVersion")?)),
        ("reserved", hexn(r.u16("wReserved")? as u64, 2)),
        ("flags", flags(r.u16("wTZRuleFlags")? as u32, 2, TZRULE_FLAGS)),
        ("year", int(r.u16("wYear")?)),
        ("x", Node::hex(r.take(14, "X")?)),
        ("bias", int(r.i32("lBias")?)),
        ("standard_bias", int(r.i32("lStandardBias")?)),
        ("daylight_bias", int(r.i32("lDaylightBias")?)),
        ("standard_date", system_time(r)?),
        ("daylight_date", system_time(r)?),
    ]))
}

/// A TimeZoneDefinition: bMajorVersion 2, bMinorVersion 1, cbHeader, wReserved, cchKeyName,
/// KeyName (UTF-16, not terminated), cRules, then cRules TZRules.
pub fn time_zone_definition(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let major = r.u8("bMajorVersion")?;
    let minor = r.u8("bMinorVersion")?;
    let cb_header = r.u16("cbHeader")?;
    let reserved = r.u16("wReserved")?;
    let cch = r.u16("cchKeyName")? as usize;
    let key = utf16_units(&mut r, cch, "KeyName")?;
    let n = r.u16("cRules")?;
    let n = count(&r, n as u64, 66, "cRules")?;
    let mut rules = Vec::with_capacity(n);
    for _ in 0..n {
        rules.push(tz_rule(&mut r)?);
    }
    let rest = r.take_rest();
    let mut out = Node::map([
        ("major_version", int(major)),
        ("minor_version", int(minor)),
        ("header_size", int(cb_header)),
        ("reserved", hexn(reserved as u64, 2)),
        ("key_name", Node::str(key)),
        ("rule_count", int(n as u32)),
        ("rules", Node::List(rules)),
    ]);
    if !rest.is_empty() {
        out = out.with("trailing", Node::hex(rest));
    }
    Ok(out)
}
