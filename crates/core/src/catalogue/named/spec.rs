//! Spellings of a named property as a user types them (the CLI's tag arguments):
//!
//! - a canonical name: `PidLidEmail1EmailAddress`, `PidNameKeywords`;
//! - a set and an LID: `PSETID_Address:0x8083`, `{00062004-0000-0000-C000-000000000046}:0x8083`;
//! - a set and a string name: `PS_PUBLIC_STRINGS:"Keywords"` (the quotes are part of the text;
//!   without them the name runs to the end, or to a trailing type);
//!
//! each optionally followed by a type, `:PT_UNICODE`, `:PtypString` or `:0x001F`. Sets are
//! named as MS-OXPROPS 1.3.2 names them (case-insensitive) or given as a braced GUID.

use super::{NamedEntry, by_canonical, by_property_name};
use crate::guid::{Guid, well_known_by_name};
use crate::named::PropertyName;
use crate::ptype::PropType;

/// A parsed named-property spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSpec {
    /// The property set and LID or string name.
    pub name: PropertyName,
    /// The type: the catalogue's when the property is catalogued, else the typed suffix;
    /// `None` when neither says (the caller decides).
    pub ptype: Option<PropType>,
    /// The canonical MS-OXPROPS name, when catalogued.
    pub canonical: Option<&'static str>,
}

const HINT: &str = "`oxmapi tag WORD` searches the catalogue";

/// True when `s` starts with `prefix`, ignoring ASCII case.
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Parses a type suffix (`PT_UNICODE`, `PtypString`, `0x001F`).
fn parse_type(t: &str) -> Result<PropType, String> {
    PropType::from_name(t).ok_or_else(|| type_error(t))
}

fn type_error(t: &str) -> String {
    format!("unknown property type {t:?}: expected a PT_ name (PT_UNICODE), a Ptyp name or a code (0x001F)")
}

/// The other string width of a string type (PT_UNICODE ↔ PT_STRING8, and the multi-valued pair).
fn same_but_width(a: PropType, b: PropType) -> bool {
    use PropType::*;
    matches!(
        (a, b),
        (String, String8)
            | (String8, String)
            | (MultipleString, MultipleString8)
            | (MultipleString8, MultipleString)
    )
}

/// The type of a spelling: the catalogue's, unless the user asked for the other string width.
fn resolve_type(entry: Option<&NamedEntry>, typed: Option<PropType>) -> Result<Option<PropType>, String> {
    match (entry, typed) {
        (Some(e), Some(t)) if t == e.ptype || same_but_width(e.ptype, t) => Ok(Some(t)),
        (Some(e), Some(t)) => Err(format!(
            "{} is {} ({}), not {}",
            e.canonical,
            e.ptype.pt_name(),
            e.ptype.ptyp_name(),
            t.pt_name()
        )),
        (Some(e), None) => Ok(Some(e.ptype)),
        (None, t) => Ok(t),
    }
}

/// Splits an optional `:TYPE` off the end of an unquoted key. A last segment that is no type
/// is an error after a number (`0x8083:PT_BOGUS`) and part of the name otherwise
/// (`urn:schemas:calendar:uid`).
fn split_type(rest: &str) -> Result<(&str, Option<PropType>), String> {
    match rest.rsplit_once(':') {
        Some((head, t)) => match PropType::from_name(t) {
            Some(ty) => Ok((head, Some(ty))),
            None if head.trim_start().starts_with(|c: char| c.is_ascii_digit()) => Err(type_error(t)),
            None => Ok((rest, None)),
        },
        None => Ok((rest, None)),
    }
}

/// Parses the LID or string name after the set's colon, with an optional type after it.
fn parse_key(set: Guid, set_text: &str, rest: &str) -> Result<(PropertyName, Option<PropType>), String> {
    if let Some(q) = rest.strip_prefix('"') {
        let end = q.find('"').ok_or_else(|| format!("unterminated string name in {set_text}:{rest}"))?;
        let (name, after) = (&q[..end], &q[end + 1..]);
        if name.is_empty() {
            return Err(format!("empty string name in {set_text}:{rest}"));
        }
        let ty = match after {
            "" => None,
            t => Some(parse_type(t.strip_prefix(':').ok_or_else(|| {
                format!("unexpected {t:?} after the string name (a type is written :PT_UNICODE)")
            })?)?),
        };
        return Ok((PropertyName::string(set, name), ty));
    }
    let (key, ty) = split_type(rest)?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!(
            "no LID or name after {set_text}: (e.g. {set_text}:0x8083 or {set_text}:\"Keywords\")"
        ));
    }
    if let Some(h) = key.strip_prefix("0x").or_else(|| key.strip_prefix("0X")) {
        let lid = u32::from_str_radix(h, 16)
            .map_err(|_| format!("bad LID {key:?}: expected hex such as 0x8083"))?;
        return Ok((PropertyName::id(set, lid), ty));
    }
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let lid: u32 = key.parse().map_err(|_| format!("bad LID {key:?}"))?;
        return Ok((PropertyName::id(set, lid), ty));
    }
    Ok((PropertyName::string(set, key), ty))
}

/// Parses a named-property spelling. `Ok(None)` when `s` is not one (an ordinary tag name or
/// value); `Err` with a sentence when it looks like one but is malformed or not catalogued.
pub fn parse_named(s: &str) -> Result<Option<NamedSpec>, String> {
    let s = s.trim();
    // A set GUID in braces.
    if let Some(body) = s.strip_prefix('{') {
        let close = body.find('}').ok_or_else(|| format!("unterminated GUID in {s:?}"))?;
        let guid_text = &s[..close + 2];
        let guid: Guid = guid_text.parse().map_err(|e| format!("{e}"))?;
        let rest = body[close + 1..].strip_prefix(':').ok_or_else(|| {
            format!("expected :LID or :\"name\" after {guid_text} (e.g. {guid_text}:0x8083)")
        })?;
        return finish(guid, guid_text, rest).map(Some);
    }
    // A canonical name, with an optional type.
    if starts_with_ci(s, "PidLid") || starts_with_ci(s, "PidName") {
        let (name, typed) = match s.split_once(':') {
            Some((n, t)) => (n, Some(parse_type(t)?)),
            None => (s, None),
        };
        let e = by_canonical(name).ok_or_else(|| {
            format!("unknown named property {name:?}: not in the MS-OXPROPS catalogue ({HINT})")
        })?;
        return Ok(Some(NamedSpec {
            name: e.property_name(),
            ptype: resolve_type(Some(e), typed)?,
            canonical: Some(e.canonical),
        }));
    }
    // A set by name.
    if starts_with_ci(s, "PSETID_") || starts_with_ci(s, "PS_") {
        let (set_text, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("expected {s}:LID or {s}:\"name\" (e.g. PSETID_Address:0x8083)"))?;
        let guid = well_known_by_name(set_text)
            .ok_or_else(|| format!("unknown property set {set_text:?}: use its GUID in braces ({HINT})"))?;
        return finish(guid, set_text, rest).map(Some);
    }
    Ok(None)
}

/// Builds the spec for a set and the text after its colon.
fn finish(guid: Guid, set_text: &str, rest: &str) -> Result<NamedSpec, String> {
    let (name, typed) = parse_key(guid, set_text, rest)?;
    let entry = by_property_name(&name);
    Ok(NamedSpec { ptype: resolve_type(entry, typed)?, canonical: entry.map(|e| e.canonical), name })
}
