//! Large property values in the `blobs` / `blob_chunks` tables (schema version 2).
//!
//! A blob holds the stream form of one value (what RopReadStream returns, MS-OXCPRPT 2.2.15:
//! the bytes of a PtypBinary or PtypString8 value, UTF-16LE without terminator for PtypString)
//! in chunks of [`CHUNK`] bytes; chunk `seq` holds bytes `[seq * CHUNK, (seq + 1) * CHUNK)`. A
//! missing chunk, or the missing tail of a short one, reads as zeros (a stream grown by
//! RopSetStreamSize). Only whole chunks are ever in memory.
//!
//! Life cycle: a blob is *pending* while only open objects use it (created by a stream or by a
//! save spilling a large in-memory value) and belongs to the workspace of one open message tree;
//! a save that references it makes it permanent, and permanent blobs are never written again
//! (a stream that changes one copies it first), so copies of a message share them. Pending
//! blobs go when their workspace is discarded, or after a day when a server forgot to; permanent
//! ones when no property row names them any more ([`sweep_orphans`]).

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::ptype::PropType;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use crate::error::{StoreError, StoreResult};

/// Bytes per `blob_chunks` row.
pub(crate) const CHUNK: u64 = 64 * 1024;

/// Pending blobs older than this (FILETIME units: one day) are deleted by the sweep.
const STALE_PENDING: u64 = 24 * 3600 * 10_000_000;

/// True for the types whose values can be streams and blobs (MS-OXCPRPT 2.2.14).
pub(crate) fn streamable(ty: PropType) -> bool {
    matches!(ty, PropType::Binary | PropType::String | PropType::String8)
}

/// Length of the stream form of a streamable value, without building it.
pub(crate) fn stream_len(v: &PropValue) -> Option<u64> {
    match v {
        PropValue::Unicode(s) => Some(s.encode_utf16().count() as u64 * 2),
        PropValue::String8(b) | PropValue::Binary(b) => Some(b.len() as u64),
        _ => None,
    }
}

/// Converts a string value between PtypString and PtypString8 (Windows-1252); other values and
/// types are returned only when the type already matches.
pub(crate) fn convert(v: PropValue, want: PropType) -> Option<PropValue> {
    if v.prop_type() == want {
        return Some(v);
    }
    match (v, want) {
        (PropValue::String8(b), PropType::String) => {
            Some(PropValue::Unicode(oxmapi_core::text::decode_cp1252(&b)))
        }
        (PropValue::Unicode(s), PropType::String8) => {
            Some(PropValue::String8(oxmapi_core::text::encode_cp1252(&s)))
        }
        _ => None,
    }
}

fn gone(id: i64) -> StoreError {
    StoreError::ObjectChanged(format!(
        "large value {id} no longer exists (the message was changed or deleted meanwhile); reopen it"
    ))
}

/// A new empty pending blob owned by `workspace`.
pub(crate) fn create(conn: &Conn, workspace: i64) -> StoreResult<i64> {
    Ok(conn.query_row(
        "INSERT INTO blobs (size, pending, workspace, created) VALUES (0, 1, ?1, ?2) RETURNING blob_id",
        params![workspace, FileTime::now().0 as i64],
        |r| r.get(0),
    )?)
}

/// The size of a blob; ObjectChanged when it is gone.
pub(crate) fn size(conn: &Conn, id: i64) -> StoreResult<u64> {
    let s: Option<i64> =
        conn.query_row("SELECT size FROM blobs WHERE blob_id = ?1", [id], |r| r.get(0)).optional()?;
    s.map(|s| s as u64).ok_or_else(|| gone(id))
}

/// Chunk `seq` of a blob as stored (possibly short or absent).
pub(crate) fn read_chunk(conn: &Conn, id: i64, seq: u64) -> StoreResult<Vec<u8>> {
    let data: Option<Vec<u8>> = conn
        .query_row(
            "SELECT data FROM blob_chunks WHERE blob_id = ?1 AND seq = ?2",
            params![id, seq as i64],
            |r| r.get(0),
        )
        .optional()?;
    Ok(data.unwrap_or_default())
}

/// Writes chunk `seq` (at most [`CHUNK`] bytes) and records the blob's size.
pub(crate) fn write_chunk(conn: &Conn, id: i64, seq: u64, data: &[u8], size: u64) -> StoreResult<()> {
    debug_assert!(data.len() as u64 <= CHUNK);
    conn.execute(
        "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?1, ?2, ?3) \
         ON CONFLICT (/*mbx,*/ blob_id, seq) DO UPDATE SET data = excluded.data",
        params![id, seq as i64, data],
    )?;
    conn.execute("UPDATE blobs SET size = ?2 WHERE blob_id = ?1", params![id, size as i64])?;
    Ok(())
}

/// Truncates or extends a blob to `new_size` (extension reads as zeros).
pub(crate) fn set_size(conn: &Conn, id: i64, new_size: u64) -> StoreResult<()> {
    size(conn, id)?;
    let keep = new_size.div_ceil(CHUNK);
    conn.execute("DELETE FROM blob_chunks WHERE blob_id = ?1 AND seq >= ?2", params![id, keep as i64])?;
    let rem = new_size % CHUNK;
    if rem != 0 {
        conn.execute(
            "UPDATE blob_chunks SET data = substr(data, 1, ?3) WHERE blob_id = ?1 AND seq = ?2 AND length(data) > ?3",
            params![id, (new_size / CHUNK) as i64, rem as i64],
        )?;
    }
    conn.execute("UPDATE blobs SET size = ?2 WHERE blob_id = ?1", params![id, new_size as i64])?;
    Ok(())
}

/// A new pending blob in `workspace` with the first `limit` bytes of `from` (copied inside
/// SQLite, chunk by chunk).
pub(crate) fn copy(conn: &Conn, from: i64, workspace: i64, limit: u64) -> StoreResult<i64> {
    let size = size(conn, from)?.min(limit);
    let id = create(conn, workspace)?;
    conn.execute(
        "INSERT INTO blob_chunks (blob_id, seq, data) SELECT ?1, seq, data FROM blob_chunks \
         WHERE blob_id = ?2 AND seq < ?3",
        params![id, from, size.div_ceil(CHUNK) as i64],
    )?;
    conn.execute("UPDATE blobs SET size = ?2 WHERE blob_id = ?1", params![id, size as i64])?;
    set_size(conn, id, size)?;
    Ok(id)
}

/// `len` bytes from `offset` (clipped to the blob's size).
pub(crate) fn read_range(conn: &Conn, id: i64, offset: u64, len: u64) -> StoreResult<Vec<u8>> {
    let total = size(conn, id)?;
    let end = offset.saturating_add(len).min(total);
    let mut out = Vec::with_capacity(end.saturating_sub(offset) as usize);
    let mut pos = offset;
    while pos < end {
        let seq = pos / CHUNK;
        let chunk = read_chunk(conn, id, seq)?;
        let start = (pos - seq * CHUNK) as usize;
        let stop = ((end - seq * CHUNK).min(CHUNK)) as usize;
        for i in start..stop {
            out.push(chunk.get(i).copied().unwrap_or(0));
        }
        pos = seq * CHUNK + stop as u64;
    }
    Ok(out)
}

/// Stores `bytes` as a new pending blob of `workspace`.
pub(crate) fn store_bytes(conn: &Conn, workspace: i64, bytes: &[u8]) -> StoreResult<i64> {
    let id = create(conn, workspace)?;
    for (seq, chunk) in bytes.chunks(CHUNK as usize).enumerate() {
        write_chunk(conn, id, seq as u64, chunk, bytes.len() as u64)?;
    }
    Ok(id)
}

/// Makes a blob permanent (a saved property now names it); ObjectChanged when it is gone.
pub(crate) fn make_permanent(conn: &Conn, id: i64) -> StoreResult<()> {
    let n = conn.execute("UPDATE blobs SET pending = 0, workspace = NULL WHERE blob_id = ?1", [id])?;
    if n == 0 {
        return Err(gone(id));
    }
    Ok(())
}

/// Deletes the pending blobs of a workspace (its objects were released).
pub(crate) fn discard_workspace(conn: &Conn, workspace: i64) -> StoreResult<()> {
    conn.execute("DELETE FROM blobs WHERE pending = 1 AND workspace = ?1", [workspace])?;
    Ok(())
}

/// Deletes the permanent blobs no property row names any more (recorded in `blob_orphans` by
/// triggers when property rows are deleted or replaced, also by cascade), and pending blobs
/// older than a day. Runs at the end of every `Durability::Full` transaction (every transaction
/// that changes saved messages).
pub(crate) fn sweep_orphans(conn: &Conn) -> StoreResult<()> {
    conn.execute(
        "DELETE FROM blobs WHERE blob_id IN (SELECT blob_id FROM blob_orphans) AND pending = 0 \
         AND NOT EXISTS (SELECT 1 FROM message_properties p WHERE p.blob_id = blobs.blob_id) \
         AND NOT EXISTS (SELECT 1 FROM attachment_properties p WHERE p.blob_id = blobs.blob_id)",
        [],
    )?;
    conn.execute("DELETE FROM blob_orphans", [])?;
    let before = FileTime::now().0.saturating_sub(STALE_PENDING);
    conn.execute("DELETE FROM blobs WHERE pending = 1 AND created < ?1", [before as i64])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Conn {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", "ON").unwrap();
        let c = Conn::Sqlite(c);
        for m in crate::mailbox::schema::MIGRATIONS {
            c.execute_batch(m.sql).unwrap();
        }
        c
    }

    #[test]
    fn chunks_grow_shrink_and_copy() {
        let c = conn();
        let data: Vec<u8> = (0..(CHUNK * 2 + 100)).map(|i| (i % 251) as u8).collect();
        let id = store_bytes(&c, 7, &data).unwrap();
        assert_eq!(size(&c, id).unwrap(), data.len() as u64);
        assert_eq!(read_range(&c, id, 0, u64::MAX).unwrap(), data);
        assert_eq!(
            read_range(&c, id, CHUNK - 3, 6).unwrap(),
            data[(CHUNK - 3) as usize..(CHUNK + 3) as usize]
        );
        let copy_id = copy(&c, id, 7, CHUNK + 10).unwrap();
        assert_eq!(read_range(&c, copy_id, 0, u64::MAX).unwrap(), data[..(CHUNK + 10) as usize]);
        set_size(&c, id, 5).unwrap();
        set_size(&c, id, 10).unwrap();
        assert_eq!(read_range(&c, id, 0, 100).unwrap(), [&data[..5], &[0u8; 5][..]].concat());
        discard_workspace(&c, 7).unwrap();
        assert!(matches!(size(&c, id), Err(StoreError::ObjectChanged(_))));
        let n: i64 = c.query_row("SELECT count(*) FROM blob_chunks", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn stream_forms() {
        let v = PropValue::Unicode("Grüße 日本".into());
        let b = v.stream_bytes().unwrap();
        assert_eq!(b.len() as u64, stream_len(&v).unwrap());
        assert_eq!(PropValue::from_stream_bytes(PropType::String, b.clone()), v);
        let mut z = b;
        z.extend([0, 0]);
        assert_eq!(PropValue::from_stream_bytes(PropType::String, z), v);
        assert_eq!(
            convert(PropValue::String8(b"caf\xe9".to_vec()), PropType::String),
            Some(PropValue::Unicode("café".into()))
        );
        assert_eq!(convert(PropValue::I32(1), PropType::String), None);
    }
}
