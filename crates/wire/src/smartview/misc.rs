//! Calendar and task odds and ends: PidTagScheduleInfoAppointmentTombstone (MS-OXOPFFB
//! 2.2.1.2.? tombstone records) and PidLidTaskAssigners (MS-OXOTASK 2.2.2.2.? TaskAssigner).

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{count, hex32, int, minutes_1601};
use super::conversation::global_object_id;
use super::entryids::entry_id_or_hex;
use crate::describe::Node;

/// The Identifier of an appointment tombstone.
const TOMBSTONE_IDENTIFIER: u32 = 0xBEDE_AFCD;

/// PidTagScheduleInfoAppointmentTombstone: a header (Identifier 0xBEDEAFCD, HeaderSize,
/// Version, RecordsCount, RecordsSize) then records of StartTime, EndTime (minutes since
/// 1601), GlobalObjectIdSize, GlobalObjectId, UsernameSize and Username (8-bit). Every record
/// up to the end is read, as writers are known to leave RecordsCount stale.
pub fn tombstone(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let id = r.u32("Identifier")?;
    if id != TOMBSTONE_IDENTIFIER {
        return Err(Reader::new(b).invalid("Identifier", format!("0x{id:08X}, not 0xBEDEAFCD")));
    }
    let header_size = r.u32("HeaderSize")?;
    let version = r.u32("Version")?;
    let records_count = r.u32("RecordsCount")?;
    let records_size = r.u32("RecordsSize")?;
    let mut records = Vec::new();
    while !r.is_empty() {
        let start = r.u32("StartTime")?;
        let end = r.u32("EndTime")?;
        let n = r.u32("GlobalObjectIdSize")? as usize;
        let goid = r.take(n, "GlobalObjectId")?;
        let un = r.u16("UsernameSize")? as usize;
        let user = r.take(un, "Username")?;
        records.push(Node::map([
            ("start_time", minutes_1601(start)),
            ("end_time", minutes_1601(end)),
            ("global_object_id", global_object_id(goid).unwrap_or_else(|_| Node::hex(goid))),
            ("username", Node::str(super::common::ansi(user))),
        ]));
    }
    Ok(Node::map([
        ("identifier", hex32(id)),
        ("header_size", int(header_size)),
        ("version", int(version)),
        ("records_count", int(records_count)),
        ("records_read", int(records.len() as u32)),
        ("records_size", int(records_size)),
        ("records", Node::List(records)),
    ]))
}

/// PidLidTaskAssigners: cAssigners, then per assigner its size and a TaskAssigner: cbEntryID,
/// EntryID, szDisplayName (8-bit, NUL-terminated), wzDisplayName (UTF-16, NUL-terminated) and
/// any further bytes.
pub fn task_assigners(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let n = r.u32("cAssigners")?;
    let n = count(&r, n as u64, 4, "cAssigners")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let size = r.u32("cbAssigner")? as usize;
        let body = r.take(size, "TaskAssigner")?;
        let mut ar = Reader::new(body);
        let cb = ar.u32("cbEntryID")? as usize;
        let eid = ar.take(cb, "EntryID")?;
        let ansi = ar.asciiz("szDisplayName")?;
        let wide = ar.utf16z("wzDisplayName")?;
        out.push(Node::map([
            ("size", int(size as u32)),
            ("entry_id", entry_id_or_hex(eid)),
            ("display_name_ansi", Node::str(ansi)),
            ("display_name", Node::str(wide)),
            ("junk", Node::hex(ar.take_rest())),
        ]));
    }
    r.finish("TaskAssigners")?;
    Ok(Node::map([("count", int(n as u32)), ("assigners", Node::List(out))]))
}
