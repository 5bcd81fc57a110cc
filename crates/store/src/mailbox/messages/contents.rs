//! Folder contents for contents tables (MS-OXCFOLD 2.2.1.14 RopGetContentsTable; the table
//! engine sorts, restricts and positions over these rows, MS-OXCTABL).
//!
//! [`MessageStore::contents_rows`] reads a folder's message rows through a `(fid, associated,
//! soft_deleted, …)` index and only the requested stored properties (two queries for the whole
//! folder), so it stays cheap for 100 000 messages; computed columns (PR_MID, PR_ENTRYID,
//! PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, …) come from the `messages` row. The denormalised columns
//! `delivery_time` and `modified` of `messages` are indexed after the folder, for an
//! index-backed sort by PR_MESSAGE_DELIVERY_TIME or PR_LAST_MODIFICATION_TIME;
//! `normalized_subject` and `message_class` are there for cheap filters. The normal contents
//! of a search folder are the messages its search finds, wherever they are (`search.rs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use oxmapi_core::entryid::EntryId;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::ContentsFilter;
use super::blobs;
use super::computed::{META_TAGS, MessageMeta};
use super::load::live_folder;
use super::props::coerce;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::counts::group_counts;
use crate::mailbox::ids::provider_uid;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore};
use crate::propvalue;

/// Large (blob) values appear in table rows cut to this many bytes of their stream form (255
/// UTF-16 characters); Exchange likewise truncates long values in tables.
pub const TABLE_VALUE_BYTES: u64 = 510;

/// One message of a contents table.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentsRow {
    /// PR_MID.
    pub mid: ObjectId,
    /// One value per requested column, `None` where the message has no such property.
    pub values: Vec<Option<PropValue>>,
}

/// A stored property value as a table row carries it: a large (blob) value is cut to
/// [`TABLE_VALUE_BYTES`] of its stream form. The denormalised sort keys are computed from this
/// same value (`sort_keys.rs`), so an index orders rows exactly as the rows compare.
pub(crate) fn table_value(
    conn: &crate::db::Conn,
    propid: i64,
    proptype: i64,
    value: crate::db::ValueRef<'_>,
    blob: Option<i64>,
) -> StoreResult<PropValue> {
    Ok(match blob {
        None => propvalue::from_row(propid, proptype, value)?.value,
        Some(blob) => {
            let ty = u16::try_from(proptype).ok().and_then(|t| PropType::try_from(t).ok());
            let bytes = blobs::read_range(conn, blob, 0, TABLE_VALUE_BYTES)?;
            PropValue::from_stream_bytes(ty.unwrap_or(PropType::Binary), bytes)
        }
    })
}

impl ContentsRow {
    /// The row's values as a property bag, each under its column's tag (`tags`, the columns the
    /// row was read with); missing values are left out.
    pub fn into_bag(self, tags: &[PropTag]) -> oxmapi_core::bag::PropBag {
        tags.iter()
            .zip(self.values)
            .filter_map(|(t, v)| v.map(|v| oxmapi_core::value::TaggedValue::new(*t, v)))
            .collect()
    }

    /// The row as a table engine source row ([`crate::table::SourceRow`]), keyed by its MID.
    pub fn into_source_row(self, tags: &[PropTag]) -> crate::table::SourceRow {
        let id = self.mid.to_u64();
        crate::table::SourceRow { id, props: self.into_bag(tags) }
    }
}

impl MessageStore {
    /// The MIDs of the normal (or, with `associated`, FAI) messages of a folder, ascending.
    /// NotFound when the folder does not exist.
    pub fn contents(&self, fid: ObjectId, associated: bool) -> StoreResult<Vec<ObjectId>> {
        let conn = self.lock()?;
        let f = live_folder(&conn, fid)?;
        let mut stmt = conn.prepare_cached(
            "SELECT mid FROM messages WHERE fid = ?1 AND associated = ?2 AND soft_deleted = 0 ORDER BY mid",
        )?;
        let rows = stmt.query_map(crate::params![f as i64, associated], |r| r.get::<_, i64>(0))?;
        rows.map(|r| r.map(|m| ObjectId::new(LOCAL_REPLICA_ID, m as u64)).map_err(StoreError::from)).collect()
    }

    /// The number of normal (or FAI) messages of a folder (RopGetContentsTable `RowCount`).
    pub fn contents_count(&self, fid: ObjectId, associated: bool) -> StoreResult<u32> {
        self.contents_count_in(fid, associated, false)
    }

    /// [`Self::contents_count`] of the live messages, or with `soft_deleted` of the soft-deleted
    /// ones (a contents table with the SoftDeletes flag, MS-OXCFOLD 2.2.1.14.1). A folder's own
    /// messages are read from its counters (O(log n)); a search folder's results are counted.
    pub fn contents_count_in(&self, fid: ObjectId, associated: bool, soft_deleted: bool) -> StoreResult<u32> {
        let (_, scope) = self.contents_scope(fid, associated)?;
        let conn = self.lock()?;
        if let Some(f) = scope.folder {
            return Ok(group_counts(&conn, f, associated, soft_deleted)?.total);
        }
        let n: i64 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM messages m WHERE {} AND m.associated = ?2 AND m.soft_deleted = {}",
                scope.sql, soft_deleted as u8
            ))?
            .query_row(crate::params![scope.param, associated], |r| r.get(0))?;
        Ok(n as u32)
    }

    /// The rows of a contents table: every normal (or FAI) message of `fid` in MID order, with
    /// the values of `columns` (typed as requested where a string or integer conversion exists,
    /// as stored for PtypUnspecified, `None` when missing or of another type; multi-value
    /// instance columns get the whole multi-valued value, which the table engine expands).
    pub fn contents_rows(
        &self,
        fid: ObjectId,
        associated: bool,
        columns: &[PropTag],
    ) -> StoreResult<Vec<ContentsRow>> {
        self.contents_rows_filtered(fid, associated, columns, None)
    }

    /// [`Self::contents_rows`] limited to the messages that pass `filter` (the SQL prefilter of
    /// a table restriction, [`super::contents_prefilter`]): a superset of the rows the
    /// restriction matches, read through the folder's indexes.
    pub fn contents_rows_filtered(
        &self,
        fid: ObjectId,
        associated: bool,
        columns: &[PropTag],
        filter: Option<&ContentsFilter>,
    ) -> StoreResult<Vec<ContentsRow>> {
        self.contents_rows_in(fid, associated, false, columns, filter)
    }

    /// [`Self::contents_rows_filtered`] of the live messages, or with `soft_deleted` of the
    /// soft-deleted ones (a contents table with the SoftDeletes flag: "the contents table lists
    /// only the messages that are soft deleted", MS-OXCFOLD 2.2.1.14.1).
    pub fn contents_rows_in(
        &self,
        fid: ObjectId,
        associated: bool,
        soft_deleted: bool,
        columns: &[PropTag],
        filter: Option<&ContentsFilter>,
    ) -> StoreResult<Vec<ContentsRow>> {
        let deleted = soft_deleted as u8;
        let (_, scope) = self.contents_scope(fid, associated)?;
        let cond = filter.map(|x| format!(" AND ({})", x.sql_for(self.backend()))).unwrap_or_default();
        let within = format!("{} AND m.associated = ?2 AND m.soft_deleted = {deleted}{cond}", scope.sql);
        let mut params: Vec<&dyn crate::db::ToSql> = vec![&scope.param, &associated];
        if let Some(x) = filter {
            params.extend(x.params.iter().map(|p| p as &dyn crate::db::ToSql));
        }
        self.rows_where(&within, &params, columns, None)
    }

    /// The contents-table rows of the messages `mids` (MID counters) of a normal folder's
    /// normal or FAI, live or soft-deleted messages, looked up by MID (the primary key; the
    /// unary `+` keeps SQLite off the folder indexes), in MID order. `steps` adds up the
    /// SQLite virtual machine steps the reads took (a cost measure that does not depend on
    /// timing).
    pub(crate) fn contents_rows_by_mid(
        &self,
        fid: ObjectId,
        associated: bool,
        soft_deleted: bool,
        mids: &[u64],
        columns: &[PropTag],
        steps: &AtomicU64,
    ) -> StoreResult<Vec<ContentsRow>> {
        if mids.is_empty() {
            return Ok(Vec::new());
        }
        let list = format!("[{}]", mids.iter().map(u64::to_string).collect::<Vec<_>>().join(","));
        let within = format!(
            "{} AND +m.fid = ?1 AND +m.associated = ?2 AND +m.soft_deleted = {}",
            self.backend().id_in("m.mid", "?3"),
            soft_deleted as u8
        );
        let f = fid.global_counter as i64;
        self.rows_where(&within, &[&f, &associated, &list], columns, Some(steps))
    }

    /// The rows of the messages `m` that pass `within` (an SQL condition with its parameters).
    fn rows_where(
        &self,
        within: &str,
        params: &[&dyn crate::db::ToSql],
        columns: &[PropTag],
        steps: Option<&AtomicU64>,
    ) -> StoreResult<Vec<ContentsRow>> {
        let count = |stmt: &crate::db::Statement<'_>| {
            if let Some(s) = steps {
                s.fetch_add(stmt.take_vm_steps(), AtomicOrdering::Relaxed);
            }
        };
        let conn = self.lock()?;
        let mut metas = Vec::new();
        let mut index: HashMap<u64, usize> = HashMap::new();
        {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT m.mid, m.change_number, m.created, m.modified, m.flags, m.message_size, m.fid \
                 FROM messages m WHERE {within} ORDER BY m.mid"
            ))?;
            let mut rows = stmt.query(params)?;
            while let Some(r) = rows.next()? {
                let mid = r.get::<_, i64>(0)? as u64;
                index.insert(mid, metas.len());
                metas.push(MessageMeta {
                    mid: Some(mid),
                    fid: r.get::<_, Option<i64>>(6)?.map(|f| f as u64),
                    cn: Some(r.get::<_, i64>(1)? as u64),
                    created: r.get::<_, i64>(2)? as u64,
                    modified: r.get::<_, i64>(3)? as u64,
                    flags: r.get::<_, i64>(4)? as u32,
                    size: r.get::<_, i64>(5)? as u64,
                });
            }
            drop(rows);
            count(&stmt);
        }
        let computed = |t: &PropTag| META_TAGS.iter().any(|m| m.id() == t.id());
        let mut stored: Vec<u16> = columns.iter().filter(|t| !computed(t)).map(|t| t.id()).collect();
        stored.sort_unstable();
        stored.dedup();
        let mut values: Vec<HashMap<u16, PropValue>> = vec![HashMap::new(); metas.len()];
        if !stored.is_empty() && !metas.is_empty() {
            let ids = stored.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
            let mut stmt = conn.prepare(&format!(
                "SELECT p.mid, p.propid, p.proptype, p.value, p.blob_id FROM messages m \
                 JOIN message_properties p ON p.mid = m.mid AND p.propid IN ({ids}) \
                 WHERE {within}"
            ))?;
            let mut rows = stmt.query(params)?;
            while let Some(r) = rows.next()? {
                let Some(&i) = index.get(&(r.get::<_, i64>(0)? as u64)) else { continue };
                let (propid, proptype): (i64, i64) = (r.get(1)?, r.get(2)?);
                let value = table_value(&conn, propid, proptype, r.get_ref(3)?, r.get(4)?)?;
                values[i].insert(propid as u16, value);
            }
            drop(rows);
            count(&stmt);
        }
        drop(conn);
        let mut out = Vec::with_capacity(metas.len());
        for (meta, mut vals) in metas.iter().zip(values) {
            let mut row = Vec::with_capacity(columns.len());
            for col in columns {
                let v = if computed(col) { self.meta_value(meta, col.id())? } else { vals.remove(&col.id()) };
                row.push(v.and_then(|v| coerce(v, *col)));
            }
            out.push(ContentsRow {
                mid: ObjectId::new(LOCAL_REPLICA_ID, meta.mid.unwrap_or(0)),
                values: row,
            });
        }
        Ok(out)
    }

    /// RopQueryColumnsAll on a contents table (MS-OXCTABL 3.2.5.11): the tags of every stored
    /// property the normal (or FAI) messages of `fid` have, then the computed columns, in
    /// property id order within each group.
    pub fn contents_columns(&self, fid: ObjectId, associated: bool) -> StoreResult<Vec<PropTag>> {
        let (_, scope) = self.contents_scope(fid, associated)?;
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT DISTINCT p.propid, p.proptype FROM messages m JOIN message_properties p ON p.mid = m.mid \
             WHERE {} AND m.associated = ?2 AND m.soft_deleted = 0 ORDER BY p.propid, p.proptype",
            scope.sql
        ))?;
        let rows = stmt.query_map(crate::params![scope.param, associated], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out: Vec<PropTag> = Vec::new();
        for row in rows {
            let (id, ty) = row?;
            if let (Ok(id), Ok(ty)) = (u16::try_from(id), u16::try_from(ty)) {
                if !out.iter().any(|t| t.id() == id) {
                    out.push(PropTag::from_parts(id, ty));
                }
            }
        }
        for t in META_TAGS {
            if !out.iter().any(|o| o.id() == t.id()) {
                out.push(*t);
            }
        }
        Ok(out)
    }

    /// The folder and message a Message EntryID of this store names (MS-OXCDATA 2.2.4.2). Entry
    /// IDs of other stores or object types are NotFound; bytes that are no entry ID are
    /// InvalidParameter.
    pub fn message_ids_from_entry_id(&self, entry_id: &[u8]) -> StoreResult<(ObjectId, ObjectId)> {
        let parsed = EntryId::parse(entry_id)
            .map_err(|e| StoreError::InvalidParameter(format!("not an entry ID: {e}")))?;
        let EntryId::Message(m) = parsed else {
            return Err(StoreError::NotFound(format!(
                "the entry ID names a {}, not a message",
                parsed.kind_name()
            )));
        };
        if m.provider_uid != provider_uid(self.kind, self.mailbox_guid) {
            return Err(StoreError::NotFound(format!(
                "the message entry ID belongs to another store (provider {})",
                m.provider_uid
            )));
        }
        let fid = ObjectId::new(self.replica_id_of(&m.folder.database_guid)?, m.folder.global_counter);
        let mid = ObjectId::new(self.replica_id_of(&m.message.database_guid)?, m.message.global_counter);
        Ok((fid, mid))
    }
}
