//! The row changes a table's raw events cause, and their NotificationData (MS-OXCNOTIF
//! 2.2.1.4.1.2; protocol-facts §5.3).
//!
//! An in-memory contents table reads the rows of the messages the events name, through the
//! store, in the properties its rows were loaded with; a hierarchy table (a few hundred folders
//! at most) reads its folders again and compares. Either way the table's view moves to the new
//! rows and reports each row that entered, left or changed: a row is judged by its state now, so
//! several events about one message between two resolutions give one notification (its net
//! change), and a message created and deleted in between gives none.
//!
//! An index-backed contents table holds no rows: it is told which messages the events touched
//! and whether each was in the view before them (`was_in_view`), and asks the store where
//! each is now. A restricted index-backed view cannot know whether a changed row matched before,
//! so it answers TableChanged (MS-OXCNOTIF 3.1.4.3 lets a server send TableChanged instead of
//! row notifications).

use std::collections::HashSet;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_store::mailbox::events::StoreEvent;
use oxmapi_store::table::{IndexedTable, RowChange, RowEvent, ids_filter};
use oxmapi_wire::rop::oxcnotif::{FLAG_M, NotificationData, NotifyResponse, kind, table_event};

use super::queue::{MAX_NOTIFY_LEN, notify_len};
use super::table::{Parked, TableTracker};
use crate::rops::handles::TableSource;
use crate::rops::oxcnotif::{contents_rows, hierarchy_rows};
use crate::rops::props::table_row;
use crate::rops::table_engine::TableEngine;

/// The most row notifications one resolution gives a table; more become one TableChanged.
pub const TABLE_NOTES: usize = 512;

/// The messages of folder `fid` that `events` touch (in or out of it), first mention first;
/// `None` when the folder itself was deleted or moved.
fn touched_messages(fid: ObjectId, events: &[StoreEvent]) -> Option<Vec<ObjectId>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |m: ObjectId| {
        if seen.insert(m) {
            out.push(m);
        }
    };
    for e in events {
        match e {
            StoreEvent::MovedOrCopied { fid: to, mid, old_fid, old_mid, .. } => {
                if let (true, Some(m)) = (*old_fid == fid, old_mid) {
                    add(*m);
                }
                if let (true, Some(m)) = (*to == fid, mid) {
                    add(*m);
                }
                if mid.is_none() && *old_fid == fid {
                    return None;
                }
            }
            StoreEvent::Deleted { fid: f, mid: None, .. } if *f == fid => return None,
            e => {
                if let (true, Some(m)) = (e.fid() == fid, e.mid()) {
                    add(m);
                }
            }
        }
    }
    Some(out)
}

/// The folders `events` name (hierarchy rows to report even when their properties look the
/// same).
fn touched_folders(events: &[StoreEvent]) -> HashSet<u64> {
    let mut out = HashSet::new();
    for e in events.iter().filter(|e| e.mid().is_none()) {
        out.insert(e.fid().to_u64());
        if let StoreEvent::MovedOrCopied { old_fid, .. } = e {
            out.insert(old_fid.to_u64());
        }
    }
    out
}

/// The messages `events` brought into folder `fid` (created, delivered, moved or copied in)
/// before anything else happened to them in the batch: they were not in the folder before it.
fn arrived(fid: ObjectId, events: &[StoreEvent]) -> HashSet<ObjectId> {
    let mut seen = HashSet::new();
    let mut out = HashSet::new();
    for e in events {
        let into = match e {
            StoreEvent::Created { fid: f, mid: Some(m), .. } | StoreEvent::NewMail { fid: f, mid: m, .. } => {
                (*f == fid).then_some(*m)
            }
            StoreEvent::MovedOrCopied { fid: to, mid: Some(m), .. } => (*to == fid).then_some(*m),
            _ => None,
        };
        if let Some(m) = into.filter(|m| !seen.contains(m)) {
            out.insert(m);
        }
        seen.extend(e.mid());
        if let StoreEvent::MovedOrCopied { old_mid: Some(m), .. } = e {
            seen.insert(*m);
        }
    }
    out
}

/// The messages `events` name that are of the other kind than a table of `associated`
/// messages lists: FAI for a normal table, normal for an FAI table (each message event says
/// which its message is, even once it is gone; a delivery is of a normal message).
fn other_kind(associated: bool, events: &[StoreEvent]) -> HashSet<ObjectId> {
    let mut out = HashSet::new();
    for e in events.iter().filter(|e| e.associated() != associated) {
        out.extend(e.mid());
        if let StoreEvent::MovedOrCopied { old_mid: Some(m), .. } = e {
            out.insert(*m);
        }
    }
    out
}

/// Each message of `mids` (touched in folder `fid` by `events`) of the table's kind (normal,
/// or FAI with `associated`; [`other_kind`]) with whether it was in an unrestricted view of
/// the folder before the events: all but those the events brought into the folder
/// ([`arrived`]). A message of the other kind is left out: its table is another one, so a
/// hard-deleted FAI message gives a normal table no TableRowDeleted.
fn was_in_view(
    fid: ObjectId,
    associated: bool,
    mids: &[ObjectId],
    events: &[StoreEvent],
) -> Vec<(u64, bool)> {
    let arrived = arrived(fid, events);
    let other = other_kind(associated, events);
    mids.iter().filter(|m| !other.contains(m)).map(|m| (m.to_u64(), !arrived.contains(m))).collect()
}

/// The row changes of an index-backed contents table: `None` when the view cannot be followed
/// row by row (a restriction; the engine decides). Messages of the other kind (FAI beside a
/// normal table…) change nothing.
fn indexed_changes(
    table: &mut IndexedTable,
    fid: ObjectId,
    associated: bool,
    events: &[StoreEvent],
) -> Option<Vec<RowChange>> {
    table.changed();
    let mids = touched_messages(fid, events)?;
    let touched = was_in_view(fid, associated, &mids, events);
    if touched.is_empty() {
        return Some(Vec::new());
    }
    if table.restriction().is_some() {
        return None;
    }
    table.row_changes(&touched).ok()?
}

/// Moves the parked table's rows to the state the events left and returns the row changes;
/// `None` when that cannot be done row by row (the table then gets TableChanged).
pub fn changes(t: &TableTracker, p: &mut Parked, events: &[StoreEvent]) -> Option<Vec<RowChange>> {
    // A logon limited by folder permissions that lost the right to read the rows gets none.
    if !crate::rops::access::may_watch(&t.logon, &t.source) {
        return Some(Vec::new());
    }
    match (&t.source, &mut p.table) {
        (TableSource::Contents { fid, associated, .. }, TableEngine::Indexed(table)) => {
            indexed_changes(table, *fid, *associated, events)
        }
        (TableSource::Contents { fid, associated, .. }, TableEngine::Memory(table)) => {
            let mids = touched_messages(*fid, events)?;
            if mids.is_empty() {
                return Some(Vec::new());
            }
            let filter = ids_filter(&mids);
            let rows = contents_rows(&t.logon, *fid, *associated, &p.loaded, Some(&filter)).ok()?;
            let mut rows: std::collections::HashMap<u64, _> =
                rows.into_iter().map(|r| (r.id, r.props)).collect();
            let changes = mids.iter().map(|m| (m.to_u64(), rows.remove(&m.to_u64()))).collect();
            table.apply(changes)
        }
        (TableSource::Hierarchy { fid, depth, .. }, TableEngine::Memory(table)) => {
            // Property changes of folders the table does not list (the counts of every folder
            // a message is saved in, anywhere in the mailbox) leave it alone.
            let elsewhere = |e: &StoreEvent| {
                matches!(e, StoreEvent::Modified { mid: None, .. }) && !table.holds(e.fid().to_u64())
            };
            if events.iter().all(elsewhere) {
                return Some(Vec::new());
            }
            let rows = hierarchy_rows(&t.logon, *fid, *depth).ok()?;
            table.reload_changes(rows, &touched_folders(events))
        }
        _ => None,
    }
}

/// True when `d` as a RopNotify fits an Execute response with no other ROP.
fn fits(d: &NotificationData) -> bool {
    notify_len(&NotifyResponse { notification_handle: 0, logon_id: 0, data: d.clone() }) <= MAX_NOTIFY_LEN
}

/// The NotificationData of row changes: message rows (contents tables) carry the M flag, the
/// folder, message and instance; folder rows (hierarchy tables) the folder. `None` when they
/// are too many, a folder row has an instance number (no field carries it) or a row does not
/// fit TableRowDataSize or its RopNotify does not fit an Execute response with no other ROP
/// ([`MAX_NOTIFY_LEN`]; MS-OXCRPC 3.1.4.2.1.1).
pub fn notes(
    t: &TableTracker,
    columns: &[PropTag],
    changes: Vec<RowChange>,
) -> Option<Vec<NotificationData>> {
    if changes.len() > TABLE_NOTES {
        return None;
    }
    let folder = match &t.source {
        TableSource::Contents { fid, .. } => Some(*fid),
        _ => None,
    };
    let message = folder.is_some();
    let mut out = Vec::with_capacity(changes.len());
    for c in changes {
        if !message && c.instance != 0 {
            return None;
        }
        let row_id = ObjectId::from_u64(c.id);
        let mut d = NotificationData {
            flags: kind::TABLE_MODIFIED | if message { FLAG_M } else { 0 },
            table_event_type: Some(match c.event {
                RowEvent::Added => table_event::TABLE_ROW_ADDED,
                RowEvent::Deleted => table_event::TABLE_ROW_DELETED,
                RowEvent::Modified => table_event::TABLE_ROW_MODIFIED,
            }),
            table_row_folder_id: Some(folder.unwrap_or(row_id)),
            table_row_message_id: message.then_some(row_id),
            table_row_instance: message.then_some(c.instance),
            ..Default::default()
        };
        if let Some(values) = c.row {
            // The row before it; all zeros when it is the first row.
            let (after_id, after_instance) =
                c.after.map_or((ObjectId::ZERO, 0), |(id, i)| (ObjectId::from_u64(id), i));
            let after_folder = match (folder, c.after) {
                (Some(f), Some(_)) => f,
                _ => after_id,
            };
            d.insert_after_table_row_folder_id = Some(after_folder);
            d.insert_after_table_row_id = message.then_some(after_id);
            d.insert_after_table_row_instance = message.then_some(after_instance);
            let row = table_row(columns, values, t.unicode);
            d.table_row_data = Some(NotificationData::row_data(&row, columns)?);
            if !fits(&d) {
                return None;
            }
        }
        out.push(d);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_messages_that_first_enter_the_folder_in_the_batch_are_new_to_the_view() {
        let (fid, other) = (ObjectId::new(1, 5), ObjectId::new(1, 6));
        let m = |n: u64| ObjectId::new(1, 100 + n);
        let created = |f, mid| StoreEvent::Created {
            fid: f,
            mid: Some(mid),
            parent_fid: f,
            tags: vec![],
            associated: false,
        };
        let modified =
            |mid| StoreEvent::Modified { fid, mid: Some(mid), tags: vec![], counts: None, associated: false };
        let moved = |to, mid, from, old| StoreEvent::MovedOrCopied {
            copy: false,
            fid: to,
            mid: Some(mid),
            parent_fid: to,
            old_fid: from,
            old_mid: Some(old),
            old_parent_fid: from,
            associated: false,
        };
        let events = [
            created(fid, m(1)),
            modified(m(1)),
            modified(m(2)),
            created(other, m(3)),
            moved(fid, m(4), other, m(3)),
            moved(other, m(6), fid, m(5)),
            StoreEvent::NewMail { fid, mid: m(7), message_flags: 0, message_class: "IPM.Note".into() },
        ];
        let got = arrived(fid, &events);
        let mut got: Vec<_> = got.into_iter().collect();
        got.sort();
        assert_eq!(got, [m(1), m(4), m(7)]);
    }

    #[test]
    fn a_row_notification_must_fit_an_empty_response() {
        let mut d = NotificationData {
            flags: kind::TABLE_MODIFIED,
            table_event_type: Some(table_event::TABLE_ROW_ADDED),
            table_row_folder_id: Some(ObjectId::new(1, 5)),
            insert_after_table_row_folder_id: Some(ObjectId::ZERO),
            table_row_data: Some(vec![0; 100]),
            ..Default::default()
        };
        assert!(fits(&d));
        // Under TableRowDataSize's 65,535 bytes, over an Execute response.
        d.table_row_data = Some(vec![0; 40_000]);
        assert!(!fits(&d));
    }
}
