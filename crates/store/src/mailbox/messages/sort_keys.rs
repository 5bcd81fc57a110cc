//! Denormalised sort keys of `messages` (schema v5): copies of the properties contents tables
//! sort and filter on, in a form whose SQLite order is exactly the table engine's order, so
//! the index-backed contents table ([`crate::table::IndexedTable`], MS-OXCTABL 3.2.5.3
//! RopSortTable, 3.2.5.4 RopRestrict) reads a page through a `(fid, associated, soft_deleted,
//! key)` index instead of loading the folder.
//!
//! * Text keys hold the value folded by `char::to_lowercase` (what
//!   `compare_values` compares: case-insensitive, code point by code point); the UTF-8 bytes of
//!   the folded strings compare in code point order, so SQLite's BINARY collation is exact.
//! * Integer keys hold the value (PtypInteger16/32/64), time keys the FILETIME as an integer.
//! * The value is the one a table row carries ([`super::contents::table_value`]: a blob value
//!   cut to `TABLE_VALUE_BYTES`). A value of another type than the key's kind (a property
//!   written with an unexpected type) counts as missing: NULL, like a missing property.
//!
//! [`refresh_sort_keys`] is the ONE place that computes them; every write path that changes a
//! saved message's properties calls it (`write_message` for saves, imports and deliveries,
//! `copy_message_rows` for copies); moves and read-flag changes do not touch them. Schema v5
//! lists every existing message in `pending_sort_keys`, which [`backfill_sort_keys`] works
//! through when the store is opened.

use crate::db::Value;
use crate::db::{Conn, TxKind, params_from_iter};
use oxmapi_core::catalogue::tags::{
    PR_CLIENT_SUBMIT_TIME, PR_CONVERSATION_TOPIC, PR_CREATION_TIME, PR_DISPLAY_TO, PR_FLAG_STATUS,
    PR_IMPORTANCE, PR_LAST_MODIFICATION_TIME, PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS,
    PR_MESSAGE_SIZE, PR_NORMALIZED_SUBJECT, PR_SENDER_NAME, PR_SENT_REPRESENTING_NAME, PR_SUBJECT,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::contents::table_value;
use crate::error::StoreResult;

/// What a key column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Folded text (PtypString / PtypString8 values).
    Text,
    /// An integer (PtypInteger16/32/64 values).
    Int,
    /// A FILETIME (PtypTime values).
    Time,
}

/// Where a key column's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// A stored property, copied by [`refresh_sort_keys`].
    Stored,
    /// A column of `messages` the store computes the property from (never NULL).
    Computed,
}

/// A denormalised column of `messages` that stands for one property in contents tables.
#[derive(Clone, Copy, Debug)]
pub struct KeyColumn {
    /// The property (matched by id).
    pub tag: PropTag,
    /// The column of `messages` (alias `m`).
    pub column: &'static str,
    /// What it holds.
    pub kind: KeyKind,
    /// Where it comes from.
    pub source: KeySource,
    /// Its `(fid, associated, soft_deleted, column)` index, when it has one: views may sort
    /// on it.
    pub index: Option<&'static str>,
}

const fn key(
    tag: PropTag,
    column: &'static str,
    kind: KeyKind,
    source: KeySource,
    index: Option<&'static str>,
) -> KeyColumn {
    KeyColumn { tag, column, kind, source, index }
}

/// The `(fid, associated, soft_deleted)` index: a folder's messages in MID order.
pub const FOLDER_INDEX: &str = "messages_by_folder";

use KeyKind::{Int, Text, Time};
use KeySource::{Computed, Stored};

/// Every key column. PR_MESSAGE_SIZE is `min(message_size, i32::MAX)` in rows, equal to the
/// column for any message under 2 GiB (the store's limits are far below). PR_MESSAGE_FLAGS is
/// filter-only (no index).
pub const KEY_COLUMNS: &[KeyColumn] = &[
    key(PR_SUBJECT, "k_subject", Text, Stored, Some("messages_by_subject")),
    key(PR_NORMALIZED_SUBJECT, "k_normalized_subject", Text, Stored, Some("messages_by_normalized_subject")),
    key(PR_SENDER_NAME, "k_sender_name", Text, Stored, Some("messages_by_sender_name")),
    key(
        PR_SENT_REPRESENTING_NAME,
        "k_sent_representing_name",
        Text,
        Stored,
        Some("messages_by_sent_representing_name"),
    ),
    key(PR_DISPLAY_TO, "k_display_to", Text, Stored, Some("messages_by_display_to")),
    key(PR_CONVERSATION_TOPIC, "k_conversation_topic", Text, Stored, Some("messages_by_conversation_topic")),
    key(PR_MESSAGE_CLASS, "k_message_class", Text, Stored, Some("messages_by_message_class")),
    key(PR_IMPORTANCE, "importance", Int, Stored, Some("messages_by_importance")),
    key(PR_FLAG_STATUS, "flag_status", Int, Stored, Some("messages_by_flag_status")),
    key(PR_CLIENT_SUBMIT_TIME, "client_submit_time", Time, Stored, Some("messages_by_client_submit_time")),
    key(PR_MESSAGE_DELIVERY_TIME, "delivery_time", Time, Stored, Some("messages_by_delivery_time")),
    key(PR_CREATION_TIME, "created", Time, Computed, Some("messages_by_created")),
    key(PR_LAST_MODIFICATION_TIME, "modified", Time, Computed, Some("messages_by_modified")),
    key(PR_MESSAGE_SIZE, "message_size", Int, Computed, Some("messages_by_size")),
    key(PR_MESSAGE_FLAGS, "flags", Int, Computed, None),
];

/// The key column of a property id, if it has one.
pub fn key_column(id: u16) -> Option<&'static KeyColumn> {
    KEY_COLUMNS.iter().find(|k| k.tag.id() == id)
}

/// A string folded as the table engine compares strings (`char::to_lowercase`, char by char).
pub fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// The key of a value for a column of `kind`: NULL when the value is not of that kind.
pub fn key_value(kind: KeyKind, v: &PropValue) -> Value {
    match (kind, v) {
        (Text, PropValue::Unicode(_) | PropValue::String8(_)) => {
            v.as_text().map_or(Value::Null, |t| Value::Text(fold(&t)))
        }
        (Int, PropValue::I16(_) | PropValue::I32(_) | PropValue::I64(_)) => {
            v.as_i64().map_or(Value::Null, Value::Integer)
        }
        (Time, PropValue::SysTime(t)) => Value::Integer(t.0 as i64),
        _ => Value::Null,
    }
}

fn stored() -> impl Iterator<Item = &'static KeyColumn> {
    KEY_COLUMNS.iter().filter(|k| k.source == Stored)
}

/// Recomputes the stored key columns of message `mid` from its property rows (inside the
/// caller's transaction).
pub(crate) fn refresh_sort_keys(conn: &Conn, mid: u64) -> StoreResult<()> {
    let ids = stored().map(|k| k.tag.id().to_string()).collect::<Vec<_>>().join(",");
    let mut values: Vec<Value> = stored().map(|_| Value::Null).collect();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT propid, proptype, value, blob_id FROM message_properties WHERE mid = ?1 AND propid IN ({ids})"
        ))?;
        let mut rows = stmt.query([mid as i64])?;
        while let Some(r) = rows.next()? {
            let (propid, proptype): (i64, i64) = (r.get(0)?, r.get(1)?);
            let Some(i) = stored().position(|k| i64::from(k.tag.id()) == propid) else { continue };
            let v = table_value(conn, propid, proptype, r.get_ref(2)?, r.get(3)?)?;
            values[i] = key_value(KEY_COLUMNS[i].kind, &v);
        }
    }
    let sets = stored().enumerate().map(|(i, k)| format!("{} = ?{}", k.column, i + 2)).collect::<Vec<_>>();
    let mut params = vec![Value::Integer(mid as i64)];
    params.extend(values);
    conn.prepare_cached(&format!("UPDATE messages SET {} WHERE mid = ?1", sets.join(", ")))?
        .execute(params_from_iter(params))?;
    Ok(())
}

/// Messages whose keys [`backfill_sort_keys`] computes per transaction.
const BACKFILL_BATCH: usize = 1000;

/// Computes the keys of the messages schema v5 listed in `pending_sort_keys` (the messages
/// that existed before the upgrade), in transactions of [`BACKFILL_BATCH`].
pub(crate) fn backfill_sort_keys(conn: &Conn) -> StoreResult<()> {
    // Most opens find nothing to do: look before taking the write lock.
    if !conn.prepare_cached("SELECT 1 FROM pending_sort_keys LIMIT 1")?.exists([])? {
        return Ok(());
    }
    loop {
        let tx = conn.transaction(TxKind::Write)?;
        let mids: Vec<i64> = {
            let mut stmt = tx.prepare_cached("SELECT mid FROM pending_sort_keys ORDER BY mid LIMIT ?1")?;
            let rows = stmt.query_map([BACKFILL_BATCH as i64], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        if mids.is_empty() {
            return Ok(());
        }
        for m in &mids {
            refresh_sort_keys(&tx, *m as u64)?;
            tx.prepare_cached("DELETE FROM pending_sort_keys WHERE mid = ?1")?.execute([m])?;
        }
        tx.commit()?;
    }
}
