//! Text forms of profile properties, for `oxmapi profile get/set` and MFCMAPI-style editing of a
//! profile section: property tags by name or value, values by the tag's type, flag edits
//! (`--or` / `--clear` on PT_LONG bits), and the checks on the properties whose form oxmapi
//! relies on (server URL, client version, certificate pin).

use oxmapi_core::catalogue::tags::PR_PROFILE_HOME_SERVER;
use oxmapi_core::error::{ErrorCode, codes};
use oxmapi_core::ptype::PropType;
use oxmapi_core::time::{FILETIME_UNIX_EPOCH_SECS, FileTime, civil_from_unix};
use oxmapi_core::{Guid, MapiError, PropTag, PropValue, catalogue, text};

use super::MapiResult;
use super::consts::{
    PR_OXMAPI_CLIENT_VERSION, PR_OXMAPI_TLS_CA_FILE, PR_OXMAPI_TLS_PIN_SHA256, PR_OXMAPI_TRUSTED_ORIGINS,
    PRIVATE_TAGS,
};

/// Resolves a property tag: oxmapi's private names (`PR_OXMAPI_CLIENT_VERSION`), the PST
/// service's (`PR_PST_PATH`, mspst.h), catalogue
/// names (`PR_PROFILE_CONNECT_FLAGS`, `PidTagProfileName`, `PR_PROFILE_NAME_W`) or a hex value
/// (`0x66040003`, `66040003`).
pub fn parse_tag(text: &str) -> MapiResult<PropTag> {
    let t = text.trim();
    let base = t.strip_suffix("_W").or_else(|| t.strip_suffix("_w")).unwrap_or(t);
    if let Some((tag, _)) =
        PRIVATE_TAGS.iter().chain(super::mspst::PST_SECTION_TAGS).find(|(_, n)| n.eq_ignore_ascii_case(base))
    {
        return Ok(*tag);
    }
    if let Some(m) = catalogue::by_name(t) {
        return Ok(m.tag);
    }
    let hex_form = t.starts_with("0x")
        || t.starts_with("0X")
        || (t.len() == 8 && t.chars().all(|c| c.is_ascii_hexdigit()));
    match PropTag::parse_hex(t) {
        Some(tag) if hex_form => Ok(tag),
        _ => Err(MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!(
                "unknown property tag {t:?}: use a PR_ name (PR_PROFILE_CONNECT_FLAGS), a PidTag name or a hex tag \
                 (0x66040003)"
            ),
        )),
    }
}

/// The display name of a tag: oxmapi's private names first, then the catalogue's PR_ name, else
/// `0xXXXXXXXX`.
pub fn tag_name(tag: PropTag) -> String {
    super::consts::private_tag_name(tag).map(str::to_string).unwrap_or_else(|| catalogue::display_name(tag))
}

/// The PT_UNICODE form of a PT_STRING8 tag (and PT_MV_UNICODE of PT_MV_STRING8); other tags are
/// returned unchanged. Profiles are written with MAPI_UNICODE, so catalogue tags that only have
/// an 8-bit form (PR_PROFILE_HOME_SERVER 0x6602001E) are stored as Unicode.
pub fn widen_string_tag(tag: PropTag) -> PropTag {
    match tag.prop_type() {
        Ok(PropType::String8) => tag.with_type(PropType::String),
        Ok(PropType::MultipleString8) => tag.with_type(PropType::MultipleString),
        _ => tag,
    }
}

fn invalid(tag: PropTag, form: &str, text: &str) -> MapiError {
    let ty = tag.prop_type().map(PropType::pt_name).unwrap_or("unknown type");
    MapiError::new(
        codes::MAPI_E_INVALID_PARAMETER,
        format!("{} ({ty}) expects {form}, not {text:?}", tag_name(tag)),
    )
}

/// What a value of type `ty` looks like in text, for error messages.
fn form_of(ty: PropType) -> &'static str {
    match ty {
        PropType::Integer16 => "an integer from -32768 to 65535 such as 0x10 or 16",
        PropType::Integer32 => "an integer such as 0x8002 or 32770",
        PropType::Integer64 => "a 64-bit integer such as 0x100000000 or 4294967296",
        PropType::Currency => "an integer count of 1/10000 units such as 12500 (= 1.25)",
        PropType::Floating32 | PropType::Floating64 => "a number such as 1.5",
        PropType::FloatingTime => "a number of days since 1899-12-30 such as 45000.5",
        PropType::ErrorCode => "an error code such as MAPI_E_NOT_FOUND or 0x8004010F",
        PropType::Boolean => "true or false",
        PropType::Object => "an unsigned 32-bit integer",
        PropType::String8 => "text in code page 1252",
        PropType::String => "text",
        PropType::Time => "a UTC time such as 2024-01-31T12:00:00Z, or a FILETIME integer",
        PropType::Guid => "a GUID such as {C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}",
        PropType::Binary | PropType::ServerId | PropType::RuleAction => "hex bytes such as 0a1b2c",
        PropType::Null => "nothing (an empty value)",
        _ => "a value this command cannot write",
    }
}

/// Parses `text` as a value of `tag`'s type (`profile set`): integers as decimal or `0x` hex
/// (`0x8002`, `32770`; PT_LONG accepts the unsigned range too), strings bare or JSON-quoted
/// (`"text"`), binary as hex, booleans as true/false (also 1/0, yes/no, on/off), GUIDs in
/// braces, times as RFC 3339 UTC or FILETIME, multi-valued properties as a JSON array
/// (`[1, 2]`, `["a", "b"]`). Errors are MAPI_E_INVALID_PARAMETER naming the expected form.
pub fn parse_value(tag: PropTag, text: &str) -> MapiResult<PropValue> {
    let ty = tag.prop_type().map_err(|_| invalid(tag, "a property tag with a known type", text))?;
    if !ty.is_multi() {
        return parse_single(tag, ty, text);
    }
    let form = format!("a JSON array of {} such as [\"…\", \"…\"]", form_of(ty.element()));
    let items: Vec<serde_json::Value> =
        serde_json::from_str(text.trim()).map_err(|_| invalid(tag, &form, text))?;
    let texts = items
        .iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s.clone()),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            serde_json::Value::Bool(b) => Ok(b.to_string()),
            _ => Err(invalid(tag, &form, text)),
        })
        .collect::<MapiResult<Vec<String>>>()?;
    let el = tag.with_type(ty.element());
    let vals = texts.iter().map(|t| parse_single(el, ty.element(), t)).collect::<MapiResult<Vec<_>>>()?;
    Ok(super::format::multi(ty, vals))
}

fn parse_single(tag: PropTag, ty: PropType, text: &str) -> MapiResult<PropValue> {
    let bad = || invalid(tag, form_of(ty), text);
    let t = text.trim();
    let int = |lo: i128, hi: i128| parse_int(t).filter(|v| (lo..=hi).contains(v)).ok_or_else(bad);
    Ok(match ty {
        PropType::Integer16 => PropValue::I16(int(i16::MIN.into(), u16::MAX.into())? as u16 as i16),
        PropType::Integer32 => PropValue::I32(int(i32::MIN.into(), u32::MAX.into())? as u32 as i32),
        PropType::Integer64 => PropValue::I64(int(i64::MIN.into(), u64::MAX.into())? as u64 as i64),
        PropType::Currency => PropValue::Currency(int(i64::MIN.into(), i64::MAX.into())? as i64),
        PropType::Object => PropValue::Object(int(0, u32::MAX.into())? as u32),
        PropType::Floating32 => PropValue::F32(t.parse().map_err(|_| bad())?),
        PropType::Floating64 => PropValue::F64(t.parse().map_err(|_| bad())?),
        PropType::FloatingTime => PropValue::AppTime(t.parse().map_err(|_| bad())?),
        PropType::ErrorCode => PropValue::Error(
            ErrorCode::lookup(t)
                .map(|i| i.code.0)
                .or_else(|| ErrorCode::parse_number(t).map(|c| c.0))
                .ok_or_else(bad)?,
        ),
        PropType::Boolean => PropValue::Bool(match t.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" => false,
            _ => return Err(bad()),
        }),
        PropType::String => PropValue::Unicode(unquote(text)),
        PropType::String8 => {
            let s = unquote(text);
            let bytes = text::encode_cp1252(&s);
            if text::decode_cp1252(&bytes) != s {
                return Err(invalid(
                    tag,
                    "text in code page 1252 (use the _W form of the tag for other text)",
                    text,
                ));
            }
            PropValue::String8(bytes)
        }
        PropType::Time => PropValue::SysTime(parse_time(t).ok_or_else(bad)?),
        PropType::Guid => PropValue::Guid(t.parse::<Guid>().map_err(|_| bad())?),
        PropType::Binary => PropValue::Binary(parse_hex_bytes(t).ok_or_else(bad)?),
        PropType::ServerId => PropValue::ServerId(parse_hex_bytes(t).ok_or_else(bad)?),
        PropType::RuleAction => PropValue::RuleAction(parse_hex_bytes(t).ok_or_else(bad)?),
        PropType::Null if t.is_empty() || t.eq_ignore_ascii_case("null") => PropValue::Null,
        _ => return Err(bad()),
    })
}

/// A decimal or `0x` hex integer with an optional sign.
pub(super) fn parse_int(t: &str) -> Option<i128> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(h) if !h.is_empty() && h.len() <= 32 && h.chars().all(|c| c.is_ascii_hexdigit()) => {
            i128::from_str_radix(h, 16).ok()?
        }
        Some(_) => return None,
        None if !body.is_empty() && body.len() <= 38 && body.chars().all(|c| c.is_ascii_digit()) => {
            body.parse().ok()?
        }
        None => return None,
    };
    Some(if neg { -v } else { v })
}

/// Text without surrounding JSON quotes (`"a\"b"` → `a"b`); unquoted text is taken as is.
fn unquote(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        serde_json::from_str::<String>(t).unwrap_or_else(|_| t[1..t.len() - 1].to_string())
    } else {
        text.to_string()
    }
}

/// Hex bytes with optional `0x` prefix and blank or `:` separators between bytes.
pub fn parse_hex_bytes(t: &str) -> Option<Vec<u8>> {
    let t = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
    let digits: String = t.chars().filter(|c| !c.is_whitespace() && *c != ':').collect();
    decode_hex(&digits)
}

/// Strict hex: an even number of hex digits, nothing else.
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fffffff]]][Z]` in UTC, or a FILETIME integer.
fn parse_time(t: &str) -> Option<FileTime> {
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse().ok().map(FileTime);
    }
    let t = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')).unwrap_or(t);
    let (date, time) = t.split_once(['T', 't', ' ']).unwrap_or((t, "00:00"));
    let num =
        |s: &str| s.parse::<i64>().ok().filter(|_| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()));
    let d: Vec<&str> = date.split('-').collect();
    let [y, mo, da] = d.as_slice() else { return None };
    let (y, mo, da) = (num(y)?, num(mo)?, num(da)?);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let parts: Vec<&str> = hms.split(':').collect();
    let (h, mi, s) = match parts.as_slice() {
        [h, m] => (num(h)?, num(m)?, 0),
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    if frac.len() > 7 || !frac.chars().all(|c| c.is_ascii_digit()) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let ticks: i64 = if frac.is_empty() { 0 } else { num(&format!("{frac:0<7}"))? };
    if !(1601..=30827).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
        return None;
    }
    let days = days_from_civil(y, mo, da);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    let (cy, cm, cd, ..) = civil_from_unix(days * 86_400);
    if (cy, cm as i64, cd as i64) != (y, mo, da) {
        return None;
    }
    let since_1601 = u64::try_from(secs + FILETIME_UNIX_EPOCH_SECS).ok()?;
    since_1601.checked_mul(10_000_000)?.checked_add(ticks as u64).map(FileTime)
}

/// A point in time on the command line (`send --deferred`, `--expires`): relative to `now` as
/// `+N` followed by `s`, `m`, `h` or `d` (`+10s`, `+5m`, `+2h`, `+1d`), or RFC 3339
/// (`2026-12-07T10:00:00Z`, `2026-12-07T11:00:00+01:00`; without an offset, UTC).
pub fn parse_when(text: &str, now: FileTime) -> MapiResult<FileTime> {
    let t = text.trim();
    let bad = || {
        MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!(
                "{text:?} is not a time: give +N[smhd] (+10s, +5m, +2h, +1d) or RFC 3339 (2026-12-07T10:00:00Z)"
            ),
        )
    };
    if let Some(rel) = t.strip_prefix('+') {
        let unit = rel.chars().last().ok_or_else(bad)?;
        let seconds: u64 = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = rel[..rel.len() - 1].parse().map_err(|_| bad())?;
        let ticks = n.checked_mul(seconds).and_then(|s| s.checked_mul(10_000_000)).ok_or_else(bad)?;
        return now.0.checked_add(ticks).map(FileTime).ok_or_else(bad);
    }
    // A trailing `±HH:MM` offset after the time of day.
    let b = t.as_bytes();
    if b.len() > 6
        && t.contains(['T', 't', ' '])
        && matches!(b[b.len() - 6], b'+' | b'-')
        && b[b.len() - 3] == b':'
    {
        let (local, offset) = t.split_at(t.len() - 6);
        let hours: u64 = offset[1..3].parse().map_err(|_| bad())?;
        let minutes: u64 = offset[4..].parse().map_err(|_| bad())?;
        let shift = (hours * 3600 + minutes * 60) * 10_000_000;
        let at = parse_time(local).ok_or_else(bad)?;
        let utc = if offset.starts_with('+') { at.0.checked_sub(shift) } else { at.0.checked_add(shift) };
        return utc.map(FileTime).ok_or_else(bad);
    }
    parse_time(t).ok_or_else(bad)
}

#[test]
fn when_is_relative_or_rfc_3339() {
    let now = FileTime::from_unix_seconds(1_000_000);
    let at = |t: &str| parse_when(t, now).map(FileTime::unix_seconds);
    assert_eq!(at("+10s").unwrap(), 1_000_010);
    assert_eq!(at("+5m").unwrap(), 1_000_300);
    assert_eq!(at("+2h").unwrap(), 1_007_200);
    assert_eq!(at("+1d").unwrap(), 1_086_400);
    assert_eq!(at("1970-01-12T13:46:40Z").unwrap(), 1_000_000);
    assert_eq!(at("1970-01-12T14:46:40+01:00").unwrap(), 1_000_000);
    assert_eq!(at("1970-01-12T12:46:40-01:00").unwrap(), 1_000_000);
    for bad in ["", "+", "+10", "+10y", "+-1s", "tomorrow", "1970-13-01T00:00:00Z"] {
        assert!(parse_when(bad, now).is_err(), "{bad}");
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// Parses a flag mask for `--or` / `--clear` (a PT_LONG value: `0x8000`, `32768`).
pub fn parse_mask(text: &str) -> MapiResult<u32> {
    parse_int(text.trim())
        .filter(|v| (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(v))
        .map(|v| v as u32)
        .ok_or_else(|| {
            MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                format!("flag mask {text:?} is not a 32-bit integer such as 0x8000 or 32768"),
            )
        })
}

/// Edits PT_LONG bits: `(current | or) & !clear`, a missing property counting as 0. The tag
/// must be PT_LONG and any existing value PT_LONG.
pub fn apply_bits(current: Option<&PropValue>, tag: PropTag, or: u32, clear: u32) -> MapiResult<PropValue> {
    if tag.prop_type() != Ok(PropType::Integer32) {
        return Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!("--or/--clear edit PT_LONG flags; {} ({tag}) is not PT_LONG", tag_name(tag)),
        ));
    }
    let cur = match current {
        None => 0,
        Some(PropValue::I32(v)) => *v as u32,
        Some(other) => {
            return Err(MapiError::new(
                codes::MAPI_E_INVALID_TYPE,
                format!("{} holds a {} value, not PT_LONG flags", tag_name(tag), other.prop_type().pt_name()),
            ));
        }
    };
    Ok(PropValue::I32(((cur | or) & !clear) as i32))
}

/// Checks (and normalises) values of the properties whose form oxmapi relies on:
/// PR_PROFILE_HOME_SERVER (an http(s) URL), PR_OXMAPI_CLIENT_VERSION (`A.B.C.D`, each part
/// 0–65535), PR_OXMAPI_TLS_PIN_SHA256 (64 hex digits, stored lowercase without separators),
/// PR_OXMAPI_TLS_CA_FILE (a non-empty path), PR_OXMAPI_TRUSTED_ORIGINS (http(s) origins, stored
/// as `scheme://host:port` separated by spaces). Other values pass unchanged.
pub fn private_value(tag: PropTag, value: PropValue) -> MapiResult<PropValue> {
    let id = tag.id();
    let checked = [
        PR_PROFILE_HOME_SERVER,
        PR_OXMAPI_CLIENT_VERSION,
        PR_OXMAPI_TLS_PIN_SHA256,
        PR_OXMAPI_TLS_CA_FILE,
        PR_OXMAPI_TRUSTED_ORIGINS,
    ];
    if !checked.iter().any(|t| t.id() == id) {
        return Ok(value);
    }
    let name = tag_name(tag);
    let fail = |form: &str, got: &str| {
        MapiError::new(codes::MAPI_E_INVALID_PARAMETER, format!("{name} must be {form}, not {got:?}"))
    };
    let Some(text) = value.as_text().map(|t| t.into_owned()) else {
        return Err(fail("text", &format!("a {} value", value.prop_type().pt_name())));
    };
    let out = if id == PR_PROFILE_HOME_SERVER.id() {
        super::msems::check_server_url(&text)?
    } else if id == PR_OXMAPI_CLIENT_VERSION.id() {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let ok = parts.len() == 4
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.len() <= 5
                    && p.chars().all(|c| c.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|v| v <= 0xFFFF)
            });
        if !ok {
            return Err(fail("a version A.B.C.D such as 16.0.0.0 or 6.5.8353.0", &text));
        }
        text.trim().to_string()
    } else if id == PR_OXMAPI_TLS_PIN_SHA256.id() {
        let hex: String =
            text.chars().filter(|c| *c != ':' && !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(fail("a SHA-256 fingerprint of 64 hex digits", &text));
        }
        hex
    } else if id == PR_OXMAPI_TRUSTED_ORIGINS.id() {
        // Each item an http(s) URL; kept as its origin (scheme://host:port).
        let mut origins = Vec::new();
        for item in text.split([' ', ',', '\t', '\n']).filter(|s| !s.is_empty()) {
            let o = crate::transport::Origin::of(item).map_err(|_| {
                fail(
                    "origins (http:// or https:// URLs such as https://mail.example.com) separated by spaces",
                    item,
                )
            })?;
            origins.push(o.to_string());
        }
        origins.join(" ")
    } else {
        if text.trim().is_empty() {
            return Err(fail("a file path", &text));
        }
        text
    };
    Ok(PropValue::Unicode(out))
}
