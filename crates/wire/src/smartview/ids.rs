//! Identifiers: XID and PCL (MS-OXCFXICS 2.2.2.2, 2.2.2.4), GID (MS-OXCDATA 2.2.1.3), FID/MID
//! (MS-OXCDATA 2.2.1.1–2.2.1.2), LongTermID (MS-OXCDATA 2.2.1.3.1), GUID, FILETIME, and the
//! search key (MS-OXCPRPT 2.2.1.9 PidTagSearchKey; MS-OXCMSG 2.2.1.? for messages).

use oxmapi_core::codec::{DecodeResult, Reader};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::{LongTermId, ObjectId, counter_from_be};

use super::common::{filetime, guid, hexn};
use crate::describe::{Describe, Node, hex};

/// An XID's `LocalId` is 1 to 8 bytes (MS-OXCFXICS 2.2.2.2: XID size 17 to 24).
const XID_MIN: usize = 17;
const XID_MAX: usize = 24;

/// The fields of an XID of `bytes.len()` bytes (GUID then LocalId).
fn xid_fields(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let g = r.guid("NamespaceGuid")?;
    let local = r.take_rest();
    let mut n = Node::map([("namespace_guid", guid(&g)), ("local_id", Node::hex(local))]);
    if local.len() == 6 {
        let mut a = [0u8; 6];
        a.copy_from_slice(local);
        n = n.with("change_number", hexn(counter_from_be(&a), 6));
    }
    Ok(n)
}

/// An XID standing alone (PidTagChangeKey, MS-OXCFXICS 2.2.1.2.7): GUID + 1–8 byte LocalId.
pub fn xid(b: &[u8]) -> DecodeResult<Node> {
    if !(XID_MIN..=XID_MAX).contains(&b.len()) {
        return Err(Reader::new(b).invalid("XID", format!("{} bytes, not 17 to 24", b.len())));
    }
    xid_fields(b)
}

/// A predecessor change list (PidTagPredecessorChangeList, MS-OXCFXICS 2.2.1.2.8): a series
/// of SizedXid (2.2.2.3), each a size byte then an XID of that size.
pub fn pcl(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let mut xids = Vec::new();
    while !r.is_empty() {
        let size = r.u8("XidSize")? as usize;
        if !(XID_MIN..=XID_MAX).contains(&size) {
            return Err(r.invalid("XidSize", format!("{size}, not 17 to 24")));
        }
        let x = r.take(size, "XID")?;
        xids.push(Node::map([("xid_size", Node::Int(size as i128))]).with("xid", xid_fields(x)?));
    }
    Ok(Node::map([("count", Node::Int(xids.len() as i128)), ("xids", Node::List(xids))]))
}

/// A GID (PidTagSourceKey and PidTagParentSourceKey, MS-OXCFXICS 2.2.1.2.5; MS-OXCDATA
/// 2.2.1.3): a 16-byte database GUID and a 6-byte big-endian global counter.
pub fn gid(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let g = r.guid("DatabaseGuid")?;
    let c: [u8; 6] = r.array("GlobalCounter")?;
    r.finish("GID")?;
    Ok(Node::map([("database_guid", guid(&g)), ("global_counter", hexn(counter_from_be(&c), 6))]))
}

/// A FID, MID or change number as an 8-byte value: replica id (little-endian) and 6-byte
/// big-endian global counter (MS-OXCDATA 2.2.1.1, 2.2.1.2).
pub fn object_id_node(id: ObjectId) -> Node {
    Node::map([
        ("id", Node::str(id.to_string())),
        ("replica_id", hexn(id.replica_id as u64, 2)),
        ("global_counter", hexn(id.global_counter, 6)),
    ])
}

/// A FID or MID in its 8 wire bytes.
pub fn object_id(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let a: [u8; 8] = r.array("ObjectId")?;
    r.finish("FID/MID")?;
    Ok(object_id_node(ObjectId::from_bytes(a)))
}

/// A LongTermID (MS-OXCDATA 2.2.1.3.1): GUID, 6-byte global counter, 2 pad bytes.
pub fn long_term_id(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let a: [u8; 24] = r.array("LongTermID")?;
    r.finish("LongTermID")?;
    let l = LongTermId::from_bytes(&a);
    Ok(l.describe("").with("pad", Node::hex(&a[22..])))
}

/// A GUID (MS-DTYP 2.3.4.2 byte order), with its well-known name.
pub fn guid_kind(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let g = r.guid("GUID")?;
    r.finish("GUID")?;
    Ok(match oxmapi_core::guid::well_known_name(&g) {
        Some(n) => Node::map([("guid", Node::str(g.to_string())), ("name", Node::str(n))]),
        None => Node::map([("guid", Node::str(g.to_string())), ("name", Node::Null)]),
    })
}

/// A FILETIME (MS-DTYP 2.3.3) in its 8 little-endian bytes: UTC and local time.
pub fn filetime_kind(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let v = r.u64("FILETIME")?;
    r.finish("FILETIME")?;
    Ok(filetime(v))
}

/// A search key (PidTagSearchKey, MS-OXCPRPT 2.2.1.9): for recipients and address book
/// objects `ADDRTYPE:ADDRESS` in upper case with a terminating NUL (MS-OXCMSG 2.2.3.? ,
/// MS-OXOABK 2.2.3.5); for messages 16 opaque bytes, usually a GUID.
pub fn search_key(b: &[u8]) -> DecodeResult<Node> {
    if let Some(body) = b.strip_suffix(&[0]) {
        if !body.is_empty() && body.iter().all(|&c| (0x20..0x7f).contains(&c)) {
            let text = String::from_utf8_lossy(body).into_owned();
            if let Some((t, a)) = text.split_once(':') {
                return Ok(Node::map([
                    ("form", Node::str("address")),
                    ("address_type", Node::str(t)),
                    ("address", Node::str(a)),
                ]));
            }
        }
    }
    if b.len() == 16 {
        let g = Guid(b.try_into().unwrap_or([0; 16]));
        return Ok(Node::map([("form", Node::str("guid")), ("guid", Node::str(g.to_string()))]));
    }
    Ok(Node::map([("form", Node::str("opaque")), ("bytes", Node::str(hex(b)))]))
}
