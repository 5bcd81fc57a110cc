//! Identifiers of a Personal Folders store: object ids, entry IDs of folders and messages
//! ([MS-PST] 2.4.3.2), and the store's own entry ID as Outlook writes it.

use oxmapi_core::ids::ObjectId;

/// The replica id of every object id a PST store hands out: a PST has one replica, and its
/// object ids are node ids ([MS-PST] 2.2.2.1) in the global counter.
pub const PST_REPLICA_ID: u16 = 1;

/// The object id standing for node `nid`.
pub fn object_id(nid: u32) -> ObjectId {
    ObjectId::new(PST_REPLICA_ID, nid as u64)
}

/// The node id of an object id this store handed out.
pub fn nid_of(id: ObjectId) -> Option<u32> {
    if id.replica_id != PST_REPLICA_ID {
        return None;
    }
    u32::try_from(id.global_counter).ok()
}

/// Length of a PST entry ID: rgbFlags, uid, nid ([MS-PST] 2.4.3.2).
pub const ENTRY_ID_LEN: usize = 24;

/// The entry ID of node `nid` in the store whose PidTagRecordKey is `uid` ([MS-PST] 2.4.3.2).
pub fn entry_id(uid: &[u8; 16], nid: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(ENTRY_ID_LEN);
    v.extend_from_slice(&[0; 4]);
    v.extend_from_slice(uid);
    v.extend_from_slice(&nid.to_le_bytes());
    v
}

/// The node id an entry ID of the store `uid` names (None for another store's or a
/// malformed entry ID).
pub fn parse_entry_id(uid: &[u8; 16], eid: &[u8]) -> Option<u32> {
    if eid.len() != ENTRY_ID_LEN || eid[..4] != [0; 4] || eid[4..20] != uid[..] {
        return None;
    }
    Some(u32::from_le_bytes(eid[20..24].try_into().ok()?))
}

/// MUIDSTOREWRAP: the provider UID of a wrapped store entry ID ([MS-OXCDATA] 2.2.4.3).
const MUID_STORE_WRAP: [u8; 16] =
    [0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2];
/// MSPST_UID_PROVIDER: the wrapped provider UID of a PST store entry ID.
pub const MSPST_UID_PROVIDER: [u8; 16] = oxmapi_core::guid::MSPST_UID_PROVIDER.0;
/// The DLLFileName of a PST store entry ID, NUL-terminated.
const DLL_NAME: &[u8] = b"mspst.dll\0";

/// The fixed part of a PST store entry ID: Flags, MUIDSTOREWRAP, Version, Flag, DLLFileName,
/// WrappedFlags, the PST provider UID and two reserved bytes — the layout Outlook writes for
/// PST stores (PR_STORE_ENTRYID / PR_ENTRYID of the store); the file's path follows in UTF-16LE
/// with a terminating NUL.
fn store_entry_id_head() -> Vec<u8> {
    let mut v = vec![0u8; 4];
    v.extend_from_slice(&MUID_STORE_WRAP);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(DLL_NAME);
    v.extend_from_slice(&[0; 4]);
    v.extend_from_slice(&MSPST_UID_PROVIDER);
    v.extend_from_slice(&[0; 2]);
    v
}

/// The store entry ID of the PST file at `path`.
pub fn store_entry_id(path: &str) -> Vec<u8> {
    let mut v = store_entry_id_head();
    for u in path.encode_utf16().chain(std::iter::once(0)) {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// The file path of a PST store entry ID (None for any other entry ID).
pub fn parse_store_entry_id(eid: &[u8]) -> Option<String> {
    let head = store_entry_id_head();
    let rest = eid.strip_prefix(head.as_slice())?;
    let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let end = units.iter().position(|u| *u == 0)?;
    String::from_utf16(&units[..end]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_round_trip_node_ids() {
        for nid in [0x21u32, 0x122, 0x200024, u32::MAX] {
            assert_eq!(nid_of(object_id(nid)), Some(nid));
        }
        assert_eq!(nid_of(ObjectId::new(2, 0x122)), None);
    }

    #[test]
    fn entry_ids_name_their_store() {
        let uid = [7u8; 16];
        let e = entry_id(&uid, 0x200024);
        assert_eq!(e.len(), ENTRY_ID_LEN);
        assert_eq!(parse_entry_id(&uid, &e), Some(0x200024));
        assert_eq!(parse_entry_id(&[8u8; 16], &e), None);
    }

    /// The head of a PST store ID as Outlook wrote it for `C:\mail\Work - 2010.pst` (a store
    /// ID published in an Outlook VBA macro).
    #[test]
    fn store_entry_id_has_outlooks_layout() {
        let e = store_entry_id("C:\\mail\\Work - 2010.pst");
        let hex: String = e.iter().map(|b| format!("{b:02X}")).collect();
        assert!(hex.starts_with(
            "0000000038A1BB1005E5101AA1BB08002B2A56C200006D737073742E646C6C00000000004E495441F9BFB80100AA0037D96E0000000043003A005C006D00610069006C005C"
        ));
        assert!(hex.ends_with("2E007000730074000000"));
        assert_eq!(parse_store_entry_id(&e).as_deref(), Some("C:\\mail\\Work - 2010.pst"));
        assert_eq!(parse_store_entry_id(&e[..30]), None);
    }
}
