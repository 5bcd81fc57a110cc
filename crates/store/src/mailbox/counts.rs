//! Folder message counts, read from the counters of schema v6 (`folder_counts`, kept exact by
//! triggers on `messages`; see `schema.rs` [`super::schema::V6`]): one B-tree lookup per count
//! instead of a scan of the folder, so a save into, a move or delete out of, and a contents
//! table of a 100,000-message folder cost what they cost on a small one.
//!
//! Every count of a folder's own messages goes through [`group_counts`]. Search folders list
//! messages of other folders; their contents-table RowCount is counted from the search's scope
//! (`messages/contents.rs`), not here.

use crate::db::{Conn, OptionalExt};

use crate::error::StoreResult;

/// The counters of one group of a folder's messages: normal or FAI, live or soft-deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct GroupCounts {
    /// Messages in the group.
    pub total: u32,
    /// Those of them with MSGFLAG_READ clear (`read = 0`).
    pub unread: u32,
    /// The sum of their PidTagMessageSize.
    pub size: i64,
}

/// The counters of the messages of folder `f` that are FAI (`associated`) or not and
/// soft-deleted or not; zeros for a group that never had messages or a folder that is gone.
pub(crate) fn group_counts(
    conn: &Conn,
    f: u64,
    associated: bool,
    soft_deleted: bool,
) -> StoreResult<GroupCounts> {
    let clamp = |n: i64| n.clamp(0, u32::MAX as i64) as u32;
    let row: Option<(i64, i64, i64)> = conn
        .prepare_cached(
            "SELECT total, unread, size FROM folder_counts \
             WHERE fid = ?1 AND associated = ?2 AND soft_deleted = ?3",
        )?
        .query_row(crate::params![f as i64, associated, soft_deleted], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(row.map_or_else(GroupCounts::default, |(total, unread, size)| GroupCounts {
        total: clamp(total),
        unread: clamp(unread),
        size,
    }))
}

/// PidTagContentCount and PidTagContentUnreadCount of folder `f`: its normal messages that are
/// not soft-deleted, and those of them not read (MS-OXCFOLD 2.2.2.2.1).
pub(crate) fn content_counts(conn: &Conn, f: u64) -> StoreResult<(u32, u32)> {
    let c = group_counts(conn, f, false, false)?;
    Ok((c.total, c.unread))
}

/// The live (not soft-deleted) top-level messages of the whole store, normal and FAI, summed
/// over the folders' counters (PidTagContentCount and PidTagMessageSize of the store); `unread`
/// counts the unread ones. O(folders).
pub(crate) fn store_counts(conn: &Conn) -> StoreResult<GroupCounts> {
    let (total, unread, size): (i64, i64, i64) = conn.query_row(
        "SELECT coalesce(sum(total), 0), coalesce(sum(unread), 0), coalesce(sum(size), 0) \
         FROM folder_counts WHERE soft_deleted = 0",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let clamp = |n: i64| n.clamp(0, u32::MAX as i64) as u32;
    Ok(GroupCounts { total: clamp(total), unread: clamp(unread), size })
}

#[cfg(test)]
#[path = "counts_tests.rs"]
mod tests;
