//! Shared pieces of the SmartView decoders: value nodes in the [`Node`] conventions (flags as
//! `0x` hex with their names, enums with their name, times in UTC and local time) and the
//! reading of counted strings.

use std::sync::OnceLock;

use oxmapi_core::codec::{DecodeResult, Reader};
use oxmapi_core::consts::{FlagName, flag_names};
use oxmapi_core::guid::Guid;
use oxmapi_core::time::{FILETIME_UNIX_EPOCH_SECS, FileTime, civil_from_unix};

use crate::describe::Node;

/// Largest element count any SmartView structure is read with: a count beyond the remaining
/// bytes fails before anything is allocated.
pub(crate) fn count(r: &Reader<'_>, n: u64, min_size: usize, what: &'static str) -> DecodeResult<usize> {
    let limit = (r.remaining() / min_size.max(1)) as u64;
    if n > limit {
        return Err(oxmapi_core::codec::DecodeError::TooLarge {
            offset: r.position(),
            what,
            value: n,
            limit,
        });
    }
    Ok(n as usize)
}

/// `0x`-prefixed hex of `width` bytes.
pub(crate) fn hexn(v: u64, width: usize) -> Node {
    Node::str(format!("0x{v:0w$x}", w = width * 2))
}

/// A 32-bit value in hex.
pub(crate) fn hex32(v: u32) -> Node {
    hexn(v as u64, 4)
}

/// A flag field: its hex value and the names of its bits (unknown bits as a hex remainder).
pub(crate) fn flags(v: u32, width: usize, table: &[FlagName]) -> Node {
    Node::map([
        ("value", hexn(v as u64, width)),
        ("names", Node::List(flag_names(v, table).into_iter().map(Node::Str).collect())),
    ])
}

/// The name of an enumerated value, if the table has it.
pub(crate) fn enum_name(v: u32, table: &[FlagName]) -> Option<&'static str> {
    table.iter().find(|(x, _)| *x == v).map(|(_, n)| *n)
}

/// An enumerated field: its value and name (`null` when the table does not have it).
pub(crate) fn enumerated(v: u32, table: &[FlagName]) -> Node {
    Node::map([
        ("value", Node::Int(v as i128)),
        ("name", enum_name(v, table).map(Node::str).unwrap_or(Node::Null)),
    ])
}

/// A GUID with its well-known name, if any.
pub(crate) fn guid(g: &Guid) -> Node {
    use crate::describe::Describe;
    g.describe("")
}

/// A GUID stored as 16 bytes in network order (the conversation index, MS-OXOMSG 2.2.1.3).
pub(crate) fn guid_be(b: &[u8; 16]) -> Node {
    let h = crate::describe::hex(b).to_uppercase();
    Node::str(format!("{{{}-{}-{}-{}-{}}}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}

/// The local time zone: seconds east of UTC at a given Unix time. Set once by the program (the
/// wire crate does no I/O and cannot read the system's zone); UTC until then.
static LOCAL_OFFSET: OnceLock<fn(i64) -> i32> = OnceLock::new();

/// Tells the SmartView decoders how to find the local offset from UTC (seconds east) at a Unix
/// time, for the `local` form of times. The first call wins.
pub fn set_local_offset(f: fn(i64) -> i32) {
    let _ = LOCAL_OFFSET.set(f);
}

fn local_offset(unix: i64) -> i32 {
    LOCAL_OFFSET.get().map(|f| f(unix)).unwrap_or(0)
}

/// `YYYY-MM-DDTHH:MM:SS[.fffffff]` plus `suffix`, for seconds since 1970 and 100-ns ticks.
fn civil(unix: i64, ticks: u64, suffix: &str) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(unix);
    if ticks == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{suffix}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ticks:07}{suffix}")
    }
}

/// A FILETIME (MS-DTYP 2.3.3): the raw value, UTC and local time.
pub(crate) fn filetime(ft: u64) -> Node {
    let t = FileTime(ft);
    let unix = t.unix_seconds();
    let off = local_offset(unix);
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let suffix = format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60);
    Node::map([
        ("filetime", hexn(ft, 8)),
        ("utc", Node::str(t.to_rfc3339())),
        ("local", Node::str(civil(unix + off as i64, ft % 10_000_000, &suffix))),
    ])
}

/// Minutes since 1601-01-01 (the dates of recurrence patterns, MS-OXOCAL 2.2.1.44.1): the
/// value and the time it stands for (a date-time without zone, as the pattern is in the
/// appointment's own time zone).
pub(crate) fn minutes_1601(m: u32) -> Node {
    let unix = m as i64 * 60 - FILETIME_UNIX_EPOCH_SECS;
    Node::map([("minutes", Node::Int(m as i128)), ("time", Node::str(civil(unix, 0, "")))])
}

/// An 8-bit string, without any terminating NUL, as text (Windows-1252).
pub(crate) fn ansi(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    oxmapi_core::text::decode_cp1252(&b[..end])
}

/// UTF-16LE code units as text, without any terminating NUL (lossy on unpaired surrogates).
pub(crate) fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let end = units.iter().position(|&c| c == 0).unwrap_or(units.len());
    String::from_utf16_lossy(&units[..end])
}

/// Reads `n` UTF-16 code units.
pub(crate) fn utf16_units(r: &mut Reader<'_>, n: usize, what: &'static str) -> DecodeResult<String> {
    let b = r.take(n.saturating_mul(2), what)?;
    Ok(utf16(b))
}

/// Signed 32-bit value.
pub(crate) fn int(v: impl Into<i128>) -> Node {
    Node::Int(v.into())
}
